//! Rewriting Open XML packages for the dialect tests (`tests/dialects.rs`):
//! parts in and out of a zip, and the small, literal XML edits a dialect
//! makes. Written for these tests alone, independently of the readers
//! under test.
#![allow(dead_code)]

use std::io::{Read, Write};

use chrono::{NaiveDate, NaiveDateTime};
use zip::write::SimpleFileOptions;

/// A package's parts, in zip order.
#[derive(Clone)]
pub struct Package {
    pub parts: Vec<(String, Vec<u8>)>,
}

impl Package {
    pub fn open(bytes: &[u8]) -> Package {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let parts = (0..zip.len())
            .map(|i| {
                let mut entry = zip.by_index(i).unwrap();
                let mut out = Vec::new();
                entry.read_to_end(&mut out).unwrap();
                (entry.name().unwrap().to_string(), out)
            })
            .collect();
        Package { parts }
    }

    pub fn has(&self, name: &str) -> bool {
        self.parts.iter().any(|(n, _)| n == name)
    }

    pub fn text(&self, name: &str) -> String {
        let (_, bytes) = self
            .parts
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no part {name}"));
        String::from_utf8(bytes.clone()).unwrap()
    }

    pub fn set_text(&mut self, name: &str, text: String) {
        self.set(name, text.into_bytes());
    }

    pub fn set(&mut self, name: &str, bytes: Vec<u8>) {
        match self.parts.iter_mut().find(|(n, _)| n == name) {
            Some(part) => part.1 = bytes,
            None => self.parts.push((name.to_string(), bytes)),
        }
    }

    pub fn edit(&mut self, name: &str, f: impl FnOnce(String) -> String) {
        let text = self.text(name);
        self.set_text(name, f(text));
    }

    pub fn rename(&mut self, from: &str, to: &str) {
        let part = self.parts.iter_mut().find(|(n, _)| n == from).unwrap();
        part.0 = to.to_string();
    }

    pub fn remove(&mut self, name: &str) {
        self.parts.retain(|(n, _)| n != name);
    }

    /// The XML parts (`.xml`, `.rels`) by name.
    pub fn xml_names(&self) -> Vec<String> {
        self.parts
            .iter()
            .map(|(n, _)| n.clone())
            .filter(|n| n.ends_with(".xml") || n.ends_with(".rels"))
            .collect()
    }

    /// Every XML part through `f(name, text)`.
    pub fn edit_xml(&mut self, mut f: impl FnMut(&str, String) -> String) {
        for name in self.xml_names() {
            self.edit(&name, |t| f(&name, t));
        }
    }

    /// The worksheet parts, in zip order.
    pub fn sheets(&self) -> Vec<String> {
        self.parts
            .iter()
            .map(|(n, _)| n.clone())
            .filter(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml"))
            .collect()
    }

    /// Every worksheet through `f`.
    pub fn edit_sheets(&mut self, mut f: impl FnMut(String) -> String) {
        for name in self.sheets() {
            self.edit(&name, &mut f);
        }
    }

    /// The package as a zip, deflated.
    pub fn zip(&self) -> Vec<u8> {
        self.zip_with(SimpleFileOptions::default().compression_level(Some(1)))
    }

    pub fn zip_with(&self, options: SimpleFileOptions) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, bytes) in &self.parts {
            // An OpenDocument package's mimetype entry is stored.
            let options = if name == "mimetype" { stored } else { options };
            zip.start_file(name.as_str(), options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }
}

/// One piece of XML text as the dialects see it.
pub enum Token<'a> {
    /// `<name …>`, `<name …/>` or `</name>`, whole.
    Tag(&'a str),
    /// Anything else: text, comments, CDATA, declarations.
    Other(&'a str),
}

/// The tags and the rest of an XML text, in order.
pub fn tokens(xml: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = xml;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            out.push(Token::Other(rest));
            break;
        };
        if lt > 0 {
            out.push(Token::Other(&rest[..lt]));
            rest = &rest[lt..];
        }
        let end = if rest.starts_with("<!--") {
            rest.find("-->").unwrap() + 3
        } else if rest.starts_with("<![CDATA[") {
            rest.find("]]>").unwrap() + 3
        } else if rest.starts_with("<?") {
            rest.find("?>").unwrap() + 2
        } else {
            tag_end(rest) + 1
        };
        let (piece, after) = rest.split_at(end);
        if piece.starts_with("<!") || piece.starts_with("<?") {
            out.push(Token::Other(piece));
        } else {
            out.push(Token::Tag(piece));
        }
        rest = after;
    }
    out
}

fn tag_end(tag: &str) -> usize {
    let mut quote = None;
    for (i, c) in tag.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return i,
            _ => {}
        }
    }
    panic!("unterminated tag")
}

/// Every tag of an XML text through `f`, the rest kept.
pub fn map_tags(xml: &str, mut f: impl FnMut(&str) -> String) -> String {
    tokens(xml)
        .into_iter()
        .map(|t| match t {
            Token::Tag(tag) => f(tag),
            Token::Other(text) => text.to_string(),
        })
        .collect()
}

/// A tag's name (with its prefix), without `/`.
pub fn tag_name(tag: &str) -> &str {
    let inner = tag.trim_start_matches('<').trim_start_matches('/');
    let end = inner
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(inner.len());
    &inner[..end]
}

/// A name without its prefix.
pub fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

pub fn is_close(tag: &str) -> bool {
    tag.starts_with("</")
}

pub fn is_empty_tag(tag: &str) -> bool {
    tag.ends_with("/>")
}

/// The attributes of a tag, (name, raw value) in order.
pub fn attributes(tag: &str) -> Vec<(String, String)> {
    let inner = tag
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_end_matches('/');
    let mut rest = &inner[tag_name(tag).len()..];
    let mut out = Vec::new();
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq].trim().to_string();
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next().unwrap();
        let close = after[1..].find(quote).unwrap();
        out.push((name, after[1..1 + close].to_string()));
        rest = &after[close + 2..];
    }
    out
}

/// An attribute's raw value.
pub fn attr(tag: &str, name: &str) -> Option<String> {
    attributes(tag)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

/// A tag written again from its name and attributes.
pub fn write_tag(name: &str, attrs: &[(String, String)], empty: bool) -> String {
    let mut out = format!("<{name}");
    for (k, v) in attrs {
        out += &format!(" {k}=\"{v}\"");
    }
    out += if empty { "/>" } else { ">" };
    out
}

/// A tag with one attribute set (added when missing) or, with `None`,
/// removed.
pub fn set_attr(tag: &str, name: &str, value: Option<&str>) -> String {
    let mut attrs = attributes(tag);
    let at = attrs.iter().position(|(n, _)| n == name);
    match (at, value) {
        (Some(i), Some(v)) => attrs[i].1 = v.to_string(),
        (None, Some(v)) => attrs.push((name.to_string(), v.to_string())),
        (Some(i), None) => {
            attrs.remove(i);
        }
        (None, None) => {}
    }
    write_tag(tag_name(tag), &attrs, is_empty_tag(tag))
}

/// Text for XML content.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// XML text with its references resolved.
pub fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out += &rest[..i];
        let end = rest[i..].find(';').unwrap() + i;
        let name = &rest[i + 1..end];
        out.push(match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = match name.strip_prefix("#x") {
                    Some(hex) => u32::from_str_radix(hex, 16).unwrap(),
                    None => name[1..].parse().unwrap(),
                };
                char::from_u32(code).unwrap()
            }
        });
        rest = &rest[end + 1..];
    }
    out + rest
}

/// One `<c>` of a worksheet: its start tag and what is inside it.
pub struct Cell {
    pub tag: String,
    pub inner: String,
}

impl Cell {
    pub fn attr(&self, name: &str) -> Option<String> {
        attr(&self.tag, name)
    }

    /// The text of an element inside (`v`, `f`), raw.
    pub fn child(&self, local_name: &str) -> Option<String> {
        let toks = tokens(&self.inner);
        let at = toks.iter().position(|t| {
            matches!(t, Token::Tag(tag) if !is_close(tag) && local(tag_name(tag)) == local_name)
        })?;
        if let Token::Tag(tag) = toks[at] {
            if is_empty_tag(tag) {
                return Some(String::new());
            }
        }
        let mut text = String::new();
        for t in &toks[at + 1..] {
            match t {
                Token::Tag(_) => break,
                Token::Other(s) => text += s,
            }
        }
        Some(text)
    }

    pub fn write(&self) -> String {
        if self.inner.is_empty() && is_empty_tag(&self.tag) {
            return self.tag.clone();
        }
        let open = self.tag.trim_end_matches("/>").trim_end_matches('>');
        format!("{open}>{}</{}>", self.inner, tag_name(&self.tag))
    }
}

/// Every cell of a worksheet through `f` (which returns the cell's XML).
pub fn map_cells(xml: &str, mut f: impl FnMut(Cell) -> String) -> String {
    let toks = tokens(xml);
    let mut out = String::new();
    let mut i = 0;
    while i < toks.len() {
        match toks[i] {
            Token::Tag(tag) if !is_close(tag) && local(tag_name(tag)) == "c" => {
                let mut inner = String::new();
                if !is_empty_tag(tag) {
                    i += 1;
                    loop {
                        match toks[i] {
                            Token::Tag(t) if is_close(t) && local(tag_name(t)) == "c" => break,
                            Token::Tag(t) | Token::Other(t) => inner += t,
                        }
                        i += 1;
                    }
                }
                out += &f(Cell {
                    tag: tag.to_string(),
                    inner,
                });
            }
            Token::Tag(t) | Token::Other(t) => out += t,
        }
        i += 1;
    }
    out
}

/// The `<si>` items of a shared-string table, each its inner XML.
pub fn shared_items(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for t in tokens(xml) {
        match (t, &mut current) {
            (Token::Tag(tag), _) if local(tag_name(tag)) == "si" && is_empty_tag(tag) => {
                out.push(String::new())
            }
            (Token::Tag(tag), None) if local(tag_name(tag)) == "si" && !is_close(tag) => {
                current = Some(String::new())
            }
            (Token::Tag(tag), Some(_)) if local(tag_name(tag)) == "si" && is_close(tag) => {
                out.push(current.take().unwrap())
            }
            (Token::Tag(s) | Token::Other(s), Some(c)) => *c += s,
            _ => {}
        }
    }
    out
}

/// Every `<si>` of a shared-string table through `f(inner) -> inner`.
pub fn map_shared_items(xml: &str, mut f: impl FnMut(&str) -> String) -> String {
    let items = shared_items(xml);
    let start = xml.find("<si").unwrap_or(xml.len());
    let end = xml.rfind("</sst>").unwrap_or(xml.len());
    let mut out = xml[..start].to_string();
    for item in &items {
        out += &format!("<si>{}</si>", f(item));
    }
    out + &xml[end..]
}

/// The text of a shared-string item as Excel means it: its `<t>`s outside
/// phonetic runs, references resolved, each trimmed unless it asks to keep
/// its white space.
pub fn item_text(inner: &str) -> String {
    let toks = tokens(inner);
    let mut out = String::new();
    let mut phonetic = false;
    let mut i = 0;
    while i < toks.len() {
        if let Token::Tag(tag) = toks[i] {
            let name = local(tag_name(tag));
            if name == "rPh" {
                phonetic = !is_close(tag);
            } else if name == "t" && !is_close(tag) && !is_empty_tag(tag) && !phonetic {
                let keep = attr(tag, "xml:space").as_deref() == Some("preserve");
                let raw = match toks[i + 1] {
                    Token::Other(text) => text,
                    Token::Tag(_) => "",
                };
                let text = match raw.strip_prefix("<![CDATA[") {
                    Some(cdata) => cdata.trim_end_matches("]]>").to_string(),
                    None => unescape(raw),
                };
                out += if keep {
                    &text
                } else {
                    text.trim_matches([' ', '\t', '\r', '\n'])
                };
            }
        }
        i += 1;
    }
    out
}

/// For each cell style (`s`), whether it shows a number as a date: its
/// number format is a built-in date format or a custom one with a year.
pub fn date_styles(styles: &str) -> Vec<bool> {
    let mut custom = std::collections::HashMap::new();
    let mut kinds = Vec::new();
    let mut in_xfs = false;
    for t in tokens(styles) {
        let Token::Tag(tag) = t else { continue };
        match local(tag_name(tag)) {
            "numFmt" => {
                let id: u32 = attr(tag, "numFmtId").unwrap().parse().unwrap();
                let code = unescape(&attr(tag, "formatCode").unwrap());
                custom.insert(id, code.contains('y') || code.contains('d'));
            }
            "cellXfs" => in_xfs = !is_close(tag) && !is_empty_tag(tag),
            "xf" if in_xfs && !is_close(tag) => {
                let id: u32 = attr(tag, "numFmtId").map_or(0, |v| v.parse().unwrap());
                kinds.push(custom.get(&id).copied().unwrap_or((14..=22).contains(&id)));
            }
            _ => {}
        }
    }
    kinds
}

/// An Excel serial date of the 1900 system (after February 1900).
pub fn serial_date(serial: f64) -> NaiveDateTime {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    epoch + chrono::Duration::milliseconds((serial * 86_400_000.0).round() as i64)
}

/// Every numeric cell whose style shows a date, through
/// `f(cell, date) -> cell XML`; the others kept.
pub fn map_date_cells(
    package: &mut Package,
    mut f: impl FnMut(&Cell, NaiveDateTime) -> String,
) -> usize {
    let dates = date_styles(&package.text("xl/styles.xml"));
    let mut changed = 0;
    package.edit_sheets(|xml| {
        map_cells(&xml, |cell| {
            let style: usize = cell.attr("s").map_or(0, |s| s.parse().unwrap());
            let numeric = cell.attr("t").is_none_or(|t| t == "n");
            match (numeric && dates.get(style) == Some(&true), cell.child("v")) {
                (true, Some(v)) if !v.trim().is_empty() => {
                    changed += 1;
                    f(&cell, serial_date(v.trim().parse().unwrap()))
                }
                _ => cell.write(),
            }
        })
    });
    changed
}

/// Each relationship target of a relationships part through `f`.
pub fn map_targets(rels: &str, mut f: impl FnMut(&str) -> String) -> String {
    map_tags(rels, |tag| {
        if local(tag_name(tag)) != "Relationship" || is_close(tag) {
            return tag.to_string();
        }
        let target = attr(tag, "Target").unwrap();
        set_attr(tag, "Target", Some(&f(&target)))
    })
}

/// UTF-16 bytes with a byte order mark.
pub fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    std::iter::once(0xFEFF)
        .chain(text.encode_utf16())
        .flat_map(|u| {
            if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            }
        })
        .collect()
}

/// Percent-encoding of everything but unreserved characters and `/`.
pub fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The raw text of every `local_name` element (`t`, `v`) through `f`.
pub fn map_element_text(xml: &str, local_name: &str, mut f: impl FnMut(&str) -> String) -> String {
    let toks = tokens(xml);
    let mut out = String::new();
    let mut inside = false;
    for t in toks {
        match t {
            Token::Tag(tag) => {
                let this = local(tag_name(tag)) == local_name;
                inside = this && !is_close(tag) && !is_empty_tag(tag);
                out += tag;
            }
            Token::Other(text) if inside => out += &f(text),
            Token::Other(text) => out += text,
        }
    }
    out
}

/// A relationships part without the relationships of a type.
pub fn without_relationship(rels: &str, type_name: &str) -> String {
    map_tags(rels, |tag| {
        let drop = local(tag_name(tag)) == "Relationship"
            && attr(tag, "Type").is_some_and(|t| t.rsplit('/').next() == Some(type_name));
        if drop {
            String::new()
        } else {
            tag.to_string()
        }
    })
}
