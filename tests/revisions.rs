//! 数据修订: publish 2026Q2, replace one 2026Q2 return with a corrected
//! one, report 2026Q3 into the same folder: the sheet, the manifest and
//! the brief's note list exactly the figures changed, with the values
//! taken from the sample drafts (not from the code under test).

mod common;

use common::{config, indicator, number, q, root};

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};
use shuanggao::ingest::ReturnsFolder;
use shuanggao::model::draft::Cell;
use shuanggao::pipeline;
use shuanggao::sample::sample_draft;
use shuanggao::validate;

fn report(returns: &Path, out: &Path, period: &str) {
    let (returns, out) = (returns.to_str().unwrap(), out.to_str().unwrap());
    let args = [
        "report",
        "--no-pdf",
        "--period",
        period,
        "--returns",
        returns,
        "--out",
        out,
    ];
    let (code, _, err) = common::run(&args);
    assert_eq!(code, 0, "{err}");
}

/// A row of 数据修订: (季度, 高新区, 指标, 原发布值, 现值).
type Row = (String, String, String, f64, f64);

/// 数据修订's heading and its rows below the header.
fn revision_rows(out: &Path) -> (String, Vec<Row>) {
    let path = out.join("2026Q3/双高协同季度报告_2026Q3.xlsx");
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let range = book.worksheet_range("数据修订").unwrap();
    let text = |r: u32, c: u32| match range.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    };
    let num = |r: u32, c: u32| match range.get_value((r, c)) {
        Some(Data::Float(v)) => *v,
        other => panic!("not a number at ({r},{c}): {other:?}"),
    };
    let heading = text(0, 0);
    let rows = (2..range.height() as u32)
        .filter(|r| !text(*r, 0).is_empty())
        .map(|r| (text(r, 0), text(r, 1), text(r, 2), num(r, 4), num(r, 5)))
        .collect();
    (heading, rows)
}

#[test]
fn a_corrected_earlier_return_is_listed_as_revised() {
    let config = config();
    let dir = tempfile::tempdir().unwrap();
    let (returns, out) = (dir.path().join("returns"), dir.path().join("reports"));
    common::copy_dir(&root().join("inputs/returns"), &returns);
    report(&returns, &out, "2026Q2");
    report(&returns, &out, "2026Q3");
    let (heading, rows) = revision_rows(&out);
    assert!(rows.is_empty(), "{rows:?}");
    assert!(
        heading.contains("2026Q2") && heading.contains("没有修订"),
        "{heading}"
    );

    // 无锡高新区 corrects its 2026Q2 return: 5 more 服务企业, 3 more 联合培养研究生.
    let mut d = sample_draft(&config, "WX", q("2026Q2")).unwrap();
    let mut expected = Vec::new();
    for (code, more) in [("SG04", 5.0), ("SG06", 3.0)] {
        let row = indicator(&mut d, code);
        let (new, cum) = (number(&row[3]), number(&row[4]));
        row[3] = Cell::Number(new + more);
        row[4] = Cell::Number(cum + more);
        let name = config.indicators.get(code).unwrap().name.clone();
        expected.push((
            "2026Q2".to_string(),
            "无锡高新区".to_string(),
            name,
            cum,
            cum + more,
        ));
    }
    let zone = config.registry.zone("WX").unwrap();
    let bytes = shuanggao::render::template::write_draft(&config, zone, q("2026Q2"), &d).unwrap();
    std::fs::write(returns.join("2026Q2/无锡高新区_2026Q2.xlsx"), bytes).unwrap();
    report(&returns, &out, "2026Q3");
    let (heading, rows) = revision_rows(&out);
    assert_eq!(rows, expected, "{heading}");

    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("2026Q3/manifest.json")).unwrap()).unwrap();
    let listed = manifest["revisions"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["indicator"], "SG04");
    assert_eq!(listed[0]["file"], "2026Q2/无锡高新区_2026Q2.xlsx");
    assert_eq!(listed[1]["was"].as_f64(), Some(expected[1].3));

    // The brief's line, from the model with the published facts handed in.
    let published = shuanggao::render::data::parse_facts_csv(
        q("2026Q2"),
        &std::fs::read(out.join("2026Q2/facts.csv")).unwrap(),
    )
    .unwrap();
    let run = pipeline::run_with(
        &config,
        &ReturnsFolder::scan(&returns).unwrap(),
        q("2026Q3"),
        BTreeMap::new(),
        validate::Options::default(),
        vec![published],
    )
    .unwrap();
    let note = run.report.revisions_note().unwrap();
    assert!(note.starts_with("本期修订了 2026Q2 的 2 项数据"), "{note}");
}
