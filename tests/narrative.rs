//! 文字综述 (issue 10): every number of the generated text is a figure of
//! the report model, checked here against the model's fields by a resolver
//! and a formatter written independently of the code that wrote the text;
//! no other digit is left in it. The text reads right in the pilot's first
//! quarter (no 环比), in a quarter with 同比 and a zone sent back, and when
//! nothing lags.

mod common;

use std::path::Path;

use common::{grouped, root};
use shuanggao::config::Config;
use shuanggao::report::narrative::{At, CountOf, Figure, FigureOf, Form, Measure, TargetField};
use shuanggao::report::{Basis, Report};

fn report_with(config_dir: &Path, period: &str) -> Report {
    let config = Config::load(config_dir).unwrap();
    common::report_with(&config, &root().join("inputs/returns"), period)
}

fn sample(period: &str) -> Report {
    report_with(&root().join("inputs/config"), period)
}

/// The model's value of a figure, read straight from the report's fields.
fn resolve(r: &Report, of: &FigureOf) -> f64 {
    match of {
        FigureOf::Count(c) => {
            (match c {
                CountOf::Zones => r.zones.len(),
                CountOf::ZonesFresh => r.counts.zones_fresh,
                CountOf::ZonesCarried => r.counts.zones_carried,
                CountOf::ZonesWithoutData => r.counts.zones_without_data,
                CountOf::Files => r.counts.files,
                CountOf::ReturnsAccepted => r.counts.returns_accepted,
                CountOf::ReturnsSentBack => r.counts.returns_sent_back,
                CountOf::ReturnsSuperseded => r.counts.returns_superseded,
                CountOf::FilesUnreadable => r.counts.files_unreadable,
                CountOf::CohortZones(i) => r.cohorts[*i].zones,
                CountOf::ZonesInState(st) => {
                    r.submissions.iter().filter(|s| s.state == *st).count()
                }
            }) as f64
        }
        FigureOf::Indicator { at, code, measure } => {
            let (total, flows) = level(r, at, code);
            match measure {
                Measure::Total => total,
                Measure::ThisQuarter => flows.this_quarter.unwrap(),
                Measure::QuarterOnQuarter => flows.quarter_on_quarter.unwrap(),
                Measure::YearOnYear => flows.year_on_year.unwrap(),
                Measure::PanelThisQuarter => flows.qoq.now,
                Measure::PanelLastQuarter => flows.qoq.before,
                Measure::PanelThisQuarterYoy => flows.yoy.now,
                Measure::PanelSameQuarterLastYear => flows.yoy.before,
                Measure::PanelZones => flows.qoq.zones as f64,
                Measure::PanelZonesYoy => flows.yoy.zones as f64,
                Measure::Entered => flows.entered.unwrap().value,
                Measure::EnteredZones => flows.entered.unwrap().zones as f64,
            }
        }
        FigureOf::Share { at, code } => {
            level(r, at, code).0 / r.headline(code).unwrap().figure.value
        }
        FigureOf::Rank { at, code } => {
            let totals: Vec<(bool, f64)> = match at {
                At::Zone(z) => r
                    .zones
                    .iter()
                    .filter(|x| x.basis != Basis::NoData)
                    .map(|x| (&x.code == z, x.figures[code].value))
                    .collect(),
                At::City(c) => r
                    .cities
                    .iter()
                    .filter(|x| x.zones_with_data > 0)
                    .map(|x| (&x.city == c, x.figures[code].value))
                    .collect(),
                At::Province => panic!("no province rank"),
            };
            let mine = totals.iter().find(|t| t.0).unwrap().1;
            (1 + totals.iter().filter(|t| t.1 > mine).count()) as f64
        }
        FigureOf::Target { id, field } => {
            let t = r.targets.iter().find(|t| &t.id == id).unwrap();
            match field {
                TargetField::Value => t.value,
                TargetField::Goal => t.target,
                TargetField::Progress => t.progress,
                TargetField::Elapsed => t.elapsed,
                // The gap of the two whole percentages as printed.
                TargetField::Gap => {
                    (half_up(t.progress * 100.0, 0) - half_up(t.elapsed * 100.0, 0)) / 100.0
                }
                TargetField::Projection => t.projection,
                TargetField::NeededPerQuarter => t.needed_per_quarter,
                TargetField::PaceQuarters => f64::from(t.pace_quarters),
                TargetField::DueYear | TargetField::Due => f64::NAN,
            }
        }
        FigureOf::Period | FigureOf::AsOf | FigureOf::ReplyBy => f64::NAN,
    }
}

fn level(r: &Report, at: &At, code: &str) -> (f64, shuanggao::report::Flows) {
    match at {
        At::Province => {
            let h = r.headline(code).unwrap();
            (h.figure.value, h.flows)
        }
        At::City(c) => {
            let row = r.cities.iter().find(|x| &x.city == c).unwrap();
            (row.figures[code].value, row.flows[code])
        }
        At::Zone(z) => {
            let row = r.zones.iter().find(|x| &x.code == z).unwrap();
            (row.figures[code].value, row.flows[code])
        }
    }
}

/// Rounded to `d` places, halves up, as a spreadsheet shows it (through
/// the decimal text, so 28.5 stored as 28.4999… still rounds up).
fn half_up(v: f64, d: i32) -> f64 {
    let text = format!("{:.9}", v * 10f64.powi(d));
    let x: f64 = text.parse().unwrap();
    (x + 0.5).floor() / 10f64.powi(d)
}

/// How a figure must read, formatted here from scratch.
fn expected_text(r: &Report, f: &Figure) -> String {
    let v = resolve(r, &f.of).abs();
    match &f.form {
        Form::Calendar => match &f.of {
            FigureOf::AsOf => r.as_of.format("%Y年%-m月%-d日").to_string(),
            FigureOf::ReplyBy => {
                let date = r.feedback.iter().filter_map(|b| b.reply_by).max().unwrap();
                date.format("%Y年%-m月%-d日").to_string()
            }
            FigureOf::Target { id, field } => {
                let t = r.targets.iter().find(|t| &t.id == id).unwrap();
                match field {
                    TargetField::DueYear => format!("{}年", t.due.year),
                    _ => t.due.label_zh(),
                }
            }
            _ => r.period.label_zh(),
        },
        Form::Amount(scale) | Form::Pace(scale) if scale.unit == "亿元" => {
            format!("{:.2}", half_up(v / 10_000.0, 2))
        }
        Form::Amount(_) | Form::Count => grouped(v),
        Form::Pace(_) => {
            let t = half_up(v, 1);
            if t.fract() == 0.0 {
                grouped(t)
            } else {
                format!("{t}")
            }
        }
        Form::Percent(d) => format!("{:.*}%", *d, half_up(v * 100.0, *d as i32)),
        Form::Points => format!("{}", half_up(v * 100.0, 0)),
    }
}

/// Every figure reads as the model says, and no digit is outside a figure.
fn assert_text_is_the_model(r: &Report) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let pages = r.pages.iter().map(|p| &p.paragraph);
    for p in r
        .narrative
        .sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .chain(pages)
    {
        for f in p.figures() {
            assert_eq!(f.text, expected_text(r, f), "{:?} in «{}»", f.of, p.text());
        }
        let words: String = p
            .pieces
            .iter()
            .filter_map(|piece| match piece {
                shuanggao::report::narrative::Piece::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        assert!(
            !words.chars().any(|c| c.is_ascii_digit()),
            "a bare digit in «{words}»"
        );
        paragraphs.push(p.text());
    }
    paragraphs
}

fn section(r: &Report, n: usize) -> String {
    r.narrative.sections[n]
        .paragraphs
        .iter()
        .map(|p| p.text())
        .collect()
}

#[test]
fn a_quarter_a_year_after_launch_and_a_zone_sent_back() {
    let r = sample("2026Q3");
    let text = assert_text_is_the_model(&r);
    let headings: Vec<&str> = r
        .narrative
        .sections
        .iter()
        .map(|s| s.heading.label_zh())
        .collect();
    assert_eq!(
        headings,
        [
            "一、总体情况",
            "二、主要进展",
            "三、存在问题",
            "四、下一步工作建议"
        ]
    );
    let overall = section(&r, 0);
    // Against last quarter on the panel of the 17 zones measured in both
    // (常州 is carried); the same quarter a year ago is the launch quarter,
    // never a basis, and the text says why there is no 同比.
    assert!(
        overall.contains("按两季均有本期数据的17个高新区可比口径"),
        "{overall}"
    );
    assert!(
        overall.contains("环比") || overall.contains("与上季度基本持平"),
        "{overall}"
    );
    assert!(overall.contains("不作同比"), "{overall}");
    assert!(
        !overall.contains("同比增长") && !overall.contains("同比下降"),
        "{overall}"
    );
    let sent_back: Vec<&str> = r
        .submissions
        .iter()
        .filter(|s| s.status == shuanggao::report::ReportingStatus::SentBack)
        .map(|s| s.zone.as_str())
        .collect();
    assert!(
        !sent_back.is_empty(),
        "the sample sends a zone back in 2026Q3"
    );
    let problems = section(&r, 2);
    let steps = section(&r, 3);
    for zone in &sent_back {
        assert!(
            problems.contains(zone) && steps.contains(&format!("督促{zone}")),
            "{zone}"
        );
    }
    // Every lagging target's pace is said in 下一步, over the quarters
    // that count: the quarters left, or the due year's for an annual one.
    for t in r.targets.iter().filter(|t| {
        matches!(
            t.status,
            shuanggao::report::TargetStatus::Watch | shuanggao::report::TargetStatus::Behind
        )
    }) {
        assert!(steps.contains(&t.name), "{}: {steps}", t.name);
    }
    assert!(steps.contains("按剩余5个季度计，每季度需新增"), "{steps}");
    assert!(steps.contains("按2027年4个季度计，每季度需新增"), "{steps}");
    println!("{}", text.join("\n"));
}

#[test]
fn the_first_quarter_has_no_quarter_on_quarter() {
    let r = sample("2025Q3");
    assert_text_is_the_model(&r);
    let all: String = (0..4).map(|n| section(&r, n)).collect();
    assert!(all.contains("试点启动首季度"), "{all}");
    assert!(!all.contains("环比") && !all.contains("同比"), "{all}");
    assert!(
        !all.contains("本季新增"),
        "the first quarter's flow is its total: {all}"
    );
}

#[test]
fn nothing_lags_reads_naturally() {
    let dir = config_with("targets.toml", |text| {
        text.lines()
            .map(|l| {
                if l.starts_with("target = ") {
                    "target = 1".to_string()
                } else if l.starts_with("factor = ") {
                    "factor = 0.001".to_string()
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    let r = report_with(dir.path(), "2026Q3");
    assert!(r.targets.iter().all(|t| !matches!(
        t.status,
        shuanggao::report::TargetStatus::Watch | shuanggao::report::TargetStatus::Behind
    )));
    assert_text_is_the_model(&r);
    assert!(
        section(&r, 2).contains("暂无滞后的目标"),
        "{}",
        section(&r, 2)
    );
    assert!(
        section(&r, 3).starts_with("一是保持现有推进节奏"),
        "{}",
        section(&r, 3)
    );
    assert!(!section(&r, 3).contains("剩余"));
}

#[test]
fn a_zone_that_added_nothing_says_so_in_words() {
    let r = sample("2026Q3");
    let key: Vec<&str> = ["SG01", "SG02", "SG05"].into();
    // Zones with their own figures that added nothing to a key indicator.
    let idle: Vec<&shuanggao::report::ZoneRow> = r
        .zones
        .iter()
        .filter(|z| z.basis == Basis::Fresh)
        .filter(|z| key.iter().any(|c| z.flows[*c].this_quarter == Some(0.0)))
        .collect();
    assert!(!idle.is_empty(), "the sample has a zone that added nothing");
    for z in idle {
        let page = r
            .pages
            .iter()
            .find(|p| p.code.as_ref() == Some(&z.code))
            .unwrap();
        let text = page.paragraph.text();
        assert!(text.contains("本季无新增"), "{text}");
    }
    // 新增0个 never; 新增0.37亿元 is a real amount.
    for p in &r.pages {
        let text = p.paragraph.text();
        let zero = text
            .match_indices("新增0")
            .any(|(i, m)| !text[i + m.len()..].starts_with('.'));
        assert!(!zero, "{text}");
    }
}

/// A copy of the shipped configuration with one file's text changed.
fn config_with(file: &str, change: impl Fn(&str) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let shipped = Config::load(&root().join("inputs/config")).unwrap();
    for f in shipped.files() {
        std::fs::copy(&f, dir.path().join(f.file_name().unwrap())).unwrap();
    }
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, change(&text)).unwrap();
    dir
}

#[test]
fn the_wording_thresholds_are_data() {
    // With 基本持平 widened to ±95 %, no growth of the sample is worth a
    // percentage; with 大幅增长 lowered to 1 %, every rise is 大幅增长.
    let wide = config_with("brief.toml", |t| {
        t.replace("flat = 0.05", "flat = 0.95")
            .replace("significant = 0.30", "significant = 0.96")
    });
    let r = report_with(wide.path(), "2026Q3");
    assert_text_is_the_model(&r);
    let overall = section(&r, 0);
    assert!(
        !overall.contains("增长") && !overall.contains("下降"),
        "{overall}"
    );
    assert!(overall.contains("与上季度基本持平") && overall.contains("不作同比"));

    let keen = config_with("brief.toml", |t| {
        t.replace("flat = 0.05", "flat = 0.001")
            .replace("significant = 0.30", "significant = 0.01")
    });
    let r = report_with(keen.path(), "2026Q3");
    let all: String = (0..4).map(|n| section(&r, n)).collect();
    assert!(all.contains("大幅增长"), "{all}");
    // A stock (常驻园区师生) is compared by level, never by a growth rate.
    assert!(
        all.contains("较上季度增加") && !all.contains("人，环比"),
        "{all}"
    );
    assert!(
        !all.replace("大幅增长", "").contains("增长"),
        "every rise is 大幅增长: {all}"
    );
}

#[test]
fn the_overview_sheet_opens_with_the_text() {
    use calamine::Reader;
    let r = sample("2026Q3");
    let bytes = shuanggao::render::workbook::write_workbook(&r).unwrap();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("总览").unwrap();
    let cells: Vec<String> = sheet.rows().flatten().map(|c| c.to_string()).collect();
    let at = |text: &str| cells.iter().position(|c| c.contains(text));
    let heading = at("一、总体情况").expect("the text's first heading on 总览");
    let first = r.narrative.sections[0].paragraphs[0].text();
    assert!(at(&first).unwrap() > heading, "«{first}» under its heading");
    assert!(
        at("四、下一步工作建议").unwrap() < at("核心指标").unwrap(),
        "the text comes first"
    );
}
