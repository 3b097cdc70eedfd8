//! Logging in: one-time passwords, the password policy, lockout, idle
//! timeout, a new session id at login, disabled accounts.

use reqwest::StatusCode;
use shuanggao::serve::store::{accounts, Scope};

use crate::helpers::{spawn_app, ONE_TIME, PASSWORD};

#[tokio::test]
async fn the_first_login_with_a_one_time_password_must_set_a_new_one() {
    let app = spawn_app().await;
    app.add_with_one_time_password("cz_clerk", "CZ", ONE_TIME);
    let client = app.client();
    let r = client.login("cz_clerk", ONE_TIME).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/password");
    // Nothing else until the password is changed: pages lead back, the API refuses.
    let r = client.home().await;
    assert_eq!(r.headers()["location"], "/password");
    let r = client.api_status("2026Q3").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("修改初始密码"));
    let r = client.change_password(ONE_TIME, "short1").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("至少 10 个字符"));
    let r = client.change_password(ONE_TIME, "Changzhou2026kj").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(client.home().await.status(), StatusCode::OK);
    // The one-time password is gone.
    let again = app.client();
    assert_eq!(
        again.login("cz_clerk", ONE_TIME).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        again.login("cz_clerk", "Changzhou2026kj").await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_new_password_needs_ten_characters_letters_and_digits_not_the_name_not_common() {
    let app = spawn_app().await;
    let client = app.clerk("wuxi_clerk", "WX").await;
    for (new, reason) in [
        ("abc12345", "至少 10 个字符"),
        ("abcdefghijkl", "同时包含字母和数字"),
        ("wuxi_clerk2026", "不能包含登录名"),
        ("password123", "过于常见"),
    ] {
        let r = client.change_password(PASSWORD, new).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{new}");
        assert!(r.text().await.unwrap().contains(reason), "{new}: {reason}");
    }
    let r = client
        .change_password("wrong-one-1", "Taihu2026hupan")
        .await;
    assert!(r.text().await.unwrap().contains("原密码不正确"));
}

#[tokio::test]
async fn five_failed_logins_lock_the_account_for_15_minutes() {
    let app = spawn_app().await;
    app.add_user("wuxi_clerk", Scope::Zone("WX".into()));
    let client = app.client();
    for i in 1..=5 {
        let r = client.login("wuxi_clerk", "not-the-password1").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let text = r.text().await.unwrap();
        assert_eq!(text.contains("账户已锁定 15 分钟"), i == 5, "attempt {i}");
    }
    // Locked: even the right password is refused.
    let r = client.login("wuxi_clerk", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.text().await.unwrap().contains("已锁定"));
    let until = app
        .store()
        .with(|c| accounts::by_name(c, "wuxi_clerk"))
        .unwrap()
        .unwrap()
        .locked_until
        .unwrap();
    let lock = until - shuanggao::serve::store::now();
    assert!((14 * 60..=15 * 60).contains(&lock), "{lock}");
    // Fifteen minutes later it opens again.
    app.store()
        .with(|c| {
            c.execute(
                "UPDATE account SET locked_until = ?1",
                [shuanggao::serve::store::now() - 1],
            )
        })
        .unwrap();
    assert_eq!(
        client.login("wuxi_clerk", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    let outcomes: Vec<String> = app
        .audit()
        .into_iter()
        .filter(|r| r.1 == "login")
        .map(|r| r.2)
        .collect();
    assert_eq!(
        outcomes,
        [
            "bad_password",
            "bad_password",
            "bad_password",
            "bad_password",
            "bad_password: locked",
            "locked",
            "ok"
        ]
    );
}

#[tokio::test]
async fn a_session_ends_after_30_minutes_idle() {
    let app = spawn_app().await;
    let client = app.clerk("wuxi_clerk", "WX").await;
    assert_eq!(client.home().await.status(), StatusCode::OK);
    let now = shuanggao::serve::store::now();
    app.store()
        .with(|c| c.execute("UPDATE session SET last_seen = ?1", [now - 29 * 60]))
        .unwrap();
    assert_eq!(
        client.home().await.status(),
        StatusCode::OK,
        "29 minutes is not idle enough"
    );
    app.store()
        .with(|c| c.execute("UPDATE session SET last_seen = ?1", [now - 31 * 60]))
        .unwrap();
    let r = client.home().await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.text().await.unwrap().contains("超过 30 分钟未操作"));
    assert_eq!(client.home().await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn login_issues_a_new_session_id_and_ignores_one_it_did_not_issue() {
    let app = spawn_app().await;
    app.add_user("wuxi_clerk", Scope::Zone("WX".into()));
    let client = app.client();
    let planted = "sg_session=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    *client.cookie.lock().unwrap() = Some(planted.into());
    assert_eq!(client.home().await.status(), StatusCode::UNAUTHORIZED);
    client.login("wuxi_clerk", PASSWORD).await;
    let first = client.cookie.lock().unwrap().clone().unwrap();
    assert_ne!(first, planted);
    client.login("wuxi_clerk", PASSWORD).await;
    let second = client.cookie.lock().unwrap().clone().unwrap();
    assert_ne!(first, second);
    assert_eq!(client.home().await.status(), StatusCode::OK);
    // The planted id never became a session.
    let attacker = app.client();
    *attacker.cookie.lock().unwrap() = Some(planted.into());
    assert_eq!(attacker.home().await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_and_token() {
    let app = spawn_app().await;
    let client = app.clerk("wuxi_clerk", "WX").await;
    let scripted = app.token_client("wuxi_clerk");
    assert_eq!(client.home().await.status(), StatusCode::OK);
    assert_eq!(scripted.api_status("2026Q3").await.status(), StatusCode::OK);
    app.store()
        .with(|c| {
            let a = accounts::by_name(c, "wuxi_clerk")?.unwrap();
            accounts::disable(c, a.id)
        })
        .unwrap();
    assert_eq!(client.home().await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        scripted.api_status("2026Q3").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let r = app.client().login("wuxi_clerk", PASSWORD).await;
    assert!(r.text().await.unwrap().contains("已停用"));
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    let client = app.clerk("wuxi_clerk", "WX").await;
    let cookie = client.cookie.lock().unwrap().clone();
    let r = client.logout().await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    *client.cookie.lock().unwrap() = cookie;
    assert_eq!(client.home().await.status(), StatusCode::UNAUTHORIZED);
}
