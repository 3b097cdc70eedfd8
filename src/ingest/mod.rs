//! Stage 1, ingest: read a return file of any spreadsheet format into sheets
//! located by name, header rows found, columns mapped to the form's fields.
//!
//! Hostile files must not hurt: the file size, the uncompressed size and every
//! sheet's cell count and extent are bounded before anything large is
//! allocated, and whatever cannot be read becomes an F01 issue.

mod grid;
mod layout;
mod open;

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

pub use grid::{format_number, group_thousands, CellValue, Grid, Merge};
pub use layout::{RawCell, RawRow, RawSheet};
pub use open::BookSheet;

use crate::config::Form;
use crate::model::{Issue, SourceFile};

/// A return file as read: its sheets by form key (`basic`, `projects` …).
#[derive(Debug, Clone)]
pub struct RawReturn {
    pub source: SourceFile,
    pub sheets: BTreeMap<String, RawSheet>,
    /// The workbook carries the sample marker (示例数据).
    pub is_sample: bool,
    /// Structural problems (S01, S02, S04).
    pub issues: Vec<Issue>,
    /// The stamp of a generated template, when the file carries one.
    pub template: Option<TemplateStamp>,
}

/// What a generated template's hidden sheet says about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateStamp {
    pub version: String,
    pub zone_code: String,
    pub period: String,
}

/// A file that could not be read at all.
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub source: SourceFile,
    pub issue: Issue,
}

/// Reads one return file. `name` is how findings will name it.
pub fn read_return(path: &Path, name: &str, form: &Form) -> Result<RawReturn, Box<Unreadable>> {
    let (bytes, source) = match load(path, name, form.limits.max_file_bytes) {
        Ok(x) => x,
        Err((source, reason)) => return Err(unreadable(source, reason)),
    };
    match open::read_workbook(bytes, form) {
        Ok(book) => Ok(layout::locate(book, source, form)),
        Err(reason) => Err(unreadable(source, reason)),
    }
}

/// The form sheets of a file as grids (for feedback copies and for comparing
/// two versions of a return). Other sheets come back without a grid.
pub fn read_sheets(path: &Path, form: &Form) -> Result<Vec<BookSheet>, String> {
    let (bytes, _) = load(path, "", form.limits.max_file_bytes).map_err(|(_, reason)| reason)?;
    open::read_workbook(bytes, form)
}

fn unreadable(source: SourceFile, reason: String) -> Box<Unreadable> {
    Box::new(Unreadable {
        source,
        issue: Issue::new("F01").arg("reason", reason),
    })
}

/// Reads the file's bytes (bounded) and describes it.
fn load(
    path: &Path,
    name: &str,
    max_bytes: u64,
) -> Result<(Vec<u8>, SourceFile), (SourceFile, String)> {
    let meta = std::fs::metadata(path);
    let modified = meta
        .as_ref()
        .ok()
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let mut source = SourceFile {
        name: name.to_string(),
        path: path.to_path_buf(),
        sha256: String::new(),
        bytes: meta.as_ref().map(|m| m.len()).unwrap_or(0),
        modified,
    };
    if source.bytes > max_bytes {
        let reason = format!(
            "文件大小 {:.1} MB 超过上限 {:.0} MB",
            source.bytes as f64 / 1e6,
            max_bytes as f64 / 1e6
        );
        return Err((source, reason));
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return Err((source, format!("无法打开文件（{e}）"))),
    };
    source.bytes = bytes.len() as u64;
    source.sha256 = sha256_hex(&bytes);
    Ok((bytes, source))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A file to check and how findings should name it.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: std::path::PathBuf,
    /// Relative to the returns folder, with `/` separators.
    pub name: String,
}

/// The returns folder: one sub-folder per quarter (`2026Q3/`), each holding
/// that quarter's files.
#[derive(Debug, Clone, Default)]
pub struct ReturnsFolder {
    pub root: std::path::PathBuf,
    pub periods: BTreeMap<crate::model::Period, Vec<InputFile>>,
    /// Sub-folders whose names are not quarters (reported, not read).
    pub ignored: Vec<String>,
}

impl ReturnsFolder {
    /// Lists the quarters and their files. Hidden files and Office lock files
    /// (`~$…`) are skipped; every other file is read, whatever its name.
    pub fn scan(root: &Path) -> crate::error::Result<ReturnsFolder> {
        let mut folder = ReturnsFolder {
            root: root.to_path_buf(),
            ..ReturnsFolder::default()
        };
        for entry in list_dir(root)? {
            let name = entry.file_name().to_string_lossy().to_string();
            if !entry.path().is_dir() || name.starts_with('.') {
                continue;
            }
            let Some(period) = crate::model::Period::parse(&name) else {
                folder.ignored.push(name);
                continue;
            };
            let mut files = Vec::new();
            for file in list_dir(&entry.path())? {
                let file_name = file.file_name().to_string_lossy().to_string();
                if file.path().is_file()
                    && !file_name.starts_with('.')
                    && !file_name.starts_with("~$")
                {
                    files.push(InputFile {
                        path: file.path(),
                        name: format!("{name}/{file_name}"),
                    });
                }
            }
            files.sort_by(|a, b| a.name.cmp(&b.name));
            folder.periods.entry(period).or_default().extend(files);
        }
        Ok(folder)
    }

    pub fn latest(&self) -> Option<crate::model::Period> {
        self.periods.keys().next_back().copied()
    }
}

fn list_dir(dir: &Path) -> crate::error::Result<Vec<std::fs::DirEntry>> {
    let read = |e| crate::error::Error::Read {
        path: dir.to_path_buf(),
        source: e,
    };
    let mut entries = std::fs::read_dir(dir)
        .map_err(read)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(read)?;
    entries.sort_by_key(|e| e.file_name());
    Ok(entries)
}
