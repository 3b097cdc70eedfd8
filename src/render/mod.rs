//! Stage 5, render: outputs made from the computed [`Report`](crate::report::Report).
//! Nothing here computes a figure.

pub mod data;
pub mod workbook;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::ingest::sha256_hex;
use crate::pipeline::Run;

/// The workbook's file name for a quarter.
pub fn workbook_name(period: crate::model::Period) -> String {
    format!("双高协同季度报告_{period}.xlsx")
}

/// Writes `<out>/<period>/` as a whole: every file is built in a temporary
/// folder beside it, which then replaces the old folder, so readers never see
/// a half-written report.
pub fn write_report(run: &Run, out: &Path) -> Result<PathBuf> {
    let report = &run.report;
    let target = out.join(report.period.to_string());
    std::fs::create_dir_all(out).map_err(|e| Error::write(out, e))?;
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{}-", report.period))
        .tempdir_in(out)
        .map_err(|e| Error::write(out, e))?;
    let mut outputs: Vec<(String, Vec<u8>)> = vec![
        (
            workbook_name(report.period),
            workbook::write_workbook(report).map_err(|e| Error::write(&target, e))?,
        ),
        (
            "facts.csv".into(),
            data::facts_csv(report).map_err(|e| Error::write(&target, e))?,
        ),
        (
            "findings.json".into(),
            data::findings_json(report).map_err(|e| Error::write(&target, e))?,
        ),
    ];
    let digests: Vec<(String, String)> = outputs
        .iter()
        .map(|(name, bytes)| (name.clone(), sha256_hex(bytes)))
        .collect();
    outputs.push((
        "manifest.json".into(),
        data::manifest_json(report, &digests, &run.timings)
            .map_err(|e| Error::write(&target, e))?,
    ));
    for (name, bytes) in &outputs {
        std::fs::write(staging.path().join(name), bytes)
            .map_err(|e| Error::write(staging.path().join(name), e))?;
    }
    let staged = staging.keep();
    let old = out.join(format!(".{}-old-{}", report.period, std::process::id()));
    if target.exists() {
        std::fs::rename(&target, &old).map_err(|e| Error::write(&target, e))?;
    }
    std::fs::rename(&staged, &target).map_err(|e| Error::write(&target, e))?;
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(|e| Error::write(&old, e))?;
    }
    Ok(target)
}
