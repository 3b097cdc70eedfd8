//! The quarter's check, as `check` makes it, kept while the returns folder
//! does not change. Requests that arrive while a check runs wait for it and
//! then share one new check that includes every file stored meanwhile, so
//! 61 zones uploading at once cost a few checks of the quarter, not 61.
//!
//! An upload is read once: the read that tells whose it is (intake's gate)
//! is held here and handed to the next check (`Desk::hold`), and an
//! upload's answer is the first check made after its file came
//! (`Desk::check_with`).
//!
//! A check is `validate::check_period` over the quarter's files (through
//! `check_period_cached`, which reads again only the files that changed)
//! against
//! `validate::history_before` (the earlier quarters, kept separately while
//! they do not change): the same entry points `check` uses, so the
//! findings are the ones `check --format json` prints for the folder
//! (tests/api compare them).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::Mutex;

use super::fault::Fault;
use crate::config::Config;
use crate::ingest::{decisions, notes, RawReturn, ReturnsFolder};
use crate::model::Period;
use crate::report::{Report, SubmissionStatus};
use crate::validate::{self, History, PeriodCheck};

/// What a quarter's folder held when it was checked: every file (and
/// portal note) with its size and modification time.
type Print = Vec<(String, u64, i128)>;

pub struct Desk {
    config: Arc<Config>,
    returns: PathBuf,
    cache: Mutex<Cache>,
    /// Uploads read at the door and stored, waiting for the next check to
    /// take their reads (a short lock of its own, so an upload never waits
    /// for a check to hand its read over).
    held: std::sync::Mutex<Vec<(Period, RawReturn)>>,
    /// The last check of each quarter, behind a short lock of its own.
    latest: std::sync::Mutex<HashMap<Period, Arc<PeriodCheck>>>,
}

#[derive(Default)]
struct Cache {
    /// The quarters' files as read, so a new check reads only the files
    /// that came since.
    reads: HashMap<Period, validate::ReadCache>,
    histories: HashMap<Period, (Print, Arc<History>)>,
    checks: HashMap<Period, (Print, Arc<PeriodCheck>)>,
    reports: HashMap<Period, (Print, Arc<Report>)>,
}

/// A quarter's check, and whether it was just made (the submission log
/// then records its verdicts).
pub struct Checked {
    pub check: Arc<PeriodCheck>,
    pub fresh: bool,
}

impl Desk {
    pub fn new(config: Arc<Config>, returns: PathBuf) -> Desk {
        Desk {
            config,
            returns,
            cache: Mutex::new(Cache::default()),
            held: Default::default(),
            latest: Default::default(),
        }
    }

    pub fn scan(&self) -> Result<ReturnsFolder, Fault> {
        if !self.returns.is_dir() {
            return Ok(ReturnsFolder {
                root: self.returns.clone(),
                ..ReturnsFolder::default()
            });
        }
        ReturnsFolder::scan(&self.returns).map_err(Fault::from)
    }

    /// The quarter's check, made now if the folder changed since the last.
    pub async fn check(&self, period: Period) -> Result<Checked, Fault> {
        self.check_unless(period, |_| false).await
    }

    /// The quarter's check with the file `name` in it: the last check made
    /// when it holds the file (made after the file came, so a snapshot of
    /// the folder with it), else a new one. Uploads that come together
    /// then share a check instead of each settling the quarter again.
    pub async fn check_with(&self, period: Period, name: &str) -> Result<Checked, Fault> {
        self.check_unless(period, |check| {
            check.submissions.iter().any(|s| s.source.name == name)
        })
        .await
    }

    /// The last check when the folder is unchanged or `enough` says it
    /// will do; else a new one.
    async fn check_unless(
        &self,
        period: Period,
        enough: impl Fn(&PeriodCheck) -> bool,
    ) -> Result<Checked, Fault> {
        let mut cache = self.cache.lock().await;
        if let Some((_, check)) = cache.checks.get(&period).filter(|(_, c)| enough(c)) {
            return Ok(Checked {
                check: check.clone(),
                fresh: false,
            });
        }
        // Taken before the folder is read, so that every file held is in it
        // (a file is stored before it is held); when the folder is as the
        // last check saw it, that check read them already.
        let held = self.take_held(period);
        let folder = self.scan()?;
        let print = print_through(&folder, period, true);
        if let Some((p, check)) = cache.checks.get(&period) {
            if *p == print {
                return Ok(Checked {
                    check: check.clone(),
                    fresh: false,
                });
            }
        }
        let history = self.history_locked(&mut cache, &folder, period).await?;
        let config = self.config.clone();
        let files = folder.periods.get(&period).cloned().unwrap_or_default();
        let mut reads = cache.reads.remove(&period).unwrap_or_default();
        let (check, reads) = blocking(move || {
            for raw in held {
                reads.hold(&config, period, raw);
            }
            let check =
                validate::check_period_cached(&config, period, &files, &history, &mut reads);
            (Arc::new(check), reads)
        })
        .await?;
        cache.reads.insert(period, reads);
        cache.checks.insert(period, (print, check.clone()));
        self.latest
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(period, check.clone());
        Ok(Checked { check, fresh: true })
    }

    /// The last check made of the quarter, whatever came since: for the
    /// lock on an approved return, which every decision refreshes. Never
    /// waits for a running check.
    pub fn last(&self, period: Period) -> Option<Arc<PeriodCheck>> {
        let latest = self.latest.lock().unwrap_or_else(|e| e.into_inner());
        latest.get(&period).cloned()
    }

    /// Keeps an upload's read for the next check of its quarter
    /// (`validate::ReadCache::hold`), which then reads only what else came.
    pub fn hold(&self, period: Period, raw: RawReturn) {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        held.push((period, raw));
    }

    /// The held reads of `period`, taken out.
    fn take_held(&self, period: Period) -> Vec<RawReturn> {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        let (mine, others) = std::mem::take(&mut *held)
            .into_iter()
            .partition(|(p, _)| *p == period);
        *held = others;
        mine.into_iter().map(|(_, raw)| raw).collect()
    }

    /// The history of every quarter before `period` (for templates).
    pub async fn history(&self, period: Period) -> Result<Arc<History>, Fault> {
        let mut cache = self.cache.lock().await;
        let folder = self.scan()?;
        self.history_locked(&mut cache, &folder, period).await
    }

    async fn history_locked(
        &self,
        cache: &mut Cache,
        folder: &ReturnsFolder,
        period: Period,
    ) -> Result<Arc<History>, Fault> {
        let print = print_through(folder, period, false);
        if let Some((p, history)) = cache.histories.get(&period) {
            if *p == print {
                return Ok(history.clone());
            }
        }
        let config = self.config.clone();
        let folder = folder.clone();
        let history =
            blocking(move || Arc::new(validate::history_before(&config, &folder, period))).await?;
        cache.histories.insert(period, (print, history.clone()));
        Ok(history)
    }

    /// 报送情况 of the quarter, as `status --format json` gives it (the
    /// whole pipeline, as `status` runs it).
    pub async fn status(&self, period: Period) -> Result<Arc<Vec<SubmissionStatus>>, Fault> {
        Ok(Arc::new(self.report(period).await?.submissions.clone()))
    }

    /// The quarter's report model, as `status` and `review` run the
    /// pipeline (nothing written, no published report compared), kept
    /// while the folder does not change.
    pub async fn report(&self, period: Period) -> Result<Arc<Report>, Fault> {
        let mut cache = self.cache.lock().await;
        let folder = self.scan()?;
        if !folder.periods.contains_key(&period) {
            return Err(Fault::Bad(format!("报表目录中没有 {period} 的报表")));
        }
        let print = print_through(&folder, period, true);
        if let Some((p, report)) = cache.reports.get(&period) {
            if *p == print {
                return Ok(report.clone());
            }
        }
        let config = self.config.clone();
        let report = blocking(move || {
            crate::pipeline::run(
                &config,
                &folder,
                period,
                BTreeMap::new(),
                validate::Options::default(),
            )
            .map(|run| Arc::new(run.report))
        })
        .await??;
        cache.reports.insert(period, (print, report.clone()));
        Ok(report)
    }
}

/// Checking reads files and uses every core: off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Fault> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Fault::internal(format!("校验任务失败：{e}")))
}

/// The files of the quarters before `period` (and of `period` itself when
/// `including`), with their portal notes and review decisions.
fn print_through(folder: &ReturnsFolder, period: Period, including: bool) -> Print {
    let mut print = Print::new();
    for (p, files) in &folder.periods {
        if *p > period || (*p == period && !including) {
            continue;
        }
        for f in files {
            print.push(stamp(&f.path, f.name.clone()));
        }
        // The portal's notes and review decisions beside the files.
        let beside = [notes::NOTES_DIR, decisions::DECISIONS_DIR];
        for dir in files
            .first()
            .into_iter()
            .flat_map(|first| beside.map(|d| first.path.with_file_name(d)))
        {
            if let Ok(entries) = std::fs::read_dir(&dir) {
                let mut kept: Vec<_> = entries
                    .flatten()
                    .map(|e| stamp(&e.path(), e.path().display().to_string()))
                    .collect();
                kept.sort();
                print.extend(kept);
            }
        }
    }
    print
}

fn stamp(path: &Path, name: String) -> (String, u64, i128) {
    let meta = std::fs::metadata(path).ok();
    let len = meta.as_ref().map(|m| m.len()).unwrap_or(0);
    let modified = meta
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i128)
        .unwrap_or(0);
    (name, len, modified)
}
