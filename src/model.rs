//! The domain model shared by every stage: periods, cell positions, findings,
//! and a return as read from a zone's workbook.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::text::fold_width;

/// A reporting quarter, e.g. `2025Q4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: i32,
    pub quarter: u8,
}

impl Period {
    pub fn new(year: i32, quarter: u8) -> Option<Period> {
        ((1..=4).contains(&quarter) && (1900..=9999).contains(&year))
            .then_some(Period { year, quarter })
    }

    /// Parses every spelling the spec accepts: `2025Q4`, `2025-Q4`,
    /// `2025 Q4`, `2025年第四季度`, `2025年第4季度`, `2025年4季度`
    /// (full-width digits and lower-case `q` too).
    pub fn parse(text: &str) -> Option<Period> {
        let folded: String = fold_width(text)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let s = folded.as_str();
        let year: i32 = s.get(..4)?.parse().ok()?;
        let rest = &s[4..];
        let rest = rest.strip_prefix('-').unwrap_or(rest);
        let quarter = if let Some(q) = rest.strip_prefix('Q') {
            q.parse().ok()?
        } else {
            let q = rest.strip_prefix('年')?;
            let q = q.strip_prefix('第').unwrap_or(q);
            let q = q.strip_suffix("季度")?;
            match q {
                "1" | "一" => 1,
                "2" | "二" => 2,
                "3" | "三" => 3,
                "4" | "四" => 4,
                _ => return None,
            }
        };
        Period::new(year, quarter)
    }

    pub fn of_date(date: NaiveDate) -> Period {
        Period {
            year: date.year(),
            quarter: (date.month0() / 3 + 1) as u8,
        }
    }

    /// First day of the quarter.
    pub fn start(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, u32::from(self.quarter) * 3 - 2, 1)
            .expect("a valid period has a valid first day")
    }

    /// Last day of the quarter.
    pub fn end(self) -> NaiveDate {
        self.next()
            .start()
            .pred_opt()
            .expect("a valid period has a valid last day")
    }

    pub fn next(self) -> Period {
        if self.quarter == 4 {
            Period {
                year: self.year + 1,
                quarter: 1,
            }
        } else {
            Period {
                year: self.year,
                quarter: self.quarter + 1,
            }
        }
    }

    pub fn prev(self) -> Period {
        if self.quarter == 1 {
            Period {
                year: self.year - 1,
                quarter: 4,
            }
        } else {
            Period {
                year: self.year,
                quarter: self.quarter - 1,
            }
        }
    }

    /// Quarters from `self` to `other` (positive when `other` is later).
    pub fn quarters_until(self, other: Period) -> i32 {
        (other.year - self.year) * 4 + i32::from(other.quarter) - i32::from(self.quarter)
    }

    /// The Chinese form, e.g. `2025年第四季度`.
    pub fn label_zh(self) -> String {
        let q = ["一", "二", "三", "四"][usize::from(self.quarter - 1)];
        format!("{}年第{}季度", self.year, q)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.year, self.quarter)
    }
}

impl FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::parse(s).ok_or_else(|| format!("无法识别的报告期“{s}”，应为 2026Q3 这样的格式"))
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// How serious a finding is (spec section 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn label_zh(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

/// A zero-based cell position within a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellPos {
    pub row: u32,
    pub col: u32,
}

impl CellPos {
    pub fn new(row: u32, col: u32) -> CellPos {
        CellPos { row, col }
    }

    /// The A1 form, e.g. `E7`.
    pub fn a1(self) -> String {
        format!("{}{}", column_letters(self.col), self.row + 1)
    }

    /// Parses `E7` (or `$E$7`) into a position.
    pub fn parse_a1(text: &str) -> Option<CellPos> {
        let mut col: u32 = 0;
        let mut row: u32 = 0;
        let (mut letters, mut digits) = (0, 0);
        for &b in text.as_bytes() {
            match b {
                b'$' => {}
                b'A'..=b'Z' | b'a'..=b'z' if digits == 0 => {
                    letters += 1;
                    if letters > 3 {
                        return None;
                    }
                    col = col * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1);
                }
                b'0'..=b'9' if letters > 0 => {
                    digits += 1;
                    row = row.checked_mul(10)?.checked_add(u32::from(b - b'0'))?;
                }
                _ => return None,
            }
        }
        (digits > 0 && row >= 1).then(|| CellPos::new(row - 1, col - 1))
    }
}

/// `0 -> A`, `25 -> Z`, `26 -> AA`.
pub fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// A checked-return problem, as reported to clerks and staff.
/// The JSON form has exactly these keys (`null` where not applicable).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub zone: Option<String>,
    pub period: Option<Period>,
    pub file: Option<String>,
    pub sheet: Option<String>,
    pub cell: Option<String>,
    pub row: Option<u32>,
    pub value: Option<String>,
    pub expected: Option<String>,
    pub message: Option<String>,
}

impl Finding {
    /// Where it is, as clerks read it: `核心指标!E7`, `项目清单 第5行`,
    /// `平台清单（整张表）`, or `整个文件`.
    pub fn place(&self) -> String {
        match (self.sheet.as_deref(), self.cell.as_deref(), self.row) {
            (Some(sheet), Some(cell), _) => format!("{sheet}!{cell}"),
            (Some(sheet), None, Some(row)) => format!("{sheet} 第{row}行"),
            (Some(sheet), None, None) => format!("{sheet}（整张表）"),
            (None, Some(cell), _) => cell.to_string(),
            (None, None, Some(row)) => format!("第{row}行"),
            (None, None, None) => "整个文件".to_string(),
        }
    }
}

/// An unrendered finding: what a check saw, before the rule catalogue gives
/// it a severity and a Chinese message.
#[derive(Debug, Clone, Default)]
pub struct Issue {
    pub rule: &'static str,
    pub variant: Option<&'static str>,
    pub sheet: Option<String>,
    pub cell: Option<CellPos>,
    pub row: Option<u32>,
    pub value: Option<String>,
    pub expected: Option<String>,
    /// Extra message placeholders (`{field}`, `{reason}` …).
    pub args: Vec<(&'static str, String)>,
}

impl Issue {
    pub fn new(rule: &'static str) -> Issue {
        Issue {
            rule,
            ..Issue::default()
        }
    }

    pub fn variant(mut self, variant: &'static str) -> Issue {
        self.variant = Some(variant);
        self
    }

    pub fn sheet(mut self, sheet: impl Into<String>) -> Issue {
        self.sheet = Some(sheet.into());
        self
    }

    /// Points at a cell (also sets the 1-based row).
    pub fn at(mut self, sheet: &str, pos: CellPos) -> Issue {
        self.sheet = Some(sheet.to_string());
        self.cell = Some(pos);
        self.row = Some(pos.row + 1);
        self
    }

    /// Points at a whole sheet row (1-based).
    pub fn row(mut self, row: u32) -> Issue {
        self.row = Some(row);
        self
    }

    pub fn value(mut self, value: impl ToString) -> Issue {
        self.value = Some(value.to_string());
        self
    }

    pub fn expected(mut self, expected: impl ToString) -> Issue {
        self.expected = Some(expected.to_string());
        self
    }

    pub fn arg(mut self, key: &'static str, value: impl ToString) -> Issue {
        self.args.push((key, value.to_string()));
        self
    }
}

/// A cell that differs between a superseded file and the one that replaced it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CellChange {
    pub sheet: String,
    pub cell: String,
    /// As shown in the superseded file ("" when empty).
    pub old: String,
    /// As shown in the winning file ("" when empty).
    pub new: String,
}

/// A value with the cell it was read from (the sheet's name is shared by
/// all the values read from it).
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub sheet: Arc<str>,
    pub cell: CellPos,
}

/// The file a return came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the returns folder (or as given on the command line).
    pub name: String,
    pub path: std::path::PathBuf,
    pub sha256: String,
    pub bytes: u64,
    /// Seconds since the epoch; only breaks ties between identical returns.
    pub modified: i64,
}

/// 基本信息, typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BasicInfo {
    pub zone_text: Option<Located<String>>,
    pub period: Option<Located<Period>>,
    pub unit: Option<String>,
    pub filler: Option<String>,
    pub phone: Option<String>,
    pub fill_date: Option<Located<NaiveDate>>,
    pub industry: Option<String>,
    pub platform: Option<String>,
    pub talent: Option<String>,
    pub fund_name: Option<String>,
    pub fund_size: Option<Located<f64>>,
}

/// One 核心指标 row.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValue {
    pub code: String,
    pub new: Option<Located<f64>>,
    pub cumulative: Option<Located<f64>>,
}

/// One 项目清单 row.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRow {
    /// 1-based sheet row.
    pub row: u32,
    pub sheet: Arc<str>,
    pub name: Located<String>,
    /// Canonical university names (unknown ones as written).
    pub universities: Vec<String>,
    pub enterprise: String,
    pub field: Option<String>,
    pub category: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub contract: Option<f64>,
    pub funded: Option<Located<f64>>,
    pub status: Option<String>,
    pub benchmark: bool,
    /// A hash of the name and enterprise as they are compared (folded), for
    /// finding the same project in two zones' returns (D03).
    pub match_key: u64,
}

/// One 平台清单 row.
#[derive(Debug, Clone, PartialEq)]
pub struct PlatformRow {
    pub row: u32,
    pub sheet: Arc<str>,
    pub name: Located<String>,
    pub kind: Option<String>,
    pub level: Option<String>,
    pub universities: Vec<String>,
    pub built_date: Option<NaiveDate>,
    pub area: Option<f64>,
    pub investment: Option<f64>,
}

/// One 情况说明 row: an explanation of a warning.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    pub row: u32,
    pub rule: String,
    pub location: String,
    pub text: String,
}

/// A zone's return as read and typed from one file. Values that failed their
/// checks are absent (`None`); the findings say why.
#[derive(Debug, Clone, PartialEq)]
pub struct Return {
    pub source: SourceFile,
    /// Registry zone code, when the zone could be identified.
    pub zone: Option<String>,
    pub info: BasicInfo,
    /// By indicator code.
    pub indicators: BTreeMap<String, IndicatorValue>,
    pub projects: Vec<ProjectRow>,
    pub platforms: Vec<PlatformRow>,
    pub explanations: Vec<Explanation>,
    /// The form sheets the file has: form key → the name as written.
    pub sheets: BTreeMap<String, String>,
    /// Data rows read from the file (indicator, project, platform rows).
    pub rows_read: usize,
    /// The workbook says it is synthetic (示例数据).
    pub is_sample: bool,
}

impl Return {
    pub fn period(&self) -> Option<Period> {
        self.info.period.as_ref().map(|p| p.value)
    }

    pub fn fill_date(&self) -> Option<NaiveDate> {
        self.info.fill_date.as_ref().map(|d| d.value)
    }

    pub fn cumulative(&self, code: &str) -> Option<f64> {
        self.indicators
            .get(code)
            .and_then(|v| v.cumulative.as_ref())
            .map(|v| v.value)
    }

    pub fn new_value(&self, code: &str) -> Option<f64> {
        self.indicators
            .get(code)
            .and_then(|v| v.new.as_ref())
            .map(|v| v.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_in_every_spelling() {
        let q4 = Period::new(2025, 4).unwrap();
        for s in [
            "2025Q4",
            "2025-Q4",
            "2025 Q4",
            "2025年第四季度",
            "2025年第4季度",
            "2025年4季度",
            "２０２５Ｑ４",
            "2025q4",
        ] {
            assert_eq!(Period::parse(s), Some(q4), "{s}");
        }
        assert_eq!(Period::parse("2025Q5"), None);
        assert_eq!(Period::parse("上季度"), None);
        assert_eq!(q4.to_string(), "2025Q4");
        assert_eq!(q4.end(), NaiveDate::from_ymd_opt(2025, 12, 31).unwrap());
        assert_eq!(q4.next().to_string(), "2026Q1");
        assert_eq!(q4.prev().to_string(), "2025Q3");
        assert_eq!(
            Period::parse("2025Q3")
                .unwrap()
                .quarters_until(Period::parse("2027Q4").unwrap()),
            9
        );
    }

    #[test]
    fn a1_round_trip() {
        for (pos, a1) in [
            (CellPos::new(0, 0), "A1"),
            (CellPos::new(6, 4), "E7"),
            (CellPos::new(0, 26), "AA1"),
            (CellPos::new(1_048_575, 16_383), "XFD1048576"),
        ] {
            assert_eq!(pos.a1(), a1);
            assert_eq!(CellPos::parse_a1(a1), Some(pos));
        }
        assert_eq!(CellPos::parse_a1("$E$7"), Some(CellPos::new(6, 4)));
        assert_eq!(CellPos::parse_a1("A0"), None);
    }
}
