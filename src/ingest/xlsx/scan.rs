//! A minimal XML tag scanner for worksheet parts, which are large and flat:
//! tags, their attributes and the text between them, read straight from the
//! inflated bytes (already UTF-8, see [`crate::ingest::xml`]) without
//! copying. Anything it does not need to understand (comments, processing
//! instructions, CDATA between elements) is stepped over; a DOCTYPE is an
//! error (Open XML forbids it); text with references, CDATA or line ends to
//! normalise is decoded by [`decode_text`], attribute values by
//! [`attribute`].
//!
//! A worksheet is most of a return's bytes, and a general XML reader spent
//! most of its time on what this reader leaves out.

use std::borrow::Cow;

use crate::ingest::xml::{attribute_value, reference};

/// A tag as found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Tag<'a> {
    /// `<name attrs>` or `<name attrs/>` (`empty`).
    Open {
        local: &'a [u8],
        attrs: &'a [u8],
        empty: bool,
    },
    /// `</name>`.
    Close { local: &'a [u8] },
}

pub(super) struct Scanner<'a> {
    xml: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    pub fn new(xml: &'a [u8]) -> Scanner<'a> {
        Scanner { xml, pos: 0 }
    }

    /// The next tag, skipping text and markup that is not a tag; `None` at
    /// the end; an error for a tag cut off by the end of the part.
    pub fn next_tag(&mut self) -> Result<Option<Tag<'a>>, &'static str> {
        loop {
            let Some(open) = memchr::memchr(b'<', &self.xml[self.pos..]) else {
                self.pos = self.xml.len();
                return Ok(None);
            };
            let start = self.pos + open;
            let rest = &self.xml[start..];
            if !matches!(rest.get(1), Some(b'!' | b'?')) {
                return self.tag(start).map(Some);
            }
            if rest.starts_with(b"<!--") {
                self.pos = start + find(rest, b"-->").ok_or("注释不完整")? + 3;
            } else if rest.starts_with(b"<![CDATA[") {
                self.pos = start + find(rest, b"]]>").ok_or("CDATA 不完整")? + 3;
            } else if rest.starts_with(b"<?") {
                self.pos = start + find(rest, b"?>").ok_or("处理指令不完整")? + 2;
            } else if rest.starts_with(b"<!DOCTYPE") {
                return Err(DOCTYPE);
            } else if rest.starts_with(b"<!") {
                self.pos = start + memchr::memchr(b'>', rest).ok_or("标记不完整")? + 1;
            } else {
                return self.tag(start).map(Some);
            }
        }
    }

    /// The tag starting at `start` (a `<` that opens an element).
    fn tag(&mut self, start: usize) -> Result<Tag<'a>, &'static str> {
        let end = tag_end(&self.xml[start..]).ok_or("标签不完整")? + start;
        self.pos = end + 1;
        let inner = &self.xml[start + 1..end];
        if let Some(name) = inner.strip_prefix(b"/") {
            return Ok(Tag::Close {
                local: local(name.trim_ascii()),
            });
        }
        let (inner, empty) = match inner.strip_suffix(b"/") {
            Some(i) => (i, true),
            None => (inner, false),
        };
        let name_end = inner
            .iter()
            .position(|b| b.is_ascii_whitespace())
            .unwrap_or(inner.len());
        Ok(Tag::Open {
            local: local(&inner[..name_end]),
            attrs: &inner[name_end..],
            empty,
        })
    }

    /// The raw text from here to the end tag of `local` (which must not
    /// nest), and moves past that end tag. Text holding markup (a comment,
    /// CDATA) comes back whole, for [`decode_text`] to read.
    pub fn text_until(&mut self, local_name: &[u8]) -> Result<&'a [u8], &'static str> {
        let from = self.pos;
        // Usually the text runs straight to its own end tag.
        if let Some(lt) = self.xml[from..].iter().position(|&b| b == b'<') {
            let at = from + lt;
            let rest = &self.xml[at..];
            if let Some(end) = rest.strip_prefix(b"</") {
                let close = end.iter().position(|&b| b == b'>').ok_or("标签不完整")?;
                if local(end[..close].trim_ascii()) == local_name {
                    self.pos = at + 2 + close + 1;
                    return Ok(&self.xml[from..at]);
                }
            }
        }
        loop {
            match self.next_tag()? {
                Some(Tag::Close { local: l }) if l == local_name => {
                    let end = self.pos - 1 - tag_start_back(&self.xml[..self.pos]);
                    return Ok(&self.xml[from..end]);
                }
                Some(_) => {}
                None => return Err("元素不完整"),
            }
        }
    }

    /// Steps over the rest of an element just opened (not empty), nested
    /// elements of the same name included.
    pub fn skip_element(&mut self, local_name: &[u8]) -> Result<(), &'static str> {
        let mut depth = 1usize;
        loop {
            match self.next_tag()? {
                Some(Tag::Open {
                    local,
                    empty: false,
                    ..
                }) if local == local_name => depth += 1,
                Some(Tag::Close { local }) if local == local_name => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                Some(_) => {}
                None => return Err("元素不完整"),
            }
        }
    }
}

/// The error for a DOCTYPE met inside a part.
pub(super) const DOCTYPE: &str = "含有文档类型定义（DOCTYPE）";

/// Where the tag starting a slice ends (its `>`), quotes respected. Tags
/// are short: a plain loop beats a vectorised search here.
fn tag_end(tag: &[u8]) -> Option<usize> {
    let mut quote = 0u8;
    for (i, &b) in tag.iter().enumerate().skip(1) {
        if quote != 0 {
            if b == quote {
                quote = 0;
            }
        } else if b == b'>' {
            return Some(i);
        } else if b == b'"' || b == b'\'' {
            quote = b;
        }
    }
    None
}

/// How far back from the end of `upto` (just past a `>`) its tag's `<` is.
fn tag_start_back(upto: &[u8]) -> usize {
    upto.iter().rev().position(|&b| b == b'<').unwrap_or(0)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// A name without its namespace prefix.
fn local(name: &[u8]) -> &[u8] {
    match name.iter().rposition(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// The attributes of a tag: (local name, raw value).
pub(super) fn attributes(attrs: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut rest = attrs;
    std::iter::from_fn(move || {
        let eq = rest.iter().position(|&b| b == b'=')?;
        let key = local(rest[..eq].trim_ascii());
        let after = rest[eq + 1..].trim_ascii_start();
        let quote = *after.first()?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let close = after[1..].iter().position(|&b| b == quote)?;
        let value = &after[1..1 + close];
        rest = &after[close + 2..];
        Some((key, value))
    })
}

/// An attribute's value by local name, normalised as XML 1.0 says
/// (references resolved, literal white space as spaces); `Err` when its
/// text is not valid.
pub(super) fn attribute(attrs: &[u8], local_name: &[u8]) -> Result<Option<String>, String> {
    match attributes(attrs).find(|(k, _)| *k == local_name) {
        Some((_, v)) => attribute_value(v)
            .map(|t| Some(t.into_owned()))
            .map_err(|e| crate::ingest::open::corrupt(&e)),
        None => Ok(None),
    }
}

/// Raw element text as a string: entities resolved, line ends normalised
/// (XML 1.0), comments and CDATA markers taken out.
pub(super) fn decode_text(raw: &[u8]) -> Result<Cow<'_, str>, &'static str> {
    let plain = !raw.iter().any(|b| matches!(b, b'&' | b'\r' | b'<'));
    if plain {
        return std::str::from_utf8(raw)
            .map(Cow::Borrowed)
            .map_err(|_| "文本不是有效的 UTF-8");
    }
    let text = std::str::from_utf8(raw).map_err(|_| "文本不是有效的 UTF-8")?;
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['&', '\r', '<']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(after) = rest.strip_prefix("\r\n") {
            out.push('\n');
            rest = after;
        } else if let Some(after) = rest.strip_prefix('\r') {
            out.push('\n');
            rest = after;
        } else if let Some(after) = rest.strip_prefix("<![CDATA[") {
            // Line ends are normalised in CDATA too: the whole entity is.
            let end = after.find("]]>").ok_or("CDATA 不完整")?;
            out.push_str(&after[..end].replace("\r\n", "\n").replace('\r', "\n"));
            rest = &after[end + 3..];
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = &after[after.find("-->").ok_or("注释不完整")? + 3..];
        } else if rest.starts_with('<') {
            // A tag inside text (rich text): its text is kept, the tag dropped.
            rest = &rest[rest.find('>').ok_or("标签不完整")? + 1..];
        } else {
            let (c, after) = reference(rest)?;
            out.push(c);
            rest = after;
        }
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_attributes_and_text() {
        let xml = br#"<?xml version="1.0"?><!-- note --><x:row r="2" spans='1:3'><c r="A2" t="s"><v>12</v></c><c r="B2" s="1"/></x:row>"#;
        let mut s = Scanner::new(xml);
        let Some(Tag::Open {
            local,
            attrs,
            empty,
        }) = s.next_tag().unwrap()
        else {
            panic!()
        };
        assert_eq!((local, empty), (&b"row"[..], false));
        let a: Vec<_> = attributes(attrs).collect();
        assert_eq!(a, [(&b"r"[..], &b"2"[..]), (&b"spans"[..], &b"1:3"[..])]);
        assert!(matches!(
            s.next_tag().unwrap(),
            Some(Tag::Open { local: b"c", .. })
        ));
        assert!(matches!(
            s.next_tag().unwrap(),
            Some(Tag::Open { local: b"v", .. })
        ));
        assert_eq!(s.text_until(b"v").unwrap(), b"12");
        assert!(matches!(
            s.next_tag().unwrap(),
            Some(Tag::Close { local: b"c" })
        ));
        assert!(matches!(
            s.next_tag().unwrap(),
            Some(Tag::Open {
                local: b"c",
                empty: true,
                ..
            })
        ));
        assert!(matches!(
            s.next_tag().unwrap(),
            Some(Tag::Close { local: b"row" })
        ));
        assert_eq!(s.next_tag().unwrap(), None);
    }

    #[test]
    fn a_quoted_greater_than_does_not_end_a_tag() {
        let mut s = Scanner::new(br#"<f a="x>y">1</f>"#);
        let Some(Tag::Open { attrs, .. }) = s.next_tag().unwrap() else {
            panic!()
        };
        assert_eq!(attributes(attrs).next(), Some((&b"a"[..], &b"x>y"[..])));
        assert_eq!(s.text_until(b"f").unwrap(), b"1");
    }

    #[test]
    fn text_is_decoded() {
        assert_eq!(
            decode_text(b"A&amp;B &#x4E2D;&#25991;").unwrap(),
            "A&B 中文"
        );
        assert_eq!(decode_text(b"a\r\nb\rc").unwrap(), "a\nb\nc");
        assert_eq!(decode_text(b"<![CDATA[<x>]]>y<!-- z -->").unwrap(), "<x>y");
        assert_eq!(decode_text(b"<![CDATA[a\r\nb\rc]]>").unwrap(), "a\nb\nc");
        assert!(matches!(
            decode_text(b"plain").unwrap(),
            Cow::Borrowed("plain")
        ));
        assert!(decode_text(b"&bogus;").is_err());
        assert!(Scanner::new(b"<v>1").text_until(b"v").is_err());
    }

    #[test]
    fn a_doctype_is_an_error_and_elements_can_be_skipped() {
        let mut s = Scanner::new(b"<!DOCTYPE x><x/>");
        assert_eq!(s.next_tag(), Err(DOCTYPE));
        let mut s = Scanner::new(b"<a><b><a></a><c/></b></a><d/>");
        s.next_tag().unwrap();
        s.skip_element(b"a").unwrap();
        assert!(matches!(
            s.next_tag().unwrap(),
            Some(Tag::Open { local: b"d", .. })
        ));
    }
}
