//! 核查优先清单: which accepted values of the quarter staff should question
//! first (selective editing, as statistics offices do it). Every value a
//! zone reported this quarter — each core indicator's 累计值 and the
//! project list's totals — gets score = 100 × suspicion × impact
//! (docs/review.md): how unusual it is (own history, the other zones'
//! growth, the warnings on its cell) times how much of the province total
//! it moves and whether it could change a target's status or a rank.

mod impact;
mod item;
mod suspicion;

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Fact, FeedbackBook, ListedFinding, Quarter};
use crate::config::Config;
use crate::config::{Indicator, IndicatorKind};
use crate::model::{Basis, Period, ZoneCode};
use crate::targets::TargetProgress;
use suspicion::{log_ratio, Hb};

/// One value to question, with what it was scored on. Its JSON keys are
/// fixed (`review --format json`, docs/review.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewItem {
    /// 1 for the highest score.
    pub rank: usize,
    pub zone_code: ZoneCode,
    pub zone: String,
    /// The indicator code, or `projects.contract` / `projects.funded` for
    /// the project list's totals.
    pub indicator: String,
    pub indicator_name: String,
    /// The unit the return is written in (amounts in 万元, as in the cell).
    pub unit: String,
    pub file: String,
    pub sheet: String,
    /// The cell (or, for a list total, the rows) the value is read from.
    pub cell: String,
    pub value: f64,
    /// Last quarter's value, when this quarter's movement is a measured
    /// flow (an accepted return last quarter too, not the entry quarter).
    pub previous: Option<f64>,
    /// What the history expects (the zone's usual flow, or the zones'
    /// median growth).
    pub expected: Option<f64>,
    /// The range within which the value would not be suspicious, by the
    /// part that suspects it most.
    pub expected_low: Option<f64>,
    pub expected_high: Option<f64>,
    /// |value − expected| as a share of the province total (偏离占全省):
    /// the share of the deviation, not of the value.
    pub deviation_share: f64,
    /// The parts of the suspicion: own history, cross-section (HB), and
    /// the warnings on the cell still to explain and explained.
    pub own_history: f64,
    pub cross_section: f64,
    pub warnings_open: usize,
    pub warnings_explained: usize,
    pub suspicion: f64,
    /// Targets whose status the value could change (`范围·名称`).
    pub targets_at_stake: Vec<String>,
    /// The value could change the zone's place in the ranking.
    pub rank_at_stake: bool,
    pub impact: f64,
    pub score: f64,
    /// One line in Chinese: why the value is listed.
    pub reason: String,
}

impl ReviewItem {
    /// The expected range as text, `1,200–1,800` (amounts to 2 decimals,
    /// counts whole), or `—` without a history to expect from.
    pub fn expected_range_zh(&self) -> String {
        match (self.expected_low, self.expected_high) {
            (Some(lo), Some(hi)) => format!(
                "{}–{}",
                item::shown(lo, &self.unit),
                item::shown(hi, &self.unit)
            ),
            _ => "—".to_string(),
        }
    }
}

/// What is scored: an indicator's 累计值 or a list total.
#[derive(Clone, Copy)]
enum Measure<'a> {
    Indicator(usize, &'a Indicator),
    Contract,
    Funded,
}

impl Measure<'_> {
    fn key(&self) -> String {
        match self {
            Measure::Indicator(_, i) => i.code.clone(),
            Measure::Contract => "projects.contract".into(),
            Measure::Funded => "projects.funded".into(),
        }
    }

    fn name(&self) -> String {
        match self {
            Measure::Indicator(_, i) => i.name.clone(),
            Measure::Contract => "项目清单合同金额合计".into(),
            Measure::Funded => "项目清单累计到位经费合计".into(),
        }
    }

    fn unit(&self) -> &str {
        match self {
            Measure::Indicator(_, i) => &i.unit,
            _ => "万元",
        }
    }

    fn stock(&self) -> bool {
        matches!(self, Measure::Indicator(_, i) if i.kind == IndicatorKind::Stock)
    }

    /// The least deviation from the expected value that can be suspicious.
    fn min_deviation(&self, config: &Config) -> f64 {
        config
            .review
            .min_deviation
            .of(&self.key(), crate::format::is_money(self.unit()))
    }
}

/// Every accepted value of the quarter, scored, the highest first (ties
/// by zone in registry order, then indicator in catalogue order, list
/// totals last).
pub(super) fn review(
    q: &Quarter,
    findings: &[ListedFinding],
    targets: &[TargetProgress],
) -> Vec<ReviewItem> {
    let facts: BTreeMap<(&str, &str), &Fact> = q
        .figures
        .facts
        .iter()
        .filter(|f| f.period == q.period)
        .map(|f| ((f.zone_code.as_str(), f.indicator.as_str()), f))
        .collect();
    let ctx = Context {
        q,
        findings,
        targets,
        facts,
        periods: q.figures.periods().filter(|p| *p <= q.period).collect(),
    };
    let mut items: Vec<(usize, usize, ReviewItem)> = Vec::new();
    for (m_order, measure) in measures(q).into_iter().enumerate() {
        for (z_order, item) in ctx.score_measure(measure) {
            items.push((z_order, m_order, item));
        }
    }
    items.sort_by(|a, b| {
        b.2.score
            .total_cmp(&a.2.score)
            .then(a.0.cmp(&b.0))
            .then(a.1.cmp(&b.1))
    });
    items
        .into_iter()
        .enumerate()
        .map(|(i, (_, _, mut item))| {
            item.rank = i + 1;
            item
        })
        .collect()
}

fn measures<'a>(q: &Quarter<'a>) -> Vec<Measure<'a>> {
    let mut out: Vec<Measure> = q
        .config
        .indicators
        .all
        .iter()
        .enumerate()
        .map(|(i, ind)| Measure::Indicator(i, ind))
        .collect();
    out.extend([Measure::Contract, Measure::Funded]);
    out
}

/// What scoring reads, gathered once.
struct Context<'a> {
    q: &'a Quarter<'a>,
    findings: &'a [ListedFinding],
    targets: &'a [TargetProgress],
    /// This quarter's facts by (zone code, indicator).
    facts: BTreeMap<(&'a str, &'a str), &'a Fact>,
    /// The quarters aggregated up to the reported one, in order.
    periods: Vec<Period>,
}

/// One zone's value this quarter and last.
struct Point {
    z_order: usize,
    zone: ZoneCode,
    now: f64,
    /// Last quarter's value, only when this quarter's movement is a
    /// measured flow: nothing else is compared with a history.
    previous: Option<f64>,
}

impl Context<'_> {
    /// A zone's value of the measure in a quarter (`None` without data).
    fn value(&self, p: Period, zone: &str, m: Measure) -> Option<f64> {
        let zq = self.q.figures.zone_quarter(p, zone)?;
        if zq.basis == Basis::NoData {
            return None;
        }
        match m {
            Measure::Indicator(i, _) => zq.values[i],
            Measure::Contract => Some(zq.lists.contract),
            Measure::Funded => Some(zq.lists.funded),
        }
    }

    fn basis(&self, p: Period, zone: &str) -> Basis {
        self.q.figures.basis(p, zone).0
    }

    /// The zone's (last quarter's, this quarter's) values when its movement
    /// in `p` is a measured flow: an accepted return in `p` and in the
    /// quarter before, and `p` after its entry quarter (the one rule of
    /// `report::flows`). Anything else — the launch quarter, a first
    /// return mid-programme, a quarter after a carried one — is no flow.
    fn measured(&self, p: Period, zone: &str, m: Measure) -> Option<(f64, f64)> {
        let measured = match m {
            Measure::Indicator(_, i) => self.q.facts.measured(p, zone, &i.code).is_some(),
            Measure::Contract | Measure::Funded => self.q.flow_rules.is_measured(
                zone,
                p,
                self.basis(p, zone),
                self.basis(p.prev(), zone),
            ),
        };
        if !measured {
            return None;
        }
        Some((self.value(p.prev(), zone, m)?, self.value(p, zone, m)?))
    }

    /// The zone's measured movements before the reported quarter (flows,
    /// or log-ratios of a stock's levels), latest first.
    fn recent(&self, zone: &str, m: Measure) -> Vec<f64> {
        self.periods
            .iter()
            .rev()
            .filter(|p| **p < self.q.period)
            .filter_map(|p| self.measured(*p, zone, m))
            .map(|(before, now)| {
                if m.stock() {
                    log_ratio(before, now)
                } else {
                    now - before
                }
            })
            .collect()
    }

    fn points(&self, m: Measure) -> Vec<Point> {
        let period = self.q.period;
        self.q
            .config
            .registry
            .zones
            .iter()
            .enumerate()
            .filter(|(_, z)| self.basis(period, &z.code) == Basis::Fresh)
            .filter_map(|(z_order, z)| {
                Some(Point {
                    z_order,
                    zone: z.code.clone(),
                    now: self.value(period, &z.code, m)?,
                    previous: self.measured(period, &z.code, m).map(|(before, _)| before),
                })
            })
            .collect()
    }

    fn score_measure(&self, m: Measure) -> Vec<(usize, ReviewItem)> {
        let points = self.points(m);
        let pairs: Vec<(f64, f64)> = points
            .iter()
            .filter_map(|p| Some((p.previous?, p.now)))
            .collect();
        let hb = Hb::new(&pairs, &self.q.config.review.hb);
        // The province total as expected: each scored zone at its expected
        // value (so one slip of 元 for 万元 does not shrink every other
        // zone's share), the others at their value (carried included).
        let total: f64 = self
            .q
            .config
            .registry
            .zones
            .iter()
            .filter_map(|z| {
                let scored = points.iter().find(|p| p.zone == z.code);
                scored
                    .and_then(|p| self.expected(m, p, hb.as_ref()))
                    .or_else(|| self.value(self.q.period, &z.code, m))
            })
            .sum();
        points
            .iter()
            .map(|p| (p.z_order, self.item(m, p, hb.as_ref(), total, &points)))
            .collect()
    }
}

/// Gives each accepted file's feedback book its values among the first
/// `feedback_top` of the list scoring at least `feedback_min_score`, as 请核实.
pub(super) fn with_verify(
    config: &Config,
    mut books: Vec<FeedbackBook>,
    review: &[ReviewItem],
) -> Vec<FeedbackBook> {
    let out = &config.review.output;
    for book in books.iter_mut().filter(|b| b.verdict.is_accepted()) {
        book.verify = review
            .iter()
            .take(out.feedback_top)
            .filter(|i| i.score >= out.feedback_min_score && i.file == book.source)
            .cloned()
            .collect();
    }
    books
}
