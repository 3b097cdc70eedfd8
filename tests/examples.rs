//! The 全面覆盖 example (`inputs/examples/全面覆盖/`, issue 19): the 18 pilots
//! and 43 synthetic zones (示例NN高新区) joining in 2027, so that all 61
//! take part. Its config is the shipped one plus those zones; the sample
//! generator reproduces its returns; a joining zone starts at its cohort;
//! and the outputs stay legible at 61 zones: the charts that list zones
//! (labels counted and sized from the SVG), the brief's pages, a city page
//! of seven zones, the workbook's zone sheets in print, and 综合评价's new
//! zones (新, no change of rank; `rank_new`).

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::root;
use shuanggao::config::{Config, IndicatorKind};
use shuanggao::ingest::ReturnsFolder;
use shuanggao::model::{Period, Severity};
use shuanggao::report::{Movement, Report};

const EXAMPLE: &str = "inputs/examples/全面覆盖";
/// The quarters the example ships: 2025Q3–2027Q4.
const QUARTERS: usize = 10;

fn example() -> PathBuf {
    root().join(EXAMPLE)
}

fn example_config() -> Config {
    Config::load(&example().join("config")).unwrap()
}

fn q(s: &str) -> Period {
    Period::parse(s).unwrap()
}

fn report_of(config: &Config, period: &str) -> Report {
    common::report_with(config, &example().join("returns"), period)
}

/// The example's report of 2027Q2 with every output, written once for the
/// tests of this file.
fn outputs() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let ex = example();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_shuanggao"))
            .arg("report")
            .arg("--config")
            .arg(ex.join("config"))
            .arg("--returns")
            .arg(ex.join("returns"))
            .args(["--period", "2027Q2", "--out"])
            .arg(dir.path())
            .current_dir(root())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    });
    dir.path()
}

/// The shipped sample's report of 2026Q3 (18 zones) with every output.
fn sample_outputs() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        assert!(common::run_report(dir.path(), &[]).status.success());
        dir
    });
    dir.path()
}

// ---- the example itself -----------------------------------------------------

#[test]
fn the_example_config_is_the_shipped_one_plus_43_synthetic_zones() {
    let shipped = root().join("inputs/config");
    let mut names: Vec<String> = std::fs::read_dir(&shipped)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut theirs: Vec<String> = std::fs::read_dir(example().join("config"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    theirs.sort();
    assert_eq!(names, theirs, "the same files");
    for name in names.iter().filter(|n| *n != "registry.toml") {
        assert_eq!(
            std::fs::read_to_string(shipped.join(name)).unwrap(),
            std::fs::read_to_string(example().join("config").join(name)).unwrap(),
            "{name} differs from inputs/config: copy it (`just example`)"
        );
    }
    // registry.toml: the shipped one, then only the synthetic zones.
    let ours = std::fs::read_to_string(shipped.join("registry.toml")).unwrap();
    let theirs = std::fs::read_to_string(example().join("config/registry.toml")).unwrap();
    let tail = theirs
        .strip_prefix(ours.trim_end())
        .expect("the example's registry starts with the shipped one");
    let tail: toml::Table = toml::from_str(tail).unwrap();
    assert_eq!(
        tail.keys().collect::<Vec<_>>(),
        ["zone"],
        "only zones added"
    );
    let config = example_config();
    let zones = &config.registry.zones;
    assert_eq!(zones.len(), 61);
    assert_eq!(zones.iter().filter(|z| z.cohort == 2025).count(), 18);
    let added: Vec<_> = zones.iter().filter(|z| z.cohort != 2025).collect();
    assert_eq!(added.len(), 43);
    for (n, z) in (1..).zip(&added) {
        // Named and labelled 示例, never a real zone's name; no pair.
        assert_eq!(z.name, format!("示例{n:02}高新区"));
        assert_eq!(z.code.as_str(), format!("EX{n:02}"));
        assert_eq!(z.cohort, 2027);
        assert!(config.registry.paired_universities(&z.name).is_empty());
    }
    let mut per_city: BTreeMap<&str, usize> = BTreeMap::new();
    for z in zones {
        *per_city.entry(&z.city).or_default() += 1;
    }
    assert_eq!(per_city.len(), 13, "{per_city:?}");
    assert_eq!(per_city["苏州市"], 7, "a city of seven zones");
    assert_eq!(
        config.registry.pairs.len(),
        Config::load(&shipped).unwrap().registry.pairs.len()
    );
}

#[test]
fn the_generator_reproduces_the_example_returns() {
    let dir = tempfile::tempdir().unwrap();
    let written = shuanggao::sample::write_all(&example_config(), dir.path(), QUARTERS).unwrap();
    // 18 pilots × 10 quarters, 无锡's 2026Q3 resubmission, 43 zones × 4.
    assert_eq!(written, 18 * 10 + 1 + 43 * 4);
    let shipped = example().join("returns");
    let mut bytes = 0;
    let mut count = 0;
    for period in shuanggao::sample::sample_periods(QUARTERS) {
        let made = dir.path().join(period.to_string());
        let mut ours: Vec<_> = std::fs::read_dir(&made)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        ours.sort();
        let mut theirs: Vec<_> = std::fs::read_dir(shipped.join(period.to_string()))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        theirs.sort();
        assert_eq!(ours, theirs, "{period}");
        for name in ours {
            let file = shipped.join(period.to_string()).join(&name);
            let got = std::fs::read(&file).unwrap();
            assert!(
                got == std::fs::read(made.join(&name)).unwrap(),
                "{} differs: run `just example`",
                file.display()
            );
            bytes += got.len();
            count += 1;
        }
    }
    assert_eq!(count, written);
    assert!(bytes < 12_000_000, "the example is {bytes} bytes");
}

#[test]
fn the_pilots_returns_are_the_shipped_sample_s() {
    for period in ["2025Q3", "2026Q3"] {
        for entry in std::fs::read_dir(root().join("inputs/returns").join(period)).unwrap() {
            let entry = entry.unwrap();
            let theirs = example()
                .join("returns")
                .join(period)
                .join(entry.file_name());
            assert!(
                std::fs::read(entry.path()).unwrap() == std::fs::read(&theirs).unwrap(),
                "{}",
                theirs.display()
            );
        }
    }
}

/// A zone of the 2027 cohort sends its first return in 2027Q1; its first
/// 累计值 is that quarter's flow; every one of its returns is clean
/// (dates within its cohort: no T01–T03), and it starts smaller than a
/// pilot.
#[test]
fn a_joining_zone_starts_at_its_cohort_with_its_first_cumulative_its_flow() {
    let config = example_config();
    let folder = ReturnsFolder::scan(&example().join("returns")).unwrap();
    let checks = shuanggao::validate::check_through(&config, &folder, q("2027Q4"));
    assert_eq!(checks.len(), QUARTERS);
    let joining = |code: &str| code.starts_with("EX");
    for c in &checks {
        let zones: Vec<&str> = c
            .submissions
            .iter()
            .filter_map(|s| s.zone.as_ref().map(|z| z.as_str()))
            .filter(|z| joining(z))
            .collect();
        if c.period < q("2027Q1") {
            assert!(zones.is_empty(), "{}: {zones:?}", c.period);
            continue;
        }
        assert_eq!(zones.len(), 43, "{}", c.period);
        let noted: Vec<_> = c
            .submissions
            .iter()
            .filter(|s| s.zone.as_ref().is_some_and(|z| joining(z.as_str())))
            .flat_map(|s| &s.findings)
            .filter(|f| f.severity != Severity::Info)
            .collect();
        assert!(noted.is_empty(), "{}: {noted:#?}", c.period);
    }
    let entry = checks.iter().find(|c| c.period == q("2027Q1")).unwrap();
    let mut projects = Vec::new();
    for s in entry
        .submissions
        .iter()
        .filter(|s| joining(s.zone.as_ref().unwrap().as_str()))
    {
        let ret = s.ret.as_ref().unwrap();
        let flows = config
            .indicators
            .all
            .iter()
            .filter(|i| i.kind == IndicatorKind::Flow);
        for i in flows {
            assert_eq!(
                ret.cumulative(&i.code),
                ret.new_value(&i.code),
                "{} {}: first 累计值 = the quarter's flow",
                s.source.name,
                i.code
            );
        }
        projects.push(ret.cumulative("SG01").unwrap());
        let joined = chrono::NaiveDate::from_ymd_opt(2027, 1, 1);
        assert!(ret.projects.iter().all(|p| p.start_date >= joined));
    }
    // A pilot's first quarter listed 190 ÷ 18 ≈ 10.6 projects.
    let mean = projects.iter().sum::<f64>() / projects.len() as f64;
    assert!((2.0..8.0).contains(&mean), "{mean}");
}

// ---- legible at 61 zones ------------------------------------------------------

/// Each `<text>` of an SVG: (font-size, text).
fn svg_texts(svg: &str) -> Vec<(f64, String)> {
    svg.split("<text ")
        .skip(1)
        .map(|t| {
            let size = t
                .split("font-size=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .and_then(|s| s.parse().ok())
                .expect("a font size");
            let body = t.split('>').nth(1).unwrap_or("");
            let body = body.split('<').next().unwrap_or("");
            (size, body.trim().to_string())
        })
        .collect()
}

/// The charts that list zones (分区…, 综合评价) of a report folder.
fn zone_charts(folder: &Path) -> Vec<(String, String)> {
    let mut charts: Vec<(String, String)> = std::fs::read_dir(folder.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.ends_with(".svg") && (name.contains("_分区") || name.contains("综合评价"))
        })
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    charts.sort();
    charts
}

/// The smallest font-size a chart that lists zones may use, in SVG pixels:
/// the brief prints the 1600-pixel chart 84 % of A4's text width across
/// (17.4 cm × 0.84 = 414 pt, 0.26 pt a pixel), so 23 pixels print at 6 pt.
const MIN_SVG_PX: f64 = 23.0;
/// At most this many labelled bars on a chart.
const MAX_BARS: usize = 21;

/// Bars are labelled `N. 名称` (a zone with its place) or `其余N个高新区`.
fn bar_labels(texts: &[(f64, String)]) -> Vec<&str> {
    texts
        .iter()
        .map(|t| t.1.as_str())
        .filter(|t| {
            t.starts_with("其余")
                || t.split_once(". ")
                    .is_some_and(|(n, _)| n.parse::<usize>().is_ok())
        })
        .collect()
}

#[test]
fn charts_of_zones_are_legible_at_18_and_61_zones() {
    for (folder, zones) in [
        (sample_outputs().join("2026Q3"), 18),
        (outputs().join("2027Q2"), 61),
    ] {
        let charts = zone_charts(&folder);
        assert_eq!(charts.len(), 3, "two 分区 charts and 综合评价");
        for (name, svg) in &charts {
            let texts = svg_texts(svg);
            for (size, text) in &texts {
                assert!(*size >= MIN_SVG_PX, "{name}: «{text}» at {size} px");
            }
            let labels = bar_labels(&texts);
            assert!(labels.len() <= MAX_BARS, "{name}: {} bars", labels.len());
            let rest = labels.iter().filter(|l| l.starts_with("其余")).count();
            let named = labels.len() - rest;
            if zones == 18 {
                assert_eq!((named, rest), (18, 0), "{name}: every zone");
            } else {
                assert_eq!(rest, 1, "{name}: the middle as one bar");
                // The first and last eight, fewer when a tie at the bottom
                // is too long to name whole (the other test checks ties).
                assert!((9..=20).contains(&named), "{name}: {named} zones named");
                let note = texts.iter().find(|t| t.1.starts_with("共61个高新区"));
                assert!(note.is_some(), "{name} says what it leaves out");
            }
        }
    }
}

/// The cut never splits a tie: the last zone named at the top and the first
/// one after it differ, and so do the last one in the rest and the first
/// one named at the bottom.
#[test]
fn a_chart_cut_at_61_zones_keeps_ties_whole_and_the_rest_is_their_mean() {
    let r = report_of(&example_config(), "2027Q2");
    for ranking in &r.rankings {
        let cut = ranking.cut();
        let zones = &ranking.zones;
        let rest = cut.rest.as_ref().expect("61 zones are cut");
        assert_eq!(cut.first + rest.count + cut.last, zones.len());
        let values: Vec<f64> = zones.iter().map(|z| z.value).collect();
        assert_ne!(values[cut.first - 1], values[cut.first], "{}", ranking.code);
        let tail = zones.len() - cut.last;
        if cut.last > 0 {
            assert_ne!(values[tail - 1], values[tail], "{}", ranking.code);
        }
        let middle = &values[cut.first..tail];
        let mean = middle.iter().sum::<f64>() / middle.len() as f64;
        assert!((rest.mean - mean).abs() < 1e-9);
        assert_eq!(rest.ranks.0, zones[cut.first].rank);
        assert_eq!(rest.ranks.1, zones[tail - 1].rank);
    }
}

fn pdf_pages(path: &Path) -> Vec<String> {
    pdf_extract::extract_text_from_mem_by_pages(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn the_brief_stays_2_to_4_pages_and_a_city_of_seven_zones_one_page() {
    let folder = outputs().join("2027Q2");
    let brief = pdf_pages(&folder.join("双高协同领导简报_2027Q2.pdf"));
    assert!((2..=4).contains(&brief.len()), "{} pages", brief.len());
    let listed = |sub: &str| std::fs::read_dir(folder.join(sub)).unwrap().count();
    assert_eq!(listed("分市简报"), 13);
    assert_eq!(listed("分区简报"), 61);
    let config = example_config();
    for city in ["苏州市", "南京市", "无锡市"] {
        let pages = pdf_pages(&folder.join(format!("分市简报/{city}_2027Q2.pdf")));
        assert_eq!(pages.len(), 1, "{city} is one page");
        let text: String = pages[0].chars().filter(|c| !c.is_whitespace()).collect();
        for z in config.registry.zones.iter().filter(|z| z.city == city) {
            assert!(text.contains(&z.name), "{city} lists {}", z.name);
        }
    }
}

/// The workbook's sheets that list zones print on A4 with their header
/// rows (and zone names) on every page; 分区图表's charts each start a page
/// and fit it.
#[test]
fn the_zone_sheets_print_on_a4_with_their_headers_at_61_zones() {
    let path = outputs().join("2027Q2/双高协同季度报告_2027Q2.xlsx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let workbook = read("xl/workbook.xml");
    let sheet_of = |name: &str| -> usize {
        let names: Vec<&str> = workbook
            .split("<sheet ")
            .skip(1)
            .map(|s| {
                s.split("name=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
            })
            .collect();
        1 + names.iter().position(|n| *n == name).unwrap()
    };
    for (sheet, titles) in [
        ("分区", "分区!$A:$B,分区!$1:$2"),
        ("综合评价", "综合评价!$A:$B,综合评价!$1:$2"),
        ("分市", "分市!$A:$A,分市!$1:$2"),
    ] {
        assert!(workbook.contains(titles), "{sheet}: print titles {titles}");
        let xml = read(&format!("xl/worksheets/sheet{}.xml", sheet_of(sheet)));
        assert!(xml.contains(r#"paperSize="9""#), "{sheet} on A4");
        // Down as many pages as the zones need, never shrunk to one.
        assert!(!xml.contains(r#"fitToHeight="1""#), "{sheet}");
    }
    let charts = read(&format!("xl/worksheets/sheet{}.xml", sheet_of("分区图表")));
    let breaks = charts.matches("<brk ").count();
    assert_eq!(breaks, 2, "three charts, each from a new page");
    for n in 1..=3 {
        let drawing = read(&format!("xl/charts/chart{n}.xml"));
        let points = drawing.split("<c:ptCount val=\"").nth(1).unwrap();
        let points: usize = points.split('"').next().unwrap().parse().unwrap();
        assert!(points <= MAX_BARS, "chart{n}: {points} bars");
    }
}

// ---- 综合评价: new zones ---------------------------------------------------------

/// In 2027Q1 the 43 zones join: each is 新 with no change of rank, ranked
/// (`rank_new = true`); a pilot's change of rank is its place among the
/// zones ranked both quarters, so the 43 moving in above it move nobody.
#[test]
fn new_zones_are_marked_new_and_move_no_pilot() {
    let config = example_config();
    let r = report_of(&config, "2027Q1");
    let card = &r.scorecard;
    assert_eq!(card.zones.len(), 61);
    assert_eq!(card.compared, 18);
    let before = report_of(&config, "2026Q4");
    let rank_then = |code: &str| before.scorecard.zone(code).and_then(|z| z.rank);
    // Each pilot's place among the pilots, then and now (both quarters rank
    // only them and the new zones).
    let pilots: Vec<_> = card.zones.iter().filter(|z| !z.entry).collect();
    assert_eq!(pilots.len(), 18);
    let place =
        |rank: Option<usize>, all: &[Option<usize>]| 1 + all.iter().filter(|r| **r < rank).count();
    let now: Vec<Option<usize>> = pilots.iter().map(|z| z.rank).collect();
    let then: Vec<Option<usize>> = pilots.iter().map(|z| rank_then(&z.code)).collect();
    for (i, z) in pilots.iter().enumerate() {
        let (a, b) = (place(then[i], &then), place(now[i], &now));
        let expected = match z.basis {
            shuanggao::report::Basis::Carried => Movement::None,
            _ if a > b => Movement::Up(a - b),
            _ if a < b => Movement::Down(b - a),
            _ => Movement::Same,
        };
        assert_eq!(z.movement, expected, "{}", z.name);
    }
    for z in card.zones.iter().filter(|z| z.entry) {
        assert!(z.code.starts_with("EX"));
        assert_eq!(z.movement, Movement::New);
        assert_eq!(z.movement.label_zh(), "新");
        assert_eq!(z.rank_change(), None);
        assert!(z.rank.is_some() && z.score.is_some(), "{} ranked", z.name);
        assert!(z.mark_zh().contains("新加入"));
    }
    assert_eq!(card.zones.iter().filter(|z| z.entry).count(), 43);
    let notes = card.method_zh().join("");
    assert!(notes.contains("两季均参与排名的18个高新区"), "{notes}");
    assert!(notes.contains("本季新加入的43个高新区标“新”"), "{notes}");
    // 2027Q2: nobody joins; every zone ranked both quarters is compared.
    let r = report_of(&config, "2027Q2");
    assert_eq!(r.scorecard.compared, 61);
    assert!(r
        .scorecard
        .zones
        .iter()
        .all(|z| !z.entry && z.movement != Movement::New));
    let notes = r.scorecard.method_zh().join("");
    assert!(
        !notes.contains("可比口径") && !notes.contains("新加入"),
        "{notes}"
    );
}

/// With `rank_new = false` a new zone is listed as 新 but not scored or
/// ranked in its first quarter (nor counted in the means), and ranked from
/// its second, without a change of rank.
#[test]
fn rank_new_false_leaves_new_zones_unranked_in_their_first_quarter() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&example().join("config"), dir.path());
    let file = dir.path().join("scorecard.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("rank_new = true"));
    std::fs::write(&file, text.replace("rank_new = true", "rank_new = false")).unwrap();
    let config = Config::load(dir.path()).unwrap();
    let r = report_of(&config, "2027Q1");
    let shipped = report_of(&example_config(), "2026Q4");
    for z in &r.scorecard.zones {
        if z.entry {
            assert_eq!((z.score, z.rank), (None, None), "{}", z.name);
            assert_eq!(z.movement, Movement::New);
            assert_eq!(z.mark_zh(), "本季新加入，本季不参与排名");
        } else {
            assert!(z.rank.is_some() && z.rank <= Some(18), "{}", z.name);
        }
    }
    assert!(shipped.scorecard.zones.iter().all(|z| !z.entry));
    let notes = r.scorecard.method_zh().join("");
    assert!(notes.contains("本季不参与评分和排名"), "{notes}");
    let r = report_of(&config, "2027Q2");
    for z in r
        .scorecard
        .zones
        .iter()
        .filter(|z| z.code.starts_with("EX"))
    {
        assert!(z.rank.is_some(), "{} ranked in its second quarter", z.name);
        assert_eq!(z.movement, Movement::None, "{}: nothing to compare", z.name);
    }
}

// ---- 2027 as the stage it is ---------------------------------------------------

/// Every sentence of the brief and the pages of `r`.
fn words(r: &Report) -> String {
    let pages = r.pages.iter().map(|p| &p.paragraph);
    r.narrative
        .sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .chain(pages)
        .map(|p| p.text())
        .collect::<Vec<_>>()
        .join("\n")
}

/// 2027Q1–Q4: 参与高新区 is met when the cohort joins (61 of 61 in
/// 2027Q1), never paced; the 43 zones' first quarter is told apart as an
/// entry (新加入, what they brought) and only then.
#[test]
fn the_cohort_joins_in_2027q1_and_its_entry_is_told_apart() {
    let config = example_config();
    for period in ["2027Q1", "2027Q2", "2027Q3", "2027Q4"] {
        let r = report_of(&config, period);
        let zones = r.targets.iter().find(|t| t.name == "参与高新区").unwrap();
        assert_eq!(zones.value, 61.0, "{period}");
        assert_eq!(
            zones.status,
            shuanggao::report::TargetStatus::Met,
            "{period}"
        );
        let text = words(&r);
        let told = text.contains("本季新加入43个高新区");
        assert_eq!(told, period == "2027Q1", "{period}: {text}");
        if period == "2027Q1" {
            assert!(text.contains("不参与环比、同比"), "{text}");
        }
    }
    // Before the cohort's start the 18 pilots take part, and it is due.
    let r = report_of(&config, "2026Q4");
    let zones = r.targets.iter().find(|t| t.name == "参与高新区").unwrap();
    assert_eq!(zones.value, 18.0);
    assert_eq!(zones.status, shuanggao::report::TargetStatus::Pending);
}

/// 试点 words belong to the pilot stage and to the 18 pilots: from 2027 the
/// programme is 双高协同 and its zones 高新区; 2026 stays the pilot's.
#[test]
fn the_pilot_wording_only_where_it_belongs() {
    let config = example_config();
    let r = report_of(&config, "2026Q4");
    assert_eq!(r.stage.programme, "双高协同试点");
    assert!(words(&r).contains("试点高新区"));
    for period in ["2027Q1", "2027Q2", "2027Q3", "2027Q4"] {
        let r = report_of(&config, period);
        assert_eq!(r.stage.programme, "双高协同", "{period}");
        let text = words(&r);
        assert!(!text.contains("61个试点"), "{period}: {text}");
        assert!(!text.contains("双高协同试点"), "{period}: {text}");
        // 试点 only as the pilots' own name (18个试点高新区, 试点高新区
        // 累计 since the pilot's start), never for the 61.
        for (i, _) in text.match_indices("试点") {
            let around: String = text[..i]
                .chars()
                .rev()
                .take(6)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            assert!(!around.contains("61"), "{period}: «{around}试点»");
        }
    }
    let brief = |folder: &Path, period: &str| -> String {
        pdf_pages(&folder.join(format!("{period}/双高协同领导简报_{period}.pdf")))[0].clone()
    };
    let first = brief(outputs(), "2027Q2");
    assert!(
        first.contains("双高协同") && !first.contains("双高协同试点"),
        "{first}"
    );
    assert!(brief(sample_outputs(), "2026Q3").contains("双高协同试点"));
}

/// A zone that joined in 2027 has its page from its entry: its 报送记录
/// starts at 2027Q1 (no 无数据 for quarters before it took part), and the
/// universities its project lists name, none a registered pair, are listed
/// as such, never as 结对.
#[test]
fn a_joining_zone_s_page_starts_at_its_entry_and_claims_no_pair() {
    let r = report_of(&example_config(), "2027Q2");
    let page = r
        .pages
        .iter()
        .find(|p| p.name == "示例01高新区")
        .expect("a page");
    let record: Vec<String> = page.record.iter().map(|(p, _)| p.to_string()).collect();
    assert_eq!(record, ["2027Q1", "2027Q2"]);
    assert!(!page.pairs.is_empty() && page.pairs.iter().all(|p| !p.confirmed));
    let pdf = pdf_pages(&outputs().join("2027Q2/分区简报/示例01高新区_2027Q2.pdf"));
    let text: String = pdf
        .concat()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(text.contains("结对与合作高校"), "{text}");
    assert!(text.contains("（项目合作，未登记为结对）"), "{text}");
    assert!(!text.contains("2025年三季度"), "{text}");
    assert!(!text.contains("新加入1个高新区"), "{text}");
}

/// The tables' notes name who a comparison leaves out; a cohort joining is
/// one group (its first names and its count), so the note stays a line a
/// printed page can hold.
#[test]
fn the_notes_name_a_joining_cohort_as_one_group() {
    let r = report_of(&example_config(), "2027Q1");
    let notes = r.panels.notes_zh(&r.flow_rules);
    let qoq = notes
        .iter()
        .find(|n| n.contains("环比不含"))
        .expect("a note");
    assert!(
        qoq.contains("示例01高新区、示例02高新区、示例03高新区等43个高新区（均本季为加入首季度）"),
        "{qoq}"
    );
    assert!(qoq.chars().count() < 120, "{qoq}");
    // 常州高新区 was carried in 2026Q3, so its 2026Q4 flow is not measured.
    assert!(
        qoq.contains("常州高新区（2026年第三季度沿用此前数据）"),
        "{qoq}"
    );
}
