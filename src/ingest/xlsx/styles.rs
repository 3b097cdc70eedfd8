//! Which cell styles show a number as a date: each `cellXfs` entry's
//! number format, built in or custom. The rules are calamine's (MIT),
//! ported from openpyxl: a format is a date when its first section has a
//! date or time token outside quotes and brackets; `[h]`-style elapsed
//! times are durations, read as plain numbers.

use std::collections::HashMap;

use quick_xml::events::Event;

use super::text::{attr, reader};
use crate::ingest::open::corrupt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Number,
    Date,
    Duration,
}

#[derive(Debug, Default)]
pub(super) struct Styles {
    /// By cell style index (`s`).
    kinds: Vec<Kind>,
}

impl Styles {
    pub fn parse(xml: &[u8]) -> Result<Styles, String> {
        let mut custom: HashMap<u32, Kind> = HashMap::new();
        let mut formats: Vec<u32> = Vec::new();
        let mut in_cell_xfs = false;
        let mut xml = reader(xml);
        loop {
            match xml.read_event().map_err(|e| corrupt(&e))? {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    b"numFmt" => {
                        let id = attr(&e, b"numFmtId").and_then(|v| v.trim().parse().ok());
                        if let (Some(id), Some(code)) = (id, attr(&e, b"formatCode")) {
                            custom.insert(id, custom_kind(&code));
                        }
                    }
                    b"cellXfs" => in_cell_xfs = true,
                    b"xf" if in_cell_xfs => formats.push(
                        attr(&e, b"numFmtId")
                            .and_then(|v| v.trim().parse().ok())
                            .unwrap_or(0),
                    ),
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == b"cellXfs" => in_cell_xfs = false,
                Event::Eof => break,
                _ => {}
            }
        }
        let kinds = formats
            .into_iter()
            .map(|id| custom.get(&id).copied().unwrap_or_else(|| builtin_kind(id)))
            .collect();
        Ok(Styles { kinds })
    }

    /// How a cell of style `index` shows a number.
    pub fn kind(&self, index: usize) -> Kind {
        self.kinds.get(index).copied().unwrap_or(Kind::Number)
    }
}

fn builtin_kind(id: u32) -> Kind {
    match id {
        14..=22 | 27..=36 | 45 | 47 | 50..=58 => Kind::Date,
        46 => Kind::Duration,
        _ => Kind::Number,
    }
}

fn custom_kind(format: &str) -> Kind {
    let mut escaped = false;
    let mut quoted = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut ap = false;
    for c in format.chars() {
        match (c, escaped, quoted, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => quoted = false,
            (_, _, true, _, _) => (),
            ('"', ..) => quoted = true,
            (';', ..) => return Kind::Number,
            ('[', ..) => brackets += 1,
            (']', .., 1) if hms => return Kind::Duration,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return Kind::Date,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return Kind::Date
            }
            _ => {
                if !(hms && c.eq_ignore_ascii_case(&prev)) {
                    hms = prev == '[' && matches!(c, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = c;
    }
    Kind::Number
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_formats() {
        for date in [
            "yyyy-mm-dd",
            "DD/MM/YY",
            "H:MM:SS;@",
            "yyyy\"年\"m\"月\"d\"日\"",
            "[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy",
        ] {
            assert_eq!(custom_kind(date), Kind::Date, "{date}");
        }
        for number in ["0.00", "#,##0", "\"年\"0", "[Red]0.00", "0%"] {
            assert_eq!(custom_kind(number), Kind::Number, "{number}");
        }
        assert_eq!(custom_kind("[h]:mm:ss"), Kind::Duration);
        assert_eq!(builtin_kind(14), Kind::Date);
        assert_eq!(builtin_kind(0), Kind::Number);
    }
}
