//! 分区 and 分市: the zones and the cities with every indicator, the key
//! ones with the quarter's own flow, and the province 合计 beneath; 分区's
//! bar charts of the zones.
//!
//! Every figure is shown in its indicator's scale (万元 as 亿元, exact to the
//! 万元), the unit stated once in the header. A carried zone's figures are
//! in the totals and marked: its 数据来源 says 沿用上期, its flows read `—`,
//! the notes name it and its bars are pale.

use std::collections::BTreeMap;

use rust_xlsxwriter::{
    Chart, ChartAxisCrossing, ChartDataLabel, ChartFormat, ChartPoint, ChartSolidFill, ChartType,
    Worksheet,
};

use super::grid::{basis_label, basis_tones, Sheet};
use crate::format::Scale;
use crate::render::palette::{WORKBOOK_REFERENCE, WORKBOOK_SERIES, WORKBOOK_SERIES_CARRIED};
use crate::render::xlsx::{label_font, new_chart, rows_for, Num, Res};
use crate::report::rank::Cut;
use crate::report::{
    Basis, Change, FlowBasis, FlowMeasure, Flows, IndicatorInfo, Ranking, Report, Role, ZoneRow,
};

/// One indicator's columns: its 累计值 at `col`; a key indicator also has
/// 本季新增 and its 环比 after it.
struct Block<'r> {
    info: &'r IndicatorInfo,
    scale: Scale,
    col: u16,
    with_flows: bool,
    num: Num,
}

impl Block<'_> {
    fn width(&self) -> u16 {
        if self.with_flows {
            3
        } else {
            1
        }
    }

    fn last_col(&self) -> u16 {
        self.col + self.width() - 1
    }
}

/// The blocks of `indicators` from `first_col`, `key` ones with flows; the
/// number format of each fits the figures of `rows`.
fn blocks<'r>(
    indicators: &[&'r IndicatorInfo],
    key: Role,
    first_col: u16,
    rows: &[&BTreeMap<String, Change>],
) -> Vec<Block<'r>> {
    let mut col = first_col;
    indicators
        .iter()
        .map(|info| {
            let scale = info.scale();
            let values = rows
                .iter()
                .filter_map(|f| f.get(&info.code))
                .map(|c| c.value);
            let block = Block {
                info,
                num: Num::for_scale(&scale, values),
                scale,
                col,
                with_flows: info.has(key),
            };
            col += block.width();
            block
        })
        .collect()
}

/// The two header rows of the blocks: the indicator with its unit over
/// 累计值, 本季新增, 本季新增环比.
fn block_headers(s: &mut Sheet, blocks: &[Block]) -> Res {
    for b in blocks {
        s.keep_together(b.col, b.last_col());
        let label = b.info.label_with_unit();
        if !b.with_flows {
            s.header_span((0, b.col), (1, b.col), &label)?;
            continue;
        }
        s.header_span((0, b.col), (0, b.last_col()), &label)?;
        s.header(1, b.col, "累计值")?;
        s.header(
            1,
            b.col + 1,
            FlowMeasure::ThisQuarter.label_zh(b.info.stock),
        )?;
        let growth = FlowMeasure::QuarterOnQuarter.label_zh(b.info.stock);
        s.header(1, b.col + 2, growth)?;
    }
    Ok(())
}

/// One row's figures; a missing figure or flow is a dash.
fn block_cells(
    s: &mut Sheet,
    row: u32,
    blocks: &[Block],
    figures: &BTreeMap<String, Change>,
    flows: &BTreeMap<String, Flows>,
) -> Res {
    for b in blocks {
        let value = figures.get(&b.info.code).map(|c| b.scale.of(c.value));
        s.num_or_dash(row, b.col, value, b.num)?;
        if b.with_flows {
            let flow = flows.get(&b.info.code);
            let added = flow.and_then(|f| f.this_quarter).map(|v| b.scale.of(v));
            s.num_or_dash(row, b.col + 1, added, b.num)?;
            let growth = flow.and_then(|f| f.quarter_on_quarter);
            s.num_or_dash(row, b.col + 2, growth, Num::Pct)?;
        }
    }
    Ok(())
}

/// The 合计 row: the province figures (carried figures included).
fn block_totals(s: &mut Sheet, row: u32, blocks: &[Block], r: &Report) -> Res {
    for b in blocks {
        let headline = r.headline(&b.info.code);
        let value = headline.map(|h| b.scale.of(h.figure.value));
        s.total(row, b.col, value, b.num)?;
        if b.with_flows {
            let flows = headline.map(|h| h.flows);
            let added = flows.and_then(|f| f.this_quarter).map(|v| b.scale.of(v));
            s.total(row, b.col + 1, added, b.num)?;
            let growth = flows.and_then(|f| f.quarter_on_quarter);
            s.total(row, b.col + 2, growth, Num::Pct)?;
        }
    }
    Ok(())
}

/// Notes under a table, each on its own merged row; returns the next row.
fn notes(s: &mut Sheet, mut row: u32, last_col: u16, notes: &[String]) -> Res<u32> {
    for note in notes {
        s.note(row, 0, last_col, note)?;
        row += 1;
    }
    Ok(row)
}

/// What every table of figures says beneath it: units, flows, carried zones.
fn common_notes(r: &Report, blocks: &[Block]) -> Vec<String> {
    let mut notes = Vec::new();
    let converted: Vec<&Block> = blocks.iter().filter(|b| b.scale.is_converted()).collect();
    if let Some(b) = converted.first() {
        notes.push(format!(
            "注：金额以{}为单位（1 {} = {} {}），保留{}位小数，即精确到{}。",
            b.scale.unit,
            b.scale.unit,
            crate::format::group_thousands(b.scale.divisor),
            b.info.unit,
            b.scale.exact_decimals(),
            b.info.unit
        ));
    }
    notes.push(format!(
        "注：累计值为{}累计（时点指标为季度末数）；本季新增为有本季度已采用报表的高新区的\
         本季度累计值 − 上季度累计值（时点指标为本季增减）；“—”表示无数据或无可比基数。",
        r.since_zh()
    ));
    notes.extend(r.panels.notes_zh(&r.flow_rules));
    if let Some(note) = carried_note(r) {
        notes.push(note);
    }
    notes
}

/// Names the carried zones whose figures the totals include.
fn carried_note(r: &Report) -> Option<String> {
    let carried: Vec<String> = r
        .zones
        .iter()
        .filter(|z| z.basis == Basis::Carried)
        .map(|z| {
            basis_label(z.basis, z.source_period).replacen(Basis::Carried.label_zh(), &z.name, 1)
        })
        .collect();
    (!carried.is_empty()).then(|| {
        format!(
            "注：{}本季度无采用的报表，沿用上期数据计入累计值和合计，本季新增记为“—”。",
            carried.join("、")
        )
    })
}

/// 数据来源 of a zone: the basis, and what 本季新增 covers when it is not
/// just this quarter.
fn zone_basis(z: &ZoneRow) -> String {
    let label = basis_label(z.basis, z.source_period);
    let flow = z.flows.values().next().map(|f| f.basis);
    match flow {
        Some(basis @ (FlowBasis::Since(_) | FlowBasis::FirstReport)) => {
            format!("{label}（本季新增{}）", basis.note_zh(false))
        }
        _ => label,
    }
}

/// 分区: the zones in rank order, the 合计 and the notes.
pub(super) fn zones(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    for (col, label) in [
        (0u16, "排名"),
        (1, "高新区"),
        (2, "城市"),
        (3, "级别"),
        (4, "数据来源"),
    ] {
        s.header_span((0, col), (1, col), label)?;
    }
    let indicators: Vec<&IndicatorInfo> = r.indicators.iter().collect();
    let rows: Vec<&BTreeMap<String, Change>> = r.zones.iter().map(|z| &z.figures).collect();
    let blocks = blocks(&indicators, Role::Headline, 5, &rows);
    block_headers(&mut s, &blocks)?;
    let last_col = blocks.last().map_or(4, Block::last_col);

    let mut row = 2;
    for z in &r.zones {
        s.num_or_dash(row, 0, z.rank.map(|n| n as f64), Num::Int)?;
        s.text(row, 1, &z.name)?;
        s.text(row, 2, &z.city)?;
        s.text(row, 3, &z.level)?;
        s.text(row, 4, &zone_basis(z))?;
        block_cells(&mut s, row, &blocks, &z.figures, &z.flows)?;
        row += 1;
    }
    basis_tones(&mut s, 2, row - 1, 4)?;
    if row > 2 {
        s.ws.autofilter(1, 0, row - 1, last_col)?;
    }
    total_row(&mut s, row, &blocks, r, (1, 4))?;
    let notes_at = row + 1;
    let mut all_notes = common_notes(r, &blocks);
    if let Some(rank) = r.rank_indicator() {
        all_notes.insert(0, format!("注：{}", r.ranking_note(&rank.code)));
    }
    notes(&mut s, notes_at, last_col.min(16), &all_notes)?;
    s.table_view(2, 2, last_col)?;
    s.finish()
}

/// 分区图表: a bar chart of the zones per `zone_chart` indicator, in the
/// order of its ranking, and one of their composite scores (综合评价),
/// carried zones pale and named so. On a sheet of its
/// own, so the wide 分区 table prints across pages without cutting a chart;
/// the charts read their data from hidden columns beside them.
pub(super) fn zone_charts(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    let st = s.st;
    s.merged(0, 0, CHART_COLS - 1, "各高新区主要指标排序图", &st.section)?;
    let mut anchor = 2;
    let mut col = DATA_COL;
    // Each chart starts a printed page, so none is cut by a page break, and
    // its notes follow it.
    let mut breaks = Vec::new();
    let mut place = |s: &mut Sheet, (chart, height): (Chart, u32), notes: Vec<String>| -> Res {
        if anchor > 2 {
            breaks.push(anchor);
        }
        s.ws.insert_chart(anchor, 0, &chart)?;
        anchor += rows_for(height);
        for note in notes {
            s.note(anchor, 0, CHART_COLS - 1, &format!("注：{note}。"))?;
            anchor += 1;
        }
        anchor += 1;
        Ok(())
    };
    for (series, info) in r.with_role(Role::ZoneChart).enumerate() {
        let Some(ranking) = r.ranking(&info.code).filter(|k| !k.zones.is_empty()) else {
            continue;
        };
        let chart = ranking_chart(&mut s, (ranking, r.period), info, col, series)?;
        let notes = chart_notes(ranking.cut(), "分区", ranking.joined_zh());
        place(&mut s, chart, notes)?;
        col += 2;
    }
    let (scored, cut) = r.scorecard.cut();
    if !scored.is_empty() {
        let series = r.with_role(Role::ZoneChart).count();
        let chart = scorecard_chart(&mut s, r, col, series)?;
        place(&mut s, chart, chart_notes(cut, "综合评价", None))?;
        col += 2;
    }
    if !breaks.is_empty() {
        s.ws.set_page_breaks(&breaks)?;
    }
    if col > DATA_COL {
        s.hide_columns(DATA_COL, col - 1)?;
    }
    if let Some(note) = carried_note(r) {
        s.note(anchor, 0, CHART_COLS - 1, &note)?;
    }
    s.table_view(0, 0, CHART_COLS - 1)?;
    s.finish()
}

/// What a chart of the zones says beneath it: what it leaves out and where
/// the whole ranking is (the sheet `whole`), and who joined later.
fn chart_notes(cut: Cut, whole: &str, joined: Option<String>) -> Vec<String> {
    let mut notes: Vec<String> = cut
        .note_zh()
        .map(|n| format!("{n}，完整排序见“{whole}”表"))
        .into_iter()
        .collect();
    notes.extend(joined);
    notes
}

/// The columns the charts of 分区图表 cover (at the default width), and
/// the first hidden column of their data.
const CHART_COLS: u16 = 12;
const DATA_COL: u16 = CHART_COLS + 2;

/// The 合计 row: `全省合计` in `label_col`, the carried zones it includes in
/// `basis_col`, the province figures under the blocks.
fn total_row(s: &mut Sheet, row: u32, blocks: &[Block], r: &Report, cols: (u16, u16)) -> Res {
    let (label_col, basis_col) = cols;
    for col in 0..blocks.first().map_or(0, |b| b.col) {
        s.total_text(row, col, "")?;
    }
    s.total_text(row, label_col, "全省合计")?;
    let carried = r.counts.zones_carried;
    let basis = if carried > 0 {
        format!("含沿用上期 {carried} 个")
    } else {
        String::new()
    };
    s.total_text(row, basis_col, &basis)?;
    block_totals(s, row, blocks, r)
}

/// One bar of a chart of the zones: the zone's label, its value as shown
/// and how it is drawn.
struct ZoneBar {
    label: String,
    value: f64,
    look: Look,
}

/// How a bar of the zones is drawn.
#[derive(Clone, Copy, PartialEq)]
enum Look {
    Fresh,
    /// Figures carried forward: pale.
    Carried,
    /// Several zones at their mean: grey.
    Rest,
}

impl ZoneBar {
    /// A zone's bar, its place before its name; a carried zone's or a new
    /// one's label says so.
    fn new(name: &str, rank: usize, value: f64, basis: Basis, note: Option<String>) -> ZoneBar {
        ZoneBar {
            label: match note {
                Some(note) => format!("{rank}. {name}（{note}）"),
                None => format!("{rank}. {name}"),
            },
            value,
            look: if basis == Basis::Carried {
                Look::Carried
            } else {
                Look::Fresh
            },
        }
    }

    /// The bars of a ranking as `cut` shows it: the first zones, the rest
    /// as one grey bar at their mean, the last zones.
    fn cut<T>(ranked: &[T], cut: &Cut, bar: impl Fn(&T) -> ZoneBar) -> Vec<ZoneBar> {
        let mut bars: Vec<ZoneBar> = ranked[..cut.first].iter().map(&bar).collect();
        if let Some(r) = &cut.rest {
            bars.push(ZoneBar {
                label: format!("{}（{}，平均）", r.label_zh(), r.ranks_zh()),
                value: r.mean,
                look: Look::Rest,
            });
            bars.extend(ranked[ranked.len() - cut.last..].iter().map(&bar));
        }
        bars
    }
}

/// The chart of one ranking (and its height in pixels), its data written
/// in columns `col`, `col + 1` from row 1 (the header row 0 names the
/// series).
fn ranking_chart(
    s: &mut Sheet,
    (ranking, period): (&Ranking, crate::model::Period),
    info: &IndicatorInfo,
    col: u16,
    series: usize,
) -> Res<(Chart, u32)> {
    let scale = &info.scale();
    let title = format!("各高新区{}", info.label_with_unit());
    let num = Num::for_scale(scale, ranking.zones.iter().map(|z| z.value));
    let bars = ZoneBar::cut(&ranking.zones, &ranking.cut(), |z| {
        let note = z.note_zh(period);
        ZoneBar::new(&z.name, z.rank, z.value, z.basis, note)
    });
    let bars: Vec<ZoneBar> = bars
        .into_iter()
        .map(|b| ZoneBar {
            value: scale.of(b.value),
            ..b
        })
        .collect();
    bar_chart(s, &title, &bars, num, (col, series))
}

/// The zones by composite score (综合评价), as ranked.
fn scorecard_chart(s: &mut Sheet, r: &Report, col: u16, series: usize) -> Res<(Chart, u32)> {
    let (scored, cut) = r.scorecard.cut();
    let bars = ZoneBar::cut(&scored, &cut, |z| {
        let note = match z.basis {
            Basis::Carried => Some(Basis::Carried.label_zh().to_string()),
            _ => z.entry.then(|| "本季新加入".to_string()),
        };
        let rank = z.rank.unwrap_or_default();
        ZoneBar::new(&z.name, rank, z.score.unwrap_or_default(), z.basis, note)
    });
    bar_chart(s, SCORECARD_TITLE, &bars, Num::Fixed(2), (col, series))
}

/// The title of the scorecard's chart.
const SCORECARD_TITLE: &str = "各高新区综合评价得分";

/// Horizontal bars in the order given, first on top, each labelled; the
/// data in columns `col`, `col + 1`, coloured as the `series`-th chart.
/// The chart and its height in pixels.
fn bar_chart(
    s: &mut Sheet,
    title: &str,
    bars: &[ZoneBar],
    num: Num,
    (col, series): (u16, usize),
) -> Res<(Chart, u32)> {
    s.ws.write_string(0, col, "高新区")?;
    s.ws.write_string(0, col + 1, title)?;
    let mut points = Vec::new();
    let colour = WORKBOOK_SERIES[series % WORKBOOK_SERIES.len()];
    let pale = WORKBOOK_SERIES_CARRIED[series % WORKBOOK_SERIES_CARRIED.len()];
    for (row, b) in (1u32..).zip(bars) {
        s.ws.write_string(row, col, &b.label)?;
        s.ws.write_number_with_format(row, col + 1, b.value, s.st.num(num))?;
        let mut fill = ChartSolidFill::new();
        fill.set_color(match b.look {
            Look::Fresh => colour,
            Look::Carried => pale,
            Look::Rest => WORKBOOK_REFERENCE,
        });
        let mut format = ChartFormat::new();
        format.set_solid_fill(&fill);
        points.push(ChartPoint::new().set_format(&mut format));
    }
    let last = bars.len() as u32;
    let mut chart = new_chart(ChartType::Bar, title);
    let mut labels = ChartDataLabel::new();
    labels.show_value().set_font(&label_font());
    chart
        .add_series()
        .set_name(title)
        .set_categories((s.name, 1, col, last, col))
        .set_values((s.name, 1, col + 1, last, col + 1))
        .set_format(ChartSolidFill::new().set_color(colour))
        .set_points(&points)
        .set_data_label(&labels);
    // In a bar chart y is the category axis: first row on top, values below.
    chart
        .y_axis()
        .set_reverse()
        .set_crossing(ChartAxisCrossing::Max);
    chart.x_axis().set_num_format(num.code());
    chart.legend().set_hidden();
    chart.show_hidden_data();
    let height = bar_height(last);
    chart.set_width(720).set_height(height);
    Ok((chart, height))
}

/// The height of a bar chart of `n` bars, in pixels: at most the
/// [`MAX_BARS`](crate::report::rank::MAX_BARS) bars of a cut chart print
/// on one A4 landscape page at 100 %.
fn bar_height(n: u32) -> u32 {
    (80 + 20 * n).clamp(300, 600)
}

/// 分市: the cities with their zones' totals, the `trend` indicators first
/// and with flows, then the 合计.
pub(super) fn cities(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    let heads = [
        (0u16, "城市"),
        (1, "高新区数"),
        (2, "有数据的高新区"),
        (3, "其中沿用上期"),
    ];
    for (col, label) in heads {
        s.header_span((0, col), (1, col), label)?;
    }
    let mut indicators: Vec<&IndicatorInfo> = r.indicators.iter().collect();
    // The key indicators first, then the rest in catalogue order.
    indicators.sort_by_key(|i| !i.has(Role::Trend));
    let rows: Vec<&BTreeMap<String, Change>> = r.cities.iter().map(|c| &c.figures).collect();
    let blocks = blocks(&indicators, Role::Trend, 4, &rows);
    block_headers(&mut s, &blocks)?;
    let last_col = blocks.last().map_or(3, Block::last_col);
    let mut row = 2;
    for c in &r.cities {
        s.text(row, 0, &c.city)?;
        s.count(row, 1, c.zones)?;
        s.count(row, 2, c.zones_with_data)?;
        if c.zones_carried.is_empty() {
            s.count(row, 3, 0)?;
        } else {
            s.text(
                row,
                3,
                &format!(
                    "{}（{}）",
                    c.zones_carried.len(),
                    c.zones_carried.join("、")
                ),
            )?;
        }
        block_cells(&mut s, row, &blocks, &c.figures, &c.flows)?;
        row += 1;
    }
    if row > 2 {
        s.ws.autofilter(1, 0, row - 1, last_col)?;
    }
    city_total_row(&mut s, row, &blocks, r)?;
    notes(&mut s, row + 1, last_col.min(16), &common_notes(r, &blocks))?;
    s.table_view(2, 1, last_col)?;
    s.finish()
}

/// 分市's 合计: every city's zones together, as the province figures.
fn city_total_row(s: &mut Sheet, row: u32, blocks: &[Block], r: &Report) -> Res {
    s.total_text(row, 0, "全省合计")?;
    let counts = [
        r.zones.len(),
        r.participation.zones_with_data,
        r.counts.zones_carried,
    ];
    for (col, n) in (1u16..).zip(counts) {
        s.total(row, col, Some(n as f64), Num::Count)?;
    }
    block_totals(s, row, blocks, r)
}
