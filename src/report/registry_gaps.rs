//! 登记核对: what `registry.toml` lacks, listed once so staff can complete
//! it — zones with no registered pair, universities the returns name that
//! the registry does not know, and registered pairs with no activity.

use serde::Serialize;

use super::{PairRow, Quarter, UnverifiedUniversity};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RegistryGaps {
    /// Zones with no registered pair (registry order).
    pub zones_without_pair: Vec<UnpairedZone>,
    /// Names written as universities that match no registry university
    /// (待核实), with the zones that wrote them.
    pub unknown_universities: Vec<UnverifiedUniversity>,
    /// Registered pairs with no project or platform this quarter.
    pub idle_pairs: Vec<IdlePair>,
}

impl RegistryGaps {
    pub fn is_empty(&self) -> bool {
        self.zones_without_pair.is_empty()
            && self.unknown_universities.is_empty()
            && self.idle_pairs.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnpairedZone {
    pub zone: String,
    pub city: String,
    /// Universities the zone's lists name this quarter (registry ones),
    /// candidates for a pair.
    pub partners: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdlePair {
    pub zone: String,
    pub university: String,
    pub evidence: String,
}

pub(super) fn registry_gaps(
    q: &Quarter,
    pairs: &[PairRow],
    unknown: &[UnverifiedUniversity],
) -> RegistryGaps {
    let registry = &q.config.registry;
    let zones_without_pair = registry
        .zones
        .iter()
        .filter(|z| registry.paired_universities(&z.name).is_empty())
        .map(|z| UnpairedZone {
            zone: z.name.clone(),
            city: z.city.clone(),
            partners: pairs
                .iter()
                .filter(|p| p.zone_code == z.code && !p.confirmed)
                .map(|p| p.university.clone())
                .collect(),
        })
        .collect();
    let idle_pairs = pairs
        .iter()
        .filter(|p| p.confirmed && p.projects == 0 && p.platforms == 0)
        .map(|p| IdlePair {
            zone: p.zone.clone(),
            university: p.university.clone(),
            evidence: p.evidence.clone(),
        })
        .collect();
    RegistryGaps {
        zones_without_pair,
        unknown_universities: unknown.to_vec(),
        idle_pairs,
    }
}
