//! Where a zone's figures for a quarter come from (carry-forward, see
//! docs/return-form.md section 6.3).

use serde::Serialize;

use super::Tone;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Basis {
    /// 本期: an accepted return this quarter.
    #[serde(rename = "本期")]
    Fresh,
    /// 沿用上期: no accepted return this quarter; the last accepted figures.
    #[serde(rename = "沿用上期")]
    Carried,
    /// 无数据: never had an accepted return.
    #[serde(rename = "无数据")]
    NoData,
}

impl Basis {
    pub fn label_zh(self) -> &'static str {
        match self {
            Basis::Fresh => "本期",
            Basis::Carried => "沿用上期",
            Basis::NoData => "无数据",
        }
    }

    pub fn tone(self) -> Tone {
        match self {
            Basis::Fresh => Tone::Plain,
            Basis::Carried => Tone::Warn,
            Basis::NoData => Tone::Grey,
        }
    }

    /// The one rule of a measured flow (docs/brief.md §2.3): a zone's
    /// change in quarter `p` is the quarter's own, comparable with another
    /// quarter's, when its figures of `p` (basis `self`) and of the quarter
    /// before (`before`) both come from accepted returns of their own
    /// quarter, and `p` is after the zone's entry quarter `entry` (whose
    /// flow is everything the zone brought when it joined). Flows, their
    /// rates, the targets' pace and the review's own history all use it.
    pub fn measures_flow(self, before: Basis, p: super::Period, entry: super::Period) -> bool {
        self == Basis::Fresh && before == Basis::Fresh && p > entry
    }

    pub fn has_data(self) -> bool {
        self != Basis::NoData
    }
}
