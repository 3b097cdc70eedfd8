//! 分市简报 and 分区简报: one page for each city and each zone, with its
//! figures against the province, its targets, trend, pairs, reporting
//! record, open findings and its generated paragraph (docs/brief.md §3).

use serde::Serialize;

use super::narrative::{self, At, Paragraph};
use super::{Basis, ListedFinding, PairRow, Report, Role};
use crate::config::Wording;
use crate::model::{Period, Severity, ZoneCode};

/// Whose page it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Area {
    City,
    Zone,
}

impl Area {
    /// The folder the pages are written to.
    pub fn folder_zh(self) -> &'static str {
        match self {
            Area::City => "分市简报",
            Area::Zone => "分区简报",
        }
    }
}

/// One city's or zone's page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaPage {
    pub area: Area,
    pub name: String,
    /// The zone's registry code (zones only).
    pub code: Option<ZoneCode>,
    pub city: String,
    /// The file name without `_<P>.pdf`, safe on every file system.
    pub file_stem: String,
    /// The zones of a city (with their basis), or the zone itself.
    pub zones: Vec<(String, Basis)>,
    /// Every headline indicator.
    pub rows: Vec<AreaRow>,
    /// Indices into `Report::targets` of the area's own targets.
    pub targets: Vec<usize>,
    /// The ranking indicator's 累计值 quarter by quarter.
    pub trend: Vec<(Period, f64)>,
    pub pairs: Vec<PairRow>,
    /// The pairs' projects add up to more than the area's projects (a
    /// project with several universities counts in each pair), so the page
    /// says why.
    pub pairs_overlap: bool,
    /// Each quarter: where the figures came from (本期 / 沿用上期 / 无数据).
    pub record: Vec<(Period, Basis)>,
    /// This quarter's errors and unexplained warnings of the area's files.
    pub open_findings: Vec<ListedFinding>,
    pub paragraph: Paragraph,
}

/// One indicator on a page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaRow {
    pub code: String,
    pub value: f64,
    pub this_quarter: Option<f64>,
    pub quarter_on_quarter: Option<f64>,
    /// The area's share of the province 累计值 (`None` when that is 0).
    pub share: Option<f64>,
    /// Among the zones with data, or among the cities with data.
    pub rank: Option<super::rank::Place>,
    /// How many are ranked.
    pub ranked: usize,
}

impl Report {
    /// A page for each city, in registry order.
    pub fn city_pages(&self, w: &Wording) -> Vec<AreaPage> {
        self.cities
            .iter()
            .map(|c| {
                let members: Vec<_> = self.zones_of(&c.city).collect();
                let at = At::City(c.city.clone());
                AreaPage {
                    area: Area::City,
                    name: c.city.clone(),
                    code: None,
                    city: c.city.clone(),
                    file_stem: super::feedback::safe_file_part(&c.city),
                    zones: members.iter().map(|z| (z.name.clone(), z.basis)).collect(),
                    rows: self.area_rows(&at, |code| {
                        Some((c.figures.get(code)?.value, *c.flows.get(code)?))
                    }),
                    targets: self.targets_where(|t| t.scope.label_zh() == c.city),
                    trend: self.series(|f| f.city == c.city),
                    pairs: self
                        .pairs
                        .iter()
                        .filter(|p| p.confirmed && members.iter().any(|z| z.code == p.zone_code))
                        .cloned()
                        .collect(),
                    pairs_overlap: false,
                    record: Vec::new(),
                    open_findings: self
                        .open_findings(|code| members.iter().any(|z| &z.code == code)),
                    paragraph: narrative::city_paragraph(self, c, w),
                }
            })
            .map(|page| self.with_overlap(page))
            .collect()
    }

    /// Marks a page whose pairs' projects add up to more than its projects
    /// (by the ranking indicator, the project count).
    fn with_overlap(&self, mut page: AreaPage) -> AreaPage {
        let Some(code) = self.rank_indicator().map(|i| i.code.clone()) else {
            return page;
        };
        let projects = page
            .rows
            .iter()
            .find(|r| r.code == code)
            .map_or(0.0, |r| r.value);
        let in_pairs: usize = page.pairs.iter().map(|p| p.projects).sum();
        page.pairs_overlap = in_pairs as f64 > projects;
        page
    }

    /// A page for each registry zone, in registry order.
    pub fn zone_pages(&self, w: &Wording) -> Vec<AreaPage> {
        let mut zones: Vec<&super::ZoneRow> = self.zones.iter().collect();
        zones.sort_by_key(|z| self.registry_position(&z.code));
        zones
            .into_iter()
            .map(|z| {
                let at = At::Zone(z.code.clone());
                AreaPage {
                    area: Area::Zone,
                    name: z.name.clone(),
                    code: Some(z.code.clone()),
                    city: z.city.clone(),
                    file_stem: super::feedback::safe_file_part(&z.name),
                    zones: vec![(z.name.clone(), z.basis)],
                    rows: self.area_rows(&at, |code| {
                        Some((z.figures.get(code)?.value, *z.flows.get(code)?))
                    }),
                    targets: self.targets_where(|t| t.scope.zone() == Some(&z.code)),
                    trend: self.series(|f| f.zone_code == z.code),
                    pairs: self
                        .pairs
                        .iter()
                        .filter(|p| p.zone_code == z.code)
                        .cloned()
                        .collect(),
                    pairs_overlap: false,
                    record: self.record(&z.code),
                    open_findings: self.open_findings(|code| code == &z.code),
                    paragraph: narrative::zone_paragraph(self, z, w),
                }
            })
            .map(|page| self.with_overlap(page))
            .collect()
    }

    fn zones_of<'a>(&'a self, city: &'a str) -> impl Iterator<Item = &'a super::ZoneRow> + 'a {
        let mut zones: Vec<&super::ZoneRow> =
            self.zones.iter().filter(|z| z.city == city).collect();
        zones.sort_by_key(|z| self.registry_position(&z.code));
        zones.into_iter()
    }

    /// Zones are listed by rank on 分区; pages follow the registry, which
    /// `submissions` keeps.
    fn registry_position(&self, code: &ZoneCode) -> usize {
        self.submissions
            .iter()
            .position(|s| &s.code == code)
            .unwrap_or(usize::MAX)
    }

    fn area_rows(
        &self,
        at: &At,
        values: impl Fn(&str) -> Option<(f64, super::Flows)>,
    ) -> Vec<AreaRow> {
        self.with_role(Role::Headline)
            .filter_map(|i| {
                let (value, flows) = values(&i.code)?;
                let province = self.headline(&i.code).map_or(0.0, |h| h.figure.value);
                Some(AreaRow {
                    code: i.code.clone(),
                    value,
                    this_quarter: flows.this_quarter,
                    quarter_on_quarter: flows.quarter_on_quarter,
                    share: (province > 0.0).then(|| value / province),
                    rank: narrative::rank_of(self, at, &i.code),
                    ranked: match at {
                        At::City(_) => self.cities.iter().filter(|c| c.zones_with_data > 0).count(),
                        _ => self
                            .zones
                            .iter()
                            .filter(|z| z.basis != Basis::NoData)
                            .count(),
                    },
                })
            })
            .collect()
    }

    fn targets_where(&self, keep: impl Fn(&super::TargetProgress) -> bool) -> Vec<usize> {
        (0..self.targets.len())
            .filter(|&i| keep(&self.targets[i]))
            .collect()
    }

    /// The ranking indicator's 累计值 quarter by quarter, summed over the
    /// facts `mine` keeps (a zone's, or a city's zones'); empty without a
    /// ranking indicator. One pass over the fact table.
    fn series(&self, mine: impl Fn(&super::Fact) -> bool) -> Vec<(Period, f64)> {
        let Some(code) = self.rank_indicator().map(|i| i.code.as_str()) else {
            return Vec::new();
        };
        let mut by_period: std::collections::BTreeMap<Period, f64> = Default::default();
        for f in self.facts.iter().filter(|f| f.indicator == code && mine(f)) {
            *by_period.entry(f.period).or_default() += f.value;
        }
        by_period.into_iter().collect()
    }

    /// Each quarter's basis of a zone's figures since it joined (its entry
    /// quarter on; from the fact table, 无数据 where it has none).
    fn record(&self, zone: &ZoneCode) -> Vec<(Period, Basis)> {
        let joined = self.flow_rules.entry.get(zone.as_str()).copied();
        let known: std::collections::BTreeMap<Period, Basis> = self
            .facts
            .iter()
            .filter(|f| &f.zone_code == zone)
            .map(|f| (f.period, f.basis))
            .collect();
        self.trend
            .iter()
            .filter(|t| joined.is_none_or(|p| t.period >= p))
            .map(|t| {
                (
                    t.period,
                    known.get(&t.period).copied().unwrap_or(Basis::NoData),
                )
            })
            .collect()
    }

    /// Errors and unexplained warnings in the files of the matching zones.
    fn open_findings(&self, mine: impl Fn(&ZoneCode) -> bool) -> Vec<ListedFinding> {
        let files: Vec<&String> = self
            .submissions
            .iter()
            .filter(|s| mine(&s.code))
            .flat_map(|s| &s.files)
            .collect();
        self.findings
            .iter()
            .filter(|f| f.finding.file.as_ref().is_some_and(|x| files.contains(&x)))
            .filter(|f| f.finding.rule != "F02")
            .filter(|f| match f.finding.severity {
                Severity::Error => true,
                Severity::Warning => f.explanation.is_none(),
                Severity::Info => false,
            })
            .cloned()
            .collect()
    }
}
