//! Stage 1, ingest: read a return file of any spreadsheet format into sheets
//! located by name, header rows found, columns mapped to the form's fields.
//!
//! [`load`] is the only place the pipeline reads a return's bytes: each file
//! is read once, hashed once and parsed once; what later stages need of it
//! (values with their cells, and for the quarter being reported the form
//! sheets' cells for feedback) is kept from that one parse.
//!
//! Hostile files must not hurt: the file size, the uncompressed size and every
//! sheet's cell count and extent are bounded before anything large is
//! allocated, and whatever cannot be read becomes an F01 issue.

pub(crate) mod budget;
pub mod decisions;
mod files;
pub(crate) mod grid;
mod layout;
pub mod notes;
mod ods;
pub(crate) mod open;
mod xls;
mod xlsb;
mod xlsx;
mod xml;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

pub use files::{InputFile, ReturnsFolder};
pub use layout::{FormSheet, RawCell, RawRow, RawSheet};
pub use open::{read_workbook, sniff, Format};

use crate::config::Form;
use crate::digest::sha256_hex;
use crate::model::{BookSheet, Issue, SourceFile};

/// A return file as read: its form sheets by key (`basic`, `projects` …),
/// looked at through [`RawReturn::sheet`].
#[derive(Debug, Clone)]
pub struct RawReturn {
    pub source: SourceFile,
    pub sheets: BTreeMap<String, FormSheet>,
    /// The workbook carries the sample marker (示例数据).
    pub is_sample: bool,
    /// Structural problems (S01, S02, S04).
    pub issues: Vec<Issue>,
    /// The stamp of a generated template, when the file carries one.
    pub template: Option<TemplateStamp>,
    /// The workbook's sheets in file order; the form's with their cells.
    pub book: Vec<BookSheet>,
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

/// How many input files this process has read (each read is one call of
/// [`load`]; a test checks a run reads every file once).
static FILES_READ: AtomicUsize = AtomicUsize::new(0);

pub fn files_read() -> usize {
    FILES_READ.load(Ordering::Relaxed)
}

/// Reads one return file: [`load`], then [`from_bytes`].
pub fn read(file: &InputFile, form: &Form) -> Result<RawReturn, Box<Unreadable>> {
    let loaded = load(file, form)?;
    from_bytes(&loaded.bytes, loaded.source, form)
}

/// A file's bytes, with its description and fingerprint.
pub struct Loaded {
    pub bytes: Vec<u8>,
    pub source: SourceFile,
}

/// Reads a file's bytes (within the size limit) and hashes them: the only
/// place the pipeline reads a return from disk.
pub fn load(file: &InputFile, form: &Form) -> Result<Loaded, Box<Unreadable>> {
    FILES_READ.fetch_add(1, Ordering::Relaxed);
    match read_bytes(file, form.limits.max_file_bytes) {
        Ok((bytes, source)) => Ok(Loaded { bytes, source }),
        Err((source, reason)) => Err(unreadable(source, reason)),
    }
}

/// Reads a return from its bytes (no file system).
pub fn from_bytes(
    bytes: &[u8],
    source: SourceFile,
    form: &Form,
) -> Result<RawReturn, Box<Unreadable>> {
    match read_workbook(bytes, form) {
        Ok(book) => Ok(layout::locate(book, source, form)),
        Err(reason) => Err(unreadable(source, reason)),
    }
}

/// F01 for a file, with the reason in Chinese.
pub fn unreadable(source: SourceFile, reason: String) -> Box<Unreadable> {
    Box::new(Unreadable {
        source,
        issue: Issue::new("F01").arg("reason", reason),
    })
}

/// What [`load`] says of a file whose bytes are already in hand (an
/// upload just written), without reading it again.
pub fn describe(file: &InputFile, bytes: &[u8], sha256: String) -> SourceFile {
    SourceFile {
        sha256,
        bytes: bytes.len() as u64,
        ..unread(file)
    }
}

/// A file's name, path, size and modification time, before it is read.
fn unread(file: &InputFile) -> SourceFile {
    let meta = std::fs::metadata(&file.path);
    let modified = meta
        .as_ref()
        .ok()
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    SourceFile {
        name: file.name.clone(),
        path: file.path.clone(),
        sha256: String::new(),
        bytes: meta.as_ref().map(|m| m.len()).unwrap_or(0),
        modified,
    }
}

/// Reads the file's bytes (bounded) and describes it.
fn read_bytes(
    file: &InputFile,
    max_bytes: u64,
) -> Result<(Vec<u8>, SourceFile), (SourceFile, String)> {
    let mut source = unread(file);
    if source.bytes > max_bytes {
        let reason = format!(
            "文件大小 {:.1} MB 超过上限 {:.0} MB",
            source.bytes as f64 / 1e6,
            max_bytes as f64 / 1e6
        );
        return Err((source, reason));
    }
    let bytes = match std::fs::read(&file.path) {
        Ok(b) => b,
        Err(e) => return Err((source, format!("无法打开文件（{e}）"))),
    };
    source.bytes = bytes.len() as u64;
    source.sha256 = sha256_hex(&bytes);
    Ok((bytes, source))
}
