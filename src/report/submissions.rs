//! 报送情况: every registry zone's reporting this quarter, whether or not it
//! sent anything.

use serde::Serialize;

use super::findings::needs_explanation;
use super::{Basis, Quarter};
use crate::model::{CellChange, Period, ReviewState, Severity, Tone, Verdict, ZoneCode};
use crate::validate::Submission;

/// A zone's reporting this quarter, in the order staff chase them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ReportingStatus {
    #[serde(rename = "未报送")]
    Missing,
    #[serde(rename = "退回修改")]
    SentBack,
    #[serde(rename = "迟报")]
    Late,
    #[serde(rename = "已报送")]
    Reported,
}

impl ReportingStatus {
    /// Every status, in the order a legend lists them.
    pub const ALL: [ReportingStatus; 4] = [
        ReportingStatus::Reported,
        ReportingStatus::Late,
        ReportingStatus::SentBack,
        ReportingStatus::Missing,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            ReportingStatus::Missing => "未报送",
            ReportingStatus::SentBack => "退回修改",
            ReportingStatus::Late => "迟报",
            ReportingStatus::Reported => "已报送",
        }
    }

    pub fn tone(self) -> Tone {
        match self {
            ReportingStatus::Reported => Tone::Good,
            ReportingStatus::Late => Tone::Warn,
            ReportingStatus::SentBack => Tone::Bad,
            ReportingStatus::Missing => Tone::Grey,
        }
    }
}

/// A zone's quarter in the one table of docs/review-workflow.md: what
/// its reporting and its review come to, the same in the portal, `status`,
/// the 报送情况 sheet and the brief. (逾期, on top, depends on the day it
/// is read: the portal and `status` add it.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum QuarterState {
    #[serde(rename = "未报送")]
    Missing,
    /// Errors, or sent back by a reviewer (R01).
    #[serde(rename = "退回修改")]
    SentBack,
    /// Passed the checks; a warning is still to explain (review on).
    #[serde(rename = "待说明")]
    Unexplained,
    #[serde(rename = "已报送待审")]
    Awaiting,
    #[serde(rename = "审核通过")]
    Approved,
    /// Passed the checks, no review (calendar.toml `[review] levels = []`).
    #[serde(rename = "已报送")]
    Reported,
}

impl QuarterState {
    pub const ALL: [QuarterState; 6] = [
        QuarterState::Missing,
        QuarterState::SentBack,
        QuarterState::Unexplained,
        QuarterState::Awaiting,
        QuarterState::Approved,
        QuarterState::Reported,
    ];

    /// The state of a zone whose reporting is `status` and whose counted
    /// return's review is `review`.
    pub fn of(status: ReportingStatus, review: Option<ReviewState>) -> QuarterState {
        match (status, review) {
            (ReportingStatus::Missing, _) => QuarterState::Missing,
            (ReportingStatus::SentBack, _) | (_, Some(ReviewState::Returned(_))) => {
                QuarterState::SentBack
            }
            (_, None) => QuarterState::Reported,
            (_, Some(ReviewState::Unexplained)) => QuarterState::Unexplained,
            (_, Some(ReviewState::Awaiting(_))) => QuarterState::Awaiting,
            (_, Some(ReviewState::Approved)) => QuarterState::Approved,
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            QuarterState::Missing => "未报送",
            QuarterState::SentBack => "退回修改",
            QuarterState::Unexplained => "待说明",
            QuarterState::Awaiting => "已报送待审",
            QuarterState::Approved => "审核通过",
            QuarterState::Reported => "已报送",
        }
    }

    pub fn tone(self) -> Tone {
        match self {
            QuarterState::Approved => Tone::Done,
            QuarterState::Reported | QuarterState::Awaiting => Tone::Good,
            QuarterState::Unexplained => Tone::Warn,
            QuarterState::SentBack => Tone::Bad,
            QuarterState::Missing => Tone::Grey,
        }
    }

    /// Nothing accepted yet, or something left for the zone to do: 逾期
    /// once the deadline has passed.
    pub fn zone_owes(self) -> bool {
        matches!(
            self,
            QuarterState::Missing | QuarterState::SentBack | QuarterState::Unexplained
        )
    }
}

/// 报送情况 of one registry zone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubmissionStatus {
    #[serde(skip)]
    pub code: ZoneCode,
    pub zone: String,
    pub city: String,
    pub status: ReportingStatus,
    pub files: Vec<String>,
    pub fill_date: Option<chrono::NaiveDate>,
    pub errors: usize,
    pub warnings: usize,
    /// Warnings the return does not explain (待说明).
    pub unexplained: usize,
    /// Why it was sent back or late, in a sentence.
    pub reason: String,
    pub basis: Basis,
    /// The quarter the zone's figures come from (an earlier one when carried).
    pub source_period: Option<Period>,
    /// Cells a corrected file changed against the one it replaced.
    pub changes: Vec<CellChange>,
    /// The review of the return that passed the checks (`None`: none
    /// passed, or no level reviews).
    pub review: Option<ReviewState>,
    /// 未报送 … 审核通过: the one table's state.
    pub state: QuarterState,
    /// With its level: 待无锡市科技局审核 (empty when there is no review).
    pub review_detail: String,
}

impl SubmissionStatus {
    /// A reviewer sent its return back (R01).
    pub fn returned_by_review(&self) -> bool {
        self.review.is_some_and(ReviewState::is_returned)
    }
}

/// Every registry zone, in registry order.
pub(super) fn submissions(q: &Quarter) -> Vec<SubmissionStatus> {
    q.config
        .registry
        .zones
        .iter()
        .map(|z| status_of(q, z))
        .collect()
}

fn status_of(q: &Quarter, z: &crate::config::Zone) -> SubmissionStatus {
    let subs: Vec<&Submission> = q
        .check
        .submissions
        .iter()
        .filter(|s| s.zone.as_ref() == Some(&z.code))
        .collect();
    let live: Vec<&Submission> = subs
        .iter()
        .copied()
        .filter(|s| s.verdict != Verdict::Superseded)
        .collect();
    let (accepted, shown) = counted_and_shown(&live);
    let fill_date = shown
        .and_then(|s| s.ret.as_ref())
        .and_then(|r| r.fill_date());
    let (status, reason) = status_and_reason(q.config, q.period, accepted, shown, fill_date);
    // A return a reviewer sent back is shown (not accepted): its review
    // says by whom.
    let review = shown.and_then(|s| s.review);
    let (basis, source_period) = q.basis(&z.code, q.period);
    let reason = with_history(reason, &subs, basis, source_period);
    let unexplained = live
        .iter()
        .flat_map(|s| s.findings.iter().zip(&s.explanations))
        .filter(|(f, e)| needs_explanation(f) && e.is_none())
        .count();
    SubmissionStatus {
        code: z.code.clone(),
        zone: z.name.clone(),
        city: z.city.clone(),
        status,
        files: subs.iter().map(|s| s.source.name.clone()).collect(),
        fill_date,
        errors: live.iter().map(|s| s.count(Severity::Error)).sum(),
        warnings: live.iter().map(|s| s.count(Severity::Warning)).sum(),
        unexplained,
        reason,
        basis,
        source_period,
        changes: live
            .iter()
            .flat_map(|s| s.changes.iter().cloned())
            .collect(),
        review,
        state: QuarterState::of(status, review),
        review_detail: review.map(|r| r.detail_zh(&z.city)).unwrap_or_default(),
    }
}

/// Of a zone's files not superseded: the one that passed the checks (it
/// counts, or waits for its review to count), and the one its 报送情况
/// shows (that one, else the first sent back).
pub fn counted_and_shown<'s>(
    live: &[&'s Submission],
) -> (Option<&'s Submission>, Option<&'s Submission>) {
    let counted = live.iter().find(|s| s.verdict.passed_checks()).copied();
    (counted, counted.or(live.first().copied()))
}

/// Late when the accepted return is dated after the deadline; sent back
/// (with its errors) when no file was accepted; missing without a file.
pub fn status_and_reason(
    config: &crate::config::Config,
    period: Period,
    accepted: Option<&Submission>,
    shown: Option<&Submission>,
    fill_date: Option<chrono::NaiveDate>,
) -> (ReportingStatus, String) {
    let deadline = config.calendar.deadline(period);
    match (accepted, shown) {
        (Some(_), _) if fill_date.is_some_and(|d| d > deadline) => (
            ReportingStatus::Late,
            format!(
                "填报日期 {} 晚于截止日 {deadline}",
                fill_date.map(|d| d.to_string()).unwrap_or_default()
            ),
        ),
        (Some(_), _) => (ReportingStatus::Reported, String::new()),
        // The reviewer's R01, as the clerk reads it.
        (None, Some(s)) if s.returned_by_review() => {
            let said: Vec<String> = s
                .findings
                .iter()
                .filter(|f| f.rule == "R01")
                .filter_map(|f| f.message.clone())
                .collect();
            (ReportingStatus::SentBack, said.join("；"))
        }
        (None, Some(s)) => {
            let errors: Vec<String> = s
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| {
                    format!(
                        "{} {}（{}）",
                        f.rule,
                        config.rules.title(&f.rule),
                        f.place()
                    )
                })
                .collect();
            (
                ReportingStatus::SentBack,
                format!("有错误：{}", errors.join("；")),
            )
        }
        (None, None) => (ReportingStatus::Missing, "未收到本期报表".to_string()),
    }
}

/// Adds the files a correction replaced and the quarter carried forward.
fn with_history(
    mut reason: String,
    subs: &[&Submission],
    basis: Basis,
    source: Option<Period>,
) -> String {
    let superseded: Vec<&str> = subs
        .iter()
        .filter(|s| s.verdict == Verdict::Superseded)
        .map(|s| s.source.name.as_str())
        .collect();
    if !superseded.is_empty() {
        if !reason.is_empty() {
            reason.push('；');
        }
        reason.push_str(&format!("更正重报，已取代 {}", superseded.join("、")));
    }
    if basis == Basis::Carried {
        reason.push_str(&format!(
            "；本期沿用 {} 数据",
            source.map(|p| p.to_string()).unwrap_or_default()
        ));
    }
    reason.trim_start_matches('；').to_string()
}
