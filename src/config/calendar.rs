//! `calendar.toml`: when the pilot began and when returns are due.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::model::Period;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarFile {
    pilot_start: toml::value::Datetime,
    first_period: Period,
    deadline: DeadlineFile,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeadlineFile {
    days_after_quarter_end: u32,
    #[serde(default)]
    overrides: BTreeMap<String, toml::value::Datetime>,
}

#[derive(Debug, Clone)]
pub struct Calendar {
    pub pilot_start: NaiveDate,
    pub first_period: Period,
    days_after_quarter_end: u32,
    overrides: BTreeMap<Period, NaiveDate>,
}

impl Calendar {
    pub(super) fn new(file: CalendarFile) -> Result<Calendar, String> {
        let pilot_start = super::toml_date(&file.pilot_start)?;
        let mut overrides = BTreeMap::new();
        for (p, d) in &file.deadline.overrides {
            let period =
                Period::parse(p).ok_or_else(|| format!("overrides 中的报告期“{p}”无法识别"))?;
            overrides.insert(period, super::toml_date(d)?);
        }
        Ok(Calendar {
            pilot_start,
            first_period: file.first_period,
            days_after_quarter_end: file.deadline.days_after_quarter_end,
            overrides,
        })
    }

    /// The last day a return for `period` is on time.
    pub fn deadline(&self, period: Period) -> NaiveDate {
        self.overrides.get(&period).copied().unwrap_or_else(|| {
            period.end() + chrono::Days::new(u64::from(self.days_after_quarter_end))
        })
    }
}
