//! Two clerks of one zone uploading at the same moment: both uploads are
//! in the zone's history and F02 decides which counts; the same bytes
//! twice are stored once.

use std::sync::Arc;

use shuanggao::model::draft::Cell;
use tokio::sync::Barrier;

use crate::helpers::{draft_bytes, open_period, sample_file, spawn_app, Client, TestApp};
use crate::state::{assert_agree, log_of};

/// Two clerks of 无锡高新区 with API tokens.
fn two_clerks(app: &TestApp) -> (Client, Client) {
    for name in ["wx_a", "wx_b"] {
        app.add_user(name, shuanggao::serve::store::Scope::Zone("WX".into()));
    }
    (app.token_client("wx_a"), app.token_client("wx_b"))
}

/// `a` sends `first` and `b` sends `second`, both released at once.
async fn at_once(
    a: &Client,
    first: Vec<u8>,
    b: &Client,
    second: Vec<u8>,
) -> (serde_json::Value, serde_json::Value) {
    let gate = Arc::new(Barrier::new(2));
    let (g1, g2) = (gate.clone(), gate);
    tokio::join!(
        async move {
            g1.wait().await;
            a.submit(first).await
        },
        async move {
            g2.wait().await;
            b.submit(second).await
        },
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_clerks_of_one_zone_uploading_at_once_both_appear_and_f02_decides_which_counts() {
    let app = spawn_app().await;
    let (a, b) = two_clerks(&app);
    // The sample's correction has the later 填报日期 (2026-10-12, against
    // 2026-10-09): it counts, whichever arrives first.
    let (later, earlier) = at_once(
        &a,
        sample_file("无锡高新区_2026Q3_更正.xlsx"),
        &b,
        sample_file("无锡高新区_2026Q3_首次报送.xlsx"),
    )
    .await;
    assert_ne!(later["submission"], earlier["submission"]);
    let shown = |r: &serde_json::Value| r["submission"].as_i64().unwrap();
    let later_now: serde_json::Value = a.api_show(shown(&later)).await.json().await.unwrap();
    let earlier_now: serde_json::Value = a.api_show(shown(&earlier)).await.json().await.unwrap();
    assert_eq!(later_now["verdict"], "通过", "{later_now}");
    assert_eq!(earlier_now["verdict"], "已被取代", "{earlier_now}");

    let period = open_period().to_string();
    assert_agree(app.store(), &app.returns, &period);
    let log = log_of(app.store(), &period);
    let who: Vec<(&str, &str, &str)> = log
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str(), r[2].as_str()))
        .collect();
    let mut expected = vec![
        (later_now["file"].as_str().unwrap(), "api", "wx_a"),
        (earlier_now["file"].as_str().unwrap(), "api", "wx_b"),
    ];
    expected.sort();
    assert_eq!(
        who, expected,
        "both in the submission log, each with its clerk"
    );
    // The zone's page lists both, each with its clerk.
    let page = app
        .clerk("wx_page", "WX")
        .await
        .home()
        .await
        .text()
        .await
        .unwrap();
    for (file, clerk) in [(&later_now, "wx_a"), (&earlier_now, "wx_b")] {
        let name = file["file"].as_str().unwrap().split_once('/').unwrap().1;
        assert!(page.contains(name), "{name} on the zone's page");
        assert!(page.contains(&format!("接口上传（{clerk}）")), "{clerk}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_file_sent_by_two_clerks_at_the_same_instant_is_stored_once() {
    let app = spawn_app().await;
    let (a, b) = two_clerks(&app);
    let period = open_period().to_string();
    for round in 1..=3 {
        let bytes = draft_bytes("WX", |d| {
            for (label, value) in d.basic.iter_mut() {
                if label == "填报人" {
                    *value = Cell::Text(format!("第{round}次"));
                }
            }
        });
        let (one, two) = at_once(&a, bytes.clone(), &b, bytes).await;
        assert_eq!(one["submission"], two["submission"], "round {round}");
        assert_agree(app.store(), &app.returns, &period);
        assert_eq!(
            log_of(app.store(), &period).len(),
            round,
            "round {round}: one file, one row"
        );
    }
}
