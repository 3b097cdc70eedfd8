//! 五个一: for each zone, which of the five commitments are in place (one
//! industry, one platform, one leading talent, one fund, benchmark projects).

use serde::Serialize;

use super::{Basis, Quarter};
use crate::model::{Period, ZoneCode};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FiveOnes {
    #[serde(skip)]
    pub code: ZoneCode,
    pub zone: String,
    pub basis: Basis,
    /// The quarter the zone's figures come from.
    pub source_period: Option<Period>,
    pub industry: Option<String>,
    pub platform: Option<String>,
    pub talent: Option<String>,
    pub fund_name: Option<String>,
    pub fund_size: Option<f64>,
    pub benchmark_projects: usize,
    /// How many of the five are in place (0–5).
    pub complete: usize,
}

/// Every registry zone, from the return its figures come from.
pub(super) fn five_ones(q: &Quarter) -> Vec<FiveOnes> {
    q.config
        .registry
        .zones
        .iter()
        .map(|z| {
            let (basis, source_period) = q.basis(&z.code, q.period);
            let lists = &q.figures.lists;
            let info = lists
                .used
                .get(&z.code)
                .map(|r| r.info.clone())
                .unwrap_or_default();
            let benchmarks = lists.benchmarks(&z.code);
            let present = |s: &Option<String>| s.as_ref().is_some_and(|s| !s.is_empty());
            let fund_size = info.fund_size.as_ref().map(|f| f.value);
            let complete = [
                present(&info.industry),
                present(&info.platform),
                present(&info.talent),
                present(&info.fund_name) && fund_size.unwrap_or(0.0) > 0.0,
                benchmarks > 0,
            ]
            .iter()
            .filter(|x| **x)
            .count();
            FiveOnes {
                code: z.code.clone(),
                zone: z.name.clone(),
                basis,
                source_period,
                industry: info.industry,
                platform: info.platform,
                talent: info.talent,
                fund_name: info.fund_name,
                fund_size,
                benchmark_projects: benchmarks,
                complete,
            }
        })
        .collect()
}
