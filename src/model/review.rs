//! Review by level: a return that passed the checks (no errors, every
//! warning explained) waits for 审核通过 or 退回 by its city's reviewers
//! and, when the province reviews too, by the province's (calendar.toml
//! `[review]`). Decisions are kept beside the return
//! (`ingest::decisions`), so the pipeline reads them as it reads the file.
//!
//! [`ReviewState::after`] is the table of docs/review-workflow.md: the
//! portal asks it before it records a decision, and the pipeline folds the
//! recorded decisions through it ([`follow`]), so both always agree.

use serde::{Deserialize, Serialize};

use super::Tone;

/// Who reviews: the 设区市科技局 of the zone's city, or the 省科技厅.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    City,
    Province,
}

impl Level {
    /// 设区市 / 省级.
    pub fn label_zh(self) -> &'static str {
        match self {
            Level::City => "设区市",
            Level::Province => "省级",
        }
    }

    /// The office reviewing at this level for a zone of `city`: 无锡市科技局,
    /// 省科技厅.
    pub fn office_zh(self, city: &str) -> String {
        match self {
            Level::City => format!("{city}科技局"),
            Level::Province => "省科技厅".into(),
        }
    }
}

/// What a reviewer does with a return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// 审核通过.
    Approve,
    /// 退回 with a comment: the zone corrects and uploads again.
    Return,
    /// 重新开放 an approved return (it was locked for the zone).
    Reopen,
}

impl Action {
    pub const ALL: [Action; 3] = [Action::Approve, Action::Return, Action::Reopen];

    pub fn label_zh(self) -> &'static str {
        match self {
            Action::Approve => "审核通过",
            Action::Return => "退回",
            Action::Reopen => "重新开放",
        }
    }

    /// As the API and forms write it: approve, return, reopen.
    pub fn column(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Return => "return",
            Action::Reopen => "reopen",
        }
    }

    pub fn parse(text: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.column() == text)
    }
}

/// One decision as kept beside the return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Unique, so that a write interrupted by a crash can tell whether it
    /// reached the folder.
    pub id: String,
    /// The level it was taken for (the province may act for a city).
    pub level: Level,
    pub action: Action,
    #[serde(default)]
    pub comment: String,
    /// Who (user name and the office, for people).
    pub by: String,
    /// When, `YYYY-MM-DD HH:MM:SS` local time.
    pub at: String,
    /// The file's SHA-256 when decided: a decision about other bytes (a
    /// file replaced under the same name) does not count.
    pub sha256: String,
}

/// Where a return that passed the checks stands in its review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ReviewState {
    /// 待说明: a warning is not explained yet; the zone explains first.
    Unexplained,
    /// 已报送待审: waiting for this level's decision.
    Awaiting(Level),
    /// 审核通过 by every level: locked for the zone.
    Approved,
    /// 退回修改 by this level's reviewer: the zone corrects and uploads.
    Returned(Level),
}

/// Why a decision cannot be taken now, in a sentence for the reviewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

impl ReviewState {
    /// Where a return that passed the checks starts (`None`: no review).
    pub fn start(levels: &[Level], unexplained: bool) -> Option<ReviewState> {
        let first = *levels.first()?;
        Some(if unexplained {
            ReviewState::Unexplained
        } else {
            ReviewState::Awaiting(first)
        })
    }

    /// The table (docs/review-workflow.md): the state after `action` taken
    /// at `level`, or why it cannot be taken.
    pub fn after(
        self,
        action: Action,
        level: Level,
        levels: &[Level],
    ) -> Result<ReviewState, Refused> {
        use Action::{Approve, Reopen, Return};
        use ReviewState::*;
        let refuse = |why: &str| Err(Refused(why.to_string()));
        if !levels.contains(&level) {
            return refuse("本级不参与审核");
        }
        match (self, action) {
            (Unexplained, Approve) => refuse("还有警告未填写情况说明，高新区说明后才能审核通过"),
            (Awaiting(waiting), Approve) if waiting == level => Ok(next_after(level, levels)),
            (Awaiting(waiting), Approve) => {
                Err(Refused(format!("现在等待{}审核", waiting.label_zh())))
            }
            (Unexplained | Awaiting(_), Return) => Ok(Returned(level)),
            (Unexplained | Awaiting(_), Reopen) => refuse("尚未审核通过，无需重新开放"),
            (Approved, Reopen) if Some(&level) == levels.last() => Ok(Awaiting(level)),
            (Approved, Reopen) => refuse("已由上级审核通过，只有上级可以重新开放"),
            (Approved, Approve | Return) => refuse("已审核通过并锁定；如需修改，请先重新开放"),
            (Returned(_), _) => refuse("已退回，等待高新区修改后重新报送"),
        }
    }

    /// A reviewer sent it back (R01).
    pub fn is_returned(self) -> bool {
        matches!(self, ReviewState::Returned(_))
    }

    /// The level whose decision is awaited, if any.
    pub fn awaiting(self) -> Option<Level> {
        match self {
            ReviewState::Awaiting(level) => Some(level),
            _ => None,
        }
    }

    /// The state's name in the one table: 待说明, 已报送待审, 审核通过, 退回修改.
    pub fn label_zh(self) -> &'static str {
        match self {
            ReviewState::Unexplained => "待说明",
            ReviewState::Awaiting(_) => "已报送待审",
            ReviewState::Approved => "审核通过",
            ReviewState::Returned(_) => "退回修改",
        }
    }

    /// With its level: 待无锡市科技局审核, 无锡市科技局退回.
    pub fn detail_zh(self, city: &str) -> String {
        match self {
            ReviewState::Unexplained => "待高新区说明警告".into(),
            ReviewState::Awaiting(level) => format!("待{}审核", level.office_zh(city)),
            ReviewState::Approved => "审核通过".into(),
            ReviewState::Returned(level) => format!("{}退回", level.office_zh(city)),
        }
    }

    pub fn tone(self) -> Tone {
        match self {
            ReviewState::Approved => Tone::Done,
            ReviewState::Awaiting(_) => Tone::Good,
            ReviewState::Unexplained => Tone::Warn,
            ReviewState::Returned(_) => Tone::Bad,
        }
    }
}

/// What follows a level's approval: the next level's review, or 审核通过.
fn next_after(level: Level, levels: &[Level]) -> ReviewState {
    levels
        .iter()
        .skip_while(|l| **l != level)
        .nth(1)
        .map_or(ReviewState::Approved, |next| ReviewState::Awaiting(*next))
}

/// The state of a return that passed the checks, after the decisions
/// recorded for these bytes (`sha256`), in order. A decision the table
/// refuses changes nothing (the portal never records one).
pub fn follow(
    levels: &[Level],
    decisions: &[Decision],
    sha256: &str,
    unexplained: bool,
) -> Option<ReviewState> {
    let mut state = ReviewState::start(levels, unexplained)?;
    for d in decisions.iter().filter(|d| d.sha256 == sha256) {
        if let Ok(next) = state.after(d.action, d.level, levels) {
            state = next;
        }
    }
    Some(state)
}

/// The decision that returned it, for its comment.
pub fn last_return<'d>(decisions: &'d [Decision], sha256: &str) -> Option<&'d Decision> {
    decisions
        .iter()
        .rev()
        .find(|d| d.sha256 == sha256 && d.action == Action::Return)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(level: Level, action: Action) -> Decision {
        Decision {
            id: String::new(),
            level,
            action,
            comment: String::new(),
            by: String::new(),
            at: String::new(),
            sha256: "a".into(),
        }
    }

    #[test]
    fn two_levels_approve_in_order() {
        let levels = [Level::City, Level::Province];
        let city = decision(Level::City, Action::Approve);
        let province = decision(Level::Province, Action::Approve);
        assert_eq!(
            follow(&levels, std::slice::from_ref(&city), "a", false),
            Some(ReviewState::Awaiting(Level::Province))
        );
        assert_eq!(
            follow(&levels, &[city, province.clone()], "a", false),
            Some(ReviewState::Approved)
        );
        // The province cannot approve before the city.
        assert_eq!(
            follow(&levels, &[province], "a", false),
            Some(ReviewState::Awaiting(Level::City))
        );
        // Decisions about other bytes do not count.
        assert_eq!(
            follow(
                &levels,
                &[decision(Level::City, Action::Approve)],
                "b",
                false
            ),
            Some(ReviewState::Awaiting(Level::City))
        );
        assert_eq!(follow(&[], &[], "a", false), None);
    }
}
