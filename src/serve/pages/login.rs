//! Logging in and out, and setting a new password (first login with a
//! one-time password, or any time).

use std::sync::Arc;

use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use maud::html;
use serde::Deserialize;

use super::layout::page;
use crate::serve::app::audit_row;
use crate::serve::auth::{password, Address, AnyCaller, Caller, Via, COOKIE_NAME};
use crate::serve::fault::{Fault, Page};
use crate::serve::store::{accounts, sessions, AuditRow};
use crate::serve::App;

pub fn login_page(message: Option<&str>, username: &str) -> Html<String> {
    page(
        "登录",
        None,
        html! {
            div.card.login {
                h1 { "登录" }
                @if let Some(m) = message { p.error { (m) } }
                form method="post" action="/login" {
                    label.block for="username" { "登录名" }
                    input #username type="text" name="username" value=(username) autocomplete="username" required;
                    label.block for="password" { "密码" }
                    input #password type="password" name="password" autocomplete="current-password" required;
                    div.actions { button.primary type="submit" { "登录" } }
                }
                p.hint { "账户由省科技厅开设。首次登录请使用收到的一次性密码，登录后需设置新密码。连续 5 次密码错误，账户将锁定 15 分钟。" }
            }
        },
    )
}

pub async fn form() -> Html<String> {
    login_page(None, "")
}

#[derive(Deserialize)]
pub struct Login {
    username: String,
    password: String,
}

pub async fn submit(
    State(app): State<Arc<App>>,
    Address(address): Address,
    Form(login): Form<Login>,
) -> Result<Response, Page> {
    let username = login.username.trim().to_string();
    let fail = |outcome: &str, message: String| -> Result<Response, Page> {
        app.audit(AuditRow {
            at: crate::serve::store::now(),
            username: Some(username.clone()),
            zone: None,
            address: Some(address.clone()),
            action: "login".into(),
            target: None,
            outcome: outcome.into(),
        })?;
        Ok((
            axum::http::StatusCode::UNAUTHORIZED,
            login_page(Some(&message), &username),
        )
            .into_response())
    };
    if !app
        .logins
        .admit(&address, app.settings.limits.logins_per_minute)
    {
        return Err(Page(Fault::TooMany(
            "登录尝试过于频繁，请一分钟后再试".into(),
        )));
    }
    let account = app.store.with(|c| accounts::by_name(c, &username))?;
    let Some(account) = account else {
        let pw = login.password.clone();
        let _ = tokio::task::spawn_blocking(move || password::verify_nothing(&pw)).await;
        return fail("unknown_user", "登录名或密码错误".into());
    };
    let now = crate::serve::store::now();
    if let Some(until) = account.locked_until.filter(|u| *u > now) {
        return fail(
            "locked",
            format!(
                "连续输错密码次数过多，账户已锁定，请于 {} 后再试，或请省科技厅重置密码",
                super::when(until + 59)
            ),
        );
    }
    if account.disabled {
        return fail("disabled", "账户已停用，请与省科技厅联系".into());
    }
    if account.demo && !app.settings.demo {
        return fail("demo", "示例账户只在演示模式（--demo）下可用".into());
    }
    let stored = app.store.with(|c| accounts::password_hash(c, account.id))?;
    let pw = login.password;
    let ok = tokio::task::spawn_blocking(move || password::verify(&pw, &stored))
        .await
        .map_err(Fault::internal)?;
    if !ok {
        let limits = &app.settings.limits;
        let until = now + limits.lockout.as_secs() as i64;
        let locked = app
            .store
            .with(|c| accounts::failed_login(c, account.id, limits.failures_to_lock, until))?;
        return if locked {
            fail(
                "bad_password: locked",
                format!(
                    "连续 {} 次密码错误，账户已锁定 {} 分钟",
                    limits.failures_to_lock,
                    limits.lockout.as_secs() / 60
                ),
            )
        } else {
            fail("bad_password", "登录名或密码错误".into())
        };
    }
    // A new session id at every login; the old one (if any) is not reused.
    let id = password::random_hex();
    let csrf = password::random_hex();
    app.store.with(|c| {
        accounts::logged_in(c, account.id)?;
        sessions::expire(c, now - app.settings.limits.idle.as_secs() as i64)?;
        sessions::insert(c, &password::fingerprint(&id), account.id, &csrf)
    })?;
    app.audit(AuditRow {
        at: now,
        username: Some(account.username.clone()),
        zone: account.scope.zone().map(str::to_string),
        address: Some(address),
        action: "login".into(),
        target: None,
        outcome: "ok".into(),
    })?;
    let to = if account.must_change {
        "/password"
    } else {
        "/"
    };
    Ok(([(SET_COOKIE, session_cookie(&app, &id))], Redirect::to(to)).into_response())
}

fn session_cookie(app: &App, id: &str) -> String {
    let secure = if app.settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{COOKIE_NAME}={id}; Path=/; HttpOnly; SameSite=Strict{secure}")
}

fn cleared_cookie() -> String {
    format!("{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
}

#[derive(Deserialize)]
pub struct Csrf {
    #[serde(default, rename = "_csrf")]
    csrf: Option<String>,
}

pub async fn logout(
    State(app): State<Arc<App>>,
    AnyCaller(caller): AnyCaller,
    Form(form): Form<Csrf>,
) -> Result<Response, Page> {
    caller.check_csrf(form.csrf.as_deref())?;
    if let Via::Session { id_hash, .. } = &caller.via {
        app.store.with(|c| sessions::delete(c, id_hash))?;
    }
    app.audit(audit_row(Some(&caller), None, "logout", None, "ok"))?;
    Ok(([(SET_COOKIE, cleared_cookie())], Redirect::to("/login")).into_response())
}

fn password_page(app: &App, caller: &Caller, message: Option<&str>) -> Html<String> {
    let first = caller.account.must_change;
    page(
        "设置新密码",
        Some((app, caller)),
        html! {
            div.card.login {
                h1 { (if first { "首次登录：设置新密码" } else { "修改密码" }) }
                @if first { p { "您使用的是一次性密码，请先设置自己的新密码。" } }
                @if let Some(m) = message { p.error { (m) } }
                form method="post" action="/password" {
                    input type="hidden" name="_csrf" value=(caller.csrf());
                    label.block for="current" { (if first { "一次性密码" } else { "原密码" }) }
                    input #current type="password" name="current" autocomplete="current-password" required;
                    label.block for="new" { "新密码" }
                    input #new type="password" name="new" autocomplete="new-password" required minlength=(password::MIN_LENGTH);
                    label.block for="confirm" { "再输入一次新密码" }
                    input #confirm type="password" name="confirm" autocomplete="new-password";
                    p.hint { "至少 " (password::MIN_LENGTH) " 个字符，须同时包含字母和数字，不能包含登录名，不能是常见密码。" }
                    div.actions { button.primary type="submit" { "保存新密码" } }
                }
            }
        },
    )
}

pub async fn password_form(
    State(app): State<Arc<App>>,
    AnyCaller(caller): AnyCaller,
) -> Html<String> {
    password_page(&app, &caller, None)
}

#[derive(Deserialize)]
pub struct NewPassword {
    #[serde(default, rename = "_csrf")]
    csrf: Option<String>,
    current: String,
    new: String,
    #[serde(default)]
    confirm: Option<String>,
}

pub async fn password_submit(
    State(app): State<Arc<App>>,
    AnyCaller(caller): AnyCaller,
    Form(form): Form<NewPassword>,
) -> Result<Response, Page> {
    caller.check_csrf(form.csrf.as_deref())?;
    let refuse = |app: &App, message: String| -> Result<Response, Page> {
        app.audit(audit_row(Some(&caller), None, "password", None, "refused"))?;
        Ok((
            axum::http::StatusCode::BAD_REQUEST,
            password_page(app, &caller, Some(&message)),
        )
            .into_response())
    };
    let stored = app
        .store
        .with(|c| accounts::password_hash(c, caller.account.id))?;
    let current = form.current.clone();
    let ok = tokio::task::spawn_blocking(move || password::verify(&current, &stored))
        .await
        .map_err(Fault::internal)?;
    if !ok {
        return refuse(&app, "原密码不正确".into());
    }
    if form
        .confirm
        .as_deref()
        .is_some_and(|c| !c.is_empty() && c != form.new)
    {
        return refuse(&app, "两次输入的新密码不一致".into());
    }
    if let Some(why) = password::refusal(&form.new, &caller.account.username, &form.current) {
        return refuse(&app, why);
    }
    let new = form.new;
    let hash = tokio::task::spawn_blocking(move || password::hash(&new))
        .await
        .map_err(Fault::internal)?
        .map_err(Fault::internal)?;
    // Every other session of the account ends; this one goes on.
    app.store.with(|c| {
        accounts::set_password(c, caller.account.id, &hash, false)?;
        let keep = match &caller.via {
            Via::Session { id_hash, .. } => id_hash.clone(),
            Via::Token => String::new(),
        };
        c.execute(
            "DELETE FROM session WHERE account_id = ?1 AND id_hash != ?2",
            (caller.account.id, keep),
        )
        .map(|_| ())
    })?;
    app.audit(audit_row(Some(&caller), None, "password", None, "ok"))?;
    Ok(Redirect::to("/").into_response())
}
