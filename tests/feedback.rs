//! Feedback workbooks: a sent-back return read back with calamine and as raw
//! XML — the verdict, one row per finding with its place, links landing on
//! the right copy cell, exactly the offending cells filled and commented, the
//! copies holding the file's values; an unreadable file; warnings with
//! explanations, corrections and clashing sheet names; file names; and
//! byte-identical reruns.

mod common;

use common::{config, indicator, number, root};

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};
use std::path::PathBuf;

use calamine::{Data, Reader, Xlsx};
use common::messy::{Style, ToXlsx};
use shuanggao::config::Config;
use shuanggao::ingest::{self, InputFile};
use shuanggao::model::draft::{Cell, Draft};
use shuanggao::model::{
    BookSheet, CellChange, CellPos, CellValue, Finding, Grid, Period, Severity, Verdict,
};
use shuanggao::render::feedback::{write_feedback, AUTHOR};
use shuanggao::report::{feedback_book, file_name, file_names};
use shuanggao::sample::sample_draft;
use shuanggao::validate::{self, History, Submission};

const ERROR_FILL: u32 = 0xFF9F9F;
const WARNING_FILL: u32 = 0xFFD966;
const INFO_FILL: u32 = 0xDDEBF7;

/// The workbook for a submission, its sheets as given.
fn write(
    config: &Config,
    sub: &Submission,
    sheets: Option<&[BookSheet]>,
    zone: Option<&str>,
) -> Vec<u8> {
    let mut sub = sub.clone();
    if let Some(sheets) = sheets {
        sub.cells = sheets.to_vec().into();
    }
    write_feedback(&feedback_book(config, &sub, zone, q3())).unwrap()
}

fn q3() -> Period {
    Period::parse("2025Q3").unwrap()
}

/// A checked file: its path, its submission and its sheets as read.
struct Checked {
    _dir: tempfile::TempDir,
    path: PathBuf,
    sub: Submission,
    sheets: Vec<BookSheet>,
}

/// 徐州高新区's 2025Q3 sample return, mutated, written and checked.
fn checked(config: &Config, mutate: impl FnOnce(&mut Draft)) -> Checked {
    let mut d = sample_draft(config, "XZ", q3()).unwrap();
    mutate(&mut d);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("徐州高新区_2025Q3.xlsx");
    std::fs::write(&path, d.to_xlsx(Style::default()).unwrap()).unwrap();
    let files = [InputFile {
        path: path.clone(),
        name: "2025Q3/徐州高新区_2025Q3.xlsx".into(),
    }];
    let check = validate::check_period(config, q3(), &files, &History::default());
    let sub = check.submissions.into_iter().next().unwrap();
    let sheets = ingest::read_workbook(&std::fs::read(&path).unwrap(), &config.form).unwrap();
    Checked {
        _dir: dir,
        path,
        sub,
        sheets,
    }
}

/// SG07 negative (V03 at D9 and E9, errors); the first project funded above
/// its contract (X04 at 项目清单!I3, a warning).
fn sent_back(config: &Config) -> Checked {
    checked(config, |d| {
        let row = indicator(d, "SG07");
        row[3] = Cell::Number(-2.0);
        row[4] = Cell::Number(-2.0);
        let contract = number(&d.projects[0][7]);
        d.projects[0][8] = Cell::Number(contract + 5.0);
    })
}

fn feedback(config: &Config, c: &Checked, zone: Option<&str>) -> Vec<u8> {
    write(config, &c.sub, Some(&c.sheets), zone)
}

// ------------------------------------------------------------ reading back

struct Book {
    bytes: Vec<u8>,
}

impl Book {
    fn sheet_names(&self) -> Vec<String> {
        Xlsx::new(Cursor::new(self.bytes.clone()))
            .unwrap()
            .sheet_names()
    }

    fn range(&self, sheet: &str) -> calamine::Range<Data> {
        Xlsx::new(Cursor::new(self.bytes.clone()))
            .unwrap()
            .worksheet_range(sheet)
            .unwrap()
    }

    fn part(&self, name: &str) -> Option<String> {
        let mut zip = zip::ZipArchive::new(Cursor::new(&self.bytes)).unwrap();
        let mut entry = zip.by_name(name).ok()?;
        let mut s = String::new();
        entry.read_to_string(&mut s).unwrap();
        Some(s)
    }

    /// The XML part of a sheet, by sheet name.
    fn sheet_part(&self, sheet: &str) -> String {
        let workbook = self.part("xl/workbook.xml").unwrap();
        let rels = self.part("xl/_rels/workbook.xml.rels").unwrap();
        let id = elements(&workbook, "sheet")
            .into_iter()
            .find(|(a, _)| a["name"] == sheet)
            .map(|(a, _)| a["r:id"].clone())
            .unwrap_or_else(|| panic!("no sheet {sheet}"));
        let target = elements(&rels, "Relationship")
            .into_iter()
            .find(|(a, _)| a["Id"] == id)
            .map(|(a, _)| a["Target"].clone())
            .unwrap();
        format!("xl/{target}")
    }

    fn sheet_xml(&self, sheet: &str) -> String {
        self.part(&self.sheet_part(sheet)).unwrap()
    }

    /// `ref -> location` of a sheet's internal links.
    fn links(&self, sheet: &str) -> BTreeMap<String, String> {
        elements(&self.sheet_xml(sheet), "hyperlink")
            .into_iter()
            .map(|(a, _)| {
                (
                    a["ref"].clone(),
                    a.get("location").cloned().unwrap_or_default(),
                )
            })
            .collect()
    }

    /// Cells of a sheet whose fill is `rgb` (e.g. `FF9F9F`).
    fn cells_filled(&self, sheet: &str, rgb: u32) -> BTreeSet<String> {
        let want = format!("FF{rgb:06X}");
        let styles = self.part("xl/styles.xml").unwrap();
        let fills: Vec<Option<String>> = elements(section(&styles, "fills"), "fill")
            .into_iter()
            .map(|(_, inner)| {
                elements(&inner, "fgColor")
                    .first()
                    .and_then(|(a, _)| a.get("rgb").cloned())
            })
            .collect();
        let xf_fill: Vec<usize> = elements(section(&styles, "cellXfs"), "xf")
            .into_iter()
            .map(|(a, _)| a.get("fillId").map_or(0, |f| f.parse().unwrap()))
            .collect();
        elements(&self.sheet_xml(sheet), "c")
            .into_iter()
            .filter(|(a, _)| {
                let s: usize = a.get("s").map_or(0, |s| s.parse().unwrap());
                fills[xf_fill[s]].as_deref() == Some(want.as_str())
            })
            .map(|(a, _)| a["r"].clone())
            .collect()
    }

    /// `cell -> text` of the comments (批注) on a sheet, with their authors.
    fn comments(&self, sheet: &str) -> (BTreeMap<String, String>, Vec<String>) {
        let part = self.sheet_part(sheet);
        let (dir, file) = part.rsplit_once('/').unwrap();
        let Some(rels) = self.part(&format!("{dir}/_rels/{file}.rels")) else {
            return (BTreeMap::new(), Vec::new());
        };
        let Some(target) = elements(&rels, "Relationship")
            .into_iter()
            .map(|(a, _)| a["Target"].clone())
            .find(|t| t.contains("comments"))
        else {
            return (BTreeMap::new(), Vec::new());
        };
        let xml = self
            .part(&format!("xl/{}", target.trim_start_matches("../")))
            .unwrap();
        let authors = elements(&xml, "author")
            .into_iter()
            .map(|(_, inner)| unescape(&inner))
            .collect();
        let comments = elements(&xml, "comment")
            .into_iter()
            .map(|(a, inner)| {
                let text: String = elements(&inner, "t")
                    .into_iter()
                    .map(|(_, t)| unescape(&t))
                    .collect();
                (a["ref"].clone(), text)
            })
            .collect();
        (comments, authors)
    }
}

/// The text between `<tag` and `</tag>`.
fn section<'a>(xml: &'a str, tag: &str) -> &'a str {
    let start = xml.find(&format!("<{tag}")).unwrap();
    let end = xml[start..].find(&format!("</{tag}>")).unwrap() + start;
    &xml[start..end]
}

/// Every `<tag …>` element: its attributes and inner text (raw).
fn elements(xml: &str, tag: &str) -> Vec<(BTreeMap<String, String>, String)> {
    let mut out = Vec::new();
    let mut rest = xml;
    loop {
        let open = [format!("<{tag} "), format!("<{tag}>"), format!("<{tag}/>")]
            .iter()
            .filter_map(|p| rest.find(p.as_str()))
            .min();
        let Some(open) = open else { break };
        let after = &rest[open + 1 + tag.len()..];
        let close = after.find('>').unwrap();
        let head = &after[..close];
        let attrs = attributes(head.trim_end_matches('/'));
        if head.ends_with('/') {
            out.push((attrs, String::new()));
            rest = &after[close + 1..];
        } else {
            let body = &after[close + 1..];
            let end = body.find(&format!("</{tag}>")).unwrap();
            out.push((attrs, body[..end].to_string()));
            rest = &body[end..];
        }
    }
    out
}

fn attributes(head: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut rest = head;
    while let Some(eq) = rest.find("=\"") {
        let name = rest[..eq].trim().to_string();
        let value_start = eq + 2;
        let value_end = rest[value_start..].find('"').unwrap() + value_start;
        out.insert(name, unescape(&rest[value_start..value_end]));
        rest = &rest[value_end + 1..];
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn text(range: &calamine::Range<Data>, r: u32, c: u32) -> String {
    match range.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The 问题清单 banner as label → value, and the table rows under 序号.
struct List {
    banner: BTreeMap<String, String>,
    header_row: u32,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn list(book: &Book) -> List {
    let range = book.range("问题清单");
    let mut banner = BTreeMap::new();
    let mut r = 0;
    while text(&range, r, 0) != "序号" {
        let label = text(&range, r, 0);
        if !label.is_empty() {
            banner.insert(label, text(&range, r, 2));
        }
        r += 1;
        assert!(r < 50, "no table header");
    }
    let header_row = r;
    let header = (0..8).map(|c| text(&range, r, c)).collect();
    let mut rows = Vec::new();
    let mut r = header_row + 1;
    while !text(&range, r, 1).is_empty() {
        rows.push((0..8).map(|c| text(&range, r, c)).collect());
        r += 1;
    }
    List {
        banner,
        header_row,
        header,
        rows,
    }
}

/// `'核心指标'!E9` → (`核心指标`, `E9`).
fn split_location(location: &str) -> (String, String) {
    let (sheet, cell) = location.rsplit_once('!').unwrap();
    let sheet = sheet
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .unwrap_or(sheet)
        .replace("''", "'");
    (sheet, cell.to_string())
}

fn grid_cells(grid: &Grid) -> Vec<(CellPos, CellValue)> {
    grid.cells().map(|(p, v)| (p, v.clone())).collect()
}

// ------------------------------------------------------------ tests

#[test]
fn a_sent_back_return() {
    let config = config();
    let c = sent_back(&config);
    let sub = &c.sub;
    assert_eq!(sub.verdict, Verdict::SentBack);
    let problems: Vec<(&str, Severity, &str, &str)> = sub
        .findings
        .iter()
        .map(|f| {
            (
                f.rule.as_str(),
                f.severity,
                f.sheet.as_deref().unwrap(),
                f.cell.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            ("V03", Severity::Error, "核心指标", "D9"),
            ("V03", Severity::Error, "核心指标", "E9"),
            ("X04", Severity::Warning, "项目清单", "I3"),
        ]
    );

    let bytes = feedback(&config, &c, Some("徐州高新区"));
    let book = Book {
        bytes: bytes.clone(),
    };

    // Sheets: the list, then the file's own form sheets in file order.
    let copied: Vec<String> = c
        .sheets
        .iter()
        .filter(|s| s.grid.is_some())
        .map(|s| s.name.clone())
        .collect();
    assert_eq!(copied, ["基本信息", "核心指标", "项目清单", "平台清单"]);
    let mut expected_sheets = vec!["问题清单".to_string()];
    expected_sheets.extend(copied.iter().cloned());
    assert_eq!(book.sheet_names(), expected_sheets);

    // The banner.
    let l = list(&book);
    assert_eq!(l.banner["审核结论"], "退回修改");
    assert_eq!(l.banner["高新区"], "徐州高新区");
    assert!(l.banner["报告期"].contains("2025年第三季度"));
    assert_eq!(l.banner["报送文件"], "2025Q3/徐州高新区_2025Q3.xlsx");
    let counts = &l.banner["问题数量"];
    assert!(
        counts.contains("错误 2 项")
            && counts.contains("警告 1 项")
            && counts.contains("提示 0 项"),
        "{counts}"
    );
    assert!(l.banner["处理要求"].contains("请按下表逐项修改后重新报送"));

    // The table: one row per finding, in order.
    assert_eq!(
        l.header,
        [
            "序号",
            "级别",
            "规则",
            "位置",
            "填写值",
            "应为",
            "说明与修改方法",
            "说明状态"
        ]
    );
    assert_eq!(l.rows.len(), sub.findings.len());
    for (i, (row, f)) in l.rows.iter().zip(&sub.findings).enumerate() {
        assert_eq!(row[0], (i + 1).to_string());
        assert_eq!(row[1], f.severity.label_zh());
        assert_eq!(
            row[2],
            format!("{} {}", f.rule, config.rules.title(&f.rule))
        );
        assert_eq!(row[4], f.value.clone().unwrap_or_default());
        assert_eq!(row[5], f.expected.clone().unwrap_or_default());
        assert_eq!(row[6], f.message.clone().unwrap());
    }
    let places: Vec<&str> = l.rows.iter().map(|r| r[3].as_str()).collect();
    assert_eq!(places, ["核心指标!D9", "核心指标!E9", "项目清单!I3"]);
    let status: Vec<&str> = l.rows.iter().map(|r| r[7].as_str()).collect();
    assert_eq!(status, ["", "", "待说明"]);

    // Each 位置 links to its cell in the copy sheet.
    let links = book.links("问题清单");
    assert_eq!(links.len(), 3, "{links:?}");
    for (i, f) in sub.findings.iter().enumerate() {
        let at = CellPos::new(l.header_row + 1 + i as u32, 3).a1();
        let (sheet, cell) = split_location(&links[&at]);
        assert_eq!(sheet, f.sheet.clone().unwrap());
        assert!(book.sheet_names().contains(&sheet));
        assert_eq!(cell, f.cell.clone().unwrap());
    }
    assert!(
        book.part("xl/worksheets/_rels/sheet1.xml.rels")
            .is_none_or(|r| !r.contains("hyperlink")),
        "internal links need no external relationship"
    );

    // Exactly the offending cells are filled: red for errors, amber for the
    // warning; nothing blue (no infos).
    let mut filled = BTreeMap::new();
    for sheet in &copied {
        for (rgb, label) in [
            (ERROR_FILL, "red"),
            (WARNING_FILL, "amber"),
            (INFO_FILL, "blue"),
        ] {
            for cell in book.cells_filled(sheet, rgb) {
                filled.insert(format!("{sheet}!{cell}"), label);
            }
        }
    }
    assert_eq!(
        filled,
        BTreeMap::from([
            ("核心指标!D9".to_string(), "red"),
            ("核心指标!E9".to_string(), "red"),
            ("项目清单!I3".to_string(), "amber"),
        ])
    );
    // The list's fills are the 级别 column only.
    assert_eq!(
        book.cells_filled("问题清单", ERROR_FILL),
        BTreeSet::from([
            CellPos::new(l.header_row + 1, 1).a1(),
            CellPos::new(l.header_row + 2, 1).a1()
        ])
    );

    // …and carry the findings' messages as comments.
    let mut all_comments = BTreeMap::new();
    for sheet in &copied {
        let (comments, authors) = book.comments(sheet);
        if !comments.is_empty() {
            assert_eq!(authors, [AUTHOR]);
        }
        for (cell, text) in comments {
            all_comments.insert(format!("{sheet}!{cell}"), text);
        }
    }
    assert_eq!(
        all_comments.keys().collect::<Vec<_>>(),
        ["核心指标!D9", "核心指标!E9", "项目清单!I3"]
    );
    for f in &sub.findings {
        let key = format!(
            "{}!{}",
            f.sheet.as_deref().unwrap(),
            f.cell.as_deref().unwrap()
        );
        let comment = &all_comments[&key];
        assert!(comment.contains(f.message.as_deref().unwrap()), "{comment}");
        assert!(comment.contains(&f.rule), "{comment}");
    }

    // The copies hold the file's values (typed: numbers, dates, text) and
    // its merged regions.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("反馈.xlsx");
    std::fs::write(&out, &bytes).unwrap();
    let back = ingest::read_workbook(&std::fs::read(&out).unwrap(), &config.form).unwrap();
    for original in c.sheets.iter().filter(|s| s.grid.is_some()) {
        let copy = back
            .iter()
            .find(|s| s.name == original.name)
            .and_then(|s| s.grid.as_ref())
            .unwrap_or_else(|| panic!("no copy of {}", original.name));
        let grid = original.grid.as_ref().unwrap();
        assert_eq!(grid_cells(copy), grid_cells(grid), "{}", original.name);
        assert_eq!(copy.merges(), grid.merges(), "{}", original.name);
    }
    // Dates stay dates with a yyyy-mm-dd format, numbers stay numbers.
    let projects = book.range("项目清单");
    assert!(matches!(
        projects.get_value((2, 6)),
        Some(Data::DateTime(_))
    ));
    assert!(matches!(projects.get_value((2, 7)), Some(Data::Float(_))));
    let original = Xlsx::new(Cursor::new(std::fs::read(&c.path).unwrap()))
        .unwrap()
        .worksheet_range("项目清单")
        .unwrap();
    assert_eq!(projects.get_value((2, 6)), original.get_value((2, 6)));
    assert!(book.part("xl/styles.xml").unwrap().contains("yyyy-mm-dd"));

    // Deterministic bytes, a creation date from the period.
    assert_eq!(feedback(&config, &c, Some("徐州高新区")), bytes);
    let core = book.part("docProps/core.xml").unwrap();
    assert!(core.contains("2025-09-30T00:00:00Z"), "{core}");
    assert!(core.contains(AUTHOR));

    assert_eq!(
        file_name(sub, Some("徐州高新区"), q3()),
        "徐州高新区_2025Q3_问题反馈.xlsx"
    );
}

#[test]
fn an_unreadable_file() {
    let config = config();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("坏文件?.xlsx");
    std::fs::write(&path, "这不是电子表格").unwrap();
    let files = [InputFile {
        path,
        name: "2025Q3/坏文件?.xlsx".into(),
    }];
    let check = validate::check_period(&config, q3(), &files, &History::default());
    let sub = &check.submissions[0];
    assert_eq!(sub.findings[0].rule, "F01");

    let bytes = write(&config, sub, None, None);
    let book = Book { bytes };
    assert_eq!(book.sheet_names(), ["问题清单"]);
    let l = list(&book);
    assert_eq!(l.banner["审核结论"], "退回修改");
    assert!(l.banner["高新区"].contains("未能确定"));
    assert_eq!(l.rows.len(), 1);
    assert_eq!(l.rows[0][1], "错误");
    assert_eq!(l.rows[0][3], "整个文件");
    assert!(l.rows[0][6].contains("文件无法读取"));
    assert!(book.links("问题清单").is_empty());
    assert_eq!(
        file_name(sub, None, q3()),
        "坏文件__2025Q3_问题反馈.xlsx",
        "the stem is made safe"
    );
}

#[test]
fn warnings_corrections_and_odd_sheets() {
    let config = config();
    let c = checked(&config, |d| {
        let contract = number(&d.projects[0][7]);
        d.projects[0][8] = Cell::Number(contract + 5.0);
    });
    assert_eq!(c.sub.verdict, Verdict::Warnings);
    let mut sub = c.sub.clone();
    sub.explanations[0] = Some("补充协议已追加合同金额".into());
    // A warning on a cell outside the grid, unexplained.
    let template = sub.findings[0].clone();
    sub.findings.push(Finding {
        rule: "X05".into(),
        sheet: Some("核心指标".into()),
        cell: Some("Z40".into()),
        row: Some(40),
        message: Some("远处的单元格".into()),
        ..template
    });
    sub.explanations.push(None);
    // Two findings on one cell → one comment with both messages.
    let mut second = sub.findings[0].clone();
    second.rule = "V08".into();
    second.message = Some("第二条说明".into());
    sub.findings.push(second);
    sub.explanations.push(None);
    // An info on a cell inside the title merge (A1:F1): the merge shows it.
    let mut info = sub.findings[0].clone();
    info.rule = "V07".into();
    info.severity = Severity::Info;
    info.sheet = Some("核心指标".into());
    info.cell = Some("C1".into());
    info.message = Some("标题中的提示".into());
    sub.findings.push(info);
    sub.explanations.push(None);
    sub.changes = vec![CellChange {
        sheet: "核心指标".into(),
        cell: "E9".into(),
        old: "3".into(),
        new: "5".into(),
    }];
    // A sheet of the file named like the list sheet.
    let mut sheets = c.sheets.clone();
    let mut grid = Grid::default();
    grid.insert(CellPos::new(0, 0), CellValue::Text("自带的表".into()));
    sheets.push(BookSheet::new("问题清单".into(), Some(grid)));

    let bytes = write(&config, &sub, Some(&sheets), Some("徐州高新区"));
    let book = Book { bytes };
    assert_eq!(
        book.sheet_names(),
        [
            "问题清单",
            "更正内容",
            "基本信息",
            "核心指标",
            "项目清单",
            "平台清单",
            "问题清单_原表"
        ]
    );
    let l = list(&book);
    // Two warnings still to explain: the conclusion says so (issue 12).
    assert_eq!(l.banner["审核结论"], "有警告（待说明）");
    assert!(
        l.banner["处理要求"].contains("情况说明"),
        "{}",
        l.banner["处理要求"]
    );
    let status: Vec<&str> = l.rows.iter().map(|r| r[7].as_str()).collect();
    assert_eq!(
        status,
        ["已说明：补充协议已追加合同金额", "待说明", "待说明", ""]
    );
    assert_eq!(l.rows[1][3], "核心指标!Z40");
    assert_eq!(l.rows[3][3], "核心指标!C1");

    // The far cell is filled and commented; I3 has both messages.
    assert_eq!(
        book.cells_filled("核心指标", WARNING_FILL),
        BTreeSet::from(["Z40".to_string()])
    );
    let (comments, _) = book.comments("核心指标");
    assert!(comments["Z40"].contains("远处的单元格"));
    assert!(comments["A1"].contains("标题中的提示"));
    assert_eq!(comments.len(), 2);
    assert_eq!(
        book.cells_filled("核心指标", INFO_FILL),
        ["A1", "B1", "C1", "D1", "E1", "F1"]
            .map(String::from)
            .into()
    );
    let (comments, _) = book.comments("项目清单");
    assert_eq!(comments.len(), 1);
    assert!(comments["I3"].contains(sub.findings[0].message.as_deref().unwrap()));
    assert!(comments["I3"].contains("第二条说明"));
    let (comments, _) = book.comments("问题清单_原表");
    assert!(comments.is_empty());
    assert_eq!(text(&book.range("问题清单_原表"), 0, 0), "自带的表");

    // 更正内容 lists the change, its cell linked to the copy.
    let changes = book.range("更正内容");
    let header = (0..10).find(|&r| text(&changes, r, 0) == "工作表").unwrap();
    assert_eq!(
        (1..4)
            .map(|c| text(&changes, header, c))
            .collect::<Vec<_>>(),
        ["单元格", "原值", "新值"]
    );
    assert_eq!(
        (0..4)
            .map(|c| text(&changes, header + 1, c))
            .collect::<Vec<_>>(),
        ["核心指标", "E9", "3", "5"]
    );
    let links = book.links("更正内容");
    let (sheet, cell) = split_location(&links[&CellPos::new(header + 1, 1).a1()]);
    assert_eq!((sheet.as_str(), cell.as_str()), ("核心指标", "E9"));

    // A superseded file says which file replaced it; names never collide.
    let mut lost = c.sub.clone();
    lost.verdict = Verdict::Superseded;
    lost.superseded_by = Some("2025Q3/徐州高新区_更正.xlsx".into());
    let bytes = write(&config, &lost, Some(&c.sheets), Some("徐州高新区"));
    let l = list(&Book { bytes });
    assert_eq!(l.banner["审核结论"], "已被取代");
    assert!(l.banner["处理要求"].contains("2025Q3/徐州高新区_更正.xlsx"));
    // A file named after its zone and quarter is not prefixed with them again.
    assert_eq!(
        file_name(&lost, Some("徐州高新区"), q3()),
        "徐州高新区_2025Q3_问题反馈.xlsx"
    );
    let mut corrected = sub.clone();
    corrected.source.name = "2025Q3/徐州高新区_2025Q3_更正.xlsx".into();
    assert_eq!(
        file_name(&corrected, Some("徐州高新区"), q3()),
        "徐州高新区_2025Q3_更正_问题反馈.xlsx"
    );
    let mut renamed = corrected.clone();
    renamed.source.name = "2025Q3/更正版.xlsx".into();
    assert_eq!(
        file_name(&renamed, Some("徐州高新区"), q3()),
        "徐州高新区_2025Q3_更正版_问题反馈.xlsx"
    );
    let mut unreadable = c.sub.clone();
    unreadable.zone = None;
    unreadable.source.name = "2025Q3/徐州高新区.xls".into();
    let names = file_names(
        &[
            (&corrected, Some("徐州高新区")),
            (&lost, Some("徐州高新区")),
            (&unreadable, None),
        ],
        q3(),
    );
    assert_eq!(
        names,
        [
            "徐州高新区_2025Q3_更正_问题反馈.xlsx",
            "徐州高新区_2025Q3_问题反馈.xlsx",
            "徐州高新区_2025Q3_2_问题反馈.xlsx",
        ]
    );
}

#[test]
fn the_shipped_sample_file() {
    let config = config();
    let path = root().join("inputs/returns/2025Q3/徐州高新区_2025Q3.xlsx");
    let files = [InputFile {
        path: path.clone(),
        name: "2025Q3/徐州高新区_2025Q3.xlsx".into(),
    }];
    let check = validate::check_period(&config, q3(), &files, &History::default());
    let sub = &check.submissions[0];
    let sheets = ingest::read_workbook(&std::fs::read(&path).unwrap(), &config.form).unwrap();
    let bytes = write(&config, sub, Some(&sheets), Some("徐州高新区"));
    let book = Book { bytes };
    let l = list(&book);
    let presented = feedback_book(&config, sub, Some("徐州高新区"), q3()).conclusion;
    assert_eq!(l.banner["审核结论"], presented.label_zh());
    assert_eq!(l.rows.len(), sub.findings.len());
}

#[test]
fn warnings_all_explained_read_as_passed() {
    // Issue 12: a return whose warnings are all explained read 有警告 in
    // yellow while 处理要求 said there was nothing left to do.
    let config = config();
    let c = checked(&config, |d| {
        let contract = number(&d.projects[0][7]);
        d.projects[0][8] = Cell::Number(contract + 5.0);
    });
    assert_eq!(c.sub.verdict, Verdict::Warnings);
    let mut sub = c.sub.clone();
    for (f, e) in sub.findings.iter().zip(sub.explanations.iter_mut()) {
        if f.severity == Severity::Warning {
            *e = Some("补充协议已追加合同金额".into());
        }
    }
    let bytes = write(&config, &sub, Some(&c.sheets), Some("徐州高新区"));
    let l = list(&Book { bytes });
    assert_eq!(l.banner["审核结论"], "通过（警告已说明）");
    let book = feedback_book(&config, &sub, Some("徐州高新区"), q3());
    assert_eq!(book.reply_by, None, "nothing left to do, no reply date");
    assert!(!book.instruction.contains("请于"), "{}", book.instruction);
}

// ------------------------------------------------------------ the shipped quarter

/// The shipped sample's 2026Q3, checked with its history, and its feedback
/// books.
fn shipped_books(config: &Config) -> Vec<shuanggao::report::FeedbackBook> {
    let folder = ingest::ReturnsFolder::scan(&root().join("inputs/returns")).unwrap();
    let p = Period::parse("2026Q3").unwrap();
    let check = validate::check_through(config, &folder, p).pop().unwrap();
    let before = validate::history_before(config, &folder, p);
    let accepted = shuanggao::report::Accepted::from_history(config, &before);
    shuanggao::report::feedback_books(config, &check, &accepted)
}

fn book_named(books: &[shuanggao::report::FeedbackBook], name: &str) -> Book {
    let b = books
        .iter()
        .find(|b| b.file_name == name)
        .unwrap_or_else(|| panic!("no {name}"));
    Book {
        bytes: write_feedback(b).unwrap(),
    }
}

impl Book {
    /// `name -> text` of the workbook's defined names for one sheet
    /// (`_xlnm.Print_Area`, `_xlnm.Print_Titles`).
    fn defined_names(&self, sheet: &str) -> BTreeMap<String, String> {
        let workbook = self.part("xl/workbook.xml").unwrap();
        let index = elements(&workbook, "sheet")
            .iter()
            .position(|(a, _)| a["name"] == sheet)
            .unwrap()
            .to_string();
        elements(&workbook, "definedName")
            .into_iter()
            .filter(|(a, _)| a.get("localSheetId") == Some(&index))
            .map(|(a, text)| (a["name"].clone(), unescape(&text)))
            .collect()
    }

    /// The style record (`cellXfs` entry) of a cell, with its number format
    /// code and whether it has a border and a bold font.
    fn cell_style(&self, sheet: &str, cell: &str) -> (String, bool, bool) {
        let styles = self.part("xl/styles.xml").unwrap();
        let s: usize = elements(&self.sheet_xml(sheet), "c")
            .into_iter()
            .find(|(a, _)| a["r"] == cell)
            .and_then(|(a, _)| a.get("s").map(|s| s.parse().unwrap()))
            .unwrap_or(0);
        let xf = &elements(section(&styles, "cellXfs"), "xf")[s].0;
        let id = &xf["numFmtId"];
        let code = elements(&styles, "numFmt")
            .into_iter()
            .find(|(a, _)| &a["numFmtId"] == id)
            .map(|(a, _)| a["formatCode"].clone())
            .unwrap_or_else(|| format!("builtin {id}"));
        let border: usize = xf.get("borderId").map_or(0, |b| b.parse().unwrap());
        let font: usize = xf.get("fontId").map_or(0, |f| f.parse().unwrap());
        let bold = elements(section(&styles, "fonts"), "font")[font]
            .1
            .contains("<b/>");
        (code, border > 0, bold)
    }
}

#[test]
fn feedback_on_the_shipped_quarter_reads_as_a_clerk_needs() {
    let config = config();
    let books = shipped_books(&config);

    // Only files with something to say get a book: 南京建邺 (no findings)
    // none; an info-only return (南通, V07) one; the correction (无锡, no
    // findings but changed cells) one; names never double zone and period.
    let names: Vec<&str> = books.iter().map(|b| b.file_name.as_str()).collect();
    assert!(
        !names.iter().any(|n| n.starts_with("南京建邺")),
        "{names:?}"
    );
    assert!(
        names.contains(&"南通高新区_2026Q3_问题反馈.xlsx"),
        "{names:?}"
    );
    assert!(names.contains(&"无锡高新区_2026Q3_更正_问题反馈.xlsx"));
    assert!(names.contains(&"无锡高新区_2026Q3_首次报送_问题反馈.xlsx"));
    assert!(books
        .iter()
        .all(|b| !b.findings.is_empty() || !b.changes.is_empty()));

    let cz = book_named(&books, "常州高新区_2026Q3_问题反馈.xlsx");
    // Issue 12: the hidden 模板信息 became a visible copy printing 3 pages.
    let sheets = cz.sheet_names();
    assert_eq!(
        sheets,
        [
            "问题清单",
            "基本信息",
            "核心指标",
            "项目清单",
            "平台清单",
            "情况说明"
        ]
    );
    let workbook = cz.part("xl/workbook.xml").unwrap();
    assert!(!workbook.contains("模板信息") && !workbook.contains("state="));

    // Title, sender, 反馈日期, contact and the date to act by, at the top.
    let top = cz.range("问题清单");
    let cz_book = books
        .iter()
        .find(|b| b.file_name.starts_with("常州"))
        .unwrap();
    assert_eq!(
        text(&top, 0, 0),
        "常州高新区2026年第三季度双高协同季度报表审核反馈"
    );
    assert_eq!(text(&top, 1, 0), "省科技厅　　反馈日期：2026年10月21日");
    assert_eq!(text(&top, 2, 0), "如对审核结果有疑问，请与省科技厅联系。");
    assert_eq!(
        cz_book.reply_by.map(|d| d.to_string()).as_deref(),
        Some("2026-10-31")
    );
    let l = list(&cz);
    assert_eq!(l.banner["审核结论"], "退回修改");
    assert_eq!(l.banner["处理期限"], "2026年10月31日前");
    assert!(l.banner["处理要求"].ends_with("请于2026年10月31日前完成。"));

    // Every sheet on A4, numbered, only its used rows, its header on every
    // page, narrow enough to print legibly one page wide.
    for sheet in &sheets {
        let xml = cz.sheet_xml(sheet);
        let setup = &elements(&xml, "pageSetup")[0].0;
        assert_eq!(setup["paperSize"], "9", "{sheet}");
        assert!(xml.contains("&amp;P") && xml.contains("&amp;N"), "{sheet}");
        let names = cz.defined_names(sheet);
        assert!(
            names.contains_key("_xlnm.Print_Titles"),
            "{sheet}: {names:?}"
        );
        assert!(names.contains_key("_xlnm.Print_Area"), "{sheet}: {names:?}");
        let widths: f64 = elements(&xml, "col")
            .iter()
            .map(|(a, _)| {
                let span = a["max"].parse::<f64>().unwrap() - a["min"].parse::<f64>().unwrap();
                (span + 1.0) * (a["width"].parse::<f64>().unwrap() - 0.71)
            })
            .sum();
        let landscape = setup.get("orientation").map(String::as_str) == Some("landscape");
        assert!(widths <= 141.0, "{sheet}: {widths} units print below 75 %");
        assert!(
            landscape || widths <= 71.0,
            "{sheet}: {widths} units portrait"
        );
    }
    // 28 projects under a 3-row heading: the 60 numbered empty rows below
    // do not print.
    let projects = cz.defined_names("项目清单");
    assert_eq!(projects["_xlnm.Print_Area"], "项目清单!$A$1:$K$31");
    assert_eq!(projects["_xlnm.Print_Titles"], "项目清单!$1:$3");

    // The copies look like the form: amounts with thousands separators,
    // counts too, dates as dates, ruled cells, a bold header.
    let sg05 = (0..30)
        .find(|&r| text(&cz.range("核心指标"), r, 0) == "SG05")
        .unwrap();
    let sg05_cum = CellPos::new(sg05, 4).a1();
    assert_eq!(
        cz.cell_style("核心指标", &sg05_cum),
        ("#,##0.00".into(), true, false)
    );
    let sg04_cum = CellPos::new(sg05 - 1, 4).a1();
    assert_eq!(cz.cell_style("核心指标", &sg04_cum).0, "#,##0");
    assert_eq!(
        cz.cell_style("项目清单", "H4"),
        ("#,##0.00".into(), true, false)
    );
    assert_eq!(
        cz.cell_style("项目清单", "G4"),
        ("yyyy-mm-dd".into(), true, false)
    );
    assert!(cz.cell_style("项目清单", "B4").1, "names are ruled");
    assert!(cz.cell_style("项目清单", "E3").2, "the header is bold");
    // A32 holds the pre-printed 序号 29 of the first empty row.
    assert_eq!(text(&cz.range("项目清单"), 31, 0), "29");
    let (_, ruled, _) = cz.cell_style("项目清单", "A32");
    assert!(
        !ruled,
        "the empty rows below the data are not part of the table"
    );
    let fund = (0..30)
        .find(|&r| text(&cz.range("基本信息"), r, 0) == "转化基金规模(万元)")
        .unwrap();
    assert_eq!(
        cz.cell_style("基本信息", &CellPos::new(fund, 1).a1()).0,
        "#,##0.00"
    );

    // A superseded file: its F02 row and its conclusion agree.
    let first = list(&book_named(
        &books,
        "无锡高新区_2026Q3_首次报送_问题反馈.xlsx",
    ));
    assert_eq!(first.banner["审核结论"], "已被取代");
    assert!(first.banner["处理要求"].contains("无需修改"));
    assert!(!first.banner.contains_key("处理期限"));
    // Its own V04 (SAMPLE_2026Q3_DEFECTS: 标志项目) is listed, set aside:
    // the book never says 错误 0 项 of a file that had an error.
    assert_eq!(first.rows.len(), 2);
    assert_eq!(first.rows[0][2], "F02 同期重复报送");
    assert_eq!(first.rows[0][7], "无需说明");
    assert_eq!(
        (first.rows[1][1].as_str(), first.rows[1][2].as_str()),
        ("错误", "V04 不在可选范围")
    );
    assert_eq!(first.rows[1][3], "项目清单!F4");
    assert_eq!(first.rows[1][7], "已被取代，无需处理");
    assert!(
        first.banner["问题数量"].contains("本文件自身的问题：错误 1 项"),
        "{}",
        first.banner["问题数量"]
    );

    // I02 suggests the university the typo misspells (model side, shown).
    let lyg = list(&book_named(&books, "连云港高新区_2026Q3_问题反馈.xlsx"));
    let i02 = lyg.rows.iter().find(|r| r[2].starts_with("I02")).unwrap();
    assert!(i02[6].contains("南京工大学") && i02[6].contains("是否应为“南京工业大学”"));
}

/// The numbers after each severity in a 问题数量 text (`错误 1 项　　警告 0 项 …`).
fn stated(text: &str) -> [usize; 3] {
    ["错误 ", "警告 ", "提示 "].map(|label| {
        let at = text
            .find(label)
            .unwrap_or_else(|| panic!("{label}in {text}"))
            + label.len();
        let digits: String = text[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().unwrap()
    })
}

fn listed(rows: &[&Vec<String>]) -> [usize; 3] {
    ["错误", "警告", "提示"].map(|level| rows.iter().filter(|r| r[1] == level).count())
}

#[test]
fn every_book_counts_what_it_lists_and_a_superseded_file_its_own_problems() {
    let config = config();
    let books = shipped_books(&config);
    for b in &books {
        let l = list(&book_named(&books, &b.file_name));
        let counts = &l.banner["问题数量"];
        let (own, aside): (Vec<&Vec<String>>, Vec<&Vec<String>>) =
            l.rows.iter().partition(|r| r[7] != "已被取代，无需处理");
        match counts.split_once("本文件自身的问题：") {
            Some((_, theirs)) => {
                assert_eq!(b.verdict, Verdict::Superseded);
                assert_eq!(stated(theirs), listed(&aside), "{}: {counts}", b.file_name);
                assert!(counts.contains(&format!("警告 {} 项", listed(&own)[1])));
            }
            None if b.verdict == Verdict::Superseded => {
                assert!(
                    aside.is_empty() && counts.contains("未发现问题"),
                    "{counts}"
                );
            }
            None => {
                assert!(aside.is_empty(), "{}", b.file_name);
                assert_eq!(stated(counts), listed(&own), "{}: {counts}", b.file_name);
            }
        }
    }
    // What 无锡's first file has when checked on its own is what its
    // feedback lists (besides F02): the test that would have caught
    // "错误 0 项" for a file with a V04.
    let file = "2026Q3/无锡高新区_2026Q3_首次报送.xlsx";
    let alone = validate::check_files(
        &config,
        &[InputFile {
            path: root().join("inputs/returns").join(file),
            name: file.into(),
        }],
        Some(Period::parse("2026Q3").unwrap()),
        None,
        |_| History::default(),
    )
    .unwrap();
    let own: BTreeSet<(String, String)> = alone.submissions[0]
        .findings
        .iter()
        .filter(|f| !f.rule.starts_with('X'))
        .map(|f| (f.rule.clone(), f.place()))
        .collect();
    assert!(own.iter().any(|(rule, _)| rule == "V04"), "{own:?}");
    let book = books.iter().find(|b| b.source == file).unwrap();
    let shown: BTreeSet<(String, String)> = book
        .findings
        .iter()
        .chain(&book.set_aside)
        .map(|f| (f.finding.rule.clone(), f.finding.place()))
        .collect();
    assert!(own.is_subset(&shown), "{own:?} not all in {shown:?}");
    // The copy marks it, as any error.
    let first = book_named(&books, &book.file_name);
    assert!(first.cells_filled("项目清单", ERROR_FILL).contains("F4"));
}

/// The reference column of a book's 核心指标 copy: header, and each
/// indicator code's value in it.
fn reference_column(book: &Book) -> (String, BTreeMap<String, f64>) {
    let range = book.range("核心指标");
    let (rows, cols) = range.get_size();
    let (header_row, col) = (0..rows as u32)
        .flat_map(|r| (0..cols as u32).map(move |c| (r, c)))
        .find(|&(r, c)| text(&range, r, c).ends_with("累计值（参考）"))
        .expect("a reference column");
    let values = (header_row + 1..rows as u32)
        .filter_map(|r| {
            let code = text(&range, r, 0);
            match range.get_value((r, col)) {
                Some(Data::Float(v)) => Some((code, *v)),
                Some(Data::Int(v)) => Some((code, *v as f64)),
                _ => None,
            }
        })
        .collect();
    (text(&range, header_row, col), values)
}

/// Each indicator's 累计值 in the sample draft of a zone's quarter.
fn draft_cumulatives(config: &Config, zone: &str, p: &str) -> BTreeMap<String, f64> {
    let mut d = sample_draft(config, zone, Period::parse(p).unwrap()).unwrap();
    config
        .indicators
        .all
        .iter()
        .map(|i| (i.code.clone(), number(&indicator(&mut d, &i.code)[4])))
        .collect()
}

#[test]
fn the_reference_column_shows_what_was_accepted_last() {
    let config = config();
    // `check --feedback`'s books (history): 常州 (sent back) and 镇江 see
    // their 2026Q2 returns' 累计值, as the sample drafts wrote them.
    let books = shipped_books(&config);
    for (zone, name) in [("CZ", "常州高新区"), ("ZJ", "镇江高新区")] {
        let book = book_named(&books, &format!("{name}_2026Q3_问题反馈.xlsx"));
        let (header, values) = reference_column(&book);
        assert_eq!(header, "上季度累计值（参考）");
        assert_eq!(values, draft_cumulatives(&config, zone, "2026Q2"), "{zone}");
        let l = list(&book);
        assert!(
            l.banner["阅读提示"].contains("已填入本区2026年第二季度已采用的累计值"),
            "{}",
            l.banner["阅读提示"]
        );
    }
    let cz = book_named(&books, "常州高新区_2026Q3_问题反馈.xlsx");
    assert_eq!(
        cz.cell_style("核心指标", "G8").0,
        "#,##0.00",
        "SG05 in 万元"
    );
    assert_eq!(cz.cell_style("核心指标", "G4").0, "#,##0", "SG01 a count");

    // `report`'s books (figures): 镇江 without a 2026Q2 return sees its
    // 2026Q1 figures, and the header says so.
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&root().join("inputs/returns"), dir.path());
    std::fs::remove_file(dir.path().join("2026Q2/镇江高新区_2026Q2.xlsx")).unwrap();
    let r = common::report_at(dir.path(), "2026Q3");
    let zj = r
        .feedback
        .iter()
        .find(|b| b.zone.as_deref() == Some("镇江高新区"))
        .unwrap();
    let book = Book {
        bytes: write_feedback(zj).unwrap(),
    };
    let (header, values) = reference_column(&book);
    assert_eq!(header, "2026年第一季度累计值（参考）");
    assert_eq!(values, draft_cumulatives(&config, "ZJ", "2026Q1"));
    assert!(list(&book).banner["阅读提示"].contains("本区2026年第一季度已采用的累计值"));
}
