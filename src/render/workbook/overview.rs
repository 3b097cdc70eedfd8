//! 总览: the page leaders read, top-down: the core indicators with the
//! quarter's flows, reporting, the targets with their chart, composition.
//! Figures are in the brief's units and rounding, so both read the same.

use rust_xlsxwriter::Worksheet;

use super::grid::Sheet;
use super::targets::{
    chart_label, progress_chart, remarks, target_scale, target_tones, ChartColumns,
};
use super::SAMPLE_NOTE;
use crate::model::Verdict;
use crate::render::xlsx::{Num, Res};
use crate::report::{FlowMeasure, Headline, Report};

/// 总览's last printed column: titles and notes span the sheet up to it.
const LAST_COL: u16 = 9;
/// The targets chart beside 项目与平台构成, in pixels.
const COMPOSITION_CHART_HEIGHT: u32 = 420;
/// Hidden: the targets chart's category labels.
const LABEL_COL: u16 = LAST_COL + 2;
/// Hidden: the chart's 预计到期 bars (the projection as a share of the target).
const PROJECTED_COL: u16 = LABEL_COL + 1;

pub(super) fn overview(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    let mut row = title_block(&mut s, r)?;
    // The written analysis is the first page; the figures follow.
    row = narrative_block(&mut s, r, row)?;
    let first_break = row;
    row = headline_block(&mut s, r, row)?;
    row = counts_block(&mut s, r, row)?;
    // The targets, their chart and the composition make the next page.
    s.ws.set_page_breaks(&[first_break, row])?;
    let (next, chart_rows) = targets_block(&mut s, r, row)?;
    composition_block(&mut s, r, next)?;
    if let Some((first, last)) = chart_rows {
        let columns = ChartColumns {
            progress: 6,
            projected: PROJECTED_COL,
            label: LABEL_COL,
        };
        let mut chart = progress_chart(s.name, r, (first, last), &columns);
        chart.set_width(520).set_height(COMPOSITION_CHART_HEIGHT);
        // Beside the composition tallies (columns 0–4).
        s.ws.insert_chart(next + 1, 5, &chart)?;
    }
    s.hide_columns(LABEL_COL, PROJECTED_COL)?;
    s.page_view(LAST_COL);
    s.finish()
}

/// The title, the 示例数据 banner when the returns are samples, and the
/// period and tool; returns the row the first block starts on.
fn title_block(s: &mut Sheet, r: &Report) -> Res<u32> {
    let st = s.st;
    let title = format!("双高协同季度报告 · {}", r.period.label_zh());
    s.merged(0, 0, LAST_COL, &title, &st.title)?;
    s.ws.set_row_height(0, 30)?;
    let mut row = 1;
    if r.is_sample {
        s.merged(row, 0, LAST_COL, SAMPLE_NOTE, &st.banner)?;
        s.ws.set_row_height(row, 24)?;
        row += 1;
    }
    let subtitle = format!(
        "报告期：{} 至 {}　　数据截至：{}　　生成工具：shuanggao {}",
        r.period.start().format("%Y-%m-%d"),
        r.period.end().format("%Y-%m-%d"),
        r.as_of.format("%Y-%m-%d"),
        r.tool_version
    );
    s.merged(row, 0, LAST_COL, &subtitle, &st.subtitle)?;
    Ok(row + 2)
}

/// 综述: the brief's four sections of generated text. Returns the next row.
fn narrative_block(s: &mut Sheet, r: &Report, mut row: u32) -> Res<u32> {
    let st = s.st;
    s.merged(row, 0, LAST_COL, "综述", &st.section)?;
    row += 1;
    for section in &r.narrative.sections {
        s.merged(row, 0, LAST_COL, section.heading.label_zh(), &st.total_text)?;
        row += 1;
        for p in &section.paragraphs {
            s.paragraph(row, 0, LAST_COL, &format!("　　{}", p.text()))?;
            row += 1;
        }
    }
    Ok(row + 1)
}

/// The flows 总览 shows beside each 累计值, in order.
const FLOWS: [FlowMeasure; 6] = FlowMeasure::ALL;

/// 核心指标: each indicator's 累计值 and the quarter's own flows (本季新增
/// and its 环比, 本年累计, 同比), in the unit the brief uses. Returns the
/// next free row.
fn headline_block(s: &mut Sheet, r: &Report, mut row: u32) -> Res<u32> {
    let st = s.st;
    s.merged(row, 0, LAST_COL, "核心指标", &st.section)?;
    row += 1;
    let mut headers = vec!["指标", "单位", "累计值"];
    headers.extend(FLOWS.iter().map(|m| m.label_zh(false)));
    s.headers(row, &headers)?;
    row += 1;
    for h in &r.headlines {
        headline_row(s, r, row, h)?;
        row += 1;
    }
    for note in headline_notes(r) {
        s.note(row, 0, LAST_COL, &note)?;
        row += 1;
    }
    Ok(row + 1)
}

fn headline_row(s: &mut Sheet, r: &Report, row: u32, h: &Headline) -> Res {
    let st = s.st;
    let scale = r.scale_of(&h.code, &h.unit);
    let kind = if scale.is_converted() {
        Num::Fixed(scale.decimals.min(6) as u8)
    } else {
        Num::for_scale(&scale, [h.figure.value])
    };
    s.text(row, 0, &h.name)?;
    s.text_as(row, 1, &scale.unit, &st.center)?;
    s.num(row, 2, scale.of(h.figure.value), kind)?;
    for (col, m) in (3u16..).zip(FLOWS) {
        // A stock's growth rate would be the growth of its change of level.
        let v = h.flows.get(m).filter(|_| !(m.is_ratio() && h.flows.stock));
        if m.is_ratio() {
            s.num_or_dash(row, col, v, Num::Pct)?;
        } else {
            s.num_or_dash(row, col, v.map(|v| scale.of(v)), kind)?;
        }
    }
    Ok(())
}

/// What the core indicators' columns mean; the stock indicators by name;
/// the carried zones in the totals.
fn headline_notes(r: &Report) -> Vec<String> {
    let stocks: Vec<&str> = r
        .indicators
        .iter()
        .filter(|i| i.stock)
        .map(|i| i.name.as_str())
        .collect();
    let mut notes = vec![
        "注：累计值为试点以来累计；本季新增为有本季度已采用报表的高新区的本季度累计值 − 上季度累计值；\
         本年累计新增为本年以来的新增；“—”表示无数据或无可比基数。"
            .to_string(),
    ];
    notes.extend(r.panels.notes_zh(&r.flow_rules));
    if !stocks.is_empty() {
        notes.push(format!(
            "注：{}为时点指标，累计值为季度末数，“新增”各列为较上季度末（上年末）的增减，不计算环比、同比。",
            stocks.join("、")
        ));
    }
    if r.counts.zones_carried > 0 {
        notes.push(format!(
            "注：全省数含沿用上期数据的高新区 {} 个（见“分区”表）。",
            r.counts.zones_carried
        ));
    }
    notes
}

/// 报送与数据: files received and what became of them, zones by where
/// their figures come from, who takes part. Returns the next free row.
fn counts_block(s: &mut Sheet, r: &Report, mut row: u32) -> Res<u32> {
    let st = s.st;
    s.merged(row, 0, LAST_COL, "报送与数据", &st.section)?;
    row += 1;
    s.header(row, 0, "项目")?;
    s.header(row, 1, "数量")?;
    s.header_span((row, 2), (row, LAST_COL), "说明")?;
    row += 1;
    for (label, n, note) in count_rows(r) {
        s.text(row, 0, label)?;
        s.count(row, 1, n)?;
        s.merged(row, 2, LAST_COL, &note, &st.text)?;
        row += 1;
    }
    Ok(row + 1)
}

fn count_rows(r: &Report) -> Vec<(&'static str, usize, String)> {
    let c = &r.counts;
    let p = &r.participation;
    let mut rows = vec![
        ("收到文件", c.files, "本季度收到的报表文件".to_string()),
        (
            "采用的报表",
            c.returns_accepted,
            "通过审核、数据已采用".into(),
        ),
        (
            Verdict::SentBack.label_zh(),
            c.returns_sent_back,
            "有错误，已退回填报单位修改".into(),
        ),
        (
            Verdict::Superseded.label_zh(),
            c.returns_superseded,
            "同一高新区报送了更新版本，旧版本不再使用".into(),
        ),
        (
            "无法读取",
            c.files_unreadable,
            "文件损坏或格式不符，无法读取".into(),
        ),
        (
            "本期数据的高新区",
            c.zones_fresh,
            "本季度有采用的报表".into(),
        ),
        (
            "沿用上期的高新区",
            c.zones_carried,
            "本季度无采用的报表，沿用最近一次采用的数据".into(),
        ),
        (
            "无数据的高新区",
            c.zones_without_data,
            "尚无采用的报表".into(),
        ),
        (
            "合作高校",
            p.universities_active,
            "高校名录中本季度有合作项目或共建平台的高校".into(),
        ),
    ];
    if !p.unverified_universities.is_empty() {
        let names: Vec<&str> = p
            .unverified_universities
            .iter()
            .map(|u| u.name.as_str())
            .collect();
        rows.push((
            "待核实的高校名称",
            names.len(),
            format!(
                "{}：不在高校名录中，未计入合作高校（见“高校”表）",
                names.join("、")
            ),
        ));
    }
    rows
}

/// 三、目标进度: the targets at a glance, statuses coloured, the method
/// beneath (the detail is on 目标进度). Returns the next free row and the
/// rows of the targets (for the chart).
fn targets_block(s: &mut Sheet, r: &Report, mut row: u32) -> Res<(u32, Option<(u32, u32)>)> {
    let st = s.st;
    let title = format!("{}年目标进度", r.horizon.year);
    s.merged(row, 0, LAST_COL, &title, &st.section)?;
    row += 1;
    let headers = [
        "目标",
        "范围",
        "单位",
        "当前值口径",
        "当前值",
        "目标值",
        "完成进度",
        "预计到期值",
        "状态",
        "备注",
    ];
    s.headers(row, &headers)?;
    row += 1;
    let first = row;
    for t in &r.targets {
        let (scale, kind) = target_scale(r, t, false);
        s.text(row, 0, &t.name)?;
        s.text(row, 1, t.scope.label_zh())?;
        s.text_as(row, 2, &scale.unit, &st.center)?;
        s.text_as(row, 3, &t.value_basis().label_zh(), &st.center)?;
        s.num(row, 4, scale.of(t.value), kind)?;
        s.num(row, 5, scale.of(t.target), kind)?;
        s.num(row, 6, t.progress, Num::PctWhole)?;
        let projection = t.is_paced().then(|| scale.of(t.projection));
        s.num_or_dash(row, 7, projection, kind)?;
        s.text_as(row, 8, t.status.label_zh(), &st.center)?;
        s.wrap(row, 9, &remarks(t))?;
        s.ws.write_string(row, LABEL_COL, chart_label(t))?;
        s.opt_num(row, PROJECTED_COL, t.projected_share(), Num::PctWhole)?;
        row += 1;
    }
    let last = row.saturating_sub(1);
    s.tones(first, last, 8, target_tones())?;
    s.note(row, 0, LAST_COL, &r.targets_note())?;
    row += 1;
    let chart = (!r.targets.is_empty()).then_some((first, last));
    Ok((row + 1, chart))
}

/// 项目与平台构成: what the projects and platforms are, two tallies side
/// by side per band (columns 0–1 and 3–4). Returns the next free row.
fn composition_block(s: &mut Sheet, r: &Report, mut row: u32) -> Res<u32> {
    // The section title spans only the tallies: the chart sits beside them.
    let st = s.st;
    s.merged(row, 0, 4, "项目与平台构成", &st.section)?;
    row += 1;
    let groups = [
        ("项目类别", "项目数", &r.projects_by_category),
        ("项目状态", "项目数", &r.projects_by_status),
        ("平台类型", "平台数", &r.platforms_by_type),
        ("平台级别", "平台数", &r.platforms_by_level),
    ];
    for band in groups.chunks(2) {
        let mut bottom = row;
        for (i, (label, count, tallies)) in band.iter().enumerate() {
            let col = (i * 3) as u16;
            s.headers_at(row, col, &[label, count])?;
            for (k, t) in tallies.iter().enumerate() {
                let r_ = row + 1 + k as u32;
                s.text(r_, col, &t.label)?;
                s.count(r_, col + 1, t.count)?;
                bottom = bottom.max(r_);
            }
        }
        row = bottom + 2;
    }
    Ok(row)
}
