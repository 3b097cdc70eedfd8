//! Review decisions kept beside the return: the portal writes each city's
//! and the province's 审核通过 / 退回 / 重新开放 of a return into
//! `<quarter>/.审核/<file name>.json` (a list, oldest first, written
//! atomically), so that `check`, `status` and `report` see the review
//! exactly as the portal does (docs/review-workflow.md). The folder is
//! hidden from [`ReturnsFolder::scan`](super::ReturnsFolder::scan), which
//! reads only files.

use std::path::{Path, PathBuf};

use crate::model::Decision;

/// The hidden folder, inside a quarter's folder, that holds the decisions.
pub const DECISIONS_DIR: &str = ".审核";

/// Where the decisions about the return at `path` are kept.
pub fn decisions_path(path: &Path) -> PathBuf {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    path.with_file_name(DECISIONS_DIR)
        .join(format!("{name}.json"))
}

/// The decisions kept for the return at `path`, oldest first (none when
/// there is no file; an unreadable file decides nothing).
pub fn decisions_beside(path: &Path) -> Vec<Decision> {
    std::fs::read(decisions_path(path))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}
