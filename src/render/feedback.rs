//! Feedback workbooks (`<高新区>_<P>_问题反馈.xlsx`): what goes back to a zone
//! clerk for one submitted file.
//!
//! Sheets, in order:
//! - 问题清单 (`list.rs`): the title, sender, 反馈日期 and contact; the
//!   verdict in large type, zone, period, file, counts, what to do and by
//!   when; then one row per finding (序号, 级别, 规则, 位置, 填写值, 应为,
//!   说明与修改方法, 说明状态), each 位置 a link into the copies below;
//! - 更正内容 (`changes.rs`): only when this file replaced an earlier one
//!   and cells changed;
//! - 请核实 (`verify.rs`): only when some of the file's values are high on
//!   the 核查优先清单 (not errors; nothing is sent back for them);
//! - a copy of each of the file's own form sheets (`copy.rs`), values as
//!   read, laid out as the form (ruled table, header, amounts with thousands
//!   separators, dates as dates), merged regions re-merged, every cell a
//!   finding points at filled red (错误), amber (警告) or light blue (提示)
//!   and carrying the findings' messages as one comment (批注).
//!
//! A further sheet is one more module with a `fn(&mut Worksheet, …) -> Res`
//! and a line in [`write_feedback`]. Every sheet prints on A4 (landscape
//! when wide), one page wide at a legible scale, its header on every page
//! and the pages numbered; only the used rows print.
//!
//! Nothing here judges the return: the report stage decided the verdict,
//! the wording and the file name ([`FeedbackBook`]). The bytes depend on the
//! inputs alone (the creation date is the quarter's last day), so a rerun
//! gives the same file.

mod changes;
mod copy;
mod list;
mod verify;

use rust_xlsxwriter::{Color, DocProperties, Format, FormatAlign, Workbook, XlsxError};

use super::palette;
use super::xlsx::{self, internal_link, Res, MAX_COL, MAX_ROW};
use crate::model::{BookSheet, CellPos, Finding, Grid, Severity, SheetShape};
use crate::report::{FeedbackBook, ListedFinding};
use crate::text::sheet_key;

/// The first sheet: verdict and findings.
pub const LIST_SHEET: &str = "问题清单";
/// The cells a corrected file changed (only when there are any).
pub const CHANGES_SHEET: &str = "更正内容";
/// Values to verify (请核实, from the 核查优先清单; only when there are any).
pub const VERIFY_SHEET: &str = "请核实";
/// Who the comments and the document are from.
pub const AUTHOR: &str = "省科技厅";

/// The feedback workbook for one submitted file.
pub fn write_feedback(book: &FeedbackBook) -> Result<Vec<u8>, XlsxError> {
    let copies = plan_copies(book.sheets.as_deref());
    let places: Vec<Place> = book
        .findings
        .iter()
        .map(|f| place(&f.finding, &copies))
        .collect();
    let mut wb = Workbook::new();
    wb.set_properties(&properties(book)?);

    let ws = wb.add_worksheet();
    ws.set_name(LIST_SHEET)?;
    list::sheet(ws, book, &copies, &places)?;

    if !book.changes.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(CHANGES_SHEET)?;
        changes::sheet(ws, &book.changes, &copies)?;
    }

    if !book.verify.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(VERIFY_SHEET)?;
        verify::sheet(ws, &book.verify, &copies)?;
    }

    for (i, c) in copies.iter().enumerate() {
        let marked: Vec<(&ListedFinding, CellPos)> = places
            .iter()
            .zip(&book.findings)
            .filter_map(|(p, f)| match p {
                Place::Cell(at, pos) if *at == i => Some((f, *pos)),
                _ => None,
            })
            .collect();
        let ws = wb.add_worksheet();
        ws.set_name(&c.name)?;
        copy::sheet(ws, c, &marked)?;
    }
    wb.save_to_buffer()
}

/// A copy of one of the file's sheets.
struct Copy<'a> {
    /// The sheet's name in the file (what findings name).
    original: &'a str,
    /// Its name in the feedback workbook.
    name: String,
    grid: &'a Grid,
    /// How the form lies in it; `None` when the reader gave no shape.
    shape: Option<&'a SheetShape>,
}

/// The sheets to copy, in file order, with names Excel accepts that clash
/// with neither 问题清单/更正内容/请核实 nor each other.
fn plan_copies(sheets: Option<&[BookSheet]>) -> Vec<Copy<'_>> {
    let mut taken: Vec<String> = [LIST_SHEET, CHANGES_SHEET, VERIFY_SHEET]
        .map(str::to_lowercase)
        .to_vec();
    let mut out = Vec::new();
    for sheet in sheets.unwrap_or_default() {
        let Some(grid) = &sheet.grid else { continue };
        let base = xlsx::safe_sheet_name(&sheet.name);
        let mut name = base.clone();
        let mut n = 1;
        while taken.contains(&name.to_lowercase()) {
            let suffix = if n == 1 {
                "_原表".to_string()
            } else {
                format!("_{n}")
            };
            name = xlsx::with_suffix(&base, &suffix);
            n += 1;
        }
        taken.push(name.to_lowercase());
        out.push(Copy {
            original: &sheet.name,
            name,
            grid,
            shape: sheet.shape.as_ref(),
        });
    }
    out
}

/// Where a finding points, in the feedback workbook.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Place {
    /// A cell of a copy sheet.
    Cell(usize, CellPos),
    /// A row (1-based) of a copy sheet.
    Row(usize, u32),
    /// A copy sheet as a whole.
    Sheet(usize),
    /// Nothing in the workbook (the whole file, or a sheet not copied).
    Nowhere,
}

fn place(f: &Finding, copies: &[Copy]) -> Place {
    let Some(copy) = f.sheet.as_deref().and_then(|s| copy_of(copies, s)) else {
        return Place::Nowhere;
    };
    let cell = f
        .cell
        .as_deref()
        .and_then(CellPos::parse_a1)
        .filter(|p| p.row < MAX_ROW && p.col < MAX_COL);
    match (cell, f.row) {
        (Some(pos), _) => Place::Cell(copy, pos),
        (None, Some(row)) if (1..=MAX_ROW).contains(&row) => Place::Row(copy, row),
        _ => Place::Sheet(copy),
    }
}

/// The copy of the sheet a finding names: by exact name, else by the loose
/// sheet key when that is unambiguous.
fn copy_of(copies: &[Copy], sheet: &str) -> Option<usize> {
    if let Some(i) = copies.iter().position(|c| c.original == sheet) {
        return Some(i);
    }
    let key = sheet_key(sheet);
    let mut matches = copies
        .iter()
        .enumerate()
        .filter(|(_, c)| sheet_key(c.original) == key);
    match (matches.next(), matches.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

fn link_target(place: Place, copies: &[Copy]) -> Option<String> {
    let (copy, pos) = match place {
        Place::Cell(c, pos) => (c, pos),
        Place::Row(c, row) => (c, CellPos::new(row - 1, 0)),
        Place::Sheet(c) => (c, CellPos::new(0, 0)),
        Place::Nowhere => return None,
    };
    Some(internal_link(&copies[copy].name, pos))
}

/// Title, subject and author; created on the quarter's last day.
fn properties(book: &FeedbackBook) -> Res<DocProperties> {
    let who = book
        .zone
        .as_deref()
        .unwrap_or_else(|| crate::report::file_stem(&book.source));
    let props = xlsx::properties(
        format!("问题反馈 · {who} · {}", book.period.label_zh()),
        format!("双高协同季度报表审核：{}", book.conclusion.label_zh()),
        AUTHOR,
        book.period.end(),
    )?;
    Ok(if book.is_sample {
        props.set_comment("示例数据：本反馈基于合成的示例数据")
    } else {
        props
    })
}

// ---------------------------------------------------------------- formats

/// The fill of a cell marked for a finding of this severity.
pub fn fill_of(severity: Severity) -> u32 {
    palette::mark(severity.tone()).0
}

/// The text (and border) colour that goes with [`fill_of`].
fn text_of(severity: Severity) -> u32 {
    palette::mark(severity.tone()).1
}

/// The feedback workbook's formats: grey-ruled cells with text at the top,
/// headers on grey-blue.
struct Styles {
    label: Format,
    value: Format,
    value_wrap: Format,
    header: Format,
    body: Format,
    body_center: Format,
    link: Format,
    note: Format,
}

impl Styles {
    fn new() -> Styles {
        Styles {
            label: Format::new()
                .set_bold()
                .set_font_color(Color::RGB(xlsx::GREY_TEXT))
                .set_align(FormatAlign::Top),
            value: Format::new().set_align(FormatAlign::Top),
            value_wrap: Format::new().set_align(FormatAlign::Top).set_text_wrap(),
            header: xlsx::header_grey_blue(),
            body: xlsx::top_cell().set_text_wrap(),
            body_center: xlsx::top_cell().set_align(FormatAlign::Center),
            link: xlsx::top_cell().set_text_wrap().set_hyperlink(),
            note: xlsx::note_text(),
        }
    }

    /// 级别: the severity in its mark colours.
    fn level(severity: Severity) -> Format {
        xlsx::top_cell()
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_font_color(Color::RGB(text_of(severity)))
            .set_background_color(Color::RGB(fill_of(severity)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_never_clash_with_the_feedback_sheets() {
        let grid = Grid::default();
        let sheets = vec![
            BookSheet::new("问题清单".into(), Some(grid.clone())),
            BookSheet::new("问题清单_原表".into(), Some(grid.clone())),
            BookSheet::new("更正内容".into(), Some(grid.clone())),
            BookSheet::new("说明".into(), None),
        ];
        let names: Vec<String> = plan_copies(Some(&sheets))
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(
            names,
            ["问题清单_原表", "问题清单_原表_原表", "更正内容_原表"]
        );
    }
}
