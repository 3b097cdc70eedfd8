//! `shuanggao account`: what the province runs to manage accounts.

use std::path::Path;
use std::process::Output;

use reqwest::StatusCode;

use crate::helpers::{root, spawn_app};

fn account(data: &Path, args: &[&str]) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_shuanggao"));
    cmd.arg("account")
        .args(args)
        .arg("--data")
        .arg(data)
        .arg("--config")
        .arg(root().join("inputs/config"));
    cmd.output().unwrap()
}

fn last_line(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn account_commands_print_secrets_alone_on_the_last_line_and_work_with_the_portal() {
    let app = spawn_app().await;
    let data = &app.data;
    let otp = last_line(&account(
        data,
        &[
            "add",
            "--user",
            "cz_clerk",
            "--zone",
            "常州高新区",
            "--name",
            "张三",
        ],
    ));
    assert_eq!(otp.len(), 12, "{otp}");
    assert!(otp.chars().all(|c| c.is_ascii_alphanumeric()));
    let client = app.client();
    let r = client.login("cz_clerk", &otp).await;
    assert_eq!(
        r.headers()["location"],
        "/password",
        "a one-time password must be changed"
    );
    // Reset: a new one-time password, the old one no longer works.
    let again = last_line(&account(data, &["reset", "cz_clerk"]));
    assert_ne!(again, otp);
    assert_eq!(
        app.client().login("cz_clerk", &otp).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        client.home().await.status(),
        StatusCode::UNAUTHORIZED,
        "reset ends sessions"
    );
    // Token: 64 hex digits; the API takes it.
    let token = last_line(&account(data, &["token", "cz_clerk"]));
    assert_eq!(token.len(), 64);
    let mut scripted = app.client();
    scripted.bearer = Some(token.clone());
    assert_eq!(
        scripted.api_status("2026Q3").await.status(),
        StatusCode::FORBIDDEN,
        "password not yet changed"
    );
    // City and province accounts; wrong zones and cities are refused.
    last_line(&account(
        data,
        &[
            "add",
            "--user",
            "wx_city",
            "--city",
            "无锡市",
            "--name",
            "李四",
        ],
    ));
    last_line(&account(
        data,
        &["add", "--user", "prov", "--province", "--name", "王五"],
    ));
    let bad = account(
        data,
        &[
            "add",
            "--user",
            "x1",
            "--zone",
            "火星高新区",
            "--name",
            "某",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("没有高新区“火星高新区”"));
    let list = String::from_utf8_lossy(&account(data, &["list"]).stdout).to_string();
    assert!(
        list.contains("cz_clerk\t张三\t常州高新区填报员\t待修改初始密码"),
        "{list}"
    );
    assert!(
        list.contains("wx_city\t李四\t无锡市审核员") && list.contains("prov\t王五\t省级管理员")
    );
    // Disable: the token stops working at once.
    let out = account(data, &["disable", "cz_clerk"]);
    assert!(out.status.success());
    assert_eq!(
        scripted.api_status("2026Q3").await.status(),
        StatusCode::UNAUTHORIZED
    );
    // The audit log, exported.
    let today = chrono::Local::now().date_naive().to_string();
    let csv =
        String::from_utf8_lossy(&account(data, &["audit", "--since", &today]).stdout).to_string();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "时间,账户,高新区,地址,操作,对象,结果");
    for action in [
        "account.add",
        "account.reset",
        "account.token",
        "account.disable",
        "login",
    ] {
        assert!(lines.iter().any(|l| l.contains(action)), "{action}: {csv}");
    }
    assert!(!csv.contains(&otp) && !csv.contains(&token));
    let tomorrow = (chrono::Local::now().date_naive() + chrono::Days::new(1)).to_string();
    let none = String::from_utf8_lossy(&account(data, &["audit", "--since", &tomorrow]).stdout)
        .to_string();
    assert_eq!(none.lines().count(), 1, "only the header");
}
