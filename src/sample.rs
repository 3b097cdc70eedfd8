//! Synthetic sample returns (示例数据) for the 18 pilot zones, 2025Q3–2026Q3.
//!
//! Every figure here is invented, and every workbook says so in its title
//! rows. At 2025Q4 the returns add up exactly to the published figures (spec
//! section 6: 342 projects, 58 platforms, 75,000 万元, over 1,000 resident
//! faculty and students, over 560 enterprises served). 2026Q3 carries the
//! imperfections of a real quarter, listed in [`SAMPLE_2026Q3_DEFECTS`].
//! Universities are the zone's confirmed pairs; a zone with no confirmed pair
//! works with a nearby university (no pair is implied).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Formula, Workbook, XlsxError,
};

use crate::config::{Config, IndicatorKind};
use crate::error::{Error, Result};
use crate::model::Period;

/// The quarters the sample covers.
pub fn sample_periods() -> Vec<Period> {
    let mut p = Period {
        year: 2025,
        quarter: 3,
    };
    let mut out = Vec::new();
    while p
        <= (Period {
            year: 2026,
            quarter: 3,
        })
    {
        out.push(p);
        p = p.next();
    }
    out
}

/// What the 2026Q3 sample deliberately gets wrong: (zone code, what).
pub const SAMPLE_2026Q3_DEFECTS: &[(&str, &str)] = &[
    (
        "CZ",
        "X01 错误：SG01 累计值比项目清单多 1（退回修改，沿用上期）",
    ),
    ("SQ", "T03 警告：填报日期 2026-10-21，迟报"),
    (
        "WX",
        "F02 警告：10 月 9 日首报有 V04 错误，10 月 12 日更正重报",
    ),
    ("ZJ", "X04 警告：一个项目累计到位经费超过合同金额"),
    ("YZ", "X08 警告：SG09 本季度新增激增（已在情况说明中说明）"),
    ("LYG", "I02 警告：合作高校写作“南京工大学”"),
    ("NT", "V07 提示：金额带单位书写（1,200万元、0.35亿元）"),
    ("HA", "V07 提示：全角数字与文本日期"),
    ("XZ", "V07 提示：合作高校写作简称“矿大”"),
    ("SZ", "V07 提示：高新区名称写作“苏州国家高新区”"),
];

/// One cell of a return workbook as the writer should put it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    /// A formula and the result Excel would have cached.
    Formula(String, f64),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<f64> for Cell {
    fn from(v: f64) -> Cell {
        Cell::Number(v)
    }
}

impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Cell {
        Cell::Date(d)
    }
}

/// A return workbook's content, sheet by sheet, in the form's layout.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub title: String,
    /// 基本信息: (label, value).
    pub basic: Vec<(String, Cell)>,
    pub indicator_header: Vec<String>,
    pub indicators: Vec<Vec<Cell>>,
    pub project_header: Vec<String>,
    pub projects: Vec<Vec<Cell>>,
    pub platform_header: Vec<String>,
    pub platforms: Vec<Vec<Cell>>,
    /// 情况说明 rows (rule, location, text); the sheet is written when any.
    pub explanations: Vec<[String; 3]>,
    /// Document date, for byte-identical output.
    pub created: Option<NaiveDate>,
}

/// How messy the written workbook is (for tests of the reader).
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Extra title and note rows above each table header.
    pub banner_rows: u32,
    /// Columns of the list sheets in reverse order.
    pub shuffled: bool,
    /// Numbers written as full-width text (`１２３`).
    pub full_width: bool,
    /// SG01/SG02 as COUNTA formulas over the lists, with cached results.
    pub formulas: bool,
    /// Sheets in reverse order, names with a trailing 表.
    pub renamed_sheets: bool,
    /// Leave this sheet out.
    pub omit_sheet: Option<&'static str>,
    /// Add a sheet of this name that is not part of the form.
    pub extra_sheet: Option<&'static str>,
    /// Add the hidden 模板信息 sheet of a generated template: (zone code, period).
    pub stamp: Option<(&'static str, &'static str)>,
}

impl Draft {
    /// Writes the workbook to bytes.
    pub fn to_xlsx(&self, style: Style) -> std::result::Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        let mut props = DocProperties::new()
            .set_title(&self.title)
            .set_author("shuanggao 示例数据");
        if let Some(d) = self.created {
            props = props.set_creation_datetime(&excel_date(d)?);
        }
        wb.set_properties(&props);
        let bold = Format::new().set_bold();
        let banner = Format::new()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Center);
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let sheet_name = |n: &str| {
            if style.renamed_sheets {
                format!("{n}表")
            } else {
                n.to_string()
            }
        };
        let mut order = vec!["基本信息", "核心指标", "项目清单", "平台清单"];
        if !self.explanations.is_empty() {
            order.push("情况说明");
        }
        if style.renamed_sheets {
            order.reverse();
        }
        let top = 1 + style.banner_rows;
        order.retain(|n| Some(*n) != style.omit_sheet);
        for name in order {
            let ws = wb.add_worksheet();
            ws.set_name(sheet_name(name))?;
            let (header, rows): (Vec<String>, Vec<Vec<Cell>>) = match name {
                "基本信息" => (
                    vec!["填报项目".into(), "填报内容".into()],
                    self.basic
                        .iter()
                        .map(|(l, v)| vec![Cell::Text(l.clone()), v.clone()])
                        .collect(),
                ),
                "核心指标" => (self.indicator_header.clone(), self.indicators.clone()),
                "项目清单" => (self.project_header.clone(), self.projects.clone()),
                "平台清单" => (self.platform_header.clone(), self.platforms.clone()),
                _ => (
                    vec!["规则编号".into(), "位置".into(), "说明".into()],
                    self.explanations
                        .iter()
                        .map(|r| r.iter().map(|s| Cell::Text(s.clone())).collect())
                        .collect(),
                ),
            };
            let width = header.len() as u16;
            ws.merge_range(
                0,
                0,
                0,
                width.saturating_sub(1),
                &format!("{}（{}）", self.title, name),
                &banner,
            )?;
            for extra in 1..=style.banner_rows {
                ws.write(
                    extra,
                    0,
                    format!("注{extra}：本表为示例数据，金额单位为万元。"),
                )?;
            }
            let columns: Vec<usize> = if style.shuffled && matches!(name, "项目清单" | "平台清单")
            {
                (0..header.len()).rev().collect()
            } else {
                (0..header.len()).collect()
            };
            for (c, &src) in columns.iter().enumerate() {
                ws.write_with_format(top, c as u16, &header[src], &bold)?;
                ws.set_column_width(c as u16, if src == 1 { 34 } else { 16 })?;
            }
            for (r, row) in rows.iter().enumerate() {
                let r = top + 1 + r as u32;
                for (c, &src) in columns.iter().enumerate() {
                    let c = c as u16;
                    match row.get(src).unwrap_or(&Cell::Empty) {
                        Cell::Empty => {}
                        Cell::Text(t) => {
                            ws.write(r, c, t)?;
                        }
                        Cell::Number(v) if style.full_width => {
                            ws.write(r, c, full_width(&crate::ingest::format_number(*v)))?;
                        }
                        Cell::Number(v) => {
                            ws.write(r, c, *v)?;
                        }
                        Cell::Date(d) => {
                            ws.write_datetime_with_format(r, c, &excel_date(*d)?, &date)?;
                        }
                        Cell::Formula(f, v) => {
                            let f = f.replace("{first}", &(top + 2).to_string());
                            ws.write_formula(
                                r,
                                c,
                                Formula::new(f).set_result(crate::ingest::format_number(*v)),
                            )?;
                        }
                    }
                }
            }
        }
        if let Some(extra) = style.extra_sheet {
            wb.add_worksheet().set_name(extra)?.write(0, 0, "备用")?;
        }
        if let Some((zone, period)) = style.stamp {
            let ws = wb.add_worksheet();
            ws.set_name("模板信息")?;
            for (r, (k, v)) in [("模板版本", "1"), ("高新区代码", zone), ("报告期", period)]
                .iter()
                .enumerate()
            {
                ws.write(r as u32, 0, *k)?;
                ws.write(r as u32, 1, *v)?;
            }
            ws.set_hidden(true);
        }
        wb.save_to_buffer()
    }
}

fn excel_date(d: NaiveDate) -> std::result::Result<ExcelDateTime, XlsxError> {
    use chrono::Datelike;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' | '.' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// A small deterministic generator (SplitMix64): the sample must be the same
/// on every machine and every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// Uniform in [lo, hi].
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (self.next() >> 11) as f64 / (1u64 << 53) as f64 * (hi - lo)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Splits `total` into whole parts proportional to `weights` (largest
/// remainder), so the parts add up exactly.
fn allocate(total: i64, weights: &[f64]) -> Vec<i64> {
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut parts: Vec<i64> = exact.iter().map(|x| x.floor() as i64).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let (fa, fb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        fb.total_cmp(&fa).then(a.cmp(&b))
    });
    let short = total - parts.iter().sum::<i64>();
    for &i in order.iter().take(short.max(0) as usize) {
        parts[i] += 1;
    }
    parts
}

/// Per-zone flavour: (code, weight, short name, industry direction,
/// universities to use when the registry has no confirmed pair).
const ZONES: &[(&str, f64, &str, &str, &[&str])] = &[
    ("NJGL", 1.0, "鼓楼", "数字经济与软件信息", &[]),
    ("NJJY", 0.8, "建邺", "金融科技与数字服务", &[]),
    ("WX", 1.3, "锡新", "集成电路与物联网", &[]),
    ("JY", 1.0, "澄江", "高端纺织新材料", &[]),
    ("XZ", 2.0, "彭城", "工程机械与智能制造", &[]),
    ("CZ", 1.1, "龙城", "新能源与智能电网", &[]),
    ("LY", 0.7, "溧城", "动力电池与储能", &[]),
    (
        "SZ",
        1.3,
        "姑苏",
        "光子与高端医疗器械",
        &["苏州大学", "苏州科技大学"],
    ),
    ("CS", 0.8, "虞山", "汽车零部件与智能装备", &["常熟理工学院"]),
    ("NT", 0.9, "崇川", "船舶海工与新材料", &["南通大学"]),
    ("NTSB", 0.6, "市北", "智能制造与数字产业", &["南通大学"]),
    ("LYG", 1.1, "海州", "生物医药与新材料", &[]),
    (
        "HA",
        0.8,
        "淮阴",
        "电子信息与食品科技",
        &["淮阴工学院", "淮阴师范学院"],
    ),
    ("YCHB", 1.3, "盐都", "环保装备与绿色低碳", &[]),
    ("YZ", 1.2, "维扬", "智能装备与农业生物", &[]),
    ("ZJ", 1.4, "润州", "船舶配套与新材料", &[]),
    (
        "TZYY",
        0.9,
        "凤城",
        "生物医药与医疗器械",
        &["中国药科大学", "泰州学院"],
    ),
    ("SQ", 0.7, "宿城", "新材料与智能家居", &[]),
];

const TECH: &[&str] = &[
    "智能检测",
    "数字孪生",
    "关键材料",
    "工艺优化",
    "高效节能",
    "智能控制",
    "精密制造",
    "绿色制备",
    "在线监测",
    "可靠性提升",
    "国产化替代",
    "中试验证",
    "系统集成",
    "新型传感",
    "低碳改造",
    "数据平台",
];
const OBJECTS: &[&str] = &[
    "装备",
    "核心部件",
    "生产线",
    "材料",
    "平台",
    "系统",
    "器件",
    "工艺",
    "产品",
    "示范线",
];
const WORK: &[&str] = &["关键技术研发", "研究与应用", "技术攻关", "开发与产业化"];
const FIRM_WORDS: &[&str] = &[
    "智造", "新材", "精工", "数科", "电子", "装备", "生物", "能源", "环境", "光电", "汽配", "医疗",
];
const FIRM_KIND: &[&str] = &[
    "科技有限公司",
    "股份有限公司",
    "技术有限公司",
    "集团有限公司",
];
const PLATFORM_TYPES: &[&str] = &[
    "重点实验室",
    "工程技术研究中心",
    "中试平台",
    "概念验证中心",
    "创新联合体",
    "产教融合平台",
    "新型研发机构",
];
const PLATFORM_LEVELS: &[&str] = &["省级", "市级", "市级", "区级"];

#[derive(Debug, Clone)]
struct Project {
    name: String,
    universities: Vec<String>,
    enterprise: String,
    field: String,
    category: &'static str,
    start: NaiveDate,
    contract: f64,
    benchmark: bool,
    born: usize,
}

#[derive(Debug, Clone)]
struct Platform {
    name: String,
    kind: &'static str,
    level: &'static str,
    universities: Vec<String>,
    built: NaiveDate,
    area: f64,
    investment: f64,
}

/// One zone's quarter, before it is written.
#[derive(Debug, Clone)]
struct ZoneQuarter {
    period: Period,
    /// Cumulative values (and 本季度新增) by indicator code.
    cumulative: BTreeMap<String, f64>,
    new: BTreeMap<String, f64>,
    projects: Vec<(Project, f64, &'static str)>,
    platforms: Vec<Platform>,
    fill_date: NaiveDate,
}

/// Quarterly flow totals across the 18 zones (before noise), by indicator.
const FLOWS: &[(&str, f64)] = &[
    ("SG04", 300.0),
    ("SG06", 190.0),
    ("SG07", 14.0),
    ("SG08", 22.0),
    ("SG09", 220.0),
    ("SG10", 380.0),
    ("SG11", 68.0),
    ("SG12", 9000.0),
    ("SG14", 36.0),
    ("SG15", 12.0),
];

/// 徐州高新区 works to its own 2025–2027 plan (targets.toml): its talent and
/// enterprise flows run above its share of the province.
const XUZHOU_BOOST: &[(&str, f64)] = &[
    ("SG06", 1.75),
    ("SG07", 3.8),
    ("SG08", 2.0),
    ("SG14", 1.4),
    ("SG15", 2.6),
];

/// New projects / platforms each quarter across the zones; 2025Q3 + 2025Q4
/// add up to the published 342 and 58.
const NEW_PROJECTS: [i64; 5] = [190, 152, 40, 46, 50];
const NEW_PLATFORMS: [i64; 5] = [30, 28, 5, 6, 6];
/// 常驻园区师生 at each quarter end (stock).
const RESIDENTS: [i64; 5] = [880, 1150, 1190, 1240, 1300];
/// 合作经费投入 at 2025Q4, all zones (published: 7.5 亿元).
const FUNDING_2025Q4: i64 = 75_000;

fn generate(config: &Config) -> Result<Vec<(String, Vec<ZoneQuarter>)>> {
    let periods = sample_periods();
    let weights: Vec<f64> = ZONES.iter().map(|z| z.1).collect();
    let mut rng = Rng(0x5348_5541_4E47_47A0);
    let per_quarter_projects: Vec<Vec<i64>> = NEW_PROJECTS
        .iter()
        .map(|&n| allocate(n, &weights))
        .collect();
    let per_quarter_platforms: Vec<Vec<i64>> = NEW_PLATFORMS
        .iter()
        .map(|&n| allocate(n, &weights))
        .collect();
    let residents: Vec<Vec<i64>> = RESIDENTS.iter().map(|&n| allocate(n, &weights)).collect();

    let mut zones_out = Vec::new();
    let mut funded_2025q4 = Vec::new();
    for (zi, &(code, weight, short, direction, fallback)) in ZONES.iter().enumerate() {
        let zone = config
            .registry
            .zone(code)
            .ok_or_else(|| Error::Input(format!("示例数据需要的高新区 {code} 不在名单中")))?;
        let mut universities: Vec<String> = config
            .registry
            .paired_universities(&zone.name)
            .iter()
            .map(|s| s.to_string())
            .collect();
        if universities.is_empty() {
            universities = fallback.iter().map(|s| s.to_string()).collect();
        }
        let share = weight / weights.iter().sum::<f64>();
        let mut names = std::collections::BTreeSet::new();
        let mut projects: Vec<Project> = Vec::new();
        let mut platforms: Vec<Platform> = Vec::new();
        let mut quarters = Vec::new();
        let mut cumulative: BTreeMap<String, f64> = BTreeMap::new();
        for (qi, &period) in periods.iter().enumerate() {
            let days = (period.end() - period.start()).num_days();
            for _ in 0..per_quarter_projects[qi][zi] {
                let name = unique_name(&mut names, |attempt| {
                    let n = format!(
                        "{}{}{}{}",
                        rng.pick(TECH),
                        direction_word(direction, &mut rng),
                        rng.pick(OBJECTS),
                        rng.pick(WORK)
                    );
                    if attempt > 8 {
                        format!("{n}（{}）", attempt)
                    } else {
                        n
                    }
                });
                let roll = rng.below(100);
                let category = if roll < 8 {
                    "标志性项目"
                } else if roll < 33 {
                    "重大项目"
                } else {
                    "一般项目"
                };
                let contract = match category {
                    "标志性项目" => (rng.range(800.0, 3000.0) / 10.0).round() * 10.0,
                    "重大项目" => (rng.range(200.0, 900.0) / 10.0).round() * 10.0,
                    _ => rng.range(30.0, 220.0).round(),
                };
                let mut unis = vec![rng.pick(&universities).clone()];
                if universities.len() > 1 && rng.below(6) == 0 {
                    let other = rng.pick(&universities).clone();
                    if other != unis[0] {
                        unis.push(other);
                    }
                }
                projects.push(Project {
                    name,
                    universities: unis,
                    enterprise: format!("{}{}{}", short, rng.pick(FIRM_WORDS), rng.pick(FIRM_KIND)),
                    field: direction
                        .split('与')
                        .next()
                        .unwrap_or(direction)
                        .to_string(),
                    category,
                    start: period.start() + chrono::Days::new(rng.below(days as usize) as u64),
                    contract,
                    benchmark: category != "一般项目" && rng.below(3) == 0,
                    born: qi,
                });
            }
            for _ in 0..per_quarter_platforms[qi][zi] {
                let kind = *rng.pick(PLATFORM_TYPES);
                let uni = rng.pick(&universities).clone();
                let base = uni
                    .trim_end_matches("大学")
                    .trim_end_matches("学院")
                    .to_string();
                let name = unique_name(&mut names, |attempt| {
                    let n = format!(
                        "{short}{}{}{}",
                        base,
                        direction_word(direction, &mut rng),
                        kind
                    );
                    if attempt > 8 {
                        format!("{n}（{}）", attempt)
                    } else {
                        n
                    }
                });
                platforms.push(Platform {
                    name,
                    kind,
                    level: PLATFORM_LEVELS[rng.below(PLATFORM_LEVELS.len())],
                    universities: vec![uni],
                    built: period.start() + chrono::Days::new(rng.below(days as usize) as u64),
                    area: (rng.range(300.0, 3000.0) / 10.0).round() * 10.0,
                    investment: (rng.range(100.0, 1500.0) / 10.0).round() * 10.0,
                });
            }
            // Funding reaches a project over time, never beyond its contract.
            let listed: Vec<(Project, f64, &'static str)> = projects
                .iter()
                .map(|p| {
                    let age = (qi - p.born) as f64;
                    let funded = (p.contract * (0.3 + 0.15 * age).min(1.0)).round();
                    let status = match (qi - p.born, p.benchmark) {
                        (0..=1, _) => "在研",
                        (2, true) => "已转化",
                        (2, false) => "在研",
                        (_, true) => "已转化",
                        _ => "已结题",
                    };
                    (p.clone(), funded, status)
                })
                .collect();
            let mut new: BTreeMap<String, f64> = BTreeMap::new();
            for &(code, total) in FLOWS {
                let wobble = rng.range(0.85, 1.15);
                let boost = match code {
                    _ if zone.code != "XZ" => 1.0,
                    c => XUZHOU_BOOST.iter().find(|b| b.0 == c).map_or(1.0, |b| b.1),
                };
                let v = (total * share * wobble * boost).round().max(1.0);
                new.insert(code.into(), v);
            }
            let sg12 = new["SG12"];
            new.insert("SG13".into(), (sg12 * rng.range(0.5, 0.7)).round());
            let unions = platforms.iter().filter(|p| p.kind == "创新联合体").count() as f64;
            let sg16_before = cumulative.get("SG16").copied().unwrap_or(0.0);
            let sg16 = unions.max(sg16_before) + if rng.below(3) == 0 { 1.0 } else { 0.0 };
            new.insert("SG16".into(), sg16 - sg16_before);
            for (code, v) in &new {
                *cumulative.entry(code.clone()).or_default() += v;
            }
            cumulative.insert("SG01".into(), listed.len() as f64);
            cumulative.insert("SG02".into(), platforms.len() as f64);
            new.insert("SG01".into(), per_quarter_projects[qi][zi] as f64);
            new.insert("SG02".into(), per_quarter_platforms[qi][zi] as f64);
            let sg03_before = cumulative.get("SG03").copied().unwrap_or(0.0);
            cumulative.insert("SG03".into(), residents[qi][zi] as f64);
            new.insert("SG03".into(), residents[qi][zi] as f64 - sg03_before);
            let funded: f64 = listed.iter().map(|p| p.1).sum();
            if qi == 1 {
                funded_2025q4.push(funded);
            }
            cumulative.insert("SG05".into(), funded);
            let fill_date = period.end() + chrono::Days::new(5 + rng.below(8) as u64);
            quarters.push(ZoneQuarter {
                period,
                cumulative: cumulative.clone(),
                new,
                projects: listed,
                platforms: platforms.clone(),
                fill_date,
            });
        }
        zones_out.push((code.to_string(), quarters));
    }

    // 合作经费投入 = funds reaching the projects + other cooperation funding;
    // the other funding is set so that 2025Q4 adds up to exactly 75,000 万元.
    let extra_2025q4 = allocate(
        FUNDING_2025Q4 - funded_2025q4.iter().sum::<f64>() as i64,
        &weights,
    );
    for (zi, (_, quarters)) in zones_out.iter_mut().enumerate() {
        let mut before = 0.0;
        for (qi, q) in quarters.iter_mut().enumerate() {
            let ramp = [0.45, 1.0, 1.3, 1.6, 1.9][qi];
            let extra = (extra_2025q4[zi] as f64 * ramp).round();
            let sg05 = q.cumulative["SG05"] + extra;
            q.cumulative.insert("SG05".into(), sg05);
            q.new.insert("SG05".into(), sg05 - before);
            before = sg05;
        }
    }
    Ok(zones_out)
}

/// Draws names until one is new (`make` gets the attempt number).
fn unique_name(
    taken: &mut std::collections::BTreeSet<String>,
    mut make: impl FnMut(usize) -> String,
) -> String {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let name = make(attempt);
        if taken.insert(name.clone()) {
            return name;
        }
    }
}

/// A word from the zone's industry direction, for project and platform names.
fn direction_word(direction: &str, rng: &mut Rng) -> String {
    let parts: Vec<&str> = direction.split('与').collect();
    rng.pick(&parts).to_string()
}

/// Writes every sample return into `out/<period>/`. Returns the file count.
pub fn write_all(config: &Config, out: &Path) -> Result<usize> {
    let zones = generate(config)?;
    let mut written = 0;
    for (code, quarters) in &zones {
        let zone = config
            .registry
            .zone(code)
            .ok_or_else(|| Error::Input(format!("缺少高新区 {code}")))?;
        for q in quarters {
            for (file, draft) in drafts(config, zone, q) {
                let bytes = draft
                    .to_xlsx(Style::default())
                    .map_err(|e| Error::write(out.join(&file), e))?;
                let dir = out.join(q.period.to_string());
                crate::output::write_atomic(&dir.join(file), &bytes)?;
                written += 1;
            }
        }
    }
    Ok(written)
}

/// The draft(s) of one zone's quarter: usually one file; the 2026Q3
/// resubmission case gives two.
fn drafts(config: &Config, zone: &crate::config::Zone, q: &ZoneQuarter) -> Vec<(String, Draft)> {
    let file = format!("{}_{}.xlsx", zone.name, q.period);
    let mut draft = base_draft(config, zone, q);
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
                    Cell::Text(format!("{}万元", crate::ingest::group_thousands(v)));
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
                draft.indicators[r][4] = Cell::Text(full_width(&crate::ingest::format_number(v)));
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

fn base_draft(config: &Config, zone: &crate::config::Zone, q: &ZoneQuarter) -> Draft {
    let (_, _, short, direction, _) =
        ZONES
            .iter()
            .find(|z| z.0 == zone.code)
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
    let projects = q
        .projects
        .iter()
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
                Cell::Number(*funded),
                Cell::from(*status),
                Cell::from(if p.benchmark { "是" } else { "否" }),
            ]
        })
        .collect();
    let platforms = q
        .platforms
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

/// The sample's draft for one zone and quarter, as shipped (for tests that
/// rewrite it in messy styles).
pub fn sample_draft(config: &Config, zone_code: &str, period: Period) -> Result<Draft> {
    let zones = generate(config)?;
    let (_, quarters) = zones
        .iter()
        .find(|(c, _)| c == zone_code)
        .ok_or_else(|| Error::Input(format!("示例数据中没有 {zone_code}")))?;
    let q = quarters
        .iter()
        .find(|q| q.period == period)
        .ok_or_else(|| Error::Input(format!("示例数据中没有 {period}")))?;
    let zone = config
        .registry
        .zone(zone_code)
        .ok_or_else(|| Error::Input(format!("缺少高新区 {zone_code}")))?;
    Ok(base_draft(config, zone, q))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocation_adds_up() {
        let parts = allocate(342, &[1.0, 1.6, 0.7, 1.3]);
        assert_eq!(parts.iter().sum::<i64>(), 342);
        assert_eq!(allocate(0, &[1.0, 2.0]), vec![0, 0]);
    }

    #[test]
    fn thousands_separators() {
        use crate::ingest::group_thousands;
        assert_eq!(group_thousands(1200.0), "1,200");
        assert_eq!(group_thousands(95.0), "95");
        assert_eq!(group_thousands(1234567.5), "1,234,567.5");
        assert_eq!(group_thousands(-20737.0), "-20,737");
    }
}
