//! The report workbook (双高协同季度报告_<P>.xlsx): eleven sheets made from
//! the computed [`Report`], for provincial staff in Excel or WPS.
//!
//! Nothing here computes a figure: cells show the model's values (a 万元
//! amount shown in 亿元 on 总览 is divided for display only). The bytes depend
//! on the report alone, so the same report gives the same file.

use chrono::Datelike;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

use crate::report::Report;

mod grid;
mod overview;
mod records;
mod tables;
#[cfg(test)]
mod tests;

/// The banner of every report made from sample returns.
const SAMPLE_NOTE: &str = "示例数据：本报告使用合成的示例数据，不代表真实情况";

/// The sheets, in order.
pub const SHEETS: [&str; 11] = [
    overview::OVERVIEW,
    overview::TARGETS,
    tables::ZONES,
    tables::CITIES,
    tables::UNIVERSITIES,
    tables::PAIRS,
    tables::FIVE_ONES,
    tables::TREND,
    records::SUBMISSIONS,
    records::FINDINGS,
    records::SOURCES,
];

/// Renders the report workbook to xlsx bytes.
pub fn write_workbook(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let st = grid::Styles::new();
    let mut wb = Workbook::new();
    wb.set_properties(&properties(report)?);
    let r = report;
    let sheets = [
        overview::overview(r, &st)?,
        overview::targets(r, &st)?,
        tables::zones(r, &st)?,
        tables::cities(r, &st)?,
        tables::universities(r, &st)?,
        tables::pairs(r, &st)?,
        tables::five_ones(r, &st)?,
        tables::trend(r, &st)?,
        records::submissions(r, &st)?,
        records::findings(r, &st)?,
        records::sources(r, &st)?,
    ];
    for sheet in sheets {
        wb.push_worksheet(sheet);
    }
    wb.save_to_buffer()
}

/// Title, author and a creation time taken from the quarter's last day, never
/// the clock, so the bytes are reproducible.
fn properties(r: &Report) -> Result<DocProperties, XlsxError> {
    let end = r.period.end();
    let created = ExcelDateTime::from_ymd(end.year() as u16, end.month() as u8, end.day() as u8)?;
    let mut props = DocProperties::new()
        .set_title(format!("双高协同季度报告 · {}", r.period.label_zh()))
        .set_subject(format!("{} 双高协同统计", r.period))
        .set_author("shuanggao")
        .set_creation_datetime(&created);
    if r.is_sample {
        props = props.set_comment(SAMPLE_NOTE);
    }
    Ok(props)
}
