//! 趋势: the province totals quarter by quarter, and the key indicators'
//! projections to the targets' due date.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Basis, Quarter};
use crate::config::{Config, Role, ScopeKind};
use crate::model::Period;

/// Province totals of one quarter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendRow {
    pub period: Period,
    pub figures: BTreeMap<String, f64>,
    pub zones_fresh: usize,
    pub zones_carried: usize,
}

/// A key indicator's province series with its projection to the targets'
/// due date (for the trend chart).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Projection {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub actual: Vec<(Period, f64)>,
    /// From the last actual quarter to the due date, at the recent pace
    /// (`targets::project_line`, the method of the targets).
    pub projected: Vec<(Period, f64)>,
    /// Quarters of data the projection rests on (as for the targets: the
    /// latest quarterly flows, at most `[projection] recent_quarters`, whose
    /// median is the pace).
    pub history: usize,
    /// How the line was projected, to print with the chart, e.g.
    /// `按最近4个季度新增的中位数推算`.
    pub method_zh: String,
    /// The province target on this indicator, if any.
    pub target: Option<f64>,
}

/// Every quarter aggregated, in order.
pub(super) fn trend(q: &Quarter) -> Vec<TrendRow> {
    q.figures
        .periods()
        .map(|p| {
            let count = |want: Basis| {
                q.config
                    .registry
                    .zones
                    .iter()
                    .filter(|z| q.basis(&z.code, p).0 == want)
                    .count()
            };
            TrendRow {
                period: p,
                figures: q
                    .codes()
                    .map(|code| (code.to_string(), q.figures.province(p, code)))
                    .collect(),
                zones_fresh: count(Basis::Fresh),
                zones_carried: count(Basis::Carried),
            }
        })
        .collect()
}

/// The latest due date of the targets (the quarter itself without targets).
pub(super) fn horizon(config: &Config, period: Period) -> Period {
    config
        .targets
        .target
        .iter()
        .map(|t| t.due)
        .max()
        .unwrap_or(period)
}

/// The `trend` indicators, projected to the [`horizon`].
pub(super) fn projections(q: &Quarter) -> Vec<Projection> {
    let targets = &q.config.targets.target;
    let due = horizon(q.config, q.period);
    q.config
        .indicators
        .with_role(Role::Trend)
        .map(|i| {
            let actual: Vec<(Period, f64)> = q
                .figures
                .periods()
                .map(|p| (p, q.figures.province(p, &i.code)))
                .collect();
            let recent = q.config.targets.projection.recent_quarters;
            let history = crate::targets::projection_history(actual.len(), recent);
            Projection {
                code: i.code.clone(),
                name: i.name.clone(),
                unit: i.unit.clone(),
                projected: crate::targets::project_line(
                    &actual,
                    &pace_flows(q, &i.code),
                    q.config.calendar.first_period,
                    (due, recent),
                ),
                history,
                method_zh: crate::targets::method_zh(history),
                actual,
                target: targets
                    .iter()
                    .find(|t| t.scope == ScopeKind::Province && t.metric == i.code)
                    .map(|t| t.goal()),
            }
        })
        .collect()
}

/// An indicator's province flows like for like (`targets::like_for_like`):
/// the pace of the projection fits the zones there are now.
fn pace_flows(q: &Quarter, code: &str) -> Vec<(Period, f64)> {
    let zones: Vec<&crate::config::Zone> = q.config.registry.zones.iter().collect();
    crate::targets::like_for_like(q.config, q.figures, &zones, q.period, |zone, p| {
        q.figures.zone(p, zone, code)
    })
}
