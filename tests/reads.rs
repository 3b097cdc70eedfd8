//! Each input file is read once per run: by `report` (every quarter's
//! files, the feedback and the corrections made from that one reading) and
//! by `check` of named files (the 报告期 learnt from the same reading).
//! One test alone in its binary: the count is the process's.

mod common;

use std::collections::BTreeMap;

use common::{config, q, root};
use shuanggao::ingest::{self, InputFile, ReturnsFolder};
use shuanggao::validate;

#[test]
fn every_file_is_read_once() {
    let config = config();
    let folder = ReturnsFolder::scan(&root().join("inputs/returns")).unwrap();
    let files: usize = folder.periods.values().map(Vec::len).sum();
    assert_eq!(files, 91);

    let before = ingest::files_read();
    let run = shuanggao::pipeline::run(
        &config,
        &folder,
        q("2026Q3"),
        BTreeMap::new(),
        Default::default(),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let written =
        shuanggao::render::write_report(&run.report, &run.timings, out.path(), &Default::default())
            .unwrap();
    assert_eq!(ingest::files_read() - before, files, "report");
    // The feedback and the corrected file's changes came from that reading.
    let feedback: Vec<String> = std::fs::read_dir(written.join("反馈"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(feedback.iter().any(|f| f.contains("更正")), "{feedback:?}");
    let wuxi = run
        .report
        .feedback
        .iter()
        .find(|b| b.source.ends_with("无锡高新区_2026Q3_更正.xlsx"))
        .unwrap();
    assert!(!wuxi.changes.is_empty());

    // Named files: the quarter they state is read from the one reading.
    let named: Vec<InputFile> = folder.periods[&q("2026Q3")]
        .iter()
        .take(3)
        .cloned()
        .collect();
    let history_files: usize = folder
        .periods
        .range(..q("2026Q3"))
        .map(|(_, f)| f.len())
        .sum();
    let before = ingest::files_read();
    let check = validate::check_files(&config, &named, None, None, |p| {
        validate::history_before(&config, &folder, p)
    })
    .unwrap();
    assert_eq!(check.period, q("2026Q3"));
    assert_eq!(
        ingest::files_read() - before,
        named.len() + history_files,
        "check"
    );
}
