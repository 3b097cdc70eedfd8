//! The leaders' brief (双高协同领导简报_<P>.pdf), typeset by typst from a
//! template (`assets/brief.typ`, embedded; `--template` overrides it). The
//! template receives the report as `/data.json` and the charts as
//! `/charts/<name>.svg`; it lays out, it does not compute.

use std::collections::HashMap;

use serde_json::json;
use typst::diag::{FileError, FileResult, Severity as TypstSeverity};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;

use super::charts::Drawn;
use super::fonts::Fonts;
use super::palette::{self, hex};
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
    fonts: &Fonts,
    template: &str,
) -> Result<Vec<u8>, String> {
    let world = BriefWorld::new(report, charts, fonts, template)?;
    let warned = typst::compile::<PagedDocument>(&world);
    let document = warned.output.map_err(|errors| {
        let messages: Vec<String> = errors
            .iter()
            .filter(|d| d.severity == TypstSeverity::Error)
            .map(|d| {
                let line = d
                    .span
                    .id()
                    .and_then(|id| world.source(id).ok())
                    .and_then(|s| {
                        let range = world.range(d.span)?;
                        s.lines().byte_to_line(range.start).map(|l| l + 1)
                    });
                match line {
                    Some(l) => format!("第 {l} 行：{}", d.message),
                    None => d.message.to_string(),
                }
            })
            .collect();
        format!("简报模板排版失败：{}", messages.join("；"))
    })?;
    let date = pdf_date(report.as_of)?;
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(format!("shuanggao-brief-{}", report.period)),
        creator: Smart::Custom(Some(format!("shuanggao {}", report.tool_version))),
        timestamp: Some(typst_pdf::Timestamp::new_utc(date)),
        ..Default::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| {
        let messages: Vec<String> = errors.iter().map(|d| d.message.to_string()).collect();
        format!("简报生成 PDF 失败：{}", messages.join("；"))
    })
}

fn pdf_date(d: chrono::NaiveDate) -> Result<Datetime, String> {
    use chrono::Datelike;
    Datetime::from_ymd_hms(d.year(), d.month() as u8, d.day() as u8, 0, 0, 0)
        .ok_or_else(|| format!("日期 {d} 无效"))
}

/// What the template reads: the report plus display strings, so the template
/// never formats numbers itself, and the status colours from the palette.
fn data(report: &Report, charts: &[Drawn], font: &str) -> serde_json::Value {
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
        "charts": charts.iter().map(|c| json!({"file": format!("/charts/{}.svg", c.stem), "title": c.title})).collect::<Vec<_>>(),
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
    })
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

fn target(report: &Report, t: &TargetProgress) -> serde_json::Value {
    let scale = report.scale_of(&t.metric, &t.unit);
    let shown = |v: f64, tenths: bool| {
        if scale.is_converted() {
            scale.text(v)
        } else if tenths {
            format_number((v * 10.0).round() / 10.0)
        } else {
            format_number(v.round())
        }
    };
    json!({
        "scope": t.scope,
        "name": t.name,
        "kind": t.kind.label_zh(),
        "value_basis": t.value_basis().label_zh(),
        "value": format!("{} {}", shown(t.value, false), scale.unit),
        "target": format!("{} {}", shown(t.target, false), scale.unit),
        "progress": percent(t.progress),
        "elapsed": percent(t.elapsed),
        "projection": format!("{} {}", shown(t.projection, false), scale.unit),
        "needed": format!("{} {}", shown(t.needed_per_quarter, true), scale.unit),
        "status": t.status.label_zh(),
        "colour": hex(palette::chart(t.status.tone())),
        "sample_baseline": t.baseline_is_sample,
    })
}

/// The zones whose figures have a basis: `name（沿用 2026Q2）` for carried ones.
fn zones_with(report: &Report, basis: Basis) -> Vec<String> {
    report
        .zones
        .iter()
        .filter(|z| z.basis == basis)
        .map(|z| match (basis, z.source_period) {
            (Basis::Carried, Some(p)) => format!("{}（沿用 {p}）", z.name),
            (Basis::Carried, None) => format!("{}（沿用 ）", z.name),
            _ => z.name.clone(),
        })
        .collect()
}

/// An in-memory typst world: one template, one data file, the charts, fonts.
struct BriefWorld {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: FileId,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

fn id(path: &str) -> Result<FileId, String> {
    let vpath = VirtualPath::new(path).map_err(|e| format!("{path}: {e:?}"))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl BriefWorld {
    fn new(
        report: &Report,
        charts: &[Drawn],
        fonts: &Fonts,
        template: &str,
    ) -> Result<BriefWorld, String> {
        let family = fonts.family();
        let fonts: Vec<Font> = fonts
            .files
            .iter()
            .flat_map(|b| Font::iter(Bytes::new(*b)))
            .collect();
        if fonts.is_empty() {
            return Err("没有可用的字体".into());
        }
        let main = id("/main.typ")?;
        let mut files = HashMap::new();
        files.insert(main, Bytes::new(template.as_bytes().to_vec()));
        let data = serde_json::to_vec(&data(report, charts, &family)).map_err(|e| e.to_string())?;
        files.insert(id("/data.json")?, Bytes::new(data));
        for c in charts {
            files.insert(
                id(&format!("/charts/{}.svg", c.stem))?,
                Bytes::new(c.svg.clone().into_bytes()),
            );
        }
        Ok(BriefWorld {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            main,
            files,
            today: pdf_date(report.as_of)?,
        })
    }
}

impl World for BriefWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        let bytes = self.file(id)?;
        let text = std::str::from_utf8(bytes.as_slice()).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.to_string()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
