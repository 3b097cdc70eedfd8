//! 核查优先清单 on planted slips: a clean sample quarter (2026Q2) with ten
//! realistic slips of different sizes planted in its returns (元 for 万元,
//! ×10, ÷10, last quarter's cumulative copied, transposed digits, a big
//! genuine jump in a small zone). The slips that move the province totals
//! most must be at the top of the list. Expected effects are computed from
//! the sample drafts themselves, not from the code under test. Then a
//! returns folder that starts mid-programme (2026Q2 and 2026Q3 only) with
//! quiet slips in 2026Q3 — a quarter's flow ×2.5–3.5, under X08's
//! threshold — which must all reach the top 5; and the sample's own list,
//! which must not be padded with +1s on small counts. Also: the `review`
//! command's text and JSON, determinism, and 登记核对.

mod common;

use common::{config, indicator, number, q, report_at, root};

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};
use shuanggao::config::Config;
use shuanggao::model::draft::{Cell, Draft};
use shuanggao::report::Report;
use shuanggao::sample::sample_draft;

#[derive(Debug, Clone, Copy)]
enum Slip {
    /// Both cells written in 元 (×10000).
    Yuan,
    /// The 累计值 typed ×10 (本季度新增 right).
    CumTimes10,
    /// 本季度新增 ×10, the 累计值 added up from it.
    FlowTimes10,
    /// 本季度新增 ÷10, the 累计值 added up from it.
    FlowDiv10,
    /// Last quarter's column copied: its 本季度新增 and 累计值.
    CopiedLast,
    /// Two adjacent digits of the 累计值 swapped.
    Transposed,
    /// A true fourfold quarter in a small zone, added up consistently.
    GenuineJump,
}

const SLIPS: &[(&str, &str, Slip)] = &[
    ("XZ", "SG05", Slip::Yuan),
    ("WX", "SG12", Slip::CumTimes10),
    ("SZ", "SG04", Slip::FlowTimes10),
    ("NJGL", "SG06", Slip::CopiedLast),
    ("CZ", "SG13", Slip::Transposed),
    ("JY", "SG09", Slip::FlowDiv10),
    ("NTSB", "SG05", Slip::GenuineJump),
    ("LYG", "SG11", Slip::CopiedLast),
    ("HA", "SG14", Slip::CumTimes10),
    ("YZ", "SG09", Slip::Transposed),
];

fn cells(d: &mut Draft, code: &str) -> (f64, f64) {
    let row = indicator(d, code);
    (number(&row[3]), number(&row[4]))
}

/// Swaps the first pair of adjacent integer digits whose swap makes the
/// number larger (so the 累计值 does not fall below last quarter's).
fn transpose(v: f64) -> f64 {
    let digits: Vec<char> = format!("{}", v.trunc() as i64).chars().collect();
    let frac = v - v.trunc();
    for i in 0..digits.len().saturating_sub(1) {
        if digits[i] < digits[i + 1] {
            let mut d = digits.clone();
            d.swap(i, i + 1);
            let s: String = d.into_iter().collect();
            return s.parse::<f64>().unwrap() + frac;
        }
    }
    panic!("no digits to transpose in {v}");
}

/// The planted (本季度新增, 累计值) for a slip, from the true values and
/// last quarter's.
fn planted(slip: Slip, (new, cum): (f64, f64), (last_new, last_cum): (f64, f64)) -> (f64, f64) {
    match slip {
        Slip::Yuan => (new * 10_000.0, cum * 10_000.0),
        Slip::CumTimes10 => (new, cum * 10.0),
        Slip::FlowTimes10 => (new * 10.0, last_cum + new * 10.0),
        Slip::FlowDiv10 => ((new / 10.0).round(), last_cum + (new / 10.0).round()),
        Slip::CopiedLast => (last_new, last_cum),
        Slip::Transposed => (new, transpose(cum)),
        Slip::GenuineJump => (new * 4.0, last_cum + new * 4.0),
    }
}

struct Planted {
    zone: String,
    code: String,
    /// |planted − true 累计值| / the true province total.
    effect: f64,
}

/// The shipped sample up to 2026Q2 in `dir`, with the slips planted in
/// 2026Q2's returns; the slips with their effects on the province totals.
fn plant(config: &Config, dir: &Path) -> Vec<Planted> {
    for p in ["2025Q3", "2025Q4", "2026Q1", "2026Q2"] {
        common::copy_dir(&root().join("inputs/returns").join(p), &dir.join(p));
    }
    let (p, last) = (q("2026Q2"), q("2026Q1"));
    let mut totals: BTreeMap<String, f64> = BTreeMap::new();
    for z in &config.registry.zones {
        let mut d = sample_draft(config, &z.code, p).unwrap();
        for i in &config.indicators.all {
            *totals.entry(i.code.clone()).or_default() += number(&indicator(&mut d, &i.code)[4]);
        }
    }
    let mut drafts: BTreeMap<&str, Draft> = BTreeMap::new();
    let mut out = Vec::new();
    for (zone, code, slip) in SLIPS {
        let mut previous = sample_draft(config, zone, last).unwrap();
        let d = drafts
            .entry(zone)
            .or_insert_with(|| sample_draft(config, zone, p).unwrap());
        let truth = cells(d, code);
        let (new, cum) = planted(*slip, truth, cells(&mut previous, code));
        let row = indicator(d, code);
        row[3] = Cell::Number(new);
        row[4] = Cell::Number(cum);
        out.push(Planted {
            zone: zone.to_string(),
            code: code.to_string(),
            effect: (cum - truth.1).abs() / totals[*code],
        });
    }
    for (code, d) in &drafts {
        let zone = config.registry.zone(code).unwrap();
        let bytes = shuanggao::render::template::write_draft(config, zone, p, d).unwrap();
        std::fs::write(dir.join(format!("2026Q2/{}_2026Q2.xlsx", zone.name)), bytes).unwrap();
    }
    out
}

fn recall(r: &Report, slips: &[Planted], k: usize) -> f64 {
    let top: BTreeSet<(&str, &str)> = r
        .review
        .iter()
        .take(k)
        .map(|i| (i.zone_code.as_str(), i.indicator.as_str()))
        .collect();
    let found = slips
        .iter()
        .filter(|s| top.contains(&(s.zone.as_str(), s.code.as_str())))
        .count();
    found as f64 / slips.len() as f64
}

#[test]
fn planted_slips_that_move_the_province_most_are_at_the_top() {
    let config = config();
    let dir = tempfile::tempdir().unwrap();
    let mut slips = plant(&config, dir.path());
    let r = report_at(dir.path(), "2026Q2");
    for s in &slips {
        let item = r
            .review
            .iter()
            .find(|i| i.zone_code == s.zone.as_str() && i.indicator == s.code)
            .unwrap_or_else(|| {
                panic!(
                    "{} {} not scored: its return was not accepted?",
                    s.zone, s.code
                )
            });
        println!(
            "slip {} {}: effect {:.4} of the province total, rank {} (score {:.3}) — {}",
            s.zone, s.code, s.effect, item.rank, item.score, item.reason
        );
    }
    let (at10, at20) = (recall(&r, &slips, 10), recall(&r, &slips, 20));
    println!("recall at top 10: {at10:.2}; at top 20: {at20:.2}");
    slips.sort_by(|a, b| b.effect.total_cmp(&a.effect));
    let top10: Vec<(&str, &str)> = r
        .review
        .iter()
        .take(10)
        .map(|i| (i.zone_code.as_str(), i.indicator.as_str()))
        .collect();
    for s in &slips[..5] {
        assert!(
            top10.contains(&(s.zone.as_str(), s.code.as_str())),
            "a largest slip {} {} (effect {:.4}) is not in the top 10: {top10:?}",
            s.zone,
            s.code,
            s.effect
        );
    }
    assert!(at20 >= at10);
}

/// A quiet slip: one quarter's flow typed `factor` times, the 累计值
/// added up from it (so X05 and X06 hold), too small for X08.
const QUIET: &[(&str, &str, f64)] = &[
    ("NJJY", "SG05", 3.0),
    ("JY", "SG04", 2.5),
    ("TZYY", "SG12", 3.5),
    ("NTSB", "SG10", 3.0),
];

/// The sample's 2026Q2 and 2026Q3 returns only (the folder starts
/// mid-programme), with the quiet slips planted in 2026Q3.
fn plant_mid_programme(config: &Config, dir: &Path) {
    for p in ["2026Q2", "2026Q3"] {
        common::copy_dir(&root().join("inputs/returns").join(p), &dir.join(p));
    }
    let (p, last) = (q("2026Q3"), q("2026Q2"));
    for (zone, code, factor) in QUIET {
        let mut d = sample_draft(config, zone, p).unwrap();
        let (new, _) = cells(&mut d, code);
        let (_, last_cum) = cells(&mut sample_draft(config, zone, last).unwrap(), code);
        let row = indicator(&mut d, code);
        let slipped = (new * factor).round();
        row[3] = Cell::Number(slipped);
        row[4] = Cell::Number(last_cum + slipped);
        let z = config.registry.zone(zone).unwrap();
        let bytes = shuanggao::render::template::write_draft(config, z, p, &d).unwrap();
        std::fs::write(dir.join(format!("2026Q3/{}_2026Q3.xlsx", z.name)), bytes).unwrap();
    }
}

#[test]
fn quiet_slips_in_a_folder_that_starts_mid_programme_reach_the_top_5() {
    let config = config();
    let dir = tempfile::tempdir().unwrap();
    plant_mid_programme(&config, dir.path());
    let r = report_at(dir.path(), "2026Q3");
    // Under X08's threshold: no rule fires on the slipped returns.
    for (zone, _, _) in QUIET {
        let name = &config.registry.zone(zone).unwrap().name;
        let fired: Vec<&str> = r
            .findings
            .iter()
            .filter(|f| f.finding.zone.as_deref() == Some(name.as_str()))
            .map(|f| f.finding.rule.as_str())
            .collect();
        assert!(fired.is_empty(), "{zone}: {fired:?}");
    }
    let slips: Vec<Planted> = QUIET
        .iter()
        .map(|(zone, code, _)| Planted {
            zone: zone.to_string(),
            code: code.to_string(),
            effect: 0.0,
        })
        .collect();
    for s in &slips {
        let item = r
            .review
            .iter()
            .find(|i| i.zone_code == s.zone.as_str() && i.indicator == s.code)
            .unwrap();
        println!(
            "quiet slip {} {}: rank {} (score {:.3}) — {}",
            s.zone, s.code, item.rank, item.score, item.reason
        );
    }
    let (at5, at10) = (recall(&r, &slips, 5), recall(&r, &slips, 10));
    println!("mid-programme recall at top 5: {at5:.2}; at top 10: {at10:.2}");
    for i in r.review.iter().take(8) {
        println!(
            "  {}. {} {} {:.3} — {}",
            i.rank, i.zone, i.indicator_name, i.score, i.reason
        );
    }
    assert_eq!(at5, 1.0, "every quiet slip in the top 5");
    // No zone has two measured flows yet: nothing is judged by own history,
    // and the first quarter with data (2026Q2) is no flow.
    assert!(r.review.iter().all(|i| i.own_history == 0.0));
}

#[test]
fn the_samples_list_is_not_padded_with_small_counts() {
    let config = config();
    let r = report_at(&root().join("inputs/returns"), "2026Q3");
    for i in r.review.iter().take(10) {
        println!(
            "  {}. {} {} {:.3} — {}",
            i.rank, i.zone, i.indicator_name, i.score, i.reason
        );
    }
    // A value scores on its own history only when it lies at least the
    // least deviation (review.toml) from what that history expects: a +1
    // on a small count never does.
    let mut gated = 0;
    for i in &r.review {
        let (Some(prev), Some(expected)) = (i.previous, i.expected) else {
            continue;
        };
        let least = config
            .review
            .min_deviation
            .of(&i.indicator, i.unit.contains('元'));
        if (i.value - expected).abs() < least {
            gated += 1;
            assert_eq!(
                i.own_history, 0.0,
                "{} {}: {prev} → {} (expected {expected})",
                i.zone, i.indicator, i.value
            );
        }
    }
    assert!(gated > 20, "{gated}");
    let small: Vec<&str> = r
        .review
        .iter()
        .take(10)
        .filter(|i| i.previous.is_some_and(|p| (i.value - p).abs() <= 1.0))
        .filter(|i| i.warnings_open + i.warnings_explained == 0)
        .map(|i| i.zone.as_str())
        .collect();
    assert!(small.is_empty(), "+1s in the top 10: {small:?}");
    // The planted SG09 jump (SAMPLE_2026Q3_DEFECTS) still leads.
    assert_eq!(
        (
            r.review[0].zone_code.as_str(),
            r.review[0].indicator.as_str()
        ),
        ("YZ", "SG09")
    );
}

#[test]
fn own_history_is_made_of_measured_flows_only() {
    // The sample is clean before 2026Q3: each zone's own history for
    // 2026Q3 is its flows of 2025Q4, 2026Q1 and 2026Q2, never the launch
    // quarter's 累计值 (when pairs signed in bulk), so the expected value
    // is 2026Q2's 累计值 plus the median of those three flows.
    let r = report_at(&root().join("inputs/returns"), "2026Q3");
    let facts = |zone: &str, code: &str| -> Vec<f64> {
        ["2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3"]
            .iter()
            .map(|p| {
                r.facts
                    .iter()
                    .find(|f| f.zone_code == zone && f.indicator == code && f.period == q(p))
                    .unwrap()
                    .value
            })
            .collect()
    };
    let mut checked = 0;
    for item in r.review.iter().filter(|i| i.indicator.starts_with("SG")) {
        let v = facts(item.zone_code.as_str(), &item.indicator);
        if item.indicator == "SG03" || item.previous.is_none() {
            continue;
        }
        // Measured flows before 2026Q3: 2025Q4, 2026Q1, 2026Q2.
        let mut flows = [v[1] - v[0], v[2] - v[1], v[3] - v[2]];
        flows.sort_by(f64::total_cmp);
        let usual = flows[1];
        let expected = v[3] + usual;
        assert!(
            (item.expected.unwrap() - expected).abs() < 1e-6,
            "{} {}: expected {:?}, measured flows give {expected}",
            item.zone,
            item.indicator,
            item.expected
        );
        checked += 1;
    }
    assert!(checked > 200, "{checked}");
}

#[test]
fn scores_are_deterministic_and_ordered() {
    let a = report_at(&root().join("inputs/returns"), "2026Q3");
    let b = report_at(&root().join("inputs/returns"), "2026Q3");
    assert_eq!(
        serde_json::to_string(&a.review).unwrap(),
        serde_json::to_string(&b.review).unwrap()
    );
    for (i, w) in a.review.windows(2).enumerate() {
        assert!(w[0].score >= w[1].score, "out of order at {i}");
        assert_eq!(w[0].rank + 1, w[1].rank);
    }
    // One item per accepted (fresh) zone × indicator given, plus the two
    // list totals of each such zone.
    let fresh: BTreeSet<&str> = a
        .facts
        .iter()
        .filter(|f| f.period == a.period && f.basis == shuanggao::model::Basis::Fresh)
        .map(|f| f.zone_code.as_str())
        .collect();
    let facts = a
        .facts
        .iter()
        .filter(|f| f.period == a.period && f.basis == shuanggao::model::Basis::Fresh)
        .count();
    assert_eq!(a.review.len(), facts + 2 * fresh.len());
}

fn run_bin(args: &[&str]) -> (i32, String) {
    let (code, out, _) = common::run(args);
    (code, out)
}

#[test]
fn review_command_prints_the_list_as_text_and_json() {
    let (code, json) = run_bin(&[
        "review", "--period", "2026Q3", "--top", "5", "--format", "json",
    ]);
    assert_eq!(code, 0);
    let items: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_str(&json).unwrap();
    assert_eq!(items.len(), 5);
    let keys: BTreeSet<&str> = items[0].keys().map(String::as_str).collect();
    let expected: BTreeSet<&str> = [
        "rank",
        "zone_code",
        "zone",
        "indicator",
        "indicator_name",
        "unit",
        "file",
        "sheet",
        "cell",
        "value",
        "previous",
        "expected",
        "expected_low",
        "expected_high",
        "deviation_share",
        "own_history",
        "cross_section",
        "warnings_open",
        "warnings_explained",
        "suspicion",
        "targets_at_stake",
        "rank_at_stake",
        "impact",
        "score",
        "reason",
    ]
    .into_iter()
    .collect();
    assert_eq!(keys, expected);
    let ranks: Vec<u64> = items.iter().map(|i| i["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, [1, 2, 3, 4, 5]);

    let (code, text) = run_bin(&["review", "--period", "2026Q3", "--top", "3"]);
    assert_eq!(code, 0);
    assert!(text.starts_with("核查优先清单 · 2026年第三季度"), "{text}");
    let first = items[0]["zone"].as_str().unwrap();
    let reason = items[0]["reason"].as_str().unwrap();
    assert!(text.contains(first) && text.contains(reason), "{text}");
    assert_eq!(text.matches("  得分 ").count(), 3, "{text}");
}

/// The names of a sheet's cells, as text.
fn sheet_text(path: &Path, sheet: &str) -> String {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let range = book.worksheet_range(sheet).unwrap();
    let mut s = String::new();
    for row in range.rows() {
        for c in row {
            match c {
                Data::String(t) => s += t,
                Data::Float(v) => s += &v.to_string(),
                _ => {}
            }
            s.push('\t');
        }
        s.push('\n');
    }
    s
}

#[test]
fn registry_gaps_are_listed_once() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let (code, _) = run_bin(&["report", "--period", "2026Q3", "--no-pdf", "--out", dir]);
    assert_eq!(code, 0);
    let book = out.path().join("2026Q3/双高协同季度报告_2026Q3.xlsx");
    let text = sheet_text(&book, "登记核对");
    // Zones with no pair, straight from registry.toml.
    let registry: toml::Value = toml::from_str(
        &std::fs::read_to_string(root().join("inputs/config/registry.toml")).unwrap(),
    )
    .unwrap();
    let paired: BTreeSet<&str> = registry["pair"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["zone"].as_str().unwrap())
        .collect();
    let unpaired: Vec<&str> = registry["zone"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z["name"].as_str().unwrap())
        .filter(|n| !paired.contains(n))
        .collect();
    let section = |title: &str| {
        let from = text
            .find(title)
            .unwrap_or_else(|| panic!("{title} missing: {text}"));
        text[from..].to_string()
    };
    let first = section("没有登记结对的高新区");
    let second_at = first.find("报表中出现").unwrap();
    for z in &unpaired {
        assert!(first[..second_at].contains(z), "{z} not listed: {first}");
    }
    // The sample's misspelt university (docs: SAMPLE_2026Q3_DEFECTS, LYG I02).
    let second = section("报表中出现、高校名录中没有的高校");
    assert!(
        second.contains("南京工大学") && second.contains("连云港高新区"),
        "{second}"
    );
    assert_eq!(text.matches("南京工大学").count(), 1, "listed once: {text}");
    // Sheets are in the workbook in order.
    let book: Xlsx<_> = open_workbook(&book).unwrap();
    let names = book.sheet_names();
    let at = |n: &str| names.iter().position(|x| x == n).unwrap();
    assert!(at("问题清单") < at("核查优先清单") && at("核查优先清单") < at("数据修订"));
    assert!(at("数据修订") < at("登记核对") && at("登记核对") < at("数据来源"));
}

#[test]
fn a_zones_feedback_lists_its_high_scoring_values_to_verify() {
    let r = report_at(&root().join("inputs/returns"), "2026Q3");
    // The sample's planted SG09 jump in 扬州 (SAMPLE_2026Q3_DEFECTS: X08,
    // explained) is a value to verify, not an error.
    let yz = r
        .feedback
        .iter()
        .find(|b| b.zone.as_deref() == Some("扬州高新区"))
        .unwrap();
    assert!(
        yz.verify.iter().any(|i| i.indicator == "SG09"),
        "{:?}",
        yz.verify
    );
    let shown: BTreeSet<usize> = (1..=20).collect();
    for b in &r.feedback {
        for i in &b.verify {
            assert_eq!(i.file, b.source);
            assert!(shown.contains(&i.rank) && i.score >= 1.0, "{i:?}");
            assert!(b.verdict.is_accepted());
        }
    }
    // Written as a sheet 请核实 after 问题清单.
    let bytes = shuanggao::render::feedback::write_feedback(yz).unwrap();
    let book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names()[1], "请核实");
}
