//! String values as Excel means them: white space kept only when asked
//! for, and the `_xHHHH_` escapes OOXML uses for characters XML cannot carry.

use std::borrow::Cow;

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
