//! Stage 3, aggregate: accepted returns become one long fact table (with the
//! carry-forward rule applied), and polars totals it by province, city, zone,
//! university, pair and category, for every quarter.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use crate::config::Config;
use crate::model::{Period, Return};
use crate::report::{Basis, Fact};
use crate::validate::PeriodCheck;

/// Amounts are totalled to 4 decimals of 万元; rounding also makes the
/// totals independent of the order polars adds them in.
pub fn round4(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

/// One project row as counted for a quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectFact {
    pub period: Period,
    pub zone_code: String,
    pub name: String,
    pub universities: Vec<String>,
    pub category: String,
    pub status: String,
    pub contract: f64,
    pub funded: f64,
    pub benchmark: bool,
}

/// One platform row as counted for a quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct PlatformFact {
    pub period: Period,
    pub zone_code: String,
    pub name: String,
    pub universities: Vec<String>,
    pub kind: String,
    pub level: String,
}

/// Where each zone's figures come from in each quarter, and the returns used.
#[derive(Debug, Clone, Default)]
pub struct Collected {
    pub periods: Vec<Period>,
    pub facts: Vec<Fact>,
    pub projects: Vec<ProjectFact>,
    pub platforms: Vec<PlatformFact>,
    /// (period, zone code) → basis and the quarter the figures come from.
    pub basis: BTreeMap<(Period, String), (Basis, Option<Period>)>,
    /// (period, zone code) → the return whose figures count.
    pub used: BTreeMap<(Period, String), Return>,
}

/// Applies the acceptance and carry-forward rule to every quarter checked.
pub fn collect(config: &Config, checks: &[PeriodCheck]) -> Collected {
    let mut out = Collected::default();
    let mut last: BTreeMap<String, (Period, Return)> = BTreeMap::new();
    for check in checks {
        let period = check.period;
        out.periods.push(period);
        for zone in &config.registry.zones {
            let fresh = check.accepted(&zone.code).and_then(|s| s.ret.clone());
            let (basis, used) = match fresh {
                Some(ret) => {
                    last.insert(zone.code.clone(), (period, ret.clone()));
                    (Basis::Fresh, Some((period, ret)))
                }
                None => match last.get(&zone.code) {
                    Some((p, r)) => (Basis::Carried, Some((*p, r.clone()))),
                    None => (Basis::NoData, None),
                },
            };
            out.basis.insert(
                (period, zone.code.clone()),
                (basis, used.as_ref().map(|u| u.0)),
            );
            let Some((source_period, ret)) = used else {
                continue;
            };
            for indicator in &config.indicators.all {
                let Some(cum) = ret
                    .indicators
                    .get(&indicator.code)
                    .and_then(|v| v.cumulative.as_ref())
                else {
                    continue;
                };
                out.facts.push(Fact {
                    period,
                    zone_code: zone.code.clone(),
                    zone: zone.name.clone(),
                    city: zone.city.clone(),
                    indicator: indicator.code.clone(),
                    value: cum.value,
                    basis,
                    source_period,
                    file: ret.source.name.clone(),
                    sheet: cum.sheet.clone(),
                    cell: cum.cell.a1(),
                });
            }
            for p in &ret.projects {
                out.projects.push(ProjectFact {
                    period,
                    zone_code: zone.code.clone(),
                    name: p.name.value.clone(),
                    universities: p.universities.clone(),
                    category: p.category.clone().unwrap_or_default(),
                    status: p.status.clone().unwrap_or_default(),
                    contract: p.contract.unwrap_or(0.0),
                    funded: p.funded.as_ref().map_or(0.0, |f| f.value),
                    benchmark: p.benchmark,
                });
            }
            for p in &ret.platforms {
                out.platforms.push(PlatformFact {
                    period,
                    zone_code: zone.code.clone(),
                    name: p.name.value.clone(),
                    universities: p.universities.clone(),
                    kind: p.kind.clone().unwrap_or_default(),
                    level: p.level.clone().unwrap_or_default(),
                });
            }
            out.used.insert((period, zone.code.clone()), ret);
        }
    }
    out
}

/// Totals keyed by strings: e.g. (period, indicator) → value.
pub type Totals = BTreeMap<Vec<String>, f64>;

/// Everything polars computed, keyed for lookup.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    /// [period, indicator] → Σ 累计值.
    pub province: Totals,
    /// [period, city, indicator] → Σ.
    pub city: Totals,
    /// [period, zone code, indicator] → value.
    pub zone: Totals,
    /// [period, university] → projects, contract, funded.
    pub university_projects: Totals,
    pub university_contract: Totals,
    pub university_funded: Totals,
    /// [period, university] → platforms.
    pub university_platforms: Totals,
    /// [period, zone code, university] → projects, funded, platforms.
    pub pair_projects: Totals,
    pub pair_funded: Totals,
    pub pair_platforms: Totals,
    /// [period, zone code, 项目类别] → projects.
    pub projects_by_category: Totals,
    /// [period, 项目状态] → projects.
    pub projects_by_status: Totals,
    /// [period, zone code] → 标杆项目.
    pub benchmarks: Totals,
    /// [period, 平台类型] / [period, 平台级别] → platforms.
    pub platforms_by_type: Totals,
    pub platforms_by_level: Totals,
}

impl Tables {
    pub fn get(t: &Totals, key: &[&str]) -> f64 {
        let key: Vec<String> = key.iter().map(|s| s.to_string()).collect();
        t.get(&key).copied().unwrap_or(0.0)
    }
}

/// Totals the collected facts with polars.
pub fn tables(c: &Collected) -> PolarsResult<Tables> {
    let facts = df!(
        "period" => c.facts.iter().map(|f| f.period.to_string()).collect::<Vec<_>>(),
        "zone" => c.facts.iter().map(|f| f.zone_code.clone()).collect::<Vec<_>>(),
        "city" => c.facts.iter().map(|f| f.city.clone()).collect::<Vec<_>>(),
        "indicator" => c.facts.iter().map(|f| f.indicator.clone()).collect::<Vec<_>>(),
        "value" => c.facts.iter().map(|f| f.value).collect::<Vec<_>>(),
    )?;
    // One row per project × university (a joint project counts for each).
    let mut pu: [Vec<String>; 3] = Default::default();
    let mut pu_amounts: [Vec<f64>; 2] = Default::default();
    for p in &c.projects {
        for u in &p.universities {
            pu[0].push(p.period.to_string());
            pu[1].push(p.zone_code.clone());
            pu[2].push(u.clone());
            pu_amounts[0].push(p.contract);
            pu_amounts[1].push(p.funded);
        }
    }
    let [pu_period, pu_zone, pu_uni] = pu;
    let [pu_contract, pu_funded] = pu_amounts;
    let project_universities = df!(
        "period" => pu_period, "zone" => pu_zone, "university" => pu_uni,
        "contract" => pu_contract, "funded" => pu_funded,
    )?;
    let projects = df!(
        "period" => c.projects.iter().map(|p| p.period.to_string()).collect::<Vec<_>>(),
        "zone" => c.projects.iter().map(|p| p.zone_code.clone()).collect::<Vec<_>>(),
        "category" => c.projects.iter().map(|p| p.category.clone()).collect::<Vec<_>>(),
        "status" => c.projects.iter().map(|p| p.status.clone()).collect::<Vec<_>>(),
        "benchmark" => c.projects.iter().map(|p| f64::from(u8::from(p.benchmark))).collect::<Vec<_>>(),
    )?;
    let mut lu: [Vec<String>; 3] = Default::default();
    for p in &c.platforms {
        for u in &p.universities {
            lu[0].push(p.period.to_string());
            lu[1].push(p.zone_code.clone());
            lu[2].push(u.clone());
        }
    }
    let [lu_period, lu_zone, lu_uni] = lu;
    let platform_universities =
        df!("period" => lu_period, "zone" => lu_zone, "university" => lu_uni)?;
    let platforms = df!(
        "period" => c.platforms.iter().map(|p| p.period.to_string()).collect::<Vec<_>>(),
        "type" => c.platforms.iter().map(|p| p.kind.clone()).collect::<Vec<_>>(),
        "level" => c.platforms.iter().map(|p| p.level.clone()).collect::<Vec<_>>(),
    )?;

    Ok(Tables {
        province: sum_by(&facts, &["period", "indicator"], "value")?,
        city: sum_by(&facts, &["period", "city", "indicator"], "value")?,
        zone: sum_by(&facts, &["period", "zone", "indicator"], "value")?,
        university_projects: count_by(&project_universities, &["period", "university"])?,
        university_contract: sum_by(&project_universities, &["period", "university"], "contract")?,
        university_funded: sum_by(&project_universities, &["period", "university"], "funded")?,
        university_platforms: count_by(&platform_universities, &["period", "university"])?,
        pair_projects: count_by(&project_universities, &["period", "zone", "university"])?,
        pair_funded: sum_by(
            &project_universities,
            &["period", "zone", "university"],
            "funded",
        )?,
        pair_platforms: count_by(&platform_universities, &["period", "zone", "university"])?,
        projects_by_category: count_by(&projects, &["period", "zone", "category"])?,
        projects_by_status: count_by(&projects, &["period", "status"])?,
        benchmarks: sum_by(&projects, &["period", "zone"], "benchmark")?,
        platforms_by_type: count_by(&platforms, &["period", "type"])?,
        platforms_by_level: count_by(&platforms, &["period", "level"])?,
    })
}

fn sum_by(df: &DataFrame, keys: &[&str], value: &str) -> PolarsResult<Totals> {
    let grouped = df
        .clone()
        .lazy()
        .group_by(keys.iter().map(|k| col(*k)).collect::<Vec<_>>())
        .agg([col(value).sum().alias("total")])
        .collect()?;
    to_totals(&grouped, keys, |df, i| {
        Ok(df.column("total")?.f64()?.get(i).unwrap_or(0.0))
    })
}

fn count_by(df: &DataFrame, keys: &[&str]) -> PolarsResult<Totals> {
    let grouped = df
        .clone()
        .lazy()
        .group_by(keys.iter().map(|k| col(*k)).collect::<Vec<_>>())
        .agg([len().alias("total")])
        .collect()?;
    to_totals(&grouped, keys, |df, i| {
        Ok(f64::from(df.column("total")?.u32()?.get(i).unwrap_or(0)))
    })
}

fn to_totals(
    df: &DataFrame,
    keys: &[&str],
    total: impl Fn(&DataFrame, usize) -> PolarsResult<f64>,
) -> PolarsResult<Totals> {
    let mut out = Totals::new();
    let columns: Vec<&StringChunked> = keys
        .iter()
        .map(|k| df.column(k)?.str())
        .collect::<PolarsResult<_>>()?;
    for i in 0..df.height() {
        let key: Vec<String> = columns
            .iter()
            .map(|c| c.get(i).unwrap_or_default().to_string())
            .collect();
        out.insert(key, round4(total(df, i)?));
    }
    Ok(out)
}

/// Distinct zones each university works with in a quarter (for labels).
pub fn university_zones(c: &Collected, period: Period) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let projects = c
        .projects
        .iter()
        .map(|p| (p.period, &p.zone_code, &p.universities));
    let platforms = c
        .platforms
        .iter()
        .map(|p| (p.period, &p.zone_code, &p.universities));
    for (p, zone, unis) in projects.chain(platforms) {
        if p == period {
            for u in unis {
                out.entry(u.clone()).or_default().insert(zone.clone());
            }
        }
    }
    out
}
