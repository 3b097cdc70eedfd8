//! The portal, `shuanggao serve`: zone clerks upload their return and see
//! its check at once; scripts use the same accounts through a JSON API.
//!
//! A floor on top of the pipeline, which never depends on it. The returns
//! folder stays the one source of truth: an accepted upload is written
//! atomically into `<returns>/<P>/` under a name the server chooses, and a
//! file dropped in by hand shows like any other. Checking calls the
//! pipeline's entry points (`validate::history_before`,
//! `validate::check_period`, `report::feedback_book`, `pipeline::run`,
//! `render::template`); SQLite under `--data` keeps accounts, sessions, the
//! submission log and the audit log ([`store`]).
//!
//! Map: [`app`] (router, shared state, security headers, access log),
//! [`auth`] (passwords, sessions, CSRF, who may see what), [`desk`] (the
//! quarter's check, cached and shared by concurrent uploads), [`intake`]
//! (an upload: refused at once or stored and checked), [`explain`] (情况说明
//! typed in the page), [`pages`] (HTML), [`api`] (JSON), [`state`] (the
//! zone's quarter: 未报送 / 已报送 / 退回修改 / 逾期), [`journal`] (a change
//! of the folder and the database together survives a crash whole or not
//! at all; [`crash`] injects the crashes the tests make). docs/api.md,
//! docs/security.md and docs/operations.md describe the routes, the
//! controls, crashes and backups.

pub mod api;
pub mod app;
pub mod auth;
pub mod crash;
pub mod desk;
pub mod explain;
pub mod fault;
pub mod intake;
pub mod journal;
pub mod limits;
pub mod notices;
pub mod pages;
pub mod review;
pub mod runs;
pub mod state;
pub mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::Period;

pub use app::App;

/// Everything `serve` is started with.
#[derive(Debug, Clone)]
pub struct Settings {
    pub returns: PathBuf,
    pub data: PathBuf,
    /// The quarter whose returns are taken (uploads for any other are
    /// refused).
    pub period: Period,
    /// TLS certificate chain and key (PEM); plain HTTP without them.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Cookies marked `Secure`: with TLS, or behind an HTTPS reverse proxy.
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (behind a proxy).
    pub trust_proxy: bool,
    /// Demo accounts (示例) may log in.
    pub demo: bool,
    pub limits: limits::Limits,
    /// Today, for deadlines (tests fix it; `None`: the clock).
    pub today: Option<NaiveDate>,
    /// Where the access log goes.
    pub log: LogSink,
}

/// The access log's destination: standard error, or memory (tests read it).
#[derive(Debug, Clone, Default)]
pub enum LogSink {
    #[default]
    Stderr,
    Memory(Arc<Mutex<Vec<String>>>),
}

impl LogSink {
    pub fn line(&self, line: String) {
        match self {
            LogSink::Stderr => eprintln!("{line}"),
            LogSink::Memory(lines) => {
                if let Ok(mut lines) = lines.lock() {
                    lines.push(line);
                }
            }
        }
    }
}

/// Every kind of change the journal makes ([`journal`]); recovery settles
/// only these.
pub fn kinds() -> Vec<journal::Kind> {
    vec![
        journal::kind::<intake::Stored>(),
        journal::kind::<review::Decided>(),
    ]
}

/// Settles what a crash left in the journal of `store` against the returns
/// folder (at start, and after `restore`).
pub fn recover(store: &store::Store, returns: &std::path::Path) -> Result<Vec<journal::Recovered>> {
    journal::recover(store, returns, &kinds())
}

/// A server started in the background (tests and the bench).
pub struct Running {
    pub addr: SocketAddr,
    pub app: Arc<App>,
    handle: axum_server::Handle,
}

impl Running {
    pub fn stop(&self) {
        self.handle.shutdown();
    }
}

/// Opens the data folder, syncs the submission log with the returns folder
/// and starts listening on `listener` (in the current tokio runtime).
pub async fn start(
    config: Config,
    settings: Settings,
    listener: std::net::TcpListener,
) -> Result<Running> {
    let tls = match &settings.tls {
        Some((cert, key)) => Some(tls_config(cert, key).await?),
        None => None,
    };
    let app = Arc::new(App::open(config, settings)?);
    app.sync_all().await?;
    listener
        .set_nonblocking(true)
        .map_err(|e| Error::Input(format!("无法监听：{e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::Input(format!("无法监听：{e}")))?;
    let handle = axum_server::Handle::new();
    let service = app::router(app.clone()).into_make_service_with_connect_info::<SocketAddr>();
    match tls {
        Some(tls) => {
            let server = axum_server::from_tcp_rustls(listener, tls).handle(handle.clone());
            tokio::spawn(async move { server.serve(service).await });
        }
        None => {
            let server = axum_server::from_tcp(listener).handle(handle.clone());
            tokio::spawn(async move { server.serve(service).await });
        }
    }
    Ok(Running { addr, app, handle })
}

async fn tls_config(
    cert: &std::path::Path,
    key: &std::path::Path,
) -> Result<axum_server::tls_rustls::RustlsConfig> {
    // One process-wide provider: ring, whose build is small. (Its provider
    // is deprecated for lacking post-quantum key exchange, which needs
    // aws-lc-rs and its long C build; TLS 1.3 with X25519 serves here.)
    #[allow(deprecated)]
    let _ = rustls::crypto::ring::default_provider().install_default();
    axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
        .await
        .map_err(|e| {
            Error::Input(format!(
                "无法读取 TLS 证书 {} 或私钥 {}：{e}",
                cert.display(),
                key.display()
            ))
        })
}
