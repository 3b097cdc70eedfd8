//! The engine at scale: the same outputs on one thread and on many, a
//! failure inside a file's reader contained to that file, and the readers
//! held to what calamine reads from the same workbooks.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{config, q, root};
use shuanggao::ingest::{self, InputFile, ReturnsFolder};
use shuanggao::model::CellValue;
use shuanggao::model::{CellPos, Severity};
use shuanggao::validate::{self, History};

/// Every output file of a report folder, by relative path.
fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let name = p.strip_prefix(dir).unwrap().display().to_string();
                out.insert(name, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The manifest without its timings (the one thing that may differ).
fn without_timings(manifest: &[u8]) -> serde_json::Value {
    let mut m: serde_json::Value = serde_json::from_slice(manifest).unwrap();
    m.as_object_mut().unwrap().remove("timings_seconds");
    m
}

fn report_on(threads: usize, returns: &Path, period: &str, out: &Path) -> PathBuf {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let config = config();
        let folder = ReturnsFolder::scan(returns).unwrap();
        let run = shuanggao::pipeline::run(
            &config,
            &folder,
            q(period),
            BTreeMap::new(),
            Default::default(),
        )
        .unwrap();
        shuanggao::render::write_report(&run.report, &run.timings, out, &Default::default())
            .unwrap()
    })
}

#[test]
fn one_thread_and_many_give_identical_outputs() {
    let dir = tempfile::tempdir().unwrap();
    // Seven quarters: the shipped five and two generated after them.
    let returns = dir.path().join("returns");
    shuanggao::sample::write_all(&config(), &returns, 7).unwrap();
    let one = report_on(1, &returns, "2027Q1", &dir.path().join("one"));
    let many = report_on(4, &returns, "2027Q1", &dir.path().join("many"));
    let (a, b) = (outputs(&one), outputs(&many));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    assert!(a.len() > 15, "{:?}", a.keys());
    for (name, bytes) in &a {
        if name == "manifest.json" {
            assert_eq!(without_timings(bytes), without_timings(&b[name]));
        } else {
            assert!(bytes == &b[name], "{name} differs between 1 and 4 threads");
        }
    }
}

/// An Excel-saved .xlsb (python-calamine's test file, MIT) with one sheet's
/// relationship removed: calamine 0.38 panics reading it
/// (`xlsb/mod.rs:312`, "no entry found for key").
fn crashing_xlsb() -> PathBuf {
    root().join("tests/fixtures/calamine/missing_relationship.xlsb")
}

#[test]
fn a_file_that_crashes_its_reader_is_f01_and_the_report_is_complete() {
    let dir = tempfile::tempdir().unwrap();
    let returns = dir.path().join("returns");
    shuanggao::sample::write_all(&config(), &returns, 5).unwrap();
    std::fs::copy(crashing_xlsb(), returns.join("2026Q3/附件.xlsb")).unwrap();
    let out = dir.path().join("reports");
    let (code, stdout, stderr) = common::run(&[
        "report",
        "--returns",
        returns.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stdout.contains("无法读取 1"), "{stdout}");
    let folder = out.join("2026Q3");
    let findings: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(folder.join("findings.json")).unwrap()).unwrap();
    let f01: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["file"] == "2026Q3/附件.xlsb")
        .collect();
    assert_eq!(f01.len(), 1, "{findings:#?}");
    assert_eq!(f01[0]["rule"], "F01");
    let message = f01[0]["message"].as_str().unwrap();
    assert!(
        message.contains("技术信息")
            && message.contains("程序内部错误")
            && message.contains("xlsb"),
        "{message}"
    );
    // Everything else is there: the other 12 findings, the workbook, the
    // brief, the feedback for the broken file.
    assert_eq!(findings.len(), 13);
    for name in [
        "双高协同季度报告_2026Q3.xlsx",
        "双高协同领导简报_2026Q3.pdf",
        "facts.csv",
        "manifest.json",
        "反馈/附件_2026Q3_问题反馈.xlsx",
    ] {
        assert!(folder.join(name).is_file(), "{name}");
    }
    // `check` on the file alone: an error (exit 1), not a crash.
    let (code, stdout, stderr) = common::run(&[
        "check",
        "--period",
        "2026Q3",
        crashing_xlsb().to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(stdout.contains("F01"), "{stdout}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// calamine's reading of every sheet of a workbook, as the pipeline's
/// cells: the reference the project's own readers are held to.
fn calamine_cells(path: &Path) -> BTreeMap<String, BTreeMap<(u32, u32), String>> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let mut out = BTreeMap::new();
    for name in book.sheet_names() {
        let Ok(range) = book.worksheet_range(&name) else {
            continue;
        };
        let (top, left) = range.start().unwrap_or((0, 0));
        let cells = range
            .used_cells()
            .map(|(r, c, v)| {
                let shown = match v {
                    calamine::Data::DateTime(d) if d.is_datetime() => d
                        .as_datetime()
                        .map(|d| CellValue::DateTime(d).display())
                        .unwrap_or_default(),
                    calamine::Data::DateTime(d) => shuanggao::format::format_number(d.as_f64()),
                    calamine::Data::Int(i) => shuanggao::format::format_number(*i as f64),
                    calamine::Data::Float(f) => shuanggao::format::format_number(*f),
                    // .ods dates and times, and xlsx `t="d"` cells: calamine
                    // gives their ISO 8601 text, the own readers the value.
                    calamine::Data::DateTimeIso(iso) => iso_date_time(iso),
                    calamine::Data::DurationIso(iso) => iso_duration(iso),
                    other => other.to_string(),
                };
                ((top + r as u32, left + c as u32), shown)
            })
            .filter(|(_, v)| !v.trim().is_empty())
            .collect();
        out.insert(name, cells);
    }
    out
}

/// An ISO 8601 date or date-time, shown as the pipeline shows a date cell.
fn iso_date_time(iso: &str) -> String {
    let parsed = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| d.and_hms_opt(0, 0, 0).unwrap())
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(iso, "%Y-%m-%dT%H:%M:%S%.f"));
    parsed.map_or_else(|_| iso.to_string(), |d| CellValue::DateTime(d).display())
}

/// An ISO 8601 duration (`PT13H45M00S`) as the time of day 0 it is in an
/// .xlsx time cell (1899-12-30 13:45:00).
fn iso_duration(iso: &str) -> String {
    let Some(time) = iso.strip_prefix("PT") else {
        return iso.to_string();
    };
    let mut seconds = 0.0;
    let mut rest = time;
    for (unit, scale) in [('H', 3600.0), ('M', 60.0), ('S', 1.0)] {
        if let Some((n, after)) = rest.split_once(unit) {
            seconds += n.parse::<f64>().unwrap() * scale;
            rest = after;
        }
    }
    let day0 = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let d = day0 + chrono::Duration::milliseconds((seconds * 1000.0).round() as i64);
    CellValue::DateTime(d).display()
}

fn own_cells(path: &Path) -> BTreeMap<String, BTreeMap<(u32, u32), String>> {
    let config = config();
    let book = ingest::read_workbook(&std::fs::read(path).unwrap(), &config.form).unwrap();
    book.into_iter()
        .filter_map(|s| {
            let grid = s.grid?;
            // calamine reads a formula never calculated as empty.
            let cells = grid
                .cells()
                .filter(|(_, v)| !matches!(v, CellValue::Uncalculated(_)))
                .map(|(p, v)| ((p.row, p.col), v.display()))
                .filter(|(_, v)| !v.trim().is_empty())
                .collect();
            Some((s.name, cells))
        })
        .collect()
}

/// Every .xlsx, .xlsm and .ods under a folder (and its sub-folders).
fn workbooks_in(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let ext = p.extension().and_then(|x| x.to_str()).unwrap_or_default();
        if p.is_dir() {
            workbooks_in(&p, out);
        } else if matches!(ext, "xlsx" | "xlsm" | "ods") {
            out.push(p);
        }
    }
}

#[test]
fn the_own_xlsx_and_ods_readers_read_what_calamine_reads() {
    let mut files: Vec<PathBuf> = Vec::new();
    workbooks_in(&root().join("tests"), &mut files);
    workbooks_in(&root().join("inputs/returns/2026Q3"), &mut files);
    files.sort();
    let config = config();
    let wanted: Vec<String> = config.form.sheet.iter().map(|s| s.name.clone()).collect();
    let mut compared = [0usize; 2];
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        // Files neither reader opens: OLE containers (an encrypted xlsx,
        // .xls under another name), broken ones.
        let Ok(book) = ingest::read_workbook(&bytes, &config.form) else {
            continue;
        };
        drop(book);
        let ours = own_cells(path);
        let theirs = calamine_cells(path);
        let ods = path.extension().is_some_and(|x| x == "ods");
        for (sheet, cells) in &ours {
            let expected = &theirs[sheet];
            assert_eq!(cells, expected, "{} {sheet}", path.display());
            compared[usize::from(ods)] += cells.len();
        }
        let own_names: Vec<&String> = ours.keys().collect();
        for name in theirs.keys().filter(|n| wanted.contains(n)) {
            assert!(own_names.contains(&name), "{}: {name}", path.display());
        }
    }
    // Both formats are compared, cell by cell, on many files.
    assert!(files.len() > 60, "{}", files.len());
    assert!(compared[0] > 10_000 && compared[1] > 500, "{compared:?}");
}

#[test]
fn ods_date_cells_are_dates_not_text() {
    // Saved by LibreOffice: its 填报日期, 立项日期 and 建成日期 are real dates.
    let config = config();
    let files = [InputFile {
        path: root().join("tests/corpus/files/clean_banner.ods"),
        name: "clean_banner.ods".into(),
    }];
    let check = validate::check_period(&config, q("2025Q3"), &files, &History::default());
    let dates: Vec<_> = check
        .findings()
        .filter(|f| f.message.as_deref().is_some_and(|m| m.contains("日期")))
        .collect();
    assert!(dates.is_empty(), "{dates:#?}");
    let ret = check.submissions[0].ret.as_ref().unwrap();
    assert_eq!(
        ret.fill_date().map(|d| d.to_string()).as_deref(),
        Some("2025-10-08")
    );
}

/// A copy of an .xls with one value moved to another cell (row, column).
fn xls_with_cell_moved(bytes: &[u8], to: (u16, u16)) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut book = cfb::CompoundFile::open(std::io::Cursor::new(bytes)).unwrap();
    let mut data = Vec::new();
    book.open_stream("/Workbook")
        .unwrap()
        .read_to_end(&mut data)
        .unwrap();
    // The last cell record (NUMBER, RK or LABELSST) of the stream: row and
    // column lead its data.
    let mut at = 0;
    let mut last = None;
    while at + 4 <= data.len() {
        let typ = u16::from_le_bytes([data[at], data[at + 1]]);
        let len = usize::from(u16::from_le_bytes([data[at + 2], data[at + 3]]));
        if matches!(typ, 0x0203 | 0x027E | 0x00FD) {
            last = Some(at + 4);
        }
        at += 4 + len;
    }
    let body = last.expect("a cell record");
    data[body..body + 2].copy_from_slice(&to.0.to_le_bytes());
    data[body + 2..body + 4].copy_from_slice(&to.1.to_le_bytes());
    let mut out = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    out.create_stream("/Workbook")
        .unwrap()
        .write_all(&data)
        .unwrap();
    out.flush().unwrap();
    out.into_inner().into_inner()
}

#[test]
fn an_xls_whose_cells_span_a_huge_rectangle_is_refused_before_it_is_laid_out() {
    // A 20 KB file whose cells would span A1:IV65536: calamine lays an .xls
    // out in full (16.7 million cells) unless it is refused first.
    let good = std::fs::read(root().join("tests/corpus/files/clean_banner.xls")).unwrap();
    let far = xls_with_cell_moved(&good, (65_535, 255));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("far.xls");
    std::fs::write(&path, &far).unwrap();
    let check = validate::check_period(
        &config(),
        q("2025Q3"),
        &[InputFile {
            path,
            name: "far.xls".into(),
        }],
        &History::default(),
    );
    let f: Vec<_> = check.findings().collect();
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        (f[0].rule.as_str(), f[0].severity),
        ("F01", Severity::Error)
    );
    let message = f[0].message.as_deref().unwrap();
    assert!(
        message.contains("IV65536") && message.contains("上限"),
        "{message}"
    );
    // Moved to a cell beside the others, the value is read there.
    let near = xls_with_cell_moved(&good, (40, 3));
    let book = ingest::read_workbook(&near, &config().form).unwrap();
    assert!(book
        .iter()
        .filter_map(|s| s.grid.as_ref())
        .any(|g| !g.get(CellPos::new(40, 3)).is_empty()));
}

#[test]
fn every_quarter_is_read_and_the_history_is_kept() {
    let folder = ReturnsFolder::scan(&root().join("inputs/returns")).unwrap();
    let mut seen = Vec::new();
    let history = validate::walk(
        &config(),
        &folder,
        q("2026Q3"),
        Default::default(),
        |check, history| {
            let cells = check.submissions.iter().any(|s| !s.cells.is_empty());
            seen.push((
                check.period.to_string(),
                cells,
                history.last("XZ").map(|h| h.0),
            ));
        },
    );
    assert_eq!(
        seen.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
        ["2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3"]
    );
    // Only the reported quarter keeps its files' cells (for feedback).
    assert_eq!(
        seen.iter().map(|s| s.1).collect::<Vec<_>>(),
        [false, false, false, false, true]
    );
    assert_eq!(history.last("CZ").map(|h| h.0), Some(q("2026Q2")));
    assert_eq!(seen[4].2, Some(q("2026Q3")));
}

/// `.xls` files the fuzzer found crashing calamine (records shorter than it
/// reads, in the workbook globals): each is F01 with a plain reason, not a
/// contained panic (程序内部错误).
#[test]
fn xls_records_cut_short_are_f01_with_a_plain_reason() {
    let config = config();
    let dir = root().join("tests/fixtures/fuzz");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("xls_short_record"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 4);
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let input = [InputFile { path, name }];
        let check = validate::check_period(&config, q("2025Q3"), &input, &History::default());
        let findings: Vec<_> = check.findings().collect();
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(findings[0].rule, "F01");
        let message = findings[0].message.as_deref().unwrap_or_default();
        assert!(!message.contains("程序内部错误"), "{message}");
    }
}

/// More `.xls` files from a second fuzzing run, after the fix above: a sheet
/// whose BOUNDSHEET offset is not where a sheet starts (calamine reserved
/// about 1 TB for an extent the cleaning walk never saw, and the process
/// aborted) is F01 with a plain reason; a merge record counting more ranges
/// than it holds, and a date past 9999-12-31, no longer panic inside the
/// readers: the file is read and checked like any other.
#[test]
fn xls_found_by_the_second_fuzzing_run_are_read_or_refused_plainly() {
    let config = config();
    let dir = root().join("tests/fixtures/fuzz");
    let check = |file: &str| {
        let path = dir.join(file);
        let input = [InputFile {
            path,
            name: file.to_string(),
        }];
        let check = validate::check_period(&config, q("2025Q3"), &input, &History::default());
        let found: Vec<(String, String)> = check
            .findings()
            .map(|f| (f.rule.clone(), f.message.clone().unwrap_or_default()))
            .collect();
        assert!(
            found.iter().all(|(_, m)| !m.contains("程序内部错误")),
            "{file}: {found:#?}"
        );
        found
    };
    let offset = check("xls_sheet_offset_reserves_terabytes.xls");
    assert_eq!(offset.len(), 1);
    assert_eq!(offset[0].0, "F01");
    assert!(offset[0].1.contains("工作表位置无效"), "{}", offset[0].1);
    for file in ["xls_merge_count_too_high.xls", "xls_date_beyond_9999.xls"] {
        let found = check(file);
        assert!(
            found.iter().all(|(rule, _)| rule != "F01"),
            "{file}: {found:#?}"
        );
        assert!(
            !found.is_empty(),
            "{file}: a damaged form still has findings"
        );
    }
}
