//! A generated zone-quarter as the return its clerk sends: the form filled
//! in, and in 2026Q3 the imperfections of a real quarter
//! ([`SAMPLE_2026Q3_DEFECTS`](super::SAMPLE_2026Q3_DEFECTS)).

use chrono::NaiveDate;

use super::draft::{full_width, Cell, Draft};
use super::generate::{ZoneQuarter, ZoneSample, ZONES};
use crate::config::{Config, IndicatorKind, Zone};
use crate::model::Period;

/// The draft(s) of one zone's quarter: usually one file; the 2026Q3
/// resubmission case gives two.
pub(super) fn drafts(
    config: &Config,
    zone: &Zone,
    sample: &ZoneSample,
    q: &ZoneQuarter,
) -> Vec<(String, Draft)> {
    let file = format!("{}_{}.xlsx", zone.name, q.period);
    let mut draft = base_draft(config, zone, sample, q);
    if q.period
        != (Period {
            year: 2026,
            quarter: 3,
        })
    {
        return vec![(file, draft)];
    }
    let indicator_row = |code: &str| draft_rows_position(&draft.indicators, code);
    match zone.code.as_str() {
        "CZ" => {
            let r = indicator_row("SG01");
            draft.indicators[r][4] = Cell::Number(q.cumulative["SG01"] + 1.0);
            draft.indicators[r][3] = Cell::Number(q.new["SG01"] + 1.0);
        }
        "SQ" => set_basic(&mut draft, "填报日期", Cell::Date(ymd(2026, 10, 21))),
        "WX" => {
            let mut first = draft.clone();
            set_basic(&mut first, "填报日期", Cell::Date(ymd(2026, 10, 9)));
            first.projects[0][5] = Cell::Text("标志项目".into());
            set_basic(&mut draft, "填报日期", Cell::Date(ymd(2026, 10, 12)));
            return vec![
                (format!("{}_{}_首次报送.xlsx", zone.name, q.period), first),
                (format!("{}_{}_更正.xlsx", zone.name, q.period), draft),
            ];
        }
        "ZJ" => {
            // The newest project received more than its contract so far.
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
            let r = indicator_row("SG05");
            if let Cell::Number(sg05) = draft.indicators[r][4] {
                if sg05 < funded {
                    draft.indicators[r][4] = Cell::Number(funded);
                }
            }
        }
        "YZ" => {
            let r = indicator_row("SG09");
            let jump = 90.0;
            draft.indicators[r][3] = Cell::Number(q.new["SG09"] + jump);
            draft.indicators[r][4] = Cell::Number(q.cumulative["SG09"] + jump);
            draft.explanations.push([
                "X08".into(),
                "SG09".into(),
                "本季度举办校地技术需求对接会（示例数据），集中发布企业技术需求 90 项。".into(),
            ]);
        }
        "LYG" => {
            if let Some(row) = draft
                .projects
                .iter_mut()
                .find(|r| r[2] == Cell::Text("南京工业大学".into()))
            {
                row[2] = Cell::Text("南京工大学".into());
            }
        }
        "NT" => {
            if let Some(Cell::Number(v)) = draft.projects.first().map(|r| r[7].clone()) {
                draft.projects[0][7] =
                    Cell::Text(format!("{}万元", crate::format::group_thousands(v)));
            }
            if draft.projects.len() > 1 {
                if let Cell::Number(v) = draft.projects[1][7] {
                    draft.projects[1][7] = Cell::Text(format!("{}亿元", v / 10_000.0));
                }
            }
        }
        "HA" => {
            let r = indicator_row("SG04");
            if let Cell::Number(v) = draft.indicators[r][4] {
                draft.indicators[r][4] = Cell::Text(full_width(&crate::format::format_number(v)));
            }
            if let Some(row) = draft.projects.last_mut() {
                if let Cell::Date(d) = row[6] {
                    row[6] = Cell::Text(d.format("%Y年%-m月%-d日").to_string());
                }
            }
        }
        "XZ" => {
            if let Some(row) = draft
                .projects
                .iter_mut()
                .find(|r| r[2] == Cell::Text("中国矿业大学".into()))
            {
                row[2] = Cell::Text("矿大".into());
            }
        }
        "SZ" => set_basic(
            &mut draft,
            "高新区名称",
            Cell::Text("苏州国家高新区".into()),
        ),
        _ => {}
    }
    vec![(file, draft)]
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
    let (_, _, short, direction, _) =
        ZONES
            .iter()
            .find(|z| zone.code == z.0)
            .copied()
            .unwrap_or(("", 1.0, "", "", &[]));
    let basic = vec![
        ("高新区名称".to_string(), Cell::from(zone.name.as_str())),
        ("报告期".into(), Cell::from(q.period.to_string())),
        (
            "填报单位".into(),
            Cell::from(format!("{}管委会科技创新局", zone.name)),
        ),
        (
            "填报人".into(),
            Cell::from(format!("{short}填报员（示例）")),
        ),
        ("联系电话".into(), Cell::from("025-00000000")),
        ("填报日期".into(), Cell::Date(q.fill_date)),
        ("产业方向".into(), Cell::from(direction)),
        (
            "依托科创平台".into(),
            Cell::from(format!("{}双高协同创新中心", zone.name)),
        ),
        (
            "领军人才".into(),
            Cell::from(format!("{short}产业教授团队（示例）")),
        ),
        (
            "转化基金名称".into(),
            Cell::from(format!("{}双高协同成果转化基金", zone.name)),
        ),
        (
            "转化基金规模(万元)".into(),
            Cell::Number(5000.0 * (1.0 + (zone.code.len() % 3) as f64)),
        ),
    ];
    let indicators = config
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
        .collect();
    let projects = sample
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
        .collect();
    let platforms = sample.platforms[..q.platforms]
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
        .collect();
    Draft {
        title: format!(
            "双高协同试点季度报表 · {} · {}（示例数据）",
            zone.name,
            q.period.label_zh()
        ),
        basic,
        indicator_header: [
            "指标代码",
            "指标名称",
            "计量单位",
            "本季度新增",
            "累计值",
            "备注",
        ]
        .map(String::from)
        .to_vec(),
        indicators,
        project_header: [
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
        ]
        .map(String::from)
        .to_vec(),
        projects,
        platform_header: [
            "序号",
            "平台名称*",
            "平台类型*",
            "平台级别*",
            "共建高校*",
            "建成日期*",
            "面积(平方米)",
            "累计投入(万元)",
        ]
        .map(String::from)
        .to_vec(),
        platforms,
        explanations: Vec::new(),
        created: Some(q.period.end()),
    }
}
