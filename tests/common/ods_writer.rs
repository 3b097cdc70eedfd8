//! OpenDocument spreadsheets written from a workbook's values, for the
//! dialect tests: the workbook is read with calamine (not the reader under
//! test), and `content.xml` is written here, by hand, in whichever of the
//! ways ODF 1.2 allows a dialect asks for.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write;

use calamine::{Data, Reader};

/// A workbook's sheets as calamine reads them.
pub struct Book {
    pub sheets: Vec<Sheet>,
}

pub struct Sheet {
    pub name: String,
    /// (row, column) → value, non-empty cells only.
    pub cells: BTreeMap<(u32, u32), Data>,
    /// Merged regions: (first row, first column, last row, last column).
    pub merges: Vec<(u32, u32, u32, u32)>,
}

impl Book {
    /// An .xlsx's sheets, values and merged regions, read by calamine.
    pub fn from_xlsx(bytes: &[u8]) -> Book {
        let mut xlsx: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let sheets = xlsx
            .sheet_names()
            .into_iter()
            .map(|name| {
                let range = xlsx.worksheet_range(&name).unwrap();
                let (top, left) = range.start().unwrap_or((0, 0));
                let cells = range
                    .used_cells()
                    .filter(|(_, _, v)| !matches!(v, Data::Empty))
                    .map(|(r, c, v)| ((top + r as u32, left + c as u32), v.clone()))
                    .collect();
                let merges = xlsx
                    .merge_cells_by_sheet_name(&name)
                    .unwrap()
                    .into_iter()
                    .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
                    .collect();
                Sheet {
                    name,
                    cells,
                    merges,
                }
            })
            .collect();
        Book { sheets }
    }
}

/// How `content.xml` is written: each field a legal choice ODF leaves to
/// the writer. [`LIBREOFFICE`] is how LibreOffice writes it.
#[derive(Clone, Copy)]
pub struct Style {
    /// Prefixes for the office, table and text namespaces; `""` makes the
    /// namespace the default one for elements (attributes keep a prefix,
    /// `attribute_prefix`, since unprefixed attributes are in no namespace).
    pub office: &'static str,
    pub table: &'static str,
    pub text: &'static str,
    pub attribute_prefix: Option<(&'static str, &'static str)>,
    /// Line break and indent between elements (pretty-printed).
    pub indent: Option<(&'static str, &'static str)>,
    pub byte_order_mark: bool,
    pub utf16: bool,
    /// Strings carry `office:string-value`, and show something else.
    pub string_values: bool,
    /// Numbers and dates show a rounded, formatted text.
    pub formatted_display: bool,
    /// Text split into `text:span`s and a `text:a`.
    pub spans: bool,
    /// Runs of equal cells and empty rows written once, repeated.
    pub repeat: bool,
    /// An `office:annotation` in every string cell.
    pub annotations: bool,
    /// Entries stored, not deflated; no `mimetype` entry.
    pub stored_without_mimetype: bool,
}

pub const LIBREOFFICE: Style = Style {
    office: "office",
    table: "table",
    text: "text",
    attribute_prefix: None,
    indent: None,
    byte_order_mark: false,
    utf16: false,
    string_values: false,
    formatted_display: false,
    spans: false,
    repeat: true,
    annotations: false,
    stored_without_mimetype: false,
};

const OFFICE: &str = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
const TABLE: &str = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const TEXT: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const CALCEXT: &str = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0";

/// Element and attribute names in the style's prefixes.
struct Names {
    style: Style,
}

impl Names {
    fn element(&self, prefix: &str, local: &str) -> String {
        if prefix.is_empty() {
            local.to_string()
        } else {
            format!("{prefix}:{local}")
        }
    }

    fn office(&self, l: &str) -> String {
        self.element(self.style.office, l)
    }
    fn table(&self, l: &str) -> String {
        self.element(self.style.table, l)
    }
    fn text(&self, l: &str) -> String {
        self.element(self.style.text, l)
    }

    /// An attribute name: the element prefix, or the attribute prefix when
    /// elements use the default namespace.
    fn attr(&self, element_prefix: &str, l: &str) -> String {
        match (element_prefix, self.style.attribute_prefix) {
            ("", Some((p, _))) => format!("{p}:{l}"),
            (p, _) => format!("{p}:{l}"),
        }
    }

    fn office_attr(&self, l: &str) -> String {
        self.attr(self.style.office, l)
    }
    fn table_attr(&self, l: &str) -> String {
        match (self.style.table, self.style.attribute_prefix) {
            ("", Some((_, p))) => format!("{p}:{l}"),
            (p, _) => format!("{p}:{l}"),
        }
    }
    fn text_attr(&self, l: &str) -> String {
        self.attr(self.style.text, l)
    }

    fn declarations(&self) -> String {
        let mut out = String::new();
        for (prefix, uri) in [
            (self.style.office, OFFICE),
            (self.style.table, TABLE),
            (self.style.text, TEXT),
        ] {
            if prefix.is_empty() {
                out += &format!(" xmlns=\"{uri}\"");
            } else {
                out += &format!(" xmlns:{prefix}=\"{uri}\"");
            }
        }
        if let Some((office, table)) = self.style.attribute_prefix {
            out += &format!(" xmlns:{office}=\"{OFFICE}\" xmlns:{table}=\"{TABLE}\"");
        }
        out + &format!(" xmlns:calcext=\"{CALCEXT}\"")
    }
}

/// A writer of indented or compact XML.
struct Out {
    xml: String,
    indent: Option<(&'static str, &'static str)>,
    depth: usize,
}

impl Out {
    fn line(&mut self) {
        if let Some((newline, unit)) = self.indent {
            self.xml += newline;
            self.xml += &unit.repeat(self.depth);
        }
    }
    fn open(&mut self, tag: String) {
        self.line();
        self.xml += &tag;
        self.depth += 1;
    }
    fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.line();
        self.xml += &format!("</{name}>");
    }
    fn empty(&mut self, tag: String) {
        self.line();
        self.xml += &tag;
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An .ods package (or, with `flat`, a .fods document) of the book.
pub fn write(book: &Book, style: Style, flat: bool) -> Vec<u8> {
    let content = content(book, style, flat);
    let bytes = match (style.utf16, style.byte_order_mark) {
        (true, _) => {
            let mut out = vec![0xFF, 0xFE];
            for unit in content.encode_utf16() {
                out.extend(unit.to_le_bytes());
            }
            out
        }
        (false, true) => [b"\xEF\xBB\xBF".as_slice(), content.as_bytes()].concat(),
        (false, false) => content.into_bytes(),
    };
    if flat {
        return bytes;
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = if style.stored_without_mimetype {
        stored
    } else {
        zip::write::SimpleFileOptions::default().compression_level(Some(1))
    };
    if !style.stored_without_mimetype {
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
    }
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(&bytes).unwrap();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(MANIFEST.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;

fn content(book: &Book, style: Style, flat: bool) -> String {
    let n = Names { style };
    let encoding = if style.utf16 { "UTF-16" } else { "UTF-8" };
    let mut out = Out {
        xml: format!("<?xml version=\"1.0\" encoding=\"{encoding}\"?>"),
        indent: style.indent,
        depth: 0,
    };
    let root = if flat {
        format!(
            "<{}{} {}=\"1.2\" {}=\"application/vnd.oasis.opendocument.spreadsheet\">",
            n.office("document"),
            n.declarations(),
            n.office_attr("version"),
            n.office_attr("mimetype")
        )
    } else {
        format!(
            "<{}{} {}=\"1.2\">",
            n.office("document-content"),
            n.declarations(),
            n.office_attr("version")
        )
    };
    out.open(root);
    out.open(format!("<{}>", n.office("body")));
    out.open(format!("<{}>", n.office("spreadsheet")));
    for sheet in &book.sheets {
        write_sheet(&mut out, &n, sheet);
    }
    out.close(&n.office("spreadsheet"));
    out.close(&n.office("body"));
    out.close(&n.office(if flat { "document" } else { "document-content" }));
    out.xml
}

fn write_sheet(out: &mut Out, n: &Names, sheet: &Sheet) {
    out.open(format!(
        "<{} {}=\"{}\">",
        n.table("table"),
        n.table_attr("name"),
        escape(&sheet.name)
    ));
    let columns = sheet
        .cells
        .keys()
        .map(|k| k.1 + 1)
        .chain(sheet.merges.iter().map(|m| m.3 + 1))
        .max()
        .unwrap_or(1);
    out.empty(format!(
        "<{} {}=\"{columns}\"/>",
        n.table("table-column"),
        n.table_attr("number-columns-repeated")
    ));
    let rows = sheet
        .cells
        .keys()
        .map(|k| k.0 + 1)
        .chain(sheet.merges.iter().map(|m| m.2 + 1))
        .max()
        .unwrap_or(0);
    let mut empty_rows = 0;
    for row in 0..rows {
        let cells: Vec<String> = (0..columns).map(|col| cell(n, sheet, row, col)).collect();
        let blank = cells.iter().all(|c| c == &blank_cell(n));
        if blank && n.style.repeat {
            empty_rows += 1;
            continue;
        }
        flush_empty_rows(out, n, &mut empty_rows);
        out.open(format!("<{}>", n.table("table-row")));
        let mut i = 0;
        while i < cells.len() {
            let same = if n.style.repeat {
                cells[i..].iter().take_while(|c| **c == cells[i]).count()
            } else {
                1
            };
            let xml = &indent_cell(n, &cells[i], out.depth);
            if same > 1 {
                let repeat = format!(" {}=\"{same}\"", n.table_attr("number-columns-repeated"));
                let name_end = n.table("table-cell").len() + 1;
                let at = if xml.starts_with(&format!("<{}", n.table("covered-table-cell"))) {
                    n.table("covered-table-cell").len() + 1
                } else {
                    name_end
                };
                out.empty(format!("{}{repeat}{}", &xml[..at], &xml[at..]));
            } else {
                out.empty(xml.clone());
            }
            i += same;
        }
        out.close(&n.table("table-row"));
    }
    flush_empty_rows(out, n, &mut empty_rows);
    out.close(&n.table("table"));
}

/// A cell's XML pretty-printed as a generic XML formatter would: its
/// paragraphs on lines of their own, each paragraph's text on a line of
/// its own too (white space at a paragraph's start and end is ignored,
/// ODF 1.2 Part 1 §6.1.2); nothing added between a paragraph's children,
/// where it would be a space.
fn indent_cell(n: &Names, xml: &str, depth: usize) -> String {
    let Some((newline, unit)) = n.style.indent else {
        return xml.to_string();
    };
    if xml.ends_with("/>") {
        return xml.to_string();
    }
    let at = |d: usize| format!("{newline}{}", unit.repeat(d));
    let (p, end_p) = (format!("<{}>", n.text("p")), format!("</{}>", n.text("p")));
    let end_cell = format!("</{}>", n.table("table-cell"));
    xml.replace(&p, &format!("{}{p}{}", at(depth + 1), at(depth + 2)))
        .replace(&end_p, &format!("{}{end_p}", at(depth + 1)))
        .replace(&end_cell, &format!("{}{end_cell}", at(depth)))
}

fn flush_empty_rows(out: &mut Out, n: &Names, count: &mut u32) {
    if *count == 0 {
        return;
    }
    out.empty(format!(
        "<{} {}=\"{count}\"><{}/></{}>",
        n.table("table-row"),
        n.table_attr("number-rows-repeated"),
        n.table("table-cell"),
        n.table("table-row")
    ));
    *count = 0;
}

fn blank_cell(n: &Names) -> String {
    format!("<{}/>", n.table("table-cell"))
}

/// One cell's XML (on one line; indentation goes between cells).
fn cell(n: &Names, sheet: &Sheet, row: u32, col: u32) -> String {
    let covered = sheet.merges.iter().any(|m| {
        (m.0..=m.2).contains(&row) && (m.1..=m.3).contains(&col) && (m.0, m.1) != (row, col)
    });
    if covered {
        return format!("<{}/>", n.table("covered-table-cell"));
    }
    let mut attrs = String::new();
    if let Some(m) = sheet.merges.iter().find(|m| (m.0, m.1) == (row, col)) {
        attrs += &format!(
            " {}=\"{}\" {}=\"{}\"",
            n.table_attr("number-rows-spanned"),
            m.2 - m.0 + 1,
            n.table_attr("number-columns-spanned"),
            m.3 - m.1 + 1
        );
    }
    let value_type = n.office_attr("value-type");
    let name = n.table("table-cell");
    let (typed, shown) = match sheet.cells.get(&(row, col)) {
        None => return format!("<{name}{attrs}/>"),
        Some(Data::String(s)) if n.style.string_values => (
            format!(
                " {value_type}=\"string\" {}=\"{}\"",
                n.office_attr("string-value"),
                escape(s).replace('\n', "&#10;").replace('\t', "&#9;")
            ),
            "…".to_string(),
        ),
        Some(Data::String(s)) => (format!(" {value_type}=\"string\""), s.clone()),
        Some(Data::Float(f)) => (
            format!(" {value_type}=\"float\" {}=\"{f}\"", n.office_attr("value")),
            if n.style.formatted_display {
                format!("{f:.0}")
            } else {
                f.to_string()
            },
        ),
        Some(Data::Int(i)) => (
            format!(" {value_type}=\"float\" {}=\"{i}\"", n.office_attr("value")),
            i.to_string(),
        ),
        Some(Data::Bool(b)) => (
            format!(
                " {value_type}=\"boolean\" {}=\"{b}\"",
                n.office_attr("boolean-value")
            ),
            if *b { "TRUE" } else { "FALSE" }.to_string(),
        ),
        Some(Data::DateTime(d)) => {
            let d = d.as_datetime().unwrap();
            (
                format!(
                    " {value_type}=\"date\" {}=\"{}\"",
                    n.office_attr("date-value"),
                    d.format("%Y-%m-%dT%H:%M:%S")
                ),
                if n.style.formatted_display {
                    d.format("%Y年%-m月%-d日").to_string()
                } else {
                    d.format("%Y-%m-%d").to_string()
                },
            )
        }
        Some(Data::Error(e)) => (
            format!(" {value_type}=\"string\" calcext:value-type=\"error\""),
            e.to_string(),
        ),
        Some(other) => panic!("a value the sample does not hold: {other:?}"),
    };
    let mut inner = paragraphs(n, &shown);
    if n.style.annotations && typed.contains("\"string\"") {
        inner = format!(
            "<{0}><{1}>批注：不是单元格的值</{1}></{0}>{inner}",
            n.office("annotation"),
            n.text("p")
        );
    }
    format!("<{name}{attrs}{typed}>{inner}</{name}>")
}

/// A cell's text as paragraphs: one per line; spaces that XML white-space
/// collapsing would lose (leading, trailing, repeated) as `text:s`, tabs
/// as `text:tab`, as ODF 1.2 Part 1 §6.1 and LibreOffice write them.
fn paragraphs(n: &Names, text: &str) -> String {
    let p = n.text("p");
    text.split('\n')
        .map(|line| {
            let chars: Vec<char> = line.chars().collect();
            let mut body = String::new();
            let mut i = 0;
            while i < chars.len() {
                let c = chars[i];
                let kept = c == ' '
                    && i > 0
                    && chars[i - 1] != ' '
                    && chars.get(i + 1).is_some_and(|&next| next != ' ');
                if c == ' ' && !kept {
                    let run = chars[i..].iter().take_while(|&&c| c == ' ').count();
                    body += &format!("<{} {}=\"{run}\"/>", n.text("s"), n.text_attr("c"));
                    i += run;
                    continue;
                }
                match c {
                    '\t' => body += &format!("<{}/>", n.text("tab")),
                    '\r' => body += "&#13;",
                    _ => body += &escape(&c.to_string()),
                }
                i += 1;
            }
            if n.style.spans && chars.len() > 2 {
                let cut = body
                    .char_indices()
                    .find(|(i, c)| *i >= body.len() / 2 && *c != '&' && !body[..*i].ends_with(['<']) && balanced(&body[..*i]))
                    .map_or(body.len(), |(i, _)| i);
                body = format!(
                    "<{span}>{}</{span}><{a} xlink:href=\"https://example.org\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">{}</{a}>",
                    &body[..cut],
                    &body[cut..],
                    span = n.text("span"),
                    a = n.text("a")
                );
            }
            format!("<{p}>{body}</{p}>")
        })
        .collect()
}

/// Whether a prefix of escaped paragraph XML ends outside a tag and a
/// reference.
fn balanced(prefix: &str) -> bool {
    prefix.matches('<').count() == prefix.matches('>').count()
        && prefix
            .rfind('&')
            .is_none_or(|amp| prefix[amp..].contains(';'))
}
