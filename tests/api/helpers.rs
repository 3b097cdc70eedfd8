//! The portal on a free port with a copy of the sample's earlier quarters,
//! one method per route (zero to production's `spawn_app`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use reqwest::header::{HeaderMap, HeaderValue, COOKIE, SET_COOKIE};
use reqwest::{Response, StatusCode};
use shuanggao::config::Config;
use shuanggao::model::Period;
use shuanggao::serve::auth::password;
use shuanggao::serve::limits::Limits;
use shuanggao::serve::store::{accounts, Scope, Store};
use shuanggao::serve::{LogSink, Running, Settings};

pub const PASSWORD: &str = "Kaifa2026qu";
/// A one-time password, as `account add` would give (to be changed).
pub const ONE_TIME: &str = "Yici8xing7";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn config() -> Config {
    Config::load(&root().join("inputs/config")).expect("config")
}

pub fn q(text: &str) -> Period {
    Period::parse(text).unwrap()
}

/// The open quarter of every test: the sample's last.
pub fn open_period() -> Period {
    q("2026Q3")
}

/// A sample return of 2026Q3 as shipped.
pub fn sample_file(name: &str) -> Vec<u8> {
    std::fs::read(root().join("inputs/returns/2026Q3").join(name)).expect("sample file")
}

pub struct TestApp {
    pub addr: String,
    pub returns: PathBuf,
    pub data: PathBuf,
    pub log: Arc<Mutex<Vec<String>>>,
    pub running: Running,
    _dir: tempfile::TempDir,
}

pub struct Options {
    pub limits: Limits,
    /// Copy the sample's 2026Q3 files too (as if dropped in by hand).
    pub with_open_quarter: bool,
    pub today: chrono::NaiveDate,
    /// calendar.toml `[review] levels` (the shipped `["city"]` otherwise).
    pub review_levels: Option<Vec<shuanggao::model::Level>>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            limits: Limits::default(),
            with_open_quarter: false,
            today: chrono::NaiveDate::from_ymd_opt(2026, 10, 10).unwrap(),
            review_levels: None,
        }
    }
}

/// A port nobody listens on now (for a server or driver in a child process).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

pub async fn spawn_app_with(options: Options) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let returns = dir.path().join("returns");
    let data = dir.path().join("data");
    for entry in std::fs::read_dir(root().join("inputs/returns"))
        .unwrap()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().to_string();
        if name == "2026Q3" && !options.with_open_quarter {
            continue;
        }
        copy_dir(&entry.path(), &returns.join(&name));
    }
    let log = Arc::new(Mutex::new(Vec::new()));
    let settings = Settings {
        returns: returns.clone(),
        data: data.clone(),
        period: open_period(),
        tls: None,
        secure_cookies: false,
        trust_proxy: false,
        demo: false,
        limits: options.limits,
        today: Some(options.today),
        log: LogSink::Memory(log.clone()),
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut config = config();
    if let Some(levels) = options.review_levels {
        config.calendar.review.levels = levels;
    }
    let running = shuanggao::serve::start(config, settings, listener)
        .await
        .expect("server starts");
    TestApp {
        addr: format!("http://{}", running.addr),
        returns,
        data,
        log,
        running,
        _dir: dir,
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

impl TestApp {
    /// An account with the known password (already changed: no one-time
    /// password), straight into the database.
    pub fn add_user(&self, username: &str, scope: Scope) {
        let store = &self.running.app.store;
        let hash = password::hash(PASSWORD).unwrap();
        store
            .with(|c| {
                let id = accounts::insert(c, username, "测试用户", &scope, &hash, false)?;
                accounts::set_password(c, id, &hash, false)
            })
            .unwrap();
    }

    /// A zone clerk whose one-time password `password` is still to change.
    pub fn add_with_one_time_password(&self, username: &str, zone: &str, password: &str) {
        let hash = password::hash(password).unwrap();
        self.store()
            .with(|c| {
                accounts::insert(
                    c,
                    username,
                    "测试用户",
                    &Scope::Zone(zone.into()),
                    &hash,
                    false,
                )
            })
            .unwrap();
    }

    /// A reviewer (a city's, or the province's), logged in.
    pub async fn reviewer(&self, username: &str, scope: Scope) -> Client {
        self.add_user(username, scope);
        let client = self.client();
        let r = client.login(username, PASSWORD).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "login of {username}");
        client
    }

    /// A zone clerk (zone code `zone`), logged in.
    pub async fn clerk(&self, username: &str, zone: &str) -> Client {
        self.add_user(username, Scope::Zone(zone.into()));
        let client = self.client();
        let r = client.login(username, PASSWORD).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "login of {username}");
        client
    }

    /// Provincial staff, logged in.
    pub async fn province(&self, username: &str) -> Client {
        self.reviewer(username, Scope::Province).await
    }

    pub fn client(&self) -> Client {
        Client {
            addr: self.addr.clone(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookie: Mutex::new(None),
            bearer: None,
        }
    }

    /// A client with an API token for `username`.
    pub fn token_client(&self, username: &str) -> Client {
        let token = password::random_hex();
        self.running
            .app
            .store
            .with(|c| {
                let a = accounts::by_name(c, username)?.unwrap();
                accounts::set_token(c, a.id, &password::fingerprint(&token))
            })
            .unwrap();
        Client {
            bearer: Some(token),
            ..self.client()
        }
    }

    pub fn store(&self) -> &Store {
        &self.running.app.store
    }

    pub fn log_text(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// Audit rows as (username, action, outcome).
    pub fn audit(&self) -> Vec<(Option<String>, String, String, Option<String>)> {
        self.store()
            .with(|c| shuanggao::serve::store::audit::since(c, 0))
            .unwrap()
            .into_iter()
            .map(|r| (r.username, r.action, r.outcome, r.zone))
            .collect()
    }
}

pub struct Client {
    pub addr: String,
    pub http: reqwest::Client,
    pub cookie: Mutex<Option<String>>,
    pub bearer: Option<String>,
}

impl Client {
    fn headers(&self) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(c) = self.cookie.lock().unwrap().as_ref() {
            h.insert(COOKIE, HeaderValue::from_str(c).unwrap());
        }
        if let Some(t) = &self.bearer {
            h.insert(
                "authorization",
                HeaderValue::from_str(&format!("Bearer {t}")).unwrap(),
            );
        }
        h
    }

    fn keep_cookie(&self, r: &Response) {
        for v in r.headers().get_all(SET_COOKIE) {
            let pair = v.to_str().unwrap().split(';').next().unwrap().to_string();
            let cleared = pair.ends_with('=');
            *self.cookie.lock().unwrap() = if cleared { None } else { Some(pair) };
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> Response {
        let r = self
            .http
            .get(self.url(path))
            .headers(self.headers())
            .send()
            .await
            .unwrap();
        self.keep_cookie(&r);
        r
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Response {
        let r = self
            .http
            .post(self.url(path))
            .headers(self.headers())
            .form(form)
            .send()
            .await
            .unwrap();
        self.keep_cookie(&r);
        r
    }

    /// The session's CSRF token, read from the home page's forms.
    pub async fn csrf(&self) -> String {
        let page = self.get("/password").await.text().await.unwrap();
        let at = page
            .find("name=\"_csrf\" value=\"")
            .expect("a form with _csrf")
            + 20;
        page[at..at + 64].to_string()
    }

    // -- one method per route ------------------------------------------

    pub async fn login(&self, username: &str, password: &str) -> Response {
        self.post_form("/login", &[("username", username), ("password", password)])
            .await
    }

    pub async fn logout(&self) -> Response {
        let csrf = self.csrf().await;
        self.post_form("/logout", &[("_csrf", &csrf)]).await
    }

    pub async fn change_password(&self, current: &str, new: &str) -> Response {
        let csrf = self.csrf().await;
        self.post_form(
            "/password",
            &[("_csrf", &csrf), ("current", current), ("new", new)],
        )
        .await
    }

    pub async fn home(&self) -> Response {
        self.get("/").await
    }

    pub async fn template(&self) -> Response {
        self.get("/template.xlsx").await
    }

    /// The page's upload form (multipart, `_csrf` and `file`).
    pub async fn upload_page(&self, bytes: Vec<u8>, csrf: Option<&str>) -> Response {
        let mut form = reqwest::multipart::Form::new();
        if let Some(csrf) = csrf {
            form = form.text("_csrf", csrf.to_string());
        }
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("../../报表.xlsx"),
        );
        self.http
            .post(self.url("/returns"))
            .headers(self.headers())
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn result(&self, id: i64) -> Response {
        self.get(&format!("/returns/{id}")).await
    }

    pub async fn explain(&self, id: i64, fields: &[(&str, &str)]) -> Response {
        self.post_form(&format!("/returns/{id}/explanations"), fields)
            .await
    }

    pub async fn feedback(&self, id: i64) -> Response {
        self.get(&format!("/returns/{id}/feedback.xlsx")).await
    }

    pub async fn api_upload(&self, bytes: Vec<u8>) -> Response {
        self.api_upload_with(bytes, None).await
    }

    pub async fn api_upload_with(&self, bytes: Vec<u8>, csrf: Option<&str>) -> Response {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("报表.xlsx"),
        );
        let mut request = self
            .http
            .post(self.url("/api/v1/returns"))
            .headers(self.headers())
            .multipart(form);
        if let Some(csrf) = csrf {
            request = request.header("x-csrf-token", csrf);
        }
        request.send().await.unwrap()
    }

    pub async fn api_show(&self, id: i64) -> Response {
        self.get(&format!("/api/v1/returns/{id}")).await
    }

    pub async fn api_feedback(&self, id: i64) -> Response {
        self.get(&format!("/api/v1/returns/{id}/feedback.xlsx"))
            .await
    }

    pub async fn api_status(&self, period: &str) -> Response {
        self.get(&format!("/api/v1/status?period={period}")).await
    }

    /// `POST /api/v1/returns/{id}/review` with the session's CSRF token.
    pub async fn api_review(&self, id: i64, action: &str, comment: &str) -> Response {
        let csrf = if self.bearer.is_some() {
            String::new()
        } else {
            self.csrf().await
        };
        self.http
            .post(self.url(&format!("/api/v1/returns/{id}/review")))
            .headers(self.headers())
            .header("x-csrf-token", csrf)
            .json(&serde_json::json!({ "action": action, "comment": comment }))
            .send()
            .await
            .unwrap()
    }

    /// The review form of a return's page.
    pub async fn review_form(&self, id: i64, action: &str, comment: &str) -> Response {
        let csrf = self.csrf().await;
        self.post_form(
            &format!("/returns/{id}/review"),
            &[("_csrf", &csrf), ("action", action), ("comment", comment)],
        )
        .await
    }

    pub async fn api_audit(&self, since: &str) -> Response {
        self.get(&format!("/api/v1/audit?since={since}")).await
    }

    /// The state the home page shows (`#zone-state`) and its review line
    /// (`#zone-review`, empty without one).
    pub async fn zone_state(&self) -> (String, String) {
        let page = self.home().await.text().await.unwrap();
        (
            element_text(&page, "zone-state"),
            element_text(&page, "zone-review"),
        )
    }

    /// `GET /province` (`city`: the filter).
    pub async fn province_status(&self, city: Option<&str>) -> Response {
        match city {
            Some(c) => self.get(&format!("/province?city={c}")).await,
            None => self.get("/province").await,
        }
    }

    pub async fn chase_csv(&self) -> Response {
        self.get("/province/chase.csv").await
    }

    pub async fn province_review(&self) -> Response {
        self.get("/province/review").await
    }

    /// `POST /province/queries`: 请核实 about a value of the list.
    pub async fn ask(&self, csrf: &str, zone: &str, indicator: &str, question: &str) -> Response {
        self.post_form(
            "/province/queries",
            &[
                ("_csrf", csrf),
                ("zone", zone),
                ("indicator", indicator),
                ("question", question),
            ],
        )
        .await
    }

    pub async fn query(&self, id: i64) -> Response {
        self.get(&format!("/queries/{id}")).await
    }

    pub async fn answer(&self, csrf: &str, id: i64, answer: &str) -> Response {
        self.post_form(
            &format!("/queries/{id}/answer"),
            &[("_csrf", csrf), ("answer", answer)],
        )
        .await
    }

    pub async fn reports_page(&self) -> Response {
        self.get("/province/reports").await
    }

    /// `POST /province/reports/run`.
    pub async fn run_report(&self, csrf: &str, only_province: bool) -> Response {
        let mut form = vec![("_csrf", csrf)];
        if only_province {
            form.push(("only_province", "1"));
        }
        self.post_form("/province/reports/run", &form).await
    }

    /// `GET /province/reports/{period}/{file}`.
    pub async fn report_file(&self, period: &str, file: &str) -> Response {
        self.get(&format!("/province/reports/{period}/{file}"))
            .await
    }

    /// The status of a GET of `path` sent byte for byte as written (no
    /// client normalising `..` or `%2e`), with the session cookie.
    pub async fn raw_get_status(&self, path: &str) -> u16 {
        use std::io::{Read, Write};
        let host = self.addr.trim_start_matches("http://").to_string();
        let cookie = self.cookie.lock().unwrap().clone().unwrap_or_default();
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
        );
        // A plain socket on a blocking thread: the server shares the runtime.
        let head = tokio::task::spawn_blocking(move || {
            let mut stream = std::net::TcpStream::connect(&host).unwrap();
            stream.write_all(request.as_bytes()).unwrap();
            let mut answer = Vec::new();
            stream.read_to_end(&mut answer).unwrap();
            String::from_utf8_lossy(&answer).to_string()
        })
        .await
        .unwrap();
        head.split(' ').nth(1).unwrap().parse().unwrap()
    }

    /// Uploads through the API with the session (and its CSRF token) or
    /// the token; returns the JSON answer.
    pub async fn submit(&self, bytes: Vec<u8>) -> serde_json::Value {
        let csrf = if self.bearer.is_some() {
            None
        } else {
            Some(self.csrf().await)
        };
        let r = self.api_upload_with(bytes, csrf.as_deref()).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        r.json().await.unwrap()
    }
}

/// `check --format json` of the folder, run as the command line runs it.
pub fn check_json(returns: &Path, period: &str, files: &[&Path]) -> Vec<serde_json::Value> {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_shuanggao"));
    cmd.args(["check", "--format", "json", "--period", period, "--config"])
        .arg(root().join("inputs/config"))
        .arg("--returns")
        .arg(returns)
        .args(files);
    let out = cmd.output().unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)))
}

/// `status --format json` of 2026Q3 on the folder, as the province runs it.
pub fn status_json(returns: &Path) -> Vec<serde_json::Value> {
    cli_json("status", returns)
}

/// `review --format json` of 2026Q3 on the folder: the 核查优先清单 as far
/// as the outputs list it.
pub fn review_json(returns: &Path) -> Vec<serde_json::Value> {
    cli_json("review", returns)
}

fn cli_json(command: &str, returns: &Path) -> Vec<serde_json::Value> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_shuanggao"))
        .args([
            command, "--format", "json", "--period", "2026Q3", "--config",
        ])
        .arg(root().join("inputs/config"))
        .arg("--returns")
        .arg(returns)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)))
}

/// A sample draft of 2026Q3 for `zone`, changed by `edit`, as workbook bytes.
pub fn draft_bytes(zone: &str, edit: impl FnOnce(&mut shuanggao::model::draft::Draft)) -> Vec<u8> {
    let config = config();
    let mut draft = shuanggao::sample::sample_draft(&config, zone, open_period()).unwrap();
    edit(&mut draft);
    let z = config.registry.zone(zone).unwrap();
    shuanggao::render::template::write_draft(&config, z, open_period(), &draft).unwrap()
}

/// The text inside the element with `id` (tags dropped), empty without it.
pub fn element_text(page: &str, id: &str) -> String {
    let Some(at) = page.find(&format!("id=\"{id}\"")) else {
        return String::new();
    };
    let rest = &page[at..];
    let start = rest.find('>').map(|i| i + 1).unwrap_or(0);
    let end = rest.find("</dd>").unwrap_or(rest.len());
    let mut text = String::new();
    let mut in_tag = false;
    for c in rest[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.trim().to_string()
}
