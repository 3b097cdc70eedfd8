//! The programme's stage at the quarter and its cohorts: how the outputs
//! word the programme, which zones take part and since when, and which
//! joined this quarter (docs/return-form.md §2.5).

use serde::Serialize;

use super::{Basis, Quarter};
use crate::model::Period;

/// One cohort taking part by the quarter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortCount {
    pub year: i32,
    /// 试点高新区 / 2027年加入的高新区.
    pub name: String,
    /// Its zones' 累计 counts from here …
    pub start: chrono::NaiveDate,
    /// … and their first quarter, an entry.
    pub entry: Period,
    /// Its registry zones …
    pub zones: usize,
    /// … of which with figures this quarter.
    pub with_data: usize,
    /// The quarter is its entry quarter: its zones join now.
    pub joins_now: bool,
}

/// Zones joining in a quarter after the programme's first (a step in the
/// totals the trend chart marks).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Joining {
    pub period: Period,
    pub zones: usize,
}

/// The cohorts whose zones take part by the quarter, by start.
pub(super) fn cohorts(q: &Quarter) -> Vec<CohortCount> {
    let calendar = &q.config.calendar;
    let mut years: Vec<i32> = q.config.registry.zones.iter().map(|z| z.cohort).collect();
    years.sort_by_key(|y| (calendar.cohort(*y).start, *y));
    years.dedup();
    years
        .into_iter()
        .map(|year| {
            let cohort = calendar.cohort(year);
            let zones: Vec<_> = q
                .config
                .registry
                .zones
                .iter()
                .filter(|z| z.cohort == year)
                .collect();
            CohortCount {
                year,
                name: cohort.name,
                start: cohort.start,
                entry: calendar.entry_quarter(year),
                zones: zones.len(),
                with_data: zones
                    .iter()
                    .filter(|z| q.basis(&z.code, q.period).0 != Basis::NoData)
                    .count(),
                joins_now: calendar.entry_quarter(year) == q.period,
            }
        })
        .collect()
}

/// The quarters after the programme's first in which zones joined.
pub(super) fn joinings(q: &Quarter) -> Vec<Joining> {
    let calendar = &q.config.calendar;
    q.figures
        .periods()
        .filter(|p| *p > calendar.first_period && *p <= q.period)
        .filter_map(|p| {
            let zones = q
                .config
                .registry
                .zones
                .iter()
                .filter(|z| calendar.entry_quarter(z.cohort) == p)
                .filter(|z| q.basis(&z.code, p).0 != Basis::NoData)
                .count();
            (zones > 0).then_some(Joining { period: p, zones })
        })
        .collect()
}

impl super::Report {
    /// The quarters after the programme's first in which zones of an area
    /// (`mine` keeps its zones) joined, with how many: the steps its trend
    /// chart marks.
    pub fn joinings_of(&self, mine: impl Fn(&super::ZoneRow) -> bool) -> Vec<Joining> {
        let first = self.cohorts.first().map(|c| c.entry);
        self.cohorts
            .iter()
            .filter(|c| Some(c.entry) != first)
            .filter_map(|c| {
                let zones = self
                    .zones
                    .iter()
                    .filter(|z| z.cohort == c.year && mine(z))
                    .count();
                (zones > 0 && c.entry <= self.period).then_some(Joining {
                    period: c.entry,
                    zones,
                })
            })
            .collect()
    }
}
