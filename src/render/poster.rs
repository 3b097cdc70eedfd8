//! 一图读懂_<P>.png: the quarter at a glance, one tall picture for work
//! chats (`assets/poster.typ`), typeset like the brief and rendered to
//! pixels by typst-render. It shows the brief's own figures: the data it
//! reads are the brief's, so the two cannot disagree.

use serde_json::json;

use super::charts::{Drawn, Kind};
use super::typeset::{Document, Typesetter};
use crate::report::Report;

/// The poster template shipped with the project.
pub const TEMPLATE: &str = include_str!("../../assets/poster.typ");

/// The picture's width in pixels (the poster is 540 pt wide).
pub const WIDTH_PX: f64 = 1080.0;

/// How many leading zones the poster names.
const TOP_ZONES: usize = 5;

pub fn file_name(period: crate::model::Period) -> String {
    format!("一图读懂_{period}.png")
}

/// Typesets and renders the poster.
pub fn write_png(
    report: &Report,
    charts: &[Drawn],
    typesetter: &Typesetter,
) -> Result<Vec<u8>, String> {
    let data =
        serde_json::to_vec(&data(report, charts, &typesetter.family)).map_err(|e| e.to_string())?;
    let mut files = vec![("/data.json".to_string(), data)];
    if let Some(trend) = charts.iter().find(|c| c.kind == Kind::Trend) {
        files.push(("/trend.svg".into(), trend.svg.clone().into_bytes()));
    }
    let doc = Document {
        template: TEMPLATE,
        files,
        date: report.as_of,
        what: "一图读懂",
    };
    typesetter.png(&doc, WIDTH_PX)
}

/// What the poster reads: the brief's headline tiles and targets, the
/// leading zones by the ranking indicator, and whether a trend chart exists.
pub fn data(report: &Report, charts: &[Drawn], font: &str) -> serde_json::Value {
    let brief = super::brief::data(report, charts, font);
    json!({
        "font": font,
        "sample": report.is_sample,
        "period_label": report.period.label_zh(),
        "as_of": brief["as_of"],
        "masthead": brief["masthead"],
        "headlines": brief["headlines"],
        "targets": brief["targets"],
        "top_zones": top_zones(report),
        "top_label": report.rank_indicator().map(|i| i.label_with_unit()),
        "has_trend": charts.iter().any(|c| c.kind == Kind::Trend),
        "counts": brief["counts"],
    })
}

/// The leading zones by the ranking indicator's 累计值 (shared ranks).
fn top_zones(report: &Report) -> Vec<serde_json::Value> {
    let Some(info) = report.rank_indicator() else {
        return Vec::new();
    };
    let scale = info.scale();
    let Some(ranking) = report.ranking(&info.code) else {
        return Vec::new();
    };
    // A tie at the cut-off is shown whole or not at all.
    let shown = crate::report::rank::named(&ranking.zones, TOP_ZONES, |z| z.value);
    let places =
        crate::report::rank::places(&ranking.zones.iter().map(|z| z.value).collect::<Vec<_>>());
    ranking.zones[..shown]
        .iter()
        .zip(places)
        .map(|(z, p)| {
            let rank = format!("{}{}", p.tied_zh(), p.rank);
            json!({"rank": rank, "name": z.name, "value": scale.text(z.value)})
        })
        .collect()
}
