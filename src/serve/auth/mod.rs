//! Who is asking: a session cookie (pages, and scripts that log in) or an
//! API token (`Authorization: Bearer …`); what they may see; CSRF.
//!
//! Every route takes a [`Caller`] through an extractor ([`PageCaller`],
//! [`ApiCaller`], [`AnyCaller`]) and asks [`Caller::may_see`] before it
//! shows anything of a zone.

pub mod password;

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::http::HeaderMap;

use super::fault::{Api, Fault, Page};
use super::store::{accounts, sessions, Account};
use super::App;

/// The session cookie's name.
pub const COOKIE_NAME: &str = "sg_session";

/// A logged-in account, and how it came.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account: Account,
    pub via: Via,
    /// The client's address (for the audit log).
    pub address: String,
}

#[derive(Debug, Clone)]
pub enum Via {
    /// A session cookie: its id's fingerprint and the session's CSRF token.
    Session { id_hash: String, csrf: String },
    /// An API token: no cookie, so no CSRF to fear.
    Token,
}

impl Caller {
    pub fn may_see(&self, app: &App, zone: &str) -> bool {
        self.account.scope.sees_zone(&app.config, zone)
    }

    /// The session's CSRF token (forms carry it in `_csrf`).
    pub fn csrf(&self) -> &str {
        match &self.via {
            Via::Session { csrf, .. } => csrf,
            Via::Token => "",
        }
    }

    /// A state-changing request made with the cookie must carry the
    /// session's CSRF token (form field `_csrf` or header `X-CSRF-Token`).
    pub fn check_csrf(&self, given: Option<&str>) -> Result<(), Fault> {
        match &self.via {
            Via::Token => Ok(()),
            Via::Session { csrf, .. } => match given {
                Some(g) if password::same(g, csrf) => Ok(()),
                _ => Err(Fault::Forbidden(
                    "页面已过期或请求来源不明（CSRF 校验失败），请刷新页面后重试".into(),
                )),
            },
        }
    }
}

/// The client's address: the peer, or with `--trust-proxy` the first
/// `X-Forwarded-For` entry.
pub fn address(app: &App, parts: &Parts) -> String {
    if app.settings.trust_proxy {
        if let Some(first) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
        {
            return first.trim().to_string();
        }
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default()
}

/// A cookie's value from the request.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The caller of a request, whatever the state of its password.
async fn authenticate(app: &App, parts: &Parts) -> Result<Caller, Fault> {
    let address = address(app, parts);
    if let Some(token) = bearer(&parts.headers) {
        let account = app
            .store
            .with(|c| accounts::by_token(c, &password::fingerprint(token)))?
            .ok_or_else(|| Fault::Unauthorized("API 令牌无效或已停用".into()))?;
        let account = usable(app, account)?;
        return Ok(Caller {
            account,
            via: Via::Token,
            address,
        });
    }
    let id = cookie(&parts.headers, COOKIE_NAME)
        .ok_or_else(|| Fault::Unauthorized("请先登录".into()))?;
    let id_hash = password::fingerprint(id);
    let session = app
        .store
        .with(|c| sessions::get(c, &id_hash))?
        .ok_or_else(|| Fault::Unauthorized("登录已失效，请重新登录".into()))?;
    let idle = app.settings.limits.idle.as_secs() as i64;
    if super::store::now() - session.last_seen > idle {
        app.store.with(|c| sessions::delete(c, &id_hash))?;
        return Err(Fault::Unauthorized(format!(
            "超过 {} 分钟未操作，登录已失效，请重新登录",
            idle / 60
        )));
    }
    let account = app
        .store
        .with(|c| accounts::by_id(c, session.account_id))?
        .ok_or_else(|| Fault::Unauthorized("请先登录".into()))?;
    let account = usable(app, account)?;
    app.store.with(|c| sessions::touch(c, &id_hash))?;
    Ok(Caller {
        account,
        via: Via::Session {
            id_hash,
            csrf: session.csrf,
        },
        address,
    })
}

/// A disabled account, or a demo account outside `--demo`, cannot act.
fn usable(app: &App, account: Account) -> Result<Account, Fault> {
    if account.disabled {
        return Err(Fault::Unauthorized("账户已停用".into()));
    }
    if account.demo && !app.settings.demo {
        return Err(Fault::Unauthorized(
            "示例账户只在演示模式（--demo）下可用".into(),
        ));
    }
    Ok(account)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// A caller of the pages, password already changed (else to /password).
pub struct PageCaller(pub Caller);

/// A caller of the pages whose one-time password may still be unchanged
/// (the password page, logout).
pub struct AnyCaller(pub Caller);

/// A caller of the JSON API.
pub struct ApiCaller(pub Caller);

impl FromRequestParts<Arc<App>> for PageCaller {
    type Rejection = axum::response::Response;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        let caller = authenticate(app, parts)
            .await
            .map_err(|f| Page(f).into_response())?;
        if caller.account.must_change {
            return Err(axum::response::Redirect::to("/password").into_response());
        }
        Ok(PageCaller(caller))
    }
}

impl FromRequestParts<Arc<App>> for AnyCaller {
    type Rejection = Page;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        Ok(AnyCaller(authenticate(app, parts).await?))
    }
}

impl FromRequestParts<Arc<App>> for ApiCaller {
    type Rejection = Api;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        let caller = authenticate(app, parts).await?;
        if caller.account.must_change {
            return Err(Api(Fault::Forbidden(
                "请先登录网页修改初始密码，再使用接口".into(),
            )));
        }
        Ok(ApiCaller(caller))
    }
}

/// The client address of a request without a caller (the login form).
pub struct Address(pub String);

impl FromRequestParts<Arc<App>> for Address {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        Ok(Address(address(app, parts)))
    }
}
