//! The check stage end to end: every rule on a small fixture (its id,
//! severity, sheet and cell), messy layouts reading to the same figures,
//! hostile files, the shipped sample, and the command line.

use std::path::PathBuf;

mod common;

use common::messy::{Style, ToXlsx};
use common::{config, figures, indicator, number, q, root};
use shuanggao::ingest::{InputFile, ReturnsFolder};
use shuanggao::model::draft::{Cell, Draft};
use shuanggao::model::Verdict;
use shuanggao::model::{Return, Severity};
use shuanggao::sample::sample_draft;
use shuanggao::validate::{self, History, PeriodCheck};

/// The clean sample return of 徐州高新区 for a quarter.
fn xuzhou(period: &str) -> Draft {
    sample_draft(&config(), "XZ", q(period)).unwrap()
}

/// Writes drafts (or raw bytes) into a temp folder and checks them as `period`.
struct Bench {
    dir: tempfile::TempDir,
    files: Vec<InputFile>,
}

impl Bench {
    fn new() -> Bench {
        Bench {
            dir: tempfile::tempdir().unwrap(),
            files: Vec::new(),
        }
    }

    fn bytes(mut self, name: &str, bytes: &[u8]) -> Bench {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        self.files.push(InputFile {
            path,
            name: name.to_string(),
        });
        self
    }

    fn draft(self, name: &str, draft: &Draft, style: Style) -> Bench {
        let bytes = draft.to_xlsx(style).unwrap();
        self.bytes(name, &bytes)
    }

    fn check(&self, period: &str, history: &History) -> PeriodCheck {
        validate::check_period(&config(), q(period), &self.files, history)
    }
}

/// (rule, severity, sheet, cell) of every error and warning.
fn problems(check: &PeriodCheck) -> Vec<(String, Severity, String, String)> {
    check
        .findings()
        .filter(|f| f.severity != Severity::Info)
        .map(|f| {
            (
                f.rule.clone(),
                f.severity,
                f.sheet.clone().unwrap_or_default(),
                f.cell.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn one_return(check: &PeriodCheck) -> &Return {
    check.submissions[0].ret.as_ref().expect("readable")
}

/// Checks one mutated 2025Q3 draft (first quarter: no history needed).
fn first_quarter(mutate: impl FnOnce(&mut Draft)) -> PeriodCheck {
    first_quarter_styled(Style::default(), mutate)
}

fn first_quarter_styled(style: Style, mutate: impl FnOnce(&mut Draft)) -> PeriodCheck {
    let mut d = xuzhou("2025Q3");
    mutate(&mut d);
    Bench::new()
        .draft("徐州.xlsx", &d, style)
        .check("2025Q3", &History::default())
}

fn set(d: &mut Draft, label: &str, v: Cell) {
    d.basic.iter_mut().find(|(l, _)| l == label).unwrap().1 = v;
}

use Severity::{Error as E, Warning as W};

fn p(rule: &str, sev: Severity, sheet: &str, cell: &str) -> (String, Severity, String, String) {
    (rule.into(), sev, sheet.into(), cell.into())
}

#[test]
fn the_clean_fixture_is_clean() {
    let check = first_quarter(|_| {});
    assert_eq!(
        check.findings().count(),
        0,
        "{:#?}",
        check.findings().collect::<Vec<_>>()
    );
    assert_eq!(check.submissions[0].verdict, Verdict::Passed);
    let ret = one_return(&check);
    assert_eq!(ret.zone.as_deref(), Some("XZ"));
    assert_eq!(ret.cumulative("SG01"), Some(ret.projects.len() as f64));
    assert!(ret.is_sample);
}

#[test]
fn structure_rules() {
    let c = first_quarter_styled(
        Style {
            omit_sheet: Some("平台清单"),
            ..Style::default()
        },
        |_| {},
    );
    assert_eq!(problems(&c), [p("S01", E, "平台清单", "")]);

    let c = first_quarter(|d| d.project_header[3] = "企业名称".into());
    assert_eq!(problems(&c), [p("S02", E, "项目清单", "")]);
    assert_eq!(c.findings().next().unwrap().row, Some(2));
    assert_eq!(
        c.findings().next().unwrap().expected.as_deref(),
        Some("合作企业")
    );

    let c = first_quarter(|d| d.basic.retain(|(l, _)| l != "领军人才"));
    assert_eq!(problems(&c), [p("S02", E, "基本信息", "")]);

    let c = first_quarter(|d| d.indicators.retain(|r| r[0] != Cell::Text("SG07".into())));
    assert_eq!(problems(&c), [p("S03", E, "核心指标", "")]);
    assert_eq!(
        c.findings().next().unwrap().expected.as_deref(),
        Some("SG07")
    );

    let c = first_quarter(|d| {
        let mut extra = d.indicators[6].clone();
        extra[0] = "SG99".into();
        d.indicators.push(extra);
    });
    assert_eq!(problems(&c), [p("S03", E, "核心指标", "A19")]);

    let c = first_quarter_styled(
        Style {
            extra_sheet: Some("Sheet3"),
            ..Style::default()
        },
        |_| {},
    );
    let f: Vec<_> = c
        .findings()
        .map(|f| (f.rule.as_str(), f.severity, f.sheet.as_deref()))
        .collect();
    assert_eq!(f, [("S04", Severity::Info, Some("Sheet3"))]);
}

#[test]
fn value_rules() {
    let c = first_quarter(|d| set(d, "填报人", Cell::Empty));
    assert_eq!(problems(&c), [p("V01", E, "基本信息", "B6")]);

    let c = first_quarter(|d| d.projects[1][5] = Cell::Empty);
    assert_eq!(problems(&c), [p("V01", E, "项目清单", "F4")]);

    let c = first_quarter(|d| indicator(d, "SG04")[4] = "约20".into());
    assert_eq!(problems(&c), [p("V02", E, "核心指标", "E6")]);
    let f = c.findings().next().unwrap();
    assert_eq!(f.value.as_deref(), Some("约20"));
    assert!(f.message.as_deref().unwrap().contains("约20"));

    let c = first_quarter(|d| {
        let row = indicator(d, "SG07");
        row[3] = Cell::Number(-2.0);
        row[4] = Cell::Number(-2.0);
    });
    assert_eq!(
        problems(&c),
        [p("V03", E, "核心指标", "D9"), p("V03", E, "核心指标", "E9")]
    );

    let c = first_quarter(|d| d.projects[0][5] = "标志项目".into());
    assert_eq!(problems(&c), [p("V04", E, "项目清单", "F3")]);
    let msg = c.findings().next().unwrap().message.clone().unwrap();
    assert!(msg.contains("最接近的是“标志性项目”"), "{msg}");

    let c = first_quarter(|d| d.platforms[0][3] = "国级".into());
    assert_eq!(problems(&c), [p("V04", E, "平台清单", "D3")]);
    assert!(c
        .findings()
        .next()
        .unwrap()
        .message
        .as_deref()
        .unwrap()
        .contains("“国家级”"));

    let c = first_quarter(|d| d.projects[2][6] = "2025-13-45".into());
    assert_eq!(problems(&c), [p("V05", E, "项目清单", "G5")]);

    // Error text typed by hand is not a formula error: it is not a number.
    let c = first_quarter(|d| {
        d.projects[0][7] = Cell::Text("#REF!".into());
    });
    assert_eq!(problems(&c), [p("V02", E, "项目清单", "H3")]);
}

#[test]
fn formula_errors_are_v06() {
    // rust_xlsxwriter stores an error result as a real error cell (t="e").
    let mut d = xuzhou("2025Q3");
    d.projects[0][8] = Cell::Formula("=#REF!+1".into(), 0.0);
    let mut bytes = d.to_xlsx(Style::default()).unwrap();
    bytes = replace_in_zip(&bytes, "xl/worksheets/sheet3.xml", |xml| {
        xml.replacen("<v>0</v>", "<v>#REF!</v>", 1).replacen(
            "<c r=\"I3\"",
            "<c t=\"e\" r=\"I3\"",
            1,
        )
    });
    let c = Bench::new()
        .bytes("x.xlsx", &bytes)
        .check("2025Q3", &History::default());
    let v06: Vec<_> = problems(&c).into_iter().filter(|p| p.0 == "V06").collect();
    assert_eq!(v06, [p("V06", E, "项目清单", "I3")]);
}

#[test]
fn normalisations_are_info_and_keep_the_figures() {
    let c = first_quarter(|d| {
        d.projects[0][7] = "1,200万元".into();
        d.projects[0][8] = "0.012亿元".into();
        indicator(d, "SG04")[4] =
            Cell::Text(format!(" {} ", fullwidth(number(&indicator(d, "SG04")[4]))));
        d.projects[1][6] = "2025年8月8日".into();
        d.projects[2][5] = " 一般 ".into();
        set(d, "高新区名称", "徐州国家高新区".into());
    });
    assert!(problems(&c).is_empty(), "{:?}", problems(&c));
    let infos: Vec<_> = c
        .findings()
        .map(|f| {
            (
                f.rule.as_str(),
                f.severity,
                f.cell.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        infos,
        [
            ("V07", Severity::Info, "B3".into()),
            ("V07", Severity::Info, "E6".into()),
            ("V07", Severity::Info, "H3".into()),
            ("V07", Severity::Info, "I3".into()),
            ("V07", Severity::Info, "G4".into()),
            ("V07", Severity::Info, "F5".into()),
        ]
    );
    let ret = one_return(&c);
    assert_eq!(ret.projects[0].contract, Some(1200.0));
    assert_eq!(ret.projects[0].funded.as_ref().unwrap().value, 120.0);
    assert_eq!(ret.projects[2].category.as_deref(), Some("一般项目"));
}

fn fullwidth(v: f64) -> String {
    shuanggao::format::format_number(v)
        .chars()
        .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
        .collect()
}

#[test]
fn magnitude_rules() {
    let c = first_quarter(|d| {
        d.projects[0][7] = Cell::Number(250_000.0);
    });
    assert_eq!(problems(&c), [p("V08", W, "项目清单", "H3")]);

    let c = first_quarter(|d| {
        d.projects[0][8] = "500000元".into();
    });
    assert_eq!(problems(&c), [p("V08", W, "项目清单", "I3")]);
    assert_eq!(
        one_return(&c).projects[0].funded.as_ref().unwrap().value,
        50.0
    );

    let c = first_quarter(|d| {
        let row = indicator(d, "SG12");
        row[3] = Cell::Number(12_000_000.0);
        row[4] = Cell::Number(12_000_000.0);
    });
    assert_eq!(problems(&c), [p("V08", W, "核心指标", "E14")]);
}

#[test]
fn identity_rules() {
    let c = first_quarter(|d| set(d, "高新区名称", "苏州工业园区".into()));
    assert_eq!(problems(&c), [p("I01", E, "基本信息", "B3")]);
    assert_eq!(c.submissions[0].zone, None);

    let c = first_quarter(|d| d.projects[0][2] = "哈佛大学".into());
    assert_eq!(problems(&c), [p("I02", W, "项目清单", "C3")]);
    let msg = c.findings().next().unwrap().message.clone().unwrap();
    assert!(
        !msg.contains("是否应为"),
        "no far-fetched suggestion: {msg}"
    );
    let c = first_quarter(|d| d.projects[0][2] = "中国矿业大学学".into());
    let msg = c.findings().next().unwrap().message.clone().unwrap();
    assert!(msg.contains("是否应为“中国矿业大学”"), "{msg}");
    // A typo gets the university it misspells …
    let c = first_quarter(|d| d.projects[0][2] = "南京工大学".into());
    assert_eq!(
        c.findings().next().unwrap().message.as_deref(),
        Some(
            "高校“南京工大学”不在高校名录中，是否应为“南京工业大学”？\
             请填写高校全称；若确为新的合作高校，请联系省科技厅补录。"
        )
    );
    // … another university sharing a word gets no suggestion, and the
    // message still reads as a whole.
    let c = first_quarter(|d| d.projects[0][2] = "彭城理工大学".into());
    assert_eq!(problems(&c), [p("I02", W, "项目清单", "C3")]);
    assert_eq!(
        c.findings().next().unwrap().message.as_deref(),
        Some("高校“彭城理工大学”不在高校名录中。请填写高校全称；若确为新的合作高校，请联系省科技厅补录。")
    );

    let c = first_quarter(|d| d.projects[0][2] = "南京大学".into());
    let f: Vec<_> = c
        .findings()
        .map(|f| (f.rule.as_str(), f.severity, f.cell.clone().unwrap()))
        .collect();
    assert_eq!(f, [("I03", Severity::Info, "C3".to_string())]);

    let c = first_quarter(|d| set(d, "报告期", "2025Q2".into()));
    assert_eq!(problems(&c), [p("I04", E, "基本信息", "B4")]);
    let c = first_quarter(|d| set(d, "报告期", "上季度".into()));
    assert_eq!(problems(&c), [p("I04", E, "基本信息", "B4")]);
    let c = first_quarter(|d| set(d, "报告期", "2025年第三季度".into()));
    assert!(problems(&c).is_empty());
}

#[test]
fn date_rules() {
    let date = |y, m, dd| Cell::Date(chrono::NaiveDate::from_ymd_opt(y, m, dd).unwrap());
    let c = first_quarter(|d| d.projects[0][6] = date(2025, 11, 2));
    assert_eq!(problems(&c), [p("T01", E, "项目清单", "G3")]);
    let c = first_quarter(|d| d.platforms[0][5] = date(2025, 3, 1));
    assert_eq!(problems(&c), [p("T02", W, "平台清单", "F3")]);
    let c = first_quarter(|d| set(d, "填报日期", date(2025, 10, 20)));
    assert_eq!(problems(&c), [p("T03", W, "基本信息", "B8")]);
    let c = first_quarter(|d| set(d, "填报日期", date(2025, 10, 15)));
    assert!(problems(&c).is_empty());

    // T04: a 填报日期 before the quarter began (a year typed wrong).
    let c = first_quarter(|d| set(d, "填报日期", date(2024, 10, 10)));
    assert_eq!(problems(&c), [p("T04", W, "基本信息", "B8")]);
    let f = c.findings().next().unwrap();
    assert_eq!(f.value.as_deref(), Some("2024-10-10"));
    assert_eq!(f.expected.as_deref(), Some("2025-07-01"));
    assert_eq!(
        f.message.as_deref(),
        Some(
            "填报日期 2024-10-10 早于本报告期（2025Q3）的开始日 2025-07-01。\
             请核对填报日期：年份是否填错，或是否误报了以前的旧文件。"
        )
    );
    assert_eq!(c.submissions[0].verdict, Verdict::Warnings);
    // The quarter's first day is within it.
    let c = first_quarter(|d| set(d, "填报日期", date(2025, 7, 1)));
    assert!(problems(&c).is_empty());
}

#[test]
fn cross_checks_within_a_return() {
    let c = first_quarter(|d| {
        d.projects.pop();
    });
    assert_eq!(problems(&c), [p("X01", E, "核心指标", "E3")]);

    let c = first_quarter(|d| {
        d.platforms.pop();
    });
    assert_eq!(problems(&c), [p("X02", E, "核心指标", "E4")]);

    let c = first_quarter(|d| {
        let row = indicator(d, "SG05");
        row[3] = Cell::Number(10.0);
        row[4] = Cell::Number(10.0);
    });
    assert_eq!(problems(&c), [p("X03", W, "核心指标", "E7")]);

    let c = first_quarter(|d| {
        let contract = number(&d.projects[0][7]);
        d.projects[0][8] = Cell::Number(contract + 5.0);
    });
    assert_eq!(problems(&c), [p("X04", W, "项目清单", "I3")]);

    let c = first_quarter(|d| {
        let sg12 = number(&indicator(d, "SG12")[4]);
        let row = indicator(d, "SG13");
        row[3] = Cell::Number(sg12 + 1.0);
        row[4] = Cell::Number(sg12 + 1.0);
    });
    assert_eq!(problems(&c), [p("X04", W, "核心指标", "E15")]);

    let c = first_quarter(|d| {
        let row = indicator(d, "SG16");
        row[3] = Cell::Number(0.0);
        row[4] = Cell::Number(0.0);
        d.platforms[0][2] = "创新联合体".into();
    });
    assert_eq!(problems(&c), [p("X09", W, "核心指标", "E18")]);

    let c = first_quarter(|d| {
        d.projects[3][1] = d.projects[1][1].clone();
        d.platforms[1][1] = d.platforms[0][1].clone();
    });
    assert_eq!(
        problems(&c),
        [p("D01", E, "项目清单", "B6"), p("D02", E, "平台清单", "B4")]
    );
}

#[test]
fn quarter_on_quarter_rules() {
    // 2025Q3 is the first quarter: 本季度新增 must equal 累计值.
    let c = first_quarter(|d| indicator(d, "SG09")[3] = Cell::Number(1.0));
    assert_eq!(problems(&c), [p("X05", W, "核心指标", "D11")]);

    let history = {
        let first = Bench::new().draft("q3.xlsx", &xuzhou("2025Q3"), Style::default());
        let mut h = History::default();
        h.advance(&first.check("2025Q3", &h));
        h
    };
    let second = |mutate: &dyn Fn(&mut Draft)| {
        let mut d = xuzhou("2025Q4");
        mutate(&mut d);
        Bench::new()
            .draft("q4.xlsx", &d, Style::default())
            .check("2025Q4", &history)
    };
    assert!(problems(&second(&|_| {})).is_empty());

    let c = second(&|d| indicator(d, "SG09")[3] = Cell::Number(0.0));
    assert_eq!(problems(&c), [p("X05", W, "核心指标", "D11")]);

    let c = second(&|d| {
        let row = indicator(d, "SG10");
        row[4] = Cell::Number(0.0);
        row[3] = Cell::Number(0.0);
    });
    assert!(
        problems(&c).contains(&p("X06", E, "核心指标", "E12")),
        "{:?}",
        problems(&c)
    );
    // The message reads as a sentence, naming the figure it fell below.
    let before = number(&indicator(&mut xuzhou("2025Q3"), "SG10")[4]);
    let x06 = c.findings().find(|f| f.rule == "X06").unwrap();
    assert_eq!(x06.expected, Some(format!("≥ {before}")));
    assert_eq!(
        x06.message,
        Some(format!(
            "SG10 发布高校成果清单累计值为 0，低于上季度（2025Q3）已采用的累计值 {before}。\
             累计值是试点以来的总数，不应减少，请核对。"
        ))
    );
    // Compared with an older accepted return, the message names its quarter.
    let mut later = xuzhou("2025Q4");
    set(&mut later, "报告期", "2026Q1".into());
    let row = indicator(&mut later, "SG10");
    row[4] = Cell::Number(0.0);
    let c = Bench::new()
        .draft("q1.xlsx", &later, Style::default())
        .check("2026Q1", &history);
    let x06 = c.findings().find(|f| f.rule == "X06").unwrap();
    assert!(
        x06.message.as_deref().unwrap().starts_with(&format!(
            "SG10 发布高校成果清单累计值为 0，低于2025Q3已采用的累计值 {before}。"
        )),
        "{:?}",
        x06.message
    );

    let c = second(&|d| {
        d.projects.remove(0);
        let row = indicator(d, "SG01");
        row[3] = Cell::Number(number(&row[3]) - 1.0);
        row[4] = Cell::Number(number(&row[4]) - 1.0);
    });
    assert_eq!(problems(&c), [p("X07", W, "项目清单", "")]);

    let c = second(&|d| {
        let row = indicator(d, "SG09");
        row[3] = Cell::Number(number(&row[3]) + 200.0);
        row[4] = Cell::Number(number(&row[4]) + 200.0);
    });
    assert_eq!(problems(&c), [p("X08", W, "核心指标", "D11")]);
}

#[test]
fn duplicate_files_f02() {
    let date = |dd| Cell::Date(chrono::NaiveDate::from_ymd_opt(2025, 10, dd).unwrap());
    let mut early = xuzhou("2025Q3");
    set(&mut early, "填报日期", date(8));
    early.projects[0][5] = "标志项目".into();
    let mut late = xuzhou("2025Q3");
    set(&mut late, "填报日期", date(11));
    let c = Bench::new()
        .draft("a_late.xlsx", &late, Style::default())
        .draft("b_early.xlsx", &early, Style::default())
        .check("2025Q3", &History::default());
    assert_eq!(c.submissions[0].verdict, Verdict::Passed);
    assert_eq!(c.submissions[1].verdict, Verdict::Superseded);
    assert_eq!(
        c.submissions[1].superseded_by.as_deref(),
        Some("a_late.xlsx")
    );
    assert_eq!(problems(&c), [p("F02", W, "基本信息", "B8")]);
    assert_eq!(
        c.findings().next().unwrap().file.as_deref(),
        Some("b_early.xlsx")
    );

    // Same date, different content: neither can win.
    set(&mut early, "填报日期", date(11));
    let c = Bench::new()
        .draft("a.xlsx", &late, Style::default())
        .draft("b.xlsx", &early, Style::default())
        .check("2025Q3", &History::default());
    let f02: Vec<_> = problems(&c).into_iter().filter(|p| p.0 == "F02").collect();
    assert_eq!(
        f02,
        [p("F02", E, "基本信息", "B8"), p("F02", E, "基本信息", "B8")]
    );
    assert!(c.submissions.iter().all(|s| s.verdict == Verdict::SentBack));

    // Same date, same content: a plain duplicate.
    let c = Bench::new()
        .draft("a.xlsx", &late, Style::default())
        .draft("b.xlsx", &late, Style::default())
        .check("2025Q3", &History::default());
    assert_eq!(problems(&c), [p("F02", W, "基本信息", "B8")]);
}

#[test]
fn same_project_in_two_zones_d03() {
    let config = config();
    let mut xz = xuzhou("2025Q3");
    let mut zj = sample_draft(&config, "ZJ", q("2025Q3")).unwrap();
    zj.projects[0][1] = xz.projects[0][1].clone();
    zj.projects[0][3] = xz.projects[0][3].clone();
    xz.projects[0][3] = zj.projects[0][3].clone();
    let c = Bench::new()
        .draft("xz.xlsx", &xz, Style::default())
        .draft("zj.xlsx", &zj, Style::default())
        .check("2025Q3", &History::default());
    assert_eq!(
        problems(&c),
        [p("D03", W, "项目清单", "B3"), p("D03", W, "项目清单", "B3")]
    );
    assert!(c
        .findings()
        .next()
        .unwrap()
        .message
        .as_deref()
        .unwrap()
        .contains("镇江高新区"));
}

#[test]
fn messy_layouts_read_to_the_same_figures() {
    let d = xuzhou("2025Q4");
    let config = config();
    let read = |style: Style| {
        let mut h = History::default();
        let q3 = Bench::new().draft("q3.xlsx", &xuzhou("2025Q3"), Style::default());
        h.advance(&q3.check("2025Q3", &h));
        let c = Bench::new().draft("x.xlsx", &d, style).check("2025Q4", &h);
        assert!(problems(&c).is_empty(), "{style:?}: {:?}", problems(&c));
        figures(one_return(&c))
    };
    let clean = read(Style::default());
    for style in [
        Style {
            banner_rows: 3,
            ..Style::default()
        },
        Style {
            shuffled: true,
            ..Style::default()
        },
        Style {
            full_width: true,
            ..Style::default()
        },
        Style {
            renamed_sheets: true,
            ..Style::default()
        },
    ] {
        assert_eq!(read(style), clean, "{style:?}");
    }
    // Formulas: the cached results are read.
    let mut f = d.clone();
    let n = f.projects.len() as f64;
    indicator(&mut f, "SG01")[4] =
        Cell::Formula(format!("=COUNTA(项目清单!B3:B{})", 2 + n as usize), n);
    let c = {
        let mut h = History::default();
        h.advance(
            &Bench::new()
                .draft("q3.xlsx", &xuzhou("2025Q3"), Style::default())
                .check("2025Q3", &h),
        );
        Bench::new()
            .draft("f.xlsx", &f, Style::default())
            .check("2025Q4", &h)
    };
    assert!(problems(&c).is_empty());
    assert_eq!(figures(one_return(&c)), clean);
    let _ = config;
}

// ---- hostile files -------------------------------------------------------

fn replace_in_zip(bytes: &[u8], entry: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == entry {
            data = edit(std::str::from_utf8(&data).unwrap()).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn f01(name: &str, bytes: &[u8]) -> String {
    let c = Bench::new()
        .bytes(name, bytes)
        .check("2025Q3", &History::default());
    let f: Vec<_> = c.findings().collect();
    assert_eq!(f.len(), 1, "{name}: {f:#?}");
    assert_eq!(
        (f[0].rule.as_str(), f[0].severity),
        ("F01", Severity::Error),
        "{name}"
    );
    assert_eq!((f[0].sheet.as_deref(), f[0].cell.as_deref()), (None, None));
    assert_eq!(f[0].file.as_deref(), Some(name));
    assert_eq!(c.submissions[0].verdict, Verdict::SentBack);
    f[0].message.clone().unwrap()
}

#[test]
fn hostile_files_are_f01() {
    let good = xuzhou("2025Q3").to_xlsx(Style::default()).unwrap();
    assert!(f01("empty.xlsx", b"").contains("为空"));
    assert!(f01("notes.xlsx", "这不是表格\n".as_bytes()).contains("不是电子表格"));
    assert!(f01("truncated.xlsx", &good[..good.len() / 2]).contains("损坏"));
    assert!(f01("image.xlsx", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").contains("不是电子表格"));
    let far = replace_in_zip(&good, "xl/worksheets/sheet2.xml", |xml| {
        xml.replace(
            "</sheetData>",
            "<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row></sheetData>",
        )
    });
    assert!(f01("far.xlsx", &far).contains("XFD1048576"));
    // An .ods whose repeated rows and columns claim a cell near XFD1048576.
    let ods = {
        use std::io::Write;
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        z.start_file("mimetype", stored).unwrap();
        z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        z.start_file("content.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(
            concat!(
                r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
                r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
                r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>"#,
                r#"<table:table table:name="核心指标"><table:table-row table:number-rows-repeated="1048000">"#,
                r#"<table:table-cell table:number-columns-repeated="16000"/></table:table-row><table:table-row>"#,
                r#"<table:table-cell table:number-columns-repeated="16000"/><table:table-cell office:value-type="float" "#,
                r#"office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table>"#,
                r#"</office:spreadsheet></office:body></office:document-content>"#
            )
            .as_bytes(),
        )
        .unwrap();
        z.finish().unwrap().into_inner()
    };
    f01("far.ods", &ods);
    let encrypted = std::fs::read(root().join("tests/fixtures/encrypted.xlsx")).unwrap();
    assert!(f01("locked.xlsx", &encrypted).contains("加密"));
    // The type comes from the bytes: a real xlsx named .xls reads fine.
    let c = Bench::new()
        .bytes("renamed.xls", &good)
        .check("2025Q3", &History::default());
    assert_eq!(c.findings().count(), 0);
}

// ---- the shipped sample ----------------------------------------------------

fn sample_checks() -> Vec<PeriodCheck> {
    let folder = ReturnsFolder::scan(&root().join("inputs/returns")).unwrap();
    validate::check_through(&config(), &folder, q("2026Q3"))
}

#[test]
fn shipped_sample_is_clean_before_2026q3() {
    let checks = sample_checks();
    assert_eq!(checks.len(), 5);
    for c in &checks[..4] {
        assert_eq!(c.submissions.len(), 18, "{}", c.period);
        assert_eq!(
            c.findings().count(),
            0,
            "{}: {:#?}",
            c.period,
            c.findings().collect::<Vec<_>>()
        );
    }
}

#[test]
fn shipped_sample_2026q3_has_exactly_the_planted_defects() {
    let checks = sample_checks();
    let c = checks.last().unwrap();
    let mut got: Vec<(String, String, Severity, String)> = c
        .findings()
        .map(|f| {
            (
                f.file.clone().unwrap(),
                f.rule.clone(),
                f.severity,
                format!(
                    "{}!{}",
                    f.sheet.clone().unwrap_or_default(),
                    f.cell.clone().unwrap_or_default()
                ),
            )
        })
        .collect();
    got.sort();
    let zone_file = |z: &str| format!("2026Q3/{z}_2026Q3.xlsx");
    // Cells as the return template lays the form out (docs/return-form.md
    // §3): 基本信息 fields from row 3, the list and indicator headers on
    // row 3 and their data from row 4 (SG01 on row 4, SG09 on row 12).
    let mut expected = vec![
        (zone_file("常州高新区"), "X01", E, "核心指标!E4"),
        (zone_file("宿迁高新区"), "T03", W, "基本信息!B8"),
        (
            "2026Q3/无锡高新区_2026Q3_首次报送.xlsx".into(),
            "F02",
            W,
            "基本信息!B8",
        ),
        (zone_file("镇江高新区"), "X04", W, "项目清单!I38"),
        (zone_file("扬州高新区"), "X08", W, "核心指标!D12"),
        (zone_file("连云港高新区"), "I02", W, "项目清单!C4"),
        (
            zone_file("南通高新区"),
            "V07",
            Severity::Info,
            "项目清单!H4",
        ),
        (
            zone_file("南通高新区"),
            "V07",
            Severity::Info,
            "项目清单!H5",
        ),
        (
            zone_file("淮安高新区"),
            "V07",
            Severity::Info,
            "核心指标!E7",
        ),
        (
            zone_file("淮安高新区"),
            "V07",
            Severity::Info,
            "项目清单!G23",
        ),
        (
            zone_file("徐州高新区"),
            "V07",
            Severity::Info,
            "项目清单!C10",
        ),
        (
            zone_file("苏州高新区"),
            "V07",
            Severity::Info,
            "基本信息!B3",
        ),
    ]
    .into_iter()
    .map(|(f, r, s, c)| (f, r.to_string(), s, c.to_string()))
    .collect::<Vec<_>>();
    expected.sort();
    assert_eq!(got, expected);
    let verdict = |name: &str| {
        c.submissions
            .iter()
            .find(|s| s.source.name.contains(name))
            .unwrap()
            .verdict
    };
    assert_eq!(verdict("常州"), Verdict::SentBack);
    assert_eq!(verdict("无锡高新区_2026Q3_更正"), Verdict::Passed);
    assert_eq!(verdict("宿迁"), Verdict::Warnings);
}

#[test]
fn sample_2025q4_adds_up_to_the_published_figures() {
    let checks = sample_checks();
    let q4 = &checks[1];
    let total = |code: &str| -> f64 {
        q4.submissions
            .iter()
            .filter_map(|s| s.ret.as_ref())
            .map(|r| r.cumulative(code).unwrap())
            .sum()
    };
    assert_eq!(total("SG01"), 342.0);
    assert_eq!(total("SG02"), 58.0);
    assert_eq!(total("SG05"), 75_000.0);
    assert!(total("SG03") > 1000.0);
    assert!(total("SG04") > 560.0);
}

#[test]
fn sample_generator_reproduces_the_shipped_files() {
    let dir = tempfile::tempdir().unwrap();
    let written =
        shuanggao::sample::write_all(&config(), dir.path(), shuanggao::sample::SHIPPED_QUARTERS)
            .unwrap();
    assert_eq!(written, 91);
    for period in ["2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3"] {
        for entry in std::fs::read_dir(dir.path().join(period)).unwrap() {
            let entry = entry.unwrap();
            let shipped = root()
                .join("inputs/returns")
                .join(period)
                .join(entry.file_name());
            assert_eq!(
                std::fs::read(entry.path()).unwrap(),
                std::fs::read(&shipped).unwrap(),
                "{} differs from the shipped sample: run `cargo run --release -- sample`",
                shipped.display()
            );
        }
    }
}

// ---- the command line -------------------------------------------------------

#[test]
fn cli_check_text_json_and_exit_codes() {
    let (code, out, _) = common::run(&["check"]);
    assert_eq!(code, 1, "2026Q3 has a return sent back");
    assert!(out.contains("2026Q3"));
    assert!(out.contains("常州高新区  【退回修改】"));
    assert!(out.contains("错误 X01 核心指标!E4"));

    let (code, out, _) = common::run(&["check", "--period", "2025Q4", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "[]");

    let (_, out, _) = common::run(&["check", "--format", "json"]);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(findings.len(), 12);
    let keys: Vec<&String> = findings[0].as_object().unwrap().keys().collect();
    let mut expected = vec![
        "rule", "severity", "zone", "period", "file", "sheet", "cell", "row", "value", "expected",
        "message",
    ];
    expected.sort();
    let mut keys: Vec<&str> = keys.into_iter().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, expected);
    let x01 = findings.iter().find(|f| f["rule"] == "X01").unwrap();
    assert_eq!(x01["severity"], "error");
    assert_eq!(x01["zone"], "常州高新区");
    assert_eq!(x01["period"], "2026Q3");
    assert_eq!(x01["file"], "2026Q3/常州高新区_2026Q3.xlsx");
    assert_eq!(x01["cell"], "E4");
    assert_eq!(x01["row"], 4);

    let (code, _, err) = common::run(&["check", "--period", "2019Q1"]);
    assert_eq!(code, 2);
    assert!(err.contains("2019Q1"), "{err}");
    let (code, _, err) = common::run(&["check", "--returns", "no/such/dir"]);
    assert_eq!(code, 2);
    assert!(err.contains("找不到报表目录"), "{err}");
    let (code, _, _) = common::run(&["check", "--bogus"]);
    assert_eq!(code, 2);
}

/// What clap writes in English, none of which a user may see.
const CLAP_ENGLISH: &[&str] = &[
    "Usage",
    "Options",
    "Commands",
    "Arguments",
    "Print help",
    "Print version",
    "[default",
    "[env",
    "possible values",
    "[OPTIONS]",
    "<COMMAND>",
    "error:",
    "For more information",
    "tip:",
    "invalid",
    "unexpected",
    "unrecognized",
    "required",
    "<DIR>",
    "<FILE>",
    "<ADDR>",
    "<DATE>",
    "<FORMAT>",
    "<N>",
    "<P>",
    "<Z>",
];

fn no_clap_english(text: &str) {
    for word in CLAP_ENGLISH {
        assert!(!text.contains(word), "“{word}” in:\n{text}");
    }
}

#[test]
fn the_command_line_speaks_chinese() {
    let commands = [
        "report", "check", "status", "review", "template", "sample", "serve", "account", "backup",
        "restore",
    ];
    let actions = ["add", "list", "disable", "reset", "token", "audit"];
    for args in [vec!["--help"], vec!["-h"]]
        .into_iter()
        .chain(commands.iter().map(|c| vec![*c, "--help"]))
        .chain(actions.iter().map(|a| vec!["account", *a, "--help"]))
    {
        let (code, out, err) = common::run(&args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(
            out.contains("用法：shuanggao") && out.contains("选项："),
            "{out}"
        );
        assert!(
            out.contains("-h, --help") && out.contains("显示帮助"),
            "{out}"
        );
        no_clap_english(&out);
    }
    let (_, top, _) = common::run(&["--help"]);
    assert!(
        top.contains("用法：shuanggao <命令>") && top.contains("命令："),
        "{top}"
    );
    assert!(
        top.contains("-V, --version") && top.contains("显示版本"),
        "{top}"
    );
    let (_, account, _) = common::run(&["account", "--help"]);
    assert!(
        account.contains("用法：shuanggao account <命令>") && account.contains("命令："),
        "{account}"
    );
    for a in actions {
        assert!(account.contains(a), "account lists {a}: {account}");
    }
    let (_, add, _) = common::run(&["account", "add", "--help"]);
    assert!(add.contains("用法：shuanggao account add [选项]"), "{add}");
    let (_, review, _) = common::run(&["review", "--help"]);
    assert!(review.contains("用法：shuanggao review [选项]"), "{review}");
    assert!(review.contains("--format <格式>"), "{review}");
    assert!(review.contains("可选：text、json；默认：text"), "{review}");
    assert!(
        review.contains("配置目录（默认：inputs/config）"),
        "{review}"
    );
    let (_, check, _) = common::run(&["check", "--help"]);
    assert!(
        check.contains("[选项] [文件]...") && check.contains("参数："),
        "{check}"
    );
    let (code, version, _) = common::run(&["--version"]);
    assert_eq!(code, 0);
    assert!(version.starts_with("shuanggao "), "{version}");

    // clap's errors, in Chinese: exit code 2, what was wrong and what to do.
    for (args, says) in [
        (vec!["--bogus"], "无法识别的参数“--bogus”"),
        (
            vec!["reprot"],
            "无法识别的命令“reprot”；是否想用命令“report”或“restore”？",
        ),
        (
            vec!["review", "--top", "x"],
            "“x”不是 --top <项数> 的有效值：应为不小于 0 的整数",
        ),
        (
            vec!["review", "--format", "xml"],
            "“xml”不是 --format <格式> 的有效值（可选：text、json）",
        ),
        (
            vec!["check", "--period", "2026X"],
            "无法识别的报告期“2026X”",
        ),
        (vec!["review", "--top"], "--top <项数> 需要一个值"),
        (vec![], "用法：shuanggao <命令>"),
    ] {
        let (code, out, err) = common::run(&args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains(says), "{args:?}:\n{err}");
        no_clap_english(&err);
    }
}

#[test]
fn cli_checks_named_files_against_history() {
    let file: PathBuf = root().join("inputs/returns/2026Q3/常州高新区_2026Q3.xlsx");
    let (code, out, _) = common::run(&["check", "--format", "json", file.to_str().unwrap()]);
    assert_eq!(code, 1);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let rules: Vec<&str> = findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["X01"]);
}

#[test]
fn warnings_are_explained_by_cell_code_or_name() {
    let explained = |explanations: &[[&str; 3]], mutate: &dyn Fn(&mut Draft)| {
        let c = first_quarter(|d| {
            mutate(d);
            for e in explanations {
                d.explanations.push(e.map(String::from));
            }
        });
        let s = &c.submissions[0];
        s.findings
            .iter()
            .zip(&s.explanations)
            .filter(|(f, _)| f.severity != Severity::Info)
            .map(|(f, e)| (f.rule.clone(), e.clone()))
            .collect::<Vec<_>>()
    };
    let over_contract = |d: &mut Draft| {
        let contract = number(&d.projects[0][7]);
        d.projects[0][8] = Cell::Number(contract + 5.0);
    };
    let name = |d: &Draft| match &d.projects[0][1] {
        Cell::Text(t) => t.clone(),
        _ => unreachable!(),
    };
    let project = name(&xuzhou("2025Q3"));
    // By cell, with and without the sheet; by the project's name.
    for place in ["项目清单!I3", "I3", project.as_str()] {
        let got = explained(&[["X04", place, "追加投入，已签补充协议"]], &over_contract);
        assert_eq!(
            got,
            [(
                "X04".to_string(),
                Some("追加投入，已签补充协议".to_string())
            )],
            "{place}"
        );
    }
    // The wrong rule or the wrong place explains nothing.
    assert_eq!(explained(&[["X03", "I3", "…"]], &over_contract)[0].1, None);
    assert_eq!(explained(&[["X04", "I4", "…"]], &over_contract)[0].1, None);
    // By indicator code.
    let got = explained(&[["X05", "SG09", "口径调整"]], &|d| {
        indicator(d, "SG09")[3] = Cell::Number(1.0)
    });
    assert_eq!(got, [("X05".to_string(), Some("口径调整".to_string()))]);
    // Errors cannot be explained away.
    let got = explained(&[["X01", "SG01", "漏填"]], &|d| {
        d.projects.pop();
    });
    assert_eq!(got, [("X01".to_string(), None)]);
}

#[test]
fn a_template_for_another_zone_or_quarter_is_caught() {
    let stamped = |zone: &'static str, period: &'static str| {
        first_quarter_styled(
            Style {
                stamp: Some((zone, period)),
                ..Style::default()
            },
            |_| {},
        )
    };
    assert!(
        stamped("XZ", "2025Q3").findings().next().is_none(),
        "its own template: clean, no S04"
    );
    assert_eq!(
        problems(&stamped("ZJ", "2025Q3")),
        [p("I01", E, "基本信息", "B3")]
    );
    assert_eq!(
        problems(&stamped("XZ", "2025Q4")),
        [p("I04", E, "基本信息", "B4")]
    );
}
