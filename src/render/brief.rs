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
use crate::format::{group_thousands as format_number, in_display, percent};
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
        "targets": report.targets.iter().map(target).collect::<Vec<_>>(),
        "targets_note": report.targets_note(),
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

/// Which headline figures are shown in another unit than the returns use
/// (合作经费投入 in 亿元), so the notes never claim one unit for every
/// amount: the targets table keeps each target's own unit.
fn units_note(report: &Report) -> String {
    let shown: Vec<String> = report
        .with_role(Role::Headline)
        .filter_map(|i| {
            let d = i.display.as_ref()?;
            Some(format!("{}以{}计", i.name, d.unit))
        })
        .collect();
    let tiles = if shown.is_empty() {
        String::new()
    } else {
        format!("全省累计中的{}，", shown.join("、"))
    };
    format!(
        "金额的单位随数字注明：{tiles}目标进度表中的金额以目标所用单位计（1 亿元 = 10,000 万元）"
    )
}

/// A figure tile: the province value in the indicator's display unit, and
/// the change over last quarter.
fn headline(report: &Report, i: &IndicatorInfo) -> serde_json::Value {
    let change = report
        .headline(&i.code)
        .map(|h| h.figure)
        .unwrap_or_default();
    let shown = |v: f64| match &i.display {
        Some(d) => in_display(v, d).1,
        None => format_number(v),
    };
    let unit = i
        .display
        .as_ref()
        .map_or(i.unit.as_str(), |d| d.unit.as_str());
    json!({
        "label": i.name,
        "value": shown(change.value),
        "unit": unit,
        "change": change.delta().map(|d| {
            format!("较上季度{}{}", if d >= 0.0 { "增加 " } else { "减少 " }, shown(d.abs()))
        }),
    })
}

fn target(t: &TargetProgress) -> serde_json::Value {
    json!({
        "scope": t.scope,
        "name": t.name,
        "kind": t.kind.label_zh(),
        "value": format!("{} {}", format_number((t.value * 100.0).round() / 100.0), t.unit),
        "target": format!("{} {}", format_number(t.target), t.unit),
        "progress": percent(t.progress),
        "elapsed": percent(t.elapsed),
        "projection": format!("{} {}", format_number(t.projection.round()), t.unit),
        "needed": format!("{} {}", format_number((t.needed_per_quarter * 10.0).round() / 10.0), t.unit),
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
