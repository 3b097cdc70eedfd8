//! The package as the Open Packaging Conventions define it (ECMA-376 Part 2):
//! parts found by name, case-insensitively (M1.12) and with percent-encoding
//! undone (part names are URIs, zip item names may carry them either way),
//! interleaved parts put together from their pieces (`x.xml/[0].piece` …
//! `[n].last.piece`), relationships read from each part's `_rels/*.rels` and
//! their targets resolved against the part they belong to (RFC 3986 §5.2):
//! `./`, `../`, absolute, `\` written for `/`.
//!
//! Nothing here assumes where a writer put a part: the main part is the
//! package's `officeDocument` relationship, and every other part is reached
//! through relationships from it.

use std::collections::HashMap;
use std::io::Read;

use super::scan::{attribute, Scanner, Tag};
use super::Zip;
use crate::config::Limits;
use crate::ingest::open::{corrupt, inflate_error, zip_error};
use crate::ingest::xml;

/// The package's parts by name.
pub(super) struct Parts {
    /// Part key (see [`key`]) → the zip entries holding it, in order: one,
    /// or the pieces of an interleaved part.
    index: HashMap<String, Result<Vec<usize>, ()>>,
}

/// A relationship of a part, its target resolved to a part name.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Relationship {
    pub id: String,
    /// The relationship type, a URI (`…/relationships/worksheet`).
    pub kind: String,
    pub target: String,
}

impl Relationship {
    /// Whether the type is `name` in any of the namespaces writers use
    /// (transitional `http://schemas.openxmlformats.org/…`, Strict
    /// `http://purl.oclc.org/ooxml/…`): types are compared by their last
    /// segment.
    pub fn is(&self, name: &str) -> bool {
        self.kind.rsplit('/').next() == Some(name)
    }
}

impl Parts {
    pub fn new(zip: &Zip<'_>) -> Parts {
        let mut index: HashMap<String, Result<Vec<usize>, ()>> = HashMap::new();
        let mut pieces: HashMap<String, Vec<(u32, bool, usize)>> = HashMap::new();
        for i in 0..zip.len() {
            let Some(Ok(name)) = zip.name_for_index(i) else {
                continue;
            };
            let name = key(&name);
            match piece(&name) {
                Some((part, n, last)) => pieces.entry(part).or_default().push((n, last, i)),
                None => {
                    index.entry(name).or_insert(Ok(vec![i]));
                }
            }
        }
        for (part, mut list) in pieces {
            list.sort_unstable();
            let whole = list
                .iter()
                .enumerate()
                .all(|(k, &(n, last, _))| n as usize == k && last == (k + 1 == list.len()));
            let entries = list.into_iter().map(|(_, _, i)| i).collect();
            index
                .entry(part)
                .or_insert(if whole { Ok(entries) } else { Err(()) });
        }
        Parts { index }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.index.contains_key(&key(name))
    }

    /// A part's bytes, inflated (`None` when absent); the whole package's
    /// limit applies to each part.
    pub fn read(
        &self,
        zip: &mut Zip<'_>,
        name: &str,
        limits: &Limits,
    ) -> Result<Option<Vec<u8>>, String> {
        let entries = match self.index.get(&key(name)) {
            None => return Ok(None),
            Some(Err(())) => return Err(corrupt(&format!("部件 {name} 的分段不完整"))),
            Some(Ok(entries)) => entries,
        };
        let max = limits.max_uncompressed_bytes;
        let mut out = Vec::new();
        for &i in entries {
            let entry = zip.by_index(i).map_err(|e| zip_error(&e))?;
            if out.is_empty() {
                out.reserve(entry.size().min(max) as usize);
            }
            let room = (max + 1).saturating_sub(out.len() as u64);
            entry
                .take(room)
                .read_to_end(&mut out)
                .map_err(|e| inflate_error(&e))?;
            if out.len() as u64 > max {
                return Err(format!("解压后大小超过上限 {:.0} MB", max as f64 / 1e6));
            }
        }
        Ok(Some(out))
    }

    /// An XML part as UTF-8 (see [`xml::utf8`]).
    pub fn xml(
        &self,
        zip: &mut Zip<'_>,
        name: &str,
        limits: &Limits,
    ) -> Result<Option<Vec<u8>>, String> {
        match self.read(zip, name, limits)? {
            Some(bytes) => xml::utf8(bytes, name).map(Some),
            None => Ok(None),
        }
    }

    /// The relationships of a part (`""` for the package itself), external
    /// ones left out; none when it has no relationship part.
    pub fn relationships(
        &self,
        zip: &mut Zip<'_>,
        source: &str,
        limits: &Limits,
    ) -> Result<Vec<Relationship>, String> {
        let Some(bytes) = self.xml(zip, &rels_part(source), limits)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        let mut xml = Scanner::new(&bytes);
        while let Some(tag) = xml.next_tag().map_err(|e| corrupt(&e))? {
            let Tag::Open {
                local: b"Relationship",
                attrs,
                ..
            } = tag
            else {
                continue;
            };
            let external = attribute(attrs, b"TargetMode")?.is_some_and(|m| m == "External");
            let (Some(id), Some(target)) = (attribute(attrs, b"Id")?, attribute(attrs, b"Target")?)
            else {
                continue;
            };
            if external {
                continue;
            }
            out.push(Relationship {
                id,
                kind: attribute(attrs, b"Type")?.unwrap_or_default(),
                target: resolve(source, &target),
            });
        }
        Ok(out)
    }
}

/// The relationship part of a part: `xl/workbook.xml` →
/// `xl/_rels/workbook.xml.rels`; the package's is `_rels/.rels`.
fn rels_part(source: &str) -> String {
    match source.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/_rels/{name}.rels"),
        None => format!("_rels/{source}.rels"),
    }
}

/// A relationship's target as a part name: relative to the directory of
/// its source part unless it starts with `/`; `.` and `..` segments
/// removed (a `..` above the root stays at the root, as RFC 3986 says).
pub(super) fn resolve(source: &str, target: &str) -> String {
    let target = target.replace('\\', "/");
    let target = target.split(['#', '?']).next().unwrap_or_default();
    let mut segments: Vec<&str> = Vec::new();
    if !target.starts_with('/') {
        if let Some((dir, _)) = source.rsplit_once('/') {
            segments.extend(dir.split('/').filter(|s| !s.is_empty()));
        }
    }
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    segments.join("/")
}

/// The name a part is found by: percent-encoding undone, `\` as `/`, no
/// leading `/`, lower case (part names are compared case-insensitively).
fn key(name: &str) -> String {
    let name = name.replace('\\', "/");
    let name = name.trim_start_matches('/');
    percent_decoded(name).to_lowercase()
}

/// `%XX` escapes undone, when they spell UTF-8; else the name as it is.
fn percent_decoded(name: &str) -> std::borrow::Cow<'_, str> {
    if !name.contains('%') {
        return name.into();
    }
    let bytes = name.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_or(name.into(), Into::into)
}

/// A piece of an interleaved part: `xl/x.xml/[3].piece` or
/// `xl/x.xml/[4].last.piece` → (`xl/x.xml`, 3, last).
fn piece(name: &str) -> Option<(String, u32, bool)> {
    let (part, file) = name.rsplit_once('/')?;
    let inner = file.strip_prefix('[')?;
    let (n, rest) = inner.split_once(']')?;
    let last = match rest {
        ".piece" => false,
        ".last.piece" => true,
        _ => return None,
    };
    Some((part.to_string(), n.parse().ok()?, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_their_source() {
        let wb = "xl/workbook.xml";
        assert_eq!(
            resolve(wb, "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve(wb, "./worksheets/./sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve(wb, "../xl/worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve(wb, "/xl/worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(resolve(wb, "..\\..\\a.xml"), "a.xml");
        assert_eq!(resolve("", "xl/workbook.xml"), "xl/workbook.xml");
        assert_eq!(resolve("", "/book.xml"), "book.xml");
        assert_eq!(resolve("a/b/c.xml", "../d.xml#x"), "a/d.xml");
    }

    #[test]
    fn part_names_match_as_opc_says() {
        assert_eq!(
            key("/XL/Worksheets/Sheet%201.xml"),
            "xl/worksheets/sheet 1.xml"
        );
        assert_eq!(key("xl\\工作表.xml"), "xl/工作表.xml");
        assert_eq!(key("xl/%E5%B7%A5.xml"), "xl/工.xml");
        assert_eq!(key("xl/%ZZ%e5.xml"), "xl/%zz%e5.xml");
        assert_eq!(rels_part("xl/workbook.xml"), "xl/_rels/workbook.xml.rels");
        assert_eq!(rels_part(""), "_rels/.rels");
        assert_eq!(rels_part("book.xml"), "_rels/book.xml.rels");
        assert_eq!(
            piece("xl/a.xml/[0].piece"),
            Some(("xl/a.xml".into(), 0, false))
        );
        assert_eq!(
            piece("xl/a.xml/[12].last.piece"),
            Some(("xl/a.xml".into(), 12, true))
        );
        assert_eq!(piece("xl/a.xml"), None);
    }
}
