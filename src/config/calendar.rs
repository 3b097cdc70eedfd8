//! `calendar.toml`: when the programme began, its stages (试点引领,
//! 全面覆盖), each cohort's start (a zone's 累计 counts from its cohort's),
//! and when returns are due (docs/return-form.md §2.5).

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
    #[serde(default)]
    stage: Vec<StageFile>,
    #[serde(default)]
    cohort: Vec<CohortFile>,
    #[serde(default)]
    review: ReviewSettings,
}

/// `[review]`: who reviews a return that passed the checks, in order, and
/// whether `report` counts only approved returns (docs/review-workflow.md).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewSettings {
    /// `["city"]` (the default), `["city", "province"]`, or `[]` (none).
    #[serde(default = "city_reviews")]
    pub levels: Vec<crate::model::Level>,
    /// Count only approved returns (default: a return counts once it passes
    /// the checks, its review state shown beside it).
    #[serde(default)]
    pub count_only_approved: bool,
}

fn city_reviews() -> Vec<crate::model::Level> {
    vec![crate::model::Level::City]
}

impl Default for ReviewSettings {
    fn default() -> ReviewSettings {
        ReviewSettings {
            levels: city_reviews(),
            count_only_approved: false,
        }
    }
}

/// `[[stage]]`: a stage of the programme (试点引领阶段, 全面覆盖阶段).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct StageFile {
    name: String,
    start: toml::value::Datetime,
    /// The brief's title in this stage (`[masthead] title` otherwise).
    #[serde(default)]
    title: Option<String>,
    /// The programme as the outputs name it (双高协同试点, 双高协同).
    programme: String,
    /// What the outputs call the zones taking part (试点高新区, 高新区).
    zones_word: String,
    /// The brief's 抄送 line in this stage (`[distribution] copy` otherwise).
    #[serde(default)]
    copy: Option<Vec<String>>,
}

/// `[[cohort]]`: the zones of a registry `cohort` year and when they joined.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CohortFile {
    year: i32,
    name: String,
    start: toml::value::Datetime,
    /// What the day their 累计 starts is called (试点开始日, 加入之日).
    start_name: String,
}

/// A stage of the programme, from its start to the next one's.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Stage {
    pub name: String,
    pub start: NaiveDate,
    pub title: Option<String>,
    /// 双高协同试点 / 双高协同: the programme in titles and text.
    pub programme: String,
    /// 试点高新区 / 高新区: the zones taking part, as the text calls them.
    pub zones_word: String,
    /// The brief's 抄送 in this stage, when it has its own.
    pub copy: Option<Vec<String>>,
}

/// The zones of one registry `cohort` year: when their 累计 starts.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Cohort {
    pub year: i32,
    /// 试点高新区 / 2027年加入的高新区.
    pub name: String,
    /// 累计值 counts from here; 立项日期 / 建成日期 before it draw T02.
    pub start: NaiveDate,
    /// 试点开始日 / 加入之日.
    pub start_name: String,
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
    /// The stages in order (one, 试点, when the file names none).
    pub stages: Vec<Stage>,
    /// The cohorts by year (one, from `pilot_start`, when the file names none).
    pub cohorts: Vec<Cohort>,
    pub review: ReviewSettings,
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
        let mut stages = file
            .stage
            .iter()
            .map(|s| {
                Ok(Stage {
                    name: s.name.clone(),
                    start: super::toml_date(&s.start)?,
                    title: s.title.clone(),
                    programme: s.programme.clone(),
                    zones_word: s.zones_word.clone(),
                    copy: s.copy.clone(),
                })
            })
            .collect::<Result<Vec<Stage>, String>>()?;
        if stages.is_empty() {
            stages.push(Stage {
                name: "试点阶段".into(),
                start: pilot_start,
                title: None,
                programme: "双高协同试点".into(),
                zones_word: "试点高新区".into(),
                copy: None,
            });
        }
        stages.sort_by_key(|s| s.start);
        let mut cohorts = file
            .cohort
            .iter()
            .map(|c| {
                Ok(Cohort {
                    year: c.year,
                    name: c.name.clone(),
                    start: super::toml_date(&c.start)?,
                    start_name: c.start_name.clone(),
                })
            })
            .collect::<Result<Vec<Cohort>, String>>()?;
        cohorts.sort_by_key(|c| c.start);
        if let Some(early) = cohorts.iter().find(|c| c.start < pilot_start) {
            return Err(format!(
                "[[cohort]] {} 的 start {} 早于 pilot_start {pilot_start}",
                early.year, early.start
            ));
        }
        let mut levels = file.review.levels.clone();
        levels.dedup();
        if levels.len() != file.review.levels.len() || !levels.is_sorted() {
            return Err(
                "[review] levels 应为 [\"city\"]、[\"city\", \"province\"]、[\"province\"] 或 []"
                    .into(),
            );
        }
        if stages.first().is_some_and(|s| s.start != pilot_start) {
            return Err(format!(
                "第一个 [[stage]] 的 start 应为 pilot_start {pilot_start}"
            ));
        }
        Ok(Calendar {
            pilot_start,
            first_period: file.first_period,
            days_after_quarter_end: file.deadline.days_after_quarter_end,
            overrides,
            feedback: file.feedback,
            stages,
            cohorts,
            review: file.review,
        })
    }

    /// The cohort of a registry `cohort` year: the one named so, else one
    /// that starts with the programme (the pilots) or on 1 January of the
    /// year (a later one).
    pub fn cohort(&self, year: i32) -> Cohort {
        if let Some(c) = self.cohorts.iter().find(|c| c.year == year) {
            return c.clone();
        }
        let start = NaiveDate::from_ymd_opt(year, 1, 1)
            .unwrap_or(self.pilot_start)
            .max(self.pilot_start);
        let pilots = start == self.pilot_start;
        Cohort {
            year,
            name: if pilots {
                "试点高新区".into()
            } else {
                format!("{year}年加入的高新区")
            },
            start,
            start_name: if pilots {
                "试点开始日".into()
            } else {
                "加入之日".into()
            },
        }
    }

    /// The stage a quarter belongs to (the last one begun by its end).
    pub fn stage_at(&self, period: Period) -> &Stage {
        self.stages
            .iter()
            .rev()
            .find(|s| s.start <= period.end())
            .unwrap_or(&self.stages[0])
    }

    /// The first quarter a zone of `cohort` takes part in: the quarter of
    /// its cohort's start (the programme's first for the pilots). That quarter's flow is the zone's entry (its
    /// 累计值 since it joined), never a basis for comparison
    /// (docs/brief.md §2.3).
    pub fn entry_quarter(&self, cohort: i32) -> Period {
        Period::of_date(self.cohort(cohort).start).max(self.first_period)
    }

    /// The last day a return for `period` is on time.
    pub fn deadline(&self, period: Period) -> NaiveDate {
        self.overrides.get(&period).copied().unwrap_or_else(|| {
            period.end() + chrono::Days::new(u64::from(self.days_after_quarter_end))
        })
    }
}
