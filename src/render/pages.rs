//! 分市简报 and 分区简报: one A4 PDF for each city and zone
//! (`assets/area.typ`), typeset from the report's [`AreaPage`]s, and the
//! choice of which to write (`--only-province`, `--city`, `--zone`).

use rayon::prelude::*;
use serde_json::json;

use super::typeset::{Document, Typesetter};
use crate::format::Scale;
use crate::report::{Area, AreaPage, Report};

/// The page template shipped with the project.
pub const TEMPLATE: &str = include_str!("../../assets/area.typ");

/// Which city and zone pages to write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Pages {
    /// Every city and every zone.
    #[default]
    All,
    /// None (`--only-province`).
    None,
    /// These cities and zones only (by name or zone code).
    Only {
        cities: Vec<String>,
        zones: Vec<String>,
    },
}

impl Pages {
    fn wants(&self, page: &AreaPage) -> bool {
        match self {
            Pages::All => true,
            Pages::None => false,
            Pages::Only { cities, zones } => match page.area {
                Area::City => cities.contains(&page.name),
                Area::Zone => zones.iter().any(|z| {
                    z == &page.name || page.code.as_ref().is_some_and(|c| c.as_str() == z)
                }),
            },
        }
    }
}

/// `分区简报/<name>_<P>.pdf`.
pub fn file_name(page: &AreaPage, period: crate::model::Period) -> String {
    format!("{}/{}_{period}.pdf", page.area.folder_zh(), page.file_stem)
}

/// The chosen pages, typeset in parallel: (file name, PDF bytes).
pub fn write_pages(
    report: &Report,
    pages: &Pages,
    typesetter: &Typesetter,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    report
        .pages
        .par_iter()
        .filter(|p| pages.wants(p))
        .map(|page| {
            let chart = super::charts::area_trend_svg(report, page)?;
            let data = serde_json::to_vec(&data(report, page, &typesetter.family))
                .map_err(|e| e.to_string())?;
            let doc = Document {
                template: TEMPLATE,
                files: vec![
                    ("/data.json".into(), data),
                    ("/trend.svg".into(), chart.into_bytes()),
                ],
                date: report.as_of,
                what: page.area.folder_zh(),
            };
            let ident = format!("shuanggao-{}-{}", page.file_stem, report.period);
            let pdf = typesetter.pdf(&doc, ident, format!("shuanggao {}", report.tool_version))?;
            Ok((file_name(page, report.period), pdf))
        })
        .collect()
}

/// What `area.typ` reads: the page's figures as display strings.
pub fn data(report: &Report, page: &AreaPage, font: &str) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = page
        .rows
        .iter()
        .filter_map(|row| {
            let info = report.indicator(&row.code)?;
            let scale = info.scale();
            Some(json!({
                "name": info.name,
                "unit": scale.unit,
                "value": scale.text(row.value),
                "added": row.this_quarter.map(|d| signed(&scale, d)),
                // A stock's 环比 would be the growth of its change of level.
                "qoq": row.quarter_on_quarter.filter(|_| !info.stock).map(crate::format::growth_rate),
                "share": row.share.map(crate::format::percent_fine),
                "rank": row.rank.map(|r| r.of_zh(row.ranked)),
            }))
        })
        .collect();
    json!({
        "font": font,
        "sample": report.is_sample,
        "kind": page.area.folder_zh(),
        "name": page.name,
        "city": page.city,
        "period_label": report.period.label_zh(),
        "as_of": crate::format::date_zh(report.as_of),
        "masthead": super::brief::masthead(report),
        "paragraph": page.paragraph.text(),
        "rows": rows,
        "rank_label": if page.area == Area::City { "市排名" } else { "区排名" },
        "zones_heading": format!("{}与结对高校", report.stage.zones_word),
        "pairs_heading": if page.pairs.iter().all(|p| p.confirmed) { "结对高校" } else { "结对与合作高校" },
        "targets": page.targets.iter().filter_map(|&i| report.targets.get(i)).map(|t| super::brief::target(report, t)).collect::<Vec<_>>(),
        "zones": page.zones.iter().map(|(n, b)| json!({"name": n, "basis": b.label_zh()})).collect::<Vec<_>>(),
        "pairs": page.pairs.iter().map(|p| json!({"zone": p.zone, "university": p.university, "projects": p.projects, "platforms": p.platforms, "mark": if p.confirmed { "" } else { "（项目合作，未登记为结对）" }})).collect::<Vec<_>>(),
        "joint_note": page.pairs_overlap.then_some("注：与多所高校联合开展的项目计入每个相关结对，各结对项目数之和可大于项目总数。"),
        "record": page.record.iter().map(|(p, b)| json!({"period": p.short_label_zh(), "basis": b.label_zh()})).collect::<Vec<_>>(),
        "findings": page.open_findings.iter().take(6).map(|f| json!({"rule": f.finding.rule, "place": f.finding.place(), "title": f.title})).collect::<Vec<_>>(),
        "findings_more": page.open_findings.len().saturating_sub(6),
        "has_trend": !page.trend.is_empty(),
        "score": scorecard_line(report, page),
    })
}

/// A zone's 综合评价: `综合评价得分 91.47，第1名（持平）`; none for a city or
/// an unscored zone.
fn scorecard_line(report: &Report, page: &AreaPage) -> Option<String> {
    let zone = report.scorecard.zone(page.code.as_ref()?.as_str())?;
    let score = zone.score?;
    let ranked = report
        .scorecard
        .zones
        .iter()
        .filter(|z| z.rank.is_some())
        .count();
    let place = report.scorecard.place(zone)?;
    let change = match zone.mark_zh() {
        mark if !mark.is_empty() => mark,
        _ => format!("名次变化：{}", zone.movement.label_zh()),
    };
    Some(format!(
        "综合评价得分 {score:.2}，{}第 {} 名 / {ranked}（{change}）",
        place.tied_zh(),
        place.rank
    ))
}

/// `+12` / `-0.35`: a change in the indicator's scale.
fn signed(scale: &Scale, d: f64) -> String {
    let sign = if d < 0.0 { "-" } else { "+" };
    format!("{sign}{}", scale.text(d.abs()))
}
