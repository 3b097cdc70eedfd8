//! Stage 2, validate: type every return, apply every rule of the contract,
//! settle duplicates (F02), compare with last quarter, and decide which
//! returns are accepted (spec section 4, "Acceptance and nothing lost").

mod followup;
mod history;
pub mod normalize;
mod parse;

use std::collections::BTreeMap;

use serde::Serialize;

pub use history::History;
pub use parse::TOLERANCE;

use crate::config::{Config, FindingContext};
use crate::ingest::{self, InputFile, RawReturn};
use crate::model::{CellChange, Finding, Issue, Period, Return, Severity, SourceFile};
use crate::text::label_key;

/// What happened to one submitted file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 通过: accepted, no warnings.
    Passed,
    /// 有警告: accepted; warnings to explain.
    Warnings,
    /// 退回修改: an error; not used this quarter.
    SentBack,
    /// 已被取代: a later file for the same zone and quarter won (F02).
    Superseded,
}

impl Verdict {
    pub fn label_zh(self) -> &'static str {
        match self {
            Verdict::Passed => "通过",
            Verdict::Warnings => "有警告",
            Verdict::SentBack => "退回修改",
            Verdict::Superseded => "已被取代",
        }
    }

    pub fn is_accepted(self) -> bool {
        matches!(self, Verdict::Passed | Verdict::Warnings)
    }
}

/// One submitted file, checked.
#[derive(Debug, Clone)]
pub struct Submission {
    pub source: SourceFile,
    /// Registry zone code, when the file names a registry zone.
    pub zone: Option<String>,
    /// `None` when the file could not be read (F01).
    pub ret: Option<Return>,
    pub findings: Vec<Finding>,
    /// Aligned with `findings`: for a warning the return explains in its
    /// 情况说明 sheet, the explanation (已说明); `None` otherwise.
    pub explanations: Vec<Option<String>>,
    pub verdict: Verdict,
    /// For a superseded file: the file that won.
    pub superseded_by: Option<String>,
    /// For the file that replaced others: the cells that changed (F02).
    pub changes: Vec<CellChange>,
}

impl Submission {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// One quarter's files, checked.
#[derive(Debug, Clone)]
pub struct PeriodCheck {
    pub period: Period,
    /// In file-name order.
    pub submissions: Vec<Submission>,
}

impl PeriodCheck {
    /// The accepted return of a zone this quarter, if any.
    pub fn accepted(&self, zone: &str) -> Option<&Submission> {
        self.submissions
            .iter()
            .find(|s| s.verdict.is_accepted() && s.zone.as_deref() == Some(zone))
    }

    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.submissions.iter().flat_map(|s| &s.findings)
    }

    pub fn has_errors(&self) -> bool {
        self.findings().any(|f| f.severity == Severity::Error)
    }
}

/// Checks every quarter up to `until` in order, each against the history the
/// quarters before it built.
pub fn check_through(
    config: &Config,
    folder: &ingest::ReturnsFolder,
    until: Period,
) -> Vec<PeriodCheck> {
    check_through_observed(config, folder, until, &mut |_| {})
}

/// [`check_through`], calling `observe` as each file is read.
pub fn check_through_observed(
    config: &Config,
    folder: &ingest::ReturnsFolder,
    until: Period,
    observe: &mut dyn FnMut(&InputFile),
) -> Vec<PeriodCheck> {
    let mut history = History::default();
    let mut out = Vec::new();
    for (period, files) in folder.periods.range(..=until) {
        let check = check_period_observed(config, *period, files, &history, observe);
        history.advance(&check);
        out.push(check);
    }
    out
}

/// The history of every quarter in the folder before `period`.
pub fn history_before(config: &Config, folder: &ingest::ReturnsFolder, period: Period) -> History {
    let mut history = History::default();
    for (p, files) in folder.periods.range(..period) {
        history.advance(&check_period(config, *p, files, &history));
    }
    history
}

/// The 报告期 most of the files state (the latest on a tie).
pub fn stated_period(config: &Config, files: &[InputFile]) -> Option<Period> {
    let mut counts: BTreeMap<Period, usize> = BTreeMap::new();
    for file in files {
        if let Ok(raw) = ingest::read_return(&file.path, &file.name, &config.form) {
            if let Some(p) = parse::parse(raw, config, None).0.period() {
                *counts.entry(p).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .max_by_key(|(p, n)| (*n, *p))
        .map(|(p, _)| p)
}

/// A return being checked, before its issues are rendered.
struct Item {
    ret: Return,
    issues: Vec<Issue>,
    superseded_by: Option<(String, Issue)>,
}

/// Checks one quarter's files against the contract and the zones' history.
pub fn check_period(
    config: &Config,
    period: Period,
    files: &[InputFile],
    history: &History,
) -> PeriodCheck {
    check_period_observed(config, period, files, history, &mut |_| {})
}

fn check_period_observed(
    config: &Config,
    period: Period,
    files: &[InputFile],
    history: &History,
    observe: &mut dyn FnMut(&InputFile),
) -> PeriodCheck {
    let mut submissions = Vec::new();
    let mut items = Vec::new();
    for file in files {
        observe(file);
        match ingest::read_return(&file.path, &file.name, &config.form) {
            Ok(raw) => items.push(read(raw, config, period)),
            Err(unreadable) => {
                let ctx = FindingContext {
                    zone: None,
                    period: Some(period),
                    file: Some(unreadable.source.name.clone()),
                };
                submissions.push(Submission {
                    findings: vec![config.rules.render(&unreadable.issue, &ctx)],
                    explanations: vec![None],
                    source: unreadable.source,
                    zone: None,
                    ret: None,
                    verdict: Verdict::SentBack,
                    superseded_by: None,
                    changes: Vec::new(),
                });
            }
        }
    }
    settle_duplicates(&mut items, period);
    cross_zone_duplicates(&mut items, config);
    for item in items.iter_mut().filter(|i| i.superseded_by.is_none()) {
        history.compare(&item.ret, period, config, &mut item.issues);
    }
    for item in items {
        submissions.push(render(item, config, period));
    }
    // A corrected file lists the cells it changed against the one it replaced.
    let replaced: Vec<(usize, usize)> = submissions
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let winner = s.superseded_by.as_deref()?;
            let w = submissions.iter().position(|x| x.source.name == winner)?;
            Some((i, w))
        })
        .collect();
    for (old, new) in replaced {
        if let (Some(a), Some(b)) = (&submissions[old].ret, &submissions[new].ret) {
            let changes = followup::changed_cells(a, b, &config.form);
            submissions[new].changes.extend(changes);
        }
    }
    submissions.sort_by(|a, b| a.source.name.cmp(&b.source.name));
    PeriodCheck {
        period,
        submissions,
    }
}

fn read(raw: RawReturn, config: &Config, period: Period) -> Item {
    let (ret, issues) = parse::parse(raw, config, Some(period));
    Item {
        ret,
        issues,
        superseded_by: None,
    }
}

fn render(item: Item, config: &Config, period: Period) -> Submission {
    let zone_name = item
        .ret
        .zone
        .as_deref()
        .and_then(|c| config.registry.zone(c))
        .map(|z| z.name.clone());
    let ctx = FindingContext {
        zone: zone_name,
        period: Some(period),
        file: Some(item.ret.source.name.clone()),
    };
    let (issues, superseded_by) = match item.superseded_by {
        // A superseded file is listed as such; its own problems are moot.
        Some((winner, issue)) => (vec![issue], Some(winner)),
        None => (item.issues, None),
    };
    let findings: Vec<Finding> = issues
        .iter()
        .map(|i| config.rules.render(i, &ctx))
        .collect();
    let verdict = if superseded_by.is_some() {
        Verdict::Superseded
    } else if findings.iter().any(|f| f.severity == Severity::Error) {
        Verdict::SentBack
    } else if findings.iter().any(|f| f.severity == Severity::Warning) {
        Verdict::Warnings
    } else {
        Verdict::Passed
    };
    let explanations = followup::explain(&findings, &item.ret);
    Submission {
        source: item.ret.source.clone(),
        zone: item.ret.zone.clone(),
        ret: Some(item.ret),
        findings,
        explanations,
        verdict,
        superseded_by,
        changes: Vec::new(),
    }
}

/// F02: several files for one zone and quarter. The later 填报日期 wins, then
/// the later file time, then the later file name; files with the winning
/// date but different content are all in error.
fn settle_duplicates(items: &mut [Item], period: Period) {
    let mut by_zone: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        let this_period = item.ret.period().is_none_or(|p| p == period);
        if let (Some(zone), true) = (&item.ret.zone, this_period) {
            by_zone.entry(zone.clone()).or_default().push(i);
        }
    }
    for mut group in by_zone.into_values().filter(|g| g.len() > 1) {
        group.sort_by(|&a, &b| {
            let (ra, rb) = (&items[a].ret, &items[b].ret);
            rb.fill_date()
                .cmp(&ra.fill_date())
                .then(rb.source.modified.cmp(&ra.source.modified))
                .then(rb.source.name.cmp(&ra.source.name))
        });
        let top_date = items[group[0]].ret.fill_date();
        let tied: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&i| items[i].ret.fill_date() == top_date)
            .collect();
        let first_content = content_key(&items[tied[0]].ret);
        let conflict = tied
            .iter()
            .any(|&i| content_key(&items[i].ret) != first_content);
        if conflict {
            for &i in &tied {
                let others: Vec<String> = tied
                    .iter()
                    .filter(|&&j| j != i)
                    .map(|&j| items[j].ret.source.name.clone())
                    .collect();
                let issue = f02_issue(&items[i].ret, "conflict", others.join("、"), top_date);
                items[i].issues.push(issue);
            }
        }
        let winner = if conflict { None } else { Some(group[0]) };
        let winner_name = items[group[0]].ret.source.name.clone();
        for &i in &group {
            if Some(i) == winner || (conflict && tied.contains(&i)) {
                continue;
            }
            let label = if conflict {
                tied_names(items, &tied)
            } else {
                winner_name.clone()
            };
            let mut issue = f02_issue(&items[i].ret, "", label.clone(), top_date);
            issue.expected = top_date.map(|d| d.to_string());
            items[i].superseded_by = Some((label, issue));
        }
    }
}

fn tied_names(items: &[Item], tied: &[usize]) -> String {
    tied.iter()
        .map(|&i| items[i].ret.source.name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

fn f02_issue(
    ret: &Return,
    variant: &'static str,
    other: String,
    top: Option<chrono::NaiveDate>,
) -> Issue {
    let mut issue = match &ret.info.fill_date {
        Some(d) => Issue::new("F02").at(&d.sheet, d.cell).value(d.value),
        None => Issue::new("F02"),
    };
    if !variant.is_empty() {
        issue = issue.variant(variant);
    }
    if let Some(top) = top {
        issue = issue.expected(top);
    }
    issue.arg("other", other)
}

/// What a return says, without where it says it: two files with the same
/// content key are the same return.
fn content_key(ret: &Return) -> String {
    let mut s = String::new();
    let info = &ret.info;
    s.push_str(&format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}\n",
        info.zone_text.as_ref().map(|z| &z.value),
        ret.period(),
        info.filler,
        ret.fill_date(),
        info.industry,
        info.platform,
        info.talent,
        info.fund_size.as_ref().map(|f| f.value),
    ));
    for (code, v) in &ret.indicators {
        s.push_str(&format!(
            "{code}:{:?}:{:?}\n",
            v.new.as_ref().map(|x| x.value),
            v.cumulative.as_ref().map(|x| x.value)
        ));
    }
    for p in &ret.projects {
        s.push_str(&format!(
            "P:{}|{:?}|{}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}\n",
            p.name.value,
            p.universities,
            p.enterprise,
            p.category,
            p.start_date,
            p.contract,
            p.funded.as_ref().map(|f| f.value),
            p.status,
            p.field,
            p.benchmark
        ));
    }
    for p in &ret.platforms {
        s.push_str(&format!(
            "L:{}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}\n",
            p.name.value, p.kind, p.level, p.universities, p.built_date, p.area, p.investment
        ));
    }
    s
}

/// D03: the same project (name + enterprise) reported by two zones.
fn cross_zone_duplicates(items: &mut [Item], config: &Config) {
    let mut seen: BTreeMap<(String, String), Vec<(usize, usize)>> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        if item.superseded_by.is_some() || item.ret.zone.is_none() {
            continue;
        }
        for (j, p) in item.ret.projects.iter().enumerate() {
            let key = (label_key(&p.name.value), label_key(&p.enterprise));
            if !key.0.is_empty() {
                seen.entry(key).or_default().push((i, j));
            }
        }
    }
    for places in seen.into_values() {
        let zone_of = |items: &[Item], i: usize| items[i].ret.zone.clone().unwrap_or_default();
        let mut zones: Vec<String> = places.iter().map(|&(i, _)| zone_of(items, i)).collect();
        zones.sort();
        zones.dedup();
        if zones.len() < 2 {
            continue;
        }
        for &(i, j) in &places {
            let own = zone_of(items, i);
            let others: Vec<&str> = zones
                .iter()
                .filter(|z| **z != own)
                .filter_map(|z| config.registry.zone(z))
                .map(|z| z.name.as_str())
                .collect();
            let p = &items[i].ret.projects[j];
            let issue = Issue::new("D03")
                .at(&p.name.sheet, p.name.cell)
                .value(&p.name.value)
                .expected("项目只由一个高新区填报")
                .arg("item", &p.enterprise)
                .arg("other", others.join("、"));
            items[i].issues.push(issue);
        }
    }
}
