//! The quarterly report: figures against an independent recount, the
//! carry-forward rule, the published 2025Q4 figures, the manifest's balance,
//! byte-identical reruns, and the workbook's sheets and charts.

mod common;

use common::{config, q, root};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use shuanggao::ingest::ReturnsFolder;
use shuanggao::model::Basis;
use shuanggao::model::{Period, Return};
use shuanggao::pipeline::{self, Run};
use shuanggao::validate::{self, PeriodCheck};
use std::sync::Arc;

fn run_on(returns: &Path, period: &str) -> Run {
    let folder = ReturnsFolder::scan(returns).unwrap();
    pipeline::run(
        &config(),
        &folder,
        q(period),
        BTreeMap::new(),
        validate::Options::default(),
    )
    .unwrap()
}

/// Each zone's figures at `period`, recounted without the aggregate stage:
/// its latest accepted return up to then.
fn recount(returns: &Path, period: Period) -> BTreeMap<String, (Period, Arc<Return>)> {
    let folder = ReturnsFolder::scan(returns).unwrap();
    let checks: Vec<PeriodCheck> = validate::check_through(&config(), &folder, period);
    let mut latest = BTreeMap::new();
    for check in checks.iter().filter(|c| c.period <= period) {
        for s in &check.submissions {
            if let (true, Some(zone), Some(ret)) = (s.verdict.is_accepted(), &s.zone, &s.ret) {
                latest.insert(zone.to_string(), (check.period, ret.clone()));
            }
        }
    }
    latest
}

fn assert_matches_recount(run: &Run, returns: &Path) {
    let config = config();
    let report = &run.report;
    let latest = recount(returns, report.period);
    for indicator in &config.indicators.all {
        let code = &indicator.code;
        let province: f64 = latest
            .values()
            .filter_map(|(_, r)| r.cumulative(code))
            .sum();
        let shown = report.headline(code).unwrap().figure.value;
        assert!(
            (province - shown).abs() < 1e-6,
            "{code}: recount {province}, report {shown}"
        );
        for city in &report.cities {
            let total: f64 = latest
                .iter()
                .filter(|(z, _)| config.registry.zone(z).unwrap().city == city.city)
                .filter_map(|(_, (_, r))| r.cumulative(code))
                .sum();
            assert!(
                (total - city.figures[code].value).abs() < 1e-6,
                "{} {code}",
                city.city
            );
        }
    }
    for zone in &report.zones {
        match latest.get(zone.code.as_str()) {
            Some((p, ret)) => {
                let expected = if *p == report.period {
                    Basis::Fresh
                } else {
                    Basis::Carried
                };
                assert_eq!(zone.basis, expected, "{}", zone.name);
                assert_eq!(zone.source_period, Some(*p));
                for (code, figure) in &zone.figures {
                    assert_eq!(
                        Some(figure.value),
                        ret.cumulative(code),
                        "{} {code}",
                        zone.name
                    );
                }
            }
            None => assert_eq!(zone.basis, Basis::NoData, "{}", zone.name),
        }
    }
    let c = &report.counts;
    assert_eq!(c.rows_read, c.rows_accepted + c.rows_rejected);
    assert_eq!(
        c.files,
        c.returns_accepted + c.returns_sent_back + c.returns_superseded + c.files_unreadable
    );
    assert_eq!(
        c.zones_fresh + c.zones_carried + c.zones_without_data,
        config.registry.zones.len()
    );
    let folder = ReturnsFolder::scan(returns).unwrap();
    let checks = validate::check_through(&config, &folder, report.period);
    let rows_in_checks: usize = checks
        .last()
        .unwrap()
        .submissions
        .iter()
        .filter_map(|s| s.ret.as_ref())
        .map(|r| r.rows_read)
        .sum();
    assert_eq!(c.rows_read, rows_in_checks);
}

#[test]
fn sample_2025q4_gives_the_published_figures() {
    let run = run_on(&root().join("inputs/returns"), "2025Q4");
    let r = &run.report;
    let v = |code: &str| r.headline(code).unwrap().figure.value;
    assert_eq!(v("SG01"), 342.0);
    assert_eq!(v("SG02"), 58.0);
    assert_eq!(v("SG05"), 75_000.0);
    assert!(v("SG03") > 1000.0);
    assert!(v("SG04") > 560.0);
    assert!(r.is_sample);
    assert_eq!(r.counts.zones_fresh, 18);
    assert_matches_recount(&run, &root().join("inputs/returns"));
}

#[test]
fn sample_2026q3_matches_an_independent_recount() {
    let run = run_on(&root().join("inputs/returns"), "2026Q3");
    assert_matches_recount(&run, &root().join("inputs/returns"));
    let r = &run.report;
    // 常州 was sent back: its 2026Q2 figures stand, marked 沿用上期.
    let cz = r.zones.iter().find(|z| z.name == "常州高新区").unwrap();
    assert_eq!(
        (cz.basis, cz.source_period),
        (Basis::Carried, Some(q("2026Q2")))
    );
    let status = |zone: &str| r.submissions.iter().find(|s| s.zone == zone).unwrap();
    assert_eq!(status("常州高新区").status.label_zh(), "退回修改");
    assert!(status("常州高新区").reason.contains("X01"));
    assert_eq!(status("宿迁高新区").status.label_zh(), "迟报");
    assert_eq!(status("无锡高新区").files.len(), 2);
    assert!(status("无锡高新区").reason.contains("取代"));
    assert_eq!(r.counts.returns_superseded, 1);
    assert_eq!(r.counts.zones_carried, 1);
    assert_eq!(r.findings.len(), 12);
    // QoQ: the change of the province total is this quarter minus last.
    let previous = run_on(&root().join("inputs/returns"), "2026Q2");
    let sg01 = r.headline("SG01").unwrap().figure;
    assert_eq!(
        sg01.previous,
        Some(previous.report.headline("SG01").unwrap().figure.value)
    );
    // Every fact can be traced to its cell.
    assert!(r
        .facts
        .iter()
        .all(|f| !f.file.is_empty() && !f.cell.is_empty()));
    let carried: Vec<_> = r
        .facts
        .iter()
        .filter(|f| f.period == q("2026Q3") && f.basis == Basis::Carried)
        .collect();
    assert_eq!(carried.len(), 16);
    assert!(carried
        .iter()
        .all(|f| f.file == "2026Q2/常州高新区_2026Q2.xlsx"));
    // Trend covers every quarter.
    assert_eq!(r.trend.len(), 5);
    assert_eq!(r.trend[1].figures["SG01"], 342.0);
}

/// A corpus where several returns are sent back, one is unreadable and one
/// zone sends nothing.
#[test]
fn several_returns_sent_back() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("inputs/returns"), dir.path());
    let q3 = dir.path().join("2026Q3");
    std::fs::write(q3.join("扬州高新区_2026Q3.xlsx"), b"not a workbook").unwrap();
    std::fs::remove_file(q3.join("宿迁高新区_2026Q3.xlsx")).unwrap();
    std::fs::remove_file(q3.join("无锡高新区_2026Q3_更正.xlsx")).unwrap();
    let run = run_on(dir.path(), "2026Q3");
    assert_matches_recount(&run, dir.path());
    let r = &run.report;
    let basis = |zone: &str| r.zones.iter().find(|z| z.name == zone).unwrap().basis;
    assert_eq!(basis("扬州高新区"), Basis::Carried);
    assert_eq!(basis("宿迁高新区"), Basis::Carried);
    assert_eq!(
        basis("无锡高新区"),
        Basis::Carried,
        "its only file has a V04 error"
    );
    assert_eq!(basis("常州高新区"), Basis::Carried);
    assert_eq!(r.counts.zones_carried, 4);
    assert_eq!(r.counts.files_unreadable, 1);
    let status = |zone: &str| {
        r.submissions
            .iter()
            .find(|s| s.zone == zone)
            .unwrap()
            .status
            .label_zh()
    };
    assert_eq!(status("宿迁高新区"), "未报送");
    assert_eq!(
        status("扬州高新区"),
        "未报送",
        "an unreadable file cannot be tied to a zone"
    );
    assert_eq!(status("无锡高新区"), "退回修改");
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            copy_tree(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

fn report_twice() -> (PathBuf, PathBuf, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    for out in ["a", "b"] {
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_shuanggao"))
            .args(["report", "--out"])
            .arg(dir.path().join(out))
            .current_dir(root())
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        let stdout = String::from_utf8(status.stdout).unwrap();
        assert!(
            stdout.contains("示例数据") && stdout.contains("沿用上期 1（常州高新区）"),
            "{stdout}"
        );
    }
    (
        dir.path().join("a/2026Q3"),
        dir.path().join("b/2026Q3"),
        dir,
    )
}

#[test]
fn reruns_are_byte_identical_and_complete() {
    let (a, b, _keep) = report_twice();
    for name in ["facts.csv", "findings.json", "双高协同季度报告_2026Q3.xlsx"] {
        let (x, y) = (
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
        );
        assert!(!x.is_empty(), "{name}");
        assert!(x == y, "{name} differs between runs");
    }
    let csv = std::fs::read(a.join("facts.csv")).unwrap();
    assert!(csv.starts_with("\u{FEFF}period,zone_code,zone,city,indicator".as_bytes()));
    let findings: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(a.join("findings.json")).unwrap()).unwrap();
    assert_eq!(findings.len(), 12);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(a.join("manifest.json")).unwrap()).unwrap();
    let c = &manifest["counts"];
    assert_eq!(
        c["rows_read"].as_u64().unwrap(),
        c["rows_accepted"].as_u64().unwrap() + c["rows_rejected"].as_u64().unwrap()
    );
    assert_eq!(manifest["inputs"]["returns"].as_array().unwrap().len(), 91);
    assert!(
        manifest["inputs"]["returns"][0]["sha256"]
            .as_str()
            .unwrap()
            .len()
            == 64
    );
    // No temp folders are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(a.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .collect();
    assert_eq!(leftovers.len(), 1);
}

#[test]
fn the_workbook_has_every_sheet_and_charts() {
    use calamine::{DataType, Reader};
    let (a, _, _keep) = report_twice();
    let path = a.join("双高协同季度报告_2026Q3.xlsx");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "总览",
            "目标进度",
            "分区",
            "分区图表",
            "综合评价",
            "分市",
            "高校",
            "结对",
            "五个一",
            "趋势",
            "报送情况",
            "问题清单",
            "核查优先清单",
            "数据修订",
            "登记核对",
            "数据来源"
        ]
    );
    let overview = wb.worksheet_range("总览").unwrap();
    assert!(overview
        .used_cells()
        .any(|(_, _, v)| v.to_string().contains("示例数据")));
    let issues = wb.worksheet_range("问题清单").unwrap();
    assert!(issues
        .used_cells()
        .any(|(_, _, v)| v.get_string() == Some("X01")));
    // 问题清单 lists errors first, then warnings, then infos (级别, column G).
    let levels: Vec<String> = issues.rows().skip(1).map(|r| r[6].to_string()).collect();
    let rank = |l: &str| ["错误", "警告", "提示"].iter().position(|x| *x == l);
    assert!(levels.iter().all(|l| rank(l).is_some()), "{levels:?}");
    assert!(
        levels.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])),
        "{levels:?}"
    );
    assert!(levels.first().is_some_and(|l| l == "错误"), "{levels:?}");
    // 运行参数 (its keys in column A) names the quarter once.
    let sources = wb.worksheet_range("数据来源").unwrap();
    let periods = sources
        .used_cells()
        .filter(|(_, col, v)| *col == 0 && *v == "报告期")
        .count();
    assert_eq!(periods, 1, "报告期 listed {periods} times on 数据来源");
    let zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let charts = zip
        .file_names()
        .filter(|n| n.as_ref().is_ok_and(|n| n.starts_with("xl/charts/chart")))
        .count();
    assert!(charts >= 3, "{charts} charts");
}

/// 分区 and 分市 read back (issue 12): each indicator's header states one
/// unit and its figures are in it (万元 amounts as 亿元); the 合计 row adds up
/// the rows and equals an independent recount of the returns; the carried
/// zone shows no flow; 本季新增 is the quarter's own flow.
#[test]
fn the_zone_and_city_tables_state_their_units_and_add_up() {
    use calamine::{Data, Reader};
    let (a, _, _keep) = report_twice();
    let path = a.join("双高协同季度报告_2026Q3.xlsx");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let latest = recount(&root().join("inputs/returns"), q("2026Q3"));
    let config = config();
    for (sheet, name_col) in [("分区", 1), ("分市", 0)] {
        let range = wb.worksheet_range(sheet).unwrap();
        let rows: Vec<&[Data]> = range.rows().collect();
        let total_at = rows
            .iter()
            .position(|r| r[name_col] == "全省合计")
            .unwrap_or_else(|| panic!("{sheet}: no 合计 row"));
        let header: Vec<String> = rows[0].iter().map(|d| d.to_string()).collect();
        for indicator in &config.indicators.all {
            let unit = if indicator.unit == "万元" {
                "亿元"
            } else {
                indicator.unit.as_str()
            };
            let label = format!("{}（{}）", indicator.name, unit);
            let col = header
                .iter()
                .position(|h| *h == label)
                .unwrap_or_else(|| panic!("{sheet}: no column {label}"));
            let number = |d: &Data| match d {
                Data::Float(v) => Some(*v),
                _ => None,
            };
            let sum: f64 = rows[2..total_at]
                .iter()
                .filter_map(|r| number(&r[col]))
                .sum();
            let total = number(&rows[total_at][col]).unwrap();
            assert!(
                (sum - total).abs() < 1e-6,
                "{sheet} {label}: rows {sum}, 合计 {total}"
            );
            let recounted: f64 = latest
                .values()
                .filter_map(|(_, r)| r.cumulative(&indicator.code))
                .sum();
            let scale = if indicator.unit == "万元" {
                10_000.0
            } else {
                1.0
            };
            assert!(
                (total * scale - recounted).abs() < 1e-4,
                "{sheet} {label}: 合计 {total}, recount {recounted}"
            );
        }
    }
    let zones = wb.worksheet_range("分区").unwrap();
    let rows: Vec<&[Data]> = zones.rows().collect();
    let sg01 = rows[0]
        .iter()
        .position(|h| *h == "合作研发项目（个）")
        .unwrap();
    assert_eq!(rows[1][sg01 + 1].to_string(), "本季新增");
    let changzhou = rows.iter().find(|r| r[1] == "常州高新区").unwrap();
    assert_eq!(changzhou[4].to_string(), "沿用上期（2026Q2）");
    assert_eq!(changzhou[sg01 + 1].to_string(), "—");
    assert_eq!(changzhou[sg01 + 2].to_string(), "—");
    // 475 projects against 428 last quarter: 47 new (46 the quarter before).
    let total = rows.iter().find(|r| r[1] == "全省合计").unwrap();
    assert_eq!(total[sg01], Data::Float(475.0));
    assert_eq!(total[sg01 + 1], Data::Float(47.0));
    // Ties share a rank: three zones with 25 projects are all 8th.
    let eighth: Vec<String> = rows
        .iter()
        .filter(|r| r[0] == Data::Float(8.0))
        .map(|r| r[1].to_string())
        .collect();
    assert_eq!(eighth, ["南京鼓楼高新区", "江阴高新区", "常州高新区"]);
    assert!(rows.iter().any(|r| r[0] == Data::Float(11.0)));
    // 总览: the quarter's flows, not the growth of a cumulative total.
    let overview = wb.worksheet_range("总览").unwrap();
    let texts: Vec<String> = overview
        .used_cells()
        .map(|(_, _, d)| d.to_string())
        .collect();
    for label in [
        "累计值",
        "本季新增",
        "本季新增环比",
        "本年累计新增",
        "本季新增同比",
    ] {
        assert!(texts.iter().any(|t| t == label), "总览 lacks {label}");
    }
    assert!(!texts.iter().any(|t| t == "环比增长" || t == "环比增减"));
    assert!(
        texts.iter().any(|t| t.contains("南京工大学")),
        "待核实 names"
    );
}

/// Every sheet prints on A4 landscape with the report's title and page
/// numbers; tables repeat their headers; wide tables break between
/// indicators at a legible scale instead of shrinking to one page.
#[test]
fn every_sheet_prints_legibly_on_a4() {
    let (a, _, _keep) = report_twice();
    let path = a.join("双高协同季度报告_2026Q3.xlsx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
        text
    };
    let workbook = read("xl/workbook.xml");
    let sheets = workbook.matches("<sheet ").count();
    assert_eq!(sheets, 16);
    for n in 1..=sheets {
        let xml = read(&format!("xl/worksheets/sheet{n}.xml"));
        assert!(xml.contains(r#"paperSize="9""#), "sheet{n} not A4");
        assert!(xml.contains(r#"orientation="landscape""#), "sheet{n}");
        assert!(
            xml.contains("&amp;P") && xml.contains("&amp;N"),
            "sheet{n} page numbers"
        );
        if let Some(scale) = xml.split(r#"scale=""#).nth(1) {
            let scale: u32 = scale.split('"').next().unwrap().parse().unwrap();
            assert!(scale >= 65, "sheet{n} prints at {scale} %");
        }
    }
    // 分区 (the third sheet): headers and zone names on every page, broken
    // across pages between indicators, never fitted to one page.
    assert!(workbook.contains("分区!$A:$B,分区!$1:$2"), "print titles");
    let zones = read("xl/worksheets/sheet3.xml");
    assert!(zones.contains("<colBreaks"), "分区 breaks across pages");
    assert!(!zones.contains("fitToPage"));
}

#[test]
fn explanations_and_corrections_reach_the_report() {
    let run = run_on(&root().join("inputs/returns"), "2026Q3");
    let r = &run.report;
    let listed = |zone: &str, rule: &str| {
        r.findings
            .iter()
            .find(|l| l.finding.zone.as_deref() == Some(zone) && l.finding.rule == rule)
            .unwrap()
    };
    assert_eq!(
        listed("扬州高新区", "X08").explanation_status().label_zh(),
        "已说明"
    );
    assert!(listed("扬州高新区", "X08")
        .explanation
        .as_deref()
        .unwrap()
        .contains("对接会"));
    assert_eq!(
        listed("镇江高新区", "X04").explanation_status().label_zh(),
        "待说明"
    );
    assert_eq!(
        listed("常州高新区", "X01").explanation_status().label_zh(),
        ""
    );
    let status = |zone: &str| r.submissions.iter().find(|s| s.zone == zone).unwrap();
    assert_eq!(
        (
            status("扬州高新区").warnings,
            status("扬州高新区").unexplained
        ),
        (1, 0)
    );
    assert_eq!(
        (
            status("镇江高新区").warnings,
            status("镇江高新区").unexplained
        ),
        (1, 1)
    );
    let changes: Vec<(String, String, String, String)> = status("无锡高新区")
        .changes
        .iter()
        .map(|c| {
            (
                c.sheet.clone(),
                c.cell.clone(),
                c.old.clone(),
                c.new.clone(),
            )
        })
        .collect();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(
        changes[0],
        (
            "基本信息".into(),
            "B8".into(),
            "2026-10-09".into(),
            "2026-10-12".into()
        )
    );
    assert_eq!(
        (
            changes[1].0.as_str(),
            changes[1].1.as_str(),
            changes[1].2.as_str()
        ),
        ("项目清单", "F4", "标志项目")
    );
}

#[test]
fn status_command_lists_every_zone() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_shuanggao"))
        .args(["status", "--format", "json"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 18);
    let get = |zone: &str| rows.iter().find(|r| r["zone"] == zone).unwrap();
    assert_eq!(get("常州高新区")["status"], "退回修改");
    assert_eq!(get("宿迁高新区")["status"], "迟报");
    assert_eq!(get("宿迁高新区")["fill_date"], "2026-10-21");
    assert_eq!(get("徐州高新区")["status"], "已报送");
    let text = std::process::Command::new(env!("CARGO_BIN_EXE_shuanggao"))
        .arg("status")
        .current_dir(root())
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.starts_with("报送情况 · 2026年第三季度：已报送 16，迟报 1，退回修改 1，未报送 0"),
        "{text}"
    );
    // The zones to chase come first.
    assert!(text.find("常州高新区").unwrap() < text.find("南京鼓楼高新区").unwrap());
}
