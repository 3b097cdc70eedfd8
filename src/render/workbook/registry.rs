//! 数据修订 and 登记核对: what changed since the last published report, and
//! what the registry lacks (the models: `report::revisions`,
//! `report::registry_gaps`).

use rust_xlsxwriter::Worksheet;

use super::grid::Sheet;
use crate::render::xlsx::{Num, Res};
use crate::report::{Report, Revision};

/// 数据修订: every figure of an earlier quarter that differs from the
/// published one, in the indicator's display unit.
pub(super) fn revisions(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    const LAST: u16 = 8;
    let st = s.st;
    s.merged(0, 0, LAST, &r.revisions_heading(), &st.text)?;
    s.headers(
        1,
        &[
            "季度",
            "高新区",
            "指标",
            "单位",
            "原发布值",
            "现值",
            "变化",
            "原发布于",
            "来源文件",
        ],
    )?;
    for (row, x) in (2..).zip(&r.revisions) {
        revision_row(&mut s, r, row, x)?;
    }
    s.cap_width(8, 30.0);
    s.table_view(2, 2, LAST)?;
    s.finish()
}

/// One revised figure, amounts in the indicator's display unit.
fn revision_row(s: &mut Sheet, r: &Report, row: u32, x: &Revision) -> Res {
    let st = s.st;
    let scale = r.indicator(&x.indicator).map(|i| i.scale());
    let of = |v: Option<f64>| v.map(|v| scale.as_ref().map_or(v, |sc| sc.of(v)));
    let kind = scale.as_ref().map_or(Num::Count, |sc| {
        Num::for_scale(sc, [x.was, x.now].into_iter().flatten())
    });
    let unit = scale.as_ref().map_or(x.unit.clone(), |sc| sc.unit.clone());
    s.text_as(row, 0, &x.period.to_string(), &st.center)?;
    s.text(row, 1, &x.zone)?;
    s.text(row, 2, &x.indicator_name)?;
    s.text_as(row, 3, &unit, &st.center)?;
    s.num_or_dash(row, 4, of(x.was), kind)?;
    s.num_or_dash(row, 5, of(x.now), kind)?;
    let change = x.was.zip(x.now).map(|(w, n)| n - w);
    s.num_or_dash(row, 6, of(change), kind)?;
    s.text_as(row, 7, &x.published_in.to_string(), &st.center)?;
    s.wrap(row, 8, &x.file)
}

/// 登记核对: three short lists, each under its title; an empty one says so.
pub(super) fn registry_gaps(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    let g = &r.registry_gaps;
    let st = s.st;
    let title = "没有登记结对的高新区";
    let mut row = section(
        &mut s,
        0,
        title,
        ["高新区", "城市"],
        "本期清单中的合作高校（可据以核实结对）",
    )?;
    for z in &g.zones_without_pair {
        s.text(row, 0, &z.zone)?;
        s.text(row, 1, &z.city)?;
        s.merged(row, 2, LAST, &z.partners.join("、"), &st.wrap)?;
        row += 1;
    }
    row = none_row(&mut s, row, g.zones_without_pair.is_empty())? + 1;
    let title = "报表中出现、高校名录中没有的高校（待核实）";
    row = section(&mut s, row, title, ["报表中的写法", "填写的高新区"], "")?;
    s.headers_at(row - 1, 2, &["项目行数", "平台行数"])?;
    for u in &g.unknown_universities {
        s.text(row, 0, &u.name)?;
        s.wrap(row, 1, &u.zones.join("、"))?;
        s.count(row, 2, u.projects)?;
        s.count(row, 3, u.platforms)?;
        row += 1;
    }
    row = none_row(&mut s, row, g.unknown_universities.is_empty())? + 1;
    let title = "本期没有合作项目和平台的已登记结对";
    row = section(&mut s, row, title, ["高新区", "高校"], "结对依据")?;
    for p in &g.idle_pairs {
        s.text(row, 0, &p.zone)?;
        s.text(row, 1, &p.university)?;
        s.merged(row, 2, LAST, &p.evidence, &st.wrap)?;
        row += 1;
    }
    none_row(&mut s, row, g.idle_pairs.is_empty())?;
    s.cap_width(1, 30.0);
    s.page_view(LAST);
    s.finish()
}

/// 登记核对's last column.
const LAST: u16 = 3;

/// A section's title and header row (two headers, then `rest` across the
/// other columns unless empty); returns the first row below them.
fn section(s: &mut Sheet, row: u32, title: &str, first: [&str; 2], rest: &str) -> Res<u32> {
    let st = s.st;
    s.merged(row, 0, LAST, title, &st.section)?;
    s.headers(row + 1, &first)?;
    if !rest.is_empty() {
        s.header_span((row + 1, 2), (row + 1, LAST), rest)?;
    }
    Ok(row + 2)
}

/// `无` under an empty list; returns the next free row.
fn none_row(s: &mut Sheet, row: u32, empty: bool) -> Res<u32> {
    if !empty {
        return Ok(row);
    }
    let st = s.st;
    s.merged(row, 0, LAST, "无", &st.muted)?;
    Ok(row + 1)
}
