//! Stage 3, aggregate: each checked quarter, with the carry-forward rule
//! applied, becomes compact figures (every zone's values and project
//! categories) and rows of the long fact table; the quarters' returns are
//! then let go. polars totals the fact table by province and city, and the
//! reported quarter's project and platform lists by university and pair.
//!
//! Quarters arrive one by one from validate ([`Collector::add`]), so memory
//! follows the number of zones, not the length of the history.

mod fact;
mod lists;
mod totals;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

pub use fact::Fact;
pub use lists::{Lists, PairTotals, PlatformFact, ProjectFact, UniversityTotals, UnverifiedTotals};

use crate::config::Config;
use crate::model::{Basis, Period, Return, ZoneCode};
use crate::validate::{History, PeriodCheck};

/// Amounts are totalled to 4 decimals of 万元; rounding also makes the
/// totals independent of the order they are added in.
pub fn round4(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

/// One zone in one quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneQuarter {
    pub basis: Basis,
    /// The quarter of the return the figures come from.
    pub source: Option<Period>,
    /// 累计值 by indicator, in catalogue order (`None`: not given).
    pub values: Vec<Option<f64>>,
    /// Projects by 项目类别, in the enumeration's order.
    pub categories: Vec<usize>,
    /// The project list's totals (0 without a return).
    pub lists: ListTotals,
}

/// A zone's project list added up: the totals the review score checks
/// beside the core indicators (docs/review.md).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ListTotals {
    /// Σ 合同金额 (万元).
    pub contract: f64,
    /// Σ 累计到位经费 (万元).
    pub funded: f64,
}

impl ListTotals {
    fn of(ret: &Return) -> ListTotals {
        let contract = ret.projects.iter().filter_map(|p| p.contract).sum();
        let funded = ret
            .projects
            .iter()
            .filter_map(|p| p.funded.as_ref().map(|f| f.value))
            .sum();
        ListTotals {
            contract: round4(contract),
            funded: round4(funded),
        }
    }
}

/// One quarter: every registry zone, in registry order.
#[derive(Debug, Clone, PartialEq)]
pub struct Quarter {
    pub period: Period,
    pub zones: Vec<ZoneQuarter>,
}

/// Everything aggregation computed.
#[derive(Debug, Clone)]
pub struct Figures {
    pub quarters: Vec<Quarter>,
    /// One row per quarter × zone × indicator given, with its provenance.
    pub facts: Vec<Fact>,
    /// The reported (last) quarter's lists and their totals.
    pub lists: Lists,
    /// [quarter][indicator]: Σ over the zones.
    province: Vec<Vec<f64>>,
    /// city → [quarter][indicator].
    city: BTreeMap<String, Vec<Vec<f64>>>,
    index: Index,
}

/// Positions of quarters, zones, indicators and categories in the vectors.
#[derive(Debug, Clone, Default)]
struct Index {
    periods: BTreeMap<Period, usize>,
    zones: HashMap<String, usize>,
    indicators: HashMap<String, usize>,
    categories: HashMap<String, usize>,
}

impl Index {
    fn new(config: &Config) -> Index {
        let positions = |names: Vec<&str>| {
            names
                .into_iter()
                .enumerate()
                .map(|(i, n)| (n.to_string(), i))
                .collect()
        };
        Index {
            periods: BTreeMap::new(),
            zones: positions(
                config
                    .registry
                    .zones
                    .iter()
                    .map(|z| z.code.as_str())
                    .collect(),
            ),
            indicators: positions(
                config
                    .indicators
                    .all
                    .iter()
                    .map(|i| i.code.as_str())
                    .collect(),
            ),
            categories: positions(
                project_categories(config)
                    .iter()
                    .map(String::as_str)
                    .collect(),
            ),
        }
    }
}

fn project_categories(config: &Config) -> Vec<String> {
    config
        .form
        .enumeration("project_category")
        .map(|e| e.values.clone())
        .unwrap_or_default()
}

/// Gathers the quarters as validate hands them over.
pub struct Collector<'c> {
    config: &'c Config,
    quarters: Vec<Quarter>,
    facts: Vec<Fact>,
    lists: Lists,
    index: Index,
}

impl<'c> Collector<'c> {
    pub fn new(config: &'c Config) -> Collector<'c> {
        Collector {
            config,
            quarters: Vec::new(),
            facts: Vec::new(),
            lists: Lists::default(),
            index: Index::new(config),
        }
    }

    /// Adds a checked quarter. `history` includes it: each zone's figures
    /// are its accepted return this quarter, or (carried forward) its last
    /// accepted one. `reported` keeps the quarter's project and platform
    /// lists for the tables by university and pair.
    pub fn add(&mut self, check: &PeriodCheck, history: &History, reported: bool) {
        let period = check.period;
        self.index.periods.insert(period, self.quarters.len());
        let mut zones = Vec::with_capacity(self.config.registry.zones.len());
        let mut used: BTreeMap<ZoneCode, Arc<Return>> = BTreeMap::new();
        for zone in &self.config.registry.zones {
            let last = history.last_shared(&zone.code);
            let basis = match last {
                Some((p, _)) if p == period => Basis::Fresh,
                Some(_) => Basis::Carried,
                None => Basis::NoData,
            };
            let Some((source, ret)) = last else {
                zones.push(ZoneQuarter {
                    basis,
                    source: None,
                    values: vec![None; self.index.indicators.len()],
                    categories: vec![0; self.index.categories.len()],
                    lists: ListTotals::default(),
                });
                continue;
            };
            self.push_facts(period, zone, basis, source, &ret);
            zones.push(ZoneQuarter {
                basis,
                source: Some(source),
                values: self
                    .config
                    .indicators
                    .all
                    .iter()
                    .map(|i| ret.cumulative(&i.code))
                    .collect(),
                categories: self.categories(&ret),
                lists: ListTotals::of(&ret),
            });
            used.insert(zone.code.clone(), ret);
        }
        if reported {
            self.lists = Lists::new(self.config, period, used);
        }
        self.quarters.push(Quarter { period, zones });
    }

    fn push_facts(
        &mut self,
        period: Period,
        zone: &crate::config::Zone,
        basis: Basis,
        source: Period,
        ret: &Return,
    ) {
        for indicator in &self.config.indicators.all {
            let Some(cum) = ret
                .indicators
                .get(&indicator.code)
                .and_then(|v| v.cumulative.as_ref())
            else {
                continue;
            };
            self.facts.push(Fact {
                period,
                zone_code: zone.code.clone(),
                zone: zone.name.clone(),
                city: zone.city.clone(),
                indicator: indicator.code.clone(),
                kind: indicator.kind,
                value: cum.value,
                basis,
                source_period: source,
                file: ret.source.name.clone(),
                sheet: cum.sheet.to_string(),
                cell: cum.cell.a1(),
            });
        }
    }

    fn categories(&self, ret: &Return) -> Vec<usize> {
        let mut counts = vec![0; self.index.categories.len()];
        for p in &ret.projects {
            if let Some(&i) = p
                .category
                .as_deref()
                .and_then(|c| self.index.categories.get(c))
            {
                counts[i] += 1;
            }
        }
        counts
    }

    /// Totals everything gathered.
    pub fn finish(mut self) -> polars::prelude::PolarsResult<Figures> {
        let cities: Vec<String> = self.city_names();
        let (province, city) =
            totals::fact_totals(&self.facts, &self.index, &cities, self.quarters.len())?;
        self.lists.total(self.config)?;
        Ok(Figures {
            quarters: self.quarters,
            facts: self.facts,
            lists: self.lists,
            province,
            city: cities.into_iter().zip(city).collect(),
            index: self.index,
        })
    }

    /// The cities, in registry order of their first zone.
    fn city_names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for z in &self.config.registry.zones {
            if !out.contains(&z.city) {
                out.push(z.city.clone());
            }
        }
        out
    }
}

impl Figures {
    /// The quarters, in order.
    pub fn periods(&self) -> impl Iterator<Item = Period> + '_ {
        self.quarters.iter().map(|q| q.period)
    }

    fn quarter(&self, p: Period) -> Option<usize> {
        self.index.periods.get(&p).copied()
    }

    /// Σ 累计值 over the province; 0 for a quarter not aggregated.
    pub fn province(&self, p: Period, code: &str) -> f64 {
        self.total(&self.province, p, code)
    }

    /// Σ 累计值 over a city's zones.
    pub fn city(&self, p: Period, city: &str, code: &str) -> f64 {
        self.city
            .get(city)
            .map_or(0.0, |table| self.total(table, p, code))
    }

    fn total(&self, table: &[Vec<f64>], p: Period, code: &str) -> f64 {
        match (self.quarter(p), self.index.indicators.get(code)) {
            (Some(q), Some(&i)) => table[q][i],
            _ => 0.0,
        }
    }

    /// A zone in a quarter.
    pub fn zone_quarter(&self, p: Period, zone: &str) -> Option<&ZoneQuarter> {
        let z = *self.index.zones.get(zone)?;
        self.quarters.get(self.quarter(p)?).map(|q| &q.zones[z])
    }

    /// A zone's 累计值; 0 when it has none.
    pub fn zone(&self, p: Period, zone: &str, code: &str) -> f64 {
        let i = self.index.indicators.get(code);
        self.zone_quarter(p, zone)
            .zip(i)
            .and_then(|(z, &i)| z.values[i])
            .unwrap_or(0.0)
    }

    /// Where a zone's figures come from in a quarter.
    pub fn basis(&self, p: Period, zone: &str) -> (Basis, Option<Period>) {
        self.zone_quarter(p, zone)
            .map_or((Basis::NoData, None), |z| (z.basis, z.source))
    }

    /// A zone's projects of one 项目类别 in a quarter.
    pub fn projects_in(&self, p: Period, zone: &str, category: &str) -> usize {
        let i = self.index.categories.get(category);
        self.zone_quarter(p, zone)
            .zip(i)
            .map_or(0, |(z, &i)| z.categories[i])
    }
}
