//! A zone's quarter as the portal shows it: the one table of
//! docs/review-workflow.md (未报送, 退回修改, 待说明, 已报送待审, 审核通过;
//! 已报送 without review), computed by the pipeline's own functions
//! (`report::counted_and_shown`, `report::status_and_reason`,
//! `report::QuarterState::of`) from the quarter's check, so the portal,
//! `status`, the 报送情况 sheet and the brief agree; and 逾期 on top once
//! the deadline has passed with something still owed by the zone.

use chrono::NaiveDate;

use crate::config::Config;
use crate::model::{ReviewState, Tone, Verdict};
use crate::report::{counted_and_shown, status_and_reason, QuarterState};
use crate::validate::{PeriodCheck, Submission};

/// A zone's quarter: its state, the file that counts, the deadline.
#[derive(Debug, Clone)]
pub struct ZoneQuarter<'c> {
    pub deadline: NaiveDate,
    pub state: QuarterState,
    /// The deadline passed and the zone still owes a return or an
    /// explanation.
    pub overdue: bool,
    /// The file that passed the checks (counted, or waiting for review).
    pub counted: Option<&'c Submission>,
    /// The file the state is about (the counted one, else the latest sent
    /// back).
    pub shown: Option<&'c Submission>,
    pub review: Option<ReviewState>,
    pub city: String,
}

impl<'c> ZoneQuarter<'c> {
    pub fn of(
        config: &Config,
        check: &'c PeriodCheck,
        zone: &str,
        today: NaiveDate,
    ) -> ZoneQuarter<'c> {
        let period = check.period;
        let live: Vec<&Submission> = check
            .submissions
            .iter()
            .filter(|s| s.zone.as_deref() == Some(zone) && s.verdict != Verdict::Superseded)
            .collect();
        let (counted, shown) = counted_and_shown(&live);
        let fill_date = shown
            .and_then(|s| s.ret.as_ref())
            .and_then(|r| r.fill_date());
        let (status, _) = status_and_reason(config, period, counted, shown, fill_date);
        let review = shown.and_then(|s| s.review);
        let state = QuarterState::of(status, review);
        let deadline = config.calendar.deadline(period);
        ZoneQuarter {
            deadline,
            state,
            overdue: today > deadline && state.zone_owes(),
            counted,
            shown,
            review,
            city: config
                .registry
                .zone(zone)
                .map(|z| z.city.clone())
                .unwrap_or_default(),
        }
    }

    /// The state's label, with 逾期 on top: `退回修改（逾期）`.
    pub fn label_zh(&self) -> String {
        if self.overdue {
            format!("{}（逾期）", self.state.label_zh())
        } else {
            self.state.label_zh().to_string()
        }
    }

    pub fn tone(&self) -> Tone {
        if self.overdue {
            Tone::Bad
        } else {
            self.state.tone()
        }
    }

    /// With the review's level: 已报送待审（待无锡市科技局审核）.
    pub fn detail_zh(&self) -> String {
        match self.review {
            Some(r @ ReviewState::Awaiting(_)) => {
                format!("{}（{}）", self.label_zh(), r.detail_zh(&self.city))
            }
            _ => self.label_zh(),
        }
    }

    /// The comment of the reviewer who sent the shown file back.
    pub fn return_comment(&self) -> Option<&str> {
        let shown = self.shown?;
        crate::model::review::last_return(&shown.decisions, &shown.source.sha256)
            .map(|d| d.comment.as_str())
    }

    /// The zone may not upload: its return is approved and locked.
    pub fn locked(&self) -> bool {
        self.state == QuarterState::Approved
    }

    /// What happens next and by when, in a sentence for the clerk.
    pub fn next_step(&self, today: NaiveDate) -> String {
        let days = (self.deadline - today).num_days();
        let by = format!("截止日 {}（{}）", self.deadline, days_text(days));
        let late = if self.overdue {
            format!("已过截止日 {}。", self.deadline)
        } else {
            String::new()
        };
        let office = |level: crate::model::Level| level.office_zh(&self.city);
        match (self.state, self.review) {
            (QuarterState::Missing, _) if self.overdue => {
                format!("{late}尚未收到本区报表。请尽快上传。")
            }
            (QuarterState::Missing, _) => format!(
                "请下载本季度报表模板，填好后上传；上传后一秒内即可看到校验结果。{by}"
            ),
            (QuarterState::SentBack, Some(ReviewState::Returned(level))) => format!(
                "{late}本期报表被{}审核退回，本期数据未被采用。请按上面的审核意见修改后重新上传。{}",
                office(level),
                if self.overdue { String::new() } else { by }
            ),
            (QuarterState::SentBack, _) if self.overdue => format!(
                "{late}上传的报表仍有错误，本期数据未被采用。请尽快修改后重新上传。"
            ),
            (QuarterState::SentBack, _) => format!(
                "最近上传的报表有错误，本期数据未被采用。请按校验结果修改后重新上传。{by}"
            ),
            (QuarterState::Unexplained, _) => format!(
                "{late}本期报表已通过校验，还有警告待说明。请在校验结果页逐项填写情况说明，说明后即送审核。{}",
                if self.overdue { String::new() } else { by }
            ),
            (QuarterState::Awaiting, Some(ReviewState::Awaiting(level))) => format!(
                "本期报表已通过校验，正在等待{}审核。审核通过前如需更正，可重新上传，以最后一次为准。",
                office(level)
            ),
            (QuarterState::Approved, _) => {
                "本期报表已审核通过并锁定。如需更正，请联系审核单位重新开放。".into()
            }
            _ => {
                "本期报表已采用。若有警告，请在校验结果页填写情况说明；如需更正，可重新上传，以最后一次为准。省科技厅将汇总各区报表，发布季度报告。".into()
            }
        }
    }
}

fn days_text(days: i64) -> String {
    match days {
        0 => "今天截止".into(),
        d if d > 0 => format!("还有 {d} 天"),
        d => format!("已过 {} 天", -d),
    }
}
