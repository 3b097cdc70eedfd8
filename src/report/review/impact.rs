//! What a value at stake could change: the share of the province total it
//! moves away from the expected value, and whether taking the expected
//! value instead would change a target's status or the zone's rank.

use crate::config::{Config, TargetKind};
use crate::model::ZoneCode;
use crate::targets::{status_of, Scope, TargetProgress};

/// The value's deviation from what was expected, and its weight.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Impact {
    /// |value − expected| / province total, at most 1.
    pub share: f64,
    /// The targets whose status could change (their names), and whether
    /// the zone's rank could.
    pub targets: Vec<String>,
    pub rank: bool,
    /// share × (1 + target_flip + rank_flip as they apply).
    pub weight: f64,
}

/// Where the value sits: its zone and city, and the indicator it is of.
pub(super) struct At<'a> {
    pub zone: &'a ZoneCode,
    pub city: &'a str,
    /// The indicator code (`None` for a list total, which no target or
    /// ranking uses).
    pub code: Option<&'a str>,
}

pub(super) fn impact(
    config: &Config,
    at: &At,
    deviation: f64,
    total: f64,
    targets: &[TargetProgress],
    rank: bool,
) -> Impact {
    let share = if total > 0.0 {
        (deviation.abs() / total).min(1.0)
    } else {
        0.0
    };
    let flipped: Vec<String> = at
        .code
        .map(|code| {
            targets
                .iter()
                .filter(|t| t.metric == code && covers(&t.scope, at))
                .filter(|t| flips(t, deviation))
                .map(|t| format!("{}·{}", t.scope.label_zh(), t.name))
                .collect()
        })
        .unwrap_or_default();
    let s = &config.review.impact;
    let mut factor = 1.0;
    if !flipped.is_empty() {
        factor += s.target_flip;
    }
    if rank {
        factor += s.rank_flip;
    }
    Impact {
        share,
        targets: flipped,
        rank,
        weight: share * factor,
    }
}

fn covers(scope: &Scope, at: &At) -> bool {
    match scope {
        Scope::Province => true,
        Scope::City(city) => city.as_str() == at.city,
        Scope::Zone { code, .. } => code == at.zone,
    }
}

/// Whether the target's status differs once the value is the expected one:
/// to first order, the target's value and projection move by the deviation
/// and the pace stays (docs/review.md).
fn flips(t: &TargetProgress, deviation: f64) -> bool {
    let value = t.value - deviation;
    let projection = (t.projection - deviation).max(value.max(0.0));
    let met = match t.kind {
        TargetKind::Cumulative => value >= t.target,
        // An annual target is met only once its due year is over.
        TargetKind::Annual => t.status == crate::targets::TargetStatus::Met && value >= t.target,
        // A count of zones taking part: no zone's value moves it.
        TargetKind::Milestone => return false,
    };
    status_of(met, projection, t.target) != t.status
}

/// Whether another zone's value lies between the value and the expected
/// one, so that the expected value would change the zone's rank.
pub(super) fn rank_changes(value: f64, expected: f64, others: &[f64]) -> bool {
    let (lo, hi) = if value < expected {
        (value, expected)
    } else {
        (expected, value)
    };
    others.iter().any(|v| *v > lo && *v < hi)
}
