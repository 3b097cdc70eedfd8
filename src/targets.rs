//! Stage 4, targets: progress towards each 2027 target (spec section 5):
//! value, progress, time elapsed, projection to the due date, the pace
//! needed per remaining quarter, and a status.

use crate::aggregate::{round4, Figures};
use crate::config::{Config, Scope, Target, TargetKind};
use crate::model::Period;
use crate::report::{Basis, TargetProgress, TargetStatus};

/// Below this share of the target, a projection is 滞后 rather than 关注.
const WATCH_SHARE: f64 = 0.9;

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

/// The metric's value for the target's scope in one quarter; `None` when the
/// scope has no data then (a zone not yet reporting).
fn value_at(config: &Config, figures: &Figures, target: &Target, p: Period) -> Option<f64> {
    let zones: Vec<&crate::config::Zone> = config
        .registry
        .zones
        .iter()
        .filter(|z| match target.scope {
            Scope::Province => true,
            Scope::City => Some(&z.city) == target.city.as_ref(),
            Scope::Zone => {
                config
                    .registry
                    .zone_by_text(target.zone.as_deref().unwrap_or_default())
                    .map(|x| &x.code)
                    == Some(&z.code)
            }
        })
        .collect();
    let with_data: Vec<&&crate::config::Zone> = zones
        .iter()
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
            Scope::Province => figures.province(p, &target.metric),
            Scope::City => figures.city(
                p,
                target.city.as_deref().unwrap_or_default(),
                &target.metric,
            ),
            Scope::Zone => with_data
                .iter()
                .map(|z| figures.zone(p, &z.code, &target.metric))
                .sum(),
        }
    };
    Some(round4(value))
}

/// Evaluates a target on its quarterly series (values at quarter ends).
pub fn evaluate(
    config: &Config,
    target: &Target,
    series: &[(Period, f64)],
    period: Period,
) -> TargetProgress {
    let start = config.calendar.pilot_start;
    let first = config.calendar.first_period;
    let due = target.due;
    let goal = target.goal();
    // Whole days, counting the last day of each quarter.
    let total_days = ((due.end() - start).num_days() + 1).max(1) as f64;
    let elapsed = (((period.end() - start).num_days() + 1) as f64 / total_days).clamp(0.0, 1.0);
    let quarters_left = period.quarters_until(due).max(0);
    // x = quarters since the pilot began, at each quarter's end.
    let x = |p: Period| f64::from(first.quarters_until(p) + 1);

    let (value, projection, needed) = match target.kind {
        TargetKind::Cumulative => {
            let value = series.last().map_or(0.0, |s| s.1);
            let projection = match series {
                [] => 0.0,
                [(_, v)] if elapsed > 0.0 => v / elapsed,
                [(_, v)] => *v,
                _ => {
                    let points: Vec<(f64, f64)> = series.iter().map(|(p, v)| (x(*p), *v)).collect();
                    let (a, b) = least_squares(&points);
                    (a + b * x(due)).max(value)
                }
            };
            let needed = (goal - value).max(0.0) / f64::from(quarters_left.max(1));
            (value, projection, needed)
        }
        TargetKind::Annual => {
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
                            flows.iter().map(|(p, f)| (x(*p), *f)).collect();
                        let (a, b) = least_squares(&points);
                        (a + b * x(q)).max(0.0)
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
            let in_window_so_far = if quarters_left < 4 {
                window(period) - window(due.prev().prev().prev().prev())
            } else {
                0.0
            };
            let remaining = quarters_left.clamp(1, 4);
            let needed = (goal - in_window_so_far).max(0.0) / f64::from(remaining);
            (value, projection, needed)
        }
    };
    let status = if value >= goal {
        TargetStatus::Met
    } else if projection >= goal {
        TargetStatus::OnTrack
    } else if projection >= WATCH_SHARE * goal {
        TargetStatus::Watch
    } else {
        TargetStatus::Behind
    };
    let scope = match target.scope {
        Scope::Province => "全省".to_string(),
        Scope::City => target.city.clone().unwrap_or_default(),
        Scope::Zone => target.zone.clone().unwrap_or_default(),
    };
    let unit = if target.metric == "zones_reporting" {
        "家".to_string()
    } else if target.metric.starts_with("projects:") {
        "个".to_string()
    } else {
        config
            .indicators
            .get(&target.metric)
            .map(|i| i.unit.clone())
            .unwrap_or_default()
    };
    TargetProgress {
        id: target.id.clone(),
        name: target.name.clone(),
        scope,
        metric: target.metric.clone(),
        unit,
        kind: match target.kind {
            TargetKind::Cumulative => "cumulative".into(),
            TargetKind::Annual => "annual".into(),
        },
        due,
        value: round4(value),
        target: round4(goal),
        progress: if goal > 0.0 { value / goal } else { 1.0 },
        elapsed,
        projection: round4(projection),
        needed_per_quarter: round4(needed),
        quarters_left,
        status,
        history: series.len(),
        baseline_is_sample: target.baseline_is_sample,
        baseline: target.baseline,
        source: target.source.clone(),
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
