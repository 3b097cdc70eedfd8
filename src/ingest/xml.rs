//! What the xlsx and ods readers share about XML itself (XML 1.0, fifth
//! edition): the encoding of a part, found from its byte order mark or
//! declaration (appendix F) and turned into UTF-8; the prolog checked (XML
//! 1.0 only, no document type definition); attribute values normalised
//! (§3.3.3) and character and entity references resolved (§4.1, §4.6).
//!
//! Open XML allows only UTF-8 and UTF-16 and no DTD (ECMA-376 Part 2,
//! §8.1.4, M1.17 and M1.18); OpenDocument packages hold XML 1.0 in the same
//! encodings. Anything else is refused with a plain reason, never guessed.

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

/// The encoding of an XML entity, as far as the readers care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Encoding {
    /// UTF-8 (or ASCII), with or without a byte order mark.
    Utf8,
    Utf16Le,
    Utf16Be,
}

/// The encoding of a part from its first bytes: a byte order mark, else the
/// way `<?xml` is spelled (XML 1.0 appendix F). The error names what was
/// found, for F01.
pub(super) fn sniff_encoding(head: &[u8]) -> Result<Encoding, String> {
    match head {
        [0x00, 0x00, 0xFE, 0xFF, ..] | [0xFF, 0xFE, 0x00, 0x00, ..] => Err("UTF-32".into()),
        [0x3C, 0x00, 0x00, 0x00, ..] | [0x00, 0x00, 0x00, 0x3C, ..] => Err("UTF-32".into()),
        [0xEF, 0xBB, 0xBF, ..] => Ok(Encoding::Utf8),
        [0xFF, 0xFE, ..] | [0x3C, 0x00, 0x3F, 0x00, ..] => Ok(Encoding::Utf16Le),
        [0xFE, 0xFF, ..] | [0x00, 0x3C, 0x00, 0x3F, ..] => Ok(Encoding::Utf16Be),
        [0x4C, 0x6F, 0xA7, 0x94, ..] => Err("EBCDIC".into()),
        _ => Ok(Encoding::Utf8),
    }
}

/// A whole part as UTF-8 without a byte order mark: UTF-16 is transcoded,
/// and the declaration must name an encoding the bytes are in. `part` names
/// the part in the reason for F01.
pub(super) fn utf8(bytes: Vec<u8>, part: &str) -> Result<Vec<u8>, String> {
    let encoding = sniff_encoding(&bytes).map_err(|name| refused_encoding(part, &name))?;
    let text = match encoding {
        Encoding::Utf8 => match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => rest.to_vec(),
            None => bytes,
        },
        wide => from_utf16(&bytes, wide)
            .ok_or_else(|| format!("{part} 声明为 UTF-16 编码，但内容不是有效的 UTF-16 文本"))?,
    };
    check_prolog(&text, encoding, part)?;
    Ok(text)
}

/// UTF-16 (after any byte order mark) as UTF-8; `None` when malformed.
pub(super) fn from_utf16(bytes: &[u8], encoding: Encoding) -> Option<Vec<u8>> {
    let (codec, bom): (&'static encoding_rs::Encoding, &[u8]) = match encoding {
        Encoding::Utf16Le => (encoding_rs::UTF_16LE, b"\xFF\xFE"),
        Encoding::Utf16Be => (encoding_rs::UTF_16BE, b"\xFE\xFF"),
        Encoding::Utf8 => return Some(bytes.to_vec()),
    };
    let body = bytes.strip_prefix(bom).unwrap_or(bytes);
    if body.len() % 2 != 0 {
        return None;
    }
    codec
        .decode_without_bom_handling_and_without_replacement(body)
        .map(|s| s.into_owned().into_bytes())
}

/// The F01 reason for an encoding the readers do not read.
pub(super) fn refused_encoding(part: &str, name: &str) -> String {
    format!(
        "{part} 使用 {name} 编码，表格文件只能使用 UTF-8 或 UTF-16 编码，无法读取（请用 Excel、WPS 或 LibreOffice 重新保存）"
    )
}

/// The F01 reason for a document type definition.
pub(super) fn refused_dtd(part: &str) -> String {
    format!("{part} 含有文档类型定义（DOCTYPE），表格文件不允许使用，为免读错数值不予读取")
}

/// The declaration (`<?xml version="1.0" encoding="…"?>`) of text already in
/// UTF-8, checked against the encoding the bytes were found in, and no DTD
/// before the first element.
pub(super) fn check_prolog(text: &[u8], found: Encoding, part: &str) -> Result<(), String> {
    let mut rest = text;
    if let Some(decl) = declaration(text) {
        if let Some(version) = pseudo_attribute(decl, b"version") {
            if version != b"1.0" {
                return Err(format!(
                    "{part} 使用 XML {} 版本，表格文件只能使用 XML 1.0，无法读取",
                    String::from_utf8_lossy(version)
                ));
            }
        }
        if let Some(name) = pseudo_attribute(decl, b"encoding") {
            check_declared(name, found, text, part)?;
        }
        rest = &text[decl.len()..];
    }
    // Misc before the root: white space, comments, processing instructions.
    loop {
        rest = rest.trim_ascii_start();
        if rest.starts_with(b"<!--") {
            match memchr::memmem::find(rest, b"-->") {
                Some(end) => rest = &rest[end + 3..],
                None => return Ok(()),
            }
        } else if rest.starts_with(b"<?") {
            match memchr::memmem::find(rest, b"?>") {
                Some(end) => rest = &rest[end + 2..],
                None => return Ok(()),
            }
        } else if rest.starts_with(b"<!DOCTYPE") {
            return Err(refused_dtd(part));
        } else {
            return Ok(());
        }
    }
}

/// A declared encoding must be one the bytes can be in: UTF-8 (ASCII is a
/// subset) for 8-bit text, UTF-16 for 16-bit text. A declaration of UTF-16
/// in 8-bit text (as .NET writers do when they serialise through a string)
/// is read as UTF-8: 8-bit text that reached the declaration cannot be
/// UTF-16, and it must still be valid UTF-8 to be read at all.
fn check_declared(name: &[u8], found: Encoding, text: &[u8], part: &str) -> Result<(), String> {
    let name = String::from_utf8_lossy(name).to_ascii_lowercase();
    let utf8 = matches!(name.as_str(), "utf-8" | "utf8");
    let ascii = matches!(name.as_str(), "us-ascii" | "ascii");
    let utf16 = matches!(name.as_str(), "utf-16" | "utf-16le" | "utf-16be" | "utf16");
    let fits = match found {
        Encoding::Utf8 => utf8 || utf16 || (ascii && text.is_ascii()),
        Encoding::Utf16Le | Encoding::Utf16Be => utf16 || utf8,
    };
    if fits {
        Ok(())
    } else {
        Err(refused_encoding(part, &name.to_uppercase()))
    }
}

/// The XML declaration at the very start, `<?xml` to `?>`.
fn declaration(text: &[u8]) -> Option<&[u8]> {
    let rest = text.strip_prefix(b"<?xml")?;
    if !rest.first().is_some_and(u8::is_ascii_whitespace) {
        return None;
    }
    let end = memchr::memmem::find(text, b"?>")?;
    Some(&text[..end + 2])
}

/// A pseudo-attribute of the declaration (`version`, `encoding`).
fn pseudo_attribute<'a>(decl: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let at = memchr::memmem::find(decl, name)?;
    let rest = decl[at + name.len()..].trim_ascii_start();
    let rest = rest.strip_prefix(b"=")?.trim_ascii_start();
    let quote = *rest.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let end = rest[1..].iter().position(|&b| b == quote)?;
    Some(&rest[1..1 + end])
}

/// An attribute's value as XML 1.0 §3.3.3 defines it (no DTD, so every
/// attribute is CDATA): each literal white-space character (a CR LF pair
/// counting as one) becomes a space; character and entity references are
/// resolved after that, so `&#10;` stays a line break.
pub(super) fn attribute_value(raw: &[u8]) -> Result<Cow<'_, str>, &'static str> {
    let text = std::str::from_utf8(raw).map_err(|_| "属性值不是有效的 UTF-8")?;
    if !raw
        .iter()
        .any(|b| matches!(b, b'&' | b'\r' | b'\n' | b'\t'))
    {
        return Ok(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['&', '\r', '\n', '\t']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(after) = rest.strip_prefix("\r\n") {
            out.push(' ');
            rest = after;
        } else if rest.starts_with(['\r', '\n', '\t']) {
            out.push(' ');
            rest = &rest[1..];
        } else {
            let (c, after) = reference(rest)?;
            out.push(c);
            rest = after;
        }
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// The reference at the start of `text` (`&amp;…`): its character and the
/// text after it.
pub(super) fn reference(text: &str) -> Result<(char, &str), &'static str> {
    let end = text.find(';').ok_or("字符引用不完整")?;
    let c = entity(&text[1..end]).ok_or("无法识别的字符引用")?;
    Ok((c, &text[end + 1..]))
}

/// The character a reference names (`amp`, `#233`, `#xE9`): the five
/// predefined entities and character references; no others exist without a
/// DTD.
pub(super) fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let code = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => name.strip_prefix('#')?.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// An XML Schema `date` or `dateTime` (`2025-10-08`,
/// `2025-10-08T13:45:00.5`), as Open XML stores `t="d"` cells and
/// OpenDocument `office:date-value`; a time alone (`13:45:00`, `T13:45`)
/// is that time on day 0 of the 1900 system (1899-12-30), as a time cell
/// reads in Excel. A time-zone suffix (`Z`, `+08:00`) is dropped: a
/// spreadsheet's dates have no time zone, and the clock time written is
/// the one the clerk saw.
pub(super) fn date_time(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    let (date, time) = match t.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        // A time alone; a date's zone (`2025-10-08+08:00`) has a colon too.
        None if t.contains(':') && t.get(4..5) != Some("-") => ("", Some(t)),
        None => (t, None),
    };
    let date = match date {
        "" => NaiveDate::from_ymd_opt(1899, 12, 30)?,
        d => {
            let d = d.strip_suffix('Z').unwrap_or(d);
            // `2025-10-08+08:00`: the zone follows the ten characters.
            let d = match d.get(10..11) {
                Some("+" | "-") => &d[..10],
                _ => d,
            };
            NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?
        }
    };
    let time = match time {
        Some(t) => {
            let t = t.strip_suffix('Z').unwrap_or(t);
            let t = t.find(['+', '-']).map_or(t, |zone| &t[..zone]);
            NaiveTime::parse_from_str(t, "%H:%M:%S%.f")
                .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M"))
                .ok()?
        }
        None => NaiveTime::MIN,
    };
    Some(date.and_time(time))
}

/// An XML Schema `duration` of days, hours, minutes and seconds
/// (`PT13H45M00S`, `-P1DT2H`), as OpenDocument stores `office:time-value`;
/// years and months (whose length varies) are not durations a cell holds.
pub(super) fn duration(text: &str) -> Option<TimeDelta> {
    let t = text.trim();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let t = t.strip_prefix('P')?;
    let (days, time) = match t.split_once('T') {
        Some((d, time)) => (d, time),
        None => (t, ""),
    };
    let mut ms = 0f64;
    if !days.is_empty() {
        ms += days.strip_suffix('D')?.parse::<f64>().ok()? * 86_400_000.0;
    }
    let mut rest = time;
    for (unit, scale) in [('H', 3_600_000.0), ('M', 60_000.0), ('S', 1_000.0)] {
        if let Some((n, after)) = rest.split_once(unit) {
            ms += n.parse::<f64>().ok()? * scale;
            rest = after;
        }
    }
    if !rest.is_empty() || !ms.is_finite() || ms.abs() > 1e15 {
        return None;
    }
    let ms = TimeDelta::try_milliseconds(ms.round() as i64)?;
    Some(if negative { -ms } else { ms })
}

/// An XML Schema `boolean`: `true`, `false`, `1` or `0`.
pub(super) fn boolean(text: &str) -> Option<bool> {
    match text.trim() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
        units
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn utf16_parts_read_as_utf8() {
        let xml = r#"<?xml version="1.0" encoding="UTF-16"?><a b="高新区"/>"#;
        for (be, bom) in [(false, true), (true, true), (false, false), (true, false)] {
            let read = utf8(utf16(xml, be, bom), "p").unwrap();
            assert_eq!(read, xml.as_bytes(), "be {be} bom {bom}");
        }
        let bom8 = [b"\xEF\xBB\xBF".as_slice(), xml.as_bytes()].concat();
        // A UTF-16 declaration in 8-bit text is read as the UTF-8 it is.
        assert_eq!(utf8(bom8, "p").unwrap(), xml.as_bytes());
        let mut odd = utf16(xml, false, true);
        odd.push(0);
        assert!(utf8(odd, "p").unwrap_err().contains("UTF-16"));
    }

    #[test]
    fn other_encodings_dtds_and_xml_11_are_refused() {
        let gbk = br#"<?xml version="1.0" encoding="GBK"?><a/>"#.to_vec();
        assert!(utf8(gbk, "xl/workbook.xml").unwrap_err().contains("GBK"));
        let latin = br#"<?xml version='1.0' encoding='ISO-8859-1'?><a/>"#.to_vec();
        assert!(utf8(latin, "p").unwrap_err().contains("ISO-8859-1"));
        let utf32 = [0xFF, 0xFE, 0, 0, b'<', 0, 0, 0].to_vec();
        assert!(utf8(utf32, "p").unwrap_err().contains("UTF-32"));
        let dtd = b"<?xml version=\"1.0\"?>\n<!-- x --><!DOCTYPE a [<!ENTITY e \"1\">]><a>&e;</a>";
        assert!(utf8(dtd.to_vec(), "p").unwrap_err().contains("DOCTYPE"));
        let v11 = br#"<?xml version="1.1"?><a/>"#.to_vec();
        assert!(utf8(v11, "p").unwrap_err().contains("1.1"));
        let ascii = br#"<?xml version="1.0" encoding="us-ascii"?><a/>"#.to_vec();
        assert!(utf8(ascii, "p").is_ok());
        assert!(utf8(b"<a/>".to_vec(), "p").is_ok());
    }

    #[test]
    fn schema_dates_durations_and_booleans() {
        let d = |t: &str| date_time(t).map(|d| d.to_string());
        assert_eq!(d("2025-10-08").as_deref(), Some("2025-10-08 00:00:00"));
        assert_eq!(
            d(" 2025-10-08T13:45:00 ").as_deref(),
            Some("2025-10-08 13:45:00")
        );
        assert_eq!(
            d("2025-10-08T13:45:00.5").as_deref(),
            Some("2025-10-08 13:45:00.500")
        );
        assert_eq!(
            d("2025-10-08T13:45").as_deref(),
            Some("2025-10-08 13:45:00")
        );
        assert_eq!(
            d("2025-10-08T00:00:00Z").as_deref(),
            Some("2025-10-08 00:00:00")
        );
        assert_eq!(
            d("2025-10-08T08:00:00+08:00").as_deref(),
            Some("2025-10-08 08:00:00")
        );
        assert_eq!(
            d("2025-10-08-05:00").as_deref(),
            Some("2025-10-08 00:00:00")
        );
        assert_eq!(d("13:45:00").as_deref(), Some("1899-12-30 13:45:00"));
        assert_eq!(d("T06:00:00").as_deref(), Some("1899-12-30 06:00:00"));
        assert_eq!(d("2025-13-45"), None);
        assert_eq!(d("二〇二五年"), None);
        let ms = |t: &str| duration(t).map(|d| d.num_milliseconds());
        assert_eq!(ms("PT13H45M00S"), Some(49_500_000));
        assert_eq!(ms("PT36H"), Some(129_600_000));
        assert_eq!(ms("-P1DT0.5S"), Some(-86_400_500));
        assert_eq!(ms("P1Y"), None);
        assert_eq!(ms("13:45"), None);
        assert_eq!(boolean(" 1 "), Some(true));
        assert_eq!(boolean("false"), Some(false));
        assert_eq!(boolean("TRUE"), None);
    }

    #[test]
    fn attribute_values_are_normalised() {
        assert_eq!(attribute_value(b"a\r\nb\tc\nd").unwrap(), "a b c d");
        assert_eq!(attribute_value(b"a&#10;b&#x9;c&amp;").unwrap(), "a\nb\tc&");
        assert_eq!(attribute_value(b"&#x57FA;&#26412;").unwrap(), "基本");
        assert!(matches!(
            attribute_value(b"plain").unwrap(),
            Cow::Borrowed("plain")
        ));
        assert!(attribute_value(b"&bogus;").is_err());
        assert!(attribute_value(b"a&b").is_err());
    }
}
