//! OpenDocument spreadsheets (`.ods`, LibreOffice's own format), read by
//! streaming `content.xml`: only the form's sheets are kept, repeated rows
//! and columns cost nothing until a value is stored, and every stored cell
//! is counted against the limits first. Real date cells come back as dates
//! (as for xlsx), formula errors as errors, merged regions as merges.
//!
//! calamine's own ods reader builds every sheet as a dense grid at open;
//! a 5 KB file whose repeated cells claim a far corner would cost gigabytes.

use std::io::{BufRead, BufReader, Read};

use chrono::{NaiveDate, NaiveDateTime};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::budget::CellBudget;
use super::open::{corrupt, encrypted, Zip};
use crate::config::Limits;
use crate::model::{BookSheet, CellValue, Grid, Merge};

/// A spaces run (`<text:s text:c="n"/>`) longer than this is clipped.
const MAX_SPACES: usize = 1_000;

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
    let content = zip
        .by_name("content.xml")
        .map_err(|e| corrupt(&format!("content.xml：{e}")))?;
    let mut xml = Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut sheets = Vec::new();
    loop {
        match xml.read_event_into(&mut buf).map_err(|e| corrupt(&e))? {
            Event::Start(e) if e.local_name().as_ref() == b"table" => {
                let name = attr(&e, b"name").unwrap_or_default();
                let grid = if wanted(&name) {
                    Some(read_table(&mut xml, limits)?)
                } else {
                    let end = e.name().as_ref().to_vec();
                    xml.read_to_end_into(quick_xml::name::QName(&end), &mut Vec::new())
                        .map_err(|e| corrupt(&e))?;
                    None
                };
                sheets.push(BookSheet::new(name, grid));
            }
            Event::Empty(e) if e.local_name().as_ref() == b"table" => {
                let name = attr(&e, b"name").unwrap_or_default();
                let grid = wanted(&name).then(Grid::default);
                sheets.push(BookSheet::new(name, grid));
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(sheets)
}

/// An OpenDocument text or presentation is not a spreadsheet.
fn check_mimetype(zip: &mut Zip<'_>) -> Result<(), String> {
    let Ok(entry) = zip.by_name("mimetype") else {
        return Ok(());
    };
    let mut mime = String::new();
    let _ = entry.take(200).read_to_string(&mut mime);
    let mime = mime.trim();
    if mime.is_empty() || mime.ends_with("opendocument.spreadsheet") {
        Ok(())
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

/// An attribute's unescaped value, by local name.
fn attr(e: &BytesStart, local: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// A count attribute (`number-rows-repeated` …), at least 1.
fn count(e: &BytesStart, local: &[u8]) -> u64 {
    attr(e, local)
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

fn read_table<R: BufRead>(xml: &mut Reader<R>, limits: &Limits) -> Result<Grid, String> {
    let mut grid = Grid::default();
    let mut budget = CellBudget::new(limits);
    let mut row: u64 = 0;
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf).map_err(|e| corrupt(&e))? {
            Event::Start(e) if e.local_name().as_ref() == b"table-row" => {
                let repeat = count(&e, b"number-rows-repeated");
                let cells = read_row(xml)?;
                place_row(&mut grid, &mut budget, row, repeat, cells)?;
                row = row.saturating_add(repeat);
            }
            Event::Empty(e) if e.local_name().as_ref() == b"table-row" => {
                row = row.saturating_add(count(&e, b"number-rows-repeated"));
            }
            // Column definitions, shapes, forms: nothing to read.
            Event::Start(e) if skipped(e.local_name().as_ref()) => {
                let end = e.name().as_ref().to_vec();
                xml.read_to_end_into(quick_xml::name::QName(&end), &mut Vec::new())
                    .map_err(|e| corrupt(&e))?;
            }
            Event::End(e) if e.local_name().as_ref() == b"table" => return Ok(grid),
            Event::Eof => return Err(corrupt(&"content.xml 不完整")),
            // Row groups and header rows just wrap rows.
            _ => {}
        }
        buf.clear();
    }
}

fn skipped(local: &[u8]) -> bool {
    matches!(
        local,
        b"table-columns" | b"table-column-group" | b"table-header-columns" | b"shapes" | b"forms"
    )
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

/// The cells of one row with their starting columns (empty ones included
/// only when they start a merged region).
fn read_row<R: BufRead>(xml: &mut Reader<R>) -> Result<Vec<(u64, OdsCell)>, String> {
    let mut out = Vec::new();
    let mut col: u64 = 0;
    let mut buf = Vec::new();
    loop {
        let event = xml.read_event_into(&mut buf).map_err(|e| corrupt(&e))?;
        let (start, is_empty) = match &event {
            Event::Start(e) => (e.clone().into_owned(), false),
            Event::Empty(e) => (e.clone().into_owned(), true),
            Event::End(e) if e.local_name().as_ref() == b"table-row" => return Ok(out),
            Event::Eof => return Err(corrupt(&"content.xml 不完整")),
            _ => {
                buf.clear();
                continue;
            }
        };
        buf.clear();
        let local = start.local_name().as_ref().to_vec();
        let covered = local == b"covered-table-cell";
        if local != b"table-cell" && !covered {
            if !is_empty {
                xml.read_to_end_into(start.name(), &mut Vec::new())
                    .map_err(|e| corrupt(&e))?;
            }
            continue;
        }
        let repeat = count(&start, b"number-columns-repeated");
        let text = if is_empty {
            String::new()
        } else {
            cell_text(xml, &start)?
        };
        let cell = OdsCell {
            value: if covered {
                CellValue::Empty
            } else {
                value(&start, text)
            },
            repeat,
            span: (
                count(&start, b"number-rows-spanned"),
                count(&start, b"number-columns-spanned"),
            ),
        };
        if !cell.value.is_empty() || cell.span != (1, 1) {
            out.push((col, cell));
        }
        col = col.saturating_add(repeat);
    }
}

/// The text of a cell: its paragraphs, one per line; comments skipped.
fn cell_text<R: BufRead>(xml: &mut Reader<R>, cell: &BytesStart) -> Result<String, String> {
    let end = cell.name().as_ref().to_vec();
    let mut text = String::new();
    let mut paragraphs = 0;
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf).map_err(|e| corrupt(&e))? {
            Event::Start(e) if matches!(e.local_name().as_ref(), b"annotation" | b"note") => {
                let name = e.name().as_ref().to_vec();
                xml.read_to_end_into(quick_xml::name::QName(&name), &mut Vec::new())
                    .map_err(|e| corrupt(&e))?;
            }
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"p" | b"h" => {
                    if paragraphs > 0 {
                        text.push('\n');
                    }
                    paragraphs += 1;
                }
                b"s" => {
                    let n = (count(&e, b"c") as usize).min(MAX_SPACES);
                    text.extend(std::iter::repeat_n(' ', n));
                }
                b"tab" => text.push('\t'),
                b"line-break" => text.push('\n'),
                _ => {}
            },
            Event::Text(t) => text.push_str(&t.decode().map_err(|e| corrupt(&e))?),
            Event::CData(t) => text.push_str(&String::from_utf8_lossy(&t)),
            Event::GeneralRef(r) => {
                if let Some(c) = entity(&r) {
                    text.push(c);
                }
            }
            Event::End(e) if e.name().as_ref() == end.as_slice() => return Ok(text),
            Event::Eof => return Err(corrupt(&"content.xml 不完整")),
            _ => {}
        }
        buf.clear();
    }
}

fn entity(r: &quick_xml::events::BytesRef) -> Option<char> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Some(c);
    }
    match &r[..] {
        b"amp" => Some('&'),
        b"lt" => Some('<'),
        b"gt" => Some('>'),
        b"quot" => Some('"'),
        b"apos" => Some('\''),
        _ => None,
    }
}

/// A cell's value from its value type and attributes; `text` is what the
/// cell shows.
fn value(cell: &BytesStart, text: String) -> CellValue {
    // LibreOffice marks formula errors with its own extension attribute.
    if attr_in(cell, b"calcext", b"value-type").as_deref() == Some("error") {
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
    let office = |local: &[u8]| attr_in(cell, b"office", local);
    match office(b"value-type").as_deref() {
        Some("float" | "percentage" | "currency") => office(b"value")
            .and_then(|v| v.trim().parse::<f64>().ok())
            .map_or_else(shown, CellValue::Number),
        Some("date") => office(b"date-value")
            .and_then(|v| date_time(&v))
            .map_or_else(shown, CellValue::DateTime),
        Some("boolean") => match office(b"boolean-value").as_deref() {
            Some("true") => CellValue::Bool(true),
            Some("false") => CellValue::Bool(false),
            _ => shown(),
        },
        Some("string") => match office(b"string-value") {
            Some(s) => CellValue::Text(s.into()),
            None => shown(),
        },
        _ => match (text.is_empty(), attr(cell, b"formula")) {
            (true, Some(f)) => CellValue::Uncalculated(f),
            _ => shown(),
        },
    }
}

/// An attribute by namespace prefix and local name (`office:value-type` and
/// `calcext:value-type` are different attributes).
fn attr_in(e: &BytesStart, prefix: &[u8], local: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| {
            a.key.local_name().as_ref() == local
                && a.key.prefix().is_some_and(|p| p.as_ref() == prefix)
        })
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// `2025-10-08` or `2025-10-08T13:45:00(.123)`.
fn date_time(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0);
    }
    NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f").ok()
}

#[cfg(test)]
mod tests {
    use super::{date_time, value};
    use crate::model::CellValue;
    use quick_xml::events::BytesStart;

    /// A cell as LibreOffice writes it: its attributes and the text it shows.
    fn cell(attrs: &str, shown: &str) -> CellValue {
        let tag = format!("table:table-cell {attrs}");
        value(
            &BytesStart::from_content(tag.as_str(), 16),
            shown.to_string(),
        )
    }

    #[test]
    fn values_come_from_the_attributes_not_the_text_shown() {
        // LibreOffice shows `15,000.00`, `12.5%`, `¥1,200.50`; the value is
        // office:value (docs/return-form.md §4.7).
        let float = r#"office:value-type="float" office:value="15000" calcext:value-type="float""#;
        assert_eq!(cell(float, "15,000.00"), CellValue::Number(15000.0));
        let pct = r#"office:value-type="percentage" office:value="0.125""#;
        assert_eq!(cell(pct, "12.5%"), CellValue::Number(0.125));
        let money = r#"office:value-type="currency" office:currency="CNY" office:value="1200.5""#;
        assert_eq!(cell(money, "¥1,200.50"), CellValue::Number(1200.5));
        let date = r#"office:value-type="date" office:date-value="2026-07-08""#;
        assert!(
            matches!(cell(date, "2026年7月8日"), CellValue::DateTime(d) if d.to_string() == "2026-07-08 00:00:00")
        );
        let stamp = r#"office:value-type="date" office:date-value="2026-07-08T09:30:00""#;
        assert!(
            matches!(cell(stamp, "2026-07-08 09:30"), CellValue::DateTime(d) if d.to_string() == "2026-07-08 09:30:00")
        );
    }

    #[test]
    fn dates_as_ods_writes_them() {
        assert_eq!(
            date_time("2025-10-08").map(|d| d.to_string()),
            Some("2025-10-08 00:00:00".into())
        );
        assert_eq!(
            date_time("2025-10-08T13:45:00.5").map(|d| d.to_string()),
            Some("2025-10-08 13:45:00.500".into())
        );
        assert_eq!(date_time("PT13H"), None);
    }
}
