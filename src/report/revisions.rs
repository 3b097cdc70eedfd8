//! 数据修订: figures of earlier quarters that differ from what the last
//! published report said (docs/review.md, "Revisions"). Zones correct
//! earlier quarters after publication; nothing is revised silently.
//!
//! The published figures are the `facts.csv` of earlier reports in the
//! output folder, read by the command layer and handed in
//! ([`super::Inputs::published`]); this part only compares.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Fact, Report};
use crate::aggregate::round4;
use crate::config::Config;
use crate::model::Period;

/// An earlier report's fact table, as published.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedFacts {
    /// The quarter the report was for.
    pub period: Period,
    pub facts: Vec<PublishedFact>,
}

/// One row of a published `facts.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedFact {
    pub period: Period,
    pub zone_code: String,
    pub indicator: String,
    pub value: f64,
    pub file: String,
}

/// A figure that differs from the published one. JSON keys are fixed
/// (manifest.json `revisions`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revision {
    /// The quarter the figure is of.
    pub period: Period,
    pub zone_code: String,
    pub zone: String,
    pub indicator: String,
    pub indicator_name: String,
    pub unit: String,
    /// As published (`None`: the report had no figure).
    pub was: Option<f64>,
    /// As computed now (`None`: no figure any more).
    pub now: Option<f64>,
    /// The report that published `was`.
    pub published_in: Period,
    /// The file the figure now comes from (or, when it has gone, the file
    /// it came from).
    pub file: String,
}

/// The latest earlier published report, the one figures are compared with.
pub(super) fn base(period: Period, published: &[PublishedFacts]) -> Option<&PublishedFacts> {
    published
        .iter()
        .filter(|p| p.period < period)
        .max_by_key(|p| p.period)
}

/// Every figure of the quarters the latest earlier published report
/// covered that now differs from it, by quarter, zone (registry order)
/// and indicator (catalogue order).
pub(super) fn revisions(
    config: &Config,
    period: Period,
    facts: &[Fact],
    published: &[PublishedFacts],
) -> Vec<Revision> {
    let Some(last) = base(period, published) else {
        return Vec::new();
    };
    type Key = (Period, usize, usize);
    let key = |p: Period, zone: &str, indicator: &str| -> Option<Key> {
        let z = config.registry.zones.iter().position(|x| x.code == zone)?;
        let i = config
            .indicators
            .all
            .iter()
            .position(|x| x.code == indicator)?;
        Some((p, z, i))
    };
    let mut was: BTreeMap<Key, (f64, &str)> = BTreeMap::new();
    for f in &last.facts {
        if let Some(k) = key(f.period, &f.zone_code, &f.indicator) {
            was.insert(k, (f.value, f.file.as_str()));
        }
    }
    let mut now: BTreeMap<Key, (f64, &str)> = BTreeMap::new();
    for f in facts.iter().filter(|f| f.period <= last.period) {
        if let Some(k) = key(f.period, &f.zone_code, &f.indicator) {
            now.insert(k, (f.value, f.file.as_str()));
        }
    }
    let mut keys: Vec<Key> = was.keys().chain(now.keys()).copied().collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let (w, n) = (was.get(&k), now.get(&k));
            let same = matches!((w, n), (Some(a), Some(b)) if round4(a.0) == round4(b.0));
            (!same).then(|| revision(config, k, w.copied(), n.copied(), last.period))
        })
        .collect()
}

fn revision(
    config: &Config,
    (period, z, i): (Period, usize, usize),
    was: Option<(f64, &str)>,
    now: Option<(f64, &str)>,
    published_in: Period,
) -> Revision {
    let zone = &config.registry.zones[z];
    let ind = &config.indicators.all[i];
    Revision {
        period,
        zone_code: zone.code.to_string(),
        zone: zone.name.clone(),
        indicator: ind.code.clone(),
        indicator_name: ind.name.clone(),
        unit: ind.unit.clone(),
        was: was.map(|w| w.0),
        now: now.map(|n| n.0),
        published_in,
        file: now.or(was).map(|x| x.1.to_string()).unwrap_or_default(),
    }
}

impl Report {
    /// What 数据修订 says above its table: which report the figures were
    /// compared with, or that there was none.
    pub fn revisions_heading(&self) -> String {
        match (self.revisions_base, self.revisions.len()) {
            (None, _) => {
                "输出目录中没有以前各期已发布的报告（facts.csv），本期未核对数据修订。".into()
            }
            (Some(p), 0) => format!("与 {p} 报告发布的数字相比，以前各期的数据没有修订。"),
            (Some(p), n) => format!("与 {p} 报告发布的数字相比，本期修订了以前各期的 {n} 项数据："),
        }
    }

    /// The brief's line on revisions: `本期修订了 2026Q2 的 3 项数据…`;
    /// `None` when nothing was revised.
    pub fn revisions_note(&self) -> Option<String> {
        if self.revisions.is_empty() {
            return None;
        }
        let mut by_quarter: BTreeMap<Period, usize> = BTreeMap::new();
        for r in &self.revisions {
            *by_quarter.entry(r.period).or_default() += 1;
        }
        let parts: Vec<String> = by_quarter
            .iter()
            .rev()
            .map(|(p, n)| format!("{p} 的 {n} 项数据"))
            .collect();
        let published = self.revisions[0].published_in;
        Some(format!(
            "本期修订了 {}（与 {published} 报告所发布的数字相比；高新区更正或补报了以前各期的报表），\
             明细见报告工作簿“数据修订”表。",
            parts.join("、")
        ))
    }
}
