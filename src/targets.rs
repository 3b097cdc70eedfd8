//! Stage 4, targets: progress towards each 2027 target (docs/return-form.md
//! §8): value, progress, time elapsed, projection to the due date, the
//! pace needed per remaining quarter, and a status.

use serde::Serialize;

use crate::aggregate::{round4, Figures};
use crate::config::{Config, ScopeKind, Target, TargetKind};
use crate::model::{Basis, Period, Tone, ZoneCode};

/// Below this share of the target, a projection is 滞后 rather than 关注.
const WATCH_SHARE: f64 = 0.9;

/// Where a target applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Province,
    City(String),
    Zone { code: ZoneCode, name: String },
}

impl Scope {
    /// 全省, the city, or the zone's registry name.
    pub fn label_zh(&self) -> &str {
        match self {
            Scope::Province => "全省",
            Scope::City(city) => city,
            Scope::Zone { name, .. } => name,
        }
    }

    pub fn zone(&self) -> Option<&ZoneCode> {
        match self {
            Scope::Zone { code, .. } => Some(code),
            _ => None,
        }
    }
}

impl Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.label_zh())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum TargetStatus {
    #[serde(rename = "已达成")]
    Met,
    #[serde(rename = "正常")]
    OnTrack,
    #[serde(rename = "关注")]
    Watch,
    #[serde(rename = "滞后")]
    Behind,
}

impl TargetStatus {
    /// Every status, in the order a legend lists them.
    pub const ALL: [TargetStatus; 4] = [
        TargetStatus::Met,
        TargetStatus::OnTrack,
        TargetStatus::Watch,
        TargetStatus::Behind,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            TargetStatus::Met => "已达成",
            TargetStatus::OnTrack => "正常",
            TargetStatus::Watch => "关注",
            TargetStatus::Behind => "滞后",
        }
    }

    pub fn tone(self) -> Tone {
        match self {
            TargetStatus::Met => Tone::Done,
            TargetStatus::OnTrack => Tone::Good,
            TargetStatus::Watch => Tone::Warn,
            TargetStatus::Behind => Tone::Bad,
        }
    }
}

/// Progress towards one target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetProgress {
    pub id: String,
    pub name: String,
    pub scope: Scope,
    pub metric: String,
    pub unit: String,
    pub kind: TargetKind,
    pub due: Period,
    /// The current value (annual: the flow of the last four quarters).
    pub value: f64,
    pub target: f64,
    /// value / target.
    pub progress: f64,
    /// Share of the time from the pilot start to the due date that has passed.
    pub elapsed: f64,
    /// The value expected at the due date at the present pace.
    pub projection: f64,
    /// What must be added each remaining quarter to reach the target.
    pub needed_per_quarter: f64,
    pub quarters_left: i32,
    pub status: TargetStatus,
    /// Quarters of data the projection rests on.
    pub history: usize,
    /// The baseline is a sample value (示例基线), not an official figure.
    pub baseline_is_sample: bool,
    pub baseline: Option<f64>,
    pub source: String,
}

/// Progress of every configured target at `period`.
pub fn progress(config: &Config, figures: &Figures, period: Period) -> Vec<TargetProgress> {
    config
        .targets
        .target
        .iter()
        .map(|target| {
            let series: Vec<(Period, f64)> = figures
                .periods()
                .filter(|p| *p <= period)
                .filter_map(|p| value_at(config, figures, target, p).map(|v| (p, v)))
                .collect();
            evaluate(config, target, &series, period)
        })
        .collect()
}

/// The registry zones a target covers.
fn zones_of<'c>(config: &'c Config, target: &Target) -> Vec<&'c crate::config::Zone> {
    let zone = target
        .zone
        .as_deref()
        .and_then(|z| config.registry.zone_by_text(z));
    config
        .registry
        .zones
        .iter()
        .filter(|z| match target.scope {
            ScopeKind::Province => true,
            ScopeKind::City => Some(&z.city) == target.city.as_ref(),
            ScopeKind::Zone => zone.is_some_and(|x| x.code == z.code),
        })
        .collect()
}

/// The metric's value for the target's scope in one quarter; `None` when the
/// scope has no data then (a zone not yet reporting).
fn value_at(config: &Config, figures: &Figures, target: &Target, p: Period) -> Option<f64> {
    let with_data: Vec<&crate::config::Zone> = zones_of(config, target)
        .into_iter()
        .filter(|z| figures.basis(p, &z.code).0 != Basis::NoData)
        .collect();
    if with_data.is_empty() {
        return None;
    }
    let value = if target.metric == "zones_reporting" {
        with_data.len() as f64
    } else if let Some(category) = target.metric.strip_prefix("projects:") {
        with_data
            .iter()
            .map(|z| figures.projects_in(p, &z.code, category) as f64)
            .sum()
    } else {
        match target.scope {
            ScopeKind::Province => figures.province(p, &target.metric),
            ScopeKind::City => figures.city(
                p,
                target.city.as_deref().unwrap_or_default(),
                &target.metric,
            ),
            ScopeKind::Zone => with_data
                .iter()
                .map(|z| figures.zone(p, &z.code, &target.metric))
                .sum(),
        }
    };
    Some(round4(value))
}

/// The time frame of a target at a quarter.
struct Clock {
    /// Share of the pilot-start-to-due-date days that have passed.
    elapsed: f64,
    quarters_left: i32,
    /// Quarters since the pilot began, at a quarter's end (x of the fits).
    first: Period,
}

impl Clock {
    fn new(config: &Config, due: Period, period: Period) -> Clock {
        let start = config.calendar.pilot_start;
        // Whole days, counting the last day of each quarter.
        let total_days = ((due.end() - start).num_days() + 1).max(1) as f64;
        let elapsed = (((period.end() - start).num_days() + 1) as f64 / total_days).clamp(0.0, 1.0);
        Clock {
            elapsed,
            quarters_left: period.quarters_until(due).max(0),
            first: config.calendar.first_period,
        }
    }

    fn x(&self, p: Period) -> f64 {
        f64::from(self.first.quarters_until(p) + 1)
    }
}

/// Evaluates a target on its quarterly series (values at quarter ends).
pub fn evaluate(
    config: &Config,
    target: &Target,
    series: &[(Period, f64)],
    period: Period,
) -> TargetProgress {
    let clock = Clock::new(config, target.due, period);
    let goal = target.goal();
    let (value, projection, needed) = match target.kind {
        TargetKind::Cumulative => cumulative(&clock, goal, series, target.due),
        TargetKind::Annual => annual(&clock, goal, series, target.due, period),
    };
    TargetProgress {
        id: target.id.clone(),
        name: target.name.clone(),
        scope: scope(config, target),
        metric: target.metric.clone(),
        unit: unit(config, &target.metric),
        kind: target.kind,
        due: target.due,
        value: round4(value),
        target: round4(goal),
        progress: if goal > 0.0 { value / goal } else { 1.0 },
        elapsed: clock.elapsed,
        projection: round4(projection),
        needed_per_quarter: round4(needed),
        quarters_left: clock.quarters_left,
        status: status(value, projection, goal),
        history: series.len(),
        baseline_is_sample: target.baseline_is_sample,
        baseline: target.baseline,
        source: target.source.clone(),
    }
}

/// A cumulative target: (value, projection, needed per quarter). The
/// projection follows the least-squares line through the quarter-end values
/// (with one quarter, in proportion to time), never below the value.
fn cumulative(clock: &Clock, goal: f64, series: &[(Period, f64)], due: Period) -> (f64, f64, f64) {
    let value = series.last().map_or(0.0, |s| s.1);
    let projection = match series {
        [] => 0.0,
        [(_, v)] if clock.elapsed > 0.0 => v / clock.elapsed,
        [(_, v)] => *v,
        _ => {
            let points: Vec<(f64, f64)> = series.iter().map(|(p, v)| (clock.x(*p), *v)).collect();
            let (a, b) = least_squares(&points);
            (a + b * clock.x(due)).max(value)
        }
    };
    let needed = (goal - value).max(0.0) / f64::from(clock.quarters_left.max(1));
    (value, projection, needed)
}

/// An annual target: the flow over the four quarters ending at `period`,
/// the flow expected over the four quarters ending at `due`, and what each
/// remaining quarter of the final year must bring.
fn annual(
    clock: &Clock,
    goal: f64,
    series: &[(Period, f64)],
    due: Period,
    period: Period,
) -> (f64, f64, f64) {
    // Quarterly flows from the cumulative series (0 before the pilot).
    let flows: Vec<(Period, f64)> = series
        .iter()
        .enumerate()
        .map(|(i, (p, v))| {
            let before = if i == 0 { 0.0 } else { series[i - 1].1 };
            (*p, v - before)
        })
        .collect();
    let window = |end: Period| -> f64 {
        flows
            .iter()
            .filter(|(p, _)| p.quarters_until(end) < 4 && *p <= end)
            .map(|f| f.1)
            .sum()
    };
    let value = window(period);
    let projected_flow = |q: Period| -> f64 {
        match flows.as_slice() {
            [] => 0.0,
            [(_, f)] => *f,
            _ => {
                let points: Vec<(f64, f64)> =
                    flows.iter().map(|(p, f)| (clock.x(*p), *f)).collect();
                let (a, b) = least_squares(&points);
                (a + b * clock.x(q)).max(0.0)
            }
        }
    };
    let mut projection = 0.0;
    let mut q = due;
    for _ in 0..4 {
        projection += if q <= period {
            flows.iter().find(|f| f.0 == q).map_or(0.0, |f| f.1)
        } else {
            projected_flow(q)
        };
        q = q.prev();
    }
    // The final year's quarters still to come must bring what is missing.
    let in_window_so_far = if clock.quarters_left < 4 {
        window(period) - window(due.prev().prev().prev().prev())
    } else {
        0.0
    };
    let remaining = clock.quarters_left.clamp(1, 4);
    let needed = (goal - in_window_so_far).max(0.0) / f64::from(remaining);
    (value, projection, needed)
}

/// 已达成 once reached; else by the projection: 正常 when it reaches the
/// goal, 关注 when it comes within [`WATCH_SHARE`], 滞后 below.
fn status(value: f64, projection: f64, goal: f64) -> TargetStatus {
    if value >= goal {
        TargetStatus::Met
    } else if projection >= goal {
        TargetStatus::OnTrack
    } else if projection >= WATCH_SHARE * goal {
        TargetStatus::Watch
    } else {
        TargetStatus::Behind
    }
}

fn scope(config: &Config, target: &Target) -> Scope {
    match target.scope {
        ScopeKind::Province => Scope::Province,
        ScopeKind::City => Scope::City(target.city.clone().unwrap_or_default()),
        ScopeKind::Zone => {
            let text = target.zone.as_deref().unwrap_or_default();
            match config.registry.zone_by_text(text) {
                Some(z) => Scope::Zone {
                    code: z.code.clone(),
                    name: z.name.clone(),
                },
                // The configuration check refuses unknown zones.
                None => Scope::City(text.to_string()),
            }
        }
    }
}

/// The unit of a target's metric.
fn unit(config: &Config, metric: &str) -> String {
    if metric == "zones_reporting" {
        "家".to_string()
    } else if metric.starts_with("projects:") {
        "个".to_string()
    } else {
        config
            .indicators
            .get(metric)
            .map(|i| i.unit.clone())
            .unwrap_or_default()
    }
}

/// The straight line through `series` (quarter-end values), continued
/// quarter by quarter after the last one up to `due`.
pub fn project_line(series: &[(Period, f64)], first: Period, due: Period) -> Vec<(Period, f64)> {
    let Some(&(last, last_value)) = series.last() else {
        return Vec::new();
    };
    let x = |p: Period| f64::from(first.quarters_until(p) + 1);
    let points: Vec<(f64, f64)> = series.iter().map(|(p, v)| (x(*p), *v)).collect();
    let (a, b) = if points.len() >= 2 {
        least_squares(&points)
    } else {
        // One quarter: proportional to time, as for the targets.
        (0.0, last_value / x(last))
    };
    let mut out = vec![(last, last_value)];
    let mut q = last;
    while q < due {
        q = q.next();
        out.push((q, round4((a + b * x(q)).max(last_value))));
    }
    out
}

/// Ordinary least squares: y = a + b·x.
fn least_squares(points: &[(f64, f64)]) -> (f64, f64) {
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let b = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    (my - b * mx, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config() -> Config {
        Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/config")).unwrap()
    }

    fn target(config: &Config, id: &str) -> Target {
        config
            .targets
            .target
            .iter()
            .find(|t| t.id == id)
            .unwrap()
            .clone()
    }

    fn q(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    #[test]
    fn least_squares_fits_a_line() {
        let (a, b) = least_squares(&[(1.0, 3.0), (2.0, 5.0), (3.0, 7.0)]);
        assert!((a - 1.0).abs() < 1e-9 && (b - 2.0).abs() < 1e-9);
    }

    #[test]
    fn cumulative_target_projects_along_the_line() {
        let config = config();
        let t = target(&config, "province-platforms"); // ≥ 80 by 2027Q4
        let series = [
            (q("2025Q3"), 30.0),
            (q("2025Q4"), 58.0),
            (q("2026Q1"), 63.0),
        ];
        let p = evaluate(&config, &t, &series, q("2026Q1"));
        assert_eq!(p.value, 63.0);
        assert_eq!(p.target, 80.0);
        assert!((p.progress - 63.0 / 80.0).abs() < 1e-9);
        // x = 1, 2, 3 → slope 16.5, intercept 17.33 → at x = 10: 182.33.
        assert!((p.projection - 182.3333).abs() < 1e-3, "{}", p.projection);
        assert_eq!(p.status, TargetStatus::OnTrack);
        assert_eq!(p.quarters_left, 7);
        assert!((p.needed_per_quarter - 17.0 / 7.0).abs() < 1e-3);
        // 2025-07-01 → 2026-03-31 is 274 of the 914 days to 2027-12-31.
        assert!((p.elapsed - 274.0 / 914.0).abs() < 1e-9);
    }

    #[test]
    fn one_quarter_of_history_projects_in_proportion_to_time() {
        let config = config();
        let t = target(&config, "xuzhou-platforms"); // ≥ 18
        let p = evaluate(&config, &t, &[(q("2025Q3"), 2.0)], q("2025Q3"));
        let elapsed = 92.0 / 914.0;
        assert!((p.projection - 2.0 / elapsed).abs() < 1e-3);
        assert_eq!(p.status, TargetStatus::OnTrack);
        assert_eq!(p.history, 1);
    }

    #[test]
    fn met_watch_and_behind() {
        let config = config();
        let t = target(&config, "xuzhou-platforms");
        let met = evaluate(
            &config,
            &t,
            &[(q("2025Q3"), 10.0), (q("2025Q4"), 19.0)],
            q("2025Q4"),
        );
        assert_eq!(met.status, TargetStatus::Met);
        assert_eq!(met.needed_per_quarter, 0.0);
        // Flat at 17 → projection 17 ≥ 90 % of 18 → 关注.
        let watch = evaluate(
            &config,
            &t,
            &[(q("2025Q3"), 17.0), (q("2025Q4"), 17.0)],
            q("2025Q4"),
        );
        assert_eq!(watch.status, TargetStatus::Watch);
        let behind = evaluate(
            &config,
            &t,
            &[(q("2025Q3"), 2.0), (q("2025Q4"), 2.0)],
            q("2025Q4"),
        );
        assert_eq!(behind.status, TargetStatus::Behind);
    }

    #[test]
    fn annual_target_uses_the_last_four_quarters() {
        let config = config();
        let t = target(&config, "province-patents"); // 2 × 150 = 300 a year
        assert!(t.baseline_is_sample);
        let series = [
            (q("2025Q3"), 70.0),
            (q("2025Q4"), 140.0),
            (q("2026Q1"), 210.0),
            (q("2026Q2"), 280.0),
            (q("2026Q3"), 350.0),
        ];
        let p = evaluate(&config, &t, &series, q("2026Q3"));
        assert_eq!(p.target, 300.0);
        assert_eq!(p.value, 280.0, "2025Q4..2026Q3 flows");
        assert_eq!(p.projection, 280.0, "a flat 70 a quarter");
        assert_eq!(p.status, TargetStatus::Watch);
        assert!(p.baseline_is_sample);
        assert_eq!(p.needed_per_quarter, 75.0);
    }
}
