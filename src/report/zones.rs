//! 分区: each zone's figures, and the zones ranked by an indicator (one
//! rule for every table and chart that orders zones).

use std::collections::BTreeMap;

use serde::Serialize;

use super::rank::Cut;
use super::{Basis, Change, Flows, Level, Quarter, Report};
use crate::config::Role;
use crate::model::{Period, ZoneCode};

/// One zone's figures for the quarter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZoneRow {
    pub code: ZoneCode,
    pub name: String,
    pub city: String,
    pub level: String,
    /// The registry `cohort` year (docs/return-form.md §2.5).
    pub cohort: i32,
    pub basis: Basis,
    /// The quarter the figures come from (this one, or an earlier one when carried).
    pub source_period: Option<Period>,
    /// The quarter the zone joined, when after the programme's first (a
    /// later cohort): its 累计值 count from its cohort's start.
    pub joined: Option<Period>,
    /// By indicator code: the 累计值 (`value`) beside last quarter's
    /// (`previous`). `previous` is `None` when the zone had no data last
    /// quarter, and for a zone whose figures are carried this quarter
    /// (`basis` 沿用上期): nothing was measured, so there is no 环比增减 to
    /// show (not a change of 0).
    pub figures: BTreeMap<String, Change>,
    /// By indicator code: the quarter's own flows (none for a carried zone).
    pub flows: BTreeMap<String, Flows>,
    /// Rank by the ranking indicator (1 = highest, ties share a rank);
    /// `None` for a zone without data, which is not ranked.
    pub rank: Option<usize>,
}

/// The zones with data in the order of one indicator's 累计值.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranking {
    pub code: String,
    pub zones: Vec<RankedZone>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedZone {
    pub code: ZoneCode,
    pub name: String,
    pub value: f64,
    /// 1 = highest; equal values share a rank (1, 2, 2, 4).
    pub rank: usize,
    pub basis: Basis,
    pub source_period: Option<Period>,
    /// As [`ZoneRow::joined`].
    pub joined: Option<Period>,
}

/// Every registry zone: those with data by the `rank` indicator (ties in
/// registry order), then those without, in registry order.
pub(super) fn zones(q: &Quarter) -> Vec<ZoneRow> {
    let rows: Vec<ZoneRow> = q
        .config
        .registry
        .zones
        .iter()
        .map(|z| zone_row(q, z))
        .collect();
    let Some(rank_by) = q.config.indicators.with_role(Role::Rank).next() else {
        return rows;
    };
    let ranking = rank(&rows, &rank_by.code);
    let mut ranked: Vec<ZoneRow> = Vec::with_capacity(rows.len());
    for r in &ranking.zones {
        if let Some(row) = rows.iter().find(|z| z.code == r.code) {
            ranked.push(ZoneRow {
                rank: Some(r.rank),
                ..row.clone()
            });
        }
    }
    ranked.extend(rows.into_iter().filter(|z| z.basis == Basis::NoData));
    ranked
}

/// The zones ranked by every indicator that orders zones somewhere (the
/// `rank` indicator and each `zone_chart` one).
pub(super) fn rankings(q: &Quarter, zones: &[ZoneRow]) -> Vec<Ranking> {
    q.config
        .indicators
        .all
        .iter()
        .filter(|i| i.roles.contains(&Role::Rank) || i.roles.contains(&Role::ZoneChart))
        .map(|i| rank(zones, &i.code))
        .collect()
}

/// Zones with data by `code`'s 累计值, highest first; equal values share a
/// rank and keep the order of `zones` (registry order).
fn rank(zones: &[ZoneRow], code: &str) -> Ranking {
    let mut ranked: Vec<RankedZone> = zones
        .iter()
        .filter(|z| z.basis != Basis::NoData)
        .map(|z| RankedZone {
            code: z.code.clone(),
            name: z.name.clone(),
            value: z.figures.get(code).map_or(0.0, |c| c.value),
            rank: 0,
            basis: z.basis,
            source_period: z.source_period,
            joined: z.joined,
        })
        .collect();
    let order = |z: &RankedZone| zones.iter().position(|x| x.code == z.code);
    ranked.sort_by(|a, b| b.value.total_cmp(&a.value).then(order(a).cmp(&order(b))));
    for i in 0..ranked.len() {
        ranked[i].rank = match i {
            0 => 1,
            _ if ranked[i].value == ranked[i - 1].value => ranked[i - 1].rank,
            _ => i + 1,
        };
    }
    Ranking {
        code: code.to_string(),
        zones: ranked,
    }
}

impl Ranking {
    /// What a chart of the ranking shows: every zone, or the first and the
    /// last ones and the rest as one bar (docs/brief.md, charts at 61 zones).
    pub fn cut(&self) -> Cut {
        let values: Vec<f64> = self.zones.iter().map(|z| z.value).collect();
        let ranks: Vec<usize> = self.zones.iter().map(|z| z.rank).collect();
        Cut::of(&values, &ranks)
    }
}

impl Ranking {
    /// The note a chart of the ranking carries when later cohorts' zones
    /// are in it: `2027年加入的高新区，累计值自加入之日起计`.
    pub fn joined_zh(&self) -> Option<String> {
        let years: std::collections::BTreeSet<i32> = self
            .zones
            .iter()
            .filter_map(|z| z.joined)
            .map(|p| p.year)
            .collect();
        let years: Vec<String> = years.iter().map(|y| format!("{y}年")).collect();
        (!years.is_empty())
            .then(|| format!("{}加入的高新区，累计值自加入之日起计", years.join("、")))
    }
}

impl RankedZone {
    /// What a chart says after a zone's value: `沿用上期`, `本季新加入`,
    /// `2027年加入` (its 累计值 count from then), or nothing.
    pub fn note_zh(&self, period: Period) -> Option<String> {
        joined_note(self.basis, self.joined, period)
    }
}

/// `沿用上期` for a carried zone; `本季新加入` in a later cohort's first
/// quarter, `2027年加入` after it; else nothing.
fn joined_note(basis: Basis, joined: Option<Period>, period: Period) -> Option<String> {
    match joined {
        _ if basis == Basis::Carried => Some(basis.label_zh().to_string()),
        Some(p) if p == period => Some("本季新加入".to_string()),
        Some(p) => Some(format!("{}年加入", p.year)),
        None => None,
    }
}

impl Report {
    /// The zones ranked by an indicator that orders zones (`rank` or
    /// `zone_chart` role).
    pub fn ranking(&self, code: &str) -> Option<&Ranking> {
        self.rankings.iter().find(|r| r.code == code)
    }

    /// The ranking rule in words, printed wherever zones are ranked.
    pub fn ranking_note(&self, code: &str) -> String {
        let name = self.indicator(code).map_or(code, |i| i.name.as_str());
        format!(
            "排名按{name}累计值从高到低；数值相同者名次并列，按登记顺序列出；\
             沿用上期数据的高新区按沿用的数据排名；无数据的高新区不排名。"
        )
    }
}

/// A zone's figures; last quarter's only when it had data then and its
/// figures are measured now (a carried figure compared with last quarter
/// would show a change of 0 that nobody measured).
fn zone_row(q: &Quarter, z: &crate::config::Zone) -> ZoneRow {
    let (basis, source_period) = q.basis(&z.code, q.period);
    let had_before = basis == Basis::Fresh
        && q.previous
            .is_some_and(|p| q.basis(&z.code, p).0 != Basis::NoData);
    let measured = basis != Basis::NoData;
    let figures = q
        .codes()
        .filter(|_| measured)
        .map(|code| {
            let mut change = q.change(|p| q.figures.zone(p, &z.code, code));
            if !had_before {
                change.previous = None;
            }
            (code.to_string(), change)
        })
        .collect();
    let flows = q
        .codes()
        .filter(|_| measured)
        .map(|code| (code.to_string(), q.flows(Level::Zone(&z.code), code)))
        .collect();
    let rules = q.flow_rules;
    let entry = rules.entry_of(&z.code);
    ZoneRow {
        code: z.code.clone(),
        name: z.name.clone(),
        city: z.city.clone(),
        level: z.level.clone(),
        cohort: z.cohort,
        basis,
        source_period,
        joined: rules.launch.filter(|l| *l < entry).map(|_| entry),
        figures,
        flows,
        rank: None,
    }
}
