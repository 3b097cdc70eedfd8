//! Files made by LibreOffice itself (tests/fixtures/libreoffice/, made by
//! its make_fixtures.py through Python-UNO, not by this crate): a sample
//! return saved as .ods reads silently with the figures of its .xlsx, and a
//! template filled and saved in LibreOffice (.xlsx and .ods) reads back with
//! no findings and exactly the values typed (typed.json, written by the
//! script as it typed).

mod common;

use common::{config, figures, q, root};

use std::io::Read;
use std::path::PathBuf;

use chrono::NaiveDate;
use shuanggao::config::Config;
use shuanggao::ingest::{InputFile, ReturnsFolder};
use shuanggao::model::{Period, Return};
use shuanggao::validate::{self, PeriodCheck};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/libreoffice").join(name)
}

/// One file checked as `period` against the shipped sample's earlier
/// quarters.
fn check_one(config: &Config, period: Period, path: PathBuf) -> PeriodCheck {
    let folder = ReturnsFolder::scan(&root().join("inputs/returns")).unwrap();
    let history = validate::history_before(config, &folder, period);
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let files = [InputFile { path, name }];
    validate::check_period(config, period, &files, &history)
}

fn ret(check: &PeriodCheck) -> &Return {
    check.submissions[0].ret.as_deref().expect("the file reads")
}

/// How often LibreOffice wrote an attribute value in the .ods's content.
fn count_in_content(path: &PathBuf, text: &str) -> usize {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut content = String::new();
    zip.by_name("content.xml")
        .unwrap()
        .read_to_string(&mut content)
        .unwrap();
    content.matches(text).count()
}

#[test]
fn an_ods_saved_by_libreoffice_reads_silently_as_its_xlsx() {
    // Issue 12: a return saved as .ods got one V07 per real date cell.
    let config = config();
    let ods = fixture("常州高新区_2026Q2.ods");
    // LibreOffice stored real dates and formatted numbers (`15,000.00`).
    assert!(count_in_content(&ods, "office:value-type=\"date\"") >= 20);
    assert!(count_in_content(&ods, ",000.00</text:p>") >= 1);

    let from_ods = check_one(&config, q("2026Q2"), ods);
    let findings: Vec<_> = from_ods.findings().collect();
    assert!(findings.is_empty(), "{findings:#?}");
    let xlsx = root().join("inputs/returns/2026Q2/常州高新区_2026Q2.xlsx");
    let from_xlsx = check_one(&config, q("2026Q2"), xlsx);
    assert!(from_xlsx.findings().next().is_none());
    assert_eq!(figures(ret(&from_ods)), figures(ret(&from_xlsx)));
    assert_eq!(ret(&from_ods).fill_date(), ret(&from_xlsx).fill_date());
    assert_eq!(ret(&from_ods).info, ret(&from_xlsx).info);
}

/// What make_fixtures.py typed.
fn typed() -> serde_json::Value {
    let text = std::fs::read_to_string(fixture("typed.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn date(text: &serde_json::Value) -> NaiveDate {
    NaiveDate::parse_from_str(text.as_str().unwrap(), "%Y-%m-%d").unwrap()
}

#[test]
fn a_template_filled_in_libreoffice_reads_back_as_typed() {
    let config = config();
    let typed = typed();
    let mut read = Vec::new();
    for ext in ["xlsx", "ods"] {
        let path = fixture(&format!("南京建邺高新区_2026Q4_填报.{ext}"));
        let check = check_one(&config, q("2026Q4"), path);
        let findings: Vec<_> = check.findings().collect();
        assert!(findings.is_empty(), "{ext}: {findings:#?}");
        let r = ret(&check).clone();
        assert_typed_basic(&r, &typed, ext);
        assert_typed_indicators(&r, &typed, ext);
        assert_typed_lists(&r, &typed, ext);
        read.push(r);
    }
    assert_eq!(figures(&read[0]), figures(&read[1]));
}

fn assert_typed_basic(r: &Return, typed: &serde_json::Value, ext: &str) {
    let basic = &typed["basic"];
    let i = &r.info;
    assert_eq!(i.filler.as_deref(), basic["填报人"].as_str(), "{ext}");
    assert_eq!(i.phone.as_deref(), basic["联系电话"].as_str(), "{ext}");
    // Prefilled from last quarter and kept.
    assert_eq!(i.unit.as_deref(), basic["填报单位"].as_str(), "{ext}");
    assert!(i.unit.as_deref().is_some_and(|u| !u.is_empty()));
    assert_eq!(r.fill_date(), Some(date(&basic["填报日期"])), "{ext}");
    assert_eq!(r.period(), Some(q("2026Q4")));
}

fn assert_typed_indicators(r: &Return, typed: &serde_json::Value, ext: &str) {
    let indicators = typed["indicators"].as_object().unwrap();
    assert_eq!(indicators.len(), config().indicators.all.len());
    for (code, v) in indicators {
        assert_eq!(
            r.new_value(code),
            v["new"].as_f64(),
            "{ext} {code} 本季度新增"
        );
        assert_eq!(r.cumulative(code), v["cumulative"].as_f64(), "{ext} {code}");
    }
}

fn assert_typed_lists(r: &Return, typed: &serde_json::Value, ext: &str) {
    let projects = typed["projects"].as_array().unwrap();
    assert!(!projects.is_empty());
    let added = &r.projects[r.projects.len() - projects.len()..];
    for (p, t) in added.iter().zip(projects) {
        assert_eq!(p.name.value, t["项目名称*"].as_str().unwrap(), "{ext}");
        assert_eq!(p.universities, [t["合作高校*"].as_str().unwrap()]);
        assert_eq!(p.enterprise, t["合作企业*"].as_str().unwrap());
        assert_eq!(p.field.as_deref(), t["产业领域"].as_str());
        assert_eq!(p.category.as_deref(), t["项目类别*"].as_str());
        assert_eq!(p.start_date, Some(date(&t["立项日期*"])), "{ext}");
        assert_eq!(p.contract, t["合同金额(万元)*"].as_f64());
        assert_eq!(
            p.funded.as_ref().map(|f| f.value),
            t["累计到位经费(万元)*"].as_f64()
        );
        assert_eq!(p.status.as_deref(), t["项目状态*"].as_str());
        assert_eq!(p.benchmark, t["标杆项目"].as_str() == Some("是"));
    }
    let platforms = typed["platforms"].as_array().unwrap();
    assert!(!platforms.is_empty());
    let added = &r.platforms[r.platforms.len() - platforms.len()..];
    for (p, t) in added.iter().zip(platforms) {
        assert_eq!(p.name.value, t["平台名称*"].as_str().unwrap(), "{ext}");
        assert_eq!(p.kind.as_deref(), t["平台类型*"].as_str());
        assert_eq!(p.level.as_deref(), t["平台级别*"].as_str());
        assert_eq!(p.universities, [t["共建高校*"].as_str().unwrap()]);
        assert_eq!(p.built_date, Some(date(&t["建成日期*"])), "{ext}");
        assert_eq!(p.area, t["面积(平方米)"].as_f64());
        assert_eq!(p.investment, t["累计投入(万元)"].as_f64());
    }
    // Last quarter's rows, prefilled by the template, are all still there.
    let last = typed["indicators"]["SG01"]["cumulative"].as_f64().unwrap();
    assert_eq!(r.projects.len() as f64, last, "{ext}");
}
