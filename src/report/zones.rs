//! 分区: each zone's figures, ranked.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Basis, Change, Quarter};
use crate::config::Role;
use crate::model::{Period, ZoneCode};

/// One zone's figures for the quarter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZoneRow {
    pub code: ZoneCode,
    pub name: String,
    pub city: String,
    pub level: String,
    pub basis: Basis,
    /// The quarter the figures come from (this one, or an earlier one when carried).
    pub source_period: Option<Period>,
    /// By indicator code: the 累计值 (`value`) beside last quarter's
    /// (`previous`). `previous` is `None` when the zone had no data last
    /// quarter, and for a zone whose figures are carried this quarter
    /// (`basis` 沿用上期): nothing was measured, so there is no 环比增减 to
    /// show (not a change of 0). The quarter's own flows are
    /// `Report::flows(Level::Zone(code), …)`.
    pub figures: BTreeMap<String, Change>,
    /// Rank by the ranking indicator (1 = highest); zones without data last.
    pub rank: usize,
}

/// Every registry zone, ranked by the `rank` indicator; zones without data
/// last, ties by code.
pub(super) fn zones(q: &Quarter) -> Vec<ZoneRow> {
    let mut zones: Vec<ZoneRow> = q
        .config
        .registry
        .zones
        .iter()
        .map(|z| zone_row(q, z))
        .collect();
    let rank_by = q.config.indicators.with_role(Role::Rank).next();
    let ranked = |z: &ZoneRow| {
        rank_by
            .and_then(|i| z.figures.get(&i.code))
            .map_or(-1.0, |c| c.value)
    };
    zones.sort_by(|a, b| {
        (a.basis == Basis::NoData)
            .cmp(&(b.basis == Basis::NoData))
            .then(ranked(b).total_cmp(&ranked(a)))
            .then(a.code.cmp(&b.code))
    });
    for (i, z) in zones.iter_mut().enumerate() {
        z.rank = i + 1;
    }
    zones
}

/// A zone's figures; last quarter's only when it had data then and its
/// figures are measured now (a carried figure compared with last quarter
/// would show a change of 0 that nobody measured).
fn zone_row(q: &Quarter, z: &crate::config::Zone) -> ZoneRow {
    let (basis, source_period) = q.basis(&z.code, q.period);
    let had_before = basis == Basis::Fresh
        && q.previous
            .is_some_and(|p| q.basis(&z.code, p).0 != Basis::NoData);
    let figures = if basis == Basis::NoData {
        BTreeMap::new()
    } else {
        q.codes()
            .map(|code| {
                let mut change = q.change(|p| q.figures.zone(p, &z.code, code));
                if !had_before {
                    change.previous = None;
                }
                (code.to_string(), change)
            })
            .collect()
    };
    ZoneRow {
        code: z.code.clone(),
        name: z.name.clone(),
        city: z.city.clone(),
        level: z.level.clone(),
        basis,
        source_period,
        figures,
        rank: 0,
    }
}
