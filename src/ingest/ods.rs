//! OpenDocument spreadsheets (`.ods`, `.ots`, and the flat `.fods`), read by
//! streaming `content.xml`: only the form's sheets are kept, repeated rows
//! and columns cost nothing until a value is stored, and every stored cell
//! is counted against the limits first. Real date cells come back as dates
//! (as for xlsx), formula errors as errors, merged regions as merges.
//!
//! The reader follows OpenDocument 1.2/1.3 Part 1 rather than what one
//! writer produces: elements and attributes are matched by namespace URI,
//! whatever their prefix; a cell's value comes from its typed attributes
//! (`office:value`, `office:date-value`, `office:time-value`,
//! `office:boolean-value`, `office:string-value`), and only when it has
//! none from its text; its text is the character content of its
//! paragraphs (§6.1: `text:s`, `text:tab`, `text:line-break`, spans and
//! links; notes' bodies, ruby text, annotations and drawings left out),
//! white space collapsed as §6.1.2 says, so a pretty-printed `content.xml`
//! reads as a compact one.
//!
//! calamine's own ods reader builds every sheet as a dense grid at open;
//! a 5 KB file whose repeated cells claim a far corner would cost gigabytes.

use std::io::{BufRead, BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::NsReader;

use super::budget::CellBudget;
use super::open::{corrupt, encrypted, inflate_error, zip_error, Zip};
use super::xml::{self, Encoding};
use crate::config::Limits;
use crate::model::{BookSheet, CellValue, Grid, Merge};

/// A spaces run (`<text:s text:c="n"/>`) longer than this is clipped.
const MAX_SPACES: usize = 1_000;

const OFFICE: &[u8] = b"urn:oasis:names:tc:opendocument:xmlns:office:1.0";
const TABLE: &[u8] = b"urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const TEXT: &[u8] = b"urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const DRAW: &[u8] = b"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0";
/// LibreOffice's extension namespace (`calcext:value-type="error"`).
const CALCEXT: &[u8] = b"urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0";

/// Reads the sheets of an ods package; `wanted` sheets get a grid.
pub(super) fn read(
    zip: &mut Zip<'_>,
    wanted: &dyn Fn(&str) -> bool,
    limits: &Limits,
) -> Result<Vec<BookSheet>, String> {
    check_mimetype(zip)?;
    if is_encrypted(zip) {
        return Err(encrypted());
    }
    let content = match zip.by_name("content.xml") {
        Ok(content) => content,
        Err(e @ zip::result::ZipError::FileNotFound) => {
            return Err(corrupt(&format!("content.xml：{e}")))
        }
        Err(e) => return Err(zip_error(&e)),
    };
    let mut content = content.take(limits.max_uncompressed_bytes);
    let mut head = Vec::new();
    (&mut content)
        .take(4096)
        .read_to_end(&mut head)
        .map_err(|e| inflate_error(&e))?;
    let encoding = match xml::sniff_encoding(&head) {
        Ok(encoding) => encoding,
        Err(name) => return Err(xml::refused_encoding("content.xml", &name)),
    };
    if encoding == Encoding::Utf8 {
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head).to_vec();
        xml::check_prolog(&head, encoding, "content.xml")?;
        let stream = BufReader::new(Cursor::new(head).chain(content));
        return tables(NsReader::from_reader(stream), wanted, limits);
    }
    // UTF-16: rare enough to be read whole, bounded, and transcoded.
    content
        .read_to_end(&mut head)
        .map_err(|e| inflate_error(&e))?;
    let text = xml::utf8(head, "content.xml")?;
    tables(NsReader::from_reader(text.as_slice()), wanted, limits)
}

/// Reads a flat OpenDocument spreadsheet (`.fods`: the whole document as
/// one XML file).
pub(super) fn read_flat(
    bytes: &[u8],
    wanted: &dyn Fn(&str) -> bool,
    limits: &Limits,
) -> Result<Vec<BookSheet>, String> {
    let text = xml::utf8(bytes.to_vec(), "文件")?;
    tables(NsReader::from_reader(text.as_slice()), wanted, limits)
}

/// An OpenDocument text or presentation is not a spreadsheet, nor is the
/// OpenOffice.org 1 format.
fn check_mimetype(zip: &mut Zip<'_>) -> Result<(), String> {
    let Ok(entry) = zip.by_name("mimetype") else {
        return Ok(());
    };
    let mut mime = String::new();
    let _ = entry.take(200).read_to_string(&mut mime);
    let mime = mime.trim();
    let spreadsheet = [
        "opendocument.spreadsheet",
        "opendocument.spreadsheet-template",
    ];
    if mime.is_empty() || spreadsheet.iter().any(|s| mime.ends_with(s)) {
        Ok(())
    } else if mime.starts_with("application/vnd.sun.xml.calc") {
        Err("这是 OpenOffice.org 1 的旧格式表格（.sxc），无法读取（请用 LibreOffice 打开后另存为 .ods 或 .xlsx 再报送）".into())
    } else {
        Err(format!("不是电子表格文件（这是 {mime} 文档）"))
    }
}

/// An encrypted package says so in its manifest.
fn is_encrypted(zip: &mut Zip<'_>) -> bool {
    let Ok(entry) = zip.by_name("META-INF/manifest.xml") else {
        return false;
    };
    let mut text = String::new();
    entry.take(1_000_000).read_to_string(&mut text).is_ok() && text.contains("encryption-data")
}

/// The namespaces the reader knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Office,
    Table,
    Text,
    Draw,
    CalcExt,
    Other,
}

impl Ns {
    fn of(resolved: &ResolveResult) -> Ns {
        let ResolveResult::Bound(Namespace(uri)) = resolved else {
            return Ns::Other;
        };
        match *uri {
            OFFICE => Ns::Office,
            TABLE => Ns::Table,
            TEXT => Ns::Text,
            DRAW => Ns::Draw,
            CALCEXT => Ns::CalcExt,
            _ => Ns::Other,
        }
    }
}

/// One event of the document, owned, with what the reader needs of it.
enum Item {
    /// An element's start tag (`empty`: it ends there too).
    Start {
        ns: Ns,
        tag: BytesStart<'static>,
        empty: bool,
    },
    End,
    /// Character data: text, CDATA or a reference, line ends normalised.
    Text(String),
    Eof,
    Other,
}

impl Item {
    fn is(&self, ns: Ns, local: &[u8]) -> bool {
        matches!(self, Item::Start { ns: n, tag, .. } if *n == ns && tag.local_name().as_ref() == local)
    }
}

fn next<R: BufRead>(xml: &mut NsReader<R>, buf: &mut Vec<u8>) -> Result<Item, String> {
    buf.clear();
    let (resolved, event) = xml.read_resolved_event_into(buf).map_err(|e| corrupt(&e))?;
    let ns = Ns::of(&resolved);
    Ok(match event {
        Event::Start(tag) => Item::Start {
            ns,
            tag: tag.into_owned(),
            empty: false,
        },
        Event::Empty(tag) => Item::Start {
            ns,
            tag: tag.into_owned(),
            empty: true,
        },
        Event::End(_) => Item::End,
        Event::Text(t) => Item::Text(t.xml10_content().map_err(|e| corrupt(&e))?.into_owned()),
        Event::CData(t) => Item::Text(t.xml10_content().map_err(|e| corrupt(&e))?.into_owned()),
        Event::GeneralRef(r) => {
            let name = r.decode().map_err(|e| corrupt(&e))?;
            let c = xml::entity(&name)
                .ok_or_else(|| corrupt(&format!("无法识别的字符引用 &{name};")))?;
            Item::Text(c.to_string())
        }
        Event::DocType(_) => return Err(xml::refused_dtd("content.xml")),
        Event::Eof => Item::Eof,
        _ => Item::Other,
    })
}

/// Every `table:table` of the document, in order.
fn tables<R: BufRead>(
    mut xml: NsReader<R>,
    wanted: &dyn Fn(&str) -> bool,
    limits: &Limits,
) -> Result<Vec<BookSheet>, String> {
    let mut buf = Vec::new();
    let mut sheets = Vec::new();
    loop {
        let item = next(&mut xml, &mut buf)?;
        if let Item::Eof = item {
            return Ok(sheets);
        }
        if !item.is(Ns::Table, b"table") {
            continue;
        }
        let Item::Start { tag, empty, .. } = item else {
            continue;
        };
        let name = Attrs::of(&xml, &tag)?.name.unwrap_or_default();
        let grid = match (wanted(&name), empty) {
            (true, false) => Some(read_table(&mut xml, limits)?),
            (true, true) => Some(Grid::default()),
            (false, false) => {
                skip(&mut xml, &tag)?;
                None
            }
            (false, true) => None,
        };
        sheets.push(BookSheet::new(name, grid));
    }
}

/// Steps over the rest of an element just started.
fn skip<R: BufRead>(xml: &mut NsReader<R>, start: &BytesStart) -> Result<(), String> {
    xml.read_to_end_into(start.name(), &mut Vec::new())
        .map(|_| ())
        .map_err(|e| corrupt(&e))
}

/// The attributes the reader uses, matched by namespace.
#[derive(Default)]
struct Attrs {
    name: Option<String>,
    rows_repeated: Option<String>,
    columns_repeated: Option<String>,
    rows_spanned: Option<String>,
    columns_spanned: Option<String>,
    formula: Option<String>,
    value_type: Option<String>,
    calc_value_type: Option<String>,
    value: Option<String>,
    date_value: Option<String>,
    time_value: Option<String>,
    boolean_value: Option<String>,
    string_value: Option<String>,
    spaces: Option<String>,
}

impl Attrs {
    fn of<R>(xml: &NsReader<R>, e: &BytesStart) -> Result<Attrs, String> {
        let mut out = Attrs::default();
        for a in e.attributes() {
            let a = a.map_err(|e| corrupt(&e))?;
            let (resolved, local) = xml.resolve_attribute(a.key);
            let slot = match (Ns::of(&resolved), local.as_ref()) {
                (Ns::Table, b"name") => &mut out.name,
                (Ns::Table, b"number-rows-repeated") => &mut out.rows_repeated,
                (Ns::Table, b"number-columns-repeated") => &mut out.columns_repeated,
                (Ns::Table, b"number-rows-spanned") => &mut out.rows_spanned,
                (Ns::Table, b"number-columns-spanned") => &mut out.columns_spanned,
                (Ns::Table, b"formula") => &mut out.formula,
                (Ns::Office, b"value-type") => &mut out.value_type,
                (Ns::CalcExt, b"value-type") => &mut out.calc_value_type,
                (Ns::Office, b"value") => &mut out.value,
                (Ns::Office, b"date-value") => &mut out.date_value,
                (Ns::Office, b"time-value") => &mut out.time_value,
                (Ns::Office, b"boolean-value") => &mut out.boolean_value,
                (Ns::Office, b"string-value") => &mut out.string_value,
                (Ns::Text, b"c") => &mut out.spaces,
                _ => continue,
            };
            let value = xml::attribute_value(&a.value).map_err(|e| corrupt(&e))?;
            *slot = Some(value.into_owned());
        }
        Ok(out)
    }
}

/// A count attribute (`number-rows-repeated` …), at least 1.
fn count(value: &Option<String>) -> u64 {
    value
        .as_deref()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

/// One cell as read, before it is placed.
struct OdsCell {
    value: CellValue,
    repeat: u64,
    span: (u64, u64),
}

/// The rows of a table just started, to its end. Row groups, header rows
/// and `table:table-rows` only wrap rows; everything else in a table
/// (columns, shapes, forms, scenarios) holds no cell values.
fn read_table<R: BufRead>(xml: &mut NsReader<R>, limits: &Limits) -> Result<Grid, String> {
    let mut grid = Grid::default();
    let mut budget = CellBudget::new(limits);
    let mut row: u64 = 0;
    let mut depth = 0usize;
    let mut buf = Vec::new();
    loop {
        match next(xml, &mut buf)? {
            Item::Start { ns, tag, empty } => {
                let local = tag.local_name();
                match (ns, local.as_ref(), empty) {
                    (Ns::Table, b"table-row", _) => {
                        let repeat = count(&Attrs::of(xml, &tag)?.rows_repeated);
                        if !empty {
                            let cells = read_row(xml)?;
                            place_row(&mut grid, &mut budget, row, repeat, cells)?;
                        }
                        row = row.saturating_add(repeat);
                    }
                    (
                        Ns::Table,
                        b"table-row-group" | b"table-header-rows" | b"table-rows",
                        false,
                    ) => depth += 1,
                    (_, _, false) => skip(xml, &tag)?,
                    _ => {}
                }
            }
            Item::End if depth > 0 => depth -= 1,
            Item::End => return Ok(grid),
            Item::Eof => return Err(corrupt(&"content.xml 不完整")),
            _ => {}
        }
    }
}

/// Stores a row's cells, `repeat` times, from sheet row `row` on.
fn place_row(
    grid: &mut Grid,
    budget: &mut CellBudget,
    row: u64,
    repeat: u64,
    cells: Vec<(u64, OdsCell)>,
) -> Result<(), String> {
    for copy in 0..repeat {
        let r = row.saturating_add(copy);
        for (col, cell) in &cells {
            let (rows, cols) = cell.span;
            if copy == 0 && (rows > 1 || cols > 1) {
                let end = (r.saturating_add(rows - 1), col.saturating_add(cols - 1));
                if let Some((start, end)) = budget.clamp_span((r, *col), end) {
                    grid.add_merge(Merge { start, end });
                }
            }
            if cell.value.is_empty() {
                continue;
            }
            for k in 0..cell.repeat {
                let pos = budget.admit(r, col.saturating_add(k))?;
                grid.insert(pos, cell.value.clone());
            }
        }
        if cells.iter().all(|(_, c)| c.value.is_empty()) {
            break;
        }
    }
    Ok(())
}

/// The cells of a row just started, with their starting columns (empty
/// ones included only when they start a merged region).
fn read_row<R: BufRead>(xml: &mut NsReader<R>) -> Result<Vec<(u64, OdsCell)>, String> {
    let mut out = Vec::new();
    let mut col: u64 = 0;
    let mut buf = Vec::new();
    loop {
        let (ns, tag, empty) = match next(xml, &mut buf)? {
            Item::Start { ns, tag, empty } => (ns, tag, empty),
            Item::End => return Ok(out),
            Item::Eof => return Err(corrupt(&"content.xml 不完整")),
            _ => continue,
        };
        let covered = match (ns, tag.local_name().as_ref()) {
            (Ns::Table, b"table-cell") => false,
            (Ns::Table, b"covered-table-cell") => true,
            _ => {
                if !empty {
                    skip(xml, &tag)?;
                }
                continue;
            }
        };
        let attrs = Attrs::of(xml, &tag)?;
        let repeat = count(&attrs.columns_repeated);
        let text = if empty {
            String::new()
        } else {
            cell_text(xml)?
        };
        let cell = OdsCell {
            value: if covered {
                CellValue::Empty
            } else {
                value(&attrs, text)
            },
            repeat,
            span: (count(&attrs.rows_spanned), count(&attrs.columns_spanned)),
        };
        if !cell.value.is_empty() || cell.span != (1, 1) {
            out.push((col, cell));
        }
        col = col.saturating_add(repeat);
    }
}

/// The text of a cell just started, read to its end: the character
/// content of its paragraphs (ODF 1.2 Part 1 §6.1), one per line.
fn cell_text<R: BufRead>(xml: &mut NsReader<R>) -> Result<String, String> {
    let mut text = Paragraphs::default();
    // Elements open inside the cell; the paragraph's depth while in one.
    let mut depth = 0usize;
    let mut paragraph: Option<usize> = None;
    let mut buf = Vec::new();
    loop {
        match next(xml, &mut buf)? {
            Item::Start { ns, tag, empty } => {
                let local = tag.local_name();
                let is_paragraph = ns == Ns::Text && matches!(local.as_ref(), b"p" | b"h");
                if left_out(ns, local.as_ref()) {
                    if !empty {
                        skip(xml, &tag)?;
                    }
                    continue;
                }
                if is_paragraph && paragraph.is_none() {
                    text.start();
                } else if paragraph.is_some() && ns == Ns::Text {
                    text.element(local.as_ref(), &tag, xml)?;
                }
                if !empty {
                    depth += 1;
                    if is_paragraph && paragraph.is_none() {
                        paragraph = Some(depth);
                    }
                }
            }
            Item::End if depth == 0 => return Ok(text.out),
            Item::End => {
                if paragraph == Some(depth) {
                    paragraph = None;
                }
                depth -= 1;
            }
            Item::Text(t) if paragraph.is_some() => text.chars(&t),
            Item::Eof => return Err(corrupt(&"content.xml 不完整")),
            _ => {}
        }
    }
}

/// What is not a paragraph's character content (ODF 1.2 Part 1 §6.1.1):
/// notes' bodies, ruby text, annotations, drawing shapes and frames.
fn left_out(ns: Ns, local: &[u8]) -> bool {
    match ns {
        Ns::Text => matches!(local, b"note-body" | b"ruby-text"),
        Ns::Office => matches!(local, b"annotation" | b"annotation-end"),
        Ns::Draw => true,
        _ => false,
    }
}

/// The text of a cell's paragraphs as it is built: white space collapsed
/// (ODF 1.2 Part 1 §6.1.2: tab, line feed, carriage return and space are
/// one space; none at a paragraph's start or end), paragraphs joined by
/// line breaks; `text:s`, `text:tab` and `text:line-break` are characters
/// of their own, never collapsed.
#[derive(Default)]
struct Paragraphs {
    out: String,
    count: usize,
    /// Something but white space has been written in this paragraph.
    started: bool,
    /// White space seen since, to be written as one space if more follows.
    pending: bool,
}

impl Paragraphs {
    fn start(&mut self) {
        if self.count > 0 {
            self.out.push('\n');
        }
        self.count += 1;
        self.started = false;
        self.pending = false;
    }

    fn chars(&mut self, text: &str) {
        for c in text.chars() {
            if matches!(c, ' ' | '\t' | '\r' | '\n') {
                self.pending = self.started;
            } else {
                self.push(c);
            }
        }
    }

    fn push(&mut self, c: char) {
        if std::mem::take(&mut self.pending) {
            self.out.push(' ');
        }
        self.out.push(c);
        self.started = true;
    }

    /// A text element inside a paragraph: the ones that stand for
    /// characters.
    fn element<R>(
        &mut self,
        local: &[u8],
        e: &BytesStart,
        xml: &NsReader<R>,
    ) -> Result<(), String> {
        match local {
            b"s" => {
                let n = (count(&Attrs::of(xml, e)?.spaces) as usize).min(MAX_SPACES);
                for _ in 0..n {
                    self.push(' ');
                }
            }
            b"tab" => self.push('\t'),
            b"line-break" => self.push('\n'),
            _ => {}
        }
        Ok(())
    }
}

/// A cell's value from its value type and typed attributes; `text` is what
/// the cell shows, used only when no typed value is there.
fn value(attrs: &Attrs, text: String) -> CellValue {
    // LibreOffice marks formula errors with its own extension attribute.
    if attrs.calc_value_type.as_deref() == Some("error") {
        return CellValue::Error(if text.is_empty() {
            "#VALUE!".into()
        } else {
            text
        });
    }
    let shown = || {
        if text.is_empty() {
            CellValue::Empty
        } else {
            CellValue::Text(text.as_str().into())
        }
    };
    fn typed(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim)
    }
    match typed(&attrs.value_type) {
        Some("float" | "percentage" | "currency") => typed(&attrs.value)
            .and_then(|v| v.parse::<f64>().ok())
            .map_or_else(shown, CellValue::Number),
        Some("date") => typed(&attrs.date_value)
            .and_then(xml::date_time)
            .map_or_else(shown, CellValue::DateTime),
        Some("time") => typed(&attrs.time_value)
            .and_then(xml::duration)
            .and_then(time_of_day)
            .map_or_else(shown, CellValue::DateTime),
        Some("boolean") => typed(&attrs.boolean_value)
            .and_then(xml::boolean)
            .map_or_else(shown, CellValue::Bool),
        Some("string") => match &attrs.string_value {
            Some(s) => CellValue::Text(s.as_str().into()),
            None => shown(),
        },
        _ => match (text.is_empty(), &attrs.formula) {
            (true, Some(f)) => CellValue::Uncalculated(f.clone()),
            _ => shown(),
        },
    }
}

/// A time value as an xlsx time cell reads: that long after the start of
/// day 0 (1899-12-30), so a time in .ods and in .xlsx is the same value.
fn time_of_day(d: chrono::TimeDelta) -> Option<chrono::NaiveDateTime> {
    chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?
        .and_hms_opt(0, 0, 0)?
        .checked_add_signed(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            max_file_bytes: 1 << 20,
            max_uncompressed_bytes: 1 << 20,
            max_cells_per_sheet: 1000,
            max_row: 1000,
            max_column: 100,
        }
    }

    /// The sheets of a content.xml, every one read.
    fn read(content: &str) -> Vec<BookSheet> {
        let limits = limits();
        tables(
            NsReader::from_reader(content.as_bytes()),
            &|_| true,
            &limits,
        )
        .unwrap()
    }

    fn cells(book: &[BookSheet]) -> Vec<(String, String)> {
        book[0]
            .grid
            .as_ref()
            .unwrap()
            .cells()
            .map(|(p, v)| (p.a1(), format!("{v:?}")))
            .collect()
    }

    const NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0""#;

    /// A cell as LibreOffice writes it: its attributes and the text it shows.
    fn cell(attrs: &str, shown: &str) -> String {
        let doc = format!(
            r#"<office:document-content {NS}><table:table table:name="s"><table:table-row><table:table-cell {attrs}><text:p>{shown}</text:p></table:table-cell></table:table-row></table:table></office:document-content>"#
        );
        cells(&read(&doc))
            .first()
            .map(|c| c.1.clone())
            .unwrap_or_default()
    }

    #[test]
    fn values_come_from_the_attributes_not_the_text_shown() {
        // LibreOffice shows `15,000.00`, `12.5%`, `¥1,200.50`; the value is
        // office:value (docs/return-form.md §4.7).
        let float = r#"office:value-type="float" office:value="15000" calcext:value-type="float""#;
        assert_eq!(cell(float, "15,000.00"), "Number(15000.0)");
        let pct = r#"office:value-type="percentage" office:value="0.125""#;
        assert_eq!(cell(pct, "12.5%"), "Number(0.125)");
        let money = r#"office:value-type="currency" office:currency="CNY" office:value="1200.5""#;
        assert_eq!(cell(money, "¥1,200.50"), "Number(1200.5)");
        let date = r#"office:value-type="date" office:date-value="2026-07-08""#;
        assert_eq!(cell(date, "2026年7月8日"), "DateTime(2026-07-08T00:00:00)");
        let stamp = r#"office:value-type="date" office:date-value="2026-07-08T09:30:00""#;
        assert_eq!(
            cell(stamp, "2026-07-08 09:30"),
            "DateTime(2026-07-08T09:30:00)"
        );
        let time = r#"office:value-type="time" office:time-value="PT13H45M00S""#;
        assert_eq!(cell(time, "13:45"), "DateTime(1899-12-30T13:45:00)");
        let yes = r#"office:value-type="boolean" office:boolean-value="1""#;
        assert_eq!(cell(yes, "TRUE"), "Bool(true)");
        let string = r#"office:value-type="string" office:string-value="南京 高新区""#;
        assert_eq!(cell(string, "南京…"), "Text(\"南京 高新区\")");
        let error = r#"office:value-type="string" calcext:value-type="error""#;
        assert_eq!(cell(error, "#DIV/0!"), "Error(\"#DIV/0!\")");
        // A formula whose result the file does not hold.
        assert_eq!(
            cell(r#"table:formula="of:=1/0""#, ""),
            "Uncalculated(\"of:=1/0\")"
        );
    }

    #[test]
    fn names_are_matched_by_namespace_not_prefix() {
        let doc = r#"<o:document-content xmlns:o="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:p="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:t="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:table="urn:example:not-odf"><table t:name="表" name="not this"><table-row><table-cell o:value-type="float" o:value="1234.5678"><p:p>1,234.57</p:p></table-cell><table:table-cell o:value-type="float" o:value="9"><p:p>9</p:p></table:table-cell></table-row></table></o:document-content>"#;
        let book = read(doc);
        assert_eq!(book[0].name, "表");
        // The foreign `table:table-cell` is not a cell.
        assert_eq!(
            cells(&book),
            [("A1".to_string(), "Number(1234.5678)".to_string())]
        );
    }

    #[test]
    fn paragraph_text_as_odf_defines_it() {
        let p = |inner: &str| {
            let doc = format!(
                "<office:document-content {NS}><table:table table:name=\"s\"><table:table-row>\n  <table:table-cell office:value-type=\"string\">\n    {inner}\n  </table:table-cell>\n</table:table-row></table:table></office:document-content>"
            );
            cells(&read(&doc))
                .first()
                .map(|c| c.1.clone())
                .unwrap_or_default()
        };
        assert_eq!(p("<text:p>\n   SG01\n   </text:p>"), "Text(\"SG01\")");
        assert_eq!(
            p("<text:p>a <text:s text:c=\"2\"/>b</text:p>"),
            "Text(\"a   b\")"
        );
        assert_eq!(
            p("<text:p>a<text:tab/>b<text:line-break/>c</text:p>\n<text:p><text:span>d</text:span> <text:a>e</text:a></text:p>"),
            "Text(\"a\\tb\\nc\\nd e\")"
        );
        assert_eq!(
            p("<text:p>x<office:annotation><text:p>note</text:p></office:annotation>y</text:p>"),
            "Text(\"xy\")"
        );
        assert_eq!(
            p("<text:p>&#x5357;&amp;&#20140;</text:p>"),
            "Text(\"南&京\")"
        );
    }

    #[test]
    fn a_doctype_is_refused() {
        let limits = limits();
        let doc = format!("<!DOCTYPE x><office:document-content {NS}/>");
        let read = tables(NsReader::from_reader(doc.as_bytes()), &|_| true, &limits);
        assert!(read.unwrap_err().contains("DOCTYPE"));
    }
}
