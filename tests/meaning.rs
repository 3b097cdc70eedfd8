//! What people read must mean what it says: targets whose status, progress,
//! projection and pace agree; the quarter's own flows (本季新增, 环比, 本年累计,
//! 同比) against a recount of the returns; carried zones without a made-up
//! change; unresolved university names kept apart (待核实); the 问题清单 order;
//! and the feedback model (which files get a book, its name, conclusion,
//! sender and dates). Expected values come from the returns themselves
//! (recounted through validate only), the published 2025Q4 figures, or the
//! sample's planted defects (docs/return-form.md §9).

mod common;

use common::{config, q, root};

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use shuanggao::aggregate::{Collector, Figures};
use shuanggao::config::{Config, TargetKind};
use shuanggao::ingest::ReturnsFolder;
use shuanggao::model::{Basis, Period, Return, Severity};
use shuanggao::pipeline;
use shuanggao::report::{
    Conclusion, ExplanationStatus, FlowBasis, FlowMeasure, Level, Report, TargetProgress,
    TargetStatus, UnverifiedUniversity, ValueBasis,
};
use shuanggao::targets;
use shuanggao::validate::{self, PeriodCheck};

fn report_at(returns: &Path, period: &str) -> Report {
    let folder = ReturnsFolder::scan(returns).unwrap();
    pipeline::run(
        &config(),
        &folder,
        q(period),
        BTreeMap::new(),
        validate::Options::default(),
    )
    .unwrap()
    .report
}

fn shipped(period: &str) -> Report {
    report_at(&root().join("inputs/returns"), period)
}

// ------------------------------------------------------------------ targets

/// Every quarter of a returns folder aggregated, as the pipeline does.
fn figures(config: &Config, returns: &Path) -> Figures {
    let folder = ReturnsFolder::scan(returns).unwrap();
    let last = *folder.periods.keys().last().unwrap();
    let mut collector = Collector::new(config);
    validate::walk(
        config,
        &folder,
        last,
        validate::Options::default(),
        |check, history| collector.add(&check, history, check.period == last),
    );
    collector.finish().unwrap()
}

/// The rules docs/return-form.md §8.4 promises, whatever the figures.
fn assert_consistent(t: &TargetProgress, period: Period) {
    let at = format!("{} at {period}: {t:?}", t.id);
    let (status, projection, goal) = (t.status, t.projection, t.target);
    assert!(t.needed_per_quarter >= 0.0 && projection >= 0.0, "{at}");
    if t.needed_per_quarter > 0.0 {
        assert_ne!(status, TargetStatus::Met, "still needs a pace: {at}");
    }
    if status == TargetStatus::Met {
        assert_eq!(t.needed_per_quarter, 0.0, "{at}");
        assert!(projection >= goal && t.value >= goal, "{at}");
    }
    if projection >= goal && t.is_paced() {
        assert!(
            matches!(status, TargetStatus::Met | TargetStatus::OnTrack),
            "{at}"
        );
    }
    match status {
        TargetStatus::OnTrack => assert!(projection >= goal, "{at}"),
        TargetStatus::Watch => assert!(projection >= 0.9 * goal && projection < goal, "{at}"),
        TargetStatus::Behind if t.kind == TargetKind::Milestone => {
            assert!(period >= t.due, "a milestone lags only at its date: {at}")
        }
        TargetStatus::Behind => assert!(projection < 0.9 * goal, "{at}"),
        TargetStatus::Pending => {
            assert!(t.kind == TargetKind::Milestone && period < t.due, "{at}")
        }
        TargetStatus::Met => {}
    }
    if goal > 0.0 {
        assert!((t.progress - t.value / goal).abs() < 1e-9, "{at}");
    }
    match t.kind {
        TargetKind::Cumulative => {
            assert_eq!(t.value_basis(), ValueBasis::Cumulative, "{at}");
            assert_eq!(status == TargetStatus::Met, t.value >= goal, "{at}");
            assert!(projection >= t.value, "never below the 累计值: {at}");
            if status != TargetStatus::Met {
                let pace = t.needed_per_quarter * f64::from(t.quarters_left.max(1));
                assert!((t.value + pace - goal).abs() < 1e-3, "{at}");
            }
        }
        TargetKind::Milestone => {
            assert_eq!(t.needed_per_quarter, 0.0, "never paced: {at}");
            assert_eq!(status == TargetStatus::Met, t.value >= goal, "{at}");
        }
        TargetKind::Annual => {
            // Before the due year the last four quarters; within it, that
            // year's quarters so far.
            let basis = if period.year < t.due.year {
                ValueBasis::LastFourQuarters
            } else {
                ValueBasis::DueYearSoFar(t.due.year)
            };
            assert_eq!(t.value_basis(), basis, "{at}");
            if status != TargetStatus::Met {
                let pace = t.needed_per_quarter * f64::from(t.pace_quarters.max(1));
                let so_far = if period.year < t.due.year {
                    0.0
                } else {
                    t.value
                };
                assert!(
                    (so_far + pace - goal).abs() < 1e-3 || t.pace_quarters == 0,
                    "{at}"
                );
            }
            if status == TargetStatus::Met {
                assert!(period >= t.due, "met only by the due year: {at}");
            }
            if projection < t.value {
                assert!(t.projection_note().is_some(), "unexplained: {at}");
            }
        }
    }
}

fn assert_all_consistent(returns: &Path) -> usize {
    let config = config();
    let figures = figures(&config, returns);
    let mut checked = 0;
    for period in figures.periods() {
        for t in targets::progress(&config, &figures, period) {
            assert_consistent(&t, period);
            checked += 1;
        }
    }
    checked
}

#[test]
fn every_target_agrees_with_itself_at_every_quarter_of_the_sample() {
    let n = assert_all_consistent(&root().join("inputs/returns"));
    assert_eq!(n, 5 * config().targets.target.len());
}

#[test]
fn every_target_agrees_with_itself_over_twelve_generated_quarters() {
    let config = config();
    let dir = tempfile::tempdir().unwrap();
    shuanggao::sample::write_all(&config, dir.path(), 12).unwrap();
    let n = assert_all_consistent(dir.path());
    assert_eq!(n, 12 * config.targets.target.len());
    // Past the due date (2028Q2) annual targets are judged on 2027.
    let figures = figures(&config, dir.path());
    let last = figures.periods().last().unwrap();
    assert_eq!(last, q("2028Q2"));
    for t in targets::progress(&config, &figures, last) {
        assert_eq!(t.quarters_left, 0, "{}", t.id);
    }
}

#[test]
fn the_report_states_the_method_and_what_values_are() {
    let r = shipped("2026Q3");
    let note = r.targets_note();
    assert!(note.contains("按最近4个季度新增的中位数推算"), "{note}");
    assert!(note.contains("近四个季度合计"), "{note}");
    let patents = r
        .targets
        .iter()
        .find(|t| t.id == "province-patents")
        .unwrap();
    assert_eq!(patents.value_basis().label_zh(), "近四个季度合计");
    assert_ne!(patents.status, TargetStatus::Met, "2027 has not come");
    for p in &r.projections {
        assert_eq!(p.method_zh, "按最近4个季度新增的中位数推算");
        let last = p.actual.last().unwrap().1;
        assert!(p.projected.windows(2).all(|w| w[1].1 >= w[0].1));
        assert!(p.projected.iter().all(|x| x.1 >= last));
    }
}

#[test]
fn the_launch_quarter_does_not_set_the_sample_projections() {
    // Province 累计值 recounted from the returns: projects (SG01) 190, 342,
    // 382, 428, 475 and platforms (SG02) 30, 58, 63, 69, 75. The last four
    // flows are 152, 40, 46, 47 and 28, 5, 6, 6: the 2025Q4 launch jump is
    // in the window, yet the pace is the present one, the median, 46.5 and 6
    // a quarter (the issue saw the line rise ~85 projects against 47 actual,
    // and platforms reach 130 against ~105 at the present pace).
    let quarters = recount(&root().join("inputs/returns"), q("2026Q3"));
    let totals =
        |code: &str| -> Vec<f64> { quarters.iter().map(|(_, l)| total(l, code)).collect() };
    assert_eq!(totals("SG01"), [190.0, 342.0, 382.0, 428.0, 475.0]);
    assert_eq!(totals("SG02"), [30.0, 58.0, 63.0, 69.0, 75.0]);
    let r = shipped("2026Q3");
    let line = |code: &str| {
        &r.projections
            .iter()
            .find(|p| p.code == code)
            .unwrap()
            .projected
    };
    // Like for like (docs/return-form.md §8.4): 常州 is carried in 2026Q3,
    // so that quarter's 47 projects are the 17 measured zones', 47 / 17 ×
    // 18 zones = 49.76 for the zones there are now; with 152, 40, 46 the
    // median is (46 + 49.76) / 2 = 47.88 a quarter. Platforms: 6 / 17 × 18
    // = 6.35 beside 28, 5, 6: the median is 6.18.
    let pace = |a: f64, b: f64| (a + b) / 2.0;
    let projects = pace(46.0, 47.0 / 17.0 * 18.0);
    let platforms = pace(6.0, 6.0 / 17.0 * 18.0);
    let round4 = |v: f64| (v * 10_000.0).round() / 10_000.0;
    // Five quarters from 2026Q3 to the due date 2027Q4.
    assert_eq!(line("SG01")[1], (q("2026Q4"), round4(475.0 + projects)));
    assert_eq!(
        line("SG01").last(),
        Some(&(q("2027Q4"), round4(475.0 + 5.0 * projects)))
    );
    assert_eq!(
        line("SG02").last(),
        Some(&(q("2027Q4"), round4(75.0 + 5.0 * platforms)))
    );
    let target = r
        .targets
        .iter()
        .find(|t| t.id == "province-platforms")
        .unwrap();
    assert_eq!(
        target.projection,
        round4(75.0 + 5.0 * platforms),
        "75 + 5 × 6.18"
    );
    assert_eq!(target.status, TargetStatus::OnTrack, "105.9 ≥ 80");
}

// ------------------------------------------------------------------ flows

/// Zone code → its latest accepted return (the quarter it is from, the return).
type Latest = BTreeMap<String, (Period, Arc<Return>)>;

/// Each zone's latest accepted return at each quarter, through validate
/// only (no aggregation).
fn recount(returns: &Path, until: Period) -> Vec<(Period, Latest)> {
    let folder = ReturnsFolder::scan(returns).unwrap();
    let checks: Vec<PeriodCheck> = validate::check_through(&config(), &folder, until);
    let mut latest = BTreeMap::new();
    let mut out = Vec::new();
    for check in &checks {
        for s in &check.submissions {
            if let (true, Some(zone), Some(ret)) = (s.verdict.is_accepted(), &s.zone, &s.ret) {
                latest.insert(zone.to_string(), (check.period, ret.clone()));
            }
        }
        out.push((check.period, latest.clone()));
    }
    out
}

fn total(latest: &Latest, code: &str) -> f64 {
    latest
        .values()
        .filter_map(|(_, r)| r.cumulative(code))
        .sum()
}

#[test]
fn flows_at_2025q4_are_the_published_new_figures() {
    let r = shipped("2025Q4");
    // Published: 342 projects = 190 + 152 new; 58 platforms = 30 + 28.
    let sg01 = r.flows(Level::Province, "SG01");
    assert_eq!(sg01.this_quarter, Some(152.0));
    assert_eq!(sg01.basis, FlowBasis::LastQuarter);
    // 2025Q3 is the launch quarter: its 190 are an entry, never a basis
    // (docs/brief.md §2.3 ②).
    assert_eq!(sg01.last_quarter, None);
    assert_eq!(sg01.quarter_on_quarter, None);
    assert_eq!(
        sg01.qoq.missing,
        Some(shuanggao::report::NoRate::LaunchQuarter)
    );
    assert_eq!(
        sg01.year_to_date,
        Some(342.0),
        "the pilot began in 2025: 190 + 152"
    );
    assert_eq!(sg01.same_quarter_last_year, None);
    assert_eq!(sg01.year_on_year, None);
    let sg02 = r.flows(Level::Province, "SG02");
    assert_eq!(
        (sg02.this_quarter, sg02.year_to_date),
        (Some(28.0), Some(58.0))
    );
    assert!(!sg01.stock);
    assert_eq!(FlowMeasure::ThisQuarter.label_zh(sg01.stock), "本季新增");
}

#[test]
fn flows_at_2026q3_match_a_recount() {
    let r = shipped("2026Q3");
    let config = config();
    let quarters = recount(&root().join("inputs/returns"), q("2026Q3"));
    let at = |p: &str| &quarters.iter().find(|(x, _)| *x == q(p)).unwrap().1;
    let (now, before, year_end) = (at("2026Q3"), at("2026Q2"), at("2025Q4"));
    for i in &config.indicators.all {
        let code = i.code.as_str();
        let f = r.flows(Level::Province, code);
        let this = total(now, code) - total(before, code);
        assert!((f.this_quarter.unwrap() - this).abs() < 1e-6, "{code}");
        let ytd = total(now, code) - total(year_end, code);
        assert!((f.year_to_date.unwrap() - ytd).abs() < 1e-6, "{code}");
        let stock = i.kind == shuanggao::config::IndicatorKind::Stock;
        assert_eq!(f.stock, stock, "{code}");
        // 2025Q3 is the pilot's first quarter: never a basis for 同比.
        assert_eq!(f.same_quarter_last_year, None, "{code}");
        assert_eq!(f.year_on_year, None, "{code}");
    }
    // A zone's flow is what its clerk reported as 本季度新增 (X05 holds).
    let (_, xz) = &now["XZ"];
    for i in config
        .indicators
        .all
        .iter()
        .filter(|i| i.kind == shuanggao::config::IndicatorKind::Flow)
    {
        let f = r.flows(Level::Zone("XZ"), &i.code);
        assert_eq!(f.this_quarter, xz.new_value(&i.code), "XZ {}", i.code);
    }
    // A city's flow adds up its zones'.
    let wuxi = r.flows(Level::City("无锡市"), "SG01");
    let zones: f64 = ["WX", "JY"]
        .iter()
        .map(|z| r.flows(Level::Zone(z), "SG01").this_quarter.unwrap())
        .sum();
    assert_eq!(wuxi.this_quarter, Some(zones));
}

#[test]
fn a_carried_zone_shows_no_measured_change() {
    let r = shipped("2026Q3");
    let cz = r.zones.iter().find(|z| z.code.as_str() == "CZ").unwrap();
    assert_eq!(cz.basis, Basis::Carried);
    assert!(cz
        .figures
        .values()
        .all(|c| c.previous.is_none() && c.delta().is_none()));
    let f = r.flows(Level::Zone("CZ"), "SG01");
    assert_eq!(f.basis, FlowBasis::Carried);
    assert_eq!((f.this_quarter, f.year_to_date), (None, None));
    assert_eq!(f.basis.note_zh(false), "沿用上期数据，本季未计新增");
    // No flow, so nothing to compare: no 上季新增 (可比口径) either.
    assert_eq!((f.last_quarter, f.quarter_on_quarter), (None, None));
    // A fresh zone keeps last quarter's 累计值 beside this one.
    let xz = r.zones.iter().find(|z| z.code.as_str() == "XZ").unwrap();
    assert!(xz.figures.values().all(|c| c.previous.is_some()));
}

#[test]
fn after_a_carried_quarter_the_flow_covers_the_quarters_since() {
    // Without 常州's 2026Q1 return its 2025Q4 figures are carried in
    // 2026Q1, so its 2026Q2 flow covers 2026Q1 and 2026Q2.
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("inputs/returns"), dir.path());
    std::fs::remove_file(dir.path().join("2026Q1/常州高新区_2026Q1.xlsx")).unwrap();
    let r = report_at(dir.path(), "2026Q2");
    let quarters = recount(dir.path(), q("2026Q2"));
    let now = &quarters.last().unwrap().1;
    let (p, ret) = &now["CZ"];
    assert_eq!(*p, q("2026Q2"));
    let (_, earlier) = &quarters.iter().find(|(x, _)| *x == q("2025Q4")).unwrap().1["CZ"];
    let f = r.flows(Level::Zone("CZ"), "SG01");
    assert_eq!(f.basis, FlowBasis::Since(q("2025Q4")));
    assert_eq!(
        f.this_quarter,
        Some(ret.cumulative("SG01").unwrap() - earlier.cumulative("SG01").unwrap())
    );
    assert_eq!(f.last_quarter, None, "2026Q1 was carried");
    assert_eq!(f.basis.note_zh(false), "自2025年第四季度以来");
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

// ------------------------------------------------------------ universities

#[test]
fn an_unresolved_university_name_is_kept_apart() {
    let r = shipped("2026Q3");
    let config = config();
    let typo = "南京工大学";
    assert!(r.universities.iter().all(|u| u.name != typo && u.known));
    assert!(r.pairs.iter().all(|p| p.university != typo));
    assert_eq!(
        r.participation.unverified_universities,
        [UnverifiedUniversity {
            name: typo.into(),
            zones: vec!["连云港高新区".into()],
            projects: 1,
            platforms: 0,
        }]
    );
    assert_eq!(UnverifiedUniversity::LABEL_ZH, "待核实");
    // Active universities: the registry names in the lists of every zone's
    // latest accepted return, recounted.
    let quarters = recount(&root().join("inputs/returns"), q("2026Q3"));
    let mut active = BTreeSet::new();
    for (_, ret) in quarters.last().unwrap().1.values() {
        let names = ret
            .projects
            .iter()
            .flat_map(|p| &p.universities)
            .chain(ret.platforms.iter().flat_map(|p| &p.universities));
        for name in names {
            if config.registry.university_by_text(name).is_some() {
                active.insert(name.clone());
            }
        }
    }
    assert_eq!(r.participation.universities_active, active.len());
    // The project naming the typo still counts for the university written
    // correctly beside it, if any, and for its zone's pair totals otherwise
    // nowhere.
    let lyg_projects: usize = r
        .pairs
        .iter()
        .filter(|p| p.zone_code.as_str() == "LYG")
        .map(|p| p.projects)
        .sum();
    let (_, lyg) = &quarters.last().unwrap().1["LYG"];
    let counted: usize = lyg
        .projects
        .iter()
        .map(|p| {
            p.universities
                .iter()
                .filter(|u| config.registry.university_by_text(u).is_some())
                .count()
        })
        .sum();
    assert_eq!(lyg_projects, counted);
}

// ---------------------------------------------------------------- findings

#[test]
fn findings_are_listed_by_severity_zone_file_sheet_and_row() {
    let r = shipped("2026Q3");
    let sorted: Vec<(String, &str, String)> = r
        .findings_for_sheet()
        .iter()
        .map(|l| {
            let f = &l.finding;
            (
                f.zone.clone().unwrap_or_default(),
                f.rule.as_str(),
                f.place(),
            )
        })
        .collect();
    // Cells as the return template lays the form out (header on row 3).
    let expected = [
        ("常州高新区", "X01", "核心指标!E4"),
        ("无锡高新区", "F02", "基本信息!B8"),
        ("连云港高新区", "I02", "项目清单!C4"),
        ("扬州高新区", "X08", "核心指标!D12"),
        ("镇江高新区", "X04", "项目清单!I38"),
        ("宿迁高新区", "T03", "基本信息!B8"),
        ("徐州高新区", "V07", "项目清单!C10"),
        ("苏州高新区", "V07", "基本信息!B3"),
        ("南通高新区", "V07", "项目清单!H4"),
        ("南通高新区", "V07", "项目清单!H5"),
        ("淮安高新区", "V07", "核心指标!E7"),
        ("淮安高新区", "V07", "项目清单!G23"),
    ];
    let expected: Vec<(String, &str, String)> = expected
        .iter()
        .map(|(z, r, p)| (z.to_string(), *r, p.to_string()))
        .collect();
    assert_eq!(sorted, expected);
    // The findings themselves (findings.json) stay in file order.
    let files: Vec<&str> = r
        .findings
        .iter()
        .map(|l| l.finding.file.as_deref().unwrap())
        .collect();
    let mut in_order = files.clone();
    in_order.sort();
    assert_eq!(files, in_order);
    let severities: Vec<Severity> = r
        .findings_for_sheet()
        .iter()
        .map(|l| l.finding.severity)
        .collect();
    assert!(severities.windows(2).all(|w| w[0] <= w[1]));
}

// ---------------------------------------------------------------- feedback

#[test]
fn feedback_books_of_the_sample_quarter() {
    let r = shipped("2026Q3");
    let names: BTreeSet<&str> = r.feedback.iter().map(|b| b.file_name.as_str()).collect();
    let expected: BTreeSet<&str> = [
        "常州高新区_2026Q3_问题反馈.xlsx",
        "宿迁高新区_2026Q3_问题反馈.xlsx",
        "无锡高新区_2026Q3_首次报送_问题反馈.xlsx",
        "无锡高新区_2026Q3_更正_问题反馈.xlsx",
        "镇江高新区_2026Q3_问题反馈.xlsx",
        "扬州高新区_2026Q3_问题反馈.xlsx",
        "连云港高新区_2026Q3_问题反馈.xlsx",
        "南通高新区_2026Q3_问题反馈.xlsx",
        "淮安高新区_2026Q3_问题反馈.xlsx",
        "徐州高新区_2026Q3_问题反馈.xlsx",
        "苏州高新区_2026Q3_问题反馈.xlsx",
    ]
    .into();
    // Clean returns (no finding, no corrected cell) get no book.
    assert_eq!(names, expected);

    let book = |zone: &str, file: &str| {
        r.feedback
            .iter()
            .find(|b| b.zone.as_deref() == Some(zone) && b.source.contains(file))
            .unwrap()
    };
    // 数据截至 is 宿迁's late 填报日期, 2026-10-21; replies within 10 days.
    let date = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let cz = book("常州高新区", "常州");
    assert_eq!(cz.conclusion, Conclusion::SentBack);
    assert_eq!(cz.title, "常州高新区2026年第三季度双高协同季度报表审核反馈");
    assert_eq!(cz.sender, "省科技厅");
    assert_eq!(cz.issued, date(10, 21));
    assert_eq!(cz.reply_by, Some(date(10, 31)));
    assert!(
        cz.instruction.ends_with("请于2026年10月31日前完成。"),
        "{}",
        cz.instruction
    );

    let yz = book("扬州高新区", "扬州");
    assert_eq!(yz.conclusion, Conclusion::PassedExplained);
    assert_eq!(yz.conclusion.label_zh(), "通过（警告已说明）");
    assert_eq!(yz.reply_by, None, "nothing left to do");

    let sq = book("宿迁高新区", "宿迁");
    assert_eq!(sq.conclusion, Conclusion::WarningsPending);
    assert_eq!(sq.reply_by, Some(date(10, 31)));

    let first = book("无锡高新区", "首次报送");
    assert_eq!(first.conclusion, Conclusion::Superseded);
    assert_eq!(first.reply_by, None);
    let f02 = first
        .findings
        .iter()
        .find(|f| f.finding.rule == "F02")
        .unwrap();
    assert_eq!(f02.explanation_status(), ExplanationStatus::NotNeeded);
    assert_eq!(f02.explanation_status().label_zh(), "无需说明");
    assert_eq!(book("无锡高新区", "更正").conclusion, Conclusion::Passed);
}
