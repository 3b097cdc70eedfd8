//! Which cell styles show a number as a date: each `cellXfs` entry's
//! number format, built in or custom. The rules are calamine's (MIT),
//! ported from openpyxl: a format is a date when its first section has a
//! date or time token outside quotes and brackets; `[h]`-style elapsed
//! times are durations, read as plain numbers.

use std::collections::HashMap;

use super::scan::{attribute, Scanner, Tag};
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
        let mut xml = Scanner::new(xml);
        let id = |attrs: &[u8]| -> Result<Option<u32>, String> {
            Ok(attribute(attrs, b"numFmtId")?.and_then(|v| v.trim().parse().ok()))
        };
        while let Some(tag) = xml.next_tag().map_err(|e| corrupt(&e))? {
            match tag {
                Tag::Open {
                    local: b"numFmt",
                    attrs,
                    ..
                } => {
                    if let (Some(id), Some(code)) = (id(attrs)?, attribute(attrs, b"formatCode")?) {
                        custom.insert(id, custom_kind(&code));
                    }
                }
                Tag::Open {
                    local: b"cellXfs",
                    empty: false,
                    ..
                } => in_cell_xfs = true,
                Tag::Close { local: b"cellXfs" } => in_cell_xfs = false,
                Tag::Open {
                    local: b"xf",
                    attrs,
                    ..
                } if in_cell_xfs => formats.push(id(attrs)?.unwrap_or(0)),
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
