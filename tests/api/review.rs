//! Review by level through the portal: the tables of
//! docs/review-workflow.md walked row by row (the forbidden rows too), the
//! send-back as the zone sees it (page, feedback workbook, notices,
//! `status`), the reviewers' list, and the audit route.

use reqwest::StatusCode;
use shuanggao::model::draft::{Cell, Draft};
use shuanggao::model::Level;
use shuanggao::serve::store::Scope;

use crate::helpers::{draft_bytes, root, spawn_app_with, status_json, Client, Options, TestApp};

const ZONE: &str = "CZ";
const CITY: &str = "常州市";

/// One row of a table: from, event, who, to.
#[derive(Debug, Clone)]
struct Row {
    from: String,
    event: String,
    who: String,
    to: String,
}

/// The rows of the table marked `<!-- transitions: {mark} -->`.
fn table(mark: &str) -> Vec<Row> {
    let doc = std::fs::read_to_string(root().join("docs/review-workflow.md")).unwrap();
    let start = doc
        .find(&format!("<!-- transitions: {mark} -->"))
        .unwrap_or_else(|| panic!("table {mark}"));
    let body = &doc[start..];
    let body = &body[..body.find("<!-- end -->").unwrap()];
    body.lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("| 从") && !l.starts_with("|---"))
        .map(|l| {
            let cells: Vec<String> = l
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect();
            Row {
                from: cells[0].clone(),
                event: cells[1].clone(),
                who: cells[2].clone(),
                to: cells[3].clone(),
            }
        })
        .collect()
}

fn dated(d: &mut Draft, day: u32) {
    for (label, value) in d.basic.iter_mut() {
        if label == "填报日期" {
            *value = Cell::Date(chrono::NaiveDate::from_ymd_opt(2026, 10, day).unwrap());
        }
    }
}

/// 常州's return dated `day` of October: clean before the deadline (the
/// 15th), T03 (a warning) after it; with X01 (an error) when `error`.
pub fn return_of(day: u32, error: bool) -> Vec<u8> {
    draft_bytes(ZONE, |d| {
        dated(d, day);
        if error {
            if let Cell::Number(v) = d.indicators[0][4] {
                d.indicators[0][4] = Cell::Number(v + 1.0);
            }
        }
    })
}

/// The people of a row, logged in.
struct People {
    clerk: Client,
    city: Client,
    other_city: Client,
    province: Client,
}

async fn people(app: &TestApp) -> People {
    People {
        clerk: app.clerk("cz_clerk", ZONE).await,
        city: app.reviewer("cz_city", Scope::City(CITY.into())).await,
        other_city: app.reviewer("wx_city", Scope::City("无锡市".into())).await,
        province: app.reviewer("province", Scope::Province).await,
    }
}

impl People {
    fn by(&self, who: &str) -> &Client {
        match who {
            "填报员" => &self.clerk,
            "设区市审核员" => &self.city,
            "其他设区市审核员" => &self.other_city,
            "省级管理员" => &self.province,
            other => panic!("who: {other}"),
        }
    }
}

/// A walk through the portal: the zone's last upload, the next day to
/// date a file, and whether the province reviews after the city.
struct Walk {
    last: Option<i64>,
    day: u32,
    province_reviews: bool,
}

impl Walk {
    /// Uploads; `Some(refusal)` when the upload was refused.
    async fn upload(&mut self, p: &People, kind: &str) -> Option<String> {
        let bytes = match kind {
            "上传：无错误、无警告" => return_of(self.day, false),
            "上传：有错误" => return_of(self.day, true),
            "上传：有警告" => return_of(20 + self.day, false),
            other => panic!("upload: {other}"),
        };
        self.day += 1;
        let csrf = p.clerk.csrf().await;
        let r = p.clerk.api_upload_with(bytes, Some(&csrf)).await;
        let status = r.status();
        let body: serde_json::Value = r.json().await.unwrap();
        if status == StatusCode::CREATED {
            self.last = body["submission"].as_i64();
            return None;
        }
        let message = body["message"].as_str().unwrap_or_default();
        assert!(message.contains("锁定"), "{status} {message}");
        Some("（拒绝：锁定）".into())
    }

    async fn decide(&self, client: &Client, action: &str, comment: &str) -> StatusCode {
        let id = self.last.expect("an upload to decide on");
        client.api_review(id, action, comment).await.status()
    }

    /// Brings the zone to `from` (the table's first column).
    async fn reach(&mut self, p: &People, from: &str) {
        let upload = ("填报员", "上传：无错误、无警告");
        let city_approves = ("设区市审核员", "审核通过");
        let mut steps: Vec<(&str, &str)> = match from {
            "未报送" => vec![],
            "待说明" => vec![("填报员", "上传：有警告")],
            "已报送待审" => vec![upload],
            "退回修改" => vec![("填报员", "上传：有错误")],
            "退回修改（审核退回）" => vec![upload, ("设区市审核员", "退回")],
            "审核通过" | "已报送待审（待省级）" => vec![upload, city_approves],
            other => panic!("from: {other}"),
        };
        if from == "审核通过" && self.province_reviews {
            steps.push(("省级管理员", "审核通过"));
        }
        for (who, event) in steps {
            let refused = self.act(p, who, event).await;
            assert!(refused.is_none(), "reaching {from}: {event} {refused:?}");
        }
    }

    /// Does the event; `Some(refusal)` when it was refused.
    async fn act(&mut self, p: &People, who: &str, event: &str) -> Option<String> {
        let comment = "SG01 累计值与项目清单行数不符，请核对后重报";
        let status = match event {
            e if e.starts_with("上传") => return self.upload(p, e).await,
            "填写情况说明" => {
                let csrf = p.clerk.csrf().await;
                let id = self.last.unwrap();
                let fields = [
                    ("_csrf", csrf.as_str()),
                    ("rule_0", "T03"),
                    ("loc_0", "基本信息!B8"),
                    ("text_0", "国庆假期后系统升级，经省科技厅同意延后报送"),
                ];
                let r = p.clerk.explain(id, &fields).await;
                assert_eq!(r.status(), StatusCode::SEE_OTHER);
                StatusCode::OK
            }
            "审核通过" => self.decide(p.by(who), "approve", "").await,
            "退回" => self.decide(p.by(who), "return", comment).await,
            "退回（无审核意见）" => self.decide(p.by(who), "return", " ").await,
            "重新开放" => self.decide(p.by(who), "reopen", "").await,
            other => panic!("event: {other}"),
        };
        (!status.is_success()).then(|| format!("（拒绝 {}）", status.as_u16()))
    }
}

/// The zone's state as its page shows it, in the table's words.
async fn shown(clerk: &Client) -> String {
    let (state, review) = clerk.zone_state().await;
    if review.contains("省科技厅审核") {
        format!("{state}（待省级）")
    } else {
        state
    }
}

async fn walk_table(mark: &str, levels: Vec<Level>) {
    let rows = table(mark);
    assert!(rows.len() >= 8, "{mark}: {} rows", rows.len());
    for row in rows {
        let deadline_passed = row.event == "截止日已过";
        let app = spawn_app_with(Options {
            review_levels: Some(levels.clone()),
            today: chrono::NaiveDate::from_ymd_opt(2026, 10, if deadline_passed { 20 } else { 10 })
                .unwrap(),
            ..Options::default()
        })
        .await;
        let p = people(&app).await;
        let mut walk = Walk {
            last: None,
            day: 1,
            province_reviews: levels.contains(&Level::Province),
        };
        walk.reach(&p, &row.from).await;
        let refused = if deadline_passed {
            None
        } else {
            walk.act(&p, &row.who, &row.event).await
        };
        let after = match refused {
            Some(refusal) => refusal,
            None => shown(&p.clerk).await,
        };
        assert_eq!(after, row.to, "{row:?}");
        app.running.stop();
    }
}

#[tokio::test]
async fn the_city_review_table_in_docs_is_what_the_portal_does() {
    walk_table("city", vec![Level::City]).await;
}

#[tokio::test]
async fn the_city_and_province_table_in_docs_is_what_the_portal_does() {
    walk_table("city, province", vec![Level::City, Level::Province]).await;
}

#[tokio::test]
async fn a_send_back_reaches_the_zone_its_feedback_its_notices_and_status() {
    let app = spawn_app_with(Options::default()).await;
    let p = people(&app).await;
    let receipt = p.clerk.submit(return_of(1, false)).await;
    let id = receipt["submission"].as_i64().unwrap();
    // The city's reviewer was told, and lists it as waiting.
    let home = p.city.home().await.text().await.unwrap();
    assert!(
        home.contains("待您审核（1）") && home.contains("常州高新区的报表已通过校验，待您审核"),
        "{home}"
    );
    let comment = "项目清单第3行合作企业名称与营业执照不一致，请更正";
    let r = p.city.review_form(id, "return", comment).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The zone's page: state, the comment, the notice.
    let home = p.clerk.home().await.text().await.unwrap();
    assert!(
        home.contains("退回修改") && home.contains(comment),
        "{home}"
    );
    assert!(home.contains("常州市科技局退回了本区"), "{home}");
    // The result page and the feedback workbook carry R01 with the comment.
    let page = p.clerk.result(id).await.text().await.unwrap();
    assert!(
        page.contains("R01") && page.contains("常州市科技局审核退回"),
        "{page}"
    );
    let book = p.clerk.feedback(id).await.bytes().await.unwrap();
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(book)).unwrap();
    use calamine::Reader;
    let texts: Vec<String> = wb
        .worksheets()
        .into_iter()
        .flat_map(|(_, range)| {
            range
                .used_cells()
                .map(|(_, _, v)| v.to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        texts.iter().any(|t| t.contains(comment)),
        "feedback has the comment"
    );
    assert!(
        texts.iter().any(|t| t.contains("R01")),
        "feedback lists R01"
    );
    // `status`, run on the folder as the province runs it, agrees.
    let status = status_json(&app.returns);
    let cz = status.iter().find(|s| s["zone"] == "常州高新区").unwrap();
    assert_eq!(cz["state"], "退回修改");
    assert_eq!(cz["status"], "退回修改");
    assert!(cz["reason"].as_str().unwrap().contains(comment));
    assert_eq!(cz["basis"], "沿用上期");
    // Fixed and sent again, then approved: 审核通过 everywhere, locked.
    let again = p.clerk.submit(return_of(2, false)).await;
    let id2 = again["submission"].as_i64().unwrap();
    let r = p.city.api_review(id2, "approve", "").await;
    assert_eq!(r.status(), StatusCode::OK);
    let outcome: serde_json::Value = r.json().await.unwrap();
    assert_eq!(outcome["state"], "审核通过");
    let status = status_json(&app.returns);
    let cz = status.iter().find(|s| s["zone"] == "常州高新区").unwrap();
    assert_eq!(
        (cz["state"].as_str(), cz["basis"].as_str()),
        (Some("审核通过"), Some("本期"))
    );
    let home = p.clerk.home().await.text().await.unwrap();
    assert!(
        home.contains("已审核通过并锁定") && home.contains("本区2026年第三季度的报表已审核通过")
    );
    // The decision is in the audit, and in the server's log through the sender.
    let audit = app.audit();
    assert!(audit.iter().any(
        |(who, action, outcome, _)| who.as_deref() == Some("cz_city")
            && action == "review.return"
            && outcome.starts_with("ok")
    ));
    assert!(app.log_text().contains("通知 zone:CZ 退回"));
}

#[tokio::test]
async fn the_audit_route_is_for_the_province_only_and_starts_at_since() {
    let app = spawn_app_with(Options::default()).await;
    let p = people(&app).await;
    let receipt = p.clerk.submit(return_of(1, false)).await;
    let id = receipt["submission"].as_i64().unwrap();
    assert_eq!(
        p.city.api_review(id, "approve", "").await.status(),
        StatusCode::OK
    );
    for client in [&p.clerk, &p.city] {
        assert_eq!(
            client.api_audit("2026-01-01").await.status(),
            StatusCode::FORBIDDEN
        );
    }
    let r = p.province.api_audit("2000-01-01").await;
    assert_eq!(r.status(), StatusCode::OK);
    let rows: Vec<serde_json::Value> = r.json().await.unwrap();
    assert!(rows
        .iter()
        .any(|r| r["action"] == "review.approve" && r["username"] == "cz_city"));
    assert!(rows
        .iter()
        .any(|r| r["action"] == "upload" && r["zone"] == "CZ"));
    // Nothing is after tomorrow; a bad date is a 400 in Chinese.
    let tomorrow = (chrono::Local::now() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let later: Vec<serde_json::Value> = p.province.api_audit(&tomorrow).await.json().await.unwrap();
    assert!(later.is_empty());
    let bad = p.province.api_audit("昨天").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(bad.text().await.unwrap().contains("格式不对"));
}

#[tokio::test]
async fn a_reviewer_of_another_city_neither_sees_nor_decides() {
    let app = spawn_app_with(Options::default()).await;
    let p = people(&app).await;
    let receipt = p.clerk.submit(return_of(1, false)).await;
    let id = receipt["submission"].as_i64().unwrap();
    assert_eq!(
        p.other_city.result(id).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        p.other_city.review_form(id, "approve", "").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        p.other_city.api_review(id, "approve", "").await.status(),
        StatusCode::FORBIDDEN
    );
    let home = p.other_city.home().await.text().await.unwrap();
    assert!(!home.contains("常州高新区"), "another city's zone listed");
    // The form needs the session's CSRF token.
    let r = p
        .city
        .post_form(&format!("/returns/{id}/review"), &[("action", "approve")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Nothing was decided.
    let (state, _) = p.clerk.zone_state().await;
    assert_eq!(state, "已报送待审");
}
