//! Feedback workbooks (`<高新区>_<P>_问题反馈.xlsx`): what goes back to a zone
//! clerk for one submitted file.
//!
//! Sheets, in order:
//! - 问题清单: the verdict in large type, zone, period, file, counts and what
//!   to do; then one row per finding (序号, 级别, 规则, 位置, 填写值, 应为,
//!   说明与修改方法, 说明状态), each 位置 a link into the copies below;
//! - 更正内容: only when this file replaced an earlier one and cells changed;
//! - a copy of each of the file's own form sheets, values as read, merged
//!   regions re-merged, every cell a finding points at filled red (错误),
//!   amber (警告) or light blue (提示) and carrying the findings' messages as
//!   one comment (批注).
//!
//! Nothing here judges the return: the report stage decided the verdict,
//! the wording and the file name ([`FeedbackBook`]). The bytes depend on the
//! inputs alone (the creation date is the quarter's last day), so a rerun
//! gives the same file.

use std::collections::{BTreeMap, HashMap, HashSet};

use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatAlign, FormatBorder, Url, Workbook, Worksheet, XlsxError,
};

use super::palette;
use super::xlsx::{
    self, clip_cell, excel_datetime, internal_link, text_units, Res, Wrap, MAX_COL, MAX_LINKS,
    MAX_ROW,
};
use crate::model::{BookSheet, CellChange, CellPos, CellValue, Finding, Grid, Merge, Severity};
use crate::report::{ExplanationStatus, FeedbackBook, ListedFinding};
use crate::text::sheet_key;

/// The first sheet: verdict and findings.
pub const LIST_SHEET: &str = "问题清单";
/// The cells a corrected file changed (only when there are any).
pub const CHANGES_SHEET: &str = "更正内容";
/// Who the comments and the document are from.
pub const AUTHOR: &str = "省科技厅";

/// Columns of the findings table.
const COLUMNS: [&str; 8] = [
    "序号",
    "级别",
    "规则",
    "位置",
    "填写值",
    "应为",
    "说明与修改方法",
    "说明状态",
];
/// Width bounds of each findings column (Excel character units).
const COLUMN_MIN: [f64; 8] = [5.0, 6.5, 12.0, 14.0, 10.0, 10.0, 36.0, 10.0];
const COLUMN_MAX: [f64; 8] = [6.0, 6.5, 26.0, 24.0, 24.0, 24.0, 60.0, 30.0];
/// Copies: column width bounds.
const COPY_MIN: f64 = 6.0;
const COPY_MAX: f64 = 40.0;
/// A merged region larger than this is not re-merged (a hostile file could
/// merge a whole sheet; its value is still copied).
const MAX_MERGE_CELLS: u64 = 10_000;
/// Nor are more merged cells than this in all.
const MAX_MERGED_TOTAL: u64 = 200_000;

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
    list_sheet(ws, book, &copies, &places)?;

    if !book.changes.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(CHANGES_SHEET)?;
        changes_sheet(ws, &book.changes, &copies)?;
    }

    for (i, copy) in copies.iter().enumerate() {
        let marked: Vec<(&ListedFinding, CellPos)> = places
            .iter()
            .zip(&book.findings)
            .filter_map(|(p, f)| match p {
                Place::Cell(c, pos) if *c == i => Some((f, *pos)),
                _ => None,
            })
            .collect();
        let ws = wb.add_worksheet();
        ws.set_name(&copy.name)?;
        copy_sheet(ws, copy.grid, &marked)?;
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
}

/// The sheets to copy, in file order, with names Excel accepts that clash
/// with neither 问题清单/更正内容 nor each other.
fn plan_copies(sheets: Option<&[BookSheet]>) -> Vec<Copy<'_>> {
    let mut taken: Vec<String> = vec![LIST_SHEET.to_lowercase(), CHANGES_SHEET.to_lowercase()];
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

// ---------------------------------------------------------------- 问题清单

fn counts_text(book: &FeedbackBook) -> String {
    format!(
        "错误 {} 项　　警告 {} 项　　提示 {} 项",
        book.count(Severity::Error),
        book.count(Severity::Warning),
        book.count(Severity::Info)
    )
}

/// A findings row: 序号, 级别, 规则, 位置, 填写值, 应为, 说明与修改方法, 说明状态.
fn finding_row(i: usize, listed: &ListedFinding) -> [String; 8] {
    let f = &listed.finding;
    let rule = if listed.title == f.rule {
        f.rule.clone()
    } else {
        format!("{} {}", f.rule, listed.title)
    };
    let status = match (listed.explanation_status(), &listed.explanation) {
        (ExplanationStatus::Explained, Some(text)) => format!("已说明：{text}"),
        (status, _) => status.label_zh().to_string(),
    };
    [
        (i + 1).to_string(),
        f.severity.label_zh().to_string(),
        rule,
        f.place(),
        f.value.clone().unwrap_or_default(),
        f.expected.clone().unwrap_or_default(),
        f.message.clone().unwrap_or_else(|| listed.title.clone()),
        status,
    ]
}

/// 问题清单: the verdict banner, then the findings table, filtered, frozen
/// below its header and printed with it on every page.
fn list_sheet(ws: &mut Worksheet, book: &FeedbackBook, copies: &[Copy], places: &[Place]) -> Res {
    let st = Styles::new();
    let last_col = (COLUMNS.len() - 1) as u16;

    // The table first, to know the column widths the banner wraps in.
    let rows: Vec<[String; 8]> = book
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| finding_row(i, f).map(|s| clip_cell(&s)))
        .collect();
    let widths = list_widths(&rows);
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let header = write_banner(ws, &st, book, widths[2..].iter().sum())? + 1;

    for (c, h) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(header, c as u16, *h, &st.header)?;
    }
    ws.set_row_height(header, 20)?;
    let table = Table {
        st: &st,
        widths: &widths,
        copies,
        places,
    };
    let mut links = 0;
    for (i, (row, f)) in rows.iter().zip(&book.findings).enumerate() {
        table.row(ws, header + 1 + i as u32, i, row, f, &mut links)?;
    }
    let last = if rows.is_empty() {
        ws.merge_range(
            header + 1,
            0,
            header + 1,
            last_col,
            "未发现问题。",
            &st.note,
        )?;
        header
    } else {
        header + rows.len() as u32
    };
    ws.autofilter(header, 0, last, last_col)?;
    ws.set_freeze_panes(header + 1, 0)?;
    xlsx::a4_numbered(ws, true);
    ws.set_repeat_rows(header, header)?;
    Ok(())
}

/// Each findings column as wide as its widest line (and its header), within
/// the column's bounds.
fn list_widths(rows: &[[String; 8]]) -> Vec<f64> {
    (0..COLUMNS.len())
        .map(|c| {
            let content = rows
                .iter()
                .map(|r| text_units(&r[c]) + 1.5)
                .fold(text_units(COLUMNS[c]) + 2.0, f64::max);
            content.clamp(COLUMN_MIN[c], COLUMN_MAX[c])
        })
        .collect()
}

/// The banner atop 问题清单, one row per line: label in A:B, value in C:H
/// (`value_width` units wide). Returns the gap row below it.
fn write_banner(
    ws: &mut Worksheet,
    st: &Styles,
    book: &FeedbackBook,
    value_width: f64,
) -> Res<u32> {
    let last_col = (COLUMNS.len() - 1) as u16;
    let banner = banner_lines(st, book);
    for (r, (label, value, format)) in banner.iter().enumerate() {
        let r = r as u32;
        let label_format = if r == 0 {
            st.label.clone().set_align(FormatAlign::VerticalCenter)
        } else {
            st.label.clone()
        };
        ws.merge_range(r, 0, r, 1, label, &label_format)?;
        ws.merge_range(r, 2, r, last_col, &clip_cell(value), format)?;
        if r == 0 {
            ws.set_row_height(r, 36)?;
        } else {
            let lines = Wrap::TABLE.lines(value, value_width);
            if lines > 1 {
                ws.set_row_height(r, Wrap::TABLE.height(lines))?;
            }
        }
    }
    let gap = banner.len() as u32;
    ws.set_row_height(gap, 8)?;
    Ok(gap)
}

/// The banner's lines: (label, value, format), the verdict first in large
/// type, a reading hint last when there is one.
fn banner_lines(st: &Styles, book: &FeedbackBook) -> Vec<(&'static str, String, Format)> {
    let zone = book
        .zone
        .clone()
        .unwrap_or_else(|| "未能确定（文件未能对应到登记的高新区）".to_string());
    let period = book.period;
    let mut banner = vec![
        (
            "审核结论",
            book.conclusion.label_zh().to_string(),
            xlsx::verdict_banner(book.conclusion.tone()),
        ),
        ("高新区", zone, st.value.clone()),
        (
            "报告期",
            format!("{}（{period}）", period.label_zh()),
            st.value.clone(),
        ),
        ("报送文件", book.source.clone(), st.value_wrap.clone()),
        ("问题数量", counts_text(book), st.value.clone().set_bold()),
        (
            "处理要求",
            book.instruction.clone(),
            st.value_wrap.clone().set_bold(),
        ),
    ];
    if let Some(h) = book.hint.clone() {
        banner.push((
            "阅读提示",
            h,
            st.value_wrap
                .clone()
                .set_font_color(Color::RGB(xlsx::GREY_TEXT)),
        ));
    }
    banner
}

/// The findings table of 问题清单 as it is written.
struct Table<'a> {
    st: &'a Styles,
    widths: &'a [f64],
    copies: &'a [Copy<'a>],
    places: &'a [Place],
}

impl Table<'_> {
    /// Finding `i` in sheet row `r`: 位置 a link into the copies (while
    /// Excel's link limit allows), a pending explanation in amber; the row
    /// as tall as its longest wrapped text.
    fn row(
        &self,
        ws: &mut Worksheet,
        r: u32,
        i: usize,
        row: &[String; 8],
        f: &ListedFinding,
        links: &mut usize,
    ) -> Res {
        let st = self.st;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &st.body_center)?;
        ws.write_string_with_format(r, 1, &row[1], &Styles::level(f.finding.severity))?;
        for (c, text) in row.iter().enumerate().skip(2) {
            let target = (c == 3)
                .then(|| link_target(self.places[i], self.copies))
                .flatten();
            match target {
                Some(link) if *links < MAX_LINKS => {
                    *links += 1;
                    let url = Url::new(link)
                        .set_text(text.as_str())
                        .set_tip("跳到原表副本中的这个位置");
                    ws.write_url_with_format(r, c as u16, url, &st.link)?;
                }
                _ => {
                    let pending = f.explanation_status() == ExplanationStatus::Pending;
                    let format = if c == 7 && pending {
                        st.body
                            .clone()
                            .set_font_color(Color::RGB(text_of(Severity::Warning)))
                            .set_bold()
                    } else {
                        st.body.clone()
                    };
                    ws.write_string_with_format(r, c as u16, text, &format)?;
                }
            }
        }
        let lines = (2..COLUMNS.len())
            .map(|c| Wrap::TABLE.lines(&row[c], self.widths[c]))
            .max()
            .unwrap_or(1);
        if lines > 1 {
            ws.set_row_height(r, Wrap::TABLE.height(lines))?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- 更正内容

/// 更正内容: the cells this file changed against the one it replaced, each
/// cell a link into its copy.
fn changes_sheet(ws: &mut Worksheet, changes: &[CellChange], copies: &[Copy]) -> Res {
    let st = Styles::new();
    let header = 1;
    for (c, h) in ["工作表", "单元格", "原值", "新值"].iter().enumerate() {
        ws.write_string_with_format(header, c as u16, *h, &st.header)?;
    }
    let mut widths = [10.0f64, 8.0, 12.0, 12.0];
    let mut links = 0;
    for (i, ch) in changes.iter().enumerate() {
        let r = header + 1 + i as u32;
        let (old, new) = (clip_cell(&ch.old), clip_cell(&ch.new));
        ws.write_string_with_format(r, 0, &ch.sheet, &st.body)?;
        let target = copy_of(copies, &ch.sheet).zip(CellPos::parse_a1(&ch.cell));
        match target {
            Some((copy, pos)) if links < MAX_LINKS && pos.row < MAX_ROW && pos.col < MAX_COL => {
                links += 1;
                let url =
                    Url::new(internal_link(&copies[copy].name, pos)).set_text(ch.cell.as_str());
                ws.write_url_with_format(r, 1, url, &st.link)?;
            }
            _ => {
                ws.write_string_with_format(r, 1, &ch.cell, &st.body)?;
            }
        }
        ws.write_string_with_format(r, 2, &old, &st.body)?;
        ws.write_string_with_format(r, 3, &new, &st.body)?;
        for (c, text) in [&ch.sheet, &ch.cell, &old, &new].into_iter().enumerate() {
            widths[c] = widths[c].max(text_units(text) + 2.0);
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, w.min(COPY_MAX))?;
    }
    let intro =
        "以下单元格与此前报送、已被本文件取代的版本不同（原值为空表示新填，新值为空表示删除）。";
    ws.merge_range(0, 0, 0, 3, intro, &st.note.clone().set_text_wrap())?;
    let total: f64 = widths.iter().map(|w| w.min(COPY_MAX)).sum();
    let lines = Wrap::TABLE.lines(intro, total);
    if lines > 1 {
        ws.set_row_height(0, Wrap::TABLE.height(lines))?;
    }
    let last = header + changes.len() as u32;
    ws.autofilter(header, 0, last, 3)?;
    ws.set_freeze_panes(header + 1, 0)?;
    xlsx::a4_numbered(ws, false);
    Ok(())
}

// ---------------------------------------------------------------- copies

/// The merged regions re-made in a copy, and which of them covers a cell.
struct Merges {
    list: Vec<Merge>,
    by_cell: HashMap<CellPos, usize>,
}

impl Merges {
    /// The regions that can be re-made: inside Excel's limits, more than one
    /// cell, not too large (alone and together), not overlapping one taken.
    fn usable(grid: &Grid) -> Merges {
        let mut out = Merges {
            list: Vec::new(),
            by_cell: HashMap::new(),
        };
        for m in grid.merges() {
            let (s, e) = (m.start, m.end);
            let ok = s.row <= e.row
                && s.col <= e.col
                && e.row < MAX_ROW
                && e.col < MAX_COL
                && (s.row, s.col) != (e.row, e.col);
            if !ok {
                continue;
            }
            let area = u64::from(e.row - s.row + 1) * u64::from(e.col - s.col + 1);
            if area > MAX_MERGE_CELLS || out.by_cell.len() as u64 + area > MAX_MERGED_TOTAL {
                continue;
            }
            let cells = || {
                (s.row..=e.row).flat_map(move |r| (s.col..=e.col).map(move |c| CellPos::new(r, c)))
            };
            if cells().any(|p| out.by_cell.contains_key(&p)) {
                continue;
            }
            let index = out.list.len();
            out.by_cell.extend(cells().map(|p| (p, index)));
            out.list.push(*m);
        }
        out
    }

    fn at(&self, p: CellPos) -> Option<&Merge> {
        self.by_cell.get(&p).map(|&i| &self.list[i])
    }

    /// The cell that shows `p`: its merge's top-left cell, or itself.
    fn anchor(&self, p: CellPos) -> CellPos {
        self.at(p).map_or(p, |m| m.start)
    }
}

/// What kind of cell a value is written as.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Date,
    DateTime,
    Other,
}

fn kind(value: &CellValue) -> Kind {
    match value {
        CellValue::DateTime(d) if d.time() == chrono::NaiveTime::MIN => Kind::Date,
        CellValue::DateTime(_) => Kind::DateTime,
        CellValue::Text(_) | CellValue::Error(_) | CellValue::Uncalculated(_) => Kind::Text,
        _ => Kind::Other,
    }
}

fn copy_format(kind: Kind, wrap: bool, mark: Option<Severity>) -> Format {
    let mut f = Format::new();
    match kind {
        Kind::Date => f = f.set_num_format(xlsx::DATE),
        Kind::DateTime => f = f.set_num_format(xlsx::DATE_TIME),
        Kind::Text | Kind::Other => {}
    }
    if wrap {
        f = f.set_text_wrap().set_align(FormatAlign::Top);
    }
    if let Some(sev) = mark {
        f = f
            .set_background_color(Color::RGB(fill_of(sev)))
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(text_of(sev)));
    }
    f
}

fn write_value(ws: &mut Worksheet, pos: CellPos, value: &CellValue, format: &Format) -> Res {
    let (r, c) = (pos.row, pos.col as u16);
    match value {
        CellValue::Empty => {
            ws.write_blank(r, c, format)?;
        }
        CellValue::Number(n) if n.is_finite() => {
            ws.write_number_with_format(r, c, *n, format)?;
        }
        CellValue::Bool(b) => {
            ws.write_boolean_with_format(r, c, *b, format)?;
        }
        CellValue::DateTime(d) => match excel_datetime(d) {
            Some(dt) => {
                ws.write_datetime_with_format(r, c, &dt, format)?;
            }
            None => {
                ws.write_string_with_format(r, c, value.display(), format)?;
            }
        },
        other => {
            ws.write_string_with_format(r, c, clip_cell(&other.display()), format)?;
        }
    }
    Ok(())
}

/// The comment on a marked cell: every finding on it, most serious first.
fn note_text(findings: &[&ListedFinding]) -> String {
    let mut sorted = findings.to_vec();
    sorted.sort_by_key(|f| f.finding.severity);
    sorted
        .iter()
        .map(|listed| {
            let f = &listed.finding;
            let message = f.message.as_deref().unwrap_or(&listed.title);
            format!(
                "【{} {} {}】{message}",
                f.severity.label_zh(),
                f.rule,
                listed.title
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A copy of one of the file's sheets as read, the cells findings point at
/// marked and commented; printed A4 landscape.
fn copy_sheet(ws: &mut Worksheet, grid: &Grid, marked: &[(&ListedFinding, CellPos)]) -> Res {
    ws.set_default_note_author(AUTHOR);
    let copy = CopyLayout::new(grid, marked);
    for (&c, &w) in &copy.widths {
        if c < MAX_COL {
            ws.set_column_width(c as u16, w)?;
        }
    }
    copy.remerge(ws)?;
    let (written, row_lines) = copy.cells(ws)?;
    copy.notes(ws, &written)?;
    for (&r, &lines) in &row_lines {
        if lines > 1 {
            ws.set_row_height(r, Wrap::TABLE.height(lines.min(20)))?;
        }
    }
    xlsx::a4_numbered(ws, true);
    Ok(())
}

/// How a copy is laid out: its re-made merges, the findings by the cell
/// that shows them (a merge's top-left cell), the cells in each row and the
/// column widths.
struct CopyLayout<'a> {
    grid: &'a Grid,
    merges: Merges,
    marks: BTreeMap<CellPos, Vec<&'a ListedFinding>>,
    per_row: BTreeMap<u32, usize>,
    widths: BTreeMap<u32, f64>,
}

impl<'a> CopyLayout<'a> {
    fn new(grid: &'a Grid, marked: &[(&'a ListedFinding, CellPos)]) -> CopyLayout<'a> {
        let merges = Merges::usable(grid);
        let mut marks: BTreeMap<CellPos, Vec<&ListedFinding>> = BTreeMap::new();
        for &(f, pos) in marked {
            marks.entry(merges.anchor(pos)).or_default().push(f);
        }
        let mut per_row: BTreeMap<u32, usize> = BTreeMap::new();
        for (pos, _) in grid.cells() {
            *per_row.entry(pos.row).or_default() += 1;
        }
        let mut copy = CopyLayout {
            grid,
            merges,
            marks,
            per_row,
            widths: BTreeMap::new(),
        };
        copy.widths = copy.measure();
        copy
    }

    /// Column widths from the cells. A cell alone in its row (a title, a
    /// note) overflows into the empty cells beside it and does not size its
    /// column; nor does a cell merged across columns.
    fn measure(&self) -> BTreeMap<u32, f64> {
        let merged_across =
            |p: CellPos| self.merges.at(p).is_some_and(|m| m.start.col != m.end.col);
        let mut widths: BTreeMap<u32, f64> = BTreeMap::new();
        for (pos, value) in self.grid.cells() {
            if self.per_row[&pos.row] < 2 || merged_across(pos) {
                continue;
            }
            let w = match kind(value) {
                Kind::Date => 10.0,
                Kind::DateTime => 19.0,
                _ => text_units(&value.display()),
            };
            let entry = widths.entry(pos.col).or_insert(COPY_MIN);
            *entry = entry.max((w + 2.0).min(COPY_MAX));
        }
        widths
    }

    /// A column's width; Excel's default where none was set.
    fn width(&self, c: u32) -> f64 {
        self.widths.get(&c).copied().unwrap_or(8.43)
    }

    /// The most serious finding on the cell that shows `p`.
    fn mark_at(&self, p: CellPos) -> Option<Severity> {
        self.marks
            .get(&self.merges.anchor(p))
            .and_then(|fs| fs.iter().map(|f| f.finding.severity).min())
    }

    /// Re-makes the merged regions, formatted as their top-left cell.
    fn remerge(&self, ws: &mut Worksheet) -> Res {
        for m in &self.merges.list {
            let value = self.grid.get(m.start);
            let wrap = kind(value) == Kind::Text;
            let format = copy_format(kind(value), wrap, self.mark_at(m.start));
            ws.merge_range(
                m.start.row,
                m.start.col as u16,
                m.end.row,
                m.end.col as u16,
                "",
                &format,
            )?;
        }
        Ok(())
    }

    /// Text wraps in a merge, or when it is wider than its column and the
    /// next cell is taken (it cannot overflow there).
    fn wraps(&self, pos: CellPos, value: &CellValue, text: &str) -> bool {
        let text_kind = kind(value) == Kind::Text;
        match self.merges.at(pos) {
            Some(_) => text_kind,
            None => {
                text_kind
                    && self.per_row[&pos.row] > 1
                    && text_units(text) + 1.0 > self.width(pos.col)
                    && !self.grid.get(CellPos::new(pos.row, pos.col + 1)).is_empty()
            }
        }
    }

    /// Writes every cell; returns the cells written and the lines of each
    /// row's wrapped text (outside merges).
    fn cells(&self, ws: &mut Worksheet) -> Res<(HashSet<CellPos>, BTreeMap<u32, usize>)> {
        let mut written: HashSet<CellPos> = HashSet::new();
        let mut row_lines: BTreeMap<u32, usize> = BTreeMap::new();
        for (pos, value) in self.grid.cells() {
            if pos.row >= MAX_ROW || pos.col >= MAX_COL {
                continue;
            }
            let text = value.display();
            let wrap = self.wraps(pos, value, &text);
            if wrap && self.merges.at(pos).is_none() {
                let lines = Wrap::TABLE.lines(&text, self.width(pos.col));
                let entry = row_lines.entry(pos.row).or_default();
                *entry = (*entry).max(lines);
            }
            let format = copy_format(kind(value), wrap, self.mark_at(pos));
            write_value(ws, pos, value, &format)?;
            written.insert(pos);
        }
        Ok((written, row_lines))
    }

    /// Marks the cells findings point at (an empty one filled too) and
    /// gives each its note.
    fn notes(&self, ws: &mut Worksheet, written: &HashSet<CellPos>) -> Res {
        for (&pos, findings) in &self.marks {
            let in_merge = self.merges.at(pos).is_some();
            if !written.contains(&pos) && !in_merge {
                let format = copy_format(Kind::Other, false, self.mark_at(pos));
                ws.write_blank(pos.row, pos.col as u16, &format)?;
            }
            let note = xlsx::note(&note_text(findings), AUTHOR);
            ws.insert_note(pos.row, pos.col as u16, &note)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_never_clash_with_the_feedback_sheets() {
        let grid = Grid::default();
        let sheets = vec![
            BookSheet {
                name: "问题清单".into(),
                grid: Some(grid.clone()),
            },
            BookSheet {
                name: "问题清单_原表".into(),
                grid: Some(grid.clone()),
            },
            BookSheet {
                name: "更正内容".into(),
                grid: Some(grid.clone()),
            },
            BookSheet {
                name: "说明".into(),
                grid: None,
            },
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

    #[test]
    fn merges_that_cannot_be_remade_are_skipped() {
        let mut grid = Grid::default();
        let merge = |r0, c0, r1, c1| Merge {
            start: CellPos::new(r0, c0),
            end: CellPos::new(r1, c1),
        };
        grid.add_merge(merge(0, 0, 0, 2)); // A1:C1
        grid.add_merge(merge(0, 1, 1, 3)); // overlaps A1:C1
        grid.add_merge(merge(5, 5, 5, 5)); // a single cell
        grid.add_merge(merge(10, 0, 1_000_000, 200)); // a whole sheet
        grid.add_merge(merge(3, 0, 4, 0)); // A4:A5
        let merges = Merges::usable(&grid);
        assert_eq!(merges.list, [merge(0, 0, 0, 2), merge(3, 0, 4, 0)]);
        assert_eq!(merges.anchor(CellPos::new(0, 2)), CellPos::new(0, 0));
        assert_eq!(merges.anchor(CellPos::new(4, 0)), CellPos::new(3, 0));
        assert_eq!(merges.anchor(CellPos::new(1, 2)), CellPos::new(1, 2));
    }
}
