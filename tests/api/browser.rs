//! End to end in a real browser: headless Chromium driven through
//! WebDriver (Debian's `chromium` and `chromium-driver`), started here on
//! free ports. Without them the test says so and passes, except under CI
//! (`CI=true`), where a missing browser fails.
//!
//! A zone clerk logs in with a one-time password, sets a new one, uploads a
//! return with an error, sees the finding at its cell, writes an
//! explanation, uploads the corrected file and sees 已报送 and the changed
//! cells. Screenshots of the zone page and a result page (1366×768 and a
//! phone) go to `target/screenshots/` (or `SHUANGGAO_SCREENSHOTS`).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::helpers::{draft_bytes, free_port, spawn_app, ONE_TIME};
use crate::returns::{corrected, with_error};

const CHROMIUM: &str = "/usr/bin/chromium";
const DRIVER: &str = "/usr/bin/chromedriver";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Whether the browser is here; under CI its absence fails the run.
fn browser_available() -> bool {
    let present = Path::new(CHROMIUM).exists() && Path::new(DRIVER).exists();
    if !present {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        assert!(!ci, "CI=true: chromium and chromium-driver must be installed (apt-get install chromium chromium-driver)");
        eprintln!("跳过浏览器测试：没有 {CHROMIUM} 或 {DRIVER}（apt-get install chromium chromium-driver）");
    }
    present
}

/// chromedriver on a free port, and one browser session.
struct Browser {
    driver: Child,
    base: String,
    http: reqwest::Client,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    async fn start() -> Browser {
        let port = free_port();
        let driver = Command::new(DRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = http.get(format!("{base}/status")).send().await {
                if r.json::<Value>()
                    .await
                    .is_ok_and(|v| v["value"]["ready"] == true)
                {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let mut browser = Browser {
            driver,
            base,
            http,
            _profile: profile,
        };
        let args = json!([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--lang=zh-CN",
            format!("--user-data-dir={}", browser._profile.path().display()),
            "--window-size=1366,768"
        ]);
        let session = browser
            .call(
                "POST",
                "/session",
                json!({"capabilities": {"alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {"binary": CHROMIUM, "args": args}
                }}}),
            )
            .await;
        let id = session["sessionId"]
            .as_str()
            .expect("a session")
            .to_string();
        browser.base = format!("{}/session/{id}", browser.base);
        browser
    }

    /// The text of `css` once it contains `needle` (pages load after a
    /// click; up to 20 seconds).
    async fn wait_text(&self, css: &str, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let found = self
                .raw(
                    "POST",
                    "/element",
                    json!({"using": "css selector", "value": css}),
                )
                .await;
            if let Some(e) = found["value"][ELEMENT].as_str() {
                let text = self
                    .raw("GET", &format!("/element/{e}/text"), Value::Null)
                    .await;
                let text = text["value"].as_str().unwrap_or_default().to_string();
                if text.contains(needle) {
                    return text;
                }
            }
            if Instant::now() > deadline {
                let body = self.raw("GET", "/source", Value::Null).await;
                panic!(
                    "no “{needle}” in {css} at {}: {}",
                    self.url().await,
                    body["value"]
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn raw(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}{path}", self.base);
        let request = match method {
            "GET" => self.http.get(url),
            _ => self.http.post(url).json(&body),
        };
        request
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap_or_default()
    }

    async fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}{path}", self.base);
        let request = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self.http.post(url).json(&body),
        };
        let answer: Value = request.send().await.unwrap().json().await.unwrap();
        if answer["value"]["error"].is_string() {
            panic!("WebDriver {method} {path}: {}", answer["value"]["message"]);
        }
        answer
            .get("value")
            .cloned()
            .filter(|v| !v.is_null())
            .unwrap_or(answer)
    }

    async fn go(&self, url: &str) {
        self.call("POST", "/url", json!({ "url": url })).await;
    }

    async fn find(&self, css: &str) -> String {
        let v = self
            .call(
                "POST",
                "/element",
                json!({"using": "css selector", "value": css}),
            )
            .await;
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_string()
    }

    async fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        self.call(
            "POST",
            &format!("/element/{e}/value"),
            json!({ "text": text }),
        )
        .await;
    }

    async fn click(&self, css: &str) {
        let e = self.find(css).await;
        self.call("POST", &format!("/element/{e}/click"), json!({}))
            .await;
    }

    async fn url(&self) -> String {
        self.call("GET", "/url", Value::Null)
            .await
            .as_str()
            .unwrap()
            .to_string()
    }

    async fn size(&self, width: u32, height: u32) {
        self.call(
            "POST",
            "/window/rect",
            json!({"width": width, "height": height}),
        )
        .await;
    }

    async fn screenshot(&self, path: &Path) {
        // Fonts load after the page (font-display: swap): wait for them.
        let fonts_ready = "const done = arguments[0]; document.fonts.ready.then(() => done(true));";
        self.call(
            "POST",
            "/execute/async",
            json!({"script": fonts_ready, "args": []}),
        )
        .await;
        let b64 = self.call("GET", "/screenshot", Value::Null).await;
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, base64_decode(b64.as_str().unwrap())).unwrap();
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, c)| {
            acc | (u32::from(value(*c)) << (18 - 6 * i))
        });
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

fn shots() -> PathBuf {
    std::env::var_os("SHUANGGAO_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_corrects_and_explains_a_return_in_the_browser() {
    if !browser_available() {
        return;
    }
    let app = spawn_app().await;
    app.add_with_one_time_password("cz_clerk", "CZ", ONE_TIME);
    let files = tempfile::tempdir().unwrap();
    let wrong = files.path().join("常州高新区_有错.xlsx");
    let fixed = files.path().join("常州高新区_更正.xlsx");
    std::fs::write(&wrong, draft_bytes("CZ", with_error)).unwrap();
    std::fs::write(&fixed, draft_bytes("CZ", corrected)).unwrap();

    let b = Browser::start().await;
    b.go(&format!("{}/login", app.addr)).await;
    b.type_into("#username", "cz_clerk").await;
    b.type_into("#password", ONE_TIME).await;
    b.click("main button[type=submit]").await;
    b.wait_text("h1", "首次登录：设置新密码").await;
    b.type_into("#current", ONE_TIME).await;
    b.type_into("#new", "Changzhou2026kj").await;
    b.type_into("#confirm", "Changzhou2026kj").await;
    b.click("main button[type=submit]").await;
    b.wait_text("#zone-state", "未报送").await;

    // A return with an error: the finding at its cell.
    b.type_into("#file", wrong.to_str().unwrap()).await;
    b.click("#upload button").await;
    b.wait_text("#verdict", "退回修改").await;
    let findings = b.wait_text("#findings", "X01").await;
    assert!(findings.contains("核心指标!E4"), "{findings}");

    // An explanation of the warning (T03, late), kept for the correction.
    b.type_into("#text_0", "国庆假期后系统升级，经省科技厅同意延后报送")
        .await;
    b.click("#explain button").await;
    b.wait_text("#findings", "已说明").await;

    // The corrected file: 已报送, the changed cell shown.
    b.go(&format!("{}/", app.addr)).await;
    b.type_into("#file", fixed.to_str().unwrap()).await;
    b.click("#upload button").await;
    b.wait_text("#verdict", "通过（警告已说明）").await;
    b.wait_text("#changes", "核心指标!E4").await;
    let result_url = b.url().await;
    b.size(1366, 1100).await;
    b.screenshot(&shots().join("result-1366.png")).await;
    b.size(390, 844).await;
    b.screenshot(&shots().join("result-phone.png")).await;
    b.go(&format!("{}/", app.addr)).await;
    b.wait_text("#zone-state", "已报送").await;
    b.screenshot(&shots().join("zone-phone.png")).await;
    b.size(1366, 768).await;
    b.screenshot(&shots().join("zone-1366.png")).await;
    assert!(result_url.contains("/returns/"));
    b.call("DELETE", "", Value::Null).await;
}

impl Browser {
    /// Logs `username` in (any session before it ended).
    async fn login_as(&self, app: &str, username: &str) {
        self.call("DELETE", "/cookie", Value::Null).await;
        self.go(&format!("{app}/login")).await;
        self.type_into("#username", username).await;
        self.type_into("#password", crate::helpers::PASSWORD).await;
        self.click("main button[type=submit]").await;
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.url().await.ends_with("/login") {
            assert!(Instant::now() < deadline, "{username} did not log in");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The session cookie, for a download outside the browser.
    async fn cookie(&self) -> String {
        let cookies = self.call("GET", "/cookie", Value::Null).await;
        cookies
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                format!(
                    "{}={}",
                    c["name"].as_str().unwrap(),
                    c["value"].as_str().unwrap()
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The `href` of the first element matching `css`.
    async fn href(&self, css: &str) -> String {
        let e = self.find(css).await;
        let v = self
            .call("GET", &format!("/element/{e}/attribute/href"), Value::Null)
            .await;
        v.as_str().unwrap_or_default().to_string()
    }
}

/// Item 6 of the review: a city reviewer sends a return back with a
/// comment; the zone sees it, corrects and sends again; the city approves;
/// the province runs the quarter's report and downloads the brief; a
/// reviewer of another city neither sees nor acts on the return.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_return_goes_back_and_forth_between_zone_and_city_then_the_province_reports() {
    use shuanggao::serve::store::Scope;
    if !browser_available() {
        return;
    }
    let app = spawn_app().await;
    let base = app.addr.clone();
    app.add_user("cz_clerk", Scope::Zone("CZ".into()));
    app.add_user("cz_city", Scope::City("常州市".into()));
    app.add_user("wx_city", Scope::City("无锡市".into()));
    app.add_user("province", Scope::Province);
    let files = tempfile::tempdir().unwrap();
    let first = files.path().join("常州高新区_首次.xlsx");
    let second = files.path().join("常州高新区_更正.xlsx");
    std::fs::write(&first, crate::review::return_of(1, false)).unwrap();
    std::fs::write(&second, crate::review::return_of(2, false)).unwrap();
    let comment = "项目清单第3行合作企业名称与营业执照不一致，请更正";

    let b = Browser::start().await;
    b.login_as(&base, "cz_clerk").await;
    b.type_into("#file", first.to_str().unwrap()).await;
    b.click("#upload button").await;
    b.wait_text("#review", "待常州市科技局审核").await;
    let result = b.url().await;

    // The city's reviewer: it waits for them; sent back with a comment.
    b.login_as(&base, "cz_city").await;
    b.wait_text("#waiting", "常州高新区").await;
    b.click("#waiting a").await;
    b.wait_text("#review", "待常州市科技局审核").await;
    b.size(1366, 1000).await;
    b.screenshot(&shots().join("review-city-1366.png")).await;
    b.type_into("#comment", comment).await;
    b.click("#review-form button[value=return]").await;
    b.wait_text("#review", comment).await;

    // Another city's reviewer: not listed, not shown, cannot act.
    b.login_as(&base, "wx_city").await;
    let home = b.wait_text("main", "报送与审核").await;
    assert!(!home.contains("常州高新区"), "{home}");
    b.go(&result).await;
    b.wait_text("main", "没有找到").await;

    // The zone: the comment on its page, corrects and sends again.
    b.login_as(&base, "cz_clerk").await;
    b.wait_text("#zone-state", "退回修改").await;
    b.wait_text("#return-comment", comment).await;
    b.wait_text("#notices", "常州市科技局退回了本区").await;
    b.size(390, 844).await;
    b.screenshot(&shots().join("review-zone-returned-phone.png"))
        .await;
    b.size(1366, 768).await;
    b.type_into("#file", second.to_str().unwrap()).await;
    b.click("#upload button").await;
    b.wait_text("#review", "待常州市科技局审核").await;

    // The city approves: 审核通过, locked for the zone.
    b.login_as(&base, "cz_city").await;
    b.click("#waiting a").await;
    b.click("#review-form button[value=approve]").await;
    b.wait_text("#review", "审核通过").await;
    b.login_as(&base, "cz_clerk").await;
    b.wait_text("#zone-state", "审核通过").await;
    b.wait_text("#locked", "锁定").await;

    // The province: runs the quarter's report, downloads the brief.
    b.login_as(&base, "province").await;
    b.go(&format!("{base}/province")).await;
    b.wait_text("main", "常州高新区").await;
    b.size(1366, 1000).await;
    b.screenshot(&shots().join("province-1366.png")).await;
    b.go(&format!("{base}/province/reports")).await;
    b.click("#run button").await;
    let deadline = Instant::now() + Duration::from_secs(240);
    loop {
        b.go(&format!("{base}/province/reports")).await;
        let stage = b.wait_text("#run-stage", "").await;
        if stage == "完成" {
            break;
        }
        assert!(!stage.contains("失败"), "{stage}");
        assert!(
            Instant::now() < deadline,
            "the report did not finish: {stage}"
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    b.screenshot(&shots().join("province-reports-1366.png"))
        .await;
    let brief = format!("{base}{}", b.href("#published a[href$='.pdf']").await);
    let pdf = reqwest::Client::new()
        .get(&brief)
        .header("cookie", b.cookie().await)
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), reqwest::StatusCode::OK, "{brief}");
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"), "{brief}");
    b.call("DELETE", "", Value::Null).await;
}
