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
//!   and carrying the findings' messages as one comment (批注); on 核心指标
//!   the column 上季度累计值（参考） holds the zone's last accepted 累计值
//!   (`FeedbackBook::reference`, chosen by the report stage).
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
use crate::model::{BookSheet, CellPos, CellValue, Finding, Grid, Severity, SheetShape};
use crate::report::{FeedbackBook, ListedFinding, Reference};
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
    let filled = book
        .reference
        .as_ref()
        .and_then(|r| with_reference(book.sheets.as_deref()?, r));
    let copies = plan_copies(book.sheets.as_deref(), filled.as_ref());
    let listed = rows(book);
    let places: Vec<Place> = listed
        .iter()
        .map(|(f, _)| place(&f.finding, &copies))
        .collect();
    let mut wb = Workbook::new();
    wb.set_properties(&properties(book)?);

    let ws = wb.add_worksheet();
    ws.set_name(LIST_SHEET)?;
    list::sheet(ws, book, &listed, &copies, &places)?;

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
            .zip(listed.iter().map(|(f, _)| *f))
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

/// The rows of 问题清单: the findings, then (a superseded file) its own
/// findings set aside, each with whether it is set aside.
fn rows(book: &FeedbackBook) -> Vec<(&ListedFinding, bool)> {
    let findings = book.findings.iter().map(|f| (f, false));
    findings
        .chain(book.set_aside.iter().map(|f| (f, true)))
        .collect()
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

/// A sheet's grid and shape with the reference column written in: the
/// header, each accepted 累计值 in its row with its number kind, the table
/// and the printed extent widened to it when the file had no such column.
fn with_reference(sheets: &[BookSheet], r: &Reference) -> Option<(String, Grid, SheetShape)> {
    let sheet = sheets.iter().find(|s| s.name == r.sheet)?;
    let (mut grid, mut shape) = (sheet.grid.clone()?, sheet.shape.clone()?);
    if r.cells.is_empty() || r.header.col >= MAX_COL || r.header.row >= MAX_ROW {
        return None;
    }
    grid.insert(r.header, CellValue::Text(r.header_text.as_str().into()));
    for (pos, value, kind) in &r.cells {
        grid.insert(*pos, CellValue::Number(*value));
        shape.numbers.insert(*pos, *kind);
    }
    if r.added {
        if let Some(t) = shape.table.as_mut() {
            t.end.col = t.end.col.max(r.header.col);
        }
        shape.last_col = Some(shape.last_col.unwrap_or(0).max(r.header.col));
    }
    Some((sheet.name.clone(), grid, shape))
}

/// The sheets to copy, in file order, with names Excel accepts that clash
/// with neither 问题清单/更正内容/请核实 nor each other; `filled`: one sheet
/// with the reference column written in, copied instead of the file's.
fn plan_copies<'a>(
    sheets: Option<&'a [BookSheet]>,
    filled: Option<&'a (String, Grid, SheetShape)>,
) -> Vec<Copy<'a>> {
    let mut taken: Vec<String> = [LIST_SHEET, CHANGES_SHEET, VERIFY_SHEET]
        .map(str::to_lowercase)
        .to_vec();
    let mut out = Vec::new();
    for sheet in sheets.unwrap_or_default() {
        let Some(grid) = &sheet.grid else { continue };
        let (grid, shape) = match filled {
            Some((name, grid, shape)) if *name == sheet.name => (grid, Some(shape)),
            _ => (grid, sheet.shape.as_ref()),
        };
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
            shape,
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
    use crate::model::{Merge, NumberKind, Period};

    #[test]
    fn a_reference_column_the_file_lacks_is_added_right_of_the_table() {
        let mut grid = Grid::default();
        grid.insert(CellPos::new(0, 0), CellValue::Text("指标代码".into()));
        grid.insert(CellPos::new(0, 1), CellValue::Text("累计值".into()));
        grid.insert(CellPos::new(1, 0), CellValue::Text("SG01".into()));
        grid.insert(CellPos::new(1, 1), CellValue::Number(34.0));
        let shape = SheetShape {
            table: Some(Merge {
                start: CellPos::new(0, 0),
                end: CellPos::new(1, 1),
            }),
            header: Some((0, 0)),
            last_col: Some(1),
            ..SheetShape::default()
        };
        let mut sheet = BookSheet::new("核心指标".into(), Some(grid));
        sheet.shape = Some(shape);
        let r = Reference {
            period: Period::parse("2026Q1").unwrap(),
            sheet: "核心指标".into(),
            header: CellPos::new(0, 2),
            header_text: "2026年第一季度累计值（参考）".into(),
            added: true,
            cells: vec![(CellPos::new(1, 2), 30.0, NumberKind::Count)],
        };
        let (name, grid, shape) = with_reference(&[sheet], &r).unwrap();
        assert_eq!(name, "核心指标");
        assert_eq!(
            grid.get(CellPos::new(0, 2)).display(),
            "2026年第一季度累计值（参考）"
        );
        assert_eq!(grid.get(CellPos::new(1, 2)), &CellValue::Number(30.0));
        assert_eq!(shape.table.unwrap().end.col, 2, "ruled with the table");
        assert_eq!(shape.last_col, Some(2), "printed");
        assert_eq!(shape.number(CellPos::new(1, 2)), Some(NumberKind::Count));
    }

    #[test]
    fn copies_never_clash_with_the_feedback_sheets() {
        let grid = Grid::default();
        let sheets = vec![
            BookSheet::new("问题清单".into(), Some(grid.clone())),
            BookSheet::new("问题清单_原表".into(), Some(grid.clone())),
            BookSheet::new("更正内容".into(), Some(grid.clone())),
            BookSheet::new("说明".into(), None),
        ];
        let names: Vec<String> = plan_copies(Some(&sheets), None)
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(
            names,
            ["问题清单_原表", "问题清单_原表_原表", "更正内容_原表"]
        );
    }
}
