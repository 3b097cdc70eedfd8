//! Zone clerks' returns through the portal: the verdict and findings at
//! once (equal to `check --format json`), refusals, corrections,
//! explanations, files dropped in by hand, templates, feedback, status.

use std::collections::BTreeMap;

use reqwest::StatusCode;
use shuanggao::model::draft::{Cell, Draft};
use shuanggao::serve::store::Scope;

use crate::helpers::{
    check_json, draft_bytes, sample_file, spawn_app, spawn_app_with, status_json, Options,
};

/// 常州 with 累计值 of SG01 one more than its project rows (X01 at
/// 核心指标!E4) and dated after the deadline (T03 at 基本信息!B8).
pub fn with_error(d: &mut Draft) {
    late(d);
    if let Cell::Number(v) = d.indicators[0][4] {
        d.indicators[0][4] = Cell::Number(v + 1.0);
    }
}

/// Dated 2026-10-20, after the deadline 2026-10-15: T03, a warning.
pub fn late(d: &mut Draft) {
    dated(d, 20);
}

/// The correction of [`with_error`]: dated a day later (a correction
/// carries its own 填报日期; two files of one date that differ are an F02
/// conflict), the error mended, still late.
pub fn corrected(d: &mut Draft) {
    dated(d, 21);
}

fn dated(d: &mut Draft, day: u32) {
    for (label, value) in d.basic.iter_mut() {
        if label == "填报日期" {
            *value = Cell::Date(chrono::NaiveDate::from_ymd_opt(2026, 10, day).unwrap());
        }
    }
}

fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[tokio::test]
async fn a_clerk_uploads_and_sees_the_verdict_and_every_finding_at_once() {
    let app = spawn_app().await;
    let client = app.clerk("cz_clerk", "CZ").await;
    let csrf = client.csrf().await;
    let started = std::time::Instant::now();
    let r = client
        .upload_page(draft_bytes("CZ", with_error), Some(&csrf))
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    let page = client.get(&to).await.text().await.unwrap();
    println!("upload to result: {:?}", started.elapsed());
    assert!(page.contains("校验结论：退回修改"), "{page}");
    assert!(page.contains("核心指标!E4"));
    assert!(page.contains("X01"));
    assert!(page.contains("基本信息!B8"));
    // Stored under the server's name, never the client's ("../../报表.xlsx").
    let stored = files_in(&app.returns.join("2026Q3"));
    assert_eq!(stored.len(), 1);
    assert!(
        stored[0].starts_with("常州高新区_2026Q3_网上报送_") && stored[0].ends_with(".xlsx"),
        "{stored:?}"
    );
    assert!(
        !app.returns.join("报表.xlsx").exists()
            && !app.returns.parent().unwrap().join("报表.xlsx").exists()
    );
    let home = client.home().await.text().await.unwrap();
    assert!(home.contains("退回修改"));
}

#[tokio::test]
async fn findings_through_the_portal_equal_check_json_for_the_same_folder() {
    let app = spawn_app().await;
    let config = crate::helpers::config();
    let mut clients = BTreeMap::new();
    let mut ids = Vec::new();
    let dir = crate::helpers::root().join("inputs/returns/2026Q3");
    for name in files_in(&dir) {
        let bytes = std::fs::read(dir.join(&name)).unwrap();
        let zone = config
            .registry
            .zones
            .iter()
            .find(|z| name.starts_with(&format!("{}_", z.name)))
            .unwrap();
        let client = clients.entry(zone.code.to_string()).or_insert_with(|| {
            let user = format!("u{}", zone.code);
            app.add_user(&user, Scope::Zone(zone.code.to_string()));
            app.token_client(&user)
        });
        let receipt = client.submit(bytes).await;
        ids.push((
            zone.code.to_string(),
            receipt["submission"].as_i64().unwrap(),
        ));
    }
    // And a file with errors the sample does not have.
    app.add_user("ucz2", Scope::Zone("CZ".into()));
    let cz = app.token_client("ucz2");
    let receipt = cz.submit(draft_bytes("CZ", with_error)).await;
    ids.push(("CZ".into(), receipt["submission"].as_i64().unwrap()));
    assert_eq!(receipt["verdict"], "退回修改");

    let expected = check_json(&app.returns, "2026Q3", &[]);
    let mut by_file: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for f in expected {
        by_file
            .entry(f["file"].as_str().unwrap().to_string())
            .or_default()
            .push(f);
    }
    let mut compared = 0;
    for (zone, id) in ids {
        let shown: serde_json::Value = clients
            .get(&zone)
            .unwrap_or(&cz)
            .api_show(id)
            .await
            .json()
            .await
            .unwrap();
        let file = shown["file"].as_str().unwrap();
        let want = by_file.get(file).cloned().unwrap_or_default();
        assert_eq!(shown["findings"].as_array().unwrap(), &want, "{file}");
        compared += want.len();
    }
    assert!(
        compared >= 12,
        "the sample's findings and the broken file's: {compared}"
    );
}

#[tokio::test]
async fn an_unreadable_file_is_refused_with_the_f01_that_check_gives() {
    let app = spawn_app().await;
    let client = app.clerk("cz_clerk", "CZ").await;
    let broken = b"PK\x03\x04 this is not a workbook".to_vec();
    let csrf = client.csrf().await;
    let r = client.api_upload_with(broken.clone(), Some(&csrf)).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("无法读取"));
    let path = app.returns.join("broken.xlsx");
    std::fs::write(&path, &broken).unwrap();
    let want = check_json(&app.returns, "2026Q3", &[&path]);
    let got = &body["findings"][0];
    assert_eq!(got["rule"], "F01");
    assert_eq!(got["rule"], want[0]["rule"]);
    assert_eq!(got["severity"], want[0]["severity"]);
    assert_eq!(got["message"], want[0]["message"]);
    assert!(
        files_in(&app.returns.join("2026Q3")).is_empty(),
        "nothing stored"
    );
}

#[tokio::test]
async fn a_file_for_another_zone_or_period_is_refused_before_anything_is_stored() {
    let app = spawn_app().await;
    let client = app.clerk("cz_clerk", "CZ").await;
    let csrf = client.csrf().await;
    let r = client
        .api_upload_with(sample_file("无锡高新区_2026Q3_更正.xlsx"), Some(&csrf))
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let message = r.json::<serde_json::Value>().await.unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("这份报表是无锡高新区的") && message.contains("只能报送常州高新区"),
        "{message}"
    );
    let last =
        std::fs::read(crate::helpers::root().join("inputs/returns/2026Q2/常州高新区_2026Q2.xlsx"))
            .unwrap();
    let r = client.api_upload_with(last, Some(&csrf)).await;
    let message = r.json::<serde_json::Value>().await.unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("报告期是 2026Q2") && message.contains("现在收取的是 2026Q3"),
        "{message}"
    );
    // The page says it too, in its banner.
    let r = client
        .upload_page(sample_file("无锡高新区_2026Q3_更正.xlsx"), Some(&csrf))
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("未予接收"));
    assert!(files_in(&app.returns.join("2026Q3")).is_empty());
    let logged = app
        .store()
        .with(|c| shuanggao::serve::store::submissions::count(c))
        .unwrap();
    assert_eq!(logged, 72, "only the sample's earlier quarters are logged");
}

#[tokio::test]
async fn a_correction_wins_and_shows_the_cells_it_changed() {
    let app = spawn_app().await;
    let client = app.clerk("wuxi_clerk", "WX").await;
    // The sample's first file has an error (V04 at 项目清单!F4); its correction has none.
    let first = client
        .submit(sample_file("无锡高新区_2026Q3_首次报送.xlsx"))
        .await;
    assert_eq!(first["verdict"], "退回修改");
    let second = client
        .submit(sample_file("无锡高新区_2026Q3_更正.xlsx"))
        .await;
    assert_eq!(second["verdict"], "通过");
    let earlier: serde_json::Value = client
        .api_show(first["submission"].as_i64().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(earlier["verdict"], "已被取代");
    let id = second["submission"].as_i64().unwrap();
    let page = client.result(id).await.text().await.unwrap();
    assert!(page.contains("本次更正改动的单元格"));
    let shown: serde_json::Value = client.api_show(id).await.json().await.unwrap();
    let changes = shown["changes"].as_array().unwrap();
    assert!(!changes.is_empty());
    for c in changes {
        assert!(page.contains(&format!(
            "{}!{}",
            c["sheet"].as_str().unwrap(),
            c["cell"].as_str().unwrap()
        )));
    }
    let home = client.home().await.text().await.unwrap();
    assert!(home.contains("已报送"));
}

#[tokio::test]
async fn explanations_typed_in_the_page_count_as_the_sheets_and_boilerplate_is_refused() {
    let app = spawn_app().await;
    let client = app.clerk("cz_clerk", "CZ").await;
    let receipt = client.submit(draft_bytes("CZ", late)).await;
    assert_eq!(receipt["verdict"], "有警告");
    let id = receipt["submission"].as_i64().unwrap();
    let page = client.result(id).await.text().await.unwrap();
    assert!(page.contains("填写情况说明") && page.contains("待说明"));
    for boilerplate in ["核实无误", "无", ""] {
        let r = explain_text(&client, id, boilerplate).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{boilerplate}");
        let text = r.text().await.unwrap();
        assert!(
            text.contains("没有说明原因") || text.contains("不能为空"),
            "{boilerplate}"
        );
    }
    let r = explain_text(&client, id, "国庆假期后系统升级，经省科技厅同意延后报送").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = client.result(id).await.text().await.unwrap();
    assert!(page.contains("已说明") && page.contains("国庆假期后系统升级"));
    // `status` on the folder, as the province runs it, counts it explained.
    let status = status_json(&app.returns);
    let cz = status.iter().find(|s| s["zone"] == "常州高新区").unwrap();
    assert_eq!(
        (cz["warnings"].as_i64(), cz["unexplained"].as_i64()),
        (Some(1), Some(0))
    );
}

/// 情况说明 for the one warning (T03 at 基本信息!B8) of submission `id`.
async fn explain_text(client: &crate::helpers::Client, id: i64, text: &str) -> reqwest::Response {
    let csrf = client.csrf().await;
    client
        .explain(
            id,
            &[
                ("_csrf", &csrf),
                ("rule_0", "T03"),
                ("loc_0", "基本信息!B8"),
                ("text_0", text),
            ],
        )
        .await
}

#[tokio::test]
async fn a_file_dropped_into_the_folder_by_hand_shows_in_the_portal() {
    let app = spawn_app_with(Options {
        with_open_quarter: true,
        ..Options::default()
    })
    .await;
    let client = app.clerk("cz_clerk", "CZ").await;
    let home = client.home().await.text().await.unwrap();
    assert!(home.contains("常州高新区_2026Q3.xlsx") && home.contains("省里放入报表目录"));
    assert!(home.contains("退回修改"));
    // Dropped while the server runs: shown at the next look.
    std::fs::copy(
        crate::helpers::root().join("inputs/returns/2026Q3/常州高新区_2026Q3.xlsx"),
        app.returns.join("2026Q3/常州高新区_2026Q3_改.xlsx"),
    )
    .unwrap();
    let home = client.home().await.text().await.unwrap();
    assert!(home.contains("常州高新区_2026Q3_改.xlsx"));
}

#[tokio::test]
async fn the_template_is_the_one_the_template_command_makes() {
    let app = spawn_app().await;
    let client = app.clerk("cz_clerk", "CZ").await;
    let r = client.template().await;
    assert_eq!(r.status(), StatusCode::OK);
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.contains("filename*=UTF-8''"));
    let bytes = r.bytes().await.unwrap();
    let out = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_shuanggao"))
        .args([
            "template",
            "--zone",
            "CZ",
            "--period",
            "2026Q3",
            "--returns",
        ])
        .arg(&app.returns)
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(status.status.success());
    let made = std::fs::read(out.path().join("常州高新区_2026Q3_季度报表.xlsx")).unwrap();
    assert!(bytes[..] == made[..], "byte-identical to `template`");
}

#[tokio::test]
async fn the_feedback_workbook_lists_the_findings() {
    use calamine::Reader;
    let app = spawn_app().await;
    let client = app.clerk("cz_clerk", "CZ").await;
    let receipt = client.submit(draft_bytes("CZ", with_error)).await;
    let id = receipt["submission"].as_i64().unwrap();
    for r in [client.feedback(id).await, client.api_feedback(id).await] {
        assert_eq!(r.status(), StatusCode::OK);
        let bytes = r.bytes().await.unwrap().to_vec();
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let first = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&first).unwrap();
        let text: String = range
            .cells()
            .map(|(_, _, c)| c.to_string())
            .collect::<Vec<_>>()
            .join("|");
        assert!(text.contains("退回修改") && text.contains("X01"), "{text}");
    }
}

#[tokio::test]
async fn api_status_is_status_json_limited_to_what_the_caller_may_see() {
    let app = spawn_app_with(Options {
        with_open_quarter: true,
        ..Options::default()
    })
    .await;
    app.add_user("cz_clerk", Scope::Zone("CZ".into()));
    app.add_user("wuxi_city", Scope::City("无锡市".into()));
    app.add_user("province", Scope::Province);
    let all = status_json(&app.returns);
    let config = crate::helpers::config();
    for (user, expect) in [("cz_clerk", 1), ("wuxi_city", 2), ("province", 18)] {
        let r = app.token_client(user).api_status("2026Q3").await;
        assert_eq!(r.status(), StatusCode::OK);
        let got: Vec<serde_json::Value> = r.json().await.unwrap();
        assert_eq!(got.len(), expect, "{user}");
        for g in &got {
            assert!(all.contains(g));
        }
        if user == "wuxi_city" {
            let cities: Vec<&str> = got.iter().map(|g| g["city"].as_str().unwrap()).collect();
            assert!(cities.iter().all(|c| *c == "无锡市"));
            assert_eq!(
                config
                    .registry
                    .zones
                    .iter()
                    .filter(|z| z.city == "无锡市")
                    .count(),
                2
            );
        }
    }
    let r = app.token_client("province").api_status("20XX").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_zone_page_shows_the_state_the_deadline_and_what_to_do_next() {
    let app = spawn_app().await;
    let client = app.clerk("cz_clerk", "CZ").await;
    let home = client.home().await.text().await.unwrap();
    assert!(
        home.contains("未报送") && home.contains("2026-10-15") && home.contains("还有 5 天"),
        "{home}"
    );
    let late = spawn_app_with(Options {
        today: chrono::NaiveDate::from_ymd_opt(2026, 10, 20).unwrap(),
        ..Options::default()
    })
    .await;
    let client = late.clerk("cz_clerk", "CZ").await;
    let home = client.home().await.text().await.unwrap();
    assert!(home.contains("逾期") && home.contains("尚未收到本区报表"));
}
