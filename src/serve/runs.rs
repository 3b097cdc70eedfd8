//! 运行季度报告 from the portal: the same code as the `report` command
//! (`cmd::write_quarter`), on a blocking thread, one run at a time, its
//! stage kept here for the page to show. The report folder is
//! `<data>/reports/<P>/`, swapped in atomically as `report` writes it.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::app::audit_row;
use super::auth::Caller;
use super::App;
use crate::cmd::{write_quarter, Job, PageChoice, Stage};
use crate::model::{Period, Tone};

/// Where the portal publishes its reports: `<data>/reports/`.
pub fn reports_dir(app: &App) -> PathBuf {
    app.settings.data.join("reports")
}

/// Where a run stands.
#[derive(Debug, Clone, PartialEq)]
pub enum RunStage {
    /// Asked for, not yet started.
    Queued,
    /// Reading and checking the returns (files done of total).
    Checking { done: usize, total: usize },
    /// Laying out the workbook, charts and brief.
    Rendering,
    /// Written to this folder.
    Done(PathBuf),
    /// Failed, with why.
    Failed(String),
}

impl RunStage {
    pub fn label_zh(&self) -> &'static str {
        match self {
            RunStage::Queued => "排队",
            RunStage::Checking { .. } => "校验与汇总中",
            RunStage::Rendering => "排版中",
            RunStage::Done(_) => "完成",
            RunStage::Failed(_) => "失败",
        }
    }

    pub fn tone(&self) -> Tone {
        match self {
            RunStage::Done(_) => Tone::Good,
            RunStage::Failed(_) => Tone::Bad,
            _ => Tone::Info,
        }
    }

    pub fn finished(&self) -> bool {
        matches!(self, RunStage::Done(_) | RunStage::Failed(_))
    }
}

/// A run of the quarter's report: who asked, when, and where it stands.
#[derive(Debug, Clone)]
pub struct RunState {
    pub period: Period,
    pub by: String,
    pub only_province: bool,
    /// Seconds since the epoch.
    pub started_at: i64,
    started: Instant,
    /// How long it took, once finished.
    took: Option<Duration>,
    pub stage: RunStage,
}

impl RunState {
    /// Time since it started, or how long it took.
    pub fn elapsed(&self) -> Duration {
        self.took.unwrap_or_else(|| self.started.elapsed())
    }
}

/// The latest run (one at a time).
#[derive(Default)]
pub struct Runs {
    latest: Mutex<Option<RunState>>,
}

impl Runs {
    pub fn latest(&self) -> Option<RunState> {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<RunState>> {
        self.latest.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes `run` as the current one, unless one is still running (that
    /// one is returned).
    fn begin(&self, run: RunState) -> Result<(), RunState> {
        let mut latest = self.lock();
        if let Some(running) = latest.as_ref().filter(|r| !r.stage.finished()) {
            return Err(running.clone());
        }
        *latest = Some(run);
        Ok(())
    }

    fn set(&self, stage: RunStage) {
        if let Some(run) = self.lock().as_mut() {
            if stage.finished() {
                run.took = Some(run.started.elapsed());
            }
            run.stage = stage;
        }
    }
}

/// Starts the open quarter's report in the background; `Err(running)`
/// when a run is already going.
pub fn start(app: &Arc<App>, caller: &Caller, only_province: bool) -> Result<(), RunState> {
    let period = app.settings.period;
    app.runs.begin(RunState {
        period,
        by: caller.account.username.clone(),
        only_province,
        started_at: super::store::now(),
        started: Instant::now(),
        took: None,
        stage: RunStage::Queued,
    })?;
    let app = app.clone();
    let caller = caller.clone();
    tokio::spawn(async move {
        let worker = app.clone();
        let done = tokio::task::spawn_blocking(move || run(&worker, period, only_province)).await;
        let stage = match done {
            Ok(Ok(target)) => RunStage::Done(target),
            Ok(Err(fault)) => RunStage::Failed(fault),
            Err(e) => RunStage::Failed(format!("运行中断：{e}")),
        };
        let outcome = match &stage {
            RunStage::Failed(why) => format!("failed: {why}"),
            _ => "ok".to_string(),
        };
        app.runs.set(stage);
        let row = audit_row(
            Some(&caller),
            None,
            "report.run",
            Some(format!("季度报告 {period}")),
            outcome,
        );
        if let Err(fault) = app.audit(row) {
            app.settings
                .log
                .line(format!("审计日志写入失败：{}", fault.message()));
        }
    });
    Ok(())
}

/// The run itself (on a blocking thread): `report` for the open quarter.
fn run(app: &App, period: Period, only_province: bool) -> Result<PathBuf, String> {
    let folder = app.desk.scan().map_err(|f| f.message())?;
    let out = reports_dir(app);
    let progress = |stage: Stage| {
        app.runs.set(match stage {
            Stage::Reading(p) => RunStage::Checking {
                done: p.done,
                total: p.total,
            },
            Stage::Rendering => RunStage::Rendering,
        })
    };
    let job = Job {
        config: &app.config,
        returns: &app.settings.returns,
        folder: &folder,
        period,
        out: &out,
        options: Default::default(),
        pages: PageChoice {
            only_province,
            ..Default::default()
        },
    };
    write_quarter(job, &progress)
        .map(|(_, target)| target)
        .map_err(|e| e.to_string())
}
