//! Nothing lost in a crash: the real binary, killed (abort, as `kill -9`
//! leaves things) at each point of an upload through
//! `SHUANGGAO_CRASH_AT`, then started again without it. After the restart
//! the returns folder and the submission log agree and the upload is wholly
//! there or wholly absent.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use shuanggao::serve::auth::password;
use shuanggao::serve::crash;
use shuanggao::serve::store::{accounts, Scope, Store};

use crate::helpers::{draft_bytes, free_port, root, sample_file};
use crate::state::{assert_agree, log_of, rows};

const CLERK: &str = "crash_clerk";

/// A server process on a free port.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `shuanggao serve` on `dir`'s returns and data, dying at `crash_at`.
async fn serve(dir: &Path, crash_at: Option<&str>, log: &str) -> Server {
    let port = free_port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shuanggao"));
    cmd.args(["serve", "--period", "2026Q3", "--addr"])
        .arg(format!("127.0.0.1:{port}"))
        .arg("--config")
        .arg(root().join("inputs/config"))
        .arg("--returns")
        .arg(dir.join("returns"))
        .arg("--data")
        .arg(dir.join("data"))
        .env_remove(crash::VAR)
        .stdout(Stdio::null())
        .stderr(File::create(dir.join(log)).unwrap());
    if let Some(point) = crash_at {
        cmd.env(crash::VAR, point);
    }
    let mut server = Server {
        child: cmd.spawn().unwrap(),
        base: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while client
        .get(format!("{}/login", server.base))
        .send()
        .await
        .is_err()
    {
        assert!(
            server.child.try_wait().unwrap().is_none(),
            "the server stopped: {}",
            std::fs::read_to_string(dir.join(log)).unwrap_or_default()
        );
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    server
}

/// A clerk of 常州高新区 with an API token, straight into the database.
fn clerk_token(data: &Path) -> String {
    token_for(data, CLERK, Scope::Zone("CZ".into()))
}

/// An account with an API token, straight into the database.
fn token_for(data: &Path, username: &str, scope: Scope) -> String {
    let store = Store::open(data).unwrap();
    let hash = password::hash(crate::helpers::PASSWORD).unwrap();
    let token = password::random_hex();
    store
        .with(|c| {
            let id = accounts::insert(c, username, "测试", &scope, &hash, false)?;
            accounts::set_password(c, id, &hash, false)?;
            accounts::set_token(c, id, &password::fingerprint(&token))
        })
        .unwrap();
    token
}

async fn upload(
    base: &str,
    token: &str,
    bytes: Vec<u8>,
) -> reqwest::Result<(StatusCode, serde_json::Value)> {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name("报表.xlsx"),
    );
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v1/returns"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await?;
    let status = r.status();
    Ok((status, r.json().await.unwrap_or_default()))
}

fn wait_exit(child: &mut Child) -> ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "the server did not die");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Kills the server at `point` during one upload, starts it again and
/// checks what it holds; `kept`: the upload is expected wholly there.
async fn crash_at(point: &str, kept: bool) {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let returns: PathBuf = dir.join("returns");
    std::fs::create_dir_all(returns.join("2026Q3")).unwrap();
    let token = clerk_token(&dir.join("data"));
    let bytes = sample_file("常州高新区_2026Q3.xlsx");

    let mut dying = serve(dir, Some(point), "first.log").await;
    let answer = upload(&dying.base, &token, bytes.clone()).await;
    assert!(
        !matches!(answer, Ok((StatusCode::CREATED, _))),
        "{point}: the upload got an answer: {answer:?}"
    );
    let status = wait_exit(&mut dying.child);
    assert!(!status.success(), "{point}: {status:?}");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(6), "{point}: aborted (SIGABRT)");
    }
    let died = std::fs::read_to_string(dir.join("first.log")).unwrap();
    assert!(died.contains(point), "{point}: {died}");

    let server = serve(dir, None, "second.log").await;
    let store = Store::open(&dir.join("data")).unwrap();
    assert_agree(&store, &returns, "2026Q3");
    let log = log_of(&store, "2026Q3");
    let digest = shuanggao::digest::sha256_hex(&bytes);
    if kept {
        assert_eq!(log.len(), 1, "{point}: the upload is there: {log:?}");
        assert_eq!(log[0][1..], ["api", CLERK, digest.as_str()], "{point}");
    } else {
        assert!(log.is_empty(), "{point}: the upload is gone: {log:?}");
    }
    let intents = rows(&store, "SELECT kind FROM intent");
    assert!(intents.is_empty(), "{point}: intents left: {intents:?}");
    let recovered = rows(
        &store,
        "SELECT outcome FROM audit WHERE action = 'journal.recover'",
    );
    let expected: &[&str] = match point {
        "upload.finished" => &[],
        _ if kept => &["recovered: completed"],
        _ => &["recovered: undone"],
    };
    assert_eq!(recovered.concat(), expected, "{point}");

    // The same bytes again: the stored submission if it was kept, a new
    // one if not; never twice.
    let (status, again) = upload(&server.base, &token, bytes).await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{point}: {again}");
    let ids = rows(&store, "SELECT id FROM submission");
    assert_eq!(ids.len(), 1, "{point}");
    assert_eq!(again["submission"].to_string(), ids[0][0], "{point}");
    // And another file is taken as any other.
    let other = draft_bytes("CZ", |d| {
        for (label, value) in d.basic.iter_mut() {
            if label == "填报人" {
                *value = shuanggao::model::draft::Cell::Text("重启后".into());
            }
        }
    });
    let (status, answer) = upload(&server.base, &token, other).await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{point}: {answer}");
    assert_agree(&store, &returns, "2026Q3");
    assert_eq!(log_of(&store, "2026Q3").len(), 2, "{point}");
}

#[tokio::test]
async fn a_crash_at_any_point_of_an_upload_leaves_it_wholly_there_or_wholly_absent() {
    // Each point in its own folders, all at once (seconds in all).
    tokio::join!(
        crash_at("upload.journaled", false),
        crash_at("upload.written", false),
        crash_at("upload.stored", true),
        crash_at("upload.finished", true),
    );
}

/// Kills the server at `point` during a city reviewer's approval, starts
/// it again and checks that the decision beside the return and its audit
/// row are both there (`kept`) or both absent, and what the zone is shown.
async fn crash_in_review_at(point: &str, kept: bool) {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let returns: PathBuf = dir.join("returns");
    std::fs::create_dir_all(returns.join("2026Q3")).unwrap();
    let token = clerk_token(&dir.join("data"));
    let reviewer = token_for(&dir.join("data"), "cz_city", Scope::City("常州市".into()));
    // A clean return (no warning to explain first).
    let bytes = draft_bytes("CZ", |_| {});
    let id = {
        let server = serve(dir, None, "upload.log").await;
        let (status, answer) = upload(&server.base, &token, bytes).await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{answer}");
        answer["submission"].as_i64().unwrap()
    };
    let mut dying = serve(dir, Some(point), "first.log").await;
    let answer = reqwest::Client::new()
        .post(format!("{}/api/v1/returns/{id}/review", dying.base))
        .bearer_auth(&reviewer)
        .json(&serde_json::json!({"action": "approve"}))
        .send()
        .await;
    if let Ok(r) = answer {
        panic!(
            "{point}: the decision got an answer: {}",
            r.text().await.unwrap_or_default()
        );
    }
    assert!(!wait_exit(&mut dying.child).success(), "{point}");

    let server = serve(dir, None, "second.log").await;
    let store = Store::open(&dir.join("data")).unwrap();
    let kept_file = std::fs::read_dir(returns.join("2026Q3/.审核"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    assert!(
        kept_file.iter().all(|n| !n.ends_with(".part")),
        "{point}: a temp file left: {kept_file:?}"
    );
    let decisions: usize = kept_file
        .iter()
        .map(|n| {
            let bytes = std::fs::read(returns.join("2026Q3/.审核").join(n)).unwrap();
            serde_json::from_slice::<Vec<serde_json::Value>>(&bytes)
                .unwrap()
                .len()
        })
        .sum();
    let audited = rows(
        &store,
        "SELECT outcome FROM audit WHERE action = 'review.approve'",
    );
    assert_eq!(
        (decisions, audited.len()),
        if kept { (1, 1) } else { (0, 0) },
        "{point}"
    );
    assert!(
        rows(&store, "SELECT kind FROM intent").is_empty(),
        "{point}"
    );
    // What the province's `status` sees of the zone after the restart.
    let status: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/api/v1/status", server.base))
        .bearer_auth(&reviewer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let state = status[0]["state"].as_str().unwrap_or_default().to_string();
    assert_eq!(
        state,
        if kept {
            "审核通过"
        } else {
            "已报送待审"
        },
        "{point}: {status}"
    );
}

#[tokio::test]
async fn a_crash_at_any_point_of_a_review_leaves_the_decision_and_its_audit_together() {
    tokio::join!(
        crash_in_review_at("review.journaled", false),
        crash_in_review_at("review.written", false),
        crash_in_review_at("review.stored", true),
        crash_in_review_at("review.finished", true),
    );
}
