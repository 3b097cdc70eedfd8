//! Review by level in the portal: a city's reviewer (or the province)
//! approves, sends back or reopens a zone's return. The decision is asked
//! of the pipeline's table (`model::review::ReviewState::after`), written
//! atomically beside the return (`ingest::decisions`), where `check`,
//! `status` and `report` read it, and logged in the audit; the zone and
//! the next reviewers are told (`notices`). docs/review-workflow.md.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::app::audit_row;
use super::auth::Caller;
use super::fault::Fault;
use super::journal::{self, Change};
use super::notices::{Kind, Notice};
use super::state::ZoneQuarter;
use super::store::Scope;
use super::store::{audit, AuditRow};
use super::App;
use crate::ingest::decisions;
use crate::model::review::{Action, Decision, Level, ReviewState};

/// What a decision led to.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub submission: i64,
    pub zone: String,
    /// The zone's state in the one table after the decision.
    pub state: String,
    /// With the level: 待无锡市科技局审核.
    pub review: String,
    pub decision: Decision,
}

/// Takes `action` (as the request asked it: unreadable, why) on
/// submission `id` for the caller. A zone clerk, or a reviewer of another
/// city, gets 403 whatever the request says; a submission that is not the
/// zone's return under review, 409 with the reason.
pub async fn decide(
    app: &App,
    caller: &Caller,
    id: i64,
    action: Result<Action, Fault>,
    comment: &str,
) -> Result<Outcome, Fault> {
    if matches!(caller.account.scope, Scope::Zone(_)) {
        return Err(Fault::Forbidden(
            "只有设区市科技局和省科技厅的审核人员可以审核报表".into(),
        ));
    }
    let action = action?;
    let comment = comment.trim();
    if action == Action::Return && comment.chars().filter(|c| c.is_alphanumeric()).count() < 4 {
        return Err(Fault::Bad(
            "退回时请写明审核意见（至少 4 个字）：哪里不对，应如何修改".into(),
        ));
    }
    // One decision at a time, each against the state the last one left.
    let _turn = app.reviews.lock().await;
    let found = app.find_any(id).await?;
    let zone = found.logged.zone.clone().unwrap_or_default();
    if !caller.may_see(app, &zone) {
        return Err(Fault::Forbidden("这份报表不属于您所审核的设区市".into()));
    }
    let sub = found
        .submission()
        .ok_or_else(|| Fault::Conflict("这份报表已不在报表目录中，无法审核".into()))?;
    let levels = &app.config.calendar.review.levels;
    let state = sub.review.ok_or_else(|| {
        Fault::Conflict(if levels.is_empty() {
            "本系统未启用审核（calendar.toml [review] levels 为空）".into()
        } else {
            format!(
                "这份报表{}，无需审核",
                match sub.verdict {
                    crate::model::Verdict::Superseded => "已被同期后报的报表取代",
                    _ => "未通过校验，已退回修改",
                }
            )
        })
    })?;
    let level = acting_level(caller, state, levels);
    let next = state
        .after(action, level, levels)
        .map_err(|refused| Fault::Conflict(refused.0))?;
    let decision = Decision {
        id: super::auth::password::random_hex()[..16].to_string(),
        level,
        action,
        comment: comment.to_string(),
        by: format!(
            "{}（{}）",
            caller.account.username,
            caller.account.scope.label_zh(&app.config)
        ),
        at: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
        sha256: sub.source.sha256.clone(),
    };
    let decided = Decided {
        file: found.logged.file.clone(),
        decision: decision.clone(),
        audit: audit_row(
            Some(caller),
            Some(&zone),
            &format!("review.{}", action.column()),
            Some(format!("报送 {id}")),
            format!("ok: {}", next_label(next, &city_of(app, &zone))),
        ),
    };
    let returns = &app.settings.returns;
    journal::run(&app.store, returns, &decided, |d| d.write(returns))?;
    let check = app.check(found.period).await?;
    let quarter = ZoneQuarter::of(&app.config, &check, &zone, app.today());
    tell(app, &zone, id, &decision, next)?;
    Ok(Outcome {
        submission: id,
        zone: app.zone_name(&zone).to_string(),
        state: quarter.label_zh(),
        review: quarter
            .review
            .map(|r| r.detail_zh(&quarter.city))
            .unwrap_or_default(),
        decision,
    })
}

/// The actions the caller may take on a return in `state` (none for a
/// zone clerk, or a reviewer of another city).
pub fn allowed(app: &App, caller: &Caller, zone: &str, state: ReviewState) -> Vec<Action> {
    if matches!(caller.account.scope, Scope::Zone(_)) || !caller.may_see(app, zone) {
        return Vec::new();
    }
    let levels = &app.config.calendar.review.levels;
    let level = acting_level(caller, state, levels);
    Action::ALL
        .into_iter()
        .filter(|a| state.after(*a, level, levels).is_ok())
        .collect()
}

/// The level a caller acts for: a city reviewer for its city; the
/// province for the level awaited (it may act for a city without its own
/// reviewer), else for the last level.
fn acting_level(caller: &Caller, state: ReviewState, levels: &[Level]) -> Level {
    match caller.account.scope {
        Scope::City(_) => Level::City,
        _ => state
            .awaiting()
            .or_else(|| levels.last().copied())
            .unwrap_or(Level::Province),
    }
}

/// A decision as the journal makes it (`journal`): the list beside the
/// return with it added, then its audit row; a crash between leaves both
/// or neither. Decisions are taken one at a time (`App::reviews`), so the
/// list is never written by two at once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Decided {
    /// The return, relative to the returns folder (`2026Q3/….xlsx`).
    pub file: String,
    pub decision: Decision,
    pub audit: AuditRow,
}

impl Decided {
    fn kept(&self, returns: &Path) -> PathBuf {
        decisions::decisions_path(&returns.join(&self.file))
    }

    /// The folder step: the list with this decision, in place atomically.
    fn write(&self, returns: &Path) -> crate::error::Result<()> {
        let mut all = decisions::decisions_beside(&returns.join(&self.file));
        all.push(self.decision.clone());
        let bytes = serde_json::to_vec_pretty(&all)
            .map_err(|e| crate::error::Error::Input(e.to_string()))?;
        journal::place(Self::KIND, &self.kept(returns), &bytes)
    }
}

impl Change for Decided {
    const KIND: &'static str = "review";
    type Output = ();

    fn in_folder(&self, returns: &Path) -> bool {
        decisions::decisions_beside(&returns.join(&self.file))
            .iter()
            .any(|d| d.id == self.decision.id)
    }

    /// Only the temp file: the list holds the earlier decisions.
    fn leftovers(&self, returns: &Path) -> Vec<PathBuf> {
        vec![journal::temp_beside(&self.kept(returns))]
    }

    fn finish(&self, tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
        audit::insert(tx, &self.audit)
    }
}

fn next_label(state: ReviewState, city: &str) -> String {
    format!("{}（{}）", state.label_zh(), state.detail_zh(city))
}

fn city_of(app: &App, zone: &str) -> String {
    app.config
        .registry
        .zone(zone)
        .map(|z| z.city.clone())
        .unwrap_or_default()
}

/// The zone hears of a return, an approval or a reopening; the next level
/// that a return waits for.
fn tell(
    app: &App,
    zone: &str,
    id: i64,
    decision: &Decision,
    next: ReviewState,
) -> Result<(), Fault> {
    let city = city_of(app, zone);
    let office = decision.level.office_zh(&city);
    let link = Some(format!("/returns/{id}"));
    let to_zone = |kind, text: String| Notice {
        to: Scope::Zone(zone.to_string()),
        kind,
        text,
        link: link.clone(),
    };
    match (decision.action, next) {
        (Action::Return, _) => app.notify(to_zone(
            Kind::Returned,
            format!(
                "{office}退回了本区{}的报表：“{}”。请按审核意见修改后重新上传。",
                app.settings.period.label_zh(),
                decision.comment
            ),
        )),
        (Action::Approve, ReviewState::Approved) => app.notify(to_zone(
            Kind::Approved,
            format!("本区{}的报表已审核通过。", app.settings.period.label_zh()),
        )),
        (Action::Approve, ReviewState::Awaiting(level)) => {
            awaiting(app, zone, id, level, &format!("{office}已审核通过"))
        }
        (Action::Reopen, _) => app.notify(to_zone(
            Kind::Reopened,
            format!("{office}重新开放了本区的报表；如需更正，可重新上传。"),
        )),
        _ => Ok(()),
    }
}

/// Tells `level`'s reviewers of the zone that its return waits for them.
pub fn awaiting(app: &App, zone: &str, id: i64, level: Level, why: &str) -> Result<(), Fault> {
    let city = city_of(app, zone);
    let to = match level {
        Level::City => Scope::City(city.clone()),
        Level::Province => Scope::Province,
    };
    app.notify(Notice {
        to,
        kind: Kind::Awaiting,
        text: format!("{}的报表{why}，待您审核。", app.zone_name(zone)),
        link: Some(format!("/returns/{id}")),
    })
}
