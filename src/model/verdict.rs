//! What happened to a submitted file.

use serde::Serialize;

use super::Tone;

/// What happened to one submitted file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 通过: accepted, no warnings.
    Passed,
    /// 有警告: accepted; warnings to explain.
    Warnings,
    /// 退回修改: an error; not used this quarter.
    SentBack,
    /// 已被取代: a later file for the same zone and quarter won (F02).
    Superseded,
    /// 待审核: passed the checks, not yet approved by every review level,
    /// and calendar.toml `[review] count_only_approved` counts only approved
    /// returns; not used this quarter until it is approved.
    AwaitingReview,
}

impl Verdict {
    /// Every verdict, in the order a legend lists them.
    pub const ALL: [Verdict; 4] = [
        Verdict::Passed,
        Verdict::Warnings,
        Verdict::SentBack,
        Verdict::Superseded,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            Verdict::Passed => "通过",
            Verdict::Warnings => "有警告",
            Verdict::SentBack => "退回修改",
            Verdict::Superseded => "已被取代",
            Verdict::AwaitingReview => "待审核",
        }
    }

    pub fn tone(self) -> Tone {
        match self {
            Verdict::Passed => Tone::Good,
            Verdict::Warnings => Tone::Warn,
            Verdict::SentBack => Tone::Bad,
            Verdict::Superseded | Verdict::AwaitingReview => Tone::Grey,
        }
    }

    /// Passed the checks (counted, or waiting for its review to count).
    pub fn passed_checks(self) -> bool {
        self.is_accepted() || self == Verdict::AwaitingReview
    }

    pub fn is_accepted(self) -> bool {
        matches!(self, Verdict::Passed | Verdict::Warnings)
    }
}
