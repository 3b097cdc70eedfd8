//! Files that say the same thing twice: several files for one zone and
//! quarter (F02), and one project reported by two zones (D03).

use std::borrow::Cow;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::Item;
use crate::config::Config;
use crate::model::{Issue, Period, Return, ZoneCode};
use crate::text::label_key;

/// F02: several files for one zone and quarter. The later 填报日期 wins, then
/// the later file time, then the later file name; files with the winning
/// date but different content are all in error.
pub(super) fn settle_duplicates(items: &mut [Item], period: Period) {
    let mut by_zone: BTreeMap<ZoneCode, Vec<usize>> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        let this_period = item.ret.period().is_none_or(|p| p == period);
        if let (Some(zone), true) = (&item.ret.zone, this_period) {
            by_zone.entry(zone.clone()).or_default().push(i);
        }
    }
    for mut group in by_zone.into_values().filter(|g| g.len() > 1) {
        group.sort_by(|&a, &b| {
            let (ra, rb) = (&items[a].ret, &items[b].ret);
            rb.fill_date()
                .cmp(&ra.fill_date())
                .then(rb.source.modified.cmp(&ra.source.modified))
                .then(rb.source.name.cmp(&ra.source.name))
        });
        let top_date = items[group[0]].ret.fill_date();
        let tied: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&i| items[i].ret.fill_date() == top_date)
            .collect();
        let first_content = content_key(&items[tied[0]].ret);
        let conflict = tied
            .iter()
            .any(|&i| content_key(&items[i].ret) != first_content);
        if conflict {
            for &i in &tied {
                let others: Vec<String> = tied
                    .iter()
                    .filter(|&&j| j != i)
                    .map(|&j| items[j].ret.source.name.clone())
                    .collect();
                let issue = f02_issue(&items[i].ret, "conflict", others.join("、"), top_date);
                items[i].issues.push(issue);
            }
        }
        let winner = if conflict { None } else { Some(group[0]) };
        let winner_name = items[group[0]].ret.source.name.clone();
        for &i in &group {
            if Some(i) == winner || (conflict && tied.contains(&i)) {
                continue;
            }
            let label = if conflict {
                tied_names(items, &tied)
            } else {
                winner_name.clone()
            };
            let mut issue = f02_issue(&items[i].ret, "", label.clone(), top_date);
            issue.expected = top_date.map(|d| d.to_string());
            items[i].superseded_by = Some((label, issue));
        }
    }
}

fn tied_names(items: &[Item], tied: &[usize]) -> String {
    tied.iter()
        .map(|&i| items[i].ret.source.name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

fn f02_issue(
    ret: &Return,
    variant: &'static str,
    other: String,
    top: Option<chrono::NaiveDate>,
) -> Issue {
    let mut issue = match &ret.info.fill_date {
        Some(d) => Issue::new("F02").at(&d.sheet, d.cell).value(d.value),
        None => Issue::new("F02"),
    };
    if !variant.is_empty() {
        issue = issue.variant(variant);
    }
    if let Some(top) = top {
        issue = issue.expected(top);
    }
    issue.arg("other", other)
}

/// What a return says, without where it says it: two files with the same
/// content key are the same return.
fn content_key(ret: &Return) -> String {
    let mut s = String::new();
    let info = &ret.info;
    s.push_str(&format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}\n",
        info.zone_text.as_ref().map(|z| &z.value),
        ret.period(),
        info.filler,
        ret.fill_date(),
        info.industry,
        info.platform,
        info.talent,
        info.fund_size.as_ref().map(|f| f.value),
    ));
    for (code, v) in &ret.indicators {
        s.push_str(&format!(
            "{code}:{:?}:{:?}\n",
            v.new.as_ref().map(|x| x.value),
            v.cumulative.as_ref().map(|x| x.value)
        ));
    }
    for p in &ret.projects {
        s.push_str(&format!(
            "P:{}|{:?}|{}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}\n",
            p.name.value,
            p.universities,
            p.enterprise,
            p.category,
            p.start_date,
            p.contract,
            p.funded.as_ref().map(|f| f.value),
            p.status,
            p.field,
            p.benchmark
        ));
    }
    for p in &ret.platforms {
        s.push_str(&format!(
            "L:{}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}\n",
            p.name.value, p.kind, p.level, p.universities, p.built_date, p.area, p.investment
        ));
    }
    s
}

/// D03: the same project (name + enterprise) reported by two zones.
pub(super) fn cross_zone_duplicates(items: &mut [Item], config: &Config) {
    for places in shared_projects(items) {
        let mut zones: Vec<ZoneCode> = places
            .iter()
            .filter_map(|&(i, _)| items[i].ret.zone.clone())
            .collect();
        zones.sort();
        zones.dedup();
        for &(i, j) in &places {
            let own = items[i].ret.zone.as_deref().unwrap_or_default();
            let others: Vec<&str> = zones
                .iter()
                .filter(|z| z.as_str() != own)
                .filter_map(|z| config.registry.zone(z))
                .map(|z| z.name.as_str())
                .collect();
            let p = &items[i].ret.projects[j];
            let issue = Issue::new("D03")
                .at(&p.name.sheet, p.name.cell)
                .value(&p.name.value)
                .expected("项目只由一个高新区填报")
                .arg("item", &p.enterprise)
                .arg("other", others.join("、"));
            items[i].issues.push(issue);
        }
    }
}

/// Where rows are: (return, project) indices.
type Places = Vec<(usize, usize)>;

/// The (return, project) places of each project listed by more than one
/// zone, in name order. Rows are grouped by the key made when they were
/// read, then compared as text (two projects may share a hash).
fn shared_projects(items: &[Item]) -> Vec<Places> {
    let rows: usize = items.iter().map(|i| i.ret.projects.len()).sum();
    let mut by_key: FxHashMap<u64, Places> =
        FxHashMap::with_capacity_and_hasher(rows, Default::default());
    for (i, item) in items.iter().enumerate() {
        if item.superseded_by.is_some() || item.ret.zone.is_none() {
            continue;
        }
        for (j, p) in item.ret.projects.iter().enumerate() {
            if p.match_key != 0 {
                by_key.entry(p.match_key).or_default().push((i, j));
            }
        }
    }
    let zone = |&(i, _): &(usize, usize)| items[i].ret.zone.as_deref();
    let text = |&(i, j): &(usize, usize)| {
        let p = &items[i].ret.projects[j];
        (label_key(&p.name.value), label_key(&p.enterprise))
    };
    let mut shared: BTreeMap<(Cow<str>, Cow<str>), Places> = BTreeMap::new();
    for places in by_key.into_values() {
        if places.iter().all(|p| zone(p) == zone(&places[0])) {
            continue;
        }
        for place in places {
            shared.entry(text(&place)).or_default().push(place);
        }
    }
    shared
        .into_values()
        .filter(|places| places.iter().any(|p| zone(p) != zone(&places[0])))
        .map(|mut places| {
            places.sort();
            places
        })
        .collect()
}
