//! Stage 6, render: outputs laid out from the computed [`Report`]. Nothing
//! here computes a figure, and nothing here reads an input: render knows the
//! report model, fonts and templates only.

pub mod brief;
pub mod charts;
pub mod data;
pub mod feedback;
pub mod fonts;
pub mod palette;
pub mod template;
pub mod workbook;
mod xlsx;

use std::path::{Path, PathBuf};

use crate::digest::sha256_hex;
use crate::error::{Error, Result};
use crate::report::{FeedbackBook, Report};

/// The workbook's file name for a quarter.
pub fn workbook_name(period: crate::model::Period) -> String {
    format!("双高协同季度报告_{period}.xlsx")
}

/// How the report is rendered: fonts, and whether (and from which template)
/// the PDF brief is made.
#[derive(Clone)]
pub struct RenderOptions {
    pub fonts: fonts::Fonts,
    pub pdf: bool,
    pub template: String,
}

impl Default for RenderOptions {
    fn default() -> RenderOptions {
        RenderOptions {
            fonts: fonts::Fonts::embedded(),
            pdf: true,
            template: brief::TEMPLATE.to_string(),
        }
    }
}

/// Writes `<out>/<period>/` as a whole: every file is built in a temporary
/// folder beside it, which then replaces the old folder, so readers never see
/// a half-written report.
pub fn write_report(
    report: &Report,
    timings: &[(String, f64)],
    out: &Path,
    options: &RenderOptions,
) -> Result<PathBuf> {
    let target = out.join(report.period.to_string());
    std::fs::create_dir_all(out).map_err(|e| Error::write(out, e))?;
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{}-", report.period))
        .tempdir_in(out)
        .map_err(|e| Error::write(out, e))?;
    // The charts and the brief on some threads, the data files and the
    // workbooks on others.
    let (drawn, files) = rayon::join(
        || charts_and_brief(report, options),
        || data_files(report, &target),
    );
    let (charts, brief) = drawn.map_err(|e| Error::write(&target, e))?;
    let (mut outputs, feedback) = files?;
    outputs.extend(brief);
    outputs.extend(feedback);
    for chart in &charts {
        outputs.push((format!("charts/{}.png", chart.stem), chart.png.clone()));
        outputs.push((
            format!("charts/{}.svg", chart.stem),
            chart.svg.clone().into_bytes(),
        ));
    }
    let digests: Vec<(String, String)> = outputs
        .iter()
        .map(|(name, bytes)| (name.clone(), sha256_hex(bytes)))
        .collect();
    outputs.push((
        "manifest.json".into(),
        data::manifest_json(report, &digests, timings).map_err(|e| Error::write(&target, e))?,
    ));
    publish(staging, &outputs, out, &target, report.period)?;
    Ok(target)
}

/// Writes the files into the staging folder, then swaps it in for `target`.
fn publish(
    staging: tempfile::TempDir,
    outputs: &[File],
    out: &Path,
    target: &Path,
    period: crate::model::Period,
) -> Result<()> {
    for (name, bytes) in outputs {
        if let Some(dir) = staging.path().join(name).parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
        }
        std::fs::write(staging.path().join(name), bytes)
            .map_err(|e| Error::write(staging.path().join(name), e))?;
    }
    let staged = staging.keep();
    crate::output::readable_by_all(&staged)?;
    let old = out.join(format!(".{period}-old-{}", std::process::id()));
    if target.exists() {
        std::fs::rename(target, &old).map_err(|e| Error::write(target, e))?;
    }
    std::fs::rename(&staged, target).map_err(|e| Error::write(target, e))?;
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(|e| Error::write(&old, e))?;
    }
    Ok(())
}

/// The charts, and the brief made with them (when asked for).
fn charts_and_brief(
    report: &Report,
    options: &RenderOptions,
) -> std::result::Result<(Vec<charts::Drawn>, Option<File>), String> {
    let charts = charts::draw_all(report, &options.fonts)?;
    let brief = if options.pdf {
        let shown: Vec<charts::Drawn> = charts.iter().filter(|c| c.in_brief).cloned().collect();
        let pdf = brief::write_pdf(report, &shown, &options.fonts, &options.template)?;
        Some((brief::file_name(report.period), pdf))
    } else {
        None
    };
    Ok((charts, brief))
}

/// A file by name.
type File = (String, Vec<u8>);
type Files = Vec<File>;

/// The workbook and the data files; the feedback workbooks.
fn data_files(report: &Report, target: &Path) -> Result<(Files, Files)> {
    let (book, feedback) = rayon::join(
        || workbook::write_workbook(report).map_err(|e| Error::write(target, e)),
        || feedback_files(&report.feedback),
    );
    let outputs = vec![
        (workbook_name(report.period), book?),
        (
            "facts.csv".into(),
            data::facts_csv(report).map_err(|e| Error::write(target, e))?,
        ),
        (
            "findings.json".into(),
            data::findings_json(report).map_err(|e| Error::write(target, e))?,
        ),
    ];
    let feedback = feedback?
        .into_iter()
        .map(|(name, bytes)| (format!("反馈/{name}"), bytes))
        .collect();
    Ok((outputs, feedback))
}

/// The feedback workbooks: (file name, bytes).
pub fn feedback_files(books: &[FeedbackBook]) -> Result<Vec<(String, Vec<u8>)>> {
    books
        .iter()
        .map(|book| {
            let bytes =
                feedback::write_feedback(book).map_err(|e| Error::write(&book.file_name, e))?;
            Ok((book.file_name.clone(), bytes))
        })
        .collect()
}
