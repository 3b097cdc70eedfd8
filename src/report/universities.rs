//! 高校: each university's collaboration, from the project and platform lists.

use std::collections::BTreeSet;

use serde::Serialize;

use super::Quarter;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UniversityRow {
    pub name: String,
    /// Zones it works with this quarter (names).
    pub zones: Vec<String>,
    /// Zones it is paired with (结对), as the registry names them.
    pub paired_zones: Vec<String>,
    pub projects: usize,
    pub platforms: usize,
    pub contract: f64,
    pub funded: f64,
    /// In the registry. Always true since names matching no registry
    /// university are listed apart, as 待核实 ([`UnverifiedUniversity`]).
    pub known: bool,
}

/// A name written as a 合作高校/共建高校 that matches no registry university
/// (I02, e.g. a typo such as 南京工大学): shown as 待核实, never counted as a
/// university, a pair or in any university total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnverifiedUniversity {
    /// As written in the lists.
    pub name: String,
    /// The zones whose lists name it (registry names, registry order).
    pub zones: Vec<String>,
    /// Project rows naming it.
    pub projects: usize,
    /// Platform rows naming it.
    pub platforms: usize,
}

impl UnverifiedUniversity {
    /// The label to print beside the name.
    pub const LABEL_ZH: &'static str = "待核实";
}

impl UniversityRow {
    /// Works on some project or platform this quarter.
    pub fn is_active(&self) -> bool {
        self.projects + self.platforms > 0
    }
}

/// The names to verify, by name.
pub(super) fn unverified(q: &Quarter) -> Vec<UnverifiedUniversity> {
    q.figures
        .lists
        .unverified()
        .into_iter()
        .map(|(name, totals)| UnverifiedUniversity {
            name,
            zones: q
                .config
                .registry
                .zones
                .iter()
                .filter(|z| totals.zones.contains(&z.code))
                .map(|z| z.name.clone())
                .collect(),
            projects: totals.projects,
            platforms: totals.platforms,
        })
        .collect()
}

/// Every registry university active this quarter and every paired one,
/// most projects first.
pub(super) fn universities(q: &Quarter) -> Vec<UniversityRow> {
    let lists = &q.figures.lists;
    let mut names: BTreeSet<String> = lists.universities.keys().cloned().collect();
    names.extend(q.config.registry.pairs.iter().map(|p| p.university.clone()));
    let mut rows: Vec<UniversityRow> = names.into_iter().map(|n| row(q, n)).collect();
    rows.sort_by(|a, b| {
        b.projects
            .cmp(&a.projects)
            .then(b.platforms.cmp(&a.platforms))
            .then(a.name.cmp(&b.name))
    });
    rows
}

fn row(q: &Quarter, name: String) -> UniversityRow {
    let totals = q
        .figures
        .lists
        .universities
        .get(&name)
        .cloned()
        .unwrap_or_default();
    UniversityRow {
        zones: totals.zones.iter().map(|z| q.zone_name(z)).collect(),
        paired_zones: q
            .config
            .registry
            .pairs
            .iter()
            .filter(|p| p.university == name)
            .map(|p| p.zone.clone())
            .collect(),
        projects: totals.projects,
        platforms: totals.platforms,
        contract: totals.contract,
        funded: totals.funded,
        known: q.config.registry.university_by_text(&name).is_some(),
        name,
    }
}
