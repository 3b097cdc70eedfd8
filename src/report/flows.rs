//! 本季新增, 环比, 本年累计, 同比: what a quarter added to each indicator,
//! at province, city and zone level (docs/return-form.md §9.1).
//!
//! A 累计值 is a total since the pilot began, so its quarter-on-quarter
//! growth says little ("the total grew 5 %"); what readers want is the
//! quarter's own flow and how it compares with last quarter's and with the
//! same quarter a year earlier. Everything here is derived from the fact
//! table (`Report::facts`), the one place every figure of every quarter is
//! kept with its basis, so the flows always agree with the totals shown.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Basis, Fact, Report};
use crate::aggregate::round4;
use crate::config::IndicatorKind;
use crate::model::Period;

/// Where a flow is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level<'a> {
    /// 全省: every zone with data (carried figures included).
    Province,
    /// A 设区市, by name: its zones with data.
    City(&'a str),
    /// A zone, by registry code.
    Zone(&'a str),
}

/// One measure of [`Flows`]; `label_zh` is the exact column label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowMeasure {
    ThisQuarter,
    LastQuarter,
    QuarterOnQuarter,
    YearToDate,
    SameQuarterLastYear,
    YearOnYear,
}

impl FlowMeasure {
    /// Every measure, in the order a table shows them.
    pub const ALL: [FlowMeasure; 6] = [
        FlowMeasure::ThisQuarter,
        FlowMeasure::LastQuarter,
        FlowMeasure::QuarterOnQuarter,
        FlowMeasure::YearToDate,
        FlowMeasure::SameQuarterLastYear,
        FlowMeasure::YearOnYear,
    ];

    /// The label; a stock indicator's flow is a change of level (增减, may
    /// be negative), a flow indicator's is what was added (新增).
    pub fn label_zh(self, stock: bool) -> &'static str {
        match (self, stock) {
            (FlowMeasure::ThisQuarter, false) => "本季新增",
            (FlowMeasure::ThisQuarter, true) => "本季增减",
            (FlowMeasure::LastQuarter, false) => "上季新增",
            (FlowMeasure::LastQuarter, true) => "上季增减",
            (FlowMeasure::QuarterOnQuarter, false) => "本季新增环比",
            (FlowMeasure::QuarterOnQuarter, true) => "本季增减环比",
            (FlowMeasure::YearToDate, false) => "本年累计新增",
            (FlowMeasure::YearToDate, true) => "本年累计增减",
            (FlowMeasure::SameQuarterLastYear, false) => "上年同季新增",
            (FlowMeasure::SameQuarterLastYear, true) => "上年同季增减",
            (FlowMeasure::YearOnYear, false) => "本季新增同比",
            (FlowMeasure::YearOnYear, true) => "本季增减同比",
        }
    }

    /// A growth ratio (0.25 = 25 %, shown as a percentage), not an amount
    /// in the indicator's unit.
    pub fn is_ratio(self) -> bool {
        matches!(
            self,
            FlowMeasure::QuarterOnQuarter | FlowMeasure::YearOnYear
        )
    }
}

/// What 本季新增 was measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FlowBasis {
    /// The change on last quarter's figure (in the pilot's first quarter,
    /// on zero: the pilot began that quarter).
    LastQuarter,
    /// Last quarter's figures were carried from this earlier quarter, so
    /// 本季新增 covers every quarter since then.
    Since(Period),
    /// The zone's first figures after the pilot's first quarter: for a flow
    /// indicator 本季新增 is its whole 累计值 (everything since the pilot
    /// began); a stock has no earlier level, so no change.
    FirstReport,
    /// The figures are carried forward this quarter (沿用上期): nothing
    /// new was measured, so there is no flow.
    Carried,
    /// No figure this quarter (无数据).
    NoData,
}

impl FlowBasis {
    /// A note to print beside 本季新增 when it is not simply the change on
    /// last quarter; empty otherwise. `stock` as in [`Flows::stock`].
    pub fn note_zh(self, stock: bool) -> String {
        match self {
            FlowBasis::LastQuarter => String::new(),
            FlowBasis::Since(p) => format!("自{p}以来"),
            FlowBasis::FirstReport if stock => "首次有数据，无上期水平可比".to_string(),
            FlowBasis::FirstReport => "首次有数据，为试点以来累计".to_string(),
            FlowBasis::Carried => "沿用上期数据，本季未计新增".to_string(),
            FlowBasis::NoData => "无数据".to_string(),
        }
    }
}

/// What the quarter added to one indicator at one level. Amounts are in
/// the indicator's unit; ratios are growth (0.25 = 25 %); `None` where a
/// measure does not exist (no earlier quarter, a zero base, carried figures).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Flows {
    /// The indicator is a stock: its flows are changes of level (增减).
    pub stock: bool,
    /// 本季新增 (stock: 本季增减): the 累计值 minus last quarter's; for a flow
    /// indicator's first figures, the 累计值 itself ([`FlowBasis`]).
    pub this_quarter: Option<f64>,
    /// What `this_quarter` was measured against.
    pub basis: FlowBasis,
    /// 上季新增: last quarter's own flow, measured the same way.
    pub last_quarter: Option<f64>,
    /// 本季新增环比: this_quarter / last_quarter − 1 (`None` unless last
    /// quarter's flow is above 0).
    pub quarter_on_quarter: Option<f64>,
    /// 本年累计新增: the flow since the start of the calendar year (the
    /// 累计值 minus last year's fourth-quarter figure; in the pilot's first
    /// year, for a flow indicator, the 累计值 itself).
    pub year_to_date: Option<f64>,
    /// 上年同季新增: the flow of the same quarter a year earlier, when it exists.
    pub same_quarter_last_year: Option<f64>,
    /// 本季新增同比: this_quarter / same_quarter_last_year − 1 (`None` unless
    /// that flow is above 0).
    pub year_on_year: Option<f64>,
}

impl Flows {
    pub fn get(&self, measure: FlowMeasure) -> Option<f64> {
        match measure {
            FlowMeasure::ThisQuarter => self.this_quarter,
            FlowMeasure::LastQuarter => self.last_quarter,
            FlowMeasure::QuarterOnQuarter => self.quarter_on_quarter,
            FlowMeasure::YearToDate => self.year_to_date,
            FlowMeasure::SameQuarterLastYear => self.same_quarter_last_year,
            FlowMeasure::YearOnYear => self.year_on_year,
        }
    }
}

impl Report {
    /// The quarter's flows of one indicator at one level (computed from
    /// [`Report::facts`]; see [`Flows`] for each measure). The tables carry
    /// theirs already (`ZoneRow::flows`, `CityRow::flows`, `Headline::flows`).
    pub fn flows(&self, level: Level, code: &str) -> Flows {
        FactIndex::new(&self.facts, self.pilot_start).flows(self.period, level, code)
    }
}

/// The fact table by indicator, to measure many flows in one pass.
pub(super) struct FactIndex<'a> {
    by_indicator: BTreeMap<&'a str, Vec<&'a Fact>>,
    pilot_quarter: Period,
}

impl<'a> FactIndex<'a> {
    pub(super) fn new(facts: &'a [Fact], pilot_start: chrono::NaiveDate) -> FactIndex<'a> {
        let mut by_indicator: BTreeMap<&str, Vec<&Fact>> = BTreeMap::new();
        for f in facts {
            by_indicator
                .entry(f.indicator.as_str())
                .or_default()
                .push(f);
        }
        FactIndex {
            by_indicator,
            pilot_quarter: Period::of_date(pilot_start),
        }
    }

    /// The flows of `code` at `level` in `period`.
    pub(super) fn flows(&self, period: Period, level: Level, code: &str) -> Flows {
        let facts: Vec<&Fact> = self
            .by_indicator
            .get(code)
            .into_iter()
            .flatten()
            .copied()
            .filter(|f| level.covers(f))
            .collect();
        let stock = facts.iter().any(|f| f.kind == IndicatorKind::Stock);
        let series = Series {
            points: points(&facts, level),
            stock,
            pilot_quarter: self.pilot_quarter,
        };
        series.flows(period)
    }
}

impl Level<'_> {
    fn covers(&self, fact: &Fact) -> bool {
        match self {
            Level::Province => true,
            Level::City(city) => fact.city == *city,
            Level::Zone(code) => fact.zone_code == *code,
        }
    }
}

/// A level's figure in one quarter.
#[derive(Debug, Clone, Copy)]
struct Point {
    value: f64,
    basis: Basis,
    /// The quarter the figure was read in (earlier than its own when carried).
    source: Period,
}

/// Totals by quarter. A zone keeps its basis; a total over zones counts as
/// measured (carried figures are part of the totals shown).
fn points(facts: &[&Fact], level: Level) -> BTreeMap<Period, Point> {
    let mut out: BTreeMap<Period, Point> = BTreeMap::new();
    for f in facts {
        let point = out.entry(f.period).or_insert(Point {
            value: 0.0,
            basis: Basis::Fresh,
            source: f.period,
        });
        point.value += f.value;
        if let Level::Zone(_) = level {
            point.basis = f.basis;
            point.source = f.source_period;
        }
    }
    for point in out.values_mut() {
        point.value = round4(point.value);
    }
    out
}

/// One indicator's figures by quarter at one level.
struct Series {
    points: BTreeMap<Period, Point>,
    stock: bool,
    /// The quarter the pilot began in: flows there count from zero.
    pilot_quarter: Period,
}

impl Series {
    fn flows(&self, period: Period) -> Flows {
        let (this_quarter, basis) = self.flow(period);
        let last_quarter = self.flow(period.prev()).0;
        let year_ago = back(period, 4);
        let same_quarter_last_year = self.flow(year_ago).0;
        Flows {
            stock: self.stock,
            this_quarter,
            basis,
            last_quarter,
            quarter_on_quarter: growth(this_quarter, last_quarter),
            year_to_date: self.year_to_date(period),
            same_quarter_last_year,
            year_on_year: growth(this_quarter, same_quarter_last_year),
        }
    }

    /// A quarter's own flow and what it was measured against.
    fn flow(&self, p: Period) -> (Option<f64>, FlowBasis) {
        let Some(now) = self.points.get(&p) else {
            return (None, FlowBasis::NoData);
        };
        if now.basis == Basis::Carried {
            return (None, FlowBasis::Carried);
        }
        match self.points.get(&p.prev()) {
            Some(before) if before.source == p.prev() => (
                Some(round4(now.value - before.value)),
                FlowBasis::LastQuarter,
            ),
            Some(before) => (
                Some(round4(now.value - before.value)),
                FlowBasis::Since(before.source),
            ),
            None if self.stock => (None, FlowBasis::FirstReport),
            None if p == self.pilot_quarter => (Some(now.value), FlowBasis::LastQuarter),
            None => (Some(now.value), FlowBasis::FirstReport),
        }
    }

    /// The flow since the end of last year.
    fn year_to_date(&self, p: Period) -> Option<f64> {
        let now = self.points.get(&p).filter(|n| n.basis != Basis::Carried)?;
        let year_end = Period {
            year: p.year - 1,
            quarter: 4,
        };
        match self.points.get(&year_end) {
            Some(before) => Some(round4(now.value - before.value)),
            // The pilot began this year: all of a 累计值 is this year's.
            None if !self.stock && p.year == self.pilot_quarter.year => Some(now.value),
            None => None,
        }
    }
}

/// `n` quarters before `p`.
fn back(p: Period, n: usize) -> Period {
    (0..n).fold(p, |q, _| q.prev())
}

/// now / before − 1, when before is above 0.
fn growth(now: Option<f64>, before: Option<f64>) -> Option<f64> {
    match (now, before) {
        (Some(n), Some(b)) if b > 0.0 => Some((n - b) / b),
        _ => None,
    }
}
