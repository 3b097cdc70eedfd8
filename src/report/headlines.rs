//! The province figure of every indicator, this quarter and last.

use serde::Serialize;

use super::{Change, Flows, Level, Quarter};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headline {
    pub code: String,
    pub name: String,
    pub unit: String,
    /// The 累计值 beside last quarter's.
    pub figure: Change,
    /// The quarter's own flows (本季新增, 环比, 本年累计, 同比).
    pub flows: Flows,
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
            flows: q.flows(Level::Province, &i.code),
        })
        .collect()
}
