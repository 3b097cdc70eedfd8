//! One test per security rule of docs/security.md, named for it.

use reqwest::StatusCode;
use shuanggao::serve::limits::Limits;
use shuanggao::serve::store::Scope;

use crate::helpers::{draft_bytes, sample_file, spawn_app, spawn_app_with, Options, PASSWORD};
use crate::returns::with_error;

/// Every route that shows or changes a submission, with `{id}`.
const SUBMISSION_ROUTES: &[(&str, &str)] = &[
    ("GET", "/returns/{id}"),
    ("POST", "/returns/{id}/explanations"),
    ("GET", "/returns/{id}/feedback.xlsx"),
    ("GET", "/api/v1/returns/{id}"),
    ("GET", "/api/v1/returns/{id}/feedback.xlsx"),
    ("POST", "/returns/{id}/review"),
    ("POST", "/api/v1/returns/{id}/review"),
];

/// Every route (what a caller without a session may try).
const ALL_ROUTES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("POST", "/logout"),
    ("GET", "/password"),
    ("POST", "/password"),
    ("GET", "/template.xlsx"),
    ("POST", "/returns"),
    ("GET", "/returns/{id}"),
    ("POST", "/returns/{id}/explanations"),
    ("GET", "/returns/{id}/feedback.xlsx"),
    ("POST", "/api/v1/returns"),
    ("GET", "/api/v1/returns/{id}"),
    ("GET", "/api/v1/returns/{id}/feedback.xlsx"),
    ("GET", "/api/v1/status?period=2026Q3"),
    ("POST", "/returns/{id}/review"),
    ("POST", "/api/v1/returns/{id}/review"),
    ("GET", "/api/v1/audit?since=2026-01-01"),
    ("GET", "/province"),
    ("GET", "/province/chase.csv"),
    ("GET", "/province/review"),
    ("POST", "/province/queries"),
    ("GET", "/province/reports"),
    ("POST", "/province/reports/run"),
    (
        "GET",
        "/province/reports/2026Q3/双高协同领导简报_2026Q3.pdf",
    ),
    ("GET", "/queries/1"),
    ("POST", "/queries/1/answer"),
];

async fn call(
    client: &crate::helpers::Client,
    method: &str,
    path: &str,
    csrf: &str,
) -> reqwest::Response {
    match method {
        "GET" => client.get(path).await,
        _ => {
            client
                .post_form(
                    path,
                    &[
                        ("_csrf", csrf),
                        ("rule_0", "T03"),
                        ("loc_0", "基本信息!B8"),
                        ("text_0", "本季度新签三个合作项目"),
                    ],
                )
                .await
        }
    }
}

#[tokio::test]
async fn another_zones_clerk_gets_403_or_404_on_every_route_never_data() {
    let app = spawn_app().await;
    let owner = app.clerk("cz_clerk", "CZ").await;
    let receipt = owner.submit(draft_bytes("CZ", crate::returns::late)).await;
    let id = receipt["submission"].as_i64().unwrap();
    let stranger = app.clerk("wuxi_clerk", "WX").await;
    let token = app.token_client("wuxi_clerk");
    let csrf = stranger.csrf().await;
    for (method, route) in SUBMISSION_ROUTES {
        let path = route.replace("{id}", &id.to_string());
        for client in [&stranger, &token] {
            let r = call(client, method, &path, &csrf).await;
            let status = r.status();
            let body = r.text().await.unwrap();
            assert!(
                status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
                "{method} {path}: {status}"
            );
            assert!(
                !body.contains("常州") && !body.contains("T03"),
                "{method} {path} shows data"
            );
        }
    }
    // Lists show only the caller's own zone.
    let home = stranger.home().await.text().await.unwrap();
    assert!(!home.contains("常州"));
    let status = token.api_status("2026Q3").await.text().await.unwrap();
    assert!(!status.contains("常州") && status.contains("无锡高新区"));
    // A clerk cannot upload for another zone either (refused, nothing stored): see returns.rs.
    // A city reviewer of another city sees nothing of 常州 either.
    app.add_user("nj_city", Scope::City("南京市".into()));
    let city = app.token_client("nj_city");
    for (method, route) in SUBMISSION_ROUTES.iter().filter(|(m, _)| *m == "GET") {
        let r = call(&city, method, &route.replace("{id}", &id.to_string()), "").await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{route}");
    }
    // …while 常州市's reviewer and the province may look.
    app.add_user("cz_city", Scope::City("常州市".into()));
    assert_eq!(
        app.token_client("cz_city").api_show(id).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn nobody_without_a_session_gets_anything() {
    let app = spawn_app().await;
    let owner = app.clerk("cz_clerk", "CZ").await;
    let id = owner.submit(draft_bytes("CZ", crate::returns::late)).await["submission"]
        .as_i64()
        .unwrap();
    let nobody = app.client();
    for (method, route) in ALL_ROUTES {
        let path = route.replace("{id}", &id.to_string());
        let r = call(&nobody, method, &path, "").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
        assert!(!r.text().await.unwrap().contains("常州"), "{method} {path}");
    }
}

#[tokio::test]
async fn state_changing_requests_with_a_cookie_need_the_csrf_token() {
    let app = spawn_app().await;
    let client = app.clerk("cz_clerk", "CZ").await;
    let bytes = draft_bytes("CZ", crate::returns::late);
    assert_eq!(
        client.upload_page(bytes.clone(), None).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        client
            .upload_page(bytes.clone(), Some(&"0".repeat(64)))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        client.api_upload(bytes.clone()).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        client.post_form("/logout", &[]).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        client
            .post_form(
                "/password",
                &[("current", PASSWORD), ("new", "Changzhou2026kj")]
            )
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    // A form posted from another site is refused even with the token.
    let csrf = client.csrf().await;
    let cookie = client.cookie.lock().unwrap().clone().unwrap();
    let r = client
        .http
        .post(client.url("/logout"))
        .header("cookie", cookie)
        .header("origin", "http://evil.example")
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(std::fs::read_dir(app.returns.join("2026Q3"))
        .unwrap()
        .next()
        .is_none());
    // With the token it goes through; a bearer token needs none (no cookie).
    assert_eq!(
        client
            .api_upload_with(bytes.clone(), Some(&csrf))
            .await
            .status(),
        StatusCode::CREATED
    );
    let scripted = app.token_client("cz_clerk");
    assert_eq!(
        scripted
            .api_upload(draft_bytes("CZ", with_error))
            .await
            .status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn uploads_over_the_size_limit_get_413() {
    let app = spawn_app().await;
    let client = app.clerk("cz_clerk", "CZ").await;
    let csrf = client.csrf().await;
    let huge = vec![b'x'; 22_000_000];
    let r = client.api_upload_with(huge.clone(), Some(&csrf)).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("文件太大"));
    let r = client.upload_page(huge, Some(&csrf)).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_zip_bomb_is_refused_by_the_readers_limits() {
    use std::io::Write;
    let app = spawn_app().await;
    let client = app.token_client_for("cz_clerk", "CZ");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..60 {
        zip.write_all(&zeros).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    assert!(bytes.len() < 1_000_000, "a small file: {}", bytes.len());
    let r = client.api_upload(bytes).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["findings"][0]["rule"], "F01");
    assert!(body["message"].as_str().unwrap().contains("无法读取"));
}

#[tokio::test]
async fn uploads_per_minute_are_limited_with_429() {
    let app = spawn_app_with(Options {
        limits: Limits {
            uploads_per_minute: 2,
            ..Limits::default()
        },
        ..Options::default()
    })
    .await;
    let client = app.token_client_for("cz_clerk", "CZ");
    for _ in 0..2 {
        assert_eq!(
            client
                .api_upload(sample_file("常州高新区_2026Q3.xlsx"))
                .await
                .status(),
            StatusCode::CREATED
        );
    }
    let r = client
        .api_upload(sample_file("常州高新区_2026Q3.xlsx"))
        .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("每分钟最多上传 2 次"));
}

#[tokio::test]
async fn text_from_a_spreadsheet_is_escaped_in_html() {
    let app = spawn_app().await;
    let client = app.clerk("cz_clerk", "CZ").await;
    let script = "<script>alert('x')</script>";
    let receipt = client
        .submit(draft_bytes("CZ", |d| {
            d.projects[0][2] = script.into();
        }))
        .await;
    let findings = receipt["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["value"].as_str().is_some_and(|v| v.contains("<script>"))),
        "the name reaches a finding: {findings:?}"
    );
    let page = client
        .result(receipt["submission"].as_i64().unwrap())
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("&lt;script&gt;alert"));
    assert!(!page.contains(script));
}

#[tokio::test]
async fn every_response_has_csp_without_inline_script_and_the_other_headers() {
    let app = spawn_app().await;
    let client = app.clerk("cz_clerk", "CZ").await;
    for path in [
        "/",
        "/login",
        "/assets/style.css",
        "/api/v1/status",
        "/nowhere",
    ] {
        let r = client.get(path).await;
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "same-origin");
        let body = r.text().await.unwrap();
        // No inline script: every <script> has a src.
        assert!(
            !body.contains("<script>") && !body.contains("onclick="),
            "{path}"
        );
    }
}

#[tokio::test]
async fn no_password_cookie_token_or_file_content_in_the_log() {
    let app = spawn_app().await;
    let client = app.clerk("cz_clerk", "CZ").await;
    client.login("cz_clerk", "a-wrong-password-9").await;
    let cookie = client.cookie.lock().unwrap().clone().unwrap();
    let scripted = app.token_client("cz_clerk");
    let token = scripted.bearer.clone().unwrap();
    scripted.submit(draft_bytes("CZ", with_error)).await;
    client.home().await;
    let log = app.log_text();
    assert!(
        log.contains("POST /api/v1/returns 201"),
        "the log has the requests: {log}"
    );
    let session = cookie.split('=').nth(1).unwrap();
    for secret in [
        PASSWORD,
        "a-wrong-password-9",
        session,
        &token,
        "管委会科技创新局",
        "示例",
    ] {
        assert!(!log.contains(secret), "{secret} in the log");
    }
    let audit = format!("{:?}", app.audit());
    for secret in [PASSWORD, "a-wrong-password-9", session, &token] {
        assert!(!audit.contains(secret), "{secret} in the audit log");
    }
}

#[tokio::test]
async fn every_action_leaves_an_audit_row() {
    let app = spawn_app().await;
    let client = app.clerk("cz_clerk", "CZ").await;
    app.client().login("cz_clerk", "a-wrong-password-9").await;
    let receipt = client.submit(draft_bytes("CZ", crate::returns::late)).await;
    let id = receipt["submission"].as_i64().unwrap();
    client
        .api_upload_with(
            sample_file("无锡高新区_2026Q3_更正.xlsx"),
            Some(&client.csrf().await),
        )
        .await;
    client.feedback(id).await;
    client.template().await;
    let csrf = client.csrf().await;
    client
        .explain(
            id,
            &[
                ("_csrf", &csrf),
                ("rule_0", "T03"),
                ("loc_0", "基本信息!B8"),
                ("text_0", "国庆假期后系统升级，延后报送"),
            ],
        )
        .await;
    client.change_password(PASSWORD, "Changzhou2026kj").await;
    client.logout().await;
    let rows = app
        .store()
        .with(|c| shuanggao::serve::store::audit::since(c, 0))
        .unwrap();
    let seen: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r.action.clone(), r.outcome.clone()))
        .collect();
    for (action, outcome) in [
        ("login", "ok"),
        ("login", "bad_password"),
        ("upload", "ok: 有警告"),
        ("download", "ok"),
        ("explain", "ok: 1 条"),
        ("password", "ok"),
        ("logout", "ok"),
    ] {
        assert!(
            seen.contains(&(action.into(), outcome.into())),
            "{action} {outcome}: {seen:?}"
        );
    }
    assert!(seen
        .iter()
        .any(|(a, o)| a == "upload" && o.starts_with("refused: 这份报表是无锡高新区的")));
    assert_eq!(
        seen.iter().filter(|(a, _)| a == "download").count(),
        2,
        "feedback and template"
    );
    for r in rows
        .iter()
        .filter(|r| r.action != "login" || r.outcome == "ok")
    {
        assert_eq!(r.username.as_deref(), Some("cz_clerk"));
        assert_eq!(r.zone.as_deref(), Some("CZ"), "{r:?}");
        assert_eq!(r.address.as_deref(), Some("127.0.0.1"));
        assert!(r.at > 0);
    }
}

impl crate::helpers::TestApp {
    /// A zone clerk with an API token.
    pub fn token_client_for(&self, user: &str, zone: &str) -> crate::helpers::Client {
        self.add_user(user, Scope::Zone(zone.into()));
        self.token_client(user)
    }
}
