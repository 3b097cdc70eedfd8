//! The province's pages: 报送情况 as `status --format json` gives it, the
//! 催报清单, the 核查优先清单 with 请核实 (asked, seen and answered by the
//! zone, shown to the province and in the audit log), the quarter's
//! report run in the background and downloaded; who may use them.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use shuanggao::serve::store::Scope;

use crate::helpers::{
    draft_bytes, review_json, spawn_app, spawn_app_with, status_json, Client, Options, TestApp,
};
use crate::returns::with_error;

async fn with_open_quarter() -> TestApp {
    spawn_app_with(Options {
        with_open_quarter: true,
        ..Options::default()
    })
    .await
}

/// The part of `page` from the element with `id` to the end of its section.
fn section<'p>(page: &'p str, id: &str) -> &'p str {
    let at = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let rest = &page[at..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

/// Text without tags, entities of maud's escaping undone.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .trim()
        .to_string()
}

/// A table's body rows as {data-label: text}.
fn rows(html: &str) -> Vec<BTreeMap<String, String>> {
    let body = &html[html.find("<tbody>").expect("a table")..];
    body.split("<tr")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .filter_map(|cell| {
                    let label = cell.split("data-label=\"").nth(1)?.split('"').next()?;
                    let content = &cell[cell.find('>')? + 1..];
                    let content = &content[..content.find("</td>").unwrap_or(content.len())];
                    Some((label.to_string(), text(content)))
                })
                .collect()
        })
        .collect()
}

/// The number in the element whose opening tag has `attribute`.
fn number(page: &str, attribute: &str) -> Option<usize> {
    let rest = &page[page.find(attribute)?..];
    rest[rest.find('>')? + 1..]
        .split('<')
        .next()?
        .trim()
        .parse()
        .ok()
}

/// The number in the element with `id`.
fn count(page: &str, id: &str) -> usize {
    number(page, &format!("id=\"{id}\"")).expect(id)
}

#[tokio::test]
async fn the_status_page_lists_every_zone_taking_part_with_the_state_status_json_gives() {
    let app = with_open_quarter().await;
    let province = app.province("sheng").await;
    let page = province.province_status(None).await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    let shown = rows(section(&page, "status"));
    let expected = status_json(&app.returns);
    assert_eq!(shown.len(), expected.len());
    for (row, want) in shown.iter().zip(&expected) {
        assert_eq!(row["高新区"], want["zone"].as_str().unwrap());
        assert_eq!(row["设区市"], want["city"].as_str().unwrap());
        // The one table's state (docs/review-workflow.md), 迟报 beside it.
        let state = want["state"].as_str().unwrap();
        let late = if want["status"] == "迟报" {
            " 迟报"
        } else {
            ""
        };
        assert_eq!(row["状态"], format!("{state}{late}"), "{row:?}");
        for (label, key) in [
            ("错误", "errors"),
            ("警告", "warnings"),
            ("待说明", "unexplained"),
        ] {
            assert_eq!(row[label], want[key].to_string(), "{label} of {row:?}");
        }
        assert_eq!(row["说明"], want["reason"].as_str().unwrap());
        let review = want["review_detail"].as_str().unwrap();
        assert_eq!(row["审核"], if review.is_empty() { "—" } else { review });
        // Files came by hand: each has a time and a link to its page.
        assert_ne!(row["最近上传"], "—");
    }
    // The counts add up and agree with the command.
    let of = |s: &str| expected.iter().filter(|w| w["state"] == s).count();
    assert_eq!(count(&page, "count-due"), expected.len());
    assert_eq!(
        count(&page, "count-received"),
        expected.len() - of("未报送")
    );
    assert_eq!(
        count(&page, "count-passed"),
        expected.len() - of("未报送") - of("退回修改")
    );
    let mut sum = 0;
    for state in [
        "未报送",
        "退回修改",
        "待说明",
        "已报送待审",
        "审核通过",
        "已报送",
    ] {
        let shown = number(&page, &format!("data-state=\"{state}\"")).unwrap_or(0);
        assert_eq!(shown, of(state), "{state}");
        sum += shown;
    }
    assert_eq!(sum, count(&page, "count-due"));
    // A link per zone to its latest submission, which the province may open.
    let link = page.split("href=\"/returns/").nth(1).unwrap();
    let id: i64 = link.split('"').next().unwrap().parse().unwrap();
    assert_eq!(province.result(id).await.status(), StatusCode::OK);
    // Filtered by city: only its zones.
    let wuxi = province
        .province_status(Some("无锡市"))
        .await
        .text()
        .await
        .unwrap();
    let shown = rows(section(&wuxi, "status"));
    let want = expected.iter().filter(|w| w["city"] == "无锡市").count();
    assert_eq!(shown.len(), want);
    assert!(shown.iter().all(|r| r["设区市"] == "无锡市"));
    assert_eq!(count(&wuxi, "count-due"), want);
}

#[tokio::test]
async fn the_chase_list_names_every_zone_that_owes_something_with_the_deadline() {
    let app = spawn_app().await;
    let clerk = app.clerk("cz_clerk", "CZ").await;
    clerk.submit(draft_bytes("CZ", with_error)).await;
    let province = app.province("sheng").await;
    let page = province.province_status(None).await.text().await.unwrap();
    let chase = section(&page, "chase");
    assert!(
        chase.contains("2026-10-15") && chase.contains("还有 5 天"),
        "{chase}"
    );
    let listed = rows(chase);
    // Owing: not reported, sent back, or warnings still to explain.
    let all = status_json(&app.returns);
    let want: Vec<&str> = all
        .iter()
        .filter(|w| w["state"] == "未报送" || w["state"] == "退回修改" || w["unexplained"] != 0)
        .map(|w| w["zone"].as_str().unwrap())
        .collect();
    let names: Vec<&str> = listed.iter().map(|r| r["高新区"].as_str()).collect();
    assert_eq!(names, want);
    let cz = listed.iter().find(|r| r["高新区"] == "常州高新区").unwrap();
    assert_eq!(cz["状态"], "退回修改");
    assert!(cz["需要做什么"].contains("X01"), "{cz:?}");
    // The same list as CSV, with a byte-order mark for Excel.
    let csv = province.chase_csv().await;
    assert_eq!(csv.status(), StatusCode::OK);
    let bytes = csv.bytes().await.unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let zones: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert_eq!(zones, want);
    assert!(text.contains("2026-10-15") && text.contains("还有 5 天"));
}

/// The query id in a page's answer form.
fn query_id(page: &str) -> i64 {
    let at = page.find("action=\"/queries/").expect("an answer form") + 17;
    page[at..].split('/').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_query_is_asked_seen_by_the_zone_answered_and_shown_to_the_province_and_in_the_audit() {
    let app = with_open_quarter().await;
    let items = review_json(&app.returns);
    let item = &items[0];
    let zone = item["zone_code"].as_str().unwrap();
    let indicator = item["indicator"].as_str().unwrap();
    let province = app.province("sheng").await;
    let review = province.province_review().await.text().await.unwrap();
    let listed = rows(section(&review, "review"));
    assert_eq!(listed.len(), items.len());
    for (row, i) in listed.iter().zip(&items) {
        assert_eq!(row["序"], i["rank"].to_string());
        assert_eq!(row["高新区"], i["zone"].as_str().unwrap());
        assert_eq!(row["指标"], i["indicator_name"].as_str().unwrap());
        assert_eq!(row["原因"], i["reason"].as_str().unwrap());
    }
    let csrf = province.csrf().await;
    let empty = province.ask(&csrf, zone, indicator, "  ").await;
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);
    let unknown = province.ask(&csrf, zone, "SG99", "请核实").await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    let question = "请核实本项<script>alert(1)</script>是否含上季度数据";
    let asked = province.ask(&csrf, zone, indicator, question).await;
    assert_eq!(asked.status(), StatusCode::SEE_OTHER);

    // The zone is told (a notice), and sees the value and the question,
    // escaped.
    let notices = |kind: &str, scope: Option<&str>| -> i64 {
        app.store()
            .with(|c| {
                c.query_row(
                    "SELECT COUNT(*) FROM notice WHERE kind = ?1 AND scope IS ?2",
                    (kind, scope),
                    |r| r.get(0),
                )
            })
            .unwrap()
    };
    assert_eq!(notices("query", Some(zone)), 1);
    let clerk = app.clerk("clerk", zone).await;
    let home = clerk.home().await.text().await.unwrap();
    let queries = section(&home, "queries");
    assert!(queries.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!home.contains("<script>alert"));
    assert!(queries.contains(item["indicator_name"].as_str().unwrap()));
    assert!(queries.contains(&format!(
        "{}!{}",
        item["sheet"].as_str().unwrap(),
        item["cell"].as_str().unwrap()
    )));
    let id = query_id(queries);

    // An empty or boilerplate answer is refused, like a 情况说明.
    let csrf = clerk.csrf().await;
    for said in ["", "核实无误"] {
        let r = clerk.answer(&csrf, id, said).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{said}");
    }
    let answer = "本季度新签<b>3</b>个项目，数据无误";
    let r = clerk.answer(&csrf, id, answer).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let home = clerk.home().await.text().await.unwrap();
    assert!(home.contains("本季度新签&lt;b&gt;3&lt;/b&gt;个项目"));
    assert_eq!(notices("answer", None), 1);

    // The province sees the answer beside the value.
    let review = province.province_review().await.text().await.unwrap();
    let at = review
        .find("本季度新签&lt;b&gt;3&lt;/b&gt;个项目")
        .expect("the answer");
    let row_start = review[..at].rfind("<tr").unwrap();
    assert!(review[row_start..at].contains(item["indicator_name"].as_str().unwrap()));
    assert_eq!(province.query(id).await.status(), StatusCode::OK);
    // The province does not answer for the zone.
    let csrf = province.csrf().await;
    let r = province.answer(&csrf, id, "省里代为回复，数据无误").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let audit = app.audit();
    let asked: Vec<_> = audit.iter().filter(|a| a.1 == "query.ask").collect();
    assert!(asked
        .iter()
        .any(|a| a.2.starts_with("ok") && a.2.contains(question) && a.3.as_deref() == Some(zone)));
    assert!(asked.iter().any(|a| a.2.starts_with("refused")));
    let answered: Vec<_> = audit.iter().filter(|a| a.1 == "query.answer").collect();
    assert_eq!(answered.iter().filter(|a| a.2 == "refused").count(), 2);
    assert!(answered.iter().any(|a| a.2 == format!("ok: {answer}")
        && a.0.as_deref() == Some("clerk")
        && a.3.as_deref() == Some(zone)));
}

#[tokio::test]
async fn another_zone_cannot_see_or_answer_a_query() {
    let app = with_open_quarter().await;
    let item = &review_json(&app.returns)[0];
    let zone = item["zone_code"].as_str().unwrap();
    let province = app.province("sheng").await;
    let csrf = province.csrf().await;
    let question = "请核实这项数据的口径";
    let r = province
        .ask(&csrf, zone, item["indicator"].as_str().unwrap(), question)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let clerk = app.clerk("clerk", zone).await;
    let id = query_id(&clerk.home().await.text().await.unwrap());
    let other = if zone == "CZ" { "WX" } else { "CZ" };
    let stranger = app.clerk("stranger", other).await;
    assert!(!stranger
        .home()
        .await
        .text()
        .await
        .unwrap()
        .contains(question));
    assert_eq!(stranger.query(id).await.status(), StatusCode::NOT_FOUND);
    let csrf = stranger.csrf().await;
    let r = stranger.answer(&csrf, id, "替别的区回复一下这个问题").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let city = app.reviewer("city", Scope::City("南京市".into())).await;
    if !["NJGL", "NJJY"].contains(&zone) {
        assert_eq!(city.query(id).await.status(), StatusCode::NOT_FOUND);
    }
    let q = app
        .store()
        .with(|c| shuanggao::serve::store::queries::by_id(c, id))
        .unwrap()
        .unwrap();
    assert_eq!(q.answer, None);
}

/// Every file under `dir`, recursively.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .flat_map(|e| {
            if e.path().is_dir() {
                walk(&e.path())
            } else {
                vec![e.path()]
            }
        })
        .collect()
}

/// The run's stage as the reports page shows it (empty before any run).
fn stage(page: &str) -> String {
    page.find("id=\"run-stage\">")
        .map(|at| text(&page[at + 15..][..page[at + 15..].find("</dd>").unwrap()]))
        .unwrap_or_default()
}

/// Polls the reports page until the run ends; the page when it did.
async fn wait_for_run(client: &Client) -> String {
    let started = Instant::now();
    loop {
        let page = client.reports_page().await.text().await.unwrap();
        if ["完成", "失败"].contains(&stage(&page).as_str()) {
            return page;
        }
        assert!(
            page.contains("http-equiv=\"refresh\""),
            "a running page refreshes itself"
        );
        assert!(started.elapsed() < Duration::from_secs(300), "run too slow");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

#[tokio::test]
async fn the_report_runs_in_the_background_one_at_a_time_and_every_output_downloads() {
    let app = with_open_quarter().await;
    let province = app.province("sheng").await;
    let csrf = province.csrf().await;
    let r = province.run_report(&csrf, false).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // A second run while the first goes on is refused.
    let again = province.run_report(&csrf, true).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(again
        .text()
        .await
        .unwrap()
        .contains("已有一次季度报告正在运行"));
    let page = wait_for_run(&province).await;
    assert_eq!(stage(&page), "完成", "{}", section(&page, "run"));
    assert!(section(&page, "run").contains("用时"));
    assert!(!page.contains("http-equiv=\"refresh\""));

    // The brief: a PDF whose text has the quarter's title.
    let pdf_name = "双高协同领导简报_2026Q3.pdf";
    assert!(section(&page, "published").contains(pdf_name));
    let pdf = province.report_file("2026Q3", pdf_name).await;
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text: String = pdf_extract::extract_text_from_mem(&bytes)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(
        text.contains("2026年第三季度"),
        "{}",
        &text[..200.min(text.len())]
    );
    // The workbook, as written to the data folder.
    let book_name = "双高协同季度报告_2026Q3.xlsx";
    let book = province.report_file("2026Q3", book_name).await;
    assert_eq!(book.status(), StatusCode::OK);
    let bytes = book.bytes().await.unwrap();
    let on_disk = std::fs::read(app.data.join("reports/2026Q3").join(book_name)).unwrap();
    assert_eq!(bytes.to_vec(), on_disk);
    use calamine::Reader;
    let book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert!(book.sheet_names().len() > 3);
    // Every file written is listed and downloads: 一图读懂, charts, the
    // city and zone pages, the feedback workbooks.
    let listed = section(&page, "published");
    assert!(listed.contains(">一图读懂_2026Q3.png<"));
    let links: Vec<&str> = listed
        .split("href=\"/province/reports/2026Q3/")
        .skip(1)
        .map(|l| l.split('"').next().unwrap())
        .collect();
    let on_disk = walk(&app.data.join("reports/2026Q3"));
    assert_eq!(links.len(), on_disk.len());
    for (folder, least) in [
        ("charts/", 10),
        ("%E5%88%86%E5%B8%82", 13),
        ("%E5%88%86%E5%8C%BA", 18),
    ] {
        assert!(
            links.iter().filter(|l| l.starts_with(folder)).count() >= least,
            "{folder}"
        );
    }
    for link in &links {
        let r = province
            .get(&format!("/province/reports/2026Q3/{link}"))
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{link}");
        let bytes = r.bytes().await.unwrap();
        if link.ends_with(".png") {
            assert!(bytes.starts_with(b"\x89PNG"), "{link}");
        }
        if link.ends_with(".pdf") {
            assert!(bytes.starts_with(b"%PDF-"), "{link}");
        }
    }
    let audit = app.audit();
    let runs: Vec<&str> = audit
        .iter()
        .filter(|a| a.1 == "report.run")
        .map(|a| a.2.as_str())
        .collect();
    assert_eq!(runs, ["started", "refused: busy", "ok"]);
    assert!(audit
        .iter()
        .any(|a| a.1 == "download" && a.2 == "ok" && a.0.as_deref() == Some("sheng")));
    // Once done, the next run may start.
    let r = province.run_report(&csrf, true).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    wait_for_run(&province).await;
}

#[tokio::test]
async fn a_report_download_never_leaves_the_report_folder() {
    let app = spawn_app().await;
    let folder = app.data.join("reports/2026Q3");
    std::fs::create_dir_all(folder.join("charts")).unwrap();
    std::fs::write(folder.join("说明.txt"), "报告").unwrap();
    std::fs::write(folder.join("charts/a.png"), b"\x89PNG").unwrap();
    std::fs::write(folder.join(".hidden"), "x").unwrap();
    std::fs::write(app.data.join("secret.txt"), "secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(app.data.join("secret.txt"), folder.join("link.txt")).unwrap();
    let province = app.province("sheng").await;
    assert_eq!(
        province.report_file("2026Q3", "说明.txt").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        province
            .report_file("2026Q3", "charts/a.png")
            .await
            .status(),
        StatusCode::OK
    );
    for path in [
        "/province/reports/2026Q3/../../secret.txt",
        "/province/reports/2026Q3/..%2F..%2Fsecret.txt",
        "/province/reports/2026Q3/%2e%2e/%2e%2e/secret.txt",
        "/province/reports/2026Q3/%2E%2E%2F%2E%2E%2Fportal.sqlite3",
        "/province/reports/2026Q3/charts/../../../secret.txt",
        "/province/reports/2026Q3//etc/passwd",
        "/province/reports/2026Q3/%2Fetc%2Fpasswd",
        "/province/reports/2026Q3/..%5C..%5Csecret.txt",
        "/province/reports/..%2F..%2F/secret.txt",
        "/province/reports/2026Q3/.hidden",
        "/province/reports/2026Q3/link.txt",
        "/province/reports/2026Q3/charts",
        "/province/reports/2026Q3/nothing.pdf",
    ] {
        assert_eq!(province.raw_get_status(path).await, 404, "{path}");
    }
    assert_eq!(
        province
            .raw_get_status("/province/reports/2026Q3/%E8%AF%B4%E6%98%8E.txt")
            .await,
        200
    );
}

#[tokio::test]
async fn a_zone_clerk_and_a_city_reviewer_are_refused_every_province_route() {
    let app = with_open_quarter().await;
    let folder = app.data.join("reports/2026Q3");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("a.txt"), "报告").unwrap();
    let clerk = app.clerk("clerk", "CZ").await;
    let city = app.reviewer("city", Scope::City("常州市".into())).await;
    for client in [&clerk, &city] {
        for r in [
            client.province_status(None).await,
            client.chase_csv().await,
            client.province_review().await,
            client.reports_page().await,
            client.report_file("2026Q3", "a.txt").await,
        ] {
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{}", r.url());
        }
        let csrf = client.csrf().await;
        let r = client.ask(&csrf, "CZ", "SG01", "请核实这项数据").await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = client.run_report(&csrf, true).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    // Not logged in: the login page.
    let anonymous = app.client();
    assert_eq!(
        anonymous.province_status(None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert!(app.running.app.runs.latest().is_none());
    let audit = app.audit();
    assert!(!audit
        .iter()
        .any(|a| a.1 == "report.run" || a.1 == "query.ask"));
}

#[tokio::test]
async fn every_province_form_needs_its_csrf_token() {
    let app = with_open_quarter().await;
    let province = app.province("sheng").await;
    let item = &review_json(&app.returns)[0];
    let (zone, indicator) = (
        item["zone_code"].as_str().unwrap(),
        item["indicator"].as_str().unwrap(),
    );
    for csrf in ["", "0000"] {
        let r = province.ask(csrf, zone, indicator, "请核实这项数据").await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = province.run_report(csrf, true).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    let csrf = province.csrf().await;
    let r = province.ask(&csrf, zone, indicator, "请核实这项数据").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let clerk = app.clerk("clerk", zone).await;
    let id = query_id(&clerk.home().await.text().await.unwrap());
    let r = clerk.answer("", id, "本季度新签 3 个项目，数据无误").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(app.running.app.runs.latest().is_none());
}
