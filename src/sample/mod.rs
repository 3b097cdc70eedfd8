//! Synthetic sample returns (示例数据) for every registry zone: the 18 pilot
//! zones from 2025Q3 (the shipped sample is 2025Q3–2026Q3; for scale tests,
//! as many quarters after as asked for), and any other zone from its
//! cohort's entry quarter (`Calendar::entry_quarter`), its 累计值 counting
//! from its cohort's start (`inputs/examples/全面覆盖/`, docs/return-form.md
//! §2.5).
//!
//! Every figure here is invented, and every workbook says so in its title
//! rows. At 2025Q4 the returns add up exactly to the published figures
//! (docs/return-form.md, "Published figures": 342 projects, 58 platforms,
//! 75,000 万元, over 1,000 resident faculty and students, over 560
//! enterprises served). 2026Q3 carries the imperfections of a real quarter,
//! listed in [`SAMPLE_2026Q3_DEFECTS`]. Universities are the zone's confirmed
//! pairs; a zone with no confirmed pair works with a nearby university (no
//! pair is implied). A zone the generator has no flavour for (the 43
//! synthetic 示例 zones) draws from its own stream, seeded by its code: it
//! starts smaller than a pilot, and adding zones never changes the pilots'
//! returns.

mod drafts;
mod generate;

use std::path::Path;

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::draft::Draft;
use crate::model::Period;

/// The quarters of the shipped sample: 2025Q3–2026Q3.
pub const SHIPPED_QUARTERS: usize = 5;

/// `quarters` quarters from 2025Q3 on.
pub fn sample_periods(quarters: usize) -> Vec<Period> {
    let mut p = Period {
        year: 2025,
        quarter: 3,
    };
    let mut out = Vec::with_capacity(quarters);
    for _ in 0..quarters {
        out.push(p);
        p = p.next();
    }
    out
}

/// What the 2026Q3 sample deliberately gets wrong: (zone code, what).
pub const SAMPLE_2026Q3_DEFECTS: &[(&str, &str)] = &[
    (
        "CZ",
        "X01 错误：SG01 累计值比项目清单多 1（退回修改，沿用上期）",
    ),
    ("SQ", "T03 警告：填报日期 2026-10-21，迟报"),
    (
        "WX",
        "F02 警告：10 月 9 日首报有 V04 错误，10 月 12 日更正重报",
    ),
    ("ZJ", "X04 警告：一个项目累计到位经费超过合同金额"),
    ("YZ", "X08 警告：SG09 本季度新增激增（已在情况说明中说明）"),
    ("LYG", "I02 警告：合作高校写作“南京工大学”"),
    ("NT", "V07 提示：金额带单位书写（1,200万元、0.35亿元）"),
    ("HA", "V07 提示：全角数字与文本日期"),
    ("XZ", "V07 提示：合作高校写作简称“矿大”"),
    ("SZ", "V07 提示：高新区名称写作“苏州国家高新区”"),
];

/// Writes every sample return of `quarters` quarters into `out/<period>/`.
/// Returns the file count.
pub fn write_all(config: &Config, out: &Path, quarters: usize) -> Result<usize> {
    let zones = generate::generate(config, quarters)?;
    let jobs: Vec<(&generate::ZoneSample, &generate::ZoneQuarter)> = zones
        .iter()
        .flat_map(|z| z.quarters.iter().map(move |q| (z, q)))
        .collect();
    let written: Vec<usize> = jobs
        .par_iter()
        .map(|(sample, q)| {
            let zone = config
                .registry
                .zone(&sample.code)
                .ok_or_else(|| Error::Input(format!("缺少高新区 {}", sample.code)))?;
            let files = drafts::drafts(config, zone, sample, q);
            for (file, draft) in &files {
                let bytes = crate::render::template::write_draft(config, zone, q.period, draft)
                    .map_err(|e| Error::write(out.join(file), e))?;
                let dir = out.join(q.period.to_string());
                crate::output::write_atomic(&dir.join(file), &bytes)?;
            }
            Ok(files.len())
        })
        .collect::<Result<_>>()?;
    Ok(written.iter().sum())
}

/// The sample's draft for one zone and quarter, as shipped (for tests that
/// rewrite it in messy styles).
pub fn sample_draft(config: &Config, zone_code: &str, period: Period) -> Result<Draft> {
    // The shipped quarters, or as many as reach `period` (the 全面覆盖
    // example runs to 2027Q4).
    let quarters = (SHIPPED_QUARTERS..=40)
        .find(|&n| sample_periods(n).contains(&period))
        .unwrap_or(SHIPPED_QUARTERS);
    let zones = generate::generate(config, quarters)?;
    let sample = zones
        .iter()
        .find(|z| z.code == zone_code)
        .ok_or_else(|| Error::Input(format!("示例数据中没有 {zone_code}")))?;
    let q = sample
        .quarters
        .iter()
        .find(|q| q.period == period)
        .ok_or_else(|| Error::Input(format!("示例数据中没有 {period}")))?;
    let zone = config
        .registry
        .zone(zone_code)
        .ok_or_else(|| Error::Input(format!("缺少高新区 {zone_code}")))?;
    Ok(drafts::base_draft(config, zone, sample, q))
}
