//! A corpus of returns made the way zone clerks make them (openpyxl,
//! LibreOffice, .xls/.ods/.xlsm, messy layouts, broken files; see
//! tests/corpus/README.md). Every file is checked alone as 2025Q3 and must
//! give exactly the errors and warnings listed in expected.toml, at the
//! listed cells, and at least the listed infos.

mod common;

use std::path::Path;

use serde::Deserialize;
use shuanggao::config::Config;
use shuanggao::ingest::InputFile;
use shuanggao::model::{Period, Severity};
use shuanggao::validate::{self, History};

#[derive(Deserialize)]
struct Expected {
    file: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    path: String,
    zone: Option<String>,
    findings: Vec<Spot>,
    infos: Vec<Spot>,
}

#[derive(Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Spot {
    rule: String,
    sheet: Option<String>,
    cell: Option<String>,
}

fn corpus() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus"))
}

fn check(config: &Config, path: &str) -> validate::PeriodCheck {
    let file = InputFile {
        path: corpus().join(path),
        name: path.to_string(),
    };
    validate::check_period(
        config,
        Period::parse("2025Q3").unwrap(),
        &[file],
        &History::default(),
    )
}

#[test]
fn every_corpus_file_gets_the_right_rule_at_the_right_cell() {
    let config = Config::load(&corpus().join("../../inputs/config")).unwrap();
    let expected: Expected =
        toml::from_str(&std::fs::read_to_string(corpus().join("expected.toml")).unwrap()).unwrap();
    assert!(expected.file.len() >= 60);
    let mut failures = Vec::new();
    for case in &expected.file {
        let c = check(&config, &case.path);
        let spot = |f: &shuanggao::model::Finding| Spot {
            rule: f.rule.clone(),
            sheet: f.sheet.clone(),
            cell: f.cell.clone(),
        };
        let mut got: Vec<Spot> = c
            .findings()
            .filter(|f| f.severity != Severity::Info)
            .map(spot)
            .collect();
        let mut want = case.findings.clone();
        got.sort();
        want.sort();
        if got != want {
            failures.push(format!("{}: expected {want:?}\n    got {got:?}", case.path));
        }
        let infos: Vec<Spot> = c
            .findings()
            .filter(|f| f.severity == Severity::Info)
            .map(spot)
            .collect();
        for info in &case.infos {
            if !infos.contains(info) {
                failures.push(format!(
                    "{}: missing info {info:?} among {infos:?}",
                    case.path
                ));
            }
        }
        let zone = c
            .findings()
            .next()
            .and_then(|f| f.zone.clone())
            .or_else(|| {
                c.submissions[0]
                    .zone
                    .as_deref()
                    .and_then(|z| config.registry.zone(z))
                    .map(|z| z.name.clone())
            });
        if zone != case.zone {
            failures.push(format!(
                "{}: zone {zone:?}, expected {:?}",
                case.path, case.zone
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn other_formats_read_to_the_same_figures() {
    let config = Config::load(&corpus().join("../../inputs/config")).unwrap();
    let figures = |path: &str| {
        let c = check(&config, path);
        let r = c.submissions[0].ret.clone().expect("readable");
        (
            common::figures(&r),
            r.info.fill_date.as_ref().map(|d| d.value),
            r.projects.len(),
        )
    };
    let xlsx = figures("files/clean_banner.xlsx");
    assert!(xlsx.2 > 0);
    assert_eq!(figures("files/clean_banner.xls"), xlsx);
    assert_eq!(figures("files/clean_banner.ods"), xlsx);
    assert_eq!(
        figures("files/clean_plain_copy.xlsm"),
        figures("files/clean_plain.xlsx")
    );
}
