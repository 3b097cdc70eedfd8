//! Reporting quarters.

use std::fmt;
use std::str::FromStr;

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

    /// Parses every spelling docs/return-form.md §2.1 accepts: `2025Q4`, `2025-Q4`,
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
        format!("{}年第{}季度", self.year, self.quarter_zh())
    }

    /// `2025年四季度`: a quarter on a chart's axis, where the full label is
    /// too long and a code (`2025Q4`) is not for leaders.
    pub fn short_label_zh(self) -> String {
        format!("{}年{}季度", self.year, self.quarter_zh())
    }

    fn quarter_zh(self) -> &'static str {
        ["一", "二", "三", "四"][usize::from(self.quarter.clamp(1, 4) - 1)]
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
}
