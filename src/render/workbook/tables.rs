//! 分区, 分市, 高校, 结对, 五个一 and 趋势.

use std::collections::BTreeMap;

use rust_xlsxwriter::{
    ChartAxisCrossing, ChartDataLabel, ChartLegendPosition, ChartLine, ChartMarker, ChartSolidFill,
    ChartType, ConditionalFormatCell, ConditionalFormatCellRule, ConditionalFormatFormula,
    ConditionalFormatText, ConditionalFormatTextRule, Worksheet,
};

use super::grid::{basis_label, header_label, with_unit, yes_no, Sheet};
use crate::model::{column_letters, Tone};
use crate::render::palette::WORKBOOK_SERIES;
use crate::render::xlsx::{all_whole, label_font, new_chart, rows_for, Num, Res};
use crate::report::{Basis, Change, IndicatorInfo, Report, Role, ZoneRow};

/// (code, name, unit) from the catalogue.
type Indicator<'r> = (&'r str, &'r str, &'r str);

fn catalogue(r: &Report) -> Vec<Indicator<'_>> {
    r.indicators.iter().map(triple).collect()
}

fn triple(i: &IndicatorInfo) -> Indicator<'_> {
    (i.code.as_str(), i.name.as_str(), i.unit.as_str())
}

/// The codes of the indicators with a role.
fn codes_with(r: &Report, role: Role) -> Vec<&str> {
    r.with_role(role).map(|i| i.code.as_str()).collect()
}

/// Colours the 数据来源 column by basis: a carried figure's label names its
/// quarter (`沿用上期（2026Q2）`), so it is matched by its beginning.
fn basis_tones(s: &mut Sheet, first: u32, last: u32, col: u16) -> Res {
    if last < first {
        return Ok(());
    }
    if let Some(format) = s.st.tone(Basis::Carried.tone()) {
        let carried = ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::BeginsWith(
                Basis::Carried.label_zh().into(),
            ))
            .set_format(format);
        s.ws.add_conditional_format(first, col, last, col, &carried)?;
    }
    let others = [Basis::Fresh, Basis::NoData].map(|b| (b.label_zh(), b.tone()));
    s.tones(first, last, col, others)
}

/// Writes the two header rows of an indicator block; returns, per code, the
/// column of its value (the change columns follow main ones).
fn indicator_headers(
    s: &mut Sheet,
    first_col: u16,
    indicators: &[Indicator],
    main: &[&str],
) -> Res<BTreeMap<String, u16>> {
    let mut cols = BTreeMap::new();
    let mut col = first_col;
    for (code, name, unit) in indicators {
        let label = header_label(name, unit);
        cols.insert(code.to_string(), col);
        if main.contains(code) {
            s.header_span((0, col), (0, col + 2), &label)?;
            s.header(1, col, "累计值")?;
            s.header(1, col + 1, "上季度")?;
            s.header(1, col + 2, "环比增减")?;
            col += 3;
        } else {
            s.header_span((0, col), (1, col), &label)?;
            col += 1;
        }
    }
    Ok(cols)
}

/// The number format of each indicator's column over `rows`' figures.
fn column_formats<'a>(
    indicators: &[Indicator],
    rows: impl Iterator<Item = &'a BTreeMap<String, Change>> + Clone,
) -> BTreeMap<String, Num> {
    indicators
        .iter()
        .map(|(code, _, unit)| {
            let whole = all_whole(
                rows.clone()
                    .filter_map(|f| f.get(*code))
                    .flat_map(|c| [Some(c.value), c.previous])
                    .flatten(),
            );
            (code.to_string(), Num::for_unit(unit, whole))
        })
        .collect()
}

fn indicator_cells(
    s: &mut Sheet,
    row: u32,
    cols: &BTreeMap<String, u16>,
    formats: &BTreeMap<String, Num>,
    figures: &BTreeMap<String, Change>,
    main: &[&str],
) -> Res {
    for (code, &col) in cols {
        let kind = formats[code];
        let change = figures.get(code);
        s.opt_num(row, col, change.map(|c| c.value), kind)?;
        if main.contains(&code.as_str()) {
            s.opt_num(row, col + 1, change.and_then(|c| c.previous), kind)?;
            s.opt_num(row, col + 2, change.and_then(|c| c.delta()), kind.delta())?;
        }
    }
    Ok(())
}

/// A horizontal bar chart of one value column against a name column, first row on top.
fn ranking_chart(
    sheet: &'static str,
    (first, last): (u32, u32),
    name_col: u16,
    value_col: u16,
    title: &str,
    color: u32,
) -> rust_xlsxwriter::Chart {
    let mut chart = new_chart(ChartType::Bar, title);
    let mut labels = ChartDataLabel::new();
    labels.show_value().set_font(&label_font());
    chart
        .add_series()
        .set_name(title)
        .set_categories((sheet, first, name_col, last, name_col))
        .set_values((sheet, first, value_col, last, value_col))
        .set_format(ChartSolidFill::new().set_color(color))
        .set_data_label(&labels);
    // In a bar chart y is the category axis: first row on top, values below.
    chart
        .y_axis()
        .set_reverse()
        .set_crossing(ChartAxisCrossing::Max);
    chart.x_axis().set_num_format("#,##0");
    chart.legend().set_hidden();
    chart
        .set_width(720)
        .set_height(bar_height(last - first + 1));
    chart
}

/// The height of a bar chart of `n` bars, in pixels.
fn bar_height(n: u32) -> u32 {
    (80 + 24 * n).clamp(300, 1400)
}

/// 分区: the zones in rank order with every indicator, then a bar chart per
/// `zone_chart` indicator.
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
    let indicators = catalogue(r);
    let main = codes_with(r, Role::Headline);
    let cols = indicator_headers(&mut s, 5, &indicators, &main)?;
    let formats = column_formats(&indicators, r.zones.iter().map(|z| &z.figures));

    let mut zones: Vec<&ZoneRow> = r.zones.iter().collect();
    zones.sort_by(|a, b| (a.rank, &a.name).cmp(&(b.rank, &b.name)));
    let mut row = 2;
    for z in &zones {
        s.num(row, 0, z.rank as f64, Num::Int)?;
        s.text(row, 1, &z.name)?;
        s.text(row, 2, &z.city)?;
        s.text(row, 3, &z.level)?;
        s.text(row, 4, &basis_label(z.basis, z.source_period))?;
        indicator_cells(&mut s, row, &cols, &formats, &z.figures, &main)?;
        row += 1;
    }
    let last = row - 1;
    basis_tones(&mut s, 2, last, 4)?;
    s.table_view(2, 2)?;

    if zones.is_empty() {
        return s.finish();
    }
    let mut anchor = last + 3;
    let rank = r.rank_indicator().map(|i| i.code.as_str());
    for (series, i) in r.with_role(Role::ZoneChart).enumerate() {
        let color = WORKBOOK_SERIES[series % WORKBOOK_SERIES.len()];
        let chart = if Some(i.code.as_str()) == rank {
            ranked_chart(s.name, &zones, &cols, i, color)
        } else {
            sorted_chart(&mut s, &zones, &formats, i, anchor, color)?
        };
        if let Some((chart, rows)) = chart {
            s.ws.insert_chart(anchor, 4, &chart)?;
            anchor += rows;
        }
    }
    s.finish()
}

/// The zones by the indicator the table is ranked by: the chart reads the
/// table's own column. Returns the chart and the rows it covers.
fn ranked_chart(
    sheet: &'static str,
    zones: &[&ZoneRow],
    cols: &BTreeMap<String, u16>,
    i: &IndicatorInfo,
    color: u32,
) -> Option<(rust_xlsxwriter::Chart, u32)> {
    let col = *cols.get(&i.code)?;
    if !zones.iter().any(|z| z.figures.contains_key(&i.code)) {
        return None;
    }
    let last = 1 + zones.len() as u32;
    let title = format!("各高新区{}", with_unit(&i.name, &i.unit));
    let chart = ranking_chart(sheet, (2, last), 1, col, &title, color);
    Some((chart, rows_for(bar_height(last - 1))))
}

/// The zones by another indicator: its figures, sorted, written beside the
/// chart for the chart to read.
fn sorted_chart(
    s: &mut Sheet,
    zones: &[&ZoneRow],
    formats: &BTreeMap<String, Num>,
    i: &IndicatorInfo,
    anchor: u32,
    color: u32,
) -> Res<Option<(rust_xlsxwriter::Chart, u32)>> {
    let mut sorted: Vec<(&ZoneRow, f64)> = zones
        .iter()
        .filter_map(|z| z.figures.get(&i.code).map(|c| (*z, c.value)))
        .collect();
    sorted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.rank.cmp(&b.0.rank)));
    if sorted.is_empty() {
        return Ok(None);
    }
    let st = s.st;
    let label = with_unit(&i.name, &i.unit);
    s.merged(
        anchor,
        1,
        1,
        &format!("{}排序（图表数据）", i.name),
        &st.section,
    )?;
    s.header(anchor + 1, 1, "高新区")?;
    s.header(anchor + 1, 2, &header_label(&i.name, &i.unit))?;
    let kind = formats.get(&i.code).copied().unwrap_or(Num::Amount);
    let first = anchor + 2;
    for (k, (z, v)) in (0u32..).zip(&sorted) {
        s.text(first + k, 1, &z.name)?;
        s.num(first + k, 2, *v, kind)?;
    }
    let end = first + sorted.len() as u32 - 1;
    let title = format!("各高新区{label}");
    let chart = ranking_chart(s.name, (first, end), 1, 2, &title, color);
    Ok(Some((chart, rows_for(bar_height(end - first + 1)))))
}

/// 分市: the zones' figures by city, the `trend` indicators first.
pub(super) fn cities(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    for (col, label) in [(0u16, "城市"), (1, "高新区数"), (2, "有数据的高新区")] {
        s.header_span((0, col), (1, col), label)?;
    }
    let mut indicators = catalogue(r);
    // The key indicators first, then the rest in catalogue order.
    let main = codes_with(r, Role::Trend);
    indicators.sort_by_key(|(code, _, _)| !main.contains(code));
    let cols = indicator_headers(&mut s, 3, &indicators, &main)?;
    let formats = column_formats(&indicators, r.cities.iter().map(|c| &c.figures));
    for (row, c) in (2u32..).zip(&r.cities) {
        s.text(row, 0, &c.city)?;
        s.count(row, 1, c.zones)?;
        s.count(row, 2, c.zones_with_data)?;
        indicator_cells(&mut s, row, &cols, &formats, &c.figures, &main)?;
    }
    s.table_view(2, 1)?;
    s.finish()
}

/// 高校: each university's projects, platforms and money with the zones.
pub(super) fn universities(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    let st = s.st;
    s.headers(
        0,
        &[
            "高校",
            "合作高新区",
            "结对高新区",
            "合作项目（个）",
            "共建平台（个）",
            "合同金额（万元）",
            "到位经费（万元）",
            "是否在名录",
        ],
    )?;
    let contract = Num::for_unit("万元", all_whole(r.universities.iter().map(|u| u.contract)));
    let funded = Num::for_unit("万元", all_whole(r.universities.iter().map(|u| u.funded)));
    let mut row = 1;
    for u in &r.universities {
        s.text(row, 0, &u.name)?;
        s.wrap(row, 1, &u.zones.join("、"))?;
        s.wrap(row, 2, &u.paired_zones.join("、"))?;
        s.count(row, 3, u.projects)?;
        s.count(row, 4, u.platforms)?;
        s.num(row, 5, u.contract, contract)?;
        s.num(row, 6, u.funded, funded)?;
        s.text_as(row, 7, yes_no(u.known), &st.center)?;
        row += 1;
    }
    s.tones(1, row - 1, 7, [(yes_no(false), Tone::Warn)])?;
    s.table_view(1, 1)?;
    s.ws.autofilter(0, 0, row - 1, 7)?;
    s.finish()
}

/// 结对: each zone–university pair, confirmed pairs marked.
pub(super) fn pairs(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    let st = s.st;
    s.headers(
        0,
        &[
            "高新区",
            "高校",
            "结对",
            "依据",
            "合作项目（个）",
            "共建平台（个）",
            "到位经费（万元）",
        ],
    )?;
    let funded = Num::for_unit("万元", all_whole(r.pairs.iter().map(|p| p.funded)));
    let mut row = 1;
    for p in &r.pairs {
        s.text(row, 0, &p.zone)?;
        s.text(row, 1, &p.university)?;
        s.text_as(row, 2, yes_no(p.confirmed), &st.center)?;
        s.wrap(row, 3, &p.evidence)?;
        s.count(row, 4, p.projects)?;
        s.count(row, 5, p.platforms)?;
        s.num(row, 6, p.funded, funded)?;
        row += 1;
    }
    s.tones(1, row - 1, 2, [(yes_no(true), Tone::Good)])?;
    s.table_view(1, 2)?;
    s.ws.autofilter(0, 0, row - 1, 6)?;
    s.finish()
}

/// 五个一: each zone's five in place; rows short of five shaded.
pub(super) fn five_ones(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    let st = s.st;
    s.headers(
        0,
        &[
            "高新区",
            "数据来源",
            "产业方向",
            "依托科创平台",
            "领军人才",
            "转化基金",
            "基金规模（万元）",
            "标杆项目（个）",
            "完成项数",
        ],
    )?;
    let fund = Num::for_unit(
        "万元",
        all_whole(r.five_ones.iter().filter_map(|f| f.fund_size)),
    );
    let mut row = 1;
    for f in &r.five_ones {
        s.text(row, 0, &f.zone)?;
        let basis = basis_label(f.basis, f.source_period);
        s.text(row, 1, &basis)?;
        s.opt_text(row, 2, f.industry.as_deref())?;
        s.opt_text(row, 3, f.platform.as_deref())?;
        s.opt_text(row, 4, f.talent.as_deref())?;
        s.opt_text(row, 5, f.fund_name.as_deref())?;
        s.opt_num(row, 6, f.fund_size, fund)?;
        s.count(row, 7, f.benchmark_projects)?;
        s.num(row, 8, f.complete as f64, Num::OfFive)?;
        row += 1;
    }
    let last = row - 1;
    if last >= 1 {
        // Rows with fewer than five in place are shaded.
        let incomplete = ConditionalFormatFormula::new()
            .set_rule(format!("=${}2<5", column_letters(8)).as_str())
            .set_format(&st.row_warn);
        s.ws.add_conditional_format(1, 0, last, 8, &incomplete)?;
        if let Some(good) = st.tone(Tone::Good) {
            let done = ConditionalFormatCell::new()
                .set_rule(ConditionalFormatCellRule::EqualTo(5))
                .set_format(good);
            s.ws.add_conditional_format(1, 8, last, 8, &done)?;
        }
    }
    basis_tones(&mut s, 1, last, 1)?;
    s.table_view(1, 1)?;
    s.ws.autofilter(0, 0, last, 8)?;
    s.finish()
}

/// 趋势: every indicator by quarter, then line charts of the `trend`
/// indicators.
pub(super) fn trend(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    let indicators = catalogue(r);
    s.header(0, 0, "季度")?;
    let mut cols = BTreeMap::new();
    for (col, (code, name, unit)) in (1u16..).zip(&indicators) {
        s.header(0, col, &header_label(name, unit))?;
        cols.insert(*code, col);
    }
    let zone_col = indicators.len() as u16 + 1;
    s.header(0, zone_col, "本期数据的高新区")?;
    s.header(0, zone_col + 1, "沿用上期的高新区")?;

    let mut rows: Vec<_> = r.trend.iter().collect();
    rows.sort_by_key(|t| t.period);
    let mut row = 1;
    for t in &rows {
        s.text(row, 0, &t.period.label_zh())?;
        for (code, _, unit) in &indicators {
            let whole = all_whole(rows.iter().filter_map(|t| t.figures.get(*code).copied()));
            s.opt_num(
                row,
                cols[code],
                t.figures.get(*code).copied(),
                Num::for_unit(unit, whole),
            )?;
        }
        s.count(row, zone_col, t.zones_fresh)?;
        s.count(row, zone_col + 1, t.zones_carried)?;
        row += 1;
    }
    let last = row - 1;
    s.table_view(1, 1)?;

    if rows.is_empty() {
        return s.finish();
    }
    let mut anchor = last + 3;
    for (group, title, axis, first_colour) in trend_charts(r) {
        // Only indicators with a figure in some quarter: no empty series.
        let present: Vec<u16> = group
            .iter()
            .filter(|c| rows.iter().any(|t| t.figures.contains_key(**c)))
            .filter_map(|c| cols.get(c).copied())
            .collect();
        if present.is_empty() {
            continue;
        }
        let mut chart = new_chart(ChartType::Line, &title);
        // Every series drawn, colours taken in turn from the palette.
        let colours = WORKBOOK_SERIES.iter().cycle().skip(first_colour);
        for (col, color) in present.iter().zip(colours) {
            chart
                .add_series()
                .set_name((s.name, 0, *col))
                .set_categories((s.name, 1, 0, last, 0))
                .set_values((s.name, 1, *col, last, *col))
                .set_format(ChartLine::new().set_color(*color).set_width(2.25))
                .set_marker(ChartMarker::new().set_automatic());
        }
        chart.y_axis().set_num_format("#,##0");
        if !axis.is_empty() {
            chart.y_axis().set_name(axis.as_str());
        }
        chart.legend().set_position(ChartLegendPosition::Bottom);
        chart.set_width(640).set_height(320);
        s.ws.insert_chart(anchor, 0, &chart)?;
        anchor += rows_for(320);
    }
    s.finish()
}

/// The workbook's trend charts: the `trend` indicators counted in things in
/// one chart, those in money in another (their scales differ): (codes,
/// title, value-axis name, index of the first series colour).
fn trend_charts(r: &Report) -> Vec<(Vec<&str>, String, String, usize)> {
    let (money, counts): (Vec<&IndicatorInfo>, Vec<&IndicatorInfo>) =
        r.with_role(Role::Trend).partition(|i| i.is_amount());
    let mut charts = Vec::new();
    for (group, color) in [(counts, 0), (money, 2)] {
        let Some(first) = group.first() else { continue };
        let title = match group.as_slice() {
            [one] => with_unit(&one.name, &one.unit),
            many => many
                .iter()
                .map(|i| i.name.as_str())
                .collect::<Vec<_>>()
                .join("与"),
        };
        let axis = if first.is_amount() {
            first.unit.clone()
        } else {
            String::new()
        };
        charts.push((
            group.iter().map(|i| i.code.as_str()).collect(),
            title,
            axis,
            color,
        ));
    }
    charts
}
