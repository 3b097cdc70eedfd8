//! The leaders' brief (双高协同领导简报_<P>.pdf), typeset by typst from a
//! template (`assets/brief.typ`, embedded; `--template` overrides it). The
//! template receives the report as `/data.json` and the charts as
//! `/charts/<name>.svg`; it lays out, it does not compute.

use serde_json::json;

use super::charts::Drawn;
use super::palette::{self, hex};
use super::typeset::{Document, Typesetter};
use crate::format::{group_thousands as format_number, percent};
use crate::report::{Basis, IndicatorInfo, Report, Role, TargetProgress};

/// The template shipped with the project.
pub const TEMPLATE: &str = include_str!("../../assets/brief.typ");

pub fn file_name(period: crate::model::Period) -> String {
    format!("双高协同领导简报_{period}.pdf")
}

/// Typesets the brief. `template` is the `.typ` source to use.
pub fn write_pdf(
    report: &Report,
    charts: &[Drawn],
    typesetter: &Typesetter,
    template: &str,
) -> Result<Vec<u8>, String> {
    let data =
        serde_json::to_vec(&data(report, charts, &typesetter.family)).map_err(|e| e.to_string())?;
    let mut files = vec![("/data.json".to_string(), data)];
    files.extend(charts.iter().map(|c| {
        (
            format!("/charts/{}.svg", c.stem),
            c.svg.clone().into_bytes(),
        )
    }));
    let doc = Document {
        template,
        files,
        date: report.as_of,
        what: "简报",
    };
    typesetter.pdf(
        &doc,
        format!("shuanggao-brief-{}", report.period),
        format!("shuanggao {}", report.tool_version),
    )
}

/// What the template reads: the report plus display strings, so the template
/// never formats numbers itself, and the status colours from the palette.
pub fn data(report: &Report, charts: &[Drawn], font: &str) -> serde_json::Value {
    let mut headlines: Vec<serde_json::Value> = report
        .with_role(Role::Headline)
        .map(|i| headline(report, i))
        .collect();
    let p = &report.participation;
    headlines.push(json!({
        "label": "参与高新区 / 合作高校",
        "value": format!("{} / {}", p.zones_with_data, p.universities_active),
        "unit": "家 / 所",
        "change": null,
    }));
    json!({
        "period": report.period,
        "font": font,
        "period_label": report.period.label_zh(),
        "issue_title": format!("{}{}工作情况", report.period.label_zh(), report.stage.programme),
        "zones_word": report.stage.zones_word,
        "since_note": since_note(report),
        "as_of": report.as_of.format("%Y年%-m月%-d日").to_string(),
        "pilot_start": report.pilot_start.format("%Y年%-m月%-d日").to_string(),
        "horizon_year": report.horizon.year,
        "sample": report.is_sample,
        "version": report.tool_version,
        "headlines": headlines,
        "targets": report.targets.iter().map(|t| target(report, t)).collect::<Vec<_>>(),
        "targets_note": report.targets_note(),
        // `null` when nothing was revised; the template places the line.
        "revisions_note": report.revisions_note(),
        "units_note": units_note(report),
        "charts": charts.iter().filter(|c| c.kind.in_brief()).map(|c| json!({"file": format!("/charts/{}.svg", c.stem), "title": c.title})).collect::<Vec<_>>(),
        "masthead": masthead(report),
        "narrative": narrative(&report.narrative),
        "distribution": report.distribution,
        "attention": report.attention,
        "counts": {
            "files": report.counts.files,
            "accepted": report.counts.returns_accepted,
            "sent_back": report.counts.returns_sent_back,
            "superseded": report.counts.returns_superseded,
            "unreadable": report.counts.files_unreadable,
            "fresh": report.counts.zones_fresh,
            "carried": report.counts.zones_carried,
            "no_data": report.counts.zones_without_data,
        },
        "carried": zones_with(report, Basis::Carried),
        "no_data": zones_with(report, Basis::NoData),
        "scorecard": scorecard(report),
    })
}

/// 综合评价 for the brief: the top and bottom three zones as display
/// strings, and the method in one sentence.
fn scorecard(report: &Report) -> serde_json::Value {
    let card = &report.scorecard;
    let zone = |z: &crate::report::ScoredZone| {
        json!({
            "name": z.name,
            "city": z.city,
            "score": z.score.map_or("—".to_string(), |s| format!("{s:.2}")),
            // `并列2` when another zone shares the place.
            "rank": card.place(z).map(|p| format!("{}{}", p.tied_zh(), p.rank)),
            "change": z.movement.label_zh(),
            "mark": z.mark_zh(),
        })
    };
    json!({
        "method": card.method_line_zh(),
        "sample_weights": card.sample_weights,
        "ranked": card.zones.iter().filter(|z| z.rank.is_some()).count(),
        "previous": card.previous.map(|p| p.to_string()),
        "top": card.top(3).into_iter().map(zone).collect::<Vec<_>>(),
        "bottom": card.bottom(3).into_iter().map(zone).collect::<Vec<_>>(),
    })
}

/// The masthead's lines: title, 第 N 期, issuer and date.
pub(super) fn masthead(report: &Report) -> serde_json::Value {
    let m = &report.masthead;
    json!({
        "title": m.title,
        "issue": format!("第{}期", m.issue),
        "issuer": m.issuer,
        "date": crate::format::date_zh(report.as_of),
    })
}

/// The generated text: each section's heading and paragraphs.
fn narrative(n: &crate::report::Narrative) -> serde_json::Value {
    n.sections
        .iter()
        .map(|s| {
            json!({
                "heading": s.heading.label_zh(),
                "paragraphs": s.paragraphs.iter().map(|p| p.text()).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// What “累计” means: since the programme began, or, with several cohorts,
/// since each zone joined (docs/return-form.md §2.5).
pub(super) fn since_note(report: &Report) -> String {
    match report.cohorts.as_slice() {
        [_] | [] => format!(
            "“累计”指试点开始（{}）以来的累计数",
            crate::format::date_zh(report.pilot_start)
        ),
        cohorts => format!(
            "“累计”指各高新区加入以来的累计数：{}",
            cohorts
                .iter()
                .map(|c| format!("{}自{}起", c.name, crate::format::date_zh(c.start)))
                .collect::<Vec<_>>()
                .join("，")
        ),
    }
}

/// The unit amounts are shown in, said once: every amount of the brief is
/// in its indicator's scale (万元 as 亿元), the targets table included.
fn units_note(report: &Report) -> String {
    let converted = report
        .indicators
        .iter()
        .map(|i| (i, i.scale()))
        .find(|(_, s)| s.is_converted());
    match converted {
        Some((i, s)) => format!(
            "金额单位为{}（1 {} = {} {}），保留{}位小数",
            s.unit,
            s.unit,
            format_number(s.divisor),
            i.unit,
            s.decimals
        ),
        None => "各指标的单位随数字注明".to_string(),
    }
}

/// A figure tile: the province value in the indicator's scale, and the
/// quarter's own flow (本季新增, 较上季度 for a stock).
fn headline(report: &Report, i: &IndicatorInfo) -> serde_json::Value {
    let scale = i.scale();
    let h = report.headline(&i.code);
    let value = h.map_or(0.0, |h| h.figure.value);
    let added = h.and_then(|h| h.flows.this_quarter);
    json!({
        "label": i.name,
        "value": scale.text(value),
        "unit": scale.unit,
        "change": added.map(|d| {
            let word = if i.stock { "本季" } else { "本季新增 " };
            match (i.stock, d >= 0.0) {
                (true, true) => format!("{word}增加 {}", scale.text(d)),
                (true, false) => format!("{word}减少 {}", scale.text(-d)),
                (false, _) => format!("{word}{}", scale.text(d)),
            }
        }),
    })
}

pub(super) fn target(report: &Report, t: &TargetProgress) -> serde_json::Value {
    let scale = report.scale_of(&t.metric, &t.unit);
    let with_unit = |text: String| format!("{text} {}", scale.unit);
    let dash = || "—".to_string();
    json!({
        "scope": t.scope,
        "name": t.name,
        "kind": t.kind.label_zh(),
        "value_basis": t.value_basis().label_zh(),
        // What 当前值 is when it is not the 累计值 (an annual target's).
        "basis": match t.value_basis() {
            crate::targets::ValueBasis::Cumulative => String::new(),
            other => other.label_zh(),
        },
        "value": with_unit(scale.rounded(t.value)),
        "target": with_unit(scale.rounded(t.target)),
        "progress": percent(t.progress),
        // Time elapsed is a yardstick for cumulative targets only.
        "elapsed": if t.time_applies() { percent(t.elapsed) } else { dash() },
        "projection": if t.is_paced() { with_unit(scale.rounded(t.projection)) } else { dash() },
        "needed": if t.needs_pace() { with_unit(crate::format::pace(t.needed_per_quarter, &scale)) } else { dash() },
        "status": t.status.label_zh(),
        // The measure the status follows from, in words.
        "measure": measure(t, &scale),
        "colour": hex(palette::chart(t.status.tone())),
        "sample_baseline": t.baseline_is_sample,
    })
}

/// What a target's status follows from: `预计到期 14 个（目标 18 个）`; a
/// milestone's date; a met target's value against its goal.
fn measure(t: &TargetProgress, scale: &crate::format::Scale) -> String {
    let unit = &scale.unit;
    let goal = scale.rounded(t.target);
    match t.status {
        crate::targets::TargetStatus::Met => {
            format!("{} {unit}，目标 {goal} {unit}", scale.rounded(t.value))
        }
        _ if !t.is_paced() => format!("{}前达到 {goal} {unit}", t.due.label_zh()),
        _ => format!(
            "预计到期 {} {unit}（目标 {goal} {unit}）",
            scale.rounded(t.projection)
        ),
    }
}

/// The zones whose figures have a basis: `name（沿用 2026Q2）` for carried ones.
fn zones_with(report: &Report, basis: Basis) -> Vec<String> {
    report
        .zones
        .iter()
        .filter(|z| z.basis == basis)
        .map(|z| match (basis, z.source_period) {
            (Basis::Carried, Some(p)) => format!("{}（沿用{}数据）", z.name, p.label_zh()),
            (Basis::Carried, None) => format!("{}（沿用上期数据）", z.name),
            _ => z.name.clone(),
        })
        .collect()
}
