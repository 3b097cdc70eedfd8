//! The province figure of every indicator, this quarter and last.

use serde::Serialize;

use super::{Change, Quarter};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headline {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub figure: Change,
}

/// Every indicator's province total, in catalogue order.
pub(super) fn headlines(q: &Quarter) -> Vec<Headline> {
    q.config
        .indicators
        .all
        .iter()
        .map(|i| Headline {
            code: i.code.clone(),
            name: i.name.clone(),
            unit: i.unit.clone(),
            figure: q.change(|p| q.figures.province(p, &i.code)),
        })
        .collect()
}
