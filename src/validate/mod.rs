//! Stage 2, validate: type every return, apply every rule of the contract,
//! settle duplicates (F02), compare with last quarter, and decide which
//! returns are accepted (docs/return-form.md, "Acceptance").
//!
//! Quarters are checked in order, each against the history the earlier ones
//! built. Within a quarter the files are read and checked on all threads
//! (each file once, its failures contained to it), then settled together in
//! file-name order, so the result does not depend on the thread count.

mod duplicates;
mod followup;
mod history;
pub mod normalize;
mod parse;
mod review;
mod shape;
mod submission;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rayon::prelude::*;

pub use history::History;
pub use parse::{parse, TOLERANCE};
pub use submission::{PeriodCheck, Submission};

use crate::config::{Config, FindingContext};
use crate::ingest::{self, InputFile, RawReturn, ReturnsFolder, Unreadable};
use crate::model::{BookSheet, Decision, Finding, Issue, Period, Return, Severity, Verdict};

/// Who hears of progress while files are checked. Files are read on the
/// threads of the current rayon pool (the command line sizes it with `-j`).
#[derive(Clone, Copy, Default)]
pub struct Options<'a> {
    /// Called as each file is done (from any thread).
    pub progress: Option<&'a (dyn Fn(Progress) + Sync)>,
}

/// Files done so far in a run, and the quarter being read.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub period: Period,
    pub done: usize,
    pub total: usize,
}

/// Checks the quarters of `folder` up to `until` in order and hands each to
/// `visit`, with the history that now includes it; returns that history.
/// The quarter `until` keeps its files' cells (for feedback); earlier ones
/// keep only values. While a quarter is settled (which must wait for the
/// ones before it), the next quarter's files are already being read.
pub fn walk(
    config: &Config,
    folder: &ReturnsFolder,
    until: Period,
    options: Options,
    mut visit: impl FnMut(PeriodCheck, &History) + Send,
) -> History {
    let quarters: Vec<(Period, &[InputFile])> = folder
        .periods
        .range(..=until)
        .map(|(p, f)| (*p, f.as_slice()))
        .collect();
    let total = quarters.iter().map(|(_, f)| f.len()).sum();
    let done = AtomicUsize::new(0);
    let read = |(period, files): (Period, &[InputFile])| -> Vec<Parsed> {
        let keep = period == until;
        files
            .par_iter()
            .map(|f| {
                let parsed = read_and_parse(config, f, period, keep);
                let done = done.fetch_add(1, Ordering::Relaxed) + 1;
                if let Some(report) = options.progress {
                    report(Progress {
                        period,
                        done,
                        total,
                    });
                }
                parsed
            })
            .collect()
    };
    {
        let mut history = History::default();
        let mut pending = quarters.first().map(|q| read(*q));
        // The returns the history let go of last quarter: freeing them is
        // done beside the settling, not before it.
        let mut replaced = Vec::new();
        for (i, &(period, _)) in quarters.iter().enumerate() {
            let parsed = pending.take().unwrap_or_default();
            let old = std::mem::take(&mut replaced);
            let (ahead, now_replaced) = rayon::join(
                || {
                    drop(old);
                    quarters.get(i + 1).map(|q| read(*q))
                },
                || {
                    let check = settle(config, period, parsed, &history);
                    let replaced = history.advance(&check);
                    visit(check, &history);
                    replaced
                },
            );
            pending = ahead;
            replaced = now_replaced;
        }
        history
    }
}

/// Every quarter up to `until`, checked (for tests and tools).
pub fn check_through(config: &Config, folder: &ReturnsFolder, until: Period) -> Vec<PeriodCheck> {
    let mut out = Vec::new();
    walk(config, folder, until, Options::default(), |c, _| {
        out.push(c)
    });
    out
}

/// The history of every quarter in the folder before `period`.
pub fn history_before(config: &Config, folder: &ReturnsFolder, period: Period) -> History {
    match folder.periods.range(..period).next_back() {
        Some((&last, _)) => walk(config, folder, last, Options::default(), |_, _| {}),
        None => History::default(),
    }
}

/// One quarter's files against a history (the files keep their cells).
pub fn check_period(
    config: &Config,
    period: Period,
    files: &[InputFile],
    history: &History,
) -> PeriodCheck {
    let parsed = files
        .par_iter()
        .map(|f| read_and_parse(config, f, period, true))
        .collect();
    settle(config, period, parsed, history)
}

/// A quarter's files as last read and typed, each with what the file (and
/// its portal notes, `ingest::notes`) looked like then, so that a server
/// checking the same quarter again reads only the files that changed.
#[derive(Default)]
pub struct ReadCache {
    files: HashMap<std::path::PathBuf, (Stamp, Parsed)>,
}

/// Size and modification time of a file, of its notes and of its review
/// decisions.
type Stamp = [(u64, Option<std::time::SystemTime>); 3];

fn stamp(path: &std::path::Path) -> Stamp {
    let of = |p: &std::path::Path| {
        std::fs::metadata(p)
            .map(|m| (m.len(), m.modified().ok()))
            .unwrap_or((0, None))
    };
    [
        of(path),
        of(&ingest::notes::notes_path(path)),
        of(&ingest::decisions::decisions_path(path)),
    ]
}

impl ReadCache {
    /// Holds `raw`, read from the bytes now at `raw.source.path` (the
    /// portal reads an upload once, to see whose and which quarter's it
    /// is), as that file's read, so the check that follows does not read it
    /// again.
    pub fn hold(&mut self, config: &Config, period: Period, raw: RawReturn) {
        let path = raw.source.path.clone();
        let parsed = parse_contained(config, raw, period, true);
        self.files.insert(path.clone(), (stamp(&path), parsed));
    }
}

/// [`check_period`], reading again only the files `cache` does not hold as
/// they are now; the result is the same.
pub fn check_period_cached(
    config: &Config,
    period: Period,
    files: &[InputFile],
    history: &History,
    cache: &mut ReadCache,
) -> PeriodCheck {
    let stamps: Vec<Stamp> = files.iter().map(|f| stamp(&f.path)).collect();
    let known = &cache.files;
    let parsed: Vec<Parsed> = files
        .par_iter()
        .zip(&stamps)
        .map(|(f, now)| match known.get(&f.path) {
            Some((then, parsed)) if then == now => parsed.clone(),
            _ => read_and_parse(config, f, period, true),
        })
        .collect();
    cache.files = files
        .iter()
        .zip(stamps)
        .zip(&parsed)
        .map(|((f, s), p)| (f.path.clone(), (s, p.clone())))
        .collect();
    settle(config, period, parsed, history)
}

/// Named files, each read once: checked as the quarter `period`, else the
/// quarter most of them state, else `fallback`; `None` when none is known.
pub fn check_files(
    config: &Config,
    files: &[InputFile],
    period: Option<Period>,
    fallback: Option<Period>,
    history_for: impl FnOnce(Period) -> History,
) -> Option<PeriodCheck> {
    let read: Vec<Result<RawReturn, Box<Unreadable>>> = files
        .par_iter()
        .map(|f| read_contained(config, f))
        .collect();
    let period = period
        .or_else(|| stated_period(config, &read))
        .or(fallback)?;
    let history = history_for(period);
    let parsed = read
        .into_iter()
        .map(|r| r.and_then(|raw| parse_contained(config, raw, period, true)))
        .collect();
    Some(settle(config, period, parsed, &history))
}

/// The 报告期 most of the files state (the latest on a tie).
fn stated_period(config: &Config, read: &[Result<RawReturn, Box<Unreadable>>]) -> Option<Period> {
    let mut counts: BTreeMap<Period, usize> = BTreeMap::new();
    for raw in read.iter().flatten() {
        if let Some(p) = parse::stated_period(raw, config) {
            *counts.entry(p).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(p, n)| (*n, *p))
        .map(|(p, _)| p)
}

/// A file read and typed, before the quarter's files are settled together.
type Parsed = Result<Item, Box<Unreadable>>;

/// A return being checked, before its issues are rendered.
#[derive(Clone)]
pub(crate) struct Item {
    ret: Return,
    issues: Vec<Issue>,
    superseded_by: Option<(String, Issue)>,
    cells: Arc<[BookSheet]>,
    /// Review decisions kept beside the file (`ingest::decisions`).
    decisions: Vec<Decision>,
}

/// `keep`: the file keeps its cells (for feedback).
fn read_and_parse(config: &Config, file: &InputFile, period: Period, keep: bool) -> Parsed {
    read_contained(config, file).and_then(|raw| parse_contained(config, raw, period, keep))
}

/// Reads a file; a failure inside the readers is F01 for that file.
fn read_contained(config: &Config, file: &InputFile) -> Result<RawReturn, Box<Unreadable>> {
    let loaded = ingest::load(file, &config.form)?;
    let source = loaded.source.clone();
    crate::guard::contain(|| ingest::from_bytes(&loaded.bytes, loaded.source, &config.form))
        .unwrap_or_else(|panic| Err(ingest::unreadable(source, failed(&panic))))
}

/// Types a return; a failure inside the checks is F01 for that file.
fn parse_contained(config: &Config, raw: RawReturn, period: Period, keep: bool) -> Parsed {
    let source = raw.source.clone();
    crate::guard::contain(move || {
        let (mut ret, issues) = parse::parse(&raw, config, Some(period));
        // 情况说明 typed in the portal count as rows of the sheet.
        ret.explanations
            .extend(ingest::notes::explanations_beside(&raw.source.path));
        Item {
            decisions: ingest::decisions::decisions_beside(&raw.source.path),
            ret,
            issues,
            superseded_by: None,
            cells: if keep {
                raw.into_cells(|key, sheet| shape::shape(config, key, sheet))
                    .into()
            } else {
                Vec::new().into()
            },
        }
    })
    .map_err(|panic| ingest::unreadable(source, failed(&panic)))
}

fn failed(panic: &str) -> String {
    format!("文件结构异常，读取时出错（技术信息：{panic}）")
}

/// The quarter's files together: duplicates, the comparison with earlier
/// quarters, findings rendered, verdicts, corrections.
fn settle(config: &Config, period: Period, parsed: Vec<Parsed>, history: &History) -> PeriodCheck {
    let mut submissions = Vec::new();
    let mut items = Vec::new();
    for p in parsed {
        match p {
            Ok(item) => items.push(item),
            Err(unreadable) => submissions.push(unreadable_submission(config, period, *unreadable)),
        }
    }
    duplicates::settle_duplicates(&mut items, period);
    duplicates::cross_zone_duplicates(&mut items, config);
    for item in items.iter_mut().filter(|i| i.superseded_by.is_none()) {
        history.compare(&item.ret, period, config, &mut item.issues);
    }
    submissions.extend(items.into_iter().map(|item| render(item, config, period)));
    followup::record_corrections(&mut submissions, &config.form);
    submissions.sort_by(|a, b| a.source.name.cmp(&b.source.name));
    PeriodCheck {
        period,
        submissions,
    }
}

fn unreadable_submission(config: &Config, period: Period, u: Unreadable) -> Submission {
    let ctx = FindingContext {
        zone: None,
        period: Some(period),
        file: Some(u.source.name.clone()),
    };
    Submission {
        findings: vec![config.rules.render(&u.issue, &ctx)],
        explanations: vec![None],
        source: u.source,
        zone: None,
        ret: None,
        verdict: Verdict::SentBack,
        superseded_by: None,
        set_aside: Vec::new(),
        changes: Vec::new(),
        cells: Vec::new().into(),
        review: None,
        decisions: Vec::new(),
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
    let (issues, set_aside, superseded_by) = match item.superseded_by {
        // A superseded file is listed as such; its own problems are moot,
        // kept aside for its feedback only.
        Some((winner, issue)) => (vec![issue], item.issues, Some(winner)),
        None => (item.issues, Vec::new(), None),
    };
    let render_all = |issues: &[Issue]| -> Vec<Finding> {
        issues
            .iter()
            .map(|i| config.rules.render(i, &ctx))
            .collect()
    };
    let findings = render_all(&issues);
    let set_aside = render_all(&set_aside);
    let verdict = if superseded_by.is_some() {
        Verdict::Superseded
    } else if findings.iter().any(|f| f.severity == Severity::Error) {
        Verdict::SentBack
    } else if findings.iter().any(|f| f.severity == Severity::Warning) {
        Verdict::Warnings
    } else {
        Verdict::Passed
    };
    let mut findings = findings;
    let mut explanations = followup::explain(&findings, &item.ret);
    let unexplained = findings
        .iter()
        .zip(&explanations)
        .any(|(f, e)| f.needs_explanation() && e.is_none());
    let reviewed = review::review(
        config,
        &ctx,
        item.ret.zone.as_deref(),
        &item.decisions,
        &item.ret.source.sha256,
        verdict,
        unexplained,
    );
    if let Some(returned) = reviewed.returned {
        findings.push(returned);
        explanations.push(None);
    }
    Submission {
        source: item.ret.source.clone(),
        zone: item.ret.zone.clone(),
        ret: Some(Arc::new(item.ret)),
        findings,
        explanations,
        verdict: reviewed.verdict,
        superseded_by,
        set_aside,
        changes: Vec::new(),
        cells: item.cells,
        review: reviewed.state,
        decisions: item.decisions,
    }
}
