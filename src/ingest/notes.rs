//! 情况说明 written outside the workbook: the portal (`shuanggao serve`)
//! keeps the explanations a clerk types in the page beside the return, in
//! `<quarter>/.情况说明/<file name>.json`, so `check`, `status` and `report`
//! apply them exactly as rows of the file's own 情况说明 sheet
//! (docs/return-form.md §6.5). The folder is hidden from
//! [`ReturnsFolder::scan`](super::ReturnsFolder::scan), which reads only
//! files.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::Explanation;

/// The hidden folder, inside a quarter's folder, that holds the notes.
pub const NOTES_DIR: &str = ".情况说明";

/// One explanation as stored: the 情况说明 sheet's three columns, plus who
/// wrote it and when (kept for people; the check reads the three).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub rule: String,
    pub location: String,
    pub text: String,
    #[serde(default)]
    pub by: String,
    #[serde(default)]
    pub at: String,
}

/// Where the notes of the return at `path` are kept.
pub fn notes_path(path: &Path) -> PathBuf {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    path.with_file_name(NOTES_DIR).join(format!("{name}.json"))
}

/// The notes kept for the return at `path` (none when there is no file; an
/// unreadable notes file explains nothing).
pub fn notes_beside(path: &Path) -> Vec<Note> {
    std::fs::read(notes_path(path))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// The notes as 情况说明 rows (row 0: they are on no sheet).
pub fn explanations_beside(path: &Path) -> Vec<Explanation> {
    notes_beside(path)
        .into_iter()
        .map(|n| Explanation {
            row: 0,
            rule: crate::text::label_key(&n.rule).to_uppercase(),
            location: n.location,
            text: n.text,
        })
        .collect()
}
