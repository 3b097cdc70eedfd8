//! The returns folder: one sub-folder per quarter, each holding that
//! quarter's files, listed in a fixed order.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::Period;

/// A file to check and how findings should name it.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: PathBuf,
    /// Relative to the returns folder, with `/` separators.
    pub name: String,
}

/// The returns folder: one sub-folder per quarter (`2026Q3/`), each holding
/// that quarter's files.
#[derive(Debug, Clone, Default)]
pub struct ReturnsFolder {
    pub root: PathBuf,
    pub periods: BTreeMap<Period, Vec<InputFile>>,
    /// Sub-folders whose names are not quarters (reported, not read).
    pub ignored: Vec<String>,
}

impl ReturnsFolder {
    /// Lists the quarters and their files. Hidden files and Office lock files
    /// (`~$…`) are skipped; every other file is read, whatever its name.
    pub fn scan(root: &Path) -> Result<ReturnsFolder> {
        let mut folder = ReturnsFolder {
            root: root.to_path_buf(),
            ..ReturnsFolder::default()
        };
        for entry in list_dir(root)? {
            let name = entry.file_name().to_string_lossy().to_string();
            if !entry.path().is_dir() || name.starts_with('.') {
                continue;
            }
            let Some(period) = Period::parse(&name) else {
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

    pub fn latest(&self) -> Option<Period> {
        self.periods.keys().next_back().copied()
    }
}

fn list_dir(dir: &Path) -> Result<Vec<std::fs::DirEntry>> {
    let read = |e| Error::Read {
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
