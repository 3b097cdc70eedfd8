//! Printing, document properties and dates. Nothing here reads the clock:
//! a workbook's creation date is a date the caller takes from the quarter.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Worksheet, XlsxError};

use super::Res;

/// Excel's paper size code for A4.
const A4: u8 = 9;
/// The page footer: `第 1 页，共 3 页`, centred.
const PAGE_FOOTER: &str = "&C第 &P 页，共 &N 页";

/// Prints one page wide and as many pages tall as it takes; landscape when
/// asked.
pub(crate) fn fit_width(ws: &mut Worksheet, landscape: bool) {
    if landscape {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
}

/// Prints on A4 (the report workbook keeps the printer's default).
pub(crate) fn a4(ws: &mut Worksheet) {
    ws.set_paper_size(A4);
}

/// The report workbook's pages: A4 landscape, the report's title and the
/// sheet's name in the header, page numbers in the footer.
pub(crate) fn report_pages(ws: &mut Worksheet, title: &str) {
    a4(ws);
    ws.set_landscape();
    ws.set_header(format!("&L{}&R&A", header_text(title)));
    ws.set_footer(PAGE_FOOTER);
}

/// Text for a page header: `&` is the header's escape character.
fn header_text(text: &str) -> String {
    text.replace('&', "&&")
}

/// A4, one page wide, pages numbered in the footer: the feedback workbooks.
pub(crate) fn a4_numbered(ws: &mut Worksheet, landscape: bool) {
    fit_width(ws, landscape);
    a4(ws);
    ws.set_footer(PAGE_FOOTER);
}

/// Columns (Excel character units, default margins) an A4 page holds at
/// 100 %, portrait and landscape, as LibreOffice prints them (measured:
/// 155 units printed one page wide, landscape, at 68 %).
pub(crate) const A4_PORTRAIT_UNITS: f64 = 70.0;
pub(crate) const A4_LANDSCAPE_UNITS: f64 = 105.0;
/// The smallest scale a page prints at and stays legible (11 pt text at
/// 8 pt or more).
const MIN_SCALE: f64 = 0.75;
/// The widest a sheet's printed columns may be (units) and still print one
/// page wide, landscape, at [`MIN_SCALE`] or more: writers narrow their
/// columns to this (see `measure::narrow_to`).
pub(crate) const A4_LEGIBLE_UNITS: f64 = A4_LANDSCAPE_UNITS / MIN_SCALE;

/// [`a4_numbered`], landscape when columns `width` units wide do not fit a
/// portrait page at 100 %.
pub(crate) fn a4_fitted(ws: &mut Worksheet, width: f64) {
    a4_numbered(ws, width > A4_PORTRAIT_UNITS);
}

/// Freezes the rows above `rows` and the columns left of `cols`, and prints
/// the frozen rows atop every page.
pub(crate) fn freeze_top(ws: &mut Worksheet, rows: u32, cols: u16) -> Res {
    ws.set_freeze_panes(rows, cols)?;
    if rows > 0 {
        ws.set_repeat_rows(0, rows - 1)?;
    }
    Ok(())
}

/// A date as Excel stores it.
pub(crate) fn excel_date(d: NaiveDate) -> Res<ExcelDateTime> {
    let year = u16::try_from(d.year()).map_err(|_| XlsxError::ParameterError(d.to_string()))?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)
}

/// A date and time as Excel stores it; `None` outside the years Excel shows
/// (1900–9999).
pub(crate) fn excel_datetime(d: &NaiveDateTime) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year())
        .ok()
        .filter(|y| (1900..=9999).contains(y))?;
    let date = ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8).ok()?;
    if d.time() == chrono::NaiveTime::MIN {
        Some(date)
    } else {
        date.and_hms(d.hour() as u16, d.minute() as u8, d.second())
            .ok()
    }
}

/// Title, subject, author and a creation date given by the caller (a day of
/// the quarter, never the clock), so the bytes are reproducible.
pub(crate) fn properties(
    title: impl Into<String>,
    subject: impl Into<String>,
    author: &str,
    created: NaiveDate,
) -> Res<DocProperties> {
    Ok(DocProperties::new()
        .set_title(title)
        .set_subject(subject)
        .set_author(author)
        .set_creation_datetime(&excel_date(created)?))
}
