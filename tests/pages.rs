//! 分市简报, 分区简报 and 一图读懂 (issue 10): one A4 page for each city and
//! zone with its own numbers (checked against facts.csv), the flags that
//! limit them, and the picture's size and figures.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{grouped, q, root, run_report};
use shuanggao::config::Config;
use shuanggao::ingest::ReturnsFolder;

fn pdf_pages(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    pdf_extract::extract_text_from_mem_by_pages(&bytes).unwrap()
}

fn flat(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A facts.csv row: (period, zone, city, indicator, value).
type FactRow = (String, String, String, String, f64);

fn facts(folder: &Path) -> Vec<FactRow> {
    let text = std::fs::read_to_string(folder.join("facts.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[0].to_string(),
                r[2].to_string(),
                r[3].to_string(),
                r[4].to_string(),
                r[6].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_page_for_every_city_and_zone_with_its_own_numbers() {
    let dir = tempfile::tempdir().unwrap();
    assert!(run_report(dir.path(), &[]).status.success());
    let folder = dir.path().join("2026Q3");
    let config = Config::load(&root().join("inputs/config")).unwrap();
    let facts = facts(&folder);
    let report = shuanggao::pipeline::run(
        &config,
        &ReturnsFolder::scan(&root().join("inputs/returns")).unwrap(),
        q("2026Q3"),
        BTreeMap::new(),
        Default::default(),
    )
    .unwrap()
    .report;
    let now = |keep: &dyn Fn(&FactRow) -> bool, code: &str| -> Option<f64> {
        let rows: Vec<f64> = facts
            .iter()
            .filter(|f| f.0 == "2026Q3" && f.3 == code && keep(f))
            .map(|f| f.4)
            .collect();
        (!rows.is_empty()).then(|| rows.iter().sum())
    };
    let mut cities: Vec<&str> = Vec::new();
    for z in &config.registry.zones {
        if !cities.contains(&z.city.as_str()) {
            cities.push(&z.city);
        }
    }
    assert_eq!(cities.len(), 13);
    let listed = |sub: &str| std::fs::read_dir(folder.join(sub)).unwrap().count();
    assert_eq!(listed("分市简报"), 13);
    assert_eq!(listed("分区简报"), config.registry.zones.len());
    for city in &cities {
        let pages = pdf_pages(&folder.join(format!("分市简报/{city}_2026Q3.pdf")));
        assert_eq!(pages.len(), 1, "{city} is one page");
        let text = flat(&pages[0]);
        assert!(text.contains(city) && text.contains("分市简报"), "{city}");
        let sg01 = now(&|f| f.2 == *city, "SG01").unwrap();
        assert!(
            text.contains(&format!("合作研发项目{}个", grouped(sg01))),
            "{city} SG01 {sg01}: {text}"
        );
        let sg05 = now(&|f| f.2 == *city, "SG05").unwrap();
        assert!(
            text.contains(&format!("{:.2}", sg05 / 10_000.0)),
            "{city} SG05 {sg05}"
        );
    }
    for zone in &config.registry.zones {
        let pages = pdf_pages(&folder.join(format!("分区简报/{}_2026Q3.pdf", zone.name)));
        assert_eq!(pages.len(), 1, "{} is one page", zone.name);
        let text = flat(&pages[0]);
        assert!(text.contains(&zone.name), "{}", zone.name);
        match now(&|f| f.1 == zone.name, "SG01") {
            Some(v) => assert!(
                text.contains(&format!("合作研发项目{}个", grouped(v))),
                "{} {v}",
                zone.name
            ),
            None => assert!(text.contains("暂无数据"), "{}", zone.name),
        }
        let scored = report
            .scorecard
            .zone(zone.code.as_str())
            .and_then(|z| z.score);
        if let Some(score) = scored {
            assert!(
                text.contains(&format!("综合评价得分{score:.2}")),
                "{} scores {score}",
                zone.name
            );
        }
        for pair in
            config.registry.pairs.iter().filter(|p| {
                config.registry.zone_by_text(&p.zone).map(|z| &z.code) == Some(&zone.code)
            })
        {
            assert!(
                text.contains(&flat(&pair.university)),
                "{} pairs with {}",
                zone.name,
                pair.university
            );
        }
    }
}

#[test]
fn flags_choose_the_pages() {
    let dir = tempfile::tempdir().unwrap();
    assert!(run_report(dir.path(), &["--only-province"])
        .status
        .success());
    let folder = dir.path().join("2026Q3");
    assert!(!folder.join("分市简报").exists() && !folder.join("分区简报").exists());
    assert!(folder.join("双高协同领导简报_2026Q3.pdf").exists());

    assert!(
        run_report(dir.path(), &["--city", "苏州市", "--zone", "徐州高新区"])
            .status
            .success()
    );
    let names = |sub: &str| -> Vec<String> {
        std::fs::read_dir(folder.join(sub))
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(names("分市简报"), ["苏州市_2026Q3.pdf"]);
    assert_eq!(names("分区简报"), ["徐州高新区_2026Q3.pdf"]);

    let wrong = run_report(dir.path(), &["--zone", "不存在高新区"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("名录中没有高新区“不存在高新区”"));
}

#[test]
fn the_picture_is_tall_1080_wide_and_shows_the_briefs_figures() {
    let dir = tempfile::tempdir().unwrap();
    assert!(run_report(dir.path(), &["--only-province"])
        .status
        .success());
    let png = std::fs::read(dir.path().join("2026Q3/一图读懂_2026Q3.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert!((1075..=1085).contains(&width), "width {width}");
    assert!(height > 2 * width, "a tall portrait: {width}×{height}");

    let config = Config::load(&root().join("inputs/config")).unwrap();
    let folder = ReturnsFolder::scan(&root().join("inputs/returns")).unwrap();
    let report = shuanggao::pipeline::run(
        &config,
        &folder,
        q("2026Q3"),
        BTreeMap::new(),
        Default::default(),
    )
    .unwrap()
    .report;
    let fonts = shuanggao::render::fonts::Fonts::embedded();
    let charts = shuanggao::render::charts::draw_all(&report, &fonts).unwrap();
    let poster = shuanggao::render::poster::data(&report, &charts, "f");
    let brief = shuanggao::render::brief::data(&report, &charts, "f");
    assert_eq!(poster["headlines"], brief["headlines"]);
    assert_eq!(poster["targets"], brief["targets"]);
    // The leading zone is the ranking's first, with its 累计值.
    let first = &report.ranking("SG01").unwrap().zones[0];
    assert_eq!(poster["top_zones"][0]["name"], first.name.as_str());
    assert_eq!(
        poster["top_zones"][0]["value"],
        grouped(first.value).as_str()
    );
}
