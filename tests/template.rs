//! Zone return templates: a template filled with a zone's sample return reads
//! back as that return with no findings; a blank one asks only for the
//! quarter's inputs; sheets are protected with the input cells unlocked and
//! checked; the hidden sheet names the template; the command line; and the
//! bytes do not depend on the clock.

mod common;

use common::{config, q, root};

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{Data, Reader};
use shuanggao::config::{Config, IndicatorKind, Zone};
use shuanggao::ingest::{InputFile, ReturnsFolder};
use shuanggao::model::Verdict;
use shuanggao::model::{CellPos, Period, Return, Severity};
use shuanggao::render::template::{write_filled, write_template, TEMPLATE_VERSION};
use shuanggao::validate::{self, PeriodCheck};

fn folder() -> ReturnsFolder {
    ReturnsFolder::scan(&root().join("inputs/returns")).unwrap()
}

/// The shipped sample checked through `period`: that quarter's check.
fn shipped(config: &Config, period: Period) -> PeriodCheck {
    let check = validate::check_through(config, &folder(), period)
        .pop()
        .unwrap();
    assert_eq!(check.period, period);
    check
}

fn accepted<'a>(check: &'a PeriodCheck, zone: &Zone) -> &'a Return {
    check
        .accepted(&zone.code)
        .and_then(|s| s.ret.as_ref())
        .unwrap_or_else(|| panic!("{} has no accepted {} return", zone.name, check.period))
}

fn xuzhou(config: &Config) -> &Zone {
    config.registry.zone("XZ").unwrap()
}

/// 徐州高新区's 2025Q4 template, prefilled from its accepted 2025Q3 sample
/// return, and that return.
fn xuzhou_2025q4(config: &Config) -> (Vec<u8>, Return) {
    let zone = xuzhou(config);
    let check = shipped(config, q("2025Q3"));
    let last = accepted(&check, zone).clone();
    let bytes = write_template(config, zone, q("2025Q4"), Some(&last)).unwrap();
    (bytes, last)
}

/// Checks workbooks (name, bytes) as `period` against the earlier quarters.
fn check_files(config: &Config, period: Period, books: &[(String, Vec<u8>)]) -> PeriodCheck {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<InputFile> = books
        .iter()
        .map(|(name, bytes)| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            InputFile {
                path,
                name: name.clone(),
            }
        })
        .collect();
    let history = validate::history_before(config, &folder(), period);
    validate::check_period(config, period, &files, &history)
}

type ProjectKey = (
    String,
    Vec<String>,
    String,
    Option<String>,
    Option<String>,
    Option<chrono::NaiveDate>,
    Option<f64>,
    Option<f64>,
    Option<String>,
    bool,
);

fn projects(r: &Return) -> Vec<ProjectKey> {
    r.projects
        .iter()
        .map(|p| {
            (
                p.name.value.clone(),
                p.universities.clone(),
                p.enterprise.clone(),
                p.field.clone(),
                p.category.clone(),
                p.start_date,
                p.contract,
                p.funded.as_ref().map(|f| f.value),
                p.status.clone(),
                p.benchmark,
            )
        })
        .collect()
}

type PlatformKey = (
    String,
    Option<String>,
    Option<String>,
    Vec<String>,
    Option<chrono::NaiveDate>,
    Option<f64>,
    Option<f64>,
);

fn platforms(r: &Return) -> Vec<PlatformKey> {
    r.platforms
        .iter()
        .map(|p| {
            (
                p.name.value.clone(),
                p.kind.clone(),
                p.level.clone(),
                p.universities.clone(),
                p.built_date,
                p.area,
                p.investment,
            )
        })
        .collect()
}

type FiveKey = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<f64>,
);

/// 五个一 as read.
fn five(r: &Return) -> FiveKey {
    let i = &r.info;
    (
        i.industry.clone(),
        i.platform.clone(),
        i.talent.clone(),
        i.fund_name.clone(),
        i.fund_size.as_ref().map(|f| f.value),
    )
}

// ---- round trip --------------------------------------------------------------

#[test]
fn filled_templates_read_back_as_the_sample_with_no_findings() {
    let config = config();
    let period = q("2025Q4");
    let sample = shipped(&config, period);
    let mut books = Vec::new();
    let mut want: BTreeMap<String, &Return> = BTreeMap::new();
    for zone in &config.registry.zones {
        let ret = accepted(&sample, zone);
        let bytes = write_filled(&config, zone, period, ret).unwrap();
        books.push((format!("{}_{period}.xlsx", zone.name), bytes));
        want.insert(zone.code.to_string(), ret);
    }
    // All 18 together, as a quarter's folder (so D03 and F02 run too), with
    // the history of 2025Q3 (so X05-X08 compare with last quarter).
    let check = check_files(&config, period, &books);
    let findings: Vec<_> = check.findings().collect();
    // The shipped 2025Q4 sample has no findings at all, not even infos; the
    // templates must not add any (no S04 for 填表说明 or 模板信息, no V07 for
    // values written as text, no I03 …).
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(check.submissions.len(), config.registry.zones.len());
    for sub in &check.submissions {
        assert_eq!(sub.verdict, Verdict::Passed, "{}", sub.source.name);
        let got = sub.ret.as_ref().unwrap();
        let want = want[sub.zone.as_deref().unwrap()];
        let name = &sub.source.name;
        for ind in &config.indicators.all {
            assert_eq!(
                got.new_value(&ind.code),
                want.new_value(&ind.code),
                "{name} {} 本季度新增",
                ind.code
            );
            assert_eq!(
                got.cumulative(&ind.code),
                want.cumulative(&ind.code),
                "{name} {} 累计值",
                ind.code
            );
        }
        assert_eq!(projects(got), projects(want), "{name} 项目清单");
        assert_eq!(platforms(got), platforms(want), "{name} 平台清单");
        assert_eq!(five(got), five(want), "{name} 五个一");
        let (g, w) = (&got.info, &want.info);
        assert_eq!(
            g.zone_text.as_ref().map(|z| &z.value),
            w.zone_text.as_ref().map(|z| &z.value)
        );
        assert_eq!(got.period(), Some(period));
        assert_eq!(got.fill_date(), want.fill_date(), "{name} 填报日期");
        assert_eq!(
            (&g.unit, &g.filler, &g.phone),
            (&w.unit, &w.filler, &w.phone),
            "{name}"
        );
        assert_eq!(got.zone, want.zone);
        assert_eq!(got.is_sample, want.is_sample, "{name} 示例数据 marker");
        assert_eq!(got.rows_read, want.rows_read, "{name} rows read");
    }
    let total = |code: &str| -> f64 {
        check
            .submissions
            .iter()
            .filter_map(|s| s.ret.as_ref()?.cumulative(code))
            .sum()
    };
    assert_eq!(total("SG01"), 342.0);
    assert_eq!(total("SG02"), 58.0);
    assert_eq!(total("SG05"), 75_000.0);
}

#[test]
fn a_blank_template_asks_only_for_the_quarters_inputs() {
    let config = config();
    let (bytes, last) = xuzhou_2025q4(&config);
    let last = &last;
    let check = check_files(&config, q("2025Q4"), &[("徐州.xlsx".into(), bytes.clone())]);
    let ret = check.submissions[0].ret.as_ref().unwrap();

    // Every finding is an empty required input: 填报日期 and the indicator
    // figures (本季度新增 is optional for stock indicators); 填报人 is
    // prefilled from last quarter (issue 12).
    let flows = config
        .indicators
        .all
        .iter()
        .filter(|i| i.kind == IndicatorKind::Flow)
        .count();
    let stocks = config.indicators.all.len() - flows;
    let findings: Vec<_> = check.findings().collect();
    assert!(
        findings
            .iter()
            .all(|f| f.rule == "V01" && f.severity == Severity::Error),
        "{findings:#?}"
    );
    assert_eq!(findings.len(), 1 + 2 * flows + stocks, "{findings:#?}");
    let book = Book::new(&bytes);
    for f in &findings {
        let cell = CellPos::parse_a1(f.cell.as_deref().unwrap()).unwrap();
        assert!(
            !book.is_locked(f.sheet.as_deref().unwrap(), cell),
            "{f:?} points at a locked cell"
        );
    }

    // Last quarter's lists, 五个一 and contact fields are there to update,
    // not retype (issue 12: 填报单位, 填报人, 联系电话 were left empty).
    assert_eq!(projects(ret), projects(last));
    assert_eq!(platforms(ret), platforms(last));
    assert_eq!(five(ret), five(last));
    let (got, want) = (&ret.info, &last.info);
    assert!(want.filler.is_some() && want.unit.is_some() && want.phone.is_some());
    assert_eq!(
        (&got.unit, &got.filler, &got.phone),
        (&want.unit, &want.filler, &want.phone)
    );
    for field in ["填报单位", "填报人", "联系电话"] {
        let l = book.find("基本信息", field);
        let value = at(l.row, l.col + 1);
        assert!(
            !book.is_locked("基本信息", value),
            "{field} can be overwritten"
        );
        let hint = book.text("基本信息", at(l.row, l.col + 2));
        assert!(hint.contains("已按 2025Q3 报表预填"), "{field}: {hint}");
    }
    assert_eq!(
        ret.info.zone_text.as_ref().map(|z| z.value.as_str()),
        Some("徐州高新区")
    );
    assert_eq!(ret.period(), Some(q("2025Q4")));
}

// ---- protection, validations, the hidden sheet --------------------------------

/// An xlsx file's parts, and where its sheets are.
struct Book {
    parts: BTreeMap<String, String>,
    /// Sheet name → (part path, state attribute).
    sheets: BTreeMap<String, (String, Option<String>)>,
    bytes: Vec<u8>,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(tag[start..start + len].to_string())
}

/// The opening tags `<name …>` in `xml`.
fn tags<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name} ");
    xml.match_indices(&open)
        .map(|(i, _)| {
            let end = xml[i..].find('>').unwrap();
            &xml[i..=i + end]
        })
        .collect()
}

impl Book {
    fn new(bytes: &[u8]) -> Book {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut parts = BTreeMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut text = String::new();
            if f.read_to_string(&mut text).is_ok() {
                parts.insert(name, text);
            }
        }
        let rels: BTreeMap<String, String> =
            tags(&parts["xl/_rels/workbook.xml.rels"], "Relationship")
                .iter()
                .map(|t| (attr(t, "Id").unwrap(), attr(t, "Target").unwrap()))
                .collect();
        let sheets = tags(&parts["xl/workbook.xml"], "sheet")
            .iter()
            .map(|t| {
                let target = &rels[&attr(t, "r:id").unwrap()];
                (
                    attr(t, "name").unwrap(),
                    (format!("xl/{target}"), attr(t, "state")),
                )
            })
            .collect();
        Book {
            parts,
            sheets,
            bytes: bytes.to_vec(),
        }
    }

    fn xml(&self, sheet: &str) -> &str {
        &self.parts[&self.sheets[sheet].0]
    }

    /// Is the cell locked (its style has no `locked="0"`)?
    fn is_locked(&self, sheet: &str, cell: CellPos) -> bool {
        !self.xf(sheet, cell).contains("<protection locked=\"0\"/>")
    }

    /// The cell's style record (`cellXfs` entry), as XML.
    fn xf(&self, sheet: &str, cell: CellPos) -> String {
        let a1 = cell.a1();
        let style: usize = tags(self.xml(sheet), "c")
            .into_iter()
            .find(|t| attr(t, "r").as_deref() == Some(a1.as_str()))
            .and_then(|t| attr(t, "s"))
            .map_or(0, |s| s.parse().unwrap());
        let styles = &self.parts["xl/styles.xml"];
        let start = styles.find("<cellXfs").unwrap();
        let end = styles.find("</cellXfs>").unwrap();
        let xfs: Vec<&str> = styles[start..end].split("<xf ").skip(1).collect();
        xfs[style].to_string()
    }

    fn range(&self, sheet: &str) -> calamine::Range<Data> {
        let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(self.bytes.clone())).unwrap();
        wb.worksheet_range(sheet).unwrap()
    }

    /// Where a cell with exactly this text is (first in reading order).
    fn find(&self, sheet: &str, text: &str) -> CellPos {
        let range = self.range(sheet);
        let (r0, c0) = range.start().unwrap();
        range
            .cells()
            .find(|(_, _, v)| matches!(v, Data::String(s) if s == text))
            .map(|(r, c, _)| CellPos::new(r0 + r as u32, c0 + c as u32))
            .unwrap_or_else(|| panic!("no “{text}” on {sheet}"))
    }

    fn text(&self, sheet: &str, cell: CellPos) -> String {
        match self.range(sheet).get_value((cell.row, cell.col)) {
            Some(Data::String(s)) => s.clone(),
            other => format!("{other:?}"),
        }
    }

    /// (type, sqref) of every data validation on a sheet.
    fn validations(&self, sheet: &str) -> Vec<(String, String)> {
        tags(self.xml(sheet), "dataValidation")
            .iter()
            .map(|t| {
                (
                    attr(t, "type").unwrap_or_default(),
                    attr(t, "sqref").unwrap_or_default(),
                )
            })
            .collect()
    }
}

fn at(row: u32, col: u32) -> CellPos {
    CellPos::new(row, col)
}

#[test]
fn sheets_are_protected_inputs_unlocked_and_checked() {
    let config = config();
    let (bytes, last) = xuzhou_2025q4(&config);
    let last = &last;
    let book = Book::new(&bytes);

    // Sheets: every form sheet, the instructions, the hidden stamp.
    let names: Vec<&str> = book.sheets.keys().map(String::as_str).collect();
    for name in [
        "填表说明",
        "基本信息",
        "核心指标",
        "项目清单",
        "平台清单",
        "情况说明",
        "模板信息",
    ] {
        assert!(names.contains(&name), "{names:?}");
    }
    for (name, (_, state)) in &book.sheets {
        let hidden = state.as_deref() == Some("hidden");
        assert_eq!(hidden, name == "模板信息", "{name} state {state:?}");
        assert!(
            book.xml(name).contains("<sheetProtection"),
            "{name} is not protected"
        );
        assert!(
            !book.xml(name).contains(" password="),
            "{name} has a password"
        );
    }
    assert!(
        book.parts["xl/workbook.xml"].contains("name=\"模板信息\" sheetId=\"7\" state=\"hidden\""),
        "{}",
        book.parts["xl/workbook.xml"]
    );

    // The stamp another reader cross-checks with 基本信息.
    let stamp = book.range("模板信息");
    let cell = |r: u32, c: u32| match stamp.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        other => format!("{other:?}"),
    };
    assert_eq!(
        (cell(0, 0), cell(0, 1)),
        ("模板版本".into(), TEMPLATE_VERSION.into())
    );
    assert_eq!((cell(1, 0), cell(1, 1)), ("高新区代码".into(), "XZ".into()));
    assert_eq!((cell(2, 0), cell(2, 1)), ("报告期".into(), "2025Q4".into()));

    // 基本信息: zone and period prefilled and locked; the clerk's fields open.
    let label = book.find("基本信息", "高新区名称");
    let zone_value = at(label.row, label.col + 1);
    assert_eq!(book.text("基本信息", zone_value), "徐州高新区");
    assert!(book.is_locked("基本信息", zone_value));
    assert!(book.is_locked("基本信息", label));
    let period_label = book.find("基本信息", "报告期");
    assert_eq!(
        book.text("基本信息", at(period_label.row, period_label.col + 1)),
        "2025Q4"
    );
    assert!(book.is_locked("基本信息", at(period_label.row, period_label.col + 1)));
    for field in [
        "填报单位",
        "填报人",
        "联系电话",
        "填报日期",
        "产业方向",
        "转化基金规模(万元)",
    ] {
        let l = book.find("基本信息", field);
        assert!(!book.is_locked("基本信息", at(l.row, l.col + 1)), "{field}");
    }
    let date_label = book.find("基本信息", "填报日期");
    let date_cell = at(date_label.row, date_label.col + 1).a1();
    assert!(
        book.validations("基本信息")
            .contains(&("date".into(), date_cell.clone())),
        "{:?}",
        book.validations("基本信息")
    );
    // 联系电话 is kept as text (format `@`, built-in number format 49).
    let phone = book.find("基本信息", "联系电话");
    let phone_xf = book.xf("基本信息", at(phone.row, phone.col + 1));
    let id = attr(&format!(" {phone_xf}"), "numFmtId").unwrap();
    let text_format = id == "49"
        || book.parts["xl/styles.xml"].contains(&format!("numFmtId=\"{id}\" formatCode=\"@\""));
    assert!(text_format, "{phone_xf}");

    // 核心指标: code locked, SG01 累计值 open and checked, reference grey.
    let code = book.find("核心指标", "SG01");
    let cum_header = book.find("核心指标", "累计值");
    let reference = book.find("核心指标", "上季度累计值（参考）");
    assert_eq!(code.row, cum_header.row + 1);
    assert!(book.is_locked("核心指标", code));
    let sg01_cum = at(code.row, cum_header.col);
    assert!(!book.is_locked("核心指标", sg01_cum));
    assert!(book.is_locked("核心指标", at(code.row, reference.col)));
    match book.range("核心指标").get_value((code.row, reference.col)) {
        Some(Data::Float(v)) => assert_eq!(Some(*v), last.cumulative("SG01")),
        other => panic!("reference {other:?}"),
    }
    assert!(book
        .validations("核心指标")
        .contains(&("whole".into(), sg01_cum.a1())));
    assert!(book
        .validations("核心指标")
        .iter()
        .any(|(t, _)| t == "decimal"));

    // The lists: headers locked; prefilled and empty rows open; drop-downs,
    // dates and amounts checked over every input row.
    for (sheet, rows, lists, date) in [
        (
            "项目清单",
            last.projects.len() as u32,
            &["合作高校*", "项目类别*", "项目状态*", "标杆项目"][..],
            "立项日期*",
        ),
        (
            "平台清单",
            last.platforms.len() as u32,
            &["共建高校*", "平台类型*", "平台级别*"][..],
            "建成日期*",
        ),
    ] {
        let name_header = book.find(
            sheet,
            if sheet == "项目清单" {
                "项目名称*"
            } else {
                "平台名称*"
            },
        );
        assert!(book.is_locked(sheet, name_header));
        let first = name_header.row + 1;
        let last_row = first + rows + 60 - 1;
        assert!(!book.is_locked(sheet, at(first, name_header.col)));
        assert!(!book.is_locked(sheet, at(last_row, name_header.col)));
        let v = book.validations(sheet);
        let column = |header: &str| {
            let c = book.find(sheet, header).col;
            format!("{}:{}", at(first, c).a1(), at(last_row, c).a1())
        };
        for header in lists {
            assert!(
                v.contains(&("list".into(), column(header))),
                "{sheet} {header}: {v:?}"
            );
        }
        assert!(v.contains(&("date".into(), column(date))), "{sheet}: {v:?}");
        assert!(v.iter().any(|(t, _)| t == "decimal"), "{sheet}: {v:?}");
        let xml = book.xml(sheet);
        assert!(xml.contains("<formula1>'模板信息'!$A$"), "{sheet}");
        assert!(
            xml.contains("insertRows=\"0\""),
            "{sheet} rows can be inserted"
        );
    }
    // The universities' drop-down lets several be written A、B (not a stop).
    let xml = book.xml("项目清单");
    let uni = tags(xml, "dataValidation")
        .into_iter()
        .find(|t| t.contains("errorStyle=\"information\""))
        .expect("an information-style list");
    assert!(attr(uni, "type").as_deref() == Some("list"));
    assert!(xml.contains("promptTitle=\"合作高校\""));
    let paired = config.registry.paired_universities("徐州高新区");
    let hidden = book.range("模板信息");
    let listed: Vec<String> = hidden
        .rows()
        .filter_map(|r| match r.first() {
            Some(Data::String(s)) => Some(s.clone()),
            _ => None,
        })
        .collect();
    let start = listed
        .iter()
        .position(|s| s == paired[0])
        .expect("universities listed");
    assert_eq!(&listed[start..start + paired.len()], &paired[..]);

    // 情况说明: header below the note, input rows open.
    let rule = book.find("情况说明", "规则编号");
    assert!(rule.row >= 2, "the example is a note above the header");
    assert!(!book.is_locked("情况说明", at(rule.row + 1, rule.col)));
    assert!(!book.is_locked("情况说明", at(rule.row + 20, rule.col)));
}

/// Every `<dataValidation …>…</dataValidation>` of a sheet: its opening tag
/// and its body (the formulas).
fn validation_elements(xml: &str) -> Vec<(&str, &str)> {
    xml.match_indices("<dataValidation ")
        .map(|(i, _)| {
            let rest = &xml[i..];
            let head_end = rest.find('>').unwrap();
            let head = &rest[..=head_end];
            if head.ends_with("/>") {
                return (head, "");
            }
            let end = rest.find("</dataValidation>").unwrap();
            (head, &rest[head_end + 1..end])
        })
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Excel's serial number of a date.
fn serial(d: chrono::NaiveDate) -> i64 {
    (d - chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days()
}

#[test]
fn hints_say_things_once_and_the_fill_date_is_checked_against_the_quarter() {
    let config = config();
    let period = q("2025Q4");
    let book = Book::new(&xuzhou_2025q4(&config).0);

    // Issue 12: prompts read "必填。必填。填报人姓名"; the hints beside the
    // fields said it once more. Every prompt and hint says each sentence once.
    let mut texts: Vec<String> = Vec::new();
    for sheet in ["基本信息", "核心指标", "项目清单", "平台清单", "情况说明"] {
        for (tag, _) in validation_elements(book.xml(sheet)) {
            texts.extend(attr(tag, "prompt").map(|p| unescape(&p)));
        }
    }
    let range = book.range("基本信息");
    let hint_col = book.find("基本信息", "填写说明").col;
    texts.extend((0..range.height() as u32).map(|r| book.text("基本信息", at(r, hint_col))));
    assert!(texts.len() > 20, "{texts:?}");
    for text in &texts {
        let sentences: Vec<&str> = text
            .split(['。', '；'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let mut seen = std::collections::BTreeSet::new();
        for sentence in &sentences {
            assert!(seen.insert(*sentence), "“{sentence}” twice in “{text}”");
        }
        assert!(
            !text.contains("必填。必填") && !text.contains("选填。选填"),
            "{text}"
        );
    }
    let filler = book.find("基本信息", "填报人");
    let basic = validation_elements(book.xml("基本信息"));
    let filler_cell = at(filler.row, filler.col + 1).a1();
    let (tag, _) = basic
        .iter()
        .find(|(t, _)| attr(t, "sqref").as_deref() == Some(filler_cell.as_str()))
        .expect("填报人 has a prompt");
    assert_eq!(
        attr(tag, "prompt").map(|p| unescape(&p)).as_deref(),
        Some("必填。填报人姓名；已按 2025Q3 报表预填，如有变化请修改")
    );

    // Issue 12: 填报日期 was allowed from 2025-07-01 to 2099-12-31. It is now
    // the quarter's first day to its deadline, a warning the clerk may
    // confirm, naming T03 and T04.
    let date = book.find("基本信息", "填报日期");
    let date_cell = at(date.row, date.col + 1).a1();
    let (tag, body) = basic
        .iter()
        .find(|(t, _)| attr(t, "sqref").as_deref() == Some(date_cell.as_str()))
        .expect("填报日期 is checked");
    assert_eq!(attr(tag, "type").as_deref(), Some("date"));
    assert_eq!(attr(tag, "errorStyle").as_deref(), Some("warning"));
    let start = chrono::NaiveDate::from_ymd_opt(2025, 10, 1).unwrap();
    let deadline = chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    assert_eq!(config.calendar.deadline(period), deadline);
    assert_eq!(
        *body,
        format!(
            "<formula1>{}</formula1><formula2>{}</formula2>",
            serial(start),
            serial(deadline)
        )
    );
    let error = unescape(&attr(tag, "error").unwrap());
    for needed in ["2025-10-01", "2026-01-15", "T03", "T04", "确认"] {
        assert!(error.contains(needed), "{needed} not in {error}");
    }

    // Issue 12: 平台清单's note spoke of the project list's columns.
    let platform_note = book.text("平台清单", at(1, 0));
    let project_note = book.text("项目清单", at(1, 0));
    assert!(
        project_note.contains("项目状态、累计到位经费"),
        "{project_note}"
    );
    for word in ["项目状态", "累计到位经费", "项目"] {
        assert!(!platform_note.contains(word), "{word} in {platform_note}");
    }
    assert!(
        platform_note.contains("平台级别、累计投入"),
        "{platform_note}"
    );
}

// ---- the command line ------------------------------------------------------

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn cli_writes_one_template_per_zone() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = common::run(&[
        "template",
        "--period",
        "2026Q4",
        "--zone",
        "徐州高新区",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(listing(&out), ["徐州高新区_2026Q4_季度报表.xlsx"]);
    assert!(stdout.contains("已生成 1 个模板"), "{stdout}");
    assert!(stdout.contains("预填 2026Q3 已采用报表"), "{stdout}");

    // Prefilled from 徐州's accepted 2026Q3 return, stamped for 2026Q4.
    let config = config();
    let bytes = std::fs::read(out.join("徐州高新区_2026Q4_季度报表.xlsx")).unwrap();
    let q3 = shipped(&config, q("2026Q3"));
    let last = accepted(&q3, xuzhou(&config));
    assert_eq!(
        bytes,
        write_template(&config, xuzhou(&config), q("2026Q4"), Some(last)).unwrap()
    );

    // The period defaults to the quarter after the latest in the folder; a
    // zone may be named by code or alias, and twice.
    let out2 = tmp.path().join("default");
    let (code, _, stderr) = common::run(&[
        "template",
        "--zone",
        "XZ",
        "--zone",
        "徐州国家高新区",
        "--out",
        out2.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(listing(&out2), ["徐州高新区_2026Q4_季度报表.xlsx"]);

    // An unknown zone: exit 2, a Chinese message naming it, nothing written.
    let out3 = tmp.path().join("unknown");
    let (code, _, stderr) = common::run(&[
        "template",
        "--period",
        "2026Q4",
        "--zone",
        "火星高新区",
        "--out",
        out3.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("火星高新区") && stderr.contains("不在高新区名单中"),
        "{stderr}"
    );
    assert!(listing(&out3).is_empty());
}

// ---- determinism -------------------------------------------------------------

#[test]
fn templates_are_byte_identical_and_dated_by_the_quarter() {
    let config = config();
    let zone = xuzhou(&config);
    let q4 = shipped(&config, q("2025Q4"));
    let ret = accepted(&q4, zone);
    let a = write_template(&config, zone, q("2026Q1"), Some(ret)).unwrap();
    let b = write_template(&config, zone, q("2026Q1"), Some(ret)).unwrap();
    assert_eq!(a, b);
    assert_eq!(
        write_filled(&config, zone, q("2025Q4"), ret).unwrap(),
        write_filled(&config, zone, q("2025Q4"), ret).unwrap()
    );
    let empty = write_template(&config, zone, q("2026Q1"), None).unwrap();
    assert_eq!(
        empty,
        write_template(&config, zone, q("2026Q1"), None).unwrap()
    );
    assert_ne!(a, empty);
    let core = &Book::new(&a).parts["docProps/core.xml"];
    assert!(core.contains("2026-01-01T00:00:00Z"), "{core}");
}
