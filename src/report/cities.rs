//! 分市: each city's totals.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Basis, Change, Quarter};

/// One city's totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CityRow {
    pub city: String,
    pub zones: usize,
    pub zones_with_data: usize,
    pub figures: BTreeMap<String, Change>,
}

/// Every city, in registry order of its first zone.
pub(super) fn cities(q: &Quarter) -> Vec<CityRow> {
    let mut cities: Vec<CityRow> = Vec::new();
    for z in &q.config.registry.zones {
        if cities.iter().any(|c| c.city == z.city) {
            continue;
        }
        let members: Vec<&crate::config::Zone> = q
            .config
            .registry
            .zones
            .iter()
            .filter(|x| x.city == z.city)
            .collect();
        let zones_with_data = members
            .iter()
            .filter(|m| q.basis(&m.code, q.period).0 != Basis::NoData)
            .count();
        cities.push(CityRow {
            city: z.city.clone(),
            zones: members.len(),
            zones_with_data,
            figures: q
                .codes()
                .map(|code| {
                    (
                        code.to_string(),
                        q.change(|p| q.figures.city(p, &z.city, code)),
                    )
                })
                .collect(),
        });
    }
    cities
}
