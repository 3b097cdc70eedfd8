//! `cargo bench`: the speed and memory goals, measured (never in a timed test).
//!
//! - the whole quarterly report on the shipped sample (18 zones, 5 quarters);
//! - `check` of the latest quarter;
//! - hostile files (a far cell, a zero-byte file, a truncated zip, a text file,
//!   an encrypted workbook): each must give F01 well under a second, with the
//!   process's peak memory barely moving.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use shuanggao::config::Config;
use shuanggao::ingest::{InputFile, ReturnsFolder};
use shuanggao::model::Period;
use shuanggao::validate::{self, History};

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn best_of<T>(n: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::MAX;
    let mut last = None;
    for _ in 0..n {
        let t = Instant::now();
        let out = f();
        best = best.min(t.elapsed().as_secs_f64());
        last = Some(out);
    }
    (best, last.expect("n > 0"))
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(&root.join("inputs/config")).expect("config");
    let folder = ReturnsFolder::scan(&root.join("inputs/returns")).expect("sample");
    let period = folder.latest().expect("a quarter");
    let out = tempfile::tempdir().expect("temp dir");

    println!("shuanggao benchmark (best of 5)\n");
    let (secs, _) = best_of(5, || validate::check_through(&config, &folder, period));
    println!(
        "check, all {} quarters of the sample      {:>8.3} s",
        folder.periods.len(),
        secs
    );
    let (secs, _) = best_of(5, || {
        let run = shuanggao::pipeline::run(
            &config,
            &folder,
            period,
            BTreeMap::new(),
            Default::default(),
        )
        .expect("run");
        shuanggao::render::write_report(
            &config,
            &run,
            out.path(),
            &shuanggao::render::RenderOptions::default(),
        )
        .expect("write");
    });
    println!("report {period}, 18 zones, all outputs   {:>8.3} s", secs);

    println!("\nhostile files (each must be F01, < 1 s, flat memory)");
    let hostile = hostile_files(root, out.path());
    for file in &hostile {
        let before = peak_rss_kib();
        let (secs, check) = best_of(3, || {
            validate::check_period(
                &config,
                Period::parse("2025Q3").expect("period"),
                std::slice::from_ref(file),
                &History::default(),
            )
        });
        let rules: Vec<&str> = check.findings().map(|f| f.rule.as_str()).collect();
        println!(
            "  {:<22} {:>8.4} s  peak +{:>6} KiB  {:?}",
            file.name,
            secs,
            peak_rss_kib().saturating_sub(before),
            rules
        );
    }
}

fn hostile_files(root: &Path, dir: &Path) -> Vec<InputFile> {
    let good = std::fs::read(root.join("inputs/returns/2025Q3/徐州高新区_2025Q3.xlsx"))
        .expect("sample file");
    let far = with_far_cell(&good);
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("far_cell.xlsx", far),
        ("empty.xlsx", Vec::new()),
        ("truncated.xlsx", good[..good.len() / 2].to_vec()),
        ("text.xlsx", "不是表格".repeat(1000).into_bytes()),
        (
            "encrypted.xlsx",
            std::fs::read(root.join("tests/fixtures/encrypted.xlsx")).expect("fixture"),
        ),
    ];
    files
        .into_iter()
        .map(|(name, bytes)| {
            let path = dir.join(name);
            std::fs::write(&path, bytes).expect("write");
            InputFile {
                path,
                name: name.to_string(),
            }
        })
        .collect()
}

/// The sample workbook with one more cell, at XFD1048576.
fn with_far_cell(bytes: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).expect("entry");
        let name = f.name().map(|n| n.to_string()).unwrap_or_default();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read");
        if name == "xl/worksheets/sheet2.xml" {
            data = String::from_utf8_lossy(&data)
                .replace(
                    "</sheetData>",
                    "<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row></sheetData>",
                )
                .into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}
