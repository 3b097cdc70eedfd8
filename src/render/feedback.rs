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

use chrono::{Datelike, NaiveDateTime, Timelike};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Note, Url, Workbook,
    Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

use super::palette;
use crate::model::{BookSheet, CellChange, CellPos, CellValue, Finding, Grid, Merge, Severity};
use crate::report::{Conclusion, ExplanationStatus, FeedbackBook, ListedFinding};
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
/// Points per line of wrapped text.
const LINE_HEIGHT: f64 = 15.0;
/// A merged region larger than this is not re-merged (a hostile file could
/// merge a whole sheet; its value is still copied).
const MAX_MERGE_CELLS: u64 = 10_000;
/// Nor are more merged cells than this in all.
const MAX_MERGED_TOTAL: u64 = 200_000;
/// Excel allows 65,530 links per sheet; the rest are written as plain text.
const MAX_LINKS: usize = 65_000;
/// Excel's limits.
const MAX_ROW: u32 = 1_048_576;
const MAX_COL: u32 = 16_384;
const MAX_TEXT: usize = 32_000;

type Res<T = ()> = Result<T, XlsxError>;

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
        let base = safe_sheet_name(&sheet.name);
        let mut name = base.clone();
        let mut n = 1;
        while taken.contains(&name.to_lowercase()) {
            let suffix = if n == 1 {
                "_原表".to_string()
            } else {
                format!("_{n}")
            };
            name = with_suffix(&base, &suffix);
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

/// A sheet name Excel accepts: at most 31 characters (UTF-16), none of
/// `[]:*?/\`, not starting or ending with an apostrophe, not blank.
fn safe_sheet_name(name: &str) -> String {
    let mapped: String = name
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let clipped = clip_utf16(mapped.trim(), 31);
    let clean = clipped.trim_matches('\'').trim();
    if clean.is_empty() {
        "工作表".to_string()
    } else {
        clean.to_string()
    }
}

fn with_suffix(base: &str, suffix: &str) -> String {
    let room = 31usize.saturating_sub(suffix.encode_utf16().count());
    let head = clip_utf16(base, room);
    format!("{}{suffix}", head.trim_end_matches('\''))
}

fn clip_utf16(text: &str, max: usize) -> String {
    let mut used = 0;
    text.chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= max
        })
        .collect()
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

/// `internal:'核心指标'!E7`: a link to a cell of a sheet of this workbook.
fn internal_link(sheet: &str, pos: CellPos) -> String {
    format!("internal:'{}'!{}", sheet.replace('\'', "''"), pos.a1())
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

fn properties(book: &FeedbackBook) -> Result<DocProperties, XlsxError> {
    let end = book.period.end();
    let created = ExcelDateTime::from_ymd(end.year() as u16, end.month() as u8, end.day() as u8)?;
    let who = book
        .zone
        .as_deref()
        .unwrap_or_else(|| crate::report::file_stem(&book.source));
    let mut props = DocProperties::new()
        .set_title(format!("问题反馈 · {who} · {}", book.period.label_zh()))
        .set_subject(format!(
            "双高协同季度报表审核：{}",
            book.conclusion.label_zh()
        ))
        .set_author(AUTHOR)
        .set_creation_datetime(&created);
    if book.is_sample {
        props = props.set_comment("示例数据：本反馈基于合成的示例数据");
    }
    Ok(props)
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

fn cell_border(format: Format) -> Format {
    format
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(0xBFBFBF))
        .set_align(FormatAlign::Top)
}

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
                .set_font_color(Color::RGB(0x595959))
                .set_align(FormatAlign::Top),
            value: Format::new().set_align(FormatAlign::Top),
            value_wrap: Format::new().set_align(FormatAlign::Top).set_text_wrap(),
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(0xBFBFBF))
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            body: cell_border(Format::new()).set_text_wrap(),
            body_center: cell_border(Format::new()).set_align(FormatAlign::Center),
            link: cell_border(Format::new()).set_text_wrap().set_hyperlink(),
            note: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x7F7F7F)),
        }
    }

    fn level(severity: Severity) -> Format {
        cell_border(Format::new())
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_font_color(Color::RGB(text_of(severity)))
            .set_background_color(Color::RGB(fill_of(severity)))
    }

    /// The 审核结论 banner, coloured by the conclusion as presented (an
    /// accepted return whose warnings are all explained is green, not yellow).
    fn conclusion(conclusion: Conclusion) -> Format {
        let (text, fill) = palette::banner(conclusion.tone());
        Format::new()
            .set_bold()
            .set_font_size(20)
            .set_font_color(Color::RGB(text))
            .set_background_color(Color::RGB(fill))
            .set_align(FormatAlign::Left)
            .set_align(FormatAlign::VerticalCenter)
    }
}

/// Display width of one line in Excel character units: a CJK character
/// (width 2) is about 2.1 units.
fn units(line: &str) -> f64 {
    UnicodeWidthStr::width(line) as f64 * 1.05
}

fn max_line_units(text: &str) -> f64 {
    text.split('\n').map(units).fold(0.0, f64::max)
}

/// Lines `text` takes when wrapped in a column `width` units wide.
fn wrapped_lines(text: &str, width: f64) -> usize {
    let usable = (width - 1.0).max(1.0);
    text.split('\n')
        .map(|l| ((units(l) / usable).ceil() as usize).max(1))
        .sum()
}

fn clip_text(text: &str) -> String {
    if text.chars().count() <= MAX_TEXT {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(MAX_TEXT).collect();
        s.push('…');
        s
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

fn list_sheet(ws: &mut Worksheet, book: &FeedbackBook, copies: &[Copy], places: &[Place]) -> Res {
    let st = Styles::new();
    let last_col = (COLUMNS.len() - 1) as u16;

    // The table first, to know the column widths the banner wraps in.
    let rows: Vec<[String; 8]> = book
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| finding_row(i, f).map(|s| clip_text(&s)))
        .collect();
    let widths: Vec<f64> = (0..COLUMNS.len())
        .map(|c| {
            let content = rows
                .iter()
                .map(|r| max_line_units(&r[c]) + 1.5)
                .fold(units(COLUMNS[c]) + 2.0, f64::max);
            content.clamp(COLUMN_MIN[c], COLUMN_MAX[c])
        })
        .collect();
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let value_width: f64 = widths[2..].iter().sum();

    // The banner: label in A:B, value in C:H.
    let zone = book
        .zone
        .clone()
        .unwrap_or_else(|| "未能确定（文件未能对应到登记的高新区）".to_string());
    let period = book.period;
    let mut banner: Vec<(&str, String, Format)> = vec![
        (
            "审核结论",
            book.conclusion.label_zh().to_string(),
            Styles::conclusion(book.conclusion),
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
            st.value_wrap.clone().set_font_color(Color::RGB(0x595959)),
        ));
    }
    for (r, (label, value, format)) in banner.iter().enumerate() {
        let r = r as u32;
        let label_format = if r == 0 {
            st.label.clone().set_align(FormatAlign::VerticalCenter)
        } else {
            st.label.clone()
        };
        ws.merge_range(r, 0, r, 1, label, &label_format)?;
        ws.merge_range(r, 2, r, last_col, &clip_text(value), format)?;
        if r == 0 {
            ws.set_row_height(r, 36)?;
        } else {
            let lines = wrapped_lines(value, value_width);
            if lines > 1 {
                ws.set_row_height(r, lines as f64 * LINE_HEIGHT + 3.0)?;
            }
        }
    }
    let gap = banner.len() as u32;
    ws.set_row_height(gap, 8)?;
    let header = gap + 1;

    for (c, h) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(header, c as u16, *h, &st.header)?;
    }
    ws.set_row_height(header, 20)?;

    let mut links = 0;
    for (i, (row, f)) in rows.iter().zip(&book.findings).enumerate() {
        let r = header + 1 + i as u32;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &st.body_center)?;
        ws.write_string_with_format(r, 1, &row[1], &Styles::level(f.finding.severity))?;
        for (c, text) in row.iter().enumerate().skip(2) {
            let target = (c == 3).then(|| link_target(places[i], copies)).flatten();
            match target {
                Some(link) if links < MAX_LINKS => {
                    links += 1;
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
            .map(|c| wrapped_lines(&row[c], widths[c]))
            .max()
            .unwrap_or(1);
        if lines > 1 {
            ws.set_row_height(r, lines as f64 * LINE_HEIGHT + 3.0)?;
        }
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
    print_setup(ws, true);
    ws.set_repeat_rows(header, header)?;
    Ok(())
}

fn print_setup(ws: &mut Worksheet, landscape: bool) {
    if landscape {
        ws.set_landscape();
    }
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer("&C第 &P 页，共 &N 页");
}

// ---------------------------------------------------------------- 更正内容

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
        let (old, new) = (clip_text(&ch.old), clip_text(&ch.new));
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
            widths[c] = widths[c].max(max_line_units(text) + 2.0);
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, w.min(COPY_MAX))?;
    }
    let intro =
        "以下单元格与此前报送、已被本文件取代的版本不同（原值为空表示新填，新值为空表示删除）。";
    ws.merge_range(0, 0, 0, 3, intro, &st.note.clone().set_text_wrap())?;
    let total: f64 = widths.iter().map(|w| w.min(COPY_MAX)).sum();
    let lines = wrapped_lines(intro, total);
    if lines > 1 {
        ws.set_row_height(0, lines as f64 * LINE_HEIGHT + 3.0)?;
    }
    let last = header + changes.len() as u32;
    ws.autofilter(header, 0, last, 3)?;
    ws.set_freeze_panes(header + 1, 0)?;
    print_setup(ws, false);
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
        Kind::Date => f = f.set_num_format("yyyy-mm-dd"),
        Kind::DateTime => f = f.set_num_format("yyyy-mm-dd hh:mm:ss"),
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

fn excel_datetime(d: &NaiveDateTime) -> Option<ExcelDateTime> {
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
            ws.write_string_with_format(r, c, clip_text(&other.display()), format)?;
        }
    }
    Ok(())
}

/// The comment on a marked cell: every finding on it, most serious first.
fn note_for(findings: &[&ListedFinding]) -> Note {
    let mut sorted = findings.to_vec();
    sorted.sort_by_key(|f| f.finding.severity);
    let text = sorted
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
        .join("\n");
    let text = clip_text(&text);
    // About 46 width units a line at 9 pt in a 330-pixel box.
    let lines: usize = 1 + text
        .split('\n')
        .map(|l| ((units(l) / 44.0).ceil() as usize).max(1))
        .sum::<usize>();
    let height = (lines as u32 * 16 + 14).clamp(60, 600);
    Note::new(text)
        .set_author(AUTHOR)
        .set_width(330)
        .set_height(height)
        .set_font_name("宋体")
        .set_font_size(9)
}

fn copy_sheet(ws: &mut Worksheet, grid: &Grid, marked: &[(&ListedFinding, CellPos)]) -> Res {
    ws.set_default_note_author(AUTHOR);
    let merges = Merges::usable(grid);
    let anchor = |p: CellPos| merges.anchor(p);
    // Findings by the cell that shows them (a merge's top-left cell).
    let mut marks: BTreeMap<CellPos, Vec<&ListedFinding>> = BTreeMap::new();
    for &(f, pos) in marked {
        marks.entry(anchor(pos)).or_default().push(f);
    }
    let mark_at = |p: CellPos| {
        marks
            .get(&anchor(p))
            .and_then(|fs| fs.iter().map(|f| f.finding.severity).min())
    };

    // Widths: a cell alone in its row (a title, a note) overflows into the
    // empty cells beside it and does not size its column; nor does a cell
    // merged across columns.
    let mut per_row: BTreeMap<u32, usize> = BTreeMap::new();
    for (pos, _) in grid.cells() {
        *per_row.entry(pos.row).or_default() += 1;
    }
    let merged_across = |p: CellPos| merges.at(p).is_some_and(|m| m.start.col != m.end.col);
    let mut widths: BTreeMap<u32, f64> = BTreeMap::new();
    for (pos, value) in grid.cells() {
        if per_row[&pos.row] < 2 || merged_across(pos) {
            continue;
        }
        let w = match kind(value) {
            Kind::Date => 10.0,
            Kind::DateTime => 19.0,
            _ => max_line_units(&value.display()),
        };
        let entry = widths.entry(pos.col).or_insert(COPY_MIN);
        *entry = entry.max((w + 2.0).min(COPY_MAX));
    }
    for (&c, &w) in &widths {
        if c < MAX_COL {
            ws.set_column_width(c as u16, w)?;
        }
    }
    let width = |c: u32| widths.get(&c).copied().unwrap_or(8.43);

    for m in &merges.list {
        let value = grid.get(m.start);
        let wrap = kind(value) == Kind::Text;
        let format = copy_format(kind(value), wrap, mark_at(m.start));
        ws.merge_range(
            m.start.row,
            m.start.col as u16,
            m.end.row,
            m.end.col as u16,
            "",
            &format,
        )?;
    }

    let mut written: HashSet<CellPos> = HashSet::new();
    let mut row_lines: BTreeMap<u32, usize> = BTreeMap::new();
    for (pos, value) in grid.cells() {
        if pos.row >= MAX_ROW || pos.col >= MAX_COL {
            continue;
        }
        let in_merge = merges.at(pos);
        let text = value.display();
        let wrap = match in_merge {
            Some(_) => kind(value) == Kind::Text,
            None => {
                kind(value) == Kind::Text
                    && per_row[&pos.row] > 1
                    && max_line_units(&text) + 1.0 > width(pos.col)
                    && !grid.get(CellPos::new(pos.row, pos.col + 1)).is_empty()
            }
        };
        if wrap && in_merge.is_none() {
            let lines = wrapped_lines(&text, width(pos.col));
            let entry = row_lines.entry(pos.row).or_default();
            *entry = (*entry).max(lines);
        }
        write_value(
            ws,
            pos,
            value,
            &copy_format(kind(value), wrap, mark_at(pos)),
        )?;
        written.insert(pos);
    }
    for (&pos, findings) in &marks {
        let in_merge = merges.at(pos).is_some();
        if !written.contains(&pos) && !in_merge {
            let format = copy_format(Kind::Other, false, mark_at(pos));
            ws.write_blank(pos.row, pos.col as u16, &format)?;
        }
        ws.insert_note(pos.row, pos.col as u16, &note_for(findings))?;
    }
    for (&r, &lines) in &row_lines {
        if lines > 1 {
            ws.set_row_height(r, lines.min(20) as f64 * LINE_HEIGHT + 3.0)?;
        }
    }
    print_setup(ws, true);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_excel_accepts() {
        assert_eq!(safe_sheet_name("核心指标"), "核心指标");
        assert_eq!(safe_sheet_name(" a/b[c]:d*e?f\\ "), "a_b_c__d_e_f_");
        assert_eq!(safe_sheet_name("''"), "工作表");
        let long = "项".repeat(40);
        assert_eq!(safe_sheet_name(&long).chars().count(), 31);
        assert_eq!(with_suffix(&long, "_原表").chars().count(), 31);
        assert!(with_suffix(&long, "_原表").ends_with("_原表"));
    }

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

    #[test]
    fn links_quote_the_sheet() {
        assert_eq!(
            internal_link("核心指标", CellPos::new(8, 4)),
            "internal:'核心指标'!E9"
        );
        assert_eq!(
            internal_link("O'Brien", CellPos::new(0, 0)),
            "internal:'O''Brien'!A1"
        );
    }
}
