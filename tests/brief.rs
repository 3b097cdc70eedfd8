//! The leaders' brief and the charts: Chinese text that can be extracted
//! from the PDF and matches the report model, embedded subset fonts, byte-
//! identical reruns, `--no-pdf`, and `--template`.

mod common;

use common::root;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use shuanggao::config::Config;
use shuanggao::format::group_thousands as format_number;
use shuanggao::ingest::ReturnsFolder;
use shuanggao::model::Period;

fn report(out: &Path, extra: &[&str]) -> String {
    let output = common::run_report(out, extra);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn model() -> shuanggao::report::Report {
    let config = Config::load(&root().join("inputs/config")).unwrap();
    let folder = ReturnsFolder::scan(&root().join("inputs/returns")).unwrap();
    shuanggao::pipeline::run(
        &config,
        &folder,
        Period::parse("2026Q3").unwrap(),
        BTreeMap::new(),
        Default::default(),
    )
    .unwrap()
    .report
}

const PDF: &str = "双高协同领导简报_2026Q3.pdf";

fn pdf_text(path: &PathBuf) -> String {
    let bytes = std::fs::read(path).unwrap();
    pdf_extract::extract_text_from_mem(&bytes).unwrap()
}

#[test]
fn the_brief_says_what_the_report_model_says() {
    let dir = tempfile::tempdir().unwrap();
    report(dir.path(), &[]);
    let folder = dir.path().join("2026Q3");
    let text = pdf_text(&folder.join(PDF));
    // Extracted text may break lines anywhere; compare without white space.
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let r = model();
    for code in ["SG01", "SG02", "SG03", "SG04"] {
        let v = format_number(r.headline(code).unwrap().figure.value);
        assert!(flat.contains(&v), "{code} = {v} not in the brief");
    }
    let funding = format!("{:.2}", r.headline("SG05").unwrap().figure.value / 10_000.0);
    assert!(
        flat.contains(&funding),
        "SG05 {funding} 亿元 not in the brief"
    );
    // One unit for money everywhere in the brief, said once (issue 12): the
    // targets on amounts in 亿元 too, and 万元 only in the conversion note.
    let note = "金额单位为亿元（1亿元=10,000万元），保留2位小数";
    assert!(flat.contains(note), "units note");
    assert_eq!(
        flat.matches("万元").count(),
        1,
        "万元 outside the units note"
    );
    for t in r.targets.iter().filter(|t| t.unit == "万元") {
        let target = format!("{:.2}亿元", t.target / 10_000.0);
        assert!(flat.contains(&target), "{} target {target}", t.name);
    }
    // The form of a 工作简报: masthead, issue number, the four sections of
    // generated text, 报送 / 抄送 (issue 10).
    for heading in [
        "双高协同试点工作简报",
        "第5期",
        "省科技厅",
        "一、总体情况",
        "二、主要进展",
        "三、存在问题",
        "四、下一步工作建议",
        "数说双高协同",
        "2027年目标进度",
        "数据说明",
        "示例数据",
        "报送：厅领导。",
        "抄送：各设区市科技局、各试点高新区。",
    ] {
        assert!(flat.contains(heading), "{heading}");
    }
    // Every paragraph of the text, with its figures, as the model wrote it
    // (tests/narrative.rs checks each figure against the model).
    for p in r.narrative.sections.iter().flat_map(|s| &s.paragraphs) {
        let want: String = p.text().chars().filter(|c| !c.is_whitespace()).collect();
        assert!(flat.contains(&want), "«{want}» not in the brief");
    }
    let pages =
        pdf_extract::extract_text_from_mem_by_pages(&std::fs::read(folder.join(PDF)).unwrap())
            .unwrap();
    assert!((2..=4).contains(&pages.len()), "{} pages", pages.len());
    // The targets table (the text before it names targets too).
    let table = &flat[flat.find("2027年目标进度").unwrap()..];
    for t in &r.targets {
        let row = format!("{}{}", t.scope.label_zh(), t.name);
        let at = table
            .find(&row)
            .unwrap_or_else(|| panic!("target {row} not in the brief"));
        // The status is the last cell of the target's row.
        let rest = &table[at..];
        let status_at = ["已达成", "正常", "关注", "滞后", "未到期"]
            .iter()
            .filter_map(|s| rest.find(s).map(|i| (i, *s)))
            .min()
            .unwrap();
        assert_eq!(status_at.1, t.status.label_zh(), "status of {row}");
    }
    assert!(flat.contains("常州高新区（沿用2026年第二季度数据）"));
    // The method of the projections and what 当前值 means, as the model
    // states it (issue 12), not a trend line.
    let note: String = r.targets_note().split_whitespace().collect();
    assert!(flat.contains(&note), "{note}");
    assert!(!flat.contains("趋势线"));
}

#[test]
fn fonts_are_embedded_subset_and_cover_every_character() {
    let dir = tempfile::tempdir().unwrap();
    report(dir.path(), &[]);
    let pdf = std::fs::read(dir.path().join("2026Q3").join(PDF)).unwrap();
    let raw = String::from_utf8_lossy(&pdf);
    // Subset fonts are named with a six-letter tag: ABCDEF+NotoSansCJKsc-….
    assert!(
        raw.contains("+NotoSansCJKsc-Regular"),
        "regular face not embedded"
    );
    assert!(
        raw.contains("+NotoSansCJKsc-Bold"),
        "bold face not embedded"
    );
    assert!(
        pdf.len() < 2_000_000,
        "fonts are subset: {} bytes",
        pdf.len()
    );
    // Every character the report can print has a glyph in the embedded font.
    let font = typst::text::Font::iter(typst::foundations::Bytes::new(
        std::fs::read(root().join("assets/fonts/NotoSansCJKsc-Regular.otf")).unwrap(),
    ))
    .next()
    .unwrap();
    let r = model();
    let mut text = String::new();
    for z in &r.zones {
        text += &z.name;
        text += &z.city;
    }
    for t in &r.targets {
        text += &t.name;
        text += t.scope.label_zh();
    }
    for a in &r.attention {
        text += &a.reasons.join("");
    }
    text += &std::fs::read_to_string(root().join("assets/brief.typ")).unwrap();
    let missing: String = text
        .chars()
        .filter(|c| !c.is_control() && !font.info().coverage.contains(*c as u32))
        .collect();
    assert!(missing.is_empty(), "no glyph for {missing:?}");
}

#[test]
fn reruns_give_identical_pdf_and_charts() {
    let dir = tempfile::tempdir().unwrap();
    report(&dir.path().join("a"), &[]);
    report(&dir.path().join("b"), &["-j", "1"]);
    let (a, b) = (dir.path().join("a/2026Q3"), dir.path().join("b/2026Q3"));
    let mut names = vec![PDF.to_string(), "一图读懂_2026Q3.png".to_string()];
    for sub in ["分市简报", "分区简报"] {
        for entry in std::fs::read_dir(a.join(sub)).unwrap() {
            names.push(format!(
                "{sub}/{}",
                entry.unwrap().file_name().to_string_lossy()
            ));
        }
    }
    // The pages at any thread count, byte for byte (issue 10).
    assert_eq!(names.len(), 2 + 13 + 18, "{names:?}");
    for entry in std::fs::read_dir(a.join("charts")).unwrap() {
        names.push(format!(
            "charts/{}",
            entry.unwrap().file_name().to_string_lossy()
        ));
    }
    assert_eq!(names.len(), 2 + 13 + 18 + 12, "{names:?}");
    for name in names {
        let (x, y) = (
            std::fs::read(a.join(&name)).unwrap(),
            std::fs::read(b.join(&name)).unwrap(),
        );
        assert!(x == y, "{name} differs between runs");
    }
    let png = std::fs::read(a.join("charts/图1_目标进度.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let svg = std::fs::read_to_string(a.join("charts/图2_季度趋势.svg")).unwrap();
    assert!(
        svg.contains("合作研发项目") && svg.contains("2027年四季度"),
        "trend runs to 2027Q4, said in Chinese"
    );
    assert!(
        svg.contains("按最近4个季度新增的中位数推算"),
        "the caption states the method"
    );
    assert!(
        svg.contains("stroke-dasharray")
            || svg.matches("<line").count() + svg.matches("<polyline").count() > 10
    );
}

#[test]
fn no_pdf_and_custom_template() {
    let dir = tempfile::tempdir().unwrap();
    let out = report(&dir.path().join("a"), &["--no-pdf"]);
    assert!(out.contains("报告已写入"));
    assert!(!dir.path().join("a/2026Q3").join(PDF).exists());
    assert!(dir.path().join("a/2026Q3/charts/图3_分区项目.png").exists());

    let template = dir.path().join("mine.typ");
    std::fs::write(
        &template,
        "#let d = json(\"/data.json\")\n#set text(font: \"Noto Sans CJK SC\")\n自定义模板：#d.period_label，共 #d.headlines.at(0).value 个项目。\n",
    )
    .unwrap();
    report(
        &dir.path().join("b"),
        &["--template", template.to_str().unwrap()],
    );
    let text: String = pdf_text(&dir.path().join("b/2026Q3").join(PDF))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let projects = format_number(model().headline("SG01").unwrap().figure.value);
    assert!(
        text.contains(&format!("自定义模板：2026年第三季度，共{projects}个项目。")),
        "{text}"
    );

    std::fs::write(&template, "#let x = (\n").unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_shuanggao"))
        .args(["report", "--out"])
        .arg(dir.path().join("c"))
        .arg("--template")
        .arg(&template)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("简报模板排版失败") && err.contains("第 1 行"),
        "{err}"
    );
    assert!(
        !dir.path().join("c/2026Q3").exists(),
        "nothing half-written"
    );
}

#[test]
fn font_dir_replaces_the_embedded_fonts() {
    let dir = tempfile::tempdir().unwrap();
    let fonts = root().join("assets/fonts");
    report(
        &dir.path().join("a"),
        &["--font-dir", fonts.to_str().unwrap()],
    );
    let pdf = std::fs::read(dir.path().join("a/2026Q3").join(PDF)).unwrap();
    assert!(String::from_utf8_lossy(&pdf).contains("+NotoSansCJKsc-Regular"));

    let empty = dir.path().join("no-fonts");
    std::fs::create_dir_all(&empty).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_shuanggao"))
        .args(["report", "--out"])
        .arg(dir.path().join("b"))
        .arg("--font-dir")
        .arg(&empty)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("没有字体文件"));
}
