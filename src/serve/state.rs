//! A zone's quarter as the portal shows it: 未报送 / 已报送 / 退回修改, and
//! 逾期 on top once the deadline has passed without an accepted return.
//!
//! One enum, so the review by city and province (the next step) adds its
//! states here (已报送待审, 审核通过) and every page follows; docs/api.md
//! has the table.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Period, Tone};
use crate::validate::{PeriodCheck, Submission};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ZoneState {
    /// No file this quarter, deadline not passed.
    #[serde(rename = "未报送")]
    Missing,
    /// A return was accepted (通过 or 有警告).
    #[serde(rename = "已报送")]
    Submitted,
    /// Files came, none accepted (errors): correct and upload again.
    #[serde(rename = "退回修改")]
    SentBack,
    /// The deadline passed without an accepted return.
    #[serde(rename = "逾期")]
    Overdue,
}

impl ZoneState {
    pub fn label_zh(self) -> &'static str {
        match self {
            ZoneState::Missing => "未报送",
            ZoneState::Submitted => "已报送",
            ZoneState::SentBack => "退回修改",
            ZoneState::Overdue => "逾期",
        }
    }

    pub fn tone(self) -> Tone {
        match self {
            ZoneState::Submitted => Tone::Good,
            ZoneState::Missing => Tone::Grey,
            ZoneState::SentBack | ZoneState::Overdue => Tone::Bad,
        }
    }
}

/// A zone's quarter: its state, the accepted file, the deadline.
#[derive(Debug, Clone)]
pub struct ZoneQuarter<'c> {
    pub period: Period,
    pub deadline: NaiveDate,
    pub state: ZoneState,
    /// The accepted file, if any.
    pub accepted: Option<&'c Submission>,
    /// Whether any file came (an overdue zone may have sent one back).
    pub any_file: bool,
}

impl<'c> ZoneQuarter<'c> {
    pub fn of(
        check: &'c PeriodCheck,
        zone: &str,
        deadline: NaiveDate,
        today: NaiveDate,
    ) -> ZoneQuarter<'c> {
        let files: Vec<&Submission> = check
            .submissions
            .iter()
            .filter(|s| s.zone.as_deref() == Some(zone))
            .collect();
        let accepted = files.iter().copied().find(|s| s.verdict.is_accepted());
        let state = match (accepted, files.is_empty()) {
            (Some(_), _) => ZoneState::Submitted,
            (None, _) if today > deadline => ZoneState::Overdue,
            (None, false) => ZoneState::SentBack,
            (None, true) => ZoneState::Missing,
        };
        ZoneQuarter {
            period: check.period,
            deadline,
            state,
            accepted,
            any_file: !files.is_empty(),
        }
    }

    /// What happens next and by when, in a sentence for the clerk.
    pub fn next_step(&self, today: NaiveDate) -> String {
        let days = (self.deadline - today).num_days();
        let by = format!("截止日 {}（{}）", self.deadline, days_text(days));
        match self.state {
            ZoneState::Missing => format!(
                "请下载本季度报表模板，填好后上传；上传后一秒内即可看到审核结果。{by}"
            ),
            ZoneState::SentBack => format!(
                "最近上传的报表有错误，本期数据未被采用。请按审核结果修改后重新上传。{by}"
            ),
            ZoneState::Overdue if self.any_file => format!(
                "已过截止日 {}，上传的报表仍有错误，本期数据未被采用。请尽快修改后重新上传。",
                self.deadline
            ),
            ZoneState::Overdue => format!(
                "已过截止日 {}，尚未收到本区报表。请尽快上传。",
                self.deadline
            ),
            ZoneState::Submitted => {
                "本期报表已采用。若有警告，请在审核结果页填写情况说明；如需更正，可重新上传，以最后一次为准。省科技厅将汇总各区报表，发布季度报告。".into()
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
