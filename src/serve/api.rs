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
