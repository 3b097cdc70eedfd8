//! 趋势: every indicator's province figure by quarter, then a line chart of
//! each `trend` indicator on its own axis (projects and platforms differ
//! tenfold: on one axis the smaller would look flat).

use std::collections::BTreeMap;

use rust_xlsxwriter::{ChartLine, ChartMarker, ChartType, Worksheet};

use super::grid::Sheet;
use crate::render::palette::WORKBOOK_SERIES;
use crate::render::xlsx::{new_chart, rows_for, Num, Res};
use crate::report::{IndicatorInfo, Report, Role};

/// A trend chart's size in pixels.
const CHART: (u32, u32) = (560, 300);

pub(super) fn trend(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    s.header(0, 0, "季度")?;
    let mut cols: BTreeMap<&str, u16> = BTreeMap::new();
    for (col, i) in (1u16..).zip(&r.indicators) {
        s.header(0, col, &i.label_with_unit())?;
        cols.insert(i.code.as_str(), col);
    }
    let zone_col = r.indicators.len() as u16 + 1;
    s.header(0, zone_col, "本期数据的高新区")?;
    s.header(0, zone_col + 1, "沿用上期的高新区")?;

    let mut rows: Vec<_> = r.trend.iter().collect();
    rows.sort_by_key(|t| t.period);
    let formats: BTreeMap<&str, Num> = r
        .indicators
        .iter()
        .map(|i| {
            let values = rows.iter().filter_map(|t| t.figures.get(&i.code).copied());
            (i.code.as_str(), Num::for_scale(&i.scale(), values))
        })
        .collect();
    let mut row = 1;
    for t in &rows {
        s.text(row, 0, &t.period.label_zh())?;
        for i in &r.indicators {
            let value = t.figures.get(&i.code).map(|v| i.scale().of(*v));
            s.num_or_dash(row, cols[i.code.as_str()], value, formats[i.code.as_str()])?;
        }
        s.count(row, zone_col, t.zones_fresh)?;
        s.count(row, zone_col + 1, t.zones_carried)?;
        row += 1;
    }
    let last = row - 1;
    let note = "注：各季度为季度末的全省累计值（时点指标为季度末数），含沿用上期数据的高新区；金额单位见各列标题。";
    s.note(last + 1, 0, zone_col + 1, note)?;
    s.table_view(1, 1, zone_col + 1)?;
    if !rows.is_empty() {
        charts(&mut s, r, &cols, &formats, last)?;
    }
    s.finish()
}

/// One line chart per `trend` indicator with a figure in some quarter,
/// one below the other under the table, right of the repeated first
/// column (so printing neither cuts nor repeats them).
fn charts(
    s: &mut Sheet,
    r: &Report,
    cols: &BTreeMap<&str, u16>,
    formats: &BTreeMap<&str, Num>,
    last: u32,
) -> Res {
    let shown: Vec<&IndicatorInfo> = r
        .with_role(Role::Trend)
        .filter(|i| r.trend.iter().any(|t| t.figures.contains_key(&i.code)))
        .collect();
    let top = last + 3;
    // The charts start a page and two share a page, so none is cut.
    let step = rows_for(CHART.1) + 1;
    let breaks: Vec<u32> = (0..shown.len() as u32)
        .step_by(2)
        .map(|k| top + k * step)
        .collect();
    s.ws.set_page_breaks(&breaks)?;
    for (k, i) in shown.iter().enumerate() {
        let col = cols[i.code.as_str()];
        let name = i.label_with_unit();
        let mut chart = new_chart(ChartType::Line, &name);
        let colour = WORKBOOK_SERIES[k % WORKBOOK_SERIES.len()];
        chart
            .add_series()
            .set_name(name.as_str())
            .set_categories((s.name, 1, 0, last, 0))
            .set_values((s.name, 1, col, last, col))
            .set_format(ChartLine::new().set_color(colour).set_width(2.25))
            .set_marker(ChartMarker::new().set_automatic());
        chart
            .y_axis()
            .set_num_format(formats[i.code.as_str()].code());
        chart.legend().set_hidden();
        chart.set_width(CHART.0).set_height(CHART.1);
        let row = top + k as u32 * step;
        s.ws.insert_chart(row, 1, &chart)?;
    }
    Ok(())
}
