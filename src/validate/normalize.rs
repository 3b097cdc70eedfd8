//! Values as zones really write them (docs/return-form.md §4): numbers as text,
//! full-width digits, thousands separators, units in the cell, dates in many
//! forms, enumerations with stray spaces or aliases. Each parser returns the
//! value and what it had to change (for V07), or why it failed.

use std::borrow::Cow;

use chrono::{Duration, NaiveDate};

use crate::config::Enumeration;
use crate::format::format_number;
use crate::model::CellValue;
use crate::text::{fold_width, label_key};

/// Why a cell could not be read as the field's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// V02: not a number (with what was expected).
    NotNumber(&'static str),
    /// V05: not a date.
    NotDate,
    /// V06: a formula error or a formula never calculated.
    FormulaError,
    /// V04: not in the enumeration; the closest allowed value.
    NotAllowed(String),
}

/// A value read, with the normalisations applied (empty: none).
#[derive(Debug, Clone, PartialEq)]
pub struct Read<T> {
    pub value: T,
    pub notes: Vec<&'static str>,
    /// Set when the value was written in plain 元 and converted to 万元.
    pub from_yuan: bool,
}

impl<T> Read<T> {
    fn plain(value: T) -> Read<T> {
        Read {
            value,
            notes: Vec::new(),
            from_yuan: false,
        }
    }
}

/// What a numeric field measures, for the units a cell may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure<'a> {
    /// 万元; 亿元 and 元 are converted.
    Amount,
    /// A count in the given unit (个, 人 …); the unit may be written.
    Count(&'a str),
    /// Any number, e.g. an area in 平方米.
    Number(&'a str),
}

/// Cells that mean "nothing here".
const PLACEHOLDERS: [&str; 6] = ["-", "--", "—", "——", "/", "无"];

/// True when the cell holds nothing, or only a placeholder dash.
pub fn is_blank(cell: &CellValue) -> bool {
    match cell {
        CellValue::Text(t) => {
            let t = t.trim();
            t.is_empty() || PLACEHOLDERS.contains(&t)
        }
        other => other.is_empty(),
    }
}

pub fn number(cell: &CellValue, measure: Measure) -> Result<Read<f64>, Problem> {
    let expect = match measure {
        Measure::Count(_) => "整数",
        _ => "数字",
    };
    let read = match cell {
        CellValue::Number(n) => Read::plain(*n),
        CellValue::Text(t) => number_text(t, measure).ok_or(Problem::NotNumber(expect))?,
        CellValue::Error(_) | CellValue::Uncalculated(_) => return Err(Problem::FormulaError),
        _ => return Err(Problem::NotNumber(expect)),
    };
    if !read.value.is_finite() {
        return Err(Problem::NotNumber(expect));
    }
    if matches!(measure, Measure::Count(_)) && read.value.fract().abs() > 1e-9 {
        return Err(Problem::NotNumber("整数"));
    }
    Ok(read)
}

fn number_text(text: &str, measure: Measure) -> Option<Read<f64>> {
    let folded = fold_width(text);
    let mut notes = vec!["文本格式的数字"];
    if folded != text {
        notes.push("全角字符");
    }
    let mut s: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    if s.contains(',') {
        notes.push("千分位分隔符");
        s = s.replace(',', "");
    }
    let mut factor = 1.0;
    let mut from_yuan = false;
    match measure {
        Measure::Amount => {
            for (suffix, f, note) in [
                ("亿元", 10_000.0, "亿元换算为万元"),
                ("亿", 10_000.0, "亿元换算为万元"),
                ("万元", 1.0, "去除单位"),
                ("万", 1.0, "去除单位"),
                ("元", 0.0001, "元换算为万元"),
            ] {
                if let Some(rest) = s.strip_suffix(suffix) {
                    s = rest.to_string();
                    factor = f;
                    from_yuan = suffix == "元";
                    notes.push(note);
                    break;
                }
            }
        }
        Measure::Count(unit) | Measure::Number(unit) => {
            let units = [unit, "个", "人", "家", "项", "件", "名", "平方米", "㎡"];
            if let Some(u) = units.iter().find(|u| !u.is_empty() && s.ends_with(*u)) {
                s.truncate(s.len() - u.len());
                notes.push("去除单位");
            }
        }
    }
    let value: f64 = s.parse().ok()?;
    Some(Read {
        value: round_amount(value * factor),
        notes,
        from_yuan,
    })
}

/// Amounts are kept to 4 decimals of 万元 (1 元), which also removes the
/// binary noise of ×0.0001.
fn round_amount(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

pub fn date(cell: &CellValue) -> Result<Read<NaiveDate>, Problem> {
    match cell {
        CellValue::DateTime(d) => Ok(Read::plain(d.date())),
        CellValue::Number(n) if (36_526.0..=73_050.0).contains(n) && n.fract() == 0.0 => {
            let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).ok_or(Problem::NotDate)?;
            Ok(Read {
                value: epoch + Duration::days(*n as i64),
                notes: vec!["Excel 日期序号"],
                from_yuan: false,
            })
        }
        CellValue::Text(t) => date_text(t)
            .map(|d| Read {
                value: d,
                notes: vec!["文本日期"],
                from_yuan: false,
            })
            .ok_or(Problem::NotDate),
        CellValue::Error(_) | CellValue::Uncalculated(_) => Err(Problem::FormulaError),
        _ => Err(Problem::NotDate),
    }
}

/// `2025-10-08`, `2025/10/8`, `2025.10.08`, `2025年10月8日`, `20251008`.
pub fn date_text(text: &str) -> Option<NaiveDate> {
    let s: String = fold_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let s = s
        .strip_suffix('日')
        .or_else(|| s.strip_suffix('号'))
        .unwrap_or(&s);
    let parts: Vec<&str> = s.split(['-', '/', '.', '年', '月']).collect();
    let (y, m, d) = match parts.as_slice() {
        [y, m, d] => (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
        [ymd] if ymd.len() == 8 && ymd.bytes().all(|b| b.is_ascii_digit()) => (
            ymd[..4].parse().ok()?,
            ymd[4..6].parse().ok()?,
            ymd[6..].parse().ok()?,
        ),
        _ => return None,
    };
    if !(1990..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Text of a text field, trimmed; numbers are shown as written.
pub fn text(cell: &CellValue) -> Result<String, Problem> {
    text_ref(cell).map(Cow::into_owned)
}

/// [`text`], borrowed from the cell when it holds text.
fn text_ref(cell: &CellValue) -> Result<Cow<'_, str>, Problem> {
    match cell {
        CellValue::Error(_) | CellValue::Uncalculated(_) => Err(Problem::FormulaError),
        CellValue::Text(t) => Ok(Cow::Borrowed(t.trim())),
        other => Ok(Cow::Owned(other.display().trim().to_string())),
    }
}

pub fn enumeration(cell: &CellValue, e: &Enumeration) -> Result<Read<String>, Problem> {
    let raw = text_ref(cell)?;
    if let Some(v) = e.values.iter().find(|v| **v == raw) {
        // Stray spaces around an allowed value are still a normalisation.
        let trimmed = match cell {
            CellValue::Text(t) => **t != *raw,
            other => other.display() != raw,
        };
        if trimmed {
            return Ok(Read {
                value: v.clone(),
                notes: vec!["去除多余空格"],
                from_yuan: false,
            });
        }
        return Ok(Read::plain(v.clone()));
    }
    let key = label_key(&raw);
    if let Some(v) = e.values.iter().find(|v| label_key(v) == key) {
        return Ok(Read {
            value: v.clone(),
            notes: vec!["去除多余空格或全角字符"],
            from_yuan: false,
        });
    }
    if let Some((_, v)) = e.aliases.iter().find(|(a, _)| label_key(a) == key) {
        return Ok(Read {
            value: v.clone(),
            notes: vec!["别名换为规范值"],
            from_yuan: false,
        });
    }
    let closest = crate::config::closest_value(&raw, e.values.iter().map(String::as_str));
    Err(Problem::NotAllowed(closest.to_string()))
}

/// Splits a 合作高校 cell: `、` `,` `;` `/` (full-width forms too).
pub fn split_names(text: &str) -> Vec<String> {
    names(text).map(|n| n.to_string()).collect()
}

/// [`split_names`], borrowing from the text when it needs no folding.
pub fn names(text: &str) -> impl Iterator<Item = Cow<'_, str>> {
    let pieces: Vec<Cow<str>> = match fold_width(text) {
        Cow::Borrowed(t) => t
            .split(SEPARATORS)
            .map(|s| Cow::Borrowed(s.trim()))
            .collect(),
        Cow::Owned(t) => t
            .split(SEPARATORS)
            .map(|s| Cow::Owned(s.trim().to_string()))
            .collect(),
    };
    pieces.into_iter().filter(|s| !s.is_empty())
}

const SEPARATORS: [char; 5] = ['、', ',', ';', '/', '\n'];

/// A number as a clerk would write it back.
pub fn show(v: f64) -> String {
    format_number(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> CellValue {
        CellValue::Text(s.into())
    }

    #[test]
    fn amounts_as_written() {
        let amount = |s: &str| number(&t(s), Measure::Amount).unwrap();
        assert_eq!(amount("1,200万元").value, 1200.0);
        assert_eq!(amount("0.12亿元").value, 1200.0);
        assert_eq!(amount("1200万").value, 1200.0);
        assert_eq!(amount("１２３").value, 123.0);
        assert!(amount("１２３").notes.contains(&"全角字符"));
        let yuan = amount("500000元");
        assert_eq!(yuan.value, 50.0);
        assert!(yuan.from_yuan);
        assert_eq!(
            number(&t("约20"), Measure::Amount),
            Err(Problem::NotNumber("数字"))
        );
        assert_eq!(
            number(&t("12.5"), Measure::Count("个")),
            Err(Problem::NotNumber("整数"))
        );
        assert_eq!(
            number(&t("35人"), Measure::Count("人")).unwrap().value,
            35.0
        );
        assert_eq!(
            number(&CellValue::Number(7.0), Measure::Count("个"))
                .unwrap()
                .notes,
            Vec::<&str>::new()
        );
    }

    #[test]
    fn dates_as_written() {
        let d = NaiveDate::from_ymd_opt(2025, 10, 8).unwrap();
        for s in [
            "2025-10-08",
            "2025/10/8",
            "2025.10.08",
            "2025年10月8日",
            "２０２５-10-08",
            "20251008",
        ] {
            assert_eq!(date_text(s), Some(d), "{s}");
        }
        assert_eq!(date_text("2025-13-45"), None);
        assert_eq!(date(&CellValue::Number(45938.0)).unwrap().value, d);
    }

    #[test]
    fn names_split() {
        assert_eq!(
            split_names("矿大、江苏师范大学 / 徐州工程学院"),
            ["矿大", "江苏师范大学", "徐州工程学院"]
        );
    }
}
