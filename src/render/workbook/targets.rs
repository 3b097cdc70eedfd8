//! 目标进度: every target in full, the method beneath it, then a chart of
//! progress against time. Also what 总览's targets block shares with it.

use rust_xlsxwriter::{
    Chart, ChartAxisCrossing, ChartDataLabel, ChartLegendPosition, ChartSolidFill, ChartType,
    Worksheet,
};

use super::grid::Sheet;
use crate::format::Scale;
use crate::model::Tone;
use crate::render::palette;
use crate::render::xlsx::{label_font, new_chart, Num, Res};
use crate::report::{Report, TargetProgress, TargetStatus};

/// The note beside an annual target whose baseline is a sample value.
pub(super) const SAMPLE_BASELINE: &str = "示例基线";

/// Where a target's figures sit in a table: the columns of 完成进度 and
/// of 预计到期 as a share of the target (the chart's bars: the status
/// follows from the second) and of the chart's category labels.
pub(super) struct ChartColumns {
    pub progress: u16,
    pub projected: u16,
    pub label: u16,
}

pub(super) fn target_tones() -> impl Iterator<Item = (&'static str, Tone)> {
    TargetStatus::ALL
        .into_iter()
        .map(|s| (s.label_zh(), s.tone()))
}

/// A target's figures in the unit readers see (万元 as 亿元): the scale and
/// the format its row shares; `exact` keeps every 万元 (tables), otherwise
/// the leaders' rounding (总览).
pub(super) fn target_scale(r: &Report, t: &TargetProgress, exact: bool) -> (Scale, Num) {
    let scale = r.scale_of(&t.metric, &t.unit);
    let figures = [t.value, t.target, t.projection];
    let num = if scale.is_converted() && !exact {
        Num::Fixed(scale.decimals.min(6) as u8)
    } else {
        Num::for_scale(&scale, figures.into_iter().chain(t.baseline))
    };
    (scale, num)
}

/// The format of a pace per quarter: counts to a tenth, so that no
/// rounding prints a pace that would miss the target (`format::pace`).
pub(super) fn pace_num(scale: &Scale, num: Num) -> Num {
    if scale.is_converted() {
        num
    } else {
        Num::Fixed(1)
    }
}

/// What the 备注 column says: a sample baseline, a projection below its
/// current value and why.
pub(super) fn remarks(t: &TargetProgress) -> String {
    let mut notes: Vec<&str> = Vec::new();
    if t.baseline_is_sample {
        notes.push(SAMPLE_BASELINE);
    }
    if let Some(note) = t.projection_note() {
        notes.push(note);
    }
    notes.join("；")
}

/// The chart's label of a target: `范围·目标`.
pub(super) fn chart_label(t: &TargetProgress) -> String {
    format!("{}·{}", t.scope.label_zh(), t.name)
}

const HEADERS: [&str; 18] = [
    "范围",
    "指标",
    "单位",
    "类型",
    "到期",
    "当前值口径",
    "当前值",
    "目标值",
    "完成进度",
    "时间进度",
    "预计到期值",
    "每季度需新增",
    "计入的季度数",
    "状态",
    "推算方法",
    "基线",
    "备注",
    "依据/来源",
];
const STATUS_COL: u16 = 13;
const REMARKS_COL: u16 = 16;
const LAST_COL: u16 = 17;
/// Hidden: the chart's category labels …
const LABEL_COL: u16 = LAST_COL + 2;
/// … and its 预计到期 bars.
const PROJECTED_COL: u16 = LABEL_COL + 1;

pub(super) fn targets(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    s.headers(0, &HEADERS)?;
    for (row, t) in (1u32..).zip(&r.targets) {
        target_row(&mut s, r, row, t)?;
        s.ws.write_string(row, LABEL_COL, chart_label(t))?;
        s.opt_num(row, PROJECTED_COL, t.projected_share(), Num::PctWhole)?;
    }
    let last = r.targets.len() as u32;
    s.tones(1, last, STATUS_COL, target_tones())?;
    s.tones(1, last, REMARKS_COL, [(SAMPLE_BASELINE, Tone::Warn)])?;
    s.hide_columns(LABEL_COL, PROJECTED_COL)?;
    if last > 0 {
        s.ws.autofilter(0, 0, last, LAST_COL)?;
    }
    s.note(last + 1, 0, 12, &r.targets_note())?;
    // Long texts wrap in set widths, so the table prints two pages across.
    for (col, width) in [
        (1u16, 20.0),
        (14, 16.0),
        (REMARKS_COL, 18.0),
        (LAST_COL, 28.0),
    ] {
        s.fixed_width(col, width);
    }
    s.table_view(1, 2, LAST_COL)?;
    if !r.targets.is_empty() {
        let columns = ChartColumns {
            progress: 8,
            projected: PROJECTED_COL,
            label: LABEL_COL,
        };
        let chart = progress_chart(s.name, r, (1, last), &columns);
        // On a page of its own, right of the repeated columns (so printing
        // neither cuts nor repeats it).
        s.ws.set_page_breaks(&[last + 3])?;
        s.ws.insert_chart(last + 3, 2, &chart)?;
    }
    s.finish()
}

/// One target's row of 目标进度.
fn target_row(s: &mut Sheet, r: &Report, row: u32, t: &TargetProgress) -> Res {
    let st = s.st;
    let (scale, kind) = target_scale(r, t, true);
    s.text(row, 0, t.scope.label_zh())?;
    s.wrap(row, 1, &t.name)?;
    s.text_as(row, 2, &scale.unit, &st.center)?;
    s.text_as(row, 3, t.kind.label_zh(), &st.center)?;
    s.text_as(row, 4, &t.due.label_zh(), &st.center)?;
    s.text_as(row, 5, &t.value_basis().label_zh(), &st.center)?;
    s.num(row, 6, scale.of(t.value), kind)?;
    s.num(row, 7, scale.of(t.target), kind)?;
    s.num(row, 8, t.progress, Num::PctWhole)?;
    s.num_or_dash(row, 9, t.time_applies().then_some(t.elapsed), Num::PctWhole)?;
    let paced = t.is_paced();
    s.num_or_dash(row, 10, paced.then(|| scale.of(t.projection)), kind)?;
    let pace = paced.then(|| scale.of(t.needed_per_quarter));
    s.num_or_dash(row, 11, pace, pace_num(&scale, kind))?;
    let quarters = paced.then_some(f64::from(t.pace_quarters));
    s.num_or_dash(row, 12, quarters, Num::Int)?;
    s.text_as(row, STATUS_COL, t.status.label_zh(), &st.center)?;
    s.wrap(row, 14, &t.method_zh())?;
    s.opt_num(row, 15, t.baseline.map(|b| scale.of(b)), kind)?;
    s.wrap(row, REMARKS_COL, &remarks(t))?;
    s.wrap(row, LAST_COL, &t.source)?;
    Ok(())
}

/// Bars of 完成进度 beside grey bars of 预计到期 (as a share of the target,
/// which decides the status: 正常 at 100 %, 关注 from 90 %), both labelled,
/// read from the rows `first..=last` of `sheet`, labelled `范围·目标` from
/// `columns.label`; a milestone has no 预计到期 bar.
pub(super) fn progress_chart(
    sheet: &str,
    r: &Report,
    (first, last): (u32, u32),
    columns: &ChartColumns,
) -> Chart {
    let n = r.targets.len() as u32;
    let categories = (sheet, first, columns.label, last, columns.label);
    let title = format!("{}年目标完成进度与预计到期", r.horizon.year);
    let mut chart = new_chart(ChartType::Bar, &title);
    let mut labels = ChartDataLabel::new();
    labels
        .show_value()
        .set_num_format("0%")
        .set_font(&label_font());
    let bars = [
        (
            columns.progress,
            "完成进度",
            palette::WORKBOOK_SERIES[0],
            true,
        ),
        (
            columns.projected,
            "预计到期（占目标）",
            palette::WORKBOOK_REFERENCE,
            true,
        ),
    ];
    for (col, name, color, with_labels) in bars {
        let series = chart.add_series();
        series
            .set_name(name)
            .set_categories(categories)
            .set_values((sheet, first, col, last, col))
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
    chart.show_hidden_data();
    chart
        .set_width(600)
        .set_height((120 + 46 * n).clamp(300, 1000));
    chart
}
