//! A generated zone-quarter as the return its clerk sends: the form filled
//! in, and in 2026Q3 the imperfections of a real quarter
//! ([`SAMPLE_2026Q3_DEFECTS`](super::SAMPLE_2026Q3_DEFECTS)).

use chrono::NaiveDate;

use super::generate::{ZoneQuarter, ZoneSample};
use crate::config::{Config, IndicatorKind, Zone};
use crate::model::draft::{Cell, Draft};
use crate::model::Period;
use crate::text::to_full_width as full_width;

/// The draft(s) of one zone's quarter: usually one file; the 2026Q3
/// resubmission case gives two.
pub(super) fn drafts(
    config: &Config,
    zone: &Zone,
    sample: &ZoneSample,
    q: &ZoneQuarter,
) -> Vec<(String, Draft)> {
    let file = |suffix: &str| format!("{}_{}{suffix}.xlsx", zone.name, q.period);
    let mut draft = base_draft(config, zone, sample, q);
    let defects_quarter = Period {
        year: 2026,
        quarter: 3,
    };
    if q.period != defects_quarter {
        return vec![(file(""), draft)];
    }
    if zone.code == "WX" {
        let (first, corrected) = resubmitted(draft);
        return vec![(file("_首次报送"), first), (file("_更正"), corrected)];
    }
    plant_defect(&mut draft, &zone.code, q);
    vec![(file(""), draft)]
}

/// WX: a first return on 10 月 9 日 with a V04 error (a project category
/// outside the list), corrected and sent again on 10 月 12 日.
fn resubmitted(mut draft: Draft) -> (Draft, Draft) {
    let mut first = draft.clone();
    set_basic(&mut first, "填报日期", Cell::Date(ymd(2026, 10, 9)));
    first.projects[0][5] = Cell::Text("标志项目".into());
    set_basic(&mut draft, "填报日期", Cell::Date(ymd(2026, 10, 12)));
    (first, draft)
}

/// The 2026Q3 imperfection of one zone (none for most).
fn plant_defect(draft: &mut Draft, zone_code: &str, q: &ZoneQuarter) {
    let indicator_row = |draft: &Draft, code: &str| draft_rows_position(&draft.indicators, code);
    match zone_code {
        "CZ" => {
            let r = indicator_row(draft, "SG01");
            draft.indicators[r][4] = Cell::Number(q.cumulative["SG01"] + 1.0);
            draft.indicators[r][3] = Cell::Number(q.new["SG01"] + 1.0);
        }
        "SQ" => set_basic(draft, "填报日期", Cell::Date(ymd(2026, 10, 21))),
        "ZJ" => overfunded_project(draft),
        // The jump itself is in the figures (`generate::EVENTS`), so the
        // quarters after keep it.
        "YZ" => {
            draft.explanations.push([
                "X08".into(),
                "SG09".into(),
                "本季度举办校地技术需求对接会（示例数据），集中发布企业技术需求 90 项。".into(),
            ]);
        }
        "LYG" => rename_university(draft, "南京工业大学", "南京工大学"),
        "NT" => amounts_with_units(draft),
        "HA" => full_width_and_text_date(draft),
        "XZ" => rename_university(draft, "中国矿业大学", "矿大"),
        "SZ" => set_basic(draft, "高新区名称", Cell::Text("苏州国家高新区".into())),
        _ => {}
    }
}

/// ZJ: the newest project received more than its contract so far (SG05
/// raised to cover the lists, so only X04 fires).
fn overfunded_project(draft: &mut Draft) {
    if let Some(row) = draft.projects.last_mut() {
        if let Cell::Number(contract) = row[7] {
            row[8] = Cell::Number(contract + 20.0);
        }
    }
    let funded: f64 = draft
        .projects
        .iter()
        .map(|r| if let Cell::Number(v) = r[8] { v } else { 0.0 })
        .sum();
    let r = draft_rows_position(&draft.indicators, "SG05");
    if let Cell::Number(sg05) = draft.indicators[r][4] {
        if sg05 < funded {
            draft.indicators[r][4] = Cell::Number(funded);
        }
    }
}

/// The first project naming `from` names `to` instead.
fn rename_university(draft: &mut Draft, from: &str, to: &str) {
    if let Some(row) = draft
        .projects
        .iter_mut()
        .find(|r| r[2] == Cell::Text(from.into()))
    {
        row[2] = Cell::Text(to.into());
    }
}

/// NT: contract amounts written with their unit (1,200万元, 0.35亿元).
fn amounts_with_units(draft: &mut Draft) {
    if let Some(Cell::Number(v)) = draft.projects.first().map(|r| r[7].clone()) {
        draft.projects[0][7] = Cell::Text(format!("{}万元", crate::format::group_thousands(v)));
    }
    if draft.projects.len() > 1 {
        if let Cell::Number(v) = draft.projects[1][7] {
            draft.projects[1][7] = Cell::Text(format!("{}亿元", v / 10_000.0));
        }
    }
}

/// HA: SG04 in full-width digits, the newest project's date as 2026年7月1日.
fn full_width_and_text_date(draft: &mut Draft) {
    let r = draft_rows_position(&draft.indicators, "SG04");
    if let Cell::Number(v) = draft.indicators[r][4] {
        draft.indicators[r][4] = Cell::Text(full_width(&crate::format::format_number(v)));
    }
    if let Some(row) = draft.projects.last_mut() {
        if let Cell::Date(d) = row[6] {
            row[6] = Cell::Text(d.format("%Y年%-m月%-d日").to_string());
        }
    }
}

fn draft_rows_position(rows: &[Vec<Cell>], code: &str) -> usize {
    rows.iter()
        .position(|r| r[0] == Cell::Text(code.to_string()))
        .unwrap_or(0)
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid literal date")
}

fn set_basic(draft: &mut Draft, label: &str, value: Cell) {
    if let Some(entry) = draft.basic.iter_mut().find(|(l, _)| l == label) {
        entry.1 = value;
    }
}

/// A zone's quarter as its clerk fills the return.
pub(super) fn base_draft(
    config: &Config,
    zone: &Zone,
    sample: &ZoneSample,
    q: &ZoneQuarter,
) -> Draft {
    let labels = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
    Draft {
        title: format!(
            "{}季度报表 · {} · {}（示例数据）",
            config.calendar.stage_at(q.period).programme,
            zone.name,
            q.period.label_zh()
        ),
        basic: basic(zone, sample, q),
        indicator_header: labels(&[
            "指标代码",
            "指标名称",
            "计量单位",
            "本季度新增",
            "累计值",
            "备注",
        ]),
        indicators: indicators(config, q),
        project_header: labels(&[
            "序号",
            "项目名称*",
            "合作高校*",
            "合作企业*",
            "产业领域",
            "项目类别*",
            "立项日期*",
            "合同金额(万元)*",
            "累计到位经费(万元)*",
            "项目状态*",
            "标杆项目",
        ]),
        projects: projects(sample, q),
        platform_header: labels(&[
            "序号",
            "平台名称*",
            "平台类型*",
            "平台级别*",
            "共建高校*",
            "建成日期*",
            "面积(平方米)",
            "累计投入(万元)",
        ]),
        platforms: platforms(sample, q),
        explanations: Vec::new(),
        created: Some(q.period.end()),
    }
}

/// 基本信息: who fills it, and the zone's 五个一 (invented, marked 示例).
fn basic(zone: &Zone, sample: &ZoneSample, q: &ZoneQuarter) -> Vec<(String, Cell)> {
    let (short, direction) = (sample.short.as_str(), sample.direction.as_str());
    let fund_size = 5000.0 * (1.0 + (zone.code.len() % 3) as f64);
    [
        ("高新区名称", Cell::from(zone.name.as_str())),
        ("报告期", Cell::from(q.period.to_string())),
        (
            "填报单位",
            Cell::from(format!("{}管委会科技创新局", zone.name)),
        ),
        ("填报人", Cell::from(format!("{short}填报员（示例）"))),
        ("联系电话", Cell::from("025-00000000")),
        ("填报日期", Cell::Date(q.fill_date)),
        ("产业方向", Cell::from(direction)),
        (
            "依托科创平台",
            Cell::from(format!("{}双高协同创新中心", zone.name)),
        ),
        (
            "领军人才",
            Cell::from(format!("{short}产业教授团队（示例）")),
        ),
        (
            "转化基金名称",
            Cell::from(format!("{}双高协同成果转化基金", zone.name)),
        ),
        ("转化基金规模(万元)", Cell::Number(fund_size)),
    ]
    .into_iter()
    .map(|(label, value)| (label.to_string(), value))
    .collect()
}

/// 核心指标: one row per indicator; stock indicators leave 本季度新增 empty.
fn indicators(config: &Config, q: &ZoneQuarter) -> Vec<Vec<Cell>> {
    config
        .indicators
        .all
        .iter()
        .map(|i| {
            let new = match (i.kind, q.new.get(&i.code)) {
                (IndicatorKind::Stock, _) | (_, None) => Cell::Empty,
                (IndicatorKind::Flow, Some(v)) => Cell::Number(*v),
            };
            vec![
                Cell::from(i.code.as_str()),
                Cell::from(i.name.as_str()),
                Cell::from(i.unit.as_str()),
                new,
                Cell::Number(q.cumulative.get(&i.code).copied().unwrap_or(0.0)),
                Cell::Empty,
            ]
        })
        .collect()
}

/// 项目清单: every project listed by the end of the quarter.
fn projects(sample: &ZoneSample, q: &ZoneQuarter) -> Vec<Vec<Cell>> {
    sample
        .listed(q)
        .into_iter()
        .enumerate()
        .map(|(n, (p, funded, status))| {
            vec![
                Cell::Number((n + 1) as f64),
                Cell::from(p.name.as_str()),
                Cell::from(p.universities.join("、")),
                Cell::from(p.enterprise.as_str()),
                Cell::from(p.field.as_str()),
                Cell::from(p.category),
                Cell::Date(p.start),
                Cell::Number(p.contract),
                Cell::Number(funded),
                Cell::from(status),
                Cell::from(if p.benchmark { "是" } else { "否" }),
            ]
        })
        .collect()
}

/// 平台清单: every platform built by the end of the quarter.
fn platforms(sample: &ZoneSample, q: &ZoneQuarter) -> Vec<Vec<Cell>> {
    sample.platforms[..q.platforms]
        .iter()
        .enumerate()
        .map(|(n, p)| {
            vec![
                Cell::Number((n + 1) as f64),
                Cell::from(p.name.as_str()),
                Cell::from(p.kind),
                Cell::from(p.level),
                Cell::from(p.universities.join("、")),
                Cell::Date(p.built),
                Cell::Number(p.area),
                Cell::Number(p.investment),
            ]
        })
        .collect()
}
