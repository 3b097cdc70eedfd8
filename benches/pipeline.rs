//! `cargo bench`: speed and memory, measured (never in a timed test), each
//! figure beside a floor measured in the same run, since machines are noisy.
//!
//! - the shipped sample (18 zones, 5 quarters): the whole report with the
//!   PDF, and `check`;
//! - 61 zones (`inputs/examples/全面覆盖`, 2025Q3–2027Q2): the whole report
//!   of 2027Q2 (brief, 13 city pages, 61 zone pages, picture) beside
//!   `check` of the same folder, the floor;
//! - scale: 18 zones × 60 quarters (made by `sample --quarters 60`, or the
//!   folder in `SHUANGGAO_BENCH_RETURNS`): `report --no-pdf` against a floor,
//!   a plain program in which calamine opens every file and touches every
//!   cell on all cores; the ratio, and the report's peak memory;
//! - hostile files: each must be F01 well under a second, memory flat.
//!
//! Each scale measurement runs in a child process (this same binary, told
//! what to do by `SHUANGGAO_BENCH_CHILD`), so its peak memory is its own.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rayon::prelude::*;
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
    if let Ok(job) = std::env::var("SHUANGGAO_BENCH_CHILD") {
        child(&job);
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(&root.join("inputs/config")).expect("config");
    let out = tempfile::tempdir().expect("temp dir");
    println!(
        "shuanggao benchmark ({} cores)\n",
        rayon::current_num_threads()
    );
    sample(root, &config, out.path());
    full_coverage(root, out.path());
    scale(root, &config, out.path());
    hostile(root, &config, out.path());
}

/// The whole quarterly report of `period` with every output (pages as
/// asked), best of 5.
fn whole_report(
    config: &Config,
    folder: &ReturnsFolder,
    period: Period,
    out: &Path,
    pages: shuanggao::render::pages::Pages,
) -> f64 {
    let options = shuanggao::render::RenderOptions {
        pages,
        ..Default::default()
    };
    best_of(5, || {
        let run = shuanggao::pipeline::run(
            config,
            folder,
            period,
            Default::default(),
            Default::default(),
        )
        .expect("run");
        shuanggao::render::write_report(&run.report, &run.timings, out, &options).expect("write");
    })
    .0
}

/// The shipped sample: the quarterly report with every output, and `check`.
fn sample(root: &Path, config: &Config, out: &Path) {
    let folder = ReturnsFolder::scan(&root.join("inputs/returns")).expect("sample");
    let period = folder.latest().expect("a quarter");
    println!(
        "sample: 18 zones, {} quarters (best of 5)",
        folder.periods.len()
    );
    let (floor, _) = best_of(5, || validate::check_through(config, &folder, period));
    println!("  check, every quarter (the floor)           {floor:>8.3} s");
    let report = |pages| whole_report(config, &folder, period, out, pages);
    let province = report(shuanggao::render::pages::Pages::None);
    println!(
        "  report {period}, brief and picture only      {province:>8.3} s  = {:.1} × floor",
        province / floor
    );
    let all = report(shuanggao::render::pages::Pages::All);
    println!(
        "  report {period}, with 31 city/zone pages     {all:>8.3} s  = {:.1} × floor",
        all / floor
    );
}

/// 61 zones (the 全面覆盖 example): the whole report of its last quarter,
/// with the brief, 13 city and 61 zone pages and the picture, against
/// `check` of the same folder (every quarter), the floor.
fn full_coverage(root: &Path, out: &Path) {
    let example = root.join("inputs/examples/全面覆盖");
    let config = Config::load(&example.join("config")).expect("example config");
    let folder = ReturnsFolder::scan(&example.join("returns")).expect("example returns");
    let period = folder.latest().expect("a quarter");
    let files: usize = folder.periods.values().map(Vec::len).sum();
    println!(
        "\n61 zones (inputs/examples/全面覆盖): {} quarters, {files} files (best of 5)",
        folder.periods.len()
    );
    let (floor, _) = best_of(5, || validate::check_through(&config, &folder, period));
    println!("  check, every quarter (the floor)           {floor:>8.3} s");
    let all = whole_report(
        &config,
        &folder,
        period,
        out,
        shuanggao::render::pages::Pages::All,
    );
    println!(
        "  report {period}, with 74 city/zone pages     {all:>8.3} s  = {:.1} × floor",
        all / floor
    );
}

/// 18 zones × 60 quarters: `report --no-pdf` against the floor.
fn scale(root: &Path, config: &Config, out: &Path) {
    let returns = match std::env::var_os("SHUANGGAO_BENCH_RETURNS") {
        Some(dir) => PathBuf::from(dir),
        None => {
            let dir = out.join("scale");
            shuanggao::sample::write_all(config, &dir, 60).expect("scale sample");
            dir
        }
    };
    let folder = ReturnsFolder::scan(&returns).expect("scale folder");
    let files: Vec<&InputFile> = folder.periods.values().flatten().collect();
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(&f.path).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "\nscale: {} quarters, {} files, {:.0} MB (best of 3; each run a fresh process)",
        folder.periods.len(),
        files.len(),
        bytes as f64 / 1e6
    );
    let cores = rayon::current_num_threads().to_string();
    let report_out = out.join("scale-report");
    let mut floor = (f64::MAX, 0);
    let mut report = (f64::MAX, 0);
    let mut one = (f64::MAX, 0);
    for _ in 0..3 {
        floor = min(floor, spawn("floor", &returns, &report_out, &cores, root));
        report = min(report, spawn("report", &returns, &report_out, &cores, root));
        one = min(one, spawn("report", &returns, &report_out, "1", root));
    }
    println!(
        "  floor: calamine opens every file, touches every cell ({cores} threads)  {:>7.3} s  peak {:>4} MB",
        floor.0,
        floor.1 / 1024
    );
    println!(
        "  report --no-pdf ({cores} threads)                                  {:>7.3} s  peak {:>4} MB  = {:.2} × floor",
        report.0,
        report.1 / 1024,
        report.0 / floor.0
    );
    println!(
        "  report --no-pdf (1 thread)                                   {:>7.3} s  peak {:>4} MB",
        one.0,
        one.1 / 1024
    );
}

fn min(a: (f64, u64), b: (f64, u64)) -> (f64, u64) {
    if b.0 < a.0 {
        b
    } else {
        a
    }
}

/// Runs a measurement in a child process: (seconds, its peak memory in KiB).
fn spawn(job: &str, returns: &Path, out: &Path, threads: &str, root: &Path) -> (f64, u64) {
    let clock = Instant::now();
    let output = Command::new(std::env::current_exe().expect("this binary"))
        .env("SHUANGGAO_BENCH_CHILD", job)
        .env("SHUANGGAO_BENCH_RETURNS", returns)
        .env("SHUANGGAO_BENCH_OUT", out)
        .env("SHUANGGAO_THREADS", threads)
        .env("RAYON_NUM_THREADS", threads)
        .current_dir(root)
        .output()
        .expect("child");
    let secs = clock.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{job}: {stdout}");
    let peak = stdout
        .lines()
        .find_map(|l| l.strip_prefix("peak_kib="))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    (secs, peak)
}

/// What a child process measures.
fn child(job: &str) {
    let returns = PathBuf::from(std::env::var_os("SHUANGGAO_BENCH_RETURNS").expect("returns"));
    let out = PathBuf::from(std::env::var_os("SHUANGGAO_BENCH_OUT").expect("out"));
    match job {
        "floor" => floor(&returns),
        _ => {
            let code = shuanggao::cmd::main_with([
                "shuanggao".as_ref(),
                "report".as_ref(),
                "--no-pdf".as_ref(),
                "--returns".as_ref(),
                returns.as_os_str(),
                "--out".as_ref(),
                out.as_os_str(),
            ]);
            assert_eq!(code, 0);
        }
    }
    println!("peak_kib={}", peak_rss_kib());
}

/// The floor: what a plain program spends opening every file with calamine
/// and touching every cell of every sheet, on all cores.
fn floor(returns: &Path) {
    use calamine::{DataType, Reader};
    let folder = ReturnsFolder::scan(returns).expect("folder");
    let files: Vec<&InputFile> = folder.periods.values().flatten().collect();
    let cells: usize = files
        .par_iter()
        .map(|f| {
            let bytes = std::fs::read(&f.path).expect("read");
            let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
                .expect("a workbook");
            let mut n = 0;
            for name in book.sheet_names() {
                if let Ok(range) = book.worksheet_range(&name) {
                    n += range.used_cells().filter(|c| !c.2.is_empty()).count();
                }
            }
            n
        })
        .sum();
    assert!(cells > 0);
}

/// Hostile files: each F01, fast, with flat memory.
fn hostile(root: &Path, config: &Config, dir: &Path) {
    println!("\nhostile files (each must be F01, < 1 s, flat memory)");
    for file in &hostile_files(root, dir) {
        let before = peak_rss_kib();
        let (secs, check) = best_of(3, || {
            validate::check_period(
                config,
                Period::parse("2025Q3").expect("period"),
                std::slice::from_ref(file),
                &History::default(),
            )
        });
        let rules: Vec<&str> = check.findings().map(|f| f.rule.as_str()).collect();
        println!(
            "  {:<26} {:>8.4} s  peak +{:>6} KiB  {:?}",
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
    let xls = std::fs::read(root.join("tests/corpus/files/clean_banner.xls")).expect("xls");
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("far_cell.xlsx", with_far_cell(&good)),
        ("far_span.xls", xls_spanning_a_sheet(&xls)),
        ("empty.xlsx", Vec::new()),
        ("truncated.xlsx", good[..good.len() / 2].to_vec()),
        ("text.xlsx", "不是表格".repeat(1000).into_bytes()),
        (
            "encrypted.xlsx",
            std::fs::read(root.join("tests/fixtures/encrypted.xlsx")).expect("fixture"),
        ),
        (
            "crashes_calamine.xlsb",
            std::fs::read(root.join("tests/fixtures/calamine/missing_relationship.xlsb"))
                .expect("fixture"),
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

/// An .xls whose last cell moves to IV65536: its cells span a whole sheet,
/// which calamine would lay out in full (16.7 million cells).
fn xls_spanning_a_sheet(bytes: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut book = cfb::CompoundFile::open(std::io::Cursor::new(bytes)).expect("cfb");
    let mut data = Vec::new();
    book.open_stream("/Workbook")
        .expect("workbook")
        .read_to_end(&mut data)
        .expect("read");
    let (mut at, mut last) = (0, None);
    while at + 4 <= data.len() {
        let typ = u16::from_le_bytes([data[at], data[at + 1]]);
        let len = usize::from(u16::from_le_bytes([data[at + 2], data[at + 3]]));
        if matches!(typ, 0x0203 | 0x027E | 0x00FD) {
            last = Some(at + 4);
        }
        at += 4 + len;
    }
    let body = last.expect("a cell");
    data[body..body + 4].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0x00]);
    let mut out = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("cfb");
    out.create_stream("/Workbook")
        .expect("stream")
        .write_all(&data)
        .expect("write");
    out.flush().expect("flush");
    out.into_inner().into_inner()
}
