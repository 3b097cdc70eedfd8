//! The shared state of the server, the router, and what every response
//! gets: security headers, the same-origin check, the access log.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use super::desk::Desk;
use super::fault::{Api, Fault, InternalDetail, Page};
use super::limits::Window;
use super::store::{self, audit, submissions, AuditRow, Store};
use super::{api, pages, Settings};
use crate::config::Config;
use crate::error::Result;
use crate::model::Period;
use crate::validate::PeriodCheck;

pub struct App {
    pub config: Arc<Config>,
    pub settings: Settings,
    pub store: Store,
    pub desk: Desk,
    pub uploads: Window,
    pub logins: Window,
    /// Where notices go besides the recipient's page (`notices::Sender`).
    pub sender: Box<dyn super::notices::Sender>,
    /// Review decisions are taken one at a time, each against the state
    /// the one before it left.
    pub reviews: tokio::sync::Mutex<()>,
    /// One upload of a zone at a time between its duplicate check and its row.
    pub doors: super::intake::Doors,
    /// The portal's run of the quarter's report (one at a time).
    pub runs: super::runs::Runs,
}

impl App {
    pub fn open(config: Config, settings: Settings) -> Result<App> {
        let store = Store::open(&settings.data)?;
        // Before anything reads the folder: what a crash left half done is
        // completed or undone.
        for r in super::recover(&store, &settings.returns)? {
            settings.log.line(format!(
                "{} 启动时处理未完成的操作 {}（{}）：{}",
                chrono::Local::now().format("%Y-%m-%d %H:%M:%S"),
                r.id,
                r.kind,
                match r.settled {
                    super::journal::Settled::Forward => "已补全",
                    super::journal::Settled::Back => "已撤销",
                }
            ));
        }
        let config = Arc::new(config);
        let open = settings.returns.join(settings.period.to_string());
        std::fs::create_dir_all(&open).map_err(|e| crate::error::Error::write(&open, e))?;
        Ok(App {
            desk: Desk::new(config.clone(), settings.returns.clone()),
            sender: Box::new(super::notices::LogSender(settings.log.clone())),
            reviews: tokio::sync::Mutex::new(()),
            config,
            settings,
            store,
            uploads: Window::default(),
            logins: Window::default(),
            doors: Default::default(),
            runs: Default::default(),
        })
    }

    /// Today, for deadlines.
    pub fn today(&self) -> chrono::NaiveDate {
        self.settings
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// The quarter's check; when it is new, the submission log learns every
    /// file in the folder (files put in by hand included) and its verdict.
    pub async fn check(&self, period: Period) -> std::result::Result<Arc<PeriodCheck>, Fault> {
        let checked = self.desk.check(period).await?;
        self.recorded(checked)
    }

    /// The quarter's check with the file `name` (an upload just stored) in
    /// it (`Desk::check_with`).
    pub async fn check_with(
        &self,
        period: Period,
        name: &str,
    ) -> std::result::Result<Arc<PeriodCheck>, Fault> {
        let checked = self.desk.check_with(period, name).await?;
        self.recorded(checked)
    }

    fn recorded(
        &self,
        checked: super::desk::Checked,
    ) -> std::result::Result<Arc<PeriodCheck>, Fault> {
        if checked.fresh {
            self.record(&checked.check)?;
        }
        Ok(checked.check)
    }

    /// Brings the submission log up to date with every quarter in the
    /// folder (at start).
    pub async fn sync_all(&self) -> Result<()> {
        let folder = self
            .desk
            .scan()
            .map_err(|f| crate::Error::Input(f.message()))?;
        let Some(latest) = folder.latest() else {
            return Ok(());
        };
        let config = self.config.clone();
        // One walk through every quarter, as `check` makes each.
        let checks = tokio::task::spawn_blocking(move || {
            crate::validate::check_through(&config, &folder, latest)
        })
        .await
        .map_err(|e| crate::Error::Input(format!("校验任务失败：{e}")))?;
        for check in &checks {
            self.record(check)
                .map_err(|f| crate::Error::Input(format!("{f:?}")))?;
        }
        // The open quarter's history, ready before its first upload.
        self.desk
            .history(self.settings.period)
            .await
            .map_err(|f| crate::Error::Input(f.message()))?;
        Ok(())
    }

    fn record(&self, check: &PeriodCheck) -> std::result::Result<(), Fault> {
        let now = store::now();
        let period = check.period.to_string();
        self.store.with(|c| {
            let tx = c.transaction()?;
            for sub in &check.submissions {
                let zone = sub.zone.as_ref().map(|z| z.to_string());
                submissions::insert(
                    &tx,
                    &submissions::Arrival {
                        period: &period,
                        zone: zone.as_deref(),
                        file: &sub.source.name,
                        sha256: &sub.source.sha256,
                        bytes: sub.source.bytes,
                        channel: submissions::Channel::Folder,
                        account_id: None,
                        received_at: sub.source.modified,
                    },
                )?;
                submissions::record_check(
                    &tx,
                    &submissions::Checked {
                        file: &sub.source.name,
                        zone: zone.as_deref(),
                        sha256: &sub.source.sha256,
                        verdict: sub.verdict.label_zh(),
                        errors: sub.count(crate::model::Severity::Error),
                        warnings: sub.count(crate::model::Severity::Warning),
                        infos: sub.count(crate::model::Severity::Info),
                    },
                    now,
                )?;
            }
            let present: Vec<String> = check
                .submissions
                .iter()
                .map(|s| s.source.name.clone())
                .collect();
            submissions::mark_absent(&tx, &period, &present)?;
            tx.commit()
        })?;
        Ok(())
    }

    /// Writes an audit row; a failure to write it fails the request.
    pub fn audit(&self, row: AuditRow) -> std::result::Result<(), Fault> {
        self.store.with(|c| audit::insert(c, &row))?;
        Ok(())
    }

    /// The zone's registry name (or the code when unknown).
    pub fn zone_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.config
            .registry
            .zone(code)
            .map(|z| z.name.as_str())
            .unwrap_or(code)
    }
}

/// An audit row for the caller (`zone`: the zone it concerns).
pub fn audit_row(
    caller: Option<&super::auth::Caller>,
    zone: Option<&str>,
    action: &str,
    target: Option<String>,
    outcome: impl Into<String>,
) -> AuditRow {
    AuditRow {
        at: store::now(),
        username: caller.map(|c| c.account.username.clone()),
        zone: zone
            .map(str::to_string)
            .or_else(|| caller.and_then(|c| c.account.scope.zone().map(str::to_string))),
        address: caller.map(|c| c.address.clone()),
        action: action.into(),
        target,
        outcome: outcome.into(),
    }
}

pub fn router(app: Arc<App>) -> Router {
    let upload_limit = app.config.form.limits.max_file_bytes as usize + (1 << 20);
    let uploads = Router::new()
        .route("/returns", post(pages::result::upload))
        .route("/api/v1/returns", post(api::upload))
        .layer(DefaultBodyLimit::max(upload_limit));
    Router::new()
        .route("/", get(pages::zone::home))
        .route("/login", get(pages::login::form).post(pages::login::submit))
        .route("/logout", post(pages::login::logout))
        .route(
            "/password",
            get(pages::login::password_form).post(pages::login::password_submit),
        )
        .route("/template.xlsx", get(pages::zone::template))
        .route("/returns/{id}", get(pages::result::show))
        .route("/returns/{id}/explanations", post(pages::result::explain))
        .route("/returns/{id}/feedback.xlsx", get(pages::result::feedback))
        .route("/returns/{id}/review", post(pages::result::review))
        .route("/assets/{name}", get(pages::layout::asset))
        .route("/api/v1/returns/{id}", get(api::show))
        .route("/api/v1/returns/{id}/feedback.xlsx", get(api::feedback))
        .route("/api/v1/status", get(api::status))
        .route("/api/v1/returns/{id}/review", post(api::review))
        .route("/api/v1/audit", get(api::audit))
        .route("/province", get(pages::province::status_page))
        .route("/province/chase.csv", get(pages::province::chase_csv))
        .route("/province/review", get(pages::queries::review_page))
        .route("/province/queries", post(pages::queries::ask))
        .route("/province/reports", get(pages::reports::reports_page))
        .route("/province/reports/run", post(pages::reports::run))
        .route(
            "/province/reports/{period}/{*file}",
            get(pages::reports::download),
        )
        .route("/queries/{id}", get(pages::queries::show))
        .route("/queries/{id}/answer", post(pages::queries::answer))
        .merge(uploads)
        .fallback(not_found)
        .layer(middleware::from_fn(same_origin))
        .layer(middleware::from_fn_with_state(app.clone(), access_log))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            security_headers,
        ))
        .with_state(app)
}

async fn not_found(request: Request) -> Response {
    if request.uri().path().starts_with("/api/") {
        Api(Fault::NotFound).into_response()
    } else {
        Page(Fault::NotFound).into_response()
    }
}

/// A state-changing request from another site is refused, whatever it
/// carries (the CSRF token is the main defence; this is the second).
async fn same_origin(request: Request, next: Next) -> Response {
    let changes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let headers = request.headers();
    let cross_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "cross-site");
    let foreign_origin = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .zip(headers.get(header::HOST).and_then(|v| v.to_str().ok()))
        .is_some_and(|(origin, host)| origin != "null" && origin.split("://").nth(1) != Some(host));
    if changes && (cross_site || foreign_origin) {
        let fault = Fault::Forbidden("请求来自其他网站，已拒绝".into());
        return if request.uri().path().starts_with("/api/") {
            Api(fault).into_response()
        } else {
            Page(fault).into_response()
        };
    }
    next.run(request).await
}

/// One line per request: time, address, method, path (never the query,
/// a cookie, a header's value or a body), status, milliseconds.
async fn access_log(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let address = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();
    let response = next.run(request).await;
    let detail = response
        .extensions()
        .get::<InternalDetail>()
        .map(|d| format!(" 错误：{}", d.0))
        .unwrap_or_default();
    app.settings.log.line(format!(
        "{} {address} {method} {path} {} {}ms{detail}",
        chrono::Local::now().format("%Y-%m-%d %H:%M:%S"),
        response.status().as_u16(),
        started.elapsed().as_millis()
    ));
    response
}

/// Every response: no inline script, no framing, no sniffing, no referrer
/// to other sites; pages are not cached.
async fn security_headers(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let is_asset = request.uri().path().starts_with("/assets/");
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: &'static str, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(
        h,
        "content-security-policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "same-origin");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(
        h,
        "permissions-policy",
        "camera=(), microphone=(), geolocation=()",
    );
    if !is_asset {
        set(h, "cache-control", "no-store");
    }
    if app.settings.tls.is_some() {
        set(h, "strict-transport-security", "max-age=31536000");
    }
    response
}

/// A logged submission the caller may see, with its quarter's check.
pub struct Found {
    pub logged: store::LoggedSubmission,
    pub period: Period,
    pub check: Arc<PeriodCheck>,
}

impl Found {
    /// The file in the check (none once it left the returns folder).
    pub fn submission(&self) -> Option<&crate::validate::Submission> {
        self.check
            .submissions
            .iter()
            .find(|s| s.source.name == self.logged.file)
    }

    /// The feedback (the same as the workbook's): conclusion, what to do,
    /// findings with their explanations, changed cells.
    pub fn book(&self, app: &App) -> Option<crate::report::FeedbackBook> {
        let sub = self.submission()?;
        let zone = sub.zone.as_deref().map(|z| app.zone_name(z));
        Some(crate::report::feedback_book(
            &app.config,
            sub,
            zone,
            self.period,
        ))
    }
}

impl App {
    /// Submission `id`, if the caller may see its zone (404 otherwise: a
    /// clerk of another zone learns nothing, not even that it exists).
    pub async fn find(
        &self,
        caller: &super::auth::Caller,
        id: i64,
    ) -> std::result::Result<Found, Fault> {
        let visible = self
            .store
            .with(|c| submissions::by_id(c, id))?
            .is_some_and(|s| s.zone.as_deref().is_some_and(|z| caller.may_see(self, z)));
        if !visible {
            return Err(Fault::NotFound);
        }
        self.find_any(id).await
    }

    /// Submission `id` with its quarter's check, whoever asks (the caller
    /// decides what to refuse).
    pub async fn find_any(&self, id: i64) -> std::result::Result<Found, Fault> {
        let logged = self
            .store
            .with(|c| submissions::by_id(c, id))?
            .ok_or(Fault::NotFound)?;
        let period = Period::parse(&logged.period).ok_or(Fault::NotFound)?;
        let check = self.check(period).await?;
        // The check may have seen a change of the file's verdict.
        let logged = self
            .store
            .with(|c| submissions::by_id(c, id))?
            .ok_or(Fault::NotFound)?;
        Ok(Found {
            logged,
            period,
            check,
        })
    }
}
