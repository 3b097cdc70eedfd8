//! 本季新增, 环比, 本年累计, 同比: what a quarter added to each indicator,
//! at province, city and zone level, and the one rule by which flows are
//! compared (docs/brief.md §2.3, docs/return-form.md §9.1).
//!
//! A 累计值 is a total since the pilot began, so its quarter-on-quarter
//! growth says little ("the total grew 5 %"); what readers want is the
//! quarter's own flow and how it compares with last quarter's and with the
//! same quarter a year earlier. Everything here is derived from the fact
//! table (`Report::facts`), the one place every figure of every quarter is
//! kept with its basis, so the flows always agree with the totals shown.
//!
//! **Like with like.** A growth rate compares the *panel*: the zones whose
//! flow is measured in both quarters (an accepted return in the quarter and
//! in the one before it). A carried zone has no flow, so it is never in a
//! panel (it would count as 0); a zone's entry quarter (the programme's
//! launch for the pilots, when pairs signed in bulk) is an entry, never a
//! basis; a base below `[comparison]` of brief.toml gives no rate, only the
//! two numbers. Province, cities and zones all go through [`Comparison`].

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
    /// be negative), a flow indicator's is what was added (新增). The bases
    /// of the rates are the panel's (可比口径), so they say so.
    pub fn label_zh(self, stock: bool) -> &'static str {
        match (self, stock) {
            (FlowMeasure::ThisQuarter, false) => "本季新增",
            (FlowMeasure::ThisQuarter, true) => "本季增减",
            (FlowMeasure::LastQuarter, false) => "上季新增（可比口径）",
            (FlowMeasure::LastQuarter, true) => "上季增减（可比口径）",
            (FlowMeasure::QuarterOnQuarter, false) => "本季新增环比",
            (FlowMeasure::QuarterOnQuarter, true) => "本季增减环比",
            (FlowMeasure::YearToDate, false) => "本年累计新增",
            (FlowMeasure::YearToDate, true) => "本年累计增减",
            (FlowMeasure::SameQuarterLastYear, false) => "上年同季新增（可比口径）",
            (FlowMeasure::SameQuarterLastYear, true) => "上年同季增减（可比口径）",
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

/// What a zone's 本季新增 was measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FlowBasis {
    /// The change on last quarter's accepted figure: a measured flow, the
    /// only kind a growth rate compares.
    LastQuarter,
    /// The zone's entry quarter (the programme's launch for the pilots):
    /// for a flow indicator 本季新增 is its whole 累计值; never a basis.
    Entry,
    /// Last quarter's figures were carried from this earlier quarter, so
    /// 本季新增 covers every quarter since then.
    Since(Period),
    /// The zone's first figures after its entry quarter: for a flow
    /// indicator 本季新增 is its whole 累计值 (everything since it joined);
    /// a stock has no earlier level, so no change.
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
            FlowBasis::Entry if stock => "加入首季度，无上期水平可比".to_string(),
            FlowBasis::Entry => "加入首季度，为加入以来累计".to_string(),
            FlowBasis::Since(p) => format!("自{}以来", p.label_zh()),
            FlowBasis::FirstReport if stock => "首次有数据，无上期水平可比".to_string(),
            FlowBasis::FirstReport => "首次有数据，为加入以来累计".to_string(),
            FlowBasis::Carried => "沿用上期数据，本季未计新增".to_string(),
            FlowBasis::NoData => "无数据".to_string(),
        }
    }

    /// A flow measured over exactly the quarter, comparable with another.
    pub fn is_measured(self) -> bool {
        self == FlowBasis::LastQuarter
    }
}

/// A growth rate of a flow on the like-with-like panel, or why there is none.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Comparison {
    /// Zones in the panel: measured flows in both quarters.
    pub zones: usize,
    /// The panel's flow this quarter …
    pub now: f64,
    /// … and in the quarter compared with.
    pub before: f64,
    /// now / before − 1; `None` as `missing` says.
    pub rate: Option<f64>,
    /// Why there is no rate (`None` when there is one).
    pub missing: Option<NoRate>,
}

/// Why a flow has no growth rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NoRate {
    /// The quarter compared with is the programme's launch quarter (or
    /// before it): an entry, not a flow to compare with.
    LaunchQuarter,
    /// No zone has a measured flow in both quarters.
    NoPanel,
    /// The base is below `[comparison]`'s minimum: give both numbers.
    SmallBase,
}

impl Comparison {
    /// A comparison whose rate exists only with a panel and a base of at
    /// least `min_base`.
    pub(crate) fn of(zones: usize, now: f64, before: f64, min_base: f64) -> Comparison {
        let missing = if zones == 0 {
            Some(NoRate::NoPanel)
        } else if before < min_base.max(f64::MIN_POSITIVE) {
            Some(NoRate::SmallBase)
        } else {
            None
        };
        Comparison {
            zones,
            now: round4(now),
            before: round4(before),
            rate: missing.is_none().then(|| (now - before) / before),
            missing,
        }
    }

    pub(crate) fn none(missing: NoRate) -> Comparison {
        Comparison {
            zones: 0,
            now: 0.0,
            before: 0.0,
            rate: None,
            missing: Some(missing),
        }
    }

    /// Both numbers are worth saying instead of a rate.
    pub fn small_base(&self) -> bool {
        self.missing == Some(NoRate::SmallBase)
    }

    /// The earlier quarter's panel flow, when there is a panel to show it
    /// for (with a rate, or below the least base).
    fn base_shown(&self) -> Option<f64> {
        self.missing
            .is_none_or(|m| m == NoRate::SmallBase)
            .then_some(self.before)
    }
}

/// What the quarter added to one indicator at one level. Amounts are in
/// the indicator's unit; ratios are growth (0.25 = 25 %); `None` where a
/// measure does not exist (no earlier quarter, no panel, carried figures).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Flows {
    /// The indicator is a stock: its flows are changes of level (增减).
    pub stock: bool,
    /// Zones of the level with figures this quarter (fresh or carried).
    pub zones: usize,
    /// Zones of the level with a flow this quarter (an accepted return).
    pub zones_with_flow: usize,
    /// 本季新增 (stock: 本季增减): the sum of the flows of the zones with an
    /// accepted return this quarter, entries included (a carried zone has
    /// none); for a zone, [`FlowBasis`] says what it was measured against.
    pub this_quarter: Option<f64>,
    /// What a zone's `this_quarter` was measured against (levels:
    /// `LastQuarter`).
    pub basis: FlowBasis,
    /// Of `this_quarter`, what zones in their entry quarter brought.
    pub entered: Option<Entered>,
    /// 上季新增 (可比口径): the panel's flow last quarter, the base of 环比.
    pub last_quarter: Option<f64>,
    /// 本季新增环比 on the panel.
    pub quarter_on_quarter: Option<f64>,
    pub qoq: Comparison,
    /// 本年累计新增: the flow since the start of the calendar year (the
    /// 累计值 minus last year's fourth-quarter figure; in a zone's first
    /// year, for a flow indicator, the 累计值 itself).
    pub year_to_date: Option<f64>,
    /// 上年同季新增 (可比口径): the panel's flow a year earlier.
    pub same_quarter_last_year: Option<f64>,
    /// 本季新增同比 on the panel.
    pub year_on_year: Option<f64>,
    pub yoy: Comparison,
}

/// Zones in their entry quarter and what they brought.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Entered {
    pub zones: usize,
    pub value: f64,
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

    /// The comparison behind a rate measure.
    pub fn comparison(&self, measure: FlowMeasure) -> Option<&Comparison> {
        match measure {
            FlowMeasure::QuarterOnQuarter | FlowMeasure::LastQuarter => Some(&self.qoq),
            FlowMeasure::YearOnYear | FlowMeasure::SameQuarterLastYear => Some(&self.yoy),
            _ => None,
        }
    }

    /// The panel leaves out zones that have figures: a rate then says
    /// which zones it covers.
    pub fn panel_is_partial(&self, c: &Comparison) -> bool {
        c.zones > 0 && c.zones < self.zones
    }
}

impl Report {
    /// The quarter's flows of one indicator at one level (computed from
    /// [`Report::facts`]; see [`Flows`] for each measure). The tables carry
    /// theirs already (`ZoneRow::flows`, `CityRow::flows`, `Headline::flows`).
    pub fn flows(&self, level: Level, code: &str) -> Flows {
        FactIndex::new(&self.facts, &self.flow_rules).flows(self.period, level, code)
    }
}

/// The fact table by indicator and zone, to measure many flows in one pass.
pub(crate) struct FactIndex<'a> {
    /// Indicator → zone code → the zone's figures by quarter.
    by_indicator: BTreeMap<&'a str, BTreeMap<&'a str, ZoneSeries<'a>>>,
    rules: &'a FlowRules,
}

/// What flows are measured with beyond the facts: when the programme and
/// each zone began, and the least base of each indicator's rates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlowRules {
    /// The programme's first quarter: nothing before it is a flow.
    pub launch: Option<Period>,
    /// Each zone's entry quarter, by registry code (the launch when absent).
    pub entry: BTreeMap<String, Period>,
    /// The least base of a growth rate, by indicator code (`[comparison]`).
    pub min_base: BTreeMap<String, f64>,
}

impl FlowRules {
    pub(crate) fn new(config: &crate::config::Config) -> FlowRules {
        let calendar = &config.calendar;
        let rules = &config.brief.comparison;
        FlowRules {
            launch: Some(calendar.first_period),
            entry: config
                .registry
                .zones
                .iter()
                .map(|z| (z.code.to_string(), calendar.entry_quarter(z.cohort)))
                .collect(),
            min_base: config
                .indicators
                .all
                .iter()
                .map(|i| (i.code.clone(), rules.min_base(&i.unit)))
                .collect(),
        }
    }
}

impl FlowRules {
    /// A zone's entry quarter (the launch when the registry has no cohort).
    pub(crate) fn entry_of(&self, zone: &str) -> Period {
        let launch = self.launch.unwrap_or(Period {
            year: i32::MIN,
            quarter: 1,
        });
        self.entry.get(zone).copied().unwrap_or(launch).max(launch)
    }

    /// The one rule of a measured flow: a zone's change in `p` is the
    /// quarter's own, comparable with another, when its figures of `p` and
    /// of the quarter before both come from accepted returns of their own
    /// quarter and `p` is after the zone's entry quarter.
    pub(crate) fn is_measured(&self, zone: &str, p: Period, now: Basis, before: Basis) -> bool {
        now.measures_flow(before, p, self.entry_of(zone))
    }
}

impl<'a> FactIndex<'a> {
    pub(crate) fn new(facts: &'a [Fact], rules: &'a FlowRules) -> FactIndex<'a> {
        let mut by_indicator: BTreeMap<&str, BTreeMap<&str, ZoneSeries>> = BTreeMap::new();
        for f in facts {
            let series = by_indicator
                .entry(f.indicator.as_str())
                .or_default()
                .entry(f.zone_code.as_str())
                .or_insert_with(|| ZoneSeries {
                    points: BTreeMap::new(),
                    city: f.city.as_str(),
                    stock: f.kind == IndicatorKind::Stock,
                    entry: rules.entry_of(&f.zone_code),
                });
            series.points.insert(
                f.period,
                Point {
                    value: f.value,
                    basis: f.basis,
                    source: f.source_period,
                },
            );
        }
        FactIndex {
            by_indicator,
            rules,
        }
    }

    /// The flows of `code` at `level` in `period`.
    pub(crate) fn flows(&self, period: Period, level: Level, code: &str) -> Flows {
        let zones: Vec<&ZoneSeries> = self
            .by_indicator
            .get(code)
            .into_iter()
            .flat_map(|zones| zones.iter())
            .filter(|(zone, series)| level.covers(zone, series.city))
            .map(|(_, series)| series)
            .collect();
        let compared = Compared {
            launch: self.rules.launch,
            min_base: self.rules.min_base.get(code).copied().unwrap_or(0.0),
        };
        level_flows(&zones, level, period, &compared)
    }

    /// A zone's measured flow of `code` in `period` (an accepted return
    /// then and the quarter before, not its entry quarter): the flows the
    /// review's own history is made of.
    pub(crate) fn measured(&self, period: Period, zone: &str, code: &str) -> Option<f64> {
        self.by_indicator.get(code)?.get(zone)?.measured(period)
    }
}

/// How a level's rates are compared.
struct Compared {
    launch: Option<Period>,
    min_base: f64,
}

impl Level<'_> {
    fn covers(&self, zone: &str, city: &str) -> bool {
        match self {
            Level::Province => true,
            Level::City(c) => city == *c,
            Level::Zone(code) => zone == *code,
        }
    }
}

/// A zone's figure in one quarter.
#[derive(Debug, Clone, Copy)]
struct Point {
    value: f64,
    basis: Basis,
    /// The quarter the figure was read in (earlier than its own when carried).
    source: Period,
}

/// One zone's figures of one indicator, by quarter.
struct ZoneSeries<'a> {
    points: BTreeMap<Period, Point>,
    city: &'a str,
    stock: bool,
    /// The zone's first quarter in the programme.
    entry: Period,
}

impl ZoneSeries<'_> {
    /// A quarter's own flow and what it was measured against.
    fn flow(&self, p: Period) -> (Option<f64>, FlowBasis) {
        let Some(now) = self.points.get(&p) else {
            return (None, FlowBasis::NoData);
        };
        if now.basis == Basis::Carried {
            return (None, FlowBasis::Carried);
        }
        if p <= self.entry {
            return match self.stock {
                true => (None, FlowBasis::Entry),
                false => (Some(now.value), FlowBasis::Entry),
            };
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
            None => (Some(now.value), FlowBasis::FirstReport),
        }
    }

    /// The quarter's flow when it is measured (comparable).
    fn measured(&self, p: Period) -> Option<f64> {
        let (now, before) = (self.points.get(&p)?, self.points.get(&p.prev())?);
        // A fresh figure's source is its own quarter.
        let fresh = |pt: &Point, q: Period| {
            if pt.basis == Basis::Fresh && pt.source == q {
                Basis::Fresh
            } else {
                Basis::Carried
            }
        };
        fresh(now, p)
            .measures_flow(fresh(before, p.prev()), p, self.entry)
            .then(|| round4(now.value - before.value))
    }

    /// The flow since the end of last year: the 累计值 minus last year's
    /// fourth-quarter figure (the whole 累计值 when the zone joined this year).
    fn year_to_date(&self, p: Period) -> Option<f64> {
        let now = self.points.get(&p).filter(|n| n.basis != Basis::Carried)?;
        let year_end = Period {
            year: p.year - 1,
            quarter: 4,
        };
        match self.points.get(&year_end) {
            Some(before) => Some(round4(now.value - before.value)),
            None if !self.stock && self.entry.year == p.year => Some(now.value),
            None => None,
        }
    }
}

/// The flows of a level: sums over its zones, rates over the panels.
fn level_flows(zones: &[&ZoneSeries], level: Level, p: Period, c: &Compared) -> Flows {
    let flows: Vec<(Option<f64>, FlowBasis)> = zones.iter().map(|z| z.flow(p)).collect();
    let with_flow: Vec<f64> = flows.iter().filter_map(|f| f.0).collect();
    let entries: Vec<f64> = flows
        .iter()
        .filter(|f| f.1 == FlowBasis::Entry)
        .filter_map(|f| f.0)
        .collect();
    let qoq = compare(zones, p, p.prev(), c);
    let yoy = compare(zones, p, back(p, 4), c);
    let year_to_date = match level {
        Level::Zone(_) => zones.first().and_then(|z| z.year_to_date(p)),
        _ => level_year_to_date(zones, p),
    };
    Flows {
        stock: zones.first().is_some_and(|z| z.stock),
        zones: zones.iter().filter(|z| z.points.contains_key(&p)).count(),
        zones_with_flow: flows
            .iter()
            .filter(|f| !matches!(f.1, FlowBasis::Carried | FlowBasis::NoData))
            .count(),
        this_quarter: sum(&with_flow),
        basis: match (level, flows.first()) {
            (Level::Zone(_), Some(f)) => f.1,
            (Level::Zone(_), None) => FlowBasis::NoData,
            _ => FlowBasis::LastQuarter,
        },
        entered: (!entries.is_empty()).then(|| Entered {
            zones: entries.len(),
            value: round4(entries.iter().sum()),
        }),
        last_quarter: qoq.base_shown(),
        quarter_on_quarter: qoq.rate,
        qoq,
        year_to_date,
        same_quarter_last_year: yoy.base_shown(),
        year_on_year: yoy.rate,
        yoy,
    }
}

/// A level's flow since the end of last year: its 累计值 (carried figures
/// included, as in its total) minus its 累计值 at last year's end; in the
/// zones' entry year, for a flow indicator, the 累计值 itself.
fn level_year_to_date(zones: &[&ZoneSeries], p: Period) -> Option<f64> {
    let year_end = Period {
        year: p.year - 1,
        quarter: 4,
    };
    let total = |q: Period| -> Option<f64> {
        let values: Vec<f64> = zones
            .iter()
            .filter_map(|z| Some(z.points.get(&q)?.value))
            .collect();
        sum(&values)
    };
    let now = total(p)?;
    match total(year_end) {
        Some(before) => Some(round4(now - before)),
        None => zones
            .iter()
            .any(|z| !z.stock && z.entry.year == p.year)
            .then_some(now),
    }
}

/// The flows of the zones measured in both `now` and `then` (the panel),
/// compared; the launch quarter is never a basis.
fn compare(zones: &[&ZoneSeries], now: Period, then: Period, c: &Compared) -> Comparison {
    if c.launch.is_some_and(|l| then <= l) {
        return Comparison::none(NoRate::LaunchQuarter);
    }
    let panel: Vec<(f64, f64)> = zones
        .iter()
        .filter_map(|z| Some((z.measured(now)?, z.measured(then)?)))
        .collect();
    Comparison::of(
        panel.len(),
        panel.iter().map(|p| p.0).sum(),
        panel.iter().map(|p| p.1).sum(),
        c.min_base,
    )
}

fn sum(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| round4(values.iter().sum()))
}

/// `n` quarters before `p`.
fn back(p: Period, n: usize) -> Period {
    (0..n).fold(p, |q, _| q.prev())
}

/// A zone with figures this quarter that a comparison's panel leaves out,
/// and why (for the notes under the tables).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    pub zone: String,
    pub why: String,
}

/// Who the province's comparisons leave out this quarter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Panels {
    /// Left out of 环比 (the quarter before).
    pub qoq: Vec<LeftOut>,
    /// Left out of 同比 (the same quarter a year before).
    pub yoy: Vec<LeftOut>,
    /// The quarter compared with is the launch quarter or before it: no
    /// rate at all.
    pub qoq_launch: bool,
    pub yoy_launch: bool,
}

impl Panels {
    /// The notes a table of flows carries: the rule, and who this quarter's
    /// comparisons leave out.
    pub fn notes_zh(&self, rules: &FlowRules) -> Vec<String> {
        let mut notes = vec![format!(
            "注：环比、同比按可比口径计算，只比较两季都有已采用报表的高新区（沿用上期数据的高新区没有本季新增，\
             不计入；加入首季度的数据为加入以来累计，不作比较基数），“上季新增（可比口径）”“上年同季新增（可比口径）”\
             为这些高新区的数；比较基数小于{}时不计算增长率，列示“—”，文字中给出两个数。",
            rules.min_base_zh()
        )];
        let say = |left: &[LeftOut]| {
            // Zones left out for one reason, in order; a long group (a
            // cohort joining) by its first three and its count.
            let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
            for l in left {
                match groups.iter_mut().find(|(why, _)| *why == l.why) {
                    Some((_, zones)) => zones.push(&l.zone),
                    None => groups.push((&l.why, vec![&l.zone])),
                }
            }
            groups
                .iter()
                .map(|(why, zones)| match zones.len() {
                    1 => format!("{}（{why}）", zones[0]),
                    2..=5 => format!("{}（均{why}）", zones.join("、")),
                    n => format!("{}等{n}个高新区（均{why}）", zones[..3].join("、")),
                })
                .collect::<Vec<_>>()
                .join("；")
        };
        if self.qoq_launch {
            notes.push("注：上季度为试点启动首季度，本季不作环比。".to_string());
        } else if !self.qoq.is_empty() {
            notes.push(format!("注：本季全省环比不含{}。", say(&self.qoq)));
        }
        if self.yoy_launch {
            notes.push("注：上年同季为试点启动首季度（或在其之前），本季不作同比。".to_string());
        } else if !self.yoy.is_empty() {
            notes.push(format!("注：本季全省同比不含{}。", say(&self.yoy)));
        }
        notes
    }
}

impl FlowRules {
    /// `10（金额100万元）`: the least bases, as the notes say them.
    fn min_base_zh(&self) -> String {
        let mut bases: Vec<f64> = self.min_base.values().copied().collect();
        bases.sort_by(f64::total_cmp);
        bases.dedup();
        match bases.as_slice() {
            [] => "0".to_string(),
            [one] => crate::format::group_thousands(*one),
            [low, .., high] => format!(
                "{}（金额为{}万元）",
                crate::format::group_thousands(*low),
                crate::format::group_thousands(*high)
            ),
        }
    }
}

/// The zones with figures in `q`'s quarter that each comparison leaves out.
pub(super) fn panels(q: &super::Quarter) -> Panels {
    let p = q.period;
    let year_ago = back(p, 4);
    let launch = |then: Period| q.flow_rules.launch.is_some_and(|l| then <= l);
    let left_out = |then: Period| -> Vec<LeftOut> {
        if launch(then) {
            return Vec::new();
        }
        q.config
            .registry
            .zones
            .iter()
            .filter_map(|z| {
                let why = why_left_out(q, &z.code, p, then)?;
                Some(LeftOut {
                    zone: z.name.clone(),
                    why,
                })
            })
            .collect()
    };
    Panels {
        qoq: left_out(p.prev()),
        yoy: left_out(year_ago),
        qoq_launch: launch(p.prev()),
        yoy_launch: launch(year_ago),
    }
}

/// Why a zone with figures in `now` has no measured flow in `now` or in
/// `then` (`None`: it is in the panel, or has no figures at all).
fn why_left_out(q: &super::Quarter, zone: &str, now: Period, then: Period) -> Option<String> {
    let basis = |p: Period| q.figures.basis(p, zone).0;
    let measured = |p: Period| q.flow_rules.is_measured(zone, p, basis(p), basis(p.prev()));
    let entry = q.flow_rules.entry_of(zone);
    let said = |p: Period| {
        if p == now {
            "本季".to_string()
        } else {
            p.label_zh()
        }
    };
    let of = |p: Period| -> Option<String> {
        if measured(p) {
            return None;
        }
        Some(match basis(p) {
            Basis::NoData if p == now => return None,
            Basis::NoData => format!("{}无数据", said(p)),
            Basis::Carried => format!("{}沿用此前数据", said(p)),
            Basis::Fresh if p <= entry => format!("{}为加入首季度", said(p)),
            // Its own quarter is fresh: the one before it is not.
            Basis::Fresh => match basis(p.prev()) {
                Basis::Carried => format!("{}沿用此前数据", p.prev().label_zh()),
                _ => format!("{}无数据", p.prev().label_zh()),
            },
        })
    };
    if basis(now) == Basis::NoData {
        return None;
    }
    of(now).or_else(|| of(then))
}
