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
    #[serde(default)]
    feedback: FeedbackSettings,
}

/// `[feedback]`: who sends the feedback workbooks and by when zones are
/// asked to act on them. Every key is optional; without them the books
/// name no sender, no contact and no reply date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedbackSettings {
    /// The office sending the feedback, e.g. 省科技厅.
    #[serde(default)]
    pub sender: String,
    /// A line saying whom to ask, printed under the title.
    #[serde(default)]
    pub contact: String,
    /// Zones with something to do (correct and resend, or explain warnings)
    /// are asked to do it within this many days of the feedback date.
    pub reply_within_days: Option<u32>,
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
    pub feedback: FeedbackSettings,
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
            feedback: file.feedback,
        })
    }

    /// The first quarter a zone of `cohort` takes part in: the
    /// programme's first quarter for the pilots, else the first quarter of
    /// the cohort's year. That quarter's flow is the zone's entry (its
    /// 累计值 since it joined), never a basis for comparison
    /// (docs/brief.md §2.3).
    pub fn entry_quarter(&self, cohort: i32) -> Period {
        Period {
            year: cohort,
            quarter: 1,
        }
        .max(self.first_period)
    }

    /// The last day a return for `period` is on time.
    pub fn deadline(&self, period: Period) -> NaiveDate {
        self.overrides.get(&period).copied().unwrap_or_else(|| {
            period.end() + chrono::Days::new(u64::from(self.days_after_quarter_end))
        })
    }
}
