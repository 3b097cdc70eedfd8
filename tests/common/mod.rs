//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::Path;

use shuanggao::config::Config;
use shuanggao::model::draft::{Cell, Draft};
use shuanggao::model::{Period, Return};

pub mod messy;

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn config() -> Config {
    Config::load(&root().join("inputs/config")).expect("shipped config loads")
}

pub fn q(s: &str) -> Period {
    Period::parse(s).expect("a valid period")
}

/// A 核心指标 row of a draft, by indicator code.
pub fn indicator<'a>(d: &'a mut Draft, code: &str) -> &'a mut Vec<Cell> {
    d.indicators
        .iter_mut()
        .find(|r| r[0] == Cell::Text(code.into()))
        .expect("the draft has the indicator")
}

pub fn number(c: &Cell) -> f64 {
    match c {
        Cell::Number(v) => *v,
        other => panic!("not a number: {other:?}"),
    }
}

/// The figures a return contributes, without positions.
pub fn figures(r: &Return) -> String {
    let mut s = String::new();
    for (code, v) in &r.indicators {
        s += &format!(
            "{code}={:?}/{:?};",
            v.new.as_ref().map(|x| x.value),
            v.cumulative.as_ref().map(|x| x.value)
        );
    }
    for p in &r.projects {
        s += &format!(
            "{}|{:?}|{}|{:?}|{:?}|{:?}|{:?}|{:?};",
            p.name.value,
            p.universities,
            p.enterprise,
            p.category,
            p.start_date,
            p.contract,
            p.funded.as_ref().map(|f| f.value),
            p.status
        );
    }
    for p in &r.platforms {
        s += &format!(
            "{}|{:?}|{:?}|{:?}|{:?};",
            p.name.value, p.kind, p.level, p.universities, p.built_date
        );
    }
    s
}

/// A whole number with thousands separators (`1,465`), written here
/// independently of the code under test.
pub fn grouped(v: f64) -> String {
    let s = (v.round() as i64).to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `shuanggao report --out OUT EXTRA…` on the shipped sample.
pub fn run_report(out: &Path, extra: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_shuanggao"))
        .arg("report")
        .arg("--out")
        .arg(out)
        .args(extra)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

/// Copies a folder's files (and sub-folders) into `to`, created.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// Runs the `shuanggao` binary from the crate root: (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_shuanggao"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The report of `period` from a returns folder, with the shipped config.
pub fn report_at(returns: &Path, period: &str) -> shuanggao::report::Report {
    report_with(&config(), returns, period)
}

/// The report of `period` from a returns folder, with `config`.
pub fn report_with(config: &Config, returns: &Path, period: &str) -> shuanggao::report::Report {
    let folder = shuanggao::ingest::ReturnsFolder::scan(returns).unwrap();
    shuanggao::pipeline::run(
        config,
        &folder,
        q(period),
        Default::default(),
        shuanggao::validate::Options::default(),
    )
    .unwrap()
    .report
}
