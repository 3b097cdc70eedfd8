//! The quarterly job as one line: check every quarter up to the one reported
//! (ingest → validate), gather and total the figures quarter by quarter
//! (aggregate), measure progress (targets), and compute the [`Report`] the
//! renderers lay out. Only orchestration and timing live here.

use std::collections::BTreeMap;
use std::time::Instant;

use crate::aggregate::Collector;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::ReturnsFolder;
use crate::model::Period;
use crate::report::{self, Report};
use crate::validate;

/// How long each stage took (for the manifest; never in the data files).
pub type Timings = Vec<(String, f64)>;

/// Everything one run produced.
pub struct Run {
    pub report: Report,
    pub timings: Timings,
}

/// Runs the quarter `period` from the returns folder, with no earlier
/// published report to compare with.
pub fn run(
    config: &Config,
    folder: &ReturnsFolder,
    period: Period,
    settings: BTreeMap<String, String>,
    options: validate::Options,
) -> Result<Run> {
    run_with(config, folder, period, settings, options, Vec::new())
}

/// [`run`], comparing earlier quarters with the reports already published
/// (`published`: their fact tables, read by the caller) for 数据修订.
pub fn run_with(
    config: &Config,
    folder: &ReturnsFolder,
    period: Period,
    settings: BTreeMap<String, String>,
    options: validate::Options,
    published: Vec<report::PublishedFacts>,
) -> Result<Run> {
    if !folder.periods.contains_key(&period) {
        return Err(Error::Input(format!(
            "报表目录 {} 中没有 {period} 的子目录",
            folder.root.display()
        )));
    }
    let mut timings = Timings::new();
    let clock = Instant::now();
    let mut collector = Collector::new(config);
    let mut sources = Vec::new();
    let mut reported = None;
    let mut gathering = 0.0;
    validate::walk(config, folder, period, options, |check, history| {
        let clock = Instant::now();
        sources.extend(report::sources(config, &check));
        collector.add(&check, history, check.period == period);
        if check.period == period {
            reported = Some(check);
        }
        gathering += clock.elapsed().as_secs_f64();
    });
    let check = reported.ok_or_else(|| Error::Input(format!("没有 {period} 的报表")))?;
    let read = clock.elapsed().as_secs_f64() - gathering;
    timings.push(("读取与校验".into(), read));

    let clock = Instant::now();
    let figures = collector
        .finish()
        .map_err(|e| Error::Input(format!("汇总计算失败：{e}")))?;
    timings.push(("汇总".into(), gathering + clock.elapsed().as_secs_f64()));

    // The targets and the report count, list and chase only the zones
    // whose cohort has joined by the quarter (docs/return-form.md §2.5).
    let config = &config.taking_part(period);
    let clock = Instant::now();
    let targets = crate::targets::progress(config, &figures, period);
    timings.push(("目标测算".into(), clock.elapsed().as_secs_f64()));

    let report = report::build(report::Inputs {
        config,
        check: &check,
        figures: &figures,
        targets,
        sources,
        settings,
        published,
    });
    Ok(Run { report, timings })
}
