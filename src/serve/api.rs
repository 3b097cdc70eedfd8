//! The JSON API (docs/api.md): the same accounts (session cookie with
//! `X-CSRF-Token`, or `Authorization: Bearer <token>`), the same checks.

use std::sync::Arc;

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::auth::ApiCaller;
use super::fault::{Api, Fault};
use super::intake::{self, Outcome};
use super::pages::result::{feedback_download, read_upload};
use super::store::Channel;
use super::App;
use crate::model::{CellChange, Period};

/// `POST /api/v1/returns`: multipart, field `file`.
pub async fn upload(
    State(app): State<Arc<App>>,
    ApiCaller(caller): ApiCaller,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, Api> {
    caller.check_csrf(headers.get("x-csrf-token").and_then(|v| v.to_str().ok()))?;
    let upload = read_upload(multipart).await?;
    let bytes = upload
        .file
        .filter(|b| !b.is_empty())
        .ok_or_else(|| Fault::Bad("缺少文件：请用 multipart 字段 file 上传报表".into()))?;
    Ok(
        match intake::take(&app, &caller, bytes, Channel::Api).await? {
            Outcome::Taken(receipt) => (StatusCode::CREATED, Json(receipt)).into_response(),
            Outcome::Refused(refusal) => (StatusCode::BAD_REQUEST, Json(refusal)).into_response(),
        },
    )
}

/// A submission as `GET /api/v1/returns/{submission}` gives it.
#[derive(Serialize)]
pub struct Shown {
    #[serde(flatten)]
    receipt: intake::Receipt,
    file: String,
    received_at: String,
    channel: &'static str,
    /// Cells a correction changed against the file it replaced.
    changes: Vec<CellChange>,
}

pub async fn show(
    State(app): State<Arc<App>>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Shown>, Api> {
    let found = app.find(&caller, id).await?;
    let sub = found
        .submission()
        .ok_or_else(|| Fault::Bad("这份报表已不在报表目录中".into()))?;
    Ok(Json(Shown {
        receipt: intake::receipt(&app, id, sub, found.period),
        file: found.logged.file.clone(),
        received_at: super::pages::when(found.logged.received_at),
        channel: found.logged.channel.column(),
        changes: sub.changes.clone(),
    }))
}

pub async fn feedback(
    State(app): State<Arc<App>>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, Api> {
    Ok(feedback_download(&app, &caller, id).await?)
}

#[derive(Deserialize)]
pub struct StatusQuery {
    period: Option<String>,
}

/// `GET /api/v1/status?period=P`: 报送情况 as `status --format json`,
/// only the zones the caller may see.
pub async fn status(
    State(app): State<Arc<App>>,
    ApiCaller(caller): ApiCaller,
    Query(q): Query<StatusQuery>,
) -> Result<Response, Api> {
    let period = match q.period.as_deref() {
        None | Some("") => app.settings.period,
        Some(p) => Period::parse(p)
            .ok_or_else(|| Fault::Bad(format!("报告期“{p}”的格式不对，应为 2026Q3 这样的写法")))?,
    };
    let all = app.desk.status(period).await?;
    let visible: Vec<_> = all
        .iter()
        .filter(|s| caller.may_see(&app, &s.code))
        .collect();
    Ok(Json(visible).into_response())
}

#[derive(Deserialize)]
pub struct ReviewRequest {
    action: String,
    #[serde(default)]
    comment: String,
}

/// `POST /api/v1/returns/{submission}/review` with `{"action": "approve" |
/// "return" | "reopen", "comment": "…"}`: a reviewer of the zone's city or
/// the province (anyone else 403); 409 when the table refuses it.
pub async fn review(
    State(app): State<Arc<App>>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<i64>,
    headers: HeaderMap,
    request: Result<Json<ReviewRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<super::review::Outcome>, Api> {
    caller.check_csrf(headers.get("x-csrf-token").and_then(|v| v.to_str().ok()))?;
    // What the body asks, or why it cannot be read: `decide` says so only
    // to a caller who may review at all.
    let (action, comment) = match request {
        Ok(Json(r)) => {
            let action = crate::model::review::Action::parse(&r.action).ok_or_else(|| {
                Fault::Bad(format!(
                    "action“{}”无法识别，应为 approve（审核通过）、return（退回）或 reopen（重新开放）",
                    r.action
                ))
            });
            (action, r.comment)
        }
        Err(e) => {
            let unread = Fault::Bad(format!(
                "请求体应为 JSON：{{\"action\": \"approve\" | \"return\" | \"reopen\", \"comment\": \"…\"}}（{}）",
                e.status()
            ));
            (Err(unread), String::new())
        }
    };
    let outcome = super::review::decide(&app, &caller, id, action, &comment).await?;
    Ok(Json(outcome))
}

#[derive(Deserialize)]
pub struct AuditQuery {
    since: Option<String>,
}

/// `GET /api/v1/audit?since=DATE`: the audit log from DATE (`2026-10-01`,
/// local midnight, or `2026-10-01T08:00:00`), oldest first; the province
/// only.
pub async fn audit(
    State(app): State<Arc<App>>,
    ApiCaller(caller): ApiCaller,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Vec<super::store::AuditRow>>, Api> {
    if caller.account.scope != super::store::Scope::Province {
        return Err(Api(Fault::Forbidden("只有省科技厅可以查看审计日志".into())));
    }
    let since = match q.since.as_deref() {
        None | Some("") => 0,
        Some(text) => since_seconds(text).ok_or_else(|| {
            Fault::Bad(format!(
                "since“{text}”的格式不对，应为 2026-10-01 或 2026-10-01T08:00:00"
            ))
        })?,
    };
    let rows = app.store.with(|c| super::store::audit::since(c, since))?;
    app.audit(super::app::audit_row(
        Some(&caller),
        None,
        "audit.read",
        q.since.clone(),
        format!("ok: {} 条", rows.len()),
    ))?;
    Ok(Json(rows))
}

/// Seconds since the epoch of a local date or date-time.
fn since_seconds(text: &str) -> Option<i64> {
    use chrono::{Local, NaiveDate, NaiveDateTime, TimeZone};
    let at = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()?
                .and_hms_opt(0, 0, 0)
        })?;
    Local
        .from_local_datetime(&at)
        .earliest()
        .map(|t| t.timestamp())
}
