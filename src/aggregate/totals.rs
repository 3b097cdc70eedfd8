//! The totals polars computes: the fact table of every quarter by province
//! and by city (one frame, integer keys), and the reported quarter's lists
//! by university and by pair.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;

use super::lists::{PairTotals, PlatformFact, ProjectFact, UniversityTotals};
use super::Fact;
use super::{round4, Index};
use crate::model::ZoneCode;

/// [quarter][indicator] totals for the province, and per city (in the
/// order of `cities`).
pub(super) type FactTotals = (Vec<Vec<f64>>, Vec<Vec<Vec<f64>>>);

pub(super) fn fact_totals(
    facts: &[Fact],
    index: &Index,
    cities: &[String],
    quarters: usize,
) -> PolarsResult<FactTotals> {
    let city_index: HashMap<&str, u32> = cities
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i as u32))
        .collect();
    let key = |f: &Fact| {
        (
            index.periods.get(&f.period).map_or(0, |&q| q as u32),
            city_index.get(f.city.as_str()).copied().unwrap_or(0),
            index.indicators.get(&f.indicator).map_or(0, |&i| i as u32),
        )
    };
    let keys: Vec<(u32, u32, u32)> = facts.iter().map(key).collect();
    let frame = df!(
        "q" => keys.iter().map(|k| k.0).collect::<Vec<_>>(),
        "city" => keys.iter().map(|k| k.1).collect::<Vec<_>>(),
        "ind" => keys.iter().map(|k| k.2).collect::<Vec<_>>(),
        "value" => facts.iter().map(|f| f.value).collect::<Vec<_>>(),
    )?;
    let indicators = index.indicators.len();
    let mut province = vec![vec![0.0; indicators]; quarters];
    for (k, v) in sum_by(&frame, &["q", "ind"])? {
        province[k[0] as usize][k[1] as usize] = v;
    }
    let mut city = vec![vec![vec![0.0; indicators]; quarters]; cities.len()];
    for (k, v) in sum_by(&frame, &["q", "city", "ind"])? {
        city[k[1] as usize][k[0] as usize][k[2] as usize] = v;
    }
    Ok((province, city))
}

/// Σ value by integer keys, rounded to 4 decimals.
fn sum_by(frame: &DataFrame, keys: &[&str]) -> PolarsResult<Vec<(Vec<u32>, f64)>> {
    let grouped = frame
        .clone()
        .lazy()
        .group_by(keys.iter().map(|k| col(*k)).collect::<Vec<_>>())
        .agg([col("value").sum()])
        .collect()?;
    let columns: Vec<&UInt32Chunked> = keys
        .iter()
        .map(|k| grouped.column(k)?.u32())
        .collect::<PolarsResult<_>>()?;
    let values = grouped.column("value")?.f64()?;
    Ok((0..grouped.height())
        .map(|i| {
            let key = columns.iter().map(|c| c.get(i).unwrap_or(0)).collect();
            (key, round4(values.get(i).unwrap_or(0.0)))
        })
        .collect())
}

/// Totals of the lists: by university, and by (zone code, university).
pub(super) type ListTotals = (
    BTreeMap<String, UniversityTotals>,
    BTreeMap<(ZoneCode, String), PairTotals>,
);

pub(super) fn list_totals(
    projects: &[ProjectFact],
    platforms: &[PlatformFact],
) -> PolarsResult<ListTotals> {
    // One row per project × university: a joint project counts for each.
    let mut rows: (Vec<&str>, Vec<&str>, Vec<f64>, Vec<f64>) = Default::default();
    for p in projects {
        for u in &p.universities {
            rows.0.push(&p.zone_code);
            rows.1.push(u);
            rows.2.push(p.contract);
            rows.3.push(p.funded);
        }
    }
    let project_rows = df!(
        "zone" => rows.0, "university" => rows.1, "contract" => rows.2, "funded" => rows.3,
    )?;
    let (zones, unis): (Vec<&str>, Vec<&str>) = platforms
        .iter()
        .flat_map(|p| {
            p.universities
                .iter()
                .map(|u| (p.zone_code.as_str(), u.as_str()))
        })
        .unzip();
    let platform_rows = df!("zone" => zones, "university" => unis)?;

    let mut universities: BTreeMap<String, UniversityTotals> = BTreeMap::new();
    for (key, n, sums) in group(&project_rows, &["university"], &["contract", "funded"])? {
        let u = universities.entry(key[0].clone()).or_default();
        u.projects = n;
        u.contract = sums[0];
        u.funded = sums[1];
    }
    for (key, n, _) in group(&platform_rows, &["university"], &[])? {
        universities.entry(key[0].clone()).or_default().platforms = n;
    }
    let memberships = projects
        .iter()
        .flat_map(|p| p.universities.iter().map(move |u| (u, &p.zone_code)))
        .chain(
            platforms
                .iter()
                .flat_map(|p| p.universities.iter().map(move |u| (u, &p.zone_code))),
        );
    for (u, zone) in memberships {
        if let Some(totals) = universities.get_mut(u) {
            totals.zones.insert(zone.clone());
        }
    }

    let mut pairs: BTreeMap<(ZoneCode, String), PairTotals> = BTreeMap::new();
    for (key, n, sums) in group(&project_rows, &["zone", "university"], &["funded"])? {
        let p = pairs
            .entry((ZoneCode::new(key[0].clone()), key[1].clone()))
            .or_default();
        p.projects = n;
        p.funded = sums[0];
    }
    for (key, n, _) in group(&platform_rows, &["zone", "university"], &[])? {
        pairs
            .entry((ZoneCode::new(key[0].clone()), key[1].clone()))
            .or_default()
            .platforms = n;
    }
    Ok((universities, pairs))
}

/// A group: its key, its row count and the sums of the summed columns.
type Group = (Vec<String>, usize, Vec<f64>);

/// Rows by string keys, each sum rounded.
fn group(frame: &DataFrame, keys: &[&str], summed: &[&str]) -> PolarsResult<Vec<Group>> {
    let mut aggs = vec![len().alias("n")];
    aggs.extend(summed.iter().map(|c| col(*c).sum()));
    let grouped = frame
        .clone()
        .lazy()
        .group_by(keys.iter().map(|k| col(*k)).collect::<Vec<_>>())
        .agg(aggs)
        .collect()?;
    let key_columns: Vec<&StringChunked> = keys
        .iter()
        .map(|k| grouped.column(k)?.str())
        .collect::<PolarsResult<_>>()?;
    let counts = grouped.column("n")?.u32()?;
    let sums: Vec<&Float64Chunked> = summed
        .iter()
        .map(|c| grouped.column(c)?.f64())
        .collect::<PolarsResult<_>>()?;
    Ok((0..grouped.height())
        .map(|i| {
            (
                key_columns
                    .iter()
                    .map(|c| c.get(i).unwrap_or_default().to_string())
                    .collect(),
                counts.get(i).unwrap_or(0) as usize,
                sums.iter()
                    .map(|c| round4(c.get(i).unwrap_or(0.0)))
                    .collect(),
            )
        })
        .collect())
}
