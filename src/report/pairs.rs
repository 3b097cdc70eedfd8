//! 结对: every confirmed zone × university pair, then every other
//! collaboration the lists show.

use std::collections::BTreeSet;

use serde::Serialize;

use super::Quarter;
use crate::model::ZoneCode;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairRow {
    #[serde(skip)]
    pub zone_code: ZoneCode,
    pub zone: String,
    pub university: String,
    /// A registry pair (结对), with its evidence.
    pub confirmed: bool,
    pub evidence: String,
    pub projects: usize,
    pub platforms: usize,
    pub funded: f64,
}

/// Confirmed pairs first (registry order), then other collaborations by
/// zone (registry order) and university.
pub(super) fn pairs(q: &Quarter) -> Vec<PairRow> {
    let registry = &q.config.registry;
    let mut rows: Vec<PairRow> = registry
        .pairs
        .iter()
        .filter_map(|pr| {
            let zone = registry.zone_by_text(&pr.zone)?;
            Some(row(
                q,
                &zone.code,
                &pr.university,
                Some(pr.evidence.clone()),
            ))
        })
        .collect();
    let mut others: BTreeSet<(usize, ZoneCode, String)> = BTreeSet::new();
    for (zone, university) in q.figures.lists.pairs.keys() {
        let order = registry
            .zones
            .iter()
            .position(|z| z.code == *zone)
            .unwrap_or(usize::MAX);
        if !registry.is_paired(&q.zone_name(zone), university) {
            others.insert((order, zone.clone(), university.clone()));
        }
    }
    rows.extend(others.into_iter().map(|(_, z, u)| row(q, &z, &u, None)));
    rows
}

/// A pair's totals; `evidence` for a confirmed pair.
fn row(q: &Quarter, zone: &ZoneCode, university: &str, evidence: Option<String>) -> PairRow {
    let totals = q
        .figures
        .lists
        .pairs
        .get(&(zone.clone(), university.to_string()))
        .cloned()
        .unwrap_or_default();
    PairRow {
        zone_code: zone.clone(),
        zone: q.zone_name(zone),
        university: university.to_string(),
        confirmed: evidence.is_some(),
        evidence: evidence.unwrap_or_default(),
        projects: totals.projects,
        platforms: totals.platforms,
        funded: totals.funded,
    }
}
