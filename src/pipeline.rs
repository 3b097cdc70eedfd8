//! The quarterly job as one line: check every quarter up to the one reported
//! (ingest → validate), gather and total the figures quarter by quarter
//! (aggregate), measure progress (targets), and assemble the [`Report`] the
//! renderers read.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use crate::aggregate::{Collector, Figures, Lists};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::ReturnsFolder;
use crate::model::{Period, Severity};
use crate::report::*;
use crate::validate::{self, PeriodCheck, Verdict};

/// How long each stage took (for the manifest; never in the data files).
pub type Timings = Vec<(String, f64)>;

/// Everything one run produced.
pub struct Run {
    pub report: Report,
    /// The reported quarter, checked; its files keep their cells (feedback).
    pub check: PeriodCheck,
    pub timings: Timings,
}

/// Runs the quarter `period` from the returns folder.
pub fn run(
    config: &Config,
    folder: &ReturnsFolder,
    period: Period,
    settings: BTreeMap<String, String>,
    options: validate::Options,
) -> Result<Run> {
    if !folder.periods.contains_key(&period) {
        return Err(Error::Input(format!(
            "报表目录 {} 中没有 {period} 的子目录",
            folder.root.display()
        )));
    }
    let clock = Instant::now();
    let mut collector = Collector::new(config);
    let mut sources = Vec::new();
    let mut reported = None;
    let mut gathering = 0.0;
    validate::walk(config, folder, period, options, |check, history| {
        let clock = Instant::now();
        sources.extend(source_records(config, &check));
        collector.add(&check, history, check.period == period);
        if check.period == period {
            reported = Some(check);
        }
        gathering += clock.elapsed().as_secs_f64();
    });
    let check = reported.ok_or_else(|| Error::Input(format!("没有 {period} 的报表")))?;
    let mut timings = Timings::new();
    timings.push((
        "读取与校验".into(),
        clock.elapsed().as_secs_f64() - gathering,
    ));

    let clock = Instant::now();
    let figures = collector
        .finish()
        .map_err(|e| Error::Input(format!("汇总计算失败：{e}")))?;
    timings.push(("汇总".into(), gathering + clock.elapsed().as_secs_f64()));

    let clock = Instant::now();
    let targets = crate::targets::progress(config, &figures, period);
    timings.push(("目标测算".into(), clock.elapsed().as_secs_f64()));

    let report = assemble(config, &check, &figures, targets, period, settings, sources);
    Ok(Run {
        report,
        check,
        timings,
    })
}

/// Every file of a quarter, with its fingerprint and verdict.
fn source_records(config: &Config, check: &PeriodCheck) -> Vec<Source> {
    check
        .submissions
        .iter()
        .map(|s| Source {
            file: s.source.name.clone(),
            sha256: s.source.sha256.clone(),
            bytes: s.source.bytes,
            period: check.period,
            zone: s
                .zone
                .as_deref()
                .and_then(|z| config.registry.zone(z))
                .map(|z| z.name.clone()),
            verdict: s.verdict.label_zh().to_string(),
        })
        .collect()
}

fn assemble(
    config: &Config,
    check: &PeriodCheck,
    f: &Figures,
    targets: Vec<TargetProgress>,
    period: Period,
    settings: BTreeMap<String, String>,
    sources: Vec<Source>,
) -> Report {
    let previous = f.periods().find(|p| *p == period.prev());
    let change = |value: &dyn Fn(Period) -> f64| -> Change {
        Change {
            value: value(period),
            previous: previous.map(value),
        }
    };
    let codes: Vec<&str> = config
        .indicators
        .all
        .iter()
        .map(|i| i.code.as_str())
        .collect();

    let headlines = config
        .indicators
        .all
        .iter()
        .map(|i| Headline {
            code: i.code.clone(),
            name: i.name.clone(),
            unit: i.unit.clone(),
            figure: change(&|p| f.province(p, &i.code)),
        })
        .collect();

    let basis = |zone: &str, p: Period| f.basis(p, zone);
    let zone_name = |code: &str| {
        config
            .registry
            .zone(code)
            .map_or(code.to_string(), |z| z.name.clone())
    };

    // 分区: zones ranked by projects; zones without data last.
    let mut zones: Vec<ZoneRow> = config
        .registry
        .zones
        .iter()
        .map(|z| {
            let (b, source_period) = basis(&z.code, period);
            let had_before = previous.is_some_and(|pp| basis(&z.code, pp).0 != Basis::NoData);
            let figures = if b == Basis::NoData {
                BTreeMap::new()
            } else {
                codes
                    .iter()
                    .map(|code| {
                        let mut ch = change(&|p| f.zone(p, &z.code, code));
                        if !had_before {
                            ch.previous = None;
                        }
                        (code.to_string(), ch)
                    })
                    .collect()
            };
            ZoneRow {
                code: z.code.clone(),
                name: z.name.clone(),
                city: z.city.clone(),
                level: z.level.clone(),
                basis: b,
                source_period,
                figures,
                rank: 0,
            }
        })
        .collect();
    zones.sort_by(|a, b| {
        let projects = |z: &ZoneRow| z.figures.get("SG01").map_or(-1.0, |c| c.value);
        (a.basis == Basis::NoData)
            .cmp(&(b.basis == Basis::NoData))
            .then(projects(b).total_cmp(&projects(a)))
            .then(a.code.cmp(&b.code))
    });
    for (i, z) in zones.iter_mut().enumerate() {
        z.rank = i + 1;
    }

    let mut cities: Vec<CityRow> = Vec::new();
    for z in &config.registry.zones {
        if cities.iter().any(|c| c.city == z.city) {
            continue;
        }
        let members: Vec<&crate::config::Zone> = config
            .registry
            .zones
            .iter()
            .filter(|x| x.city == z.city)
            .collect();
        let with_data = members
            .iter()
            .filter(|m| basis(&m.code, period).0 != Basis::NoData)
            .count();
        cities.push(CityRow {
            city: z.city.clone(),
            zones: members.len(),
            zones_with_data: with_data,
            figures: codes
                .iter()
                .map(|code| (code.to_string(), change(&|p| f.city(p, &z.city, code))))
                .collect(),
        });
    }

    // 高校: active universities and every paired one.
    let lists = &f.lists;
    let mut names: BTreeSet<String> = lists.universities.keys().cloned().collect();
    names.extend(config.registry.pairs.iter().map(|p| p.university.clone()));
    let mut universities: Vec<UniversityRow> = names
        .into_iter()
        .map(|name| {
            let totals = lists.universities.get(&name).cloned().unwrap_or_default();
            UniversityRow {
                zones: totals.zones.iter().map(|z| zone_name(z)).collect(),
                paired_zones: config
                    .registry
                    .pairs
                    .iter()
                    .filter(|p| p.university == name)
                    .map(|p| p.zone.clone())
                    .collect(),
                projects: totals.projects,
                platforms: totals.platforms,
                contract: totals.contract,
                funded: totals.funded,
                known: config.registry.university_by_text(&name).is_some(),
                name,
            }
        })
        .collect();
    universities.sort_by(|a, b| {
        b.projects
            .cmp(&a.projects)
            .then(b.platforms.cmp(&a.platforms))
            .then(a.name.cmp(&b.name))
    });

    // 结对: confirmed pairs first (registry order), then other collaborations.
    let pair_row = |zone_code: &str, university: &str, confirmed: bool, evidence: String| {
        let totals = lists
            .pairs
            .get(&(zone_code.to_string(), university.to_string()))
            .cloned()
            .unwrap_or_default();
        PairRow {
            zone: zone_name(zone_code),
            university: university.to_string(),
            confirmed,
            evidence,
            projects: totals.projects,
            platforms: totals.platforms,
            funded: totals.funded,
        }
    };
    let mut pairs: Vec<PairRow> = config
        .registry
        .pairs
        .iter()
        .filter_map(|pr| {
            let zone = config.registry.zone_by_text(&pr.zone)?;
            Some(pair_row(
                &zone.code,
                &pr.university,
                true,
                pr.evidence.clone(),
            ))
        })
        .collect();
    let mut others: BTreeSet<(usize, String, String)> = BTreeSet::new();
    for (zone, university) in lists.pairs.keys() {
        let zone_order = config
            .registry
            .zones
            .iter()
            .position(|z| z.code == *zone)
            .unwrap_or(usize::MAX);
        if !config.registry.is_paired(&zone_name(zone), university) {
            others.insert((zone_order, zone.clone(), university.clone()));
        }
    }
    pairs.extend(
        others
            .into_iter()
            .map(|(_, z, u)| pair_row(&z, &u, false, String::new())),
    );

    let five_ones = config
        .registry
        .zones
        .iter()
        .map(|z| {
            let (b, _) = basis(&z.code, period);
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
                zone: z.name.clone(),
                basis: b,
                industry: info.industry,
                platform: info.platform,
                talent: info.talent,
                fund_name: info.fund_name,
                fund_size,
                benchmark_projects: benchmarks,
                complete,
            }
        })
        .collect();

    let trend = f
        .periods()
        .map(|pp| {
            let count = |want: Basis| {
                config
                    .registry
                    .zones
                    .iter()
                    .filter(|z| basis(&z.code, pp).0 == want)
                    .count()
            };
            TrendRow {
                period: pp,
                figures: codes
                    .iter()
                    .map(|code| (code.to_string(), f.province(pp, code)))
                    .collect(),
                zones_fresh: count(Basis::Fresh),
                zones_carried: count(Basis::Carried),
            }
        })
        .collect();

    let tally = |values: &[String], counted: BTreeMap<&str, usize>| -> Vec<Tally> {
        values
            .iter()
            .map(|v| Tally {
                label: v.clone(),
                count: counted.get(v.as_str()).copied().unwrap_or(0),
            })
            .collect()
    };
    let values = |e: &str| {
        config
            .form
            .enumeration(e)
            .map(|e| e.values.clone())
            .unwrap_or_default()
    };

    let submissions = submission_status(config, check, f, period);
    let due = config
        .targets
        .target
        .iter()
        .map(|t| t.due)
        .max()
        .unwrap_or(period);
    let projections = ["SG01", "SG02", "SG05"]
        .iter()
        .filter_map(|code| config.indicators.get(code))
        .map(|i| {
            let actual: Vec<(Period, f64)> = f
                .periods()
                .map(|pp| (pp, f.province(pp, &i.code)))
                .collect();
            Projection {
                code: i.code.clone(),
                name: i.name.clone(),
                unit: i.unit.clone(),
                projected: crate::targets::project_line(&actual, config.calendar.first_period, due),
                actual,
                target: config
                    .targets
                    .target
                    .iter()
                    .find(|tg| tg.scope == crate::config::Scope::Province && tg.metric == i.code)
                    .map(|tg| tg.goal()),
            }
        })
        .collect();
    let attention = attention(config, &submissions, &targets);
    let as_of = check
        .submissions
        .iter()
        .filter_map(|s| s.ret.as_ref())
        .filter_map(|r| r.fill_date())
        .filter(|d| *d > period.end())
        .max()
        .unwrap_or_else(|| config.calendar.deadline(period));
    let counts = counts(check, f, config, period);
    let is_sample = check
        .submissions
        .iter()
        .filter_map(|s| s.ret.as_ref())
        .any(|r| r.is_sample)
        || lists.used.values().any(|r| r.is_sample);
    let config_files = config.hashes.clone();

    Report {
        period,
        as_of,
        deadline: config.calendar.deadline(period),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        is_sample,
        settings,
        headlines,
        counts,
        targets,
        projections,
        attention,
        zones,
        cities,
        universities,
        pairs,
        five_ones,
        trend,
        projects_by_category: tally(
            &values("project_category"),
            Lists::tally(lists.projects.iter().map(|p| p.category.as_str())),
        ),
        projects_by_status: tally(
            &values("project_status"),
            Lists::tally(lists.projects.iter().map(|p| p.status.as_str())),
        ),
        platforms_by_type: tally(
            &values("platform_type"),
            Lists::tally(lists.platforms.iter().map(|p| p.kind.as_str())),
        ),
        platforms_by_level: tally(
            &values("platform_level"),
            Lists::tally(lists.platforms.iter().map(|p| p.level.as_str())),
        ),
        submissions,
        findings: check
            .submissions
            .iter()
            .flat_map(|s| {
                s.findings
                    .iter()
                    .zip(&s.explanations)
                    .map(|(f, e)| ListedFinding {
                        finding: f.clone(),
                        explanation: e.clone(),
                    })
            })
            .collect(),
        sources,
        config_files,
        facts: f.facts.clone(),
        indicators: config
            .indicators
            .all
            .iter()
            .map(|i| (i.code.clone(), i.name.clone(), i.unit.clone()))
            .collect(),
    }
}

/// Zones needing attention: sent back, late, missing, or behind on a target.
fn attention(
    config: &Config,
    submissions: &[SubmissionStatus],
    targets: &[TargetProgress],
) -> Vec<Attention> {
    config
        .registry
        .zones
        .iter()
        .filter_map(|z| {
            let mut reasons = Vec::new();
            if let Some(s) = submissions.iter().find(|s| s.zone == z.name) {
                match s.status {
                    ReportingStatus::SentBack => reasons.push(format!(
                        "报表退回修改（错误 {} 处），本期沿用上期数据",
                        s.errors
                    )),
                    ReportingStatus::Late => reasons.push(format!("迟报：{}", s.reason)),
                    ReportingStatus::Missing => reasons.push("本期未报送".to_string()),
                    ReportingStatus::Reported => {}
                }
            }
            for t in targets
                .iter()
                .filter(|t| t.scope == z.name && t.status == TargetStatus::Behind)
            {
                reasons.push(format!(
                    "{}滞后：{} / 目标 {}，预计到期 {}",
                    t.name,
                    crate::ingest::format_number(t.value),
                    crate::ingest::format_number(t.target),
                    crate::ingest::format_number(t.projection.round())
                ));
            }
            (!reasons.is_empty()).then(|| Attention {
                zone: z.name.clone(),
                reasons,
            })
        })
        .collect()
}

/// 报送情况: every registry zone, whether or not it sent anything.
fn submission_status(
    config: &Config,
    check: &PeriodCheck,
    f: &Figures,
    period: Period,
) -> Vec<SubmissionStatus> {
    let deadline = config.calendar.deadline(period);
    config
        .registry
        .zones
        .iter()
        .map(|z| {
            let subs: Vec<&validate::Submission> = check
                .submissions
                .iter()
                .filter(|s| s.zone.as_deref() == Some(z.code.as_str()))
                .collect();
            let live: Vec<&&validate::Submission> = subs
                .iter()
                .filter(|s| s.verdict != Verdict::Superseded)
                .collect();
            let accepted = live.iter().find(|s| s.verdict.is_accepted());
            let shown = accepted.or(live.first());
            let fill_date = shown
                .and_then(|s| s.ret.as_ref())
                .and_then(|r| r.fill_date());
            let (status, mut reason) = match (accepted, shown) {
                (Some(_), _) if fill_date.is_some_and(|d| d > deadline) => (
                    ReportingStatus::Late,
                    format!(
                        "填报日期 {} 晚于截止日 {deadline}",
                        fill_date.map(|d| d.to_string()).unwrap_or_default()
                    ),
                ),
                (Some(_), _) => (ReportingStatus::Reported, String::new()),
                (None, Some(s)) => {
                    let errors: Vec<String> = s
                        .findings
                        .iter()
                        .filter(|f| f.severity == Severity::Error)
                        .map(|f| {
                            let place = f.place();
                            format!("{} {}（{place}）", f.rule, config.rules.title(&f.rule))
                        })
                        .collect();
                    (
                        ReportingStatus::SentBack,
                        format!("有错误：{}", errors.join("；")),
                    )
                }
                (None, None) => (ReportingStatus::Missing, "未收到本期报表".to_string()),
            };
            let superseded: Vec<&str> = subs
                .iter()
                .filter(|s| s.verdict == Verdict::Superseded)
                .map(|s| s.source.name.as_str())
                .collect();
            if !superseded.is_empty() {
                if !reason.is_empty() {
                    reason.push('；');
                }
                reason.push_str(&format!("更正重报，已取代 {}", superseded.join("、")));
            }
            let (basis, source) = f.basis(period, &z.code);
            if basis == Basis::Carried {
                reason.push_str(&format!(
                    "；本期沿用 {} 数据",
                    source.map(|p| p.to_string()).unwrap_or_default()
                ));
            }
            let unexplained = live
                .iter()
                .flat_map(|s| s.findings.iter().zip(&s.explanations))
                .filter(|(f, e)| f.severity == Severity::Warning && e.is_none())
                .count();
            SubmissionStatus {
                zone: z.name.clone(),
                city: z.city.clone(),
                status,
                files: subs.iter().map(|s| s.source.name.clone()).collect(),
                fill_date,
                errors: live.iter().map(|s| s.count(Severity::Error)).sum(),
                warnings: live.iter().map(|s| s.count(Severity::Warning)).sum(),
                unexplained,
                reason: reason.trim_start_matches('；').to_string(),
                basis,
                source_period: source,
                changes: live
                    .iter()
                    .flat_map(|s| s.changes.iter().cloned())
                    .collect(),
            }
        })
        .collect()
}

fn counts(check: &PeriodCheck, f: &Figures, config: &Config, period: Period) -> Counts {
    let subs = &check.submissions;
    let rows = |f: &dyn Fn(&validate::Submission) -> bool| -> usize {
        subs.iter()
            .filter(|s| f(s))
            .filter_map(|s| s.ret.as_ref())
            .map(|r| r.rows_read)
            .sum()
    };
    let zones = |b: Basis| {
        config
            .registry
            .zones
            .iter()
            .filter(|z| f.basis(period, &z.code).0 == b)
            .count()
    };
    let rows_accepted = rows(&|s| s.verdict.is_accepted());
    let rows_superseded = rows(&|s| s.verdict == Verdict::Superseded);
    let rows_rejected = rows(&|s| !s.verdict.is_accepted());
    Counts {
        files: subs.len(),
        returns_accepted: subs.iter().filter(|s| s.verdict.is_accepted()).count(),
        returns_sent_back: subs
            .iter()
            .filter(|s| s.verdict == Verdict::SentBack && s.ret.is_some())
            .count(),
        returns_superseded: subs
            .iter()
            .filter(|s| s.verdict == Verdict::Superseded)
            .count(),
        files_unreadable: subs.iter().filter(|s| s.ret.is_none()).count(),
        zones_fresh: zones(Basis::Fresh),
        zones_carried: zones(Basis::Carried),
        zones_without_data: zones(Basis::NoData),
        rows_read: rows(&|_| true),
        rows_accepted,
        rows_rejected,
        rows_superseded,
    }
}
