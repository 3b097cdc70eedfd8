//! 分市: each city's totals.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Basis, Change, Flows, Level, Quarter};

/// One city's totals (carried figures included, as in the province total).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CityRow {
    pub city: String,
    pub zones: usize,
    pub zones_with_data: usize,
    /// Zones whose figures in the totals are carried (沿用上期), by name.
    pub zones_carried: Vec<String>,
    pub figures: BTreeMap<String, Change>,
    /// By indicator code: the quarter's own flows.
    pub flows: BTreeMap<String, Flows>,
}

/// Every city, in registry order of its first zone.
pub(super) fn cities(q: &Quarter) -> Vec<CityRow> {
    let mut cities: Vec<&str> = Vec::new();
    for z in &q.config.registry.zones {
        if !cities.contains(&z.city.as_str()) {
            cities.push(&z.city);
        }
    }
    cities.into_iter().map(|city| city_row(q, city)).collect()
}

fn city_row(q: &Quarter, city: &str) -> CityRow {
    let members: Vec<&crate::config::Zone> = q
        .config
        .registry
        .zones
        .iter()
        .filter(|x| x.city == city)
        .collect();
    let basis = |m: &crate::config::Zone| q.basis(&m.code, q.period).0;
    CityRow {
        city: city.to_string(),
        zones: members.len(),
        zones_with_data: members.iter().filter(|m| basis(m) != Basis::NoData).count(),
        zones_carried: members
            .iter()
            .filter(|m| basis(m) == Basis::Carried)
            .map(|m| m.name.clone())
            .collect(),
        figures: q
            .codes()
            .map(|code| {
                let change = q.change(|p| q.figures.city(p, city, code));
                (code.to_string(), change)
            })
            .collect(),
        flows: q
            .codes()
            .map(|code| (code.to_string(), q.flows(Level::City(city), code)))
            .collect(),
    }
}
