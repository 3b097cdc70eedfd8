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
    /// A milestone not reached before its due date: nothing to judge yet.
    #[serde(rename = "未到期")]
    Pending,
}

impl TargetStatus {
    /// Every status, in the order a legend lists them.
    pub const ALL: [TargetStatus; 5] = [
        TargetStatus::Met,
        TargetStatus::OnTrack,
        TargetStatus::Watch,
        TargetStatus::Behind,
        TargetStatus::Pending,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            TargetStatus::Met => "已达成",
            TargetStatus::OnTrack => "正常",
            TargetStatus::Watch => "关注",
            TargetStatus::Behind => "滞后",
            TargetStatus::Pending => "未到期",
        }
    }

    pub fn tone(self) -> Tone {
        match self {
            TargetStatus::Met => Tone::Done,
            TargetStatus::OnTrack => Tone::Good,
            TargetStatus::Watch => Tone::Warn,
            TargetStatus::Behind => Tone::Bad,
            TargetStatus::Pending => Tone::Grey,
        }
    }
}

/// What a target's current value (当前值) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ValueBasis {
    /// 累计值: the metric at the quarter's end (cumulative targets, and
    /// milestones: the count now).
    Cumulative,
    /// 近四个季度合计: the flow of the four quarters ending at the quarter
    /// (an annual target before its due year).
    LastFourQuarters,
    /// The due year's flow so far (an annual target in its due year).
    DueYearSoFar(i32),
}

impl ValueBasis {
    /// The label a renderer prints with the value (e.g.
    /// `当前值（近四个季度合计）`, `2027年以来合计`).
    pub fn label_zh(self) -> String {
        match self {
            ValueBasis::Cumulative => "累计值".to_string(),
            ValueBasis::LastFourQuarters => "近四个季度合计".to_string(),
            ValueBasis::DueYearSoFar(year) => format!("{year}年以来合计"),
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
    /// The current value: the 累计值 (cumulative) or the flow of the four
    /// quarters ending at the quarter (annual); [`TargetProgress::value_basis`]
    /// says which, with its label.
    pub value: f64,
    pub target: f64,
    /// value / target.
    pub progress: f64,
    /// Share of the time from the pilot start to the due date that has passed.
    pub elapsed: f64,
    /// The value expected at the due date at the recent pace (docs/return-form.md §8.4).
    pub projection: f64,
    /// What must be added each quarter that counts to reach the target
    /// (0 once reached or for a milestone; with no quarter left, what is
    /// still missing).
    pub needed_per_quarter: f64,
    /// Quarters from this one to the due date.
    pub quarters_left: i32,
    /// The quarters the pace is spread over: the quarters left (cumulative),
    /// the due year's quarters still to come (annual: only they count), none
    /// for a milestone.
    pub pace_quarters: i32,
    pub status: TargetStatus,
    /// Quarters of data the projection rests on: the latest quarterly flows
    /// whose median is the pace (at most `[projection] recent_quarters`); 1 when
    /// there is a single quarter (projected in proportion to time); 0 without data.
    pub history: usize,
    /// The baseline is a sample value (示例基线), not an official figure.
    pub baseline_is_sample: bool,
    pub baseline: Option<f64>,
    pub source: String,
}

impl TargetProgress {
    /// What [`TargetProgress::value`] is: 累计值, 近四个季度合计, or the
    /// due year's flow so far.
    pub fn value_basis(&self) -> ValueBasis {
        match self.kind {
            TargetKind::Cumulative | TargetKind::Milestone => ValueBasis::Cumulative,
            TargetKind::Annual if self.quarters_left < 4 => ValueBasis::DueYearSoFar(self.due.year),
            TargetKind::Annual => ValueBasis::LastFourQuarters,
        }
    }

    /// The share of time elapsed is a yardstick only for a cumulative
    /// target; an annual one is judged on its due year, a milestone at its
    /// date, so no time line is drawn or compared for them.
    pub fn time_applies(&self) -> bool {
        self.kind == TargetKind::Cumulative
    }

    /// A projection and a pace exist (not for a milestone).
    pub fn is_paced(&self) -> bool {
        self.kind != TargetKind::Milestone
    }

    /// 预计到期 as a share of the target: the measure the status follows
    /// from (none for a milestone).
    pub fn projected_share(&self) -> Option<f64> {
        (self.is_paced() && self.target > 0.0).then(|| self.projection / self.target)
    }

    /// Still needs a pace per quarter: paced, not met, quarters to come.
    pub fn needs_pace(&self) -> bool {
        self.is_paced() && self.status != TargetStatus::Met && self.needed_per_quarter > 0.0
    }

    /// Why the projection is below the current value, when it is. Only an
    /// annual target can be (a cumulative projection never falls below its
    /// 累计值): the recent quarters bring less than the four-quarter total.
    pub fn projection_note(&self) -> Option<&'static str> {
        (self.kind == TargetKind::Annual && self.projection < self.value).then_some(
            "近期季度新增的中位数低于近四个季度的平均水平，预计到期年度合计低于当前近四个季度合计",
        )
    }

    /// How this target's projection was made, in a phrase.
    pub fn method_zh(&self) -> String {
        method_zh(self.history)
    }
}

/// How a projection resting on `history` quarters was made (see
/// [`TargetProgress::history`]).
pub fn method_zh(history: usize) -> String {
    match history {
        0 => "暂无数据，未推算".to_string(),
        1 => "仅有一个季度数据，按已过时间比例推算".to_string(),
        2 => "按上一个季度的新增推算".to_string(),
        n => format!("按最近{}个季度新增的中位数推算", n - 1),
    }
}

/// The one-line statement of the method printed under a targets table:
/// how projections are made (over as many quarters as the targets' pace
/// rests on at most) and what 当前值 and 已达成 mean for each kind.
pub fn targets_note(targets: &[TargetProgress]) -> String {
    let paced: Vec<&TargetProgress> = targets.iter().filter(|t| t.is_paced()).collect();
    let method = match paced.iter().map(|t| t.history).max().unwrap_or(0) {
        0 => "暂无数据，未推算预计到期值".to_string(),
        1 => "预计到期值按已过时间比例推算（仅有一个季度数据）".to_string(),
        n => format!(
            "预计到期值{}（首个季度为启动时累计，不计入），累计目标的预计值不低于当前累计值",
            method_zh(n)
        ),
    };
    let mut kinds = vec![
        "状态按预计到期值判断：达到目标为正常，达到九成为关注，不足九成为滞后".to_string(),
        "“时间”为试点开始至到期已过时间的比例，只用于累计目标".to_string(),
    ];
    if let Some(t) = targets.iter().find(|t| t.kind == TargetKind::Annual) {
        kinds.push(format!(
            "年度目标{year}年前以近四个季度合计与{year}年目标比较，{year}年内以当年合计比较，\
             每季度需新增只按{year}年的季度计",
            year = t.due.year
        ));
    }
    if targets.iter().any(|t| t.kind == TargetKind::Milestone) {
        kinds.push("节点目标（参与高新区）到期时判断，不按季度推算".to_string());
    }
    format!("说明：{method}；{}。", kinds.join("；"))
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
            let pace_flows = like_for_like_flows(config, figures, target, period);
            evaluate_paced(config, target, &series, &pace_flows, period)
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
        .filter(|z| target.cohorts.is_empty() || target.cohorts.contains(&z.cohort))
        .collect()
}

/// The scope's quarterly flows as the zones it has now would have made
/// them ([`like_for_like`]).
fn like_for_like_flows(
    config: &Config,
    figures: &Figures,
    target: &Target,
    period: Period,
) -> Vec<(Period, f64)> {
    let zones = zones_of(config, target);
    like_for_like(config, figures, &zones, period, |zone, p| {
        zone_value(figures, target, zone, p)
    })
}

/// Quarterly flows of `zones` as the zones with data at `period` would have
/// made them: each quarter's measured flows (`Basis::measures_flow`:
/// accepted returns then and the quarter before, entries left out) averaged
/// over the zones measured, times the zones with data now. So a cohort
/// joining does not read as a jump in pace, a carried zone does not read as
/// a fall, and a projection fits the zones there are now
/// (docs/return-form.md §8.4). `value` is a zone's figure in a quarter.
pub fn like_for_like(
    config: &Config,
    figures: &Figures,
    zones: &[&crate::config::Zone],
    period: Period,
    value: impl Fn(&str, Period) -> f64,
) -> Vec<(Period, f64)> {
    let basis = |p: Period, z: &crate::config::Zone| figures.basis(p, &z.code).0;
    let now = zones.iter().filter(|z| basis(period, z).has_data()).count() as f64;
    figures
        .periods()
        .filter(|p| *p <= period)
        .filter_map(|p| {
            let measured: Vec<f64> = zones
                .iter()
                .filter(|z| {
                    let entry = config.calendar.entry_quarter(z.cohort);
                    basis(p, z).measures_flow(basis(p.prev(), z), p, entry)
                })
                .map(|z| value(&z.code, p) - value(&z.code, p.prev()))
                .collect();
            let n = measured.len() as f64;
            (n > 0.0).then(|| (p, measured.iter().sum::<f64>() / n * now))
        })
        .collect()
}

/// The target's metric in one zone and quarter.
fn zone_value(figures: &Figures, target: &Target, zone: &str, p: Period) -> f64 {
    match target.metric.strip_prefix("projects:") {
        Some(category) => figures.projects_in(p, zone, category) as f64,
        None => figures.zone(p, zone, &target.metric),
    }
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
    // The zones the target covers (its cohorts), each with its figures.
    let value = if target.metric == "zones_reporting" {
        with_data.len() as f64
    } else {
        with_data
            .iter()
            .map(|z| zone_value(figures, target, &z.code, p))
            .sum()
    };
    Some(round4(value))
}

/// The time frame of a target at a quarter.
struct Clock {
    /// Share of the pilot-start-to-due-date days that have passed.
    elapsed: f64,
    quarters_left: i32,
    /// How many latest quarterly flows make the pace.
    recent: usize,
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
            recent: config.targets.projection.recent_quarters,
        }
    }
}

/// Evaluates a target on its quarterly series (values at quarter ends, up
/// to `period`), paced on the series' own flows after its first quarter.
pub fn evaluate(
    config: &Config,
    target: &Target,
    series: &[(Period, f64)],
    period: Period,
) -> TargetProgress {
    let all = flows(series);
    evaluate_paced(
        config,
        target,
        series,
        all.get(1..).unwrap_or_default(),
        period,
    )
}

/// [`evaluate`] with the quarterly flows the pace is the median of (the
/// like-for-like flows of [`like_for_like_flows`]).
pub fn evaluate_paced(
    config: &Config,
    target: &Target,
    series: &[(Period, f64)],
    pace_flows: &[(Period, f64)],
    period: Period,
) -> TargetProgress {
    let clock = Clock::new(config, target.due, period);
    let goal = round4(target.goal());
    let step = pace(pace_flows, clock.recent);
    let reckoning = match target.kind {
        TargetKind::Cumulative => cumulative(&clock, goal, series, step),
        TargetKind::Annual => annual(goal, series, step, (target.due, period)),
        TargetKind::Milestone => milestone(series),
    };
    // Judged on the figures as shown (4 decimals), so what is printed agrees.
    let value = round4(reckoning.value);
    let projection = round4(reckoning.projection);
    let met = reckoning.final_result && value >= goal;
    let status = match target.kind {
        TargetKind::Milestone if !met && clock.quarters_left > 0 => TargetStatus::Pending,
        TargetKind::Milestone if !met => TargetStatus::Behind,
        _ => status_of(met, projection, goal),
    };
    TargetProgress {
        id: target.id.clone(),
        name: target.name.clone(),
        scope: scope(config, target),
        metric: target.metric.clone(),
        unit: unit(config, &target.metric),
        kind: target.kind,
        due: target.due,
        value,
        target: goal,
        progress: if goal > 0.0 { value / goal } else { 1.0 },
        elapsed: clock.elapsed,
        projection,
        needed_per_quarter: if met { 0.0 } else { round4(reckoning.needed) },
        quarters_left: clock.quarters_left,
        pace_quarters: reckoning.pace_quarters,
        status,
        history: projection_history(series.len(), clock.recent),
        baseline_is_sample: target.baseline_is_sample,
        baseline: target.baseline,
        source: target.source.clone(),
    }
}

/// A target worked out at a quarter.
struct Reckoning {
    /// 当前值: the 累计值, or the last four quarters' flow.
    value: f64,
    projection: f64,
    /// Per quarter that counts …
    needed: f64,
    /// … of these many.
    pace_quarters: i32,
    /// The value is the result the target is judged on, so reaching the
    /// goal is 已达成: always for a cumulative target, for an annual one
    /// only once its due year is complete.
    final_result: bool,
}

/// Quarters of data a projection from `quarters` quarters rests on: the
/// first (an entry, whose 累计值 starts the line) and the latest `recent`
/// flows after it; one quarter alone is projected in proportion to time.
pub fn projection_history(quarters: usize, recent: usize) -> usize {
    quarters.min(recent + 1)
}

/// The quarterly flows of a series of quarter-end values: the differences,
/// the first quarter's flow being its whole value (quarters before the
/// series count as 0, docs/return-form.md §10 decision 32).
fn flows(series: &[(Period, f64)]) -> Vec<(Period, f64)> {
    let mut before = 0.0;
    series
        .iter()
        .map(|&(p, v)| {
            let flow = v - before;
            before = v;
            (p, flow)
        })
        .collect()
}

/// The recent pace: the median of the latest `recent` quarterly flows
/// (for an even count, the mean of the middle two), never below 0 (a
/// projection does not plan for decline). The median, not the mean, so that
/// one exceptional quarter in the window, above all the launch quarter when
/// every zone first listed its projects (2025Q4), does not set the pace:
/// with flows 28, 5, 6, 6 the pace is 6, not 11.25 (docs/return-form.md §8.4).
fn pace(flows: &[(Period, f64)], recent: usize) -> f64 {
    let latest = &flows[flows.len().saturating_sub(recent.max(1))..];
    let mut values: Vec<f64> = latest.iter().map(|f| f.1).collect();
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let median = match n {
        0 => 0.0,
        _ if n % 2 == 1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    };
    median.max(0.0)
}

/// A cumulative target: the 累计值 now; projected by the recent pace over
/// the quarters left (with one quarter, in proportion to the time elapsed),
/// never below the 累计值; 已达成 once the 累计值 reaches the goal.
fn cumulative(clock: &Clock, goal: f64, series: &[(Period, f64)], step: f64) -> Reckoning {
    let value = series.last().map_or(0.0, |s| s.1);
    let projection = match series {
        [] => 0.0,
        [(_, v)] if clock.elapsed > 0.0 => v / clock.elapsed,
        [(_, v)] => *v,
        _ => value + step * f64::from(clock.quarters_left),
    };
    Reckoning {
        value,
        projection: projection.max(value),
        needed: (goal - value).max(0.0) / f64::from(clock.quarters_left.max(1)),
        pace_quarters: clock.quarters_left,
        final_result: true,
    }
}

/// A milestone: the count now, met once it reaches the goal; no projection
/// beyond the count and no pace (the count changes by decision).
fn milestone(series: &[(Period, f64)]) -> Reckoning {
    let value = series.last().map_or(0.0, |s| s.1);
    Reckoning {
        value,
        projection: value,
        needed: 0.0,
        pace_quarters: 0,
        final_result: true,
    }
}

/// An annual target: 当前值 is the flow of the four quarters ending at
/// `period` before the due year, and the due year's flow so far within it;
/// the projection is the due year's flow, actual for its quarters already
/// reported and the recent pace for the others; the pace needed counts only
/// the due year's quarters to come; 已达成 only once the due year is
/// complete and reached the goal.
fn annual(
    goal: f64,
    series: &[(Period, f64)],
    pace: f64,
    (due, period): (Period, Period),
) -> Reckoning {
    let flows = flows(series);
    let flow_in = |q: Period| flows.iter().find(|f| f.0 == q).map_or(0.0, |f| f.1);
    let year_ending = |end: Period| -> Vec<Period> {
        let mut quarters = vec![end];
        for _ in 1..4 {
            let earlier = quarters[quarters.len() - 1].prev();
            quarters.push(earlier);
        }
        quarters
    };
    let due_year = year_ending(due);
    let so_far: f64 = due_year
        .iter()
        .filter(|q| **q <= period)
        .map(|q| flow_in(*q))
        .sum();
    let to_come = due_year.iter().filter(|q| **q > period).count();
    let value: f64 = if to_come < 4 {
        so_far
    } else {
        year_ending(period).into_iter().map(flow_in).sum()
    };
    let projection = so_far + pace * to_come as f64;
    let needed = if to_come == 0 {
        (goal - value).max(0.0)
    } else {
        (goal - so_far).max(0.0) / to_come as f64
    };
    Reckoning {
        value,
        projection,
        needed,
        pace_quarters: to_come as i32,
        final_result: to_come == 0,
    }
}

/// 已达成 when met; else by the projection: 正常 when it reaches the goal,
/// 关注 when it comes within [`WATCH_SHARE`], 滞后 below.
pub fn status_of(met: bool, projection: f64, goal: f64) -> TargetStatus {
    if met {
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

/// A series continued quarter by quarter after its last quarter up to
/// `due`, by the method of the targets (docs/return-form.md §8.4): the recent
/// pace (median of the latest `recent` of `pace_flows`, the like-for-like
/// flows) added each quarter; with one quarter, in proportion to the
/// quarters since `first`. Never below the last value. The first point is
/// the last actual one.
pub fn project_line(
    series: &[(Period, f64)],
    pace_flows: &[(Period, f64)],
    first: Period,
    (due, recent): (Period, usize),
) -> Vec<(Period, f64)> {
    let Some(&(last, last_value)) = series.last() else {
        return Vec::new();
    };
    let x = |p: Period| f64::from(first.quarters_until(p) + 1);
    let step = if series.len() >= 2 {
        pace(pace_flows, recent)
    } else {
        // One quarter: the same per-quarter amount again each quarter.
        last_value / x(last).max(1.0)
    };
    let mut out = vec![(last, last_value)];
    let mut q = last;
    let mut value = last_value;
    while q < due {
        q = q.next();
        value += step.max(0.0);
        out.push((q, round4(value.max(last_value))));
    }
    out
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

    fn series(points: &[(&str, f64)]) -> Vec<(Period, f64)> {
        points.iter().map(|(p, v)| (q(p), *v)).collect()
    }

    #[test]
    fn cumulative_target_projects_at_the_recent_pace() {
        let config = config();
        let t = target(&config, "province-platforms"); // ≥ 80 by 2027Q4
        let s = series(&[("2025Q3", 30.0), ("2025Q4", 58.0), ("2026Q1", 63.0)]);
        let p = evaluate(&config, &t, &s, q("2026Q1"));
        assert_eq!(p.value, 63.0);
        assert_eq!(p.value_basis(), ValueBasis::Cumulative);
        assert_eq!(p.target, 80.0);
        assert!((p.progress - 63.0 / 80.0).abs() < 1e-9);
        // The launch quarter (30) is an entry; flows 28, 5 → median 16.5 a
        // quarter; 7 quarters left: 63 + 115.5.
        assert_eq!(p.projection, 178.5);
        assert_eq!(p.status, TargetStatus::OnTrack);
        assert_eq!(p.quarters_left, 7);
        assert_eq!(p.pace_quarters, 7);
        assert_eq!(p.history, 3);
        assert!((p.needed_per_quarter - 17.0 / 7.0).abs() < 1e-3);
        // 2025-07-01 → 2026-03-31 is 274 of the 914 days to 2027-12-31.
        assert!((p.elapsed - 274.0 / 914.0).abs() < 1e-9);
    }

    #[test]
    fn the_launch_quarter_does_not_set_the_pace() {
        let config = config();
        let t = target(&config, "province-platforms"); // ≥ 80, 90 % = 72
        let s = series(&[
            ("2025Q3", 30.0),
            ("2025Q4", 58.0),
            ("2026Q1", 60.0),
            ("2026Q2", 62.0),
            ("2026Q3", 64.0),
            ("2026Q4", 66.0),
        ]);
        let p = evaluate(&config, &t, &s, q("2026Q4"));
        // The last four flows are 2 each: 66 + 2 × 4 quarters left = 74.
        assert_eq!(p.projection, 74.0);
        assert_eq!(p.history, 5);
        assert_eq!(p.status, TargetStatus::Watch);
        assert_eq!(p.method_zh(), "按最近4个季度新增的中位数推算");
        // A quarter earlier the launch flow (28) is still in the window, but
        // the median of 28, 2, 2, 2 is 2: 64 + 2 × 5 quarters left = 74
        // (a mean would give 8.5 a quarter and 106.5, 正常).
        let p = evaluate(&config, &t, &s[..5], q("2026Q3"));
        assert_eq!(p.projection, 74.0);
        assert_eq!(p.status, TargetStatus::Watch);
    }

    #[test]
    fn one_quarter_of_history_projects_in_proportion_to_time() {
        let config = config();
        let t = target(&config, "xuzhou-platforms"); // ≥ 18
        let p = evaluate(&config, &t, &[(q("2025Q3"), 2.0)], q("2025Q3"));
        // One quarter: nothing but the entry, so in proportion to time.
        let elapsed = 92.0 / 914.0;
        assert!((p.projection - 2.0 / elapsed).abs() < 1e-3);
        assert_eq!(p.status, TargetStatus::OnTrack);
        assert_eq!(p.history, 1);
        assert_eq!(p.method_zh(), "仅有一个季度数据，按已过时间比例推算");
    }

    #[test]
    fn met_watch_and_behind() {
        let config = config();
        let t = target(&config, "xuzhou-platforms"); // ≥ 18, 90 % = 16.2
        let met = evaluate(
            &config,
            &t,
            &series(&[("2025Q3", 10.0), ("2025Q4", 19.0)]),
            q("2025Q4"),
        );
        assert_eq!(met.status, TargetStatus::Met);
        assert_eq!(met.needed_per_quarter, 0.0);
        // Flat at 17 for the last four quarters: projection 17 → 关注.
        let flat = |v: f64| {
            series(&[
                ("2025Q3", 10.0),
                ("2025Q4", v),
                ("2026Q1", v),
                ("2026Q2", v),
                ("2026Q3", v),
                ("2026Q4", v),
            ])
        };
        let watch = evaluate(&config, &t, &flat(17.0), q("2026Q4"));
        assert_eq!(watch.projection, 17.0);
        assert_eq!(watch.status, TargetStatus::Watch);
        let behind = evaluate(&config, &t, &flat(2.0), q("2026Q4"));
        assert_eq!(behind.projection, 2.0, "never below the 累计值");
        assert_eq!(behind.status, TargetStatus::Behind);
    }

    #[test]
    fn annual_target_uses_the_last_four_quarters() {
        let config = config();
        let t = target(&config, "province-patents"); // 2 × 150 = 300 a year
        assert!(t.baseline_is_sample);
        let s = series(&[
            ("2025Q3", 70.0),
            ("2025Q4", 140.0),
            ("2026Q1", 210.0),
            ("2026Q2", 280.0),
            ("2026Q3", 350.0),
        ]);
        let p = evaluate(&config, &t, &s, q("2026Q3"));
        assert_eq!(p.target, 300.0);
        assert_eq!(p.value, 280.0, "2025Q4..2026Q3 flows");
        assert_eq!(p.value_basis(), ValueBasis::LastFourQuarters);
        assert_eq!(p.projection, 280.0, "a flat 70 a quarter in 2027");
        assert_eq!(p.status, TargetStatus::Watch);
        assert!(p.baseline_is_sample);
        assert_eq!(p.needed_per_quarter, 75.0);
        assert_eq!(p.projection_note(), None);
    }

    #[test]
    fn annual_target_is_met_only_by_the_due_year() {
        let config = config();
        let t = target(&config, "province-patents"); // 300 a year
        let mut s = Vec::new();
        let mut p = q("2025Q3");
        for i in 1..=10 {
            s.push((p, 100.0 * f64::from(i)));
            p = p.next();
        }
        // 400 over the last four quarters in 2026Q3, but 2027 is to come.
        let early = evaluate(&config, &t, &s[..5], q("2026Q3"));
        assert_eq!(early.value, 400.0);
        assert_eq!(early.status, TargetStatus::OnTrack);
        assert_eq!(early.needed_per_quarter, 75.0);
        let done = evaluate(&config, &t, &s, q("2027Q4"));
        assert_eq!(done.value, 400.0);
        assert_eq!(done.status, TargetStatus::Met);
        assert_eq!(done.needed_per_quarter, 0.0);
    }

    #[test]
    fn annual_target_in_its_due_year() {
        let config = config();
        let t = target(&config, "province-patents"); // 300 a year
                                                     // 50 a quarter to 2026Q4, then 90 in 2027Q1 and 2027Q2.
        let flows = [50.0, 50.0, 50.0, 50.0, 50.0, 50.0, 90.0, 90.0];
        let mut s = Vec::new();
        let (mut p, mut total) = (q("2025Q3"), 0.0);
        for f in flows {
            total += f;
            s.push((p, total));
            p = p.next();
        }
        let r = evaluate(&config, &t, &s, q("2027Q2"));
        // In the due year, the due year's quarters so far.
        assert_eq!(r.value, 180.0, "2027Q1 + 2027Q2");
        assert_eq!(r.value_basis(), ValueBasis::DueYearSoFar(2027));
        // 2027 so far 180; pace (50 + 50 + 90 + 90) / 4 = 70 for two quarters.
        assert_eq!(r.projection, 320.0);
        assert_eq!(r.needed_per_quarter, 60.0, "(300 − 180) / 2");
        assert_eq!(r.pace_quarters, 2);
        assert_eq!(r.status, TargetStatus::OnTrack);

        // Slowing down: the projection falls below the last four quarters,
        // and the model says why.
        // Before the due year: one busy quarter among slow ones.
        let flows = [50.0, 50.0, 100.0, 10.0, 10.0, 10.0];
        let (mut s, mut p, mut total) = (Vec::new(), q("2025Q3"), 0.0);
        for f in flows {
            total += f;
            s.push((p, total));
            p = p.next();
        }
        let r = evaluate(&config, &t, &s, q("2026Q4"));
        assert_eq!(r.value, 130.0, "2026Q1..2026Q4");
        assert_eq!(r.projection, 40.0, "4 × the median 10 of 100, 10, 10, 10");
        assert!(r.projection_note().is_some());
    }

    #[test]
    fn trend_lines_use_the_same_pace() {
        let s = series(&[
            ("2025Q3", 30.0),
            ("2025Q4", 58.0),
            ("2026Q1", 60.0),
            ("2026Q2", 62.0),
            ("2026Q3", 64.0),
        ]);
        let all = flows(&s);
        let line = project_line(&s, &all[1..], q("2025Q3"), (q("2027Q4"), 4));
        // Flows 28, 2, 2, 2 → median 2 a quarter for five quarters.
        assert_eq!(line.first(), Some(&(q("2026Q3"), 64.0)));
        assert_eq!(line[1], (q("2026Q4"), 66.0));
        assert_eq!(line.last(), Some(&(q("2027Q4"), 74.0)));
        let one = project_line(&s[..1], &[], q("2025Q3"), (q("2027Q4"), 4));
        assert_eq!(one.last(), Some(&(q("2027Q4"), 300.0)));
    }

    #[test]
    fn the_pace_is_the_median_of_the_recent_flows_never_below_zero() {
        let flows = |v: &[f64]| -> Vec<(Period, f64)> {
            let mut p = q("2025Q3");
            v.iter()
                .map(|&f| {
                    let point = (p, f);
                    p = p.next();
                    point
                })
                .collect()
        };
        assert_eq!(pace(&flows(&[]), 4), 0.0);
        assert_eq!(pace(&flows(&[30.0, 28.0, 5.0]), 4), 28.0, "odd: the middle");
        assert_eq!(pace(&flows(&[190.0, 152.0, 40.0, 46.0, 47.0]), 4), 46.5);
        assert_eq!(
            pace(&flows(&[9.0, 1.0, 2.0, 3.0]), 3),
            2.0,
            "the last three"
        );
        assert_eq!(pace(&flows(&[5.0, -3.0, -1.0, -2.0]), 4), 0.0, "no decline");
    }

    #[test]
    fn the_note_states_the_method() {
        let config = config();
        let t = target(&config, "province-platforms");
        let s = series(&[("2025Q3", 30.0), ("2025Q4", 58.0)]);
        let p = evaluate(&config, &t, &s, q("2025Q4"));
        let note = targets_note(std::slice::from_ref(&p));
        // The launch quarter is an entry: the pace rests on 2025Q4 alone.
        assert!(note.contains("按上一个季度的新增推算"), "{note}");
        assert!(note.contains("首个季度为启动时累计，不计入"), "{note}");
        let annual = target(&config, "province-patents");
        let a = evaluate(&config, &annual, &s, q("2025Q4"));
        let note = targets_note(&[p, a]);
        assert!(note.contains("近四个季度合计与2027年目标比较"), "{note}");
        assert!(note.contains("只按2027年的季度计"), "{note}");
    }
}
