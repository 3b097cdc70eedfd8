//! `.xlsx` / `.xlsm` (Office Open XML), read by the project's own reader:
//! each part the form needs (the workbook, the shared strings, the styles
//! that say which cells are dates, and the form's sheets) is inflated once
//! and parsed once from memory, cell values, formulas and merged regions in
//! the same pass. No part's declared count sizes an allocation.
//!
//! The values are those calamine reads from the same files (a differential
//! test over every workbook in `tests/` holds the two readers together);
//! calamine parses each sheet twice (once for the cells, once for its merged
//! regions) and copies every event through a buffer, which made it the
//! largest cost of a report.

mod package;
mod scan;
mod sheet;
mod strings;
mod styles;
mod text;

use std::io::Read;

use super::open::{corrupt, each_sheet, Zip};
use crate::config::Limits;
use crate::model::BookSheet;

pub(super) fn read(
    zip: &mut Zip<'_>,
    wanted: &dyn Fn(&str) -> bool,
    limits: &Limits,
) -> Result<Vec<BookSheet>, String> {
    let package = package::Package::read(zip, limits)?;
    let optional = |zip: &mut Zip<'_>, path: &Option<String>| -> Result<Vec<u8>, String> {
        match path {
            Some(path) => Ok(part(zip, path, limits)?.unwrap_or_default()),
            None => Ok(Vec::new()),
        }
    };
    let mut strings = strings::SharedStrings::parse(&optional(zip, &package.shared_strings)?)?;
    let styles = styles::Styles::parse(&optional(zip, &package.styles)?)?;
    let names = package.sheets.iter().map(|(n, _)| n.clone()).collect();
    each_sheet(names, wanted, |name| {
        let path = package
            .sheets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p.as_str())
            .unwrap_or_default();
        let xml = part(zip, path, limits)?
            .ok_or_else(|| corrupt(&format!("缺少工作表“{name}”的部件 {path}")))?;
        let mut context = sheet::Context {
            strings: &mut strings,
            styles: &styles,
            date1904: package.date1904,
            limits,
        };
        sheet::read(&xml, &mut context)
    })
}

/// A part of the package, inflated (`None` when absent). Names are matched
/// as Excel does: case-insensitively, `\` read as `/`.
pub(super) fn part(
    zip: &mut Zip<'_>,
    path: &str,
    limits: &Limits,
) -> Result<Option<Vec<u8>>, String> {
    let wanted = path.trim_start_matches('/').replace('\\', "/");
    let index = zip.index_for_name(&wanted).or_else(|| {
        let lower = wanted.to_lowercase();
        (0..zip.len()).find(|&i| {
            zip.name_for_index(i)
                .is_some_and(|n| n.is_ok_and(|n| n.replace('\\', "/").to_lowercase() == lower))
        })
    });
    let Some(index) = index else {
        return Ok(None);
    };
    let entry = zip.by_index(index).map_err(|e| corrupt(&e))?;
    let declared = entry.size();
    let mut out = Vec::with_capacity(declared.min(limits.max_uncompressed_bytes) as usize);
    entry
        .take(limits.max_uncompressed_bytes + 1)
        .read_to_end(&mut out)
        .map_err(|e| corrupt(&e))?;
    if out.len() as u64 > limits.max_uncompressed_bytes {
        return Err(format!(
            "解压后大小超过上限 {:.0} MB",
            limits.max_uncompressed_bytes as f64 / 1e6
        ));
    }
    Ok(Some(out))
}
