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

mod opc;
mod package;
mod scan;
mod sheet;
mod strings;
mod styles;
mod text;

use super::open::{corrupt, each_sheet, Zip};
use crate::config::Limits;
use crate::model::BookSheet;

pub(super) fn read(
    zip: &mut Zip<'_>,
    wanted: &dyn Fn(&str) -> bool,
    limits: &Limits,
) -> Result<Vec<BookSheet>, String> {
    let parts = opc::Parts::new(zip);
    let package = package::Package::read(zip, &parts, limits)?;
    let optional = |zip: &mut Zip<'_>, path: &Option<String>| -> Result<Vec<u8>, String> {
        match path {
            Some(path) => Ok(parts.xml(zip, path, limits)?.unwrap_or_default()),
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
        let xml = parts
            .xml(zip, path, limits)?
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
