//! The quarterly job as one line: check every quarter up to the one reported
//! (ingest → validate), collect and total the figures (aggregate), measure
//! progress (targets), and assemble the [`Report`] the renderers read.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use crate::aggregate::{self, Collected, Tables};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::{sha256_hex, InputFile, ReturnsFolder};
use crate::model::{Period, Severity};
use crate::report::*;
use crate::validate::{self, PeriodCheck, Verdict};

/// How long each stage took (for the manifest; never in the data files).
pub type Timings = Vec<(String, f64)>;

/// Everything one run produced.
pub struct Run {
    pub report: Report,
    pub checks: Vec<PeriodCheck>,
    pub timings: Timings,
}

/// Runs the quarter `period` from the returns folder. `observe` is called
/// once per file read (for a progress bar).
pub fn run(
    config: &Config,
    folder: &ReturnsFolder,
    period: Period,
    settings: BTreeMap<String, String>,
    observe: &mut dyn FnMut(&InputFile),
) -> Result<Run> {
    let mut timings = Timings::new();
    let clock = Instant::now();
    if !folder.periods.contains_key(&period) {
        return Err(Error::Input(format!(
            "报表目录 {} 中没有 {period} 的子目录",
            folder.root.display()
        )));
    }
    let checks = validate::check_through_observed(config, folder, period, observe);
    timings.push(("读取与校验".into(), clock.elapsed().as_secs_f64()));

    let clock = Instant::now();
    let collected = aggregate::collect(config, &checks);
    let tables =
        aggregate::tables(&collected).map_err(|e| Error::Input(format!("汇总计算失败：{e}")))?;
    timings.push(("汇总".into(), clock.elapsed().as_secs_f64()));

    let clock = Instant::now();
    let targets = crate::targets::progress(config, &collected, &tables, period);
    timings.push(("目标测算".into(), clock.elapsed().as_secs_f64()));

    let report = assemble(
        config, &checks, &collected, &tables, targets, period, settings,
    );
    Ok(Run {
        report,
        checks,
        timings,
    })
}

fn assemble(
    config: &Config,
    checks: &[PeriodCheck],
    c: &Collected,
    t: &Tables,
    targets: Vec<TargetProgress>,
    period: Period,
    settings: BTreeMap<String, String>,
) -> Report {
    let check = checks.last().expect("run() checked the period exists");
    let previous = checks
        .iter()
        .rev()
        .nth(1)
        .map(|c| c.period)
        .filter(|p| *p == period.prev());
    let p = period.to_string();
    let prev = previous.map(|p| p.to_string());
    let change = |table: &aggregate::Totals, key: &[&str]| -> Change {
        let now: Vec<&str> = std::iter::once(p.as_str())
            .chain(key.iter().copied())
            .collect();
        let before = prev.as_deref().map(|pp| {
            let k: Vec<&str> = std::iter::once(pp).chain(key.iter().copied()).collect();
            Tables::get(table, &k)
        });
        Change {
            value: Tables::get(table, &now),
            previous: before,
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
            figure: change(&t.province, &[&i.code]),
        })
        .collect();

    let basis = |zone: &str, p: Period| {
        c.basis
            .get(&(p, zone.to_string()))
            .copied()
            .unwrap_or((Basis::NoData, None))
    };
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
                        let mut ch = change(&t.zone, &[&z.code, code]);
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
                .map(|code| (code.to_string(), change(&t.city, &[&z.city, code])))
                .collect(),
        });
    }

    // 高校: active universities and every paired one.
    let active = aggregate::university_zones(c, period);
    let mut names: BTreeSet<String> = active.keys().cloned().collect();
    names.extend(config.registry.pairs.iter().map(|p| p.university.clone()));
    let mut universities: Vec<UniversityRow> = names
        .into_iter()
        .map(|name| UniversityRow {
            zones: active
                .get(&name)
                .map(|zs| zs.iter().map(|z| zone_name(z)).collect())
                .unwrap_or_default(),
            paired_zones: config
                .registry
                .pairs
                .iter()
                .filter(|p| p.university == name)
                .map(|p| p.zone.clone())
                .collect(),
            projects: Tables::get(&t.university_projects, &[&p, &name]) as usize,
            platforms: Tables::get(&t.university_platforms, &[&p, &name]) as usize,
            contract: Tables::get(&t.university_contract, &[&p, &name]),
            funded: Tables::get(&t.university_funded, &[&p, &name]),
            known: config.registry.university_by_text(&name).is_some(),
            name,
        })
        .collect();
    universities.sort_by(|a, b| {
        b.projects
            .cmp(&a.projects)
            .then(b.platforms.cmp(&a.platforms))
            .then(a.name.cmp(&b.name))
    });

    // 结对: confirmed pairs first (registry order), then other collaborations.
    let pair_row = |zone_code: &str, university: &str, confirmed: bool, evidence: String| PairRow {
        zone: zone_name(zone_code),
        university: university.to_string(),
        confirmed,
        evidence,
        projects: Tables::get(&t.pair_projects, &[&p, zone_code, university]) as usize,
        platforms: Tables::get(&t.pair_platforms, &[&p, zone_code, university]) as usize,
        funded: Tables::get(&t.pair_funded, &[&p, zone_code, university]),
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
    for key in t.pair_projects.keys().chain(t.pair_platforms.keys()) {
        if key[0] != p {
            continue;
        }
        let zone_order = config
            .registry
            .zones
            .iter()
            .position(|z| z.code == key[1])
            .unwrap_or(usize::MAX);
        let zname = zone_name(&key[1]);
        if !config.registry.is_paired(&zname, &key[2]) {
            others.insert((zone_order, key[1].clone(), key[2].clone()));
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
            let info = c
                .used
                .get(&(period, z.code.clone()))
                .map(|r| r.info.clone())
                .unwrap_or_default();
            let benchmarks = Tables::get(&t.benchmarks, &[&p, &z.code]) as usize;
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

    let trend = c
        .periods
        .iter()
        .map(|pp| {
            let key = pp.to_string();
            let count = |want: Basis| {
                config
                    .registry
                    .zones
                    .iter()
                    .filter(|z| basis(&z.code, *pp).0 == want)
                    .count()
            };
            TrendRow {
                period: *pp,
                figures: codes
                    .iter()
                    .map(|code| (code.to_string(), Tables::get(&t.province, &[&key, code])))
                    .collect(),
                zones_fresh: count(Basis::Fresh),
                zones_carried: count(Basis::Carried),
            }
        })
        .collect();

    let tally = |values: &[String], table: &aggregate::Totals, by_zone: bool| -> Vec<Tally> {
        values
            .iter()
            .map(|v| {
                let count: f64 = if by_zone {
                    table
                        .iter()
                        .filter(|(k, _)| k[0] == p && k[2] == *v)
                        .map(|(_, n)| n)
                        .sum()
                } else {
                    Tables::get(table, &[&p, v])
                };
                Tally {
                    label: v.clone(),
                    count: count as usize,
                }
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

    let submissions = submission_status(config, check, c, period);
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
            let actual: Vec<(Period, f64)> = c
                .periods
                .iter()
                .map(|pp| (*pp, Tables::get(&t.province, &[&pp.to_string(), &i.code])))
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
    let counts = counts(check, c, config, period);
    let is_sample = check
        .submissions
        .iter()
        .filter_map(|s| s.ret.as_ref())
        .any(|r| r.is_sample)
        || c.used
            .iter()
            .any(|((pp, _), r)| *pp == period && r.is_sample);

    let sources = checks
        .iter()
        .flat_map(|ch| {
            ch.submissions.iter().map(move |s| Source {
                file: s.source.name.clone(),
                sha256: s.source.sha256.clone(),
                bytes: s.source.bytes,
                period: ch.period,
                zone: s.zone.as_deref().map(zone_name),
                verdict: s.verdict.label_zh().to_string(),
            })
        })
        .collect();
    let config_files = config
        .files()
        .iter()
        .map(|f| {
            let name = f
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let sha = std::fs::read(f).map(|b| sha256_hex(&b)).unwrap_or_default();
            (name, sha)
        })
        .collect();

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
        projects_by_category: tally(&values("project_category"), &t.projects_by_category, true),
        projects_by_status: tally(&values("project_status"), &t.projects_by_status, false),
        platforms_by_type: tally(&values("platform_type"), &t.platforms_by_type, false),
        platforms_by_level: tally(&values("platform_level"), &t.platforms_by_level, false),
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
        facts: c.facts.clone(),
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
    c: &Collected,
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
            let (basis, source) = c
                .basis
                .get(&(period, z.code.clone()))
                .copied()
                .unwrap_or((Basis::NoData, None));
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

fn counts(check: &PeriodCheck, c: &Collected, config: &Config, period: Period) -> Counts {
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
            .filter(|z| {
                c.basis
                    .get(&(period, z.code.clone()))
                    .is_some_and(|x| x.0 == b)
            })
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
