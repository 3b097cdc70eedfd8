//! The reported quarter's project and platform lists (from each zone's
//! return that counts: this quarter's, or carried forward), and their
//! totals by university and by zone × university pair.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::config::Config;
use crate::model::{Period, Return, ZoneCode};

/// One project row as counted for the quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectFact {
    pub zone_code: ZoneCode,
    pub name: String,
    /// Registry universities (canonical names).
    pub universities: Vec<String>,
    /// Names as written that match no registry university (I02, 待核实):
    /// not counted as universities or pairs anywhere.
    pub unverified: Vec<String>,
    pub category: String,
    pub status: String,
    pub contract: f64,
    pub funded: f64,
    pub benchmark: bool,
}

/// One platform row as counted for the quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct PlatformFact {
    pub zone_code: ZoneCode,
    pub name: String,
    /// Registry universities (canonical names).
    pub universities: Vec<String>,
    /// Names as written that match no registry university (待核实).
    pub unverified: Vec<String>,
    pub kind: String,
    pub level: String,
}

/// A university's collaboration in the quarter (a joint project counts for
/// each of its universities).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UniversityTotals {
    pub projects: usize,
    pub platforms: usize,
    pub contract: f64,
    pub funded: f64,
    /// Codes of the zones it works with.
    pub zones: BTreeSet<ZoneCode>,
}

/// A zone × university pair's collaboration in the quarter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PairTotals {
    pub projects: usize,
    pub platforms: usize,
    pub funded: f64,
}

/// Rows naming a university that is not in the registry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnverifiedTotals {
    pub projects: usize,
    pub platforms: usize,
    /// Codes of the zones whose lists name it.
    pub zones: BTreeSet<ZoneCode>,
}

/// Splits a list cell's names (canonical, or as written when unknown, see
/// `ProjectRow::universities`) into registry universities and the rest.
/// Validate has already raised I02 on the rest; here they stop counting.
fn resolve(config: &Config, names: &[String]) -> (Vec<String>, Vec<String>) {
    names
        .iter()
        .cloned()
        .partition(|n| config.registry.university_by_text(n).is_some())
}

/// The reported quarter's lists and their totals.
#[derive(Debug, Clone, Default)]
pub struct Lists {
    pub period: Option<Period>,
    pub projects: Vec<ProjectFact>,
    pub platforms: Vec<PlatformFact>,
    /// Zone code → the return whose figures count this quarter.
    pub used: BTreeMap<ZoneCode, Arc<Return>>,
    pub universities: BTreeMap<String, UniversityTotals>,
    /// (zone code, university) → totals.
    pub pairs: BTreeMap<(ZoneCode, String), PairTotals>,
}

impl Lists {
    pub(super) fn new(
        config: &Config,
        period: Period,
        used: BTreeMap<ZoneCode, Arc<Return>>,
    ) -> Lists {
        let mut projects = Vec::new();
        let mut platforms = Vec::new();
        for (zone, ret) in &used {
            projects.extend(ret.projects.iter().map(|p| {
                let (universities, unverified) = resolve(config, &p.universities);
                ProjectFact {
                    zone_code: zone.clone(),
                    name: p.name.value.clone(),
                    universities,
                    unverified,
                    category: p.category.clone().unwrap_or_default(),
                    status: p.status.clone().unwrap_or_default(),
                    contract: p.contract.unwrap_or(0.0),
                    funded: p.funded.as_ref().map_or(0.0, |f| f.value),
                    benchmark: p.benchmark,
                }
            }));
            platforms.extend(ret.platforms.iter().map(|p| {
                let (universities, unverified) = resolve(config, &p.universities);
                PlatformFact {
                    zone_code: zone.clone(),
                    name: p.name.value.clone(),
                    universities,
                    unverified,
                    kind: p.kind.clone().unwrap_or_default(),
                    level: p.level.clone().unwrap_or_default(),
                }
            }));
        }
        Lists {
            period: Some(period),
            projects,
            platforms,
            used,
            ..Lists::default()
        }
    }

    /// Names written in the lists that match no registry university, with
    /// the zones that wrote them and how many project and platform rows
    /// name them, by name.
    pub fn unverified(&self) -> BTreeMap<String, UnverifiedTotals> {
        let mut out: BTreeMap<String, UnverifiedTotals> = BTreeMap::new();
        for p in &self.projects {
            for name in &p.unverified {
                let t = out.entry(name.clone()).or_default();
                t.projects += 1;
                t.zones.insert(p.zone_code.clone());
            }
        }
        for p in &self.platforms {
            for name in &p.unverified {
                let t = out.entry(name.clone()).or_default();
                t.platforms += 1;
                t.zones.insert(p.zone_code.clone());
            }
        }
        out
    }

    /// Totals by university and by pair (polars).
    pub(super) fn total(&mut self, _config: &Config) -> polars::prelude::PolarsResult<()> {
        let (universities, pairs) = super::totals::list_totals(&self.projects, &self.platforms)?;
        self.universities = universities;
        self.pairs = pairs;
        Ok(())
    }

    /// A zone's 标杆项目.
    pub fn benchmarks(&self, zone: &str) -> usize {
        self.projects
            .iter()
            .filter(|p| p.zone_code == zone && p.benchmark)
            .count()
    }

    /// How many list rows carry each value (e.g. each 项目状态).
    pub fn tally<'a>(values: impl Iterator<Item = &'a str>) -> BTreeMap<&'a str, usize> {
        let mut out = BTreeMap::new();
        for v in values {
            *out.entry(v).or_default() += 1;
        }
        out
    }
}
