//! Reading text out of the package's XML: attributes by local name (a
//! producer may prefix elements), element text with entities resolved, and
//! the `_xHHHH_` escapes OOXML uses for characters XML cannot carry.

use std::borrow::Cow;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;

use crate::ingest::open::corrupt;

pub(super) type Xml<'a> = Reader<&'a [u8]>;

/// A reader over a whole part in memory (no copying into buffers).
pub(super) fn reader(xml: &[u8]) -> Xml<'_> {
    let mut r = Reader::from_reader(xml);
    r.config_mut().check_end_names = false;
    r
}

/// An attribute's value, by local name.
pub(super) fn attr<'a>(e: &'a BytesStart, local: &[u8]) -> Option<Cow<'a, str>> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.unescape_value().ok())
}

/// The text inside the element just opened, up to its end (the element,
/// by local name, does not nest: `t`), appended to `out`.
pub(super) fn append_text(xml: &mut Xml, end: &[u8], out: &mut String) -> Result<(), String> {
    loop {
        match xml.read_event().map_err(|e| corrupt(&e))? {
            Event::Text(t) => out.push_str(&t.xml10_content().map_err(|e| corrupt(&e))?),
            Event::CData(t) => out.push_str(&String::from_utf8_lossy(&t)),
            Event::GeneralRef(r) => push_entity(&r, out)?,
            Event::End(e) if e.local_name().as_ref() == end => return Ok(()),
            Event::Eof => return Err(corrupt(&"XML 不完整")),
            _ => {}
        }
    }
}

fn push_entity(r: &BytesRef, out: &mut String) -> Result<(), String> {
    let named = match &r[..] {
        b"amp" => Some('&'),
        b"lt" => Some('<'),
        b"gt" => Some('>'),
        b"quot" => Some('"'),
        b"apos" => Some('\''),
        _ => None,
    };
    match named.map_or_else(|| r.resolve_char_ref().ok().flatten(), Some) {
        Some(c) => {
            out.push(c);
            Ok(())
        }
        None => Err(corrupt(&format!(
            "无法识别的字符引用 &{};",
            String::from_utf8_lossy(r)
        ))),
    }
}

/// A string cell's text as Excel means it: ASCII white space trimmed unless
/// the element asks to keep it, then `_xHHHH_` escapes decoded.
pub(super) fn string_value(raw: &str, preserve: bool) -> Cow<'_, str> {
    let kept = if preserve {
        raw
    } else {
        raw.trim_matches([' ', '\t', '\r', '\n'])
    };
    unescape_ooxml(kept)
}

/// Reads a `<t>` just opened and appends its value (see [`string_value`]).
pub(super) fn append_t(xml: &mut Xml, t: &BytesStart, out: &mut String) -> Result<(), String> {
    let preserve = attr(t, b"space").as_deref() == Some("preserve");
    let start = out.len();
    append_text(xml, b"t", out)?;
    let value = match string_value(&out[start..], preserve) {
        Cow::Borrowed(kept) if kept.len() == out.len() - start => return Ok(()),
        value => value.into_owned(),
    };
    out.truncate(start);
    out.push_str(&value);
    Ok(())
}

/// Decodes `_xHHHH_` escapes (a UTF-16 code unit each; surrogate pairs as
/// two escapes in a row).
pub(super) fn unescape_ooxml(text: &str) -> Cow<'_, str> {
    let Some(first) = find_escape(text, 0) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut next = Some(first);
    while let Some((at, unit)) = next {
        out.push_str(&text[copied..at]);
        let mut after = at + 7;
        let c = match unit {
            0xD800..=0xDBFF => match escape_at(text, after) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    after += 7;
                    let code =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    char::from_u32(code)
                }
                _ => None,
            },
            0xDC00..=0xDFFF => None,
            u => char::from_u32(u32::from(u)),
        };
        out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
        copied = after;
        next = find_escape(text, after);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

fn find_escape(text: &str, mut from: usize) -> Option<(usize, u16)> {
    while let Some(offset) = text.get(from..)?.find('_') {
        let at = from + offset;
        if let Some(unit) = escape_at(text, at) {
            return Some((at, unit));
        }
        from = at + 1;
    }
    None
}

fn escape_at(text: &str, at: usize) -> Option<u16> {
    let b = text.as_bytes().get(at..at + 7)?;
    if b[0] != b'_' || b[1] != b'x' || b[6] != b'_' || !b[2..6].iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u16::from_str_radix(std::str::from_utf8(&b[2..6]).ok()?, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ooxml_escapes() {
        assert_eq!(unescape_ooxml("a_x000D_b"), "a\rb");
        assert_eq!(unescape_ooxml("_x005F_x000D_"), "_x000D_");
        assert_eq!(unescape_ooxml("_xD83D__xDCF7_"), "📷");
        assert_eq!(unescape_ooxml("_xDCF7_"), "\u{FFFD}");
        assert_eq!(unescape_ooxml("no_escape_x12_"), "no_escape_x12_");
        assert_eq!(string_value("  南京 ", false), "南京");
        assert_eq!(string_value("  南京 ", true), "  南京 ");
    }
}
