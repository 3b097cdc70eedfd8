//! 总览 (the page leaders read) and 目标进度.

use rust_xlsxwriter::{
    Chart, ChartAxisCrossing, ChartDataLabel, ChartLegendPosition, ChartSolidFill, ChartType,
    Worksheet,
};

use super::grid::Sheet;
use super::SAMPLE_NOTE;
use crate::model::{Tone, Verdict};
use crate::render::palette;
use crate::render::xlsx::{all_whole, label_font, new_chart, Num, Res};
use crate::report::{Headline, Report, TargetProgress, TargetStatus};

/// 总览's last column: titles and notes span the sheet up to it.
const LAST_COL: u16 = 7;

/// The note beside an annual target whose baseline is a sample value.
const SAMPLE_BASELINE: &str = "示例基线";

fn target_tones() -> impl Iterator<Item = (&'static str, Tone)> {
    TargetStatus::ALL
        .into_iter()
        .map(|s| (s.label_zh(), s.tone()))
}

/// The number format a target's figures share (one unit per row).
fn target_num(t: &TargetProgress) -> Num {
    let figures = [t.value, t.target, t.projection, t.needed_per_quarter];
    Num::for_unit(&t.unit, all_whole(figures.into_iter().chain(t.baseline)))
}

fn sample_baseline_note(t: &TargetProgress) -> &'static str {
    if t.baseline_is_sample {
        SAMPLE_BASELINE
    } else {
        ""
    }
}

/// 总览: title, then four blocks a leader reads top-down, printed on one page.
pub(super) fn overview(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    let mut row = title_block(&mut s, r)?;
    row = headline_block(&mut s, r, row)?;
    row = counts_block(&mut s, r, row)?;
    row = targets_block(&mut s, r, row)?;
    composition_block(&mut s, r, row)?;
    // Leaders print 总览 on one page.
    s.ws.set_landscape().set_print_fit_to_pages(1, 1);
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
        "报告期：{} 至 {}　　生成工具：shuanggao {}",
        r.period.start().format("%Y-%m-%d"),
        r.period.end().format("%Y-%m-%d"),
        r.tool_version
    );
    s.merged(row, 0, LAST_COL, &subtitle, &st.subtitle)?;
    Ok(row + 2)
}

/// 一、核心指标: each headline figure beside last quarter's; a large amount
/// in its display unit, with a note saying so. Returns the next free row.
fn headline_block(s: &mut Sheet, r: &Report, mut row: u32) -> Res<u32> {
    let st = s.st;
    s.merged(
        row,
        0,
        LAST_COL,
        "一、核心指标（累计值：流量指标为试点以来累计，时点指标为季度末数）",
        &st.section,
    )?;
    row += 1;
    s.headers(
        row,
        &["指标", "单位", "本季度", "上季度", "环比增减", "环比增长"],
    )?;
    row += 1;
    for h in &r.headlines {
        let f = h.figure;
        let (unit, scale, kind) = match large_unit(r, h) {
            Some(display) => (display.unit.as_str(), display.divisor, Num::Amount),
            None => {
                let whole = all_whole([f.value].into_iter().chain(f.previous));
                (h.unit.as_str(), 1.0, Num::for_unit(&h.unit, whole))
            }
        };
        s.text(row, 0, &h.name)?;
        s.text_as(row, 1, unit, &st.center)?;
        s.num(row, 2, f.value / scale, kind)?;
        dash_or(s, row, 3, f.previous.map(|v| v / scale), kind)?;
        dash_or(s, row, 4, f.delta().map(|v| v / scale), kind.delta())?;
        dash_or(s, row, 5, f.growth(), Num::Pct)?;
        row += 1;
    }
    if let Some(display) = r.headlines.iter().find_map(|h| large_unit(r, h)) {
        let note = format!(
            "注：金额达到 1 {0}的指标以{0}显示（1 {0} = {1} {2}）。",
            display.unit,
            crate::format::group_thousands(display.divisor),
            large_unit_of(r, display)
        );
        s.merged(row, 0, LAST_COL, &note, &st.note)?;
        row += 1;
    }
    Ok(row + 1)
}

/// 二、报送与数据: files received and what became of them, zones by where
/// their figures come from. Returns the next free row.
fn counts_block(s: &mut Sheet, r: &Report, mut row: u32) -> Res<u32> {
    let st = s.st;
    let c = &r.counts;
    s.merged(row, 0, LAST_COL, "二、报送与数据", &st.section)?;
    row += 1;
    s.header(row, 0, "项目")?;
    s.header(row, 1, "数量")?;
    s.header_span((row, 2), (row, LAST_COL), "说明")?;
    row += 1;
    let count_rows: [(&str, usize, &str); 8] = [
        ("收到文件", c.files, "本季度收到的报表文件"),
        ("采用的报表", c.returns_accepted, "通过审核、数据已采用"),
        (
            Verdict::SentBack.label_zh(),
            c.returns_sent_back,
            "有错误，已退回填报单位修改",
        ),
        (
            Verdict::Superseded.label_zh(),
            c.returns_superseded,
            "同一高新区报送了更新版本，旧版本不再使用",
        ),
        (
            "无法读取",
            c.files_unreadable,
            "文件损坏或格式不符，无法读取",
        ),
        ("本期数据的高新区", c.zones_fresh, "本季度有采用的报表"),
        (
            "沿用上期的高新区",
            c.zones_carried,
            "本季度无采用的报表，沿用最近一次采用的数据",
        ),
        (
            "无数据的高新区",
            c.zones_without_data,
            "试点以来尚无采用的报表",
        ),
    ];
    for (label, n, note) in count_rows {
        s.text(row, 0, label)?;
        s.count(row, 1, n)?;
        s.merged(row, 2, LAST_COL, note, &st.text)?;
        row += 1;
    }
    Ok(row + 1)
}

/// 三、2027年目标进度: the targets at a glance, statuses coloured (the
/// detail is on 目标进度). Returns the next free row.
fn targets_block(s: &mut Sheet, r: &Report, mut row: u32) -> Res<u32> {
    let st = s.st;
    s.merged(row, 0, LAST_COL, "三、2027年目标进度", &st.section)?;
    row += 1;
    s.headers(
        row,
        &[
            "目标",
            "范围",
            "单位",
            "当前值",
            "目标值",
            "完成进度",
            "状态",
            "备注",
        ],
    )?;
    row += 1;
    let first = row;
    for t in &r.targets {
        let kind = target_num(t);
        s.text(row, 0, &t.name)?;
        s.text(row, 1, t.scope.label_zh())?;
        s.text_as(row, 2, &t.unit, &st.center)?;
        s.num(row, 3, t.value, kind)?;
        s.num(row, 4, t.target, kind)?;
        s.num(row, 5, t.progress, Num::Pct)?;
        s.text_as(row, 6, t.status.label_zh(), &st.center)?;
        s.text(row, 7, sample_baseline_note(t))?;
        row += 1;
    }
    s.tones(first, row.saturating_sub(1), 6, target_tones())?;
    if r.targets.iter().any(|t| t.baseline_is_sample) {
        s.merged(
            row,
            0,
            LAST_COL,
            "注：标“示例基线”的年度目标，其基线为示例值，不是官方数据。",
            &st.note,
        )?;
        row += 1;
    }
    Ok(row + 1)
}

/// 四、项目与平台构成: what the projects and platforms are, two tallies side
/// by side per band (columns 0–1 and 3–4).
fn composition_block(s: &mut Sheet, r: &Report, mut row: u32) -> Res {
    let st = s.st;
    s.merged(row, 0, LAST_COL, "四、项目与平台构成", &st.section)?;
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
    Ok(())
}

/// A figure, or `—` when there is none (a leader reads a dash, not a blank).
fn dash_or(s: &mut Sheet, row: u32, col: u16, v: Option<f64>, kind: Num) -> Res {
    match v {
        Some(v) => s.num(row, col, v, kind),
        None => {
            let st = s.st;
            s.text_as(row, col, "—", &st.center)
        }
    }
}

/// 目标进度: every target in full, then a chart of progress against time.
pub(super) fn targets(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    s.headers(
        0,
        &[
            "范围",
            "指标",
            "单位",
            "类型",
            "到期",
            "当前值",
            "目标值",
            "完成进度",
            "时间进度",
            "预计到期值",
            "每季度需新增",
            "剩余季度",
            "状态",
            "基线",
            "依据季度数",
            "备注",
            "依据/来源",
        ],
    )?;
    for (row, t) in (1u32..).zip(&r.targets) {
        target_row(&mut s, row, t)?;
    }
    let last = r.targets.len() as u32;
    s.tones(1, last, 12, target_tones())?;
    s.tones(1, last, 15, [(SAMPLE_BASELINE, Tone::Warn)])?;
    s.table_view(1, 2)?;
    s.ws.autofilter(0, 0, last, 16)?;
    if !r.targets.is_empty() {
        let chart = progress_chart(s.name, r, last);
        s.ws.insert_chart(last + 3, 0, &chart)?;
    }
    s.finish()
}

/// One target's row of 目标进度.
fn target_row(s: &mut Sheet, row: u32, t: &TargetProgress) -> Res {
    let st = s.st;
    let kind = target_num(t);
    s.text(row, 0, t.scope.label_zh())?;
    s.text(row, 1, &t.name)?;
    s.text_as(row, 2, &t.unit, &st.center)?;
    s.text_as(row, 3, t.kind.label_zh(), &st.center)?;
    s.text(row, 4, &t.due.label_zh())?;
    s.num(row, 5, t.value, kind)?;
    s.num(row, 6, t.target, kind)?;
    s.num(row, 7, t.progress, Num::Pct)?;
    s.num(row, 8, t.elapsed, Num::Pct)?;
    s.num(row, 9, t.projection, kind)?;
    s.num(row, 10, t.needed_per_quarter, kind)?;
    s.num(row, 11, f64::from(t.quarters_left), Num::Int)?;
    s.text_as(row, 12, t.status.label_zh(), &st.center)?;
    s.opt_num(row, 13, t.baseline, kind)?;
    s.num(row, 14, t.history as f64, Num::Int)?;
    s.text(row, 15, sample_baseline_note(t))?;
    s.wrap(row, 16, &t.source)?;
    Ok(())
}

/// Bars of 完成进度 (labelled) beside grey bars of 时间进度, read from the
/// table of `sheet` (rows 1..=last).
fn progress_chart(sheet: &str, r: &Report, last: u32) -> Chart {
    let n = r.targets.len() as u32;
    let scopes_vary = r.targets.iter().any(|t| t.scope != r.targets[0].scope);
    // One scope: the target names; several: 范围 × 指标 as two levels.
    let first_col: u16 = if scopes_vary { 0 } else { 1 };
    let categories = (sheet, 1u32, first_col, last, 1u16);
    let mut chart = new_chart(ChartType::Bar, "2027年目标完成进度与时间进度");
    let mut labels = ChartDataLabel::new();
    labels
        .show_value()
        .set_num_format("0%")
        .set_font(&label_font());
    let bars = [
        (7u16, palette::WORKBOOK_SERIES[0], true),
        (8, palette::WORKBOOK_REFERENCE, false),
    ];
    for (col, color, with_labels) in bars {
        let series = chart.add_series();
        series
            .set_name((sheet, 0, col))
            .set_categories(categories)
            .set_values((sheet, 1, col, last, col))
            .set_format(ChartSolidFill::new().set_color(color));
        if with_labels {
            series.set_data_label(&labels);
        }
    }
    // In a bar chart y is the category axis: bars read top-down in
    // table order and the value axis stays at the bottom.
    chart
        .y_axis()
        .set_reverse()
        .set_crossing(ChartAxisCrossing::Max);
    chart.x_axis().set_num_format("0%").set_min(0.0);
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart
        .set_width(760)
        .set_height((120 + 46 * n).clamp(300, 1000));
    chart
}

/// The display unit a headline is shown in on 总览, when its figure is
/// large enough (a 万元 amount of 1 亿元 or more shows in 亿元).
fn large_unit<'r>(r: &'r Report, h: &Headline) -> Option<&'r crate::report::DisplayUnit> {
    let display = r.indicator(&h.code)?.display.as_ref()?;
    (h.figure.value.abs() >= display.from).then_some(display)
}

/// The unit a display unit converts from (万元 for 亿元).
fn large_unit_of<'r>(r: &'r Report, display: &crate::report::DisplayUnit) -> &'r str {
    r.indicators
        .iter()
        .find(|i| i.display.as_ref() == Some(display))
        .map_or("", |i| i.unit.as_str())
}
