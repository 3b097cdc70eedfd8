use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};

use super::{sheet_names, write_workbook, SAMPLE_NOTE};
use crate::model::{Finding, Period, Severity, ZoneCode};
use crate::render::xlsx::Num;
use crate::report::*;

fn p(text: &str) -> Period {
    Period::parse(text).unwrap()
}

fn change(value: f64, previous: Option<f64>) -> Change {
    Change { value, previous }
}

/// A quarter's flow `this` after last quarter's `last`.
fn flow(this: Option<f64>, last: Option<f64>) -> Flows {
    let qoq = match this.zip(last) {
        Some((t, l)) => crate::report::Comparison::of(1, t, l, 0.0),
        None => crate::report::Comparison::none(crate::report::NoRate::NoPanel),
    };
    Flows {
        stock: false,
        zones: 1,
        zones_with_flow: usize::from(this.is_some()),
        entered: None,
        qoq,
        yoy: crate::report::Comparison::none(crate::report::NoRate::LaunchQuarter),
        this_quarter: this,
        basis: if this.is_some() {
            FlowBasis::LastQuarter
        } else {
            FlowBasis::Carried
        },
        last_quarter: last,
        quarter_on_quarter: this.zip(last).map(|(t, l)| t / l - 1.0),
        year_to_date: this,
        same_quarter_last_year: None,
        year_on_year: None,
    }
}

/// The flows of a zone's figures: this quarter's change on the last.
fn flows_of(figures: &BTreeMap<String, Change>, carried: bool) -> BTreeMap<String, Flows> {
    figures
        .iter()
        .map(|(code, c)| {
            let this = (!carried).then(|| c.delta()).flatten();
            (code.clone(), flow(this, this.map(|t| t / 2.0)))
        })
        .collect()
}

fn figures(items: &[(&str, f64, Option<f64>)]) -> BTreeMap<String, Change> {
    items
        .iter()
        .map(|(c, v, prev)| (c.to_string(), change(*v, *prev)))
        .collect()
}

fn target(name: &str, scope: Scope, progress: f64, status: TargetStatus) -> TargetProgress {
    TargetProgress {
        id: name.into(),
        name: name.into(),
        scope,
        metric: "SG02".into(),
        unit: "个".into(),
        kind: crate::config::TargetKind::Cumulative,
        due: p("2027Q4"),
        value: 80.0 * progress,
        target: 80.0,
        progress,
        elapsed: 0.4,
        projection: 70.0,
        needed_per_quarter: 5.5,
        quarters_left: 5,
        status,
        history: 5,
        pace_quarters: 5,
        baseline_is_sample: status == TargetStatus::Behind,
        baseline: (status == TargetStatus::Behind).then_some(150.0),
        source: "苏政办发〔2025〕28号".into(),
    }
}

fn finding(rule: &str, severity: Severity, cell: &str) -> Finding {
    Finding {
        rule: rule.into(),
        severity,
        zone: Some("南京高新区".into()),
        period: Some(p("2026Q3")),
        file: Some("南京高新区_2026Q3.xlsx".into()),
        sheet: Some("核心指标".into()),
        cell: Some(cell.into()),
        row: Some(7),
        value: Some("-3".into()),
        expected: Some("≥ 0".into()),
        message: Some("数值不能为负数".into()),
    }
}

/// Two zones scored on SG01's 本季新增 alone: 南京 fresh, up one place;
/// 苏州 carried, scored on nothing new.
fn scorecard(q2: Period, q3: Period) -> Scorecard {
    use crate::config::{Direction, Measure, NoDataRule, Normalise};
    let zone = |code: &str, name: &str, basis, score: f64, movement| ScoredZone {
        code: ZoneCode::new(code),
        name: name.into(),
        city: format!("{}市", &name[..6]),
        basis,
        source_period: Some(if basis == Basis::Fresh { q3 } else { q2 }),
        entry: false,
        score: Some(score),
        rank: Some(if score > 0.0 { 1 } else { 2 }),
        previous_rank: Some(2),
        movement,
        parts: vec![SubScore {
            value: (score > 0.0).then_some(3.0),
            normalised: score / 100.0,
            points: score,
        }],
    };
    Scorecard {
        components: vec![ScoreComponent {
            group: "协同创新".into(),
            indicator: "SG01".into(),
            name: "合作研发项目".into(),
            unit: "个".into(),
            stock: false,
            measure: Measure::Quarter,
            direction: Direction::Higher,
            weight: 20.0,
            share: 1.0,
            normalise: Normalise::RatioToMean,
            separates: true,
        }],
        zones: vec![
            zone("Z01", "南京高新区", Basis::Fresh, 50.0, Movement::Up(1)),
            zone("Z02", "苏州高新区", Basis::Carried, 0.0, Movement::Same),
        ],
        excluded: Vec::new(),
        previous: Some(q2),
        normalise: Normalise::RatioToMean,
        cap: 2.0,
        rank_carried: true,
        rank_new: true,
        no_data: NoDataRule::Unranked,
        sample_weights: true,
        compared: 2,
    }
}

fn report(is_sample: bool) -> Report {
    let q3 = p("2026Q3");
    let q2 = p("2026Q2");
    use Role::*;
    let yi = DisplayUnit {
        unit: "亿元".into(),
        divisor: 10_000.0,
        decimals: 2,
    };
    let indicators: Vec<IndicatorInfo> = [
        (
            "SG01",
            "合作研发项目",
            "个",
            vec![Headline, Trend, Rank, ZoneChart],
            Some("项目"),
        ),
        (
            "SG02",
            "共建产业创新平台",
            "个",
            vec![Headline, Trend],
            None,
        ),
        ("SG03", "常驻园区师生", "人", vec![Headline], None),
        ("SG04", "服务企业", "家", vec![Headline], None),
        (
            "SG05",
            "合作经费投入",
            "万元",
            vec![Headline, Trend, ZoneChart],
            Some("经费"),
        ),
        ("SG06", "联合培养研究生", "人", vec![], None),
    ]
    .into_iter()
    .map(|(c, n, u, roles, short)| IndicatorInfo {
        code: c.to_string(),
        name: n.to_string(),
        unit: u.to_string(),
        stock: c == "SG03",
        short_name: short.map(str::to_string),
        roles,
        display: (u == "万元").then(|| yi.clone()),
    })
    .collect();
    let nanjing = figures(&[
        ("SG01", 12.0, Some(9.0)),
        ("SG02", 3.0, Some(2.0)),
        ("SG03", 40.0, Some(35.0)),
        ("SG04", 20.0, None),
        ("SG05", 1520.5, Some(1200.0)),
        ("SG06", 6.0, Some(4.0)),
    ]);
    let suzhou = figures(&[
        ("SG01", 8.0, Some(8.0)),
        ("SG02", 2.0, Some(2.0)),
        ("SG05", 2300.0, Some(2300.0)),
    ]);
    Report {
        period: q3,
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 10, 12).unwrap(),
        deadline: chrono::NaiveDate::from_ymd_opt(2026, 10, 15).unwrap(),
        pilot_start: chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(),
        flow_rules: Default::default(),
        horizon: p("2027Q4"),
        projections: Vec::new(),
        attention: Vec::new(),
        tool_version: "0.1.0".into(),
        is_sample,
        settings: [("returns_dir".to_string(), "inputs/returns".to_string())].into(),
        panels: Default::default(),
        stage: crate::config::Stage {
            name: "试点引领阶段".into(),
            start: chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(),
            title: None,
            programme: "双高协同试点".into(),
            zones_word: "试点高新区".into(),
            copy: None,
        },
        cohorts: Vec::new(),
        joinings: Vec::new(),
        headlines: vec![
            crate::report::Headline {
                code: "SG01".into(),
                name: "合作研发项目".into(),
                unit: "个".into(),
                figure: change(20.0, Some(17.0)),
                flows: flow(Some(3.0), Some(2.0)),
            },
            crate::report::Headline {
                code: "SG05".into(),
                name: "合作经费投入".into(),
                unit: "万元".into(),
                figure: change(38_200.0, Some(30_000.0)),
                flows: flow(Some(8_200.0), Some(4_100.0)),
            },
            crate::report::Headline {
                code: "SG06".into(),
                name: "联合培养研究生".into(),
                unit: "人".into(),
                figure: change(6.0, None),
                flows: flow(Some(6.0), None),
            },
        ],
        counts: Counts {
            files: 3,
            returns_accepted: 1,
            returns_sent_back: 1,
            returns_superseded: 1,
            zones_fresh: 1,
            zones_carried: 1,
            ..Counts::default()
        },
        targets: vec![
            target("共建产业创新平台", Scope::Province, 1.05, TargetStatus::Met),
            target("合作研发项目", Scope::Province, 0.5, TargetStatus::OnTrack),
            target(
                "联合培养研究生",
                Scope::City("南京市".into()),
                0.3,
                TargetStatus::Watch,
            ),
            target(
                "专利转让许可（年度）",
                Scope::Province,
                0.1,
                TargetStatus::Behind,
            ),
        ],
        // In rank order, as the model gives them.
        zones: vec![
            ZoneRow {
                code: ZoneCode::new("Z01"),
                name: "南京高新区".into(),
                city: "南京市".into(),
                level: "国家级".into(),
                cohort: 2025,
                basis: Basis::Fresh,
                source_period: Some(q3),
                joined: None,
                flows: flows_of(&nanjing, false),
                figures: nanjing.clone(),
                rank: Some(1),
            },
            ZoneRow {
                code: ZoneCode::new("Z02"),
                name: "苏州高新区".into(),
                city: "苏州市".into(),
                level: "国家级".into(),
                cohort: 2025,
                basis: Basis::Carried,
                source_period: Some(q2),
                joined: None,
                flows: flows_of(&suzhou, true),
                figures: suzhou.clone(),
                rank: Some(2),
            },
        ],
        scorecard: scorecard(q2, q3),
        cities: vec![CityRow {
            city: "南京市".into(),
            zones: 1,
            zones_with_data: 1,
            zones_carried: Vec::new(),
            flows: flows_of(&nanjing, false),
            figures: nanjing.clone(),
        }],
        rankings: ["SG01", "SG05"]
            .into_iter()
            .map(|code| {
                let both = [
                    ("Z01", "南京高新区", &nanjing, Basis::Fresh),
                    ("Z02", "苏州高新区", &suzhou, Basis::Carried),
                ];
                let mut zones: Vec<RankedZone> = both
                    .into_iter()
                    .map(|(c, name, f, basis)| RankedZone {
                        code: ZoneCode::new(c),
                        name: name.into(),
                        value: f[code].value,
                        rank: 0,
                        basis,
                        source_period: Some(q3),
                        joined: None,
                    })
                    .collect();
                zones.sort_by(|a, b| b.value.total_cmp(&a.value));
                for (i, z) in zones.iter_mut().enumerate() {
                    z.rank = i + 1;
                }
                Ranking {
                    code: code.into(),
                    zones,
                }
            })
            .collect(),
        universities: vec![UniversityRow {
            name: "南京大学".into(),
            zones: vec!["南京高新区".into(), "苏州高新区".into()],
            paired_zones: vec!["南京高新区".into()],
            projects: 5,
            platforms: 1,
            contract: 800.0,
            funded: 320.5,
            known: true,
        }],
        pairs: vec![PairRow {
            zone_code: ZoneCode::new("Z01"),
            zone: "南京高新区".into(),
            university: "南京大学".into(),
            confirmed: true,
            evidence: "结对协议（2025年）".into(),
            projects: 5,
            platforms: 1,
            funded: 320.5,
        }],
        five_ones: vec![
            FiveOnes {
                code: ZoneCode::new("Z01"),
                zone: "南京高新区".into(),
                basis: Basis::Fresh,
                source_period: Some(q3),
                industry: Some("集成电路".into()),
                platform: Some("南大—高新区联合研究院".into()),
                talent: Some("张三".into()),
                fund_name: Some("成果转化基金".into()),
                fund_size: Some(5000.0),
                benchmark_projects: 2,
                complete: 5,
            },
            FiveOnes {
                code: ZoneCode::new("Z02"),
                zone: "苏州高新区".into(),
                basis: Basis::Carried,
                source_period: Some(q2),
                industry: Some("生物医药".into()),
                platform: None,
                talent: None,
                fund_name: None,
                fund_size: None,
                benchmark_projects: 0,
                complete: 1,
            },
        ],
        trend: vec![
            TrendRow {
                period: q2,
                figures: [("SG01", 17.0), ("SG02", 4.0), ("SG05", 30_000.0)]
                    .iter()
                    .map(|(c, v)| (c.to_string(), *v))
                    .collect(),
                zones_fresh: 2,
                zones_carried: 0,
            },
            TrendRow {
                period: q3,
                figures: [("SG01", 20.0), ("SG02", 5.0), ("SG05", 38_200.0)]
                    .iter()
                    .map(|(c, v)| (c.to_string(), *v))
                    .collect(),
                zones_fresh: 1,
                zones_carried: 1,
            },
        ],
        projects_by_category: vec![],
        projects_by_status: vec![],
        platforms_by_type: vec![],
        platforms_by_level: vec![],
        submissions: vec![
            SubmissionStatus {
                code: ZoneCode::new("Z01"),
                zone: "南京高新区".into(),
                city: "南京市".into(),
                status: crate::report::ReportingStatus::Reported,
                files: vec!["南京高新区_2026Q3.xlsx".into()],
                fill_date: chrono::NaiveDate::from_ymd_opt(2026, 10, 10),
                errors: 0,
                warnings: 1,
                unexplained: 1,
                reason: String::new(),
                basis: Basis::Fresh,
                source_period: Some(q3),
                changes: Vec::new(),
                review: Some(crate::model::ReviewState::Unexplained),
                state: crate::report::QuarterState::Unexplained,
                review_detail: "待高新区说明警告".into(),
            },
            SubmissionStatus {
                code: ZoneCode::new("Z02"),
                zone: "苏州高新区".into(),
                city: "苏州市".into(),
                status: crate::report::ReportingStatus::SentBack,
                files: vec!["苏州_v1.xlsx".into(), "苏州_v2.xlsx".into()],
                fill_date: None,
                errors: 2,
                warnings: 0,
                unexplained: 0,
                reason: "核心指标有 2 处错误".into(),
                basis: Basis::Carried,
                source_period: Some(q2),
                changes: Vec::new(),
                review: None,
                state: crate::report::QuarterState::SentBack,
                review_detail: String::new(),
            },
        ],
        findings: vec![
            finding("V03", Severity::Error, "E7"),
            finding("X08", Severity::Warning, "D9"),
            finding("S04", Severity::Info, "A1"),
        ]
        .into_iter()
        .map(|finding| crate::report::ListedFinding {
            title: finding.rule.clone(),
            finding,
            explanation: None,
        })
        .collect(),
        review: vec![review_item()],
        review_shown: 30,
        revisions: vec![Revision {
            period: q2,
            zone_code: "Z01".into(),
            zone: "南京高新区".into(),
            indicator: "SG05".into(),
            indicator_name: "合作经费投入".into(),
            unit: "万元".into(),
            was: Some(1200.0),
            now: Some(1250.0),
            published_in: q2,
            file: "2026Q2/南京高新区_2026Q2_更正.xlsx".into(),
        }],
        revisions_base: Some(q2),
        registry_gaps: RegistryGaps {
            zones_without_pair: vec![UnpairedZone {
                zone: "苏州高新区".into(),
                city: "苏州市".into(),
                partners: vec!["苏州大学".into()],
            }],
            unknown_universities: Vec::new(),
            idle_pairs: Vec::new(),
        },
        sources: vec![Source {
            file: "2026Q3/南京高新区_2026Q3.xlsx".into(),
            sha256: "ab".repeat(32),
            bytes: 18_432,
            period: q3,
            zone: Some("南京高新区".into()),
            verdict: Verdict::Passed,
        }],
        config_files: vec![ConfigFile {
            file: "inputs/config/targets.toml".into(),
            sha256: "cd".repeat(32),
            role: "2027年目标",
        }],
        facts: vec![],
        indicators,
        participation: Participation::default(),
        masthead: crate::report::MastheadLine {
            title: "双高协同试点工作简报".into(),
            issuer: "省科技厅".into(),
            issue: 5,
        },
        distribution: Default::default(),
        narrative: Default::default(),
        pages: Vec::new(),
        feedback: Vec::new(),
    }
}

/// One 核查优先清单 item: 南京高新区's 合作经费投入, typed in 元.
fn review_item() -> ReviewItem {
    ReviewItem {
        rank: 1,
        zone_code: ZoneCode::new("Z01"),
        zone: "南京高新区".into(),
        indicator: "SG05".into(),
        indicator_name: "合作经费投入".into(),
        unit: "万元".into(),
        file: "2026Q3/南京高新区_2026Q3.xlsx".into(),
        sheet: "核心指标".into(),
        cell: "E9".into(),
        value: 15_205_000.0,
        previous: Some(1200.0),
        expected: Some(1500.0),
        expected_low: Some(1300.0),
        expected_high: Some(2100.0),
        deviation_share: 1.0,
        own_history: 9.0,
        cross_section: 20.0,
        warnings_open: 2,
        warnings_explained: 0,
        suspicion: 31.0,
        targets_at_stake: Vec::new(),
        rank_at_stake: false,
        impact: 1.0,
        score: 3100.0,
        reason: "本季新增远高于本区以往".into(),
    }
}

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes.to_vec())).expect("readable xlsx")
}

fn sheet(bytes: &[u8], name: &str) -> calamine::Range<Data> {
    open(bytes).worksheet_range(name).expect("sheet")
}

/// Every string cell of a sheet.
fn strings(range: &calamine::Range<Data>) -> Vec<String> {
    range
        .used_cells()
        .filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

fn zip_entries(bytes: &[u8]) -> Vec<String> {
    let zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).unwrap();
    zip.file_names().map(|n| n.unwrap().into_owned()).collect()
}

fn zip_text(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn sheets_in_order() {
    let bytes = write_workbook(&report(true)).unwrap();
    assert_eq!(open(&bytes).sheet_names(), sheet_names());
    assert_eq!(
        sheet_names(),
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
}

#[test]
fn review_revisions_and_registry_sheets_show_the_model() {
    let bytes = write_workbook(&report(true)).unwrap();
    let review = sheet(&bytes, "核查优先清单");
    assert_eq!(review.get_value((0, 0)), Some(&Data::String("序号".into())));
    assert_eq!(
        review.get_value((1, 1)),
        Some(&Data::String("南京高新区".into()))
    );
    assert_eq!(
        review.get_value((1, 3)),
        Some(&Data::String("核心指标!E9".into()))
    );
    // As written in the return: 万元, not 亿元.
    assert_eq!(review.get_value((1, 5)), Some(&Data::Float(15_205_000.0)));
    assert_eq!(
        review.get_value((1, 7)),
        Some(&Data::String("1,300–2,100".into()))
    );
    assert_eq!(review.get_value((1, 9)), Some(&Data::Float(3100.0)));

    let revisions = sheet(&bytes, "数据修订");
    let heading = revisions.get_value((0, 0)).unwrap().to_string();
    assert!(
        heading.contains("2026Q2") && heading.contains("1 项"),
        "{heading}"
    );
    // Amounts in the display unit (亿元), as every table of figures.
    assert_eq!(
        revisions.get_value((2, 3)),
        Some(&Data::String("亿元".into()))
    );
    assert_eq!(revisions.get_value((2, 4)), Some(&Data::Float(0.12)));
    assert_eq!(revisions.get_value((2, 5)), Some(&Data::Float(0.125)));

    let gaps = sheet(&bytes, "登记核对");
    let text: Vec<String> = gaps.cells().map(|(_, _, d)| d.to_string()).collect();
    assert!(text.contains(&"苏州高新区".to_string()), "{text:?}");
    assert!(text.contains(&"苏州大学".to_string()), "{text:?}");
    assert_eq!(text.iter().filter(|t| *t == "无").count(), 2, "{text:?}");
}

#[test]
fn overview_title_banner_and_figures() {
    let bytes = write_workbook(&report(true)).unwrap();
    let range = sheet(&bytes, "总览");
    assert_eq!(
        range.get_value((0, 0)),
        Some(&Data::String("双高协同季度报告 · 2026年第三季度".into()))
    );
    assert_eq!(
        range.get_value((1, 0)),
        Some(&Data::String(SAMPLE_NOTE.into()))
    );
    let texts = strings(&range);
    for label in [
        "合作研发项目",
        "亿元",
        "沿用上期的高新区",
        "已达成",
        "滞后",
        "示例基线",
    ] {
        assert!(texts.iter().any(|t| t == label), "总览 lacks {label}");
    }
    // 38,200 万元 is shown as 3.82 亿元.
    let shown: Vec<f64> = range
        .used_cells()
        .filter_map(|(_, _, d)| match d {
            Data::Float(v) => Some(*v),
            _ => None,
        })
        .collect();
    assert!(shown.iter().any(|v| (v - 3.82).abs() < 1e-9));

    let real = write_workbook(&report(false)).unwrap();
    let range = sheet(&real, "总览");
    assert!(!strings(&range).iter().any(|t| t.contains("示例数据")));
    assert!(!strings(&sheet(&real, "数据来源"))
        .iter()
        .any(|t| t == SAMPLE_NOTE));
}

#[test]
fn tables_show_the_model() {
    let bytes = write_workbook(&report(true)).unwrap();

    let targets = sheet(&bytes, "目标进度");
    // Four targets below the header, then the method's note.
    assert_eq!(targets.height(), 6);
    assert_eq!(targets.get_value((1, 8)), Some(&Data::Float(1.05)));
    assert_eq!(
        targets.get_value((1, 5)),
        Some(&Data::String("累计值".into()))
    );
    assert!(strings(&targets).contains(&"示例基线".to_string()));
    assert!(strings(&targets).iter().any(|t| t.starts_with("说明：")));

    // Ranked: 南京 (rank 1) first, below the two header rows.
    let zones = sheet(&bytes, "分区");
    assert_eq!(
        zones.get_value((2, 1)),
        Some(&Data::String("南京高新区".into()))
    );
    assert_eq!(
        zones.get_value((3, 4)),
        Some(&Data::String("沿用上期（2026Q2）".into()))
    );
    // SG01: 累计值, 本季新增, 本季新增环比 (3 after 1.5).
    assert_eq!(
        zones.get_value((1, 6)),
        Some(&Data::String("本季新增".into()))
    );
    assert_eq!(zones.get_value((2, 5)), Some(&Data::Float(12.0)));
    assert_eq!(zones.get_value((2, 6)), Some(&Data::Float(3.0)));
    assert_eq!(zones.get_value((2, 7)), Some(&Data::Float(1.0)));
    // The carried zone: its 累计值, no flow (not a made-up 0).
    assert_eq!(zones.get_value((3, 5)), Some(&Data::Float(8.0)));
    assert_eq!(zones.get_value((3, 6)), Some(&Data::String("—".into())));
    assert_eq!(zones.get_value((3, 7)), Some(&Data::String("—".into())));
    // 合计: the province figures, and how many carried zones they include.
    assert_eq!(
        zones.get_value((4, 1)),
        Some(&Data::String("全省合计".into()))
    );
    assert_eq!(
        zones.get_value((4, 4)),
        Some(&Data::String("含沿用上期 1 个".into()))
    );
    assert_eq!(zones.get_value((4, 5)), Some(&Data::Float(20.0)));
    assert_eq!(zones.get_value((4, 6)), Some(&Data::Float(3.0)));
    assert_eq!(zones.get_value((4, 7)), Some(&Data::Float(0.5)));
    // 合作经费投入 in 亿元, as the header says: 1,520.5 万元 is 0.15205 亿元.
    assert_eq!(
        zones.get_value((0, 17)),
        Some(&Data::String("合作经费投入（亿元）".into()))
    );
    assert_eq!(zones.get_value((2, 17)), Some(&Data::Float(0.15205)));
    assert_eq!(zones.get_value((4, 17)), Some(&Data::Float(3.82)));

    let submissions = sheet(&bytes, "报送情况");
    assert_eq!(
        submissions.get_value((2, 2)),
        Some(&Data::String("退回修改".into()))
    );
    assert_eq!(
        submissions.get_value((1, 3)),
        Some(&Data::String("待高新区说明警告".into()))
    );
    assert_eq!(
        submissions.get_value((2, 4)),
        Some(&Data::String("苏州_v1.xlsx\n苏州_v2.xlsx".into()))
    );

    let findings = sheet(&bytes, "问题清单");
    assert_eq!(findings.height(), report(true).findings.len() + 1);
    assert_eq!(
        findings.get_value((1, 6)),
        Some(&Data::String("错误".into()))
    );
    assert_eq!(
        findings.get_value((3, 6)),
        Some(&Data::String("提示".into()))
    );

    let five = sheet(&bytes, "五个一");
    assert_eq!(five.get_value((2, 3)), Some(&Data::String("未填写".into())));
    assert_eq!(five.get_value((2, 8)), Some(&Data::Float(1.0)));

    let trend = sheet(&bytes, "趋势");
    // Two quarters below the header, then the note.
    assert_eq!(trend.height(), 4);
    assert_eq!(
        trend.get_value((1, 0)),
        Some(&Data::String("2026年第二季度".into()))
    );

    let sources = sheet(&bytes, "数据来源");
    let texts = strings(&sources);
    assert!(texts.contains(&"ab".repeat(32)));
    assert!(texts.contains(&"cd".repeat(32)));
    assert!(texts.contains(&"shuanggao 0.1.0".to_string()));
    assert!(texts.contains(&SAMPLE_NOTE.to_string()));
}

#[test]
fn progress_and_time_are_whole_percentages_as_the_documents_print_them() {
    let bytes = write_workbook(&report(true)).unwrap();
    let styles = zip_text(&bytes, "xl/styles.xml");
    // Every number format written has its style: 完成进度 reads 13 %, not 0.125.
    for kind in [Num::PctWhole, Num::Pct, Num::Fixed(1)] {
        let code = kind.code();
        assert!(styles.contains(&format!("formatCode=\"{code}\"")), "{code}");
    }
}

#[test]
fn charts_reference_sheet_data() {
    let bytes = write_workbook(&report(true)).unwrap();
    let entries = zip_entries(&bytes);
    // 总览 1, 目标进度 1, 分区图表 3 (two indicators and 综合评价), 趋势 3
    // (one per trend indicator).
    for n in 1..=8 {
        assert!(
            entries.contains(&format!("xl/charts/chart{n}.xml")),
            "chart{n} missing"
        );
    }
    assert!(!entries.contains(&"xl/charts/chart9.xml".to_string()));
    for n in 1..=8 {
        let xml = zip_text(&bytes, &format!("xl/charts/chart{n}.xml"));
        assert!(xml.contains("<c:val>"), "chart{n} has no values");
        assert!(xml.contains("微软雅黑"), "chart{n} lacks the Chinese font");
        // Every series has cached points, so none is empty.
        assert!(
            xml.contains("<c:pt idx=\"0\">"),
            "chart{n} has an empty series"
        );
    }
    // 目标进度's chart: 完成进度 and 预计到期 (the status's measure, from a
    // hidden column), labelled 范围·目标 (one level, so labels neither
    // repeat nor misalign).
    let targets = zip_text(&bytes, "xl/charts/chart2.xml");
    assert!(targets.contains("目标进度!$I$2:$I$5"));
    assert!(targets.contains("目标进度!$U$2:$U$5"));
    assert!(targets.contains("目标进度!$T$2:$T$5"));
    assert!(targets.contains("全省·共建产业创新平台"));
    assert!(!targets.contains("<c:multiLvlStrRef>"));
    // The zones by 合作经费投入: the carried zone pale and named so.
    let money = zip_text(&bytes, "xl/charts/chart4.xml");
    assert!(money.contains("苏州高新区（沿用上期）"), "{money}");
    assert!(money.contains("<c:dPt>"));
    // 综合评价 on 分区图表 after the indicators' charts, the carried zone pale.
    let scores = zip_text(&bytes, "xl/charts/chart5.xml");
    assert!(scores.contains("各高新区综合评价得分"), "{scores}");
    assert!(scores.contains("苏州高新区（沿用上期）"));
    // Trend: one indicator a chart, no line break in a series name.
    let trend = zip_text(&bytes, "xl/charts/chart7.xml");
    assert!(trend.contains("共建产业创新平台（个）"));
    assert!(!trend.contains("\n（"));
}

#[test]
fn reproducible_bytes() {
    let r = report(true);
    let a = write_workbook(&r).unwrap();
    let b = write_workbook(&r).unwrap();
    assert!(a == b, "two renders differ");
    let core = zip_text(&a, "docProps/core.xml");
    assert!(core.contains("2026-09-30T00:00:00Z"), "{core}");
    assert!(core.contains("<dc:creator>shuanggao</dc:creator>"));
}

#[test]
fn empty_report_still_renders() {
    let mut r = report(false);
    r.targets.clear();
    r.zones.clear();
    r.rankings.clear();
    r.scorecard.zones.clear();
    r.cities.clear();
    r.universities.clear();
    r.pairs.clear();
    r.five_ones.clear();
    r.trend.clear();
    r.submissions.clear();
    r.findings.clear();
    r.sources.clear();
    let bytes = write_workbook(&r).unwrap();
    assert_eq!(open(&bytes).sheet_names().len(), sheet_names().len());
    assert!(!zip_entries(&bytes)
        .iter()
        .any(|e| e.starts_with("xl/charts/")));
}
