//! The long fact table: one figure per quarter, zone and indicator.

use serde::Serialize;

use crate::config::IndicatorKind;
use crate::model::{Basis, Period, ZoneCode};

/// One figure of the long fact table, traceable to its cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    pub period: Period,
    pub zone_code: ZoneCode,
    pub zone: String,
    pub city: String,
    pub indicator: String,
    /// Whether the indicator is a flow (累计值 since the pilot began) or a
    /// stock (level at quarter end): how a change between quarters reads.
    pub kind: IndicatorKind,
    /// 累计值 (cumulative for flows, level for stocks).
    pub value: f64,
    pub basis: Basis,
    /// The quarter of the return the value was read from.
    pub source_period: Period,
    pub file: String,
    pub sheet: String,
    pub cell: String,
}
