//! The report workbook (双高协同季度报告_<P>.xlsx). Being written.

use crate::report::Report;

pub fn write_workbook(_report: &Report) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    Ok(Vec::new())
}
