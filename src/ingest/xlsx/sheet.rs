//! One worksheet part: its cells (`<c>` in `<sheetData>`) and its merged
//! regions (`<mergeCell>`), in one pass over the inflated XML.

use std::borrow::Cow;

use super::scan::{attributes, decode_text, Scanner, Tag};
use super::strings::SharedStrings;
use super::styles::{Kind, Styles};
use super::text::string_value;
use crate::config::Limits;
use crate::ingest::budget::CellBudget;
use crate::ingest::open::corrupt;
use crate::ingest::xml::{self, attribute_value};
use crate::model::CellPos;
use crate::model::{CellValue, Grid, Merge};
use chrono::{NaiveDate, NaiveDateTime};

/// What reading a sheet's values needs from the rest of the package.
pub(super) struct Context<'a> {
    pub strings: &'a mut SharedStrings,
    pub styles: &'a Styles,
    pub date1904: bool,
    pub limits: &'a Limits,
}

pub(super) fn read(xml: &[u8], context: &mut Context) -> Result<Grid, String> {
    let mut grid = Grid::default();
    let mut budget = CellBudget::new(context.limits);
    let mut xml = Scanner::new(xml);
    // Where the next cell goes when it does not say (`r` is optional).
    let mut row: u64 = 0;
    let mut next_col: u64 = 0;
    let mut rows_seen = false;
    loop {
        match xml.next_tag().map_err(|e| corrupt(&e))? {
            None => return Ok(grid),
            Some(Tag::Open {
                local: b"row",
                attrs,
                ..
            }) => {
                let r = attributes(attrs)
                    .find(|(k, _)| *k == b"r")
                    .and_then(|(_, v)| std::str::from_utf8(v).ok()?.trim().parse::<u64>().ok());
                row = match r {
                    Some(r) if r >= 1 => r - 1,
                    _ if rows_seen => row + 1,
                    _ => 0,
                };
                rows_seen = true;
                next_col = 0;
            }
            Some(Tag::Open {
                local: b"c",
                attrs,
                empty,
            }) => {
                let attrs = cell_attrs(attrs);
                let (r, c) = position(&attrs, row, next_col);
                next_col = c + 1;
                if empty {
                    continue;
                }
                let value = cell(&mut xml, &attrs, context)?;
                if !value.is_empty() {
                    let pos = budget.admit(r, c)?;
                    grid.insert(pos, value);
                }
            }
            Some(Tag::Open {
                local: b"mergeCell",
                attrs,
                ..
            }) => {
                if let Some(merge) = merge(attrs, &budget) {
                    grid.add_merge(merge);
                }
            }
            // Markup Compatibility: the Fallback is read, not the Choice.
            Some(Tag::Open {
                local: b"Choice",
                empty: false,
                ..
            }) => xml.skip_element(b"Choice").map_err(|e| corrupt(&e))?,
            Some(_) => {}
        }
    }
}

/// What a `<c>` says of itself.
struct CellAttrs {
    pos: Option<CellPos>,
    kind: CellType,
    style: usize,
}

/// The cell types of `t` ([ECMA-376] 18.18.11).
#[derive(Clone, Copy, PartialEq)]
enum CellType {
    Number,
    Shared,
    Str,
    Inline,
    Bool,
    Error,
    IsoDate,
}

/// One pass over a cell's attributes. Writers never put a reference in
/// `r`, `t` or `s`, so the raw bytes are read, unless one does.
fn cell_attrs(attrs: &[u8]) -> CellAttrs {
    let mut out = CellAttrs {
        pos: None,
        kind: CellType::Number,
        style: 0,
    };
    for (key, raw) in attributes(attrs) {
        let decoded;
        let value = if raw.contains(&b'&') {
            decoded = attribute_value(raw).unwrap_or_default();
            decoded.trim().as_bytes()
        } else {
            raw.trim_ascii()
        };
        match key {
            b"r" => out.pos = std::str::from_utf8(value).ok().and_then(CellPos::parse_a1),
            b"t" => {
                out.kind = match value {
                    b"s" => CellType::Shared,
                    b"str" => CellType::Str,
                    b"inlineStr" => CellType::Inline,
                    b"b" => CellType::Bool,
                    b"e" => CellType::Error,
                    b"d" => CellType::IsoDate,
                    _ => CellType::Number,
                }
            }
            b"s" => {
                out.style = std::str::from_utf8(value)
                    .ok()
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0)
            }
            _ => {}
        }
    }
    out
}

/// A cell's (row, column): from its `r`, else after the previous cell.
fn position(attrs: &CellAttrs, row: u64, next_col: u64) -> (u64, u64) {
    match attrs.pos {
        Some(p) => (u64::from(p.row), u64::from(p.col)),
        None => (row, next_col),
    }
}

fn merge(attrs: &[u8], budget: &CellBudget) -> Option<Merge> {
    let (_, range) = attributes(attrs).find(|(k, _)| *k == b"ref")?;
    let (a, b) = std::str::from_utf8(range).ok()?.split_once(':')?;
    let (a, b) = (CellPos::parse_a1(a)?, CellPos::parse_a1(b)?);
    let (start, end) = budget.clamp_span(
        (u64::from(a.row), u64::from(a.col)),
        (u64::from(b.row), u64::from(b.col)),
    )?;
    Some(Merge { start, end })
}

/// The text of an element just opened (empty when it closed itself).
fn text_of<'a>(xml: &mut Scanner<'a>, local: &[u8], empty: bool) -> Result<Cow<'a, str>, String> {
    if empty {
        return Ok(Cow::Borrowed(""));
    }
    let raw = xml.text_until(local).map_err(|e| corrupt(&e))?;
    decode_text(raw).map_err(|e| corrupt(&e))
}

/// The value of the `<c>` element just opened, read to its end.
fn cell(xml: &mut Scanner, attrs: &CellAttrs, context: &mut Context) -> Result<CellValue, String> {
    let mut value = None;
    let mut formula = None;
    let mut inline = None;
    loop {
        match xml.next_tag().map_err(|e| corrupt(&e))? {
            Some(Tag::Open {
                local: b"v", empty, ..
            }) => value = Some(text_of(xml, b"v", empty)?),
            Some(Tag::Open {
                local: b"f", empty, ..
            }) => formula = Some(text_of(xml, b"f", empty)?),
            Some(Tag::Open {
                local: b"is",
                empty: false,
                ..
            }) => inline = Some(inline_string(xml)?),
            Some(Tag::Close { local: b"c" }) => break,
            None => return Err(corrupt(&"XML 不完整")),
            Some(_) => {}
        }
    }
    // A string written inline (`<is>`) is read whatever the type says.
    let shown = match (attrs.kind, value) {
        (_, None) | (CellType::Inline, _) if inline.is_some() => {
            CellValue::Text(inline.unwrap_or_default().into())
        }
        (_, None) => CellValue::Empty,
        (CellType::Inline | CellType::Str, Some(v)) => CellValue::Text(v.into()),
        // An empty `<v/>` holds no value (a number cell cannot be blank).
        (_, Some(v)) if v.trim().is_empty() => CellValue::Empty,
        (CellType::Shared, Some(v)) => {
            let index: usize = v
                .trim()
                .parse()
                .map_err(|_| corrupt(&format!("共享字符串序号“{v}”无效")))?;
            let text = context
                .strings
                .shared(index)
                .ok_or_else(|| corrupt(&format!("共享字符串序号 {index} 超出范围")))?;
            CellValue::Text(text)
        }
        (CellType::IsoDate, Some(v)) => {
            // Not a date after all: the text, for V05 to show.
            xml::date_time(&v).map_or_else(|| CellValue::Text(v.into()), CellValue::DateTime)
        }
        (CellType::Bool, Some(v)) => {
            CellValue::Bool(xml::boolean(&v).ok_or_else(|| corrupt(&format!("逻辑值“{v}”无效")))?)
        }
        (CellType::Error, Some(v)) => CellValue::Error(v.into_owned()),
        (CellType::Number, Some(v)) => {
            number(&v, context.styles.kind(attrs.style), context.date1904)?
        }
    };
    // A formula never calculated has no value to read (a shared formula's
    // later cells carry no text of their own).
    Ok(match (shown, formula) {
        (CellValue::Empty, Some(f)) if f.is_empty() => {
            CellValue::Uncalculated("（共享公式）".into())
        }
        (CellValue::Empty, Some(f)) => CellValue::Uncalculated(f.into_owned()),
        (shown, _) => shown,
    })
}

/// The text of an `<is>` (inline string): its `<t>`s, phonetic guides left out.
fn inline_string(xml: &mut Scanner) -> Result<String, String> {
    let mut out = String::new();
    let mut phonetic = false;
    loop {
        match xml.next_tag().map_err(|e| corrupt(&e))? {
            Some(Tag::Open {
                local: b"rPh",
                empty: false,
                ..
            }) => phonetic = true,
            Some(Tag::Close { local: b"rPh" }) => phonetic = false,
            Some(Tag::Open {
                local: b"t",
                attrs,
                empty,
            }) if !phonetic => {
                let preserve = attributes(attrs).any(|(k, v)| k == b"space" && v == b"preserve");
                out.push_str(&string_value(&text_of(xml, b"t", empty)?, preserve));
            }
            Some(Tag::Close { local: b"is" }) => return Ok(out),
            None => return Err(corrupt(&"XML 不完整")),
            Some(_) => {}
        }
    }
}

/// A number, or the date it stands for when the cell's style shows a date.
fn number(text: &str, kind: Kind, date1904: bool) -> Result<CellValue, String> {
    let v: f64 = text
        .trim()
        .parse()
        .map_err(|_| corrupt(&format!("数值“{text}”无效")))?;
    Ok(match kind {
        Kind::Date => {
            excel_date_time(v, date1904).map_or(CellValue::Number(v), CellValue::DateTime)
        }
        Kind::Number | Kind::Duration => CellValue::Number(v),
    })
}

/// An Excel serial date (1900 system, with its 29 February 1900, or the
/// 1904 system) as a date and time, to the millisecond.
pub(super) fn excel_date_time(serial: f64, date1904: bool) -> Option<NaiveDateTime> {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    let days = if date1904 { serial + 1462.0 } else { serial };
    let days = if days >= 60.0 { days } else { days + 1.0 };
    let ms = (days * 86_400_000.0).round();
    if !ms.is_finite() || ms.abs() > 1e17 {
        return None;
    }
    epoch.checked_add_signed(chrono::Duration::try_milliseconds(ms as i64)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cells of a sheet's XML, as `A1 value` lines.
    fn cells(sheet: &str) -> Result<Vec<String>, String> {
        let mut strings = SharedStrings::parse(b"<sst><si><t>s0</t></si></sst>")?;
        let styles = Styles::parse(b"")?;
        let limits = Limits {
            max_file_bytes: 1 << 20,
            max_uncompressed_bytes: 1 << 20,
            max_cells_per_sheet: 100,
            max_row: 100,
            max_column: 100,
        };
        let mut context = Context {
            strings: &mut strings,
            styles: &styles,
            date1904: false,
            limits: &limits,
        };
        let xml = format!("<worksheet><sheetData><row>{sheet}</row></sheetData></worksheet>");
        let grid = read(xml.as_bytes(), &mut context)?;
        Ok(grid
            .cells()
            .map(|(p, v)| format!("{} {v:?}", p.a1()))
            .collect())
    }

    #[test]
    fn cells_are_typed_as_ecma_376_says() {
        let read = cells(concat!(
            r#"<c t="d"><v>2025-10-08</v></c>"#,
            r#"<c t="d"><v>2025-10-08T13:45:00Z</v></c>"#,
            r#"<c t="d"><v>下周一</v></c>"#,
            r#"<c t="b"><v>true</v></c>"#,
            r#"<c t="b"><v>0</v></c>"#,
            r#"<c><v/></c>"#,
            r#"<c t="inlineStr"><v>inline as v</v></c>"#,
            r#"<c t="str"><is><t>str as is</t></is></c>"#,
            r#"<c t="&#115;"><v>0</v></c>"#,
            r#"<c><v> +7.6E2 </v></c>"#,
        ))
        .unwrap();
        assert_eq!(
            read,
            [
                "A1 DateTime(2025-10-08T00:00:00)",
                "B1 DateTime(2025-10-08T13:45:00)",
                "C1 Text(\"下周一\")",
                "D1 Bool(true)",
                "E1 Bool(false)",
                "G1 Text(\"inline as v\")",
                "H1 Text(\"str as is\")",
                "I1 Text(\"s0\")",
                "J1 Number(760.0)",
            ]
        );
        let bad = cells(r#"<c t="b"><v>yes</v></c>"#).unwrap_err();
        assert!(bad.contains("逻辑值“yes”无效"), "{bad}");
    }

    #[test]
    fn markup_compatibility_choices_are_skipped() {
        let read = cells(concat!(
            r#"<c r="A1"><v>1</v></c>"#,
            r#"<mc:AlternateContent><mc:Choice Requires="x14"><c r="B1"><v>2</v></c></mc:Choice>"#,
            r#"<mc:Fallback><c r="C1"><v>3</v></c></mc:Fallback></mc:AlternateContent>"#,
        ))
        .unwrap();
        assert_eq!(read, ["A1 Number(1.0)", "C1 Number(3.0)"]);
    }

    #[test]
    fn serial_dates() {
        let d = |s: f64| excel_date_time(s, false).map(|d| d.to_string());
        assert_eq!(d(45938.0).as_deref(), Some("2025-10-08 00:00:00"));
        assert_eq!(d(1.0).as_deref(), Some("1900-01-01 00:00:00"));
        assert_eq!(d(61.0).as_deref(), Some("1900-03-01 00:00:00"));
        assert_eq!(d(45938.5).as_deref(), Some("2025-10-08 12:00:00"));
        assert_eq!(
            excel_date_time(0.0, true).map(|d| d.to_string()).as_deref(),
            Some("1904-01-01 00:00:00")
        );
        assert_eq!(excel_date_time(f64::MAX, false), None);
    }
}
