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
        }
    }

    pub fn tone(self) -> Tone {
        match self {
            Verdict::Passed => Tone::Good,
            Verdict::Warnings => Tone::Warn,
            Verdict::SentBack => Tone::Bad,
            Verdict::Superseded => Tone::Grey,
        }
    }

    pub fn is_accepted(self) -> bool {
        matches!(self, Verdict::Passed | Verdict::Warnings)
    }
}
