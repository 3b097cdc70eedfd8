//! The synthetic figures and lists behind the sample returns (示例数据):
//! deterministic, the same on every machine and every run.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::sample_periods;
use crate::config::{Config, Zone};
use crate::error::{Error, Result};
use crate::model::Period;

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
pub(super) struct Project {
    pub(super) name: String,
    pub(super) universities: Vec<String>,
    pub(super) enterprise: String,
    pub(super) field: String,
    pub(super) category: &'static str,
    pub(super) start: NaiveDate,
    pub(super) contract: f64,
    pub(super) benchmark: bool,
    /// The quarter (index) it was first listed.
    born: usize,
}

impl Project {
    /// 累计到位经费 in quarter `qi`: funds reach a project over time, never
    /// beyond its contract.
    fn funded(&self, qi: usize) -> f64 {
        let age = (qi - self.born) as f64;
        (self.contract * (0.3 + 0.15 * age).min(1.0)).round()
    }

    /// 项目状态 in quarter `qi`.
    fn status(&self, qi: usize) -> &'static str {
        match (qi - self.born, self.benchmark) {
            (0..=1, _) => "在研",
            (2, true) => "已转化",
            (2, false) => "在研",
            (_, true) => "已转化",
            _ => "已结题",
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Platform {
    pub(super) name: String,
    pub(super) kind: &'static str,
    pub(super) level: &'static str,
    pub(super) universities: Vec<String>,
    pub(super) built: NaiveDate,
    pub(super) area: f64,
    pub(super) investment: f64,
}

/// One zone's quarter, before it is written: its figures, and how many of
/// the zone's projects and platforms are listed by then.
#[derive(Debug, Clone)]
pub(super) struct ZoneQuarter {
    /// Quarters since the sample began (0 = 2025Q3).
    pub(super) index: usize,
    pub(super) period: Period,
    /// Cumulative values (and 本季度新增) by indicator code.
    pub(super) cumulative: BTreeMap<String, f64>,
    pub(super) new: BTreeMap<String, f64>,
    pub(super) projects: usize,
    pub(super) platforms: usize,
    pub(super) fill_date: NaiveDate,
}

/// A zone's whole sample: every project and platform it ever lists, and
/// its quarters.
#[derive(Debug, Clone)]
pub(super) struct ZoneSample {
    pub(super) code: String,
    /// The short name in invented names (企业, 填报人): 鼓楼, 示例01.
    pub(super) short: String,
    /// The zone's industry direction (产业方向), invented for the sample.
    pub(super) direction: String,
    pub(super) projects: Vec<Project>,
    pub(super) platforms: Vec<Platform>,
    pub(super) quarters: Vec<ZoneQuarter>,
}

impl ZoneSample {
    /// The project list as of a quarter: (project, 累计到位经费, 项目状态).
    pub(super) fn listed(&self, q: &ZoneQuarter) -> Vec<(&Project, f64, &'static str)> {
        self.projects[..q.projects]
            .iter()
            .map(|p| (p, p.funded(q.index), p.status(q.index)))
            .collect()
    }
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
/// How the other cooperation funding grows, quarter by quarter.
const FUNDING_RAMP: [f64; 5] = [0.45, 1.0, 1.3, 1.6, 1.9];

/// The shipped sample's quarters; later ones (`sample --quarters N`, for
/// scale tests) continue the trends: the lists grow faster every quarter,
/// to about 690 projects a zone after 60 quarters.
const BASE_QUARTERS: usize = 5;

fn new_projects(qi: usize) -> i64 {
    NEW_PROJECTS
        .get(qi)
        .copied()
        .unwrap_or(50 + 6 * (qi - BASE_QUARTERS + 1) as i64)
}

fn new_platforms(qi: usize) -> i64 {
    NEW_PLATFORMS
        .get(qi)
        .copied()
        .unwrap_or(6 + (qi - BASE_QUARTERS + 1) as i64 / 4)
}

fn residents(qi: usize) -> i64 {
    RESIDENTS
        .get(qi)
        .copied()
        .unwrap_or(1300 + 40 * (qi - BASE_QUARTERS + 1) as i64)
}

fn funding_ramp(qi: usize) -> f64 {
    FUNDING_RAMP
        .get(qi)
        .copied()
        .unwrap_or(1.9 + 0.3 * (qi - BASE_QUARTERS + 1) as f64)
}
/// 合作经费投入 at 2025Q4, all zones (published: 7.5 亿元).
const FUNDING_2025Q4: i64 = 75_000;

/// The seed of the shipped sample's draws.
const SEED: u64 = 0x5348_5541_4E47_47A0;

/// How many new projects, new platforms and residents each zone has each
/// quarter ([quarter][zone]).
struct Plan {
    projects: Vec<Vec<i64>>,
    platforms: Vec<Vec<i64>>,
    residents: Vec<Vec<i64>>,
}

impl Plan {
    fn new(quarters: usize, weights: &[f64]) -> Plan {
        let split =
            |f: fn(usize) -> i64| (0..quarters).map(|qi| allocate(f(qi), weights)).collect();
        Plan {
            projects: split(new_projects),
            platforms: split(new_platforms),
            residents: split(residents),
        }
    }
}

/// Every zone's sample over `quarters` quarters from 2025Q3.
pub(super) fn generate(config: &Config, quarters: usize) -> Result<Vec<ZoneSample>> {
    let periods = sample_periods(quarters);
    let weights: Vec<f64> = ZONES.iter().map(|z| z.1).collect();
    let plan = Plan::new(quarters, &weights);
    let mut rng = Rng(SEED);
    let mut zones = Vec::new();
    for zi in 0..ZONES.len() {
        zones.push(zone_sample(
            config, zi, &periods, &plan, &weights, &mut rng,
        )?);
    }
    add_other_funding(&mut zones, &weights);
    add_events(&mut zones);
    for zone in &config.registry.zones {
        if ZONES.iter().all(|z| z.0 != zone.code.as_str()) {
            zones.extend(joining_zone(config, zone, &periods));
        }
    }
    Ok(zones)
}

/// One zone, quarter by quarter.
fn zone_sample(
    config: &Config,
    zi: usize,
    periods: &[Period],
    plan: &Plan,
    weights: &[f64],
    rng: &mut Rng,
) -> Result<ZoneSample> {
    let (code, weight, short, direction, fallback) = ZONES[zi];
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
    // Quarters after the shipped ones draw from the zone's own stream, so
    // the shipped sample stays the same whatever follows it.
    let mut late = Rng(SEED ^ ((zi as u64 + 1) << 32));
    let mut sample = ZoneSample {
        code: code.to_string(),
        short: short.to_string(),
        direction: direction.to_string(),
        projects: Vec::new(),
        platforms: Vec::new(),
        quarters: Vec::new(),
    };
    let mut names = std::collections::BTreeSet::new();
    let mut cumulative: BTreeMap<String, f64> = BTreeMap::new();
    for (qi, &period) in periods.iter().enumerate() {
        let rng: &mut Rng = if qi < BASE_QUARTERS {
            &mut *rng
        } else {
            &mut late
        };
        let added = Added {
            projects: plan.projects[qi][zi],
            platforms: plan.platforms[qi][zi],
            residents: plan.residents[qi][zi],
        };
        let window = (period.start(), period.end());
        let quarter = sample_quarter(
            &mut sample,
            (qi, period, window),
            added,
            share,
            (&universities, &mut names),
            &mut cumulative,
            rng,
        );
        sample.quarters.push(quarter);
    }
    Ok(sample)
}

/// Industry directions for the zones the sample has no flavour for (示例).
const DIRECTIONS: &[&str] = &[
    "智能制造与工业软件",
    "新材料与绿色化工",
    "生物医药与医疗器械",
    "新能源与储能",
    "电子信息与集成电路",
    "高端装备与机器人",
    "节能环保与资源循环",
    "现代农业与食品科技",
    "汽车零部件与新能源汽车",
    "数字经济与软件服务",
];

/// Registry universities in each 设区市: the universities a zone with no
/// confirmed pair and no flavour in [`ZONES`] works with (nearby; no pair
/// is implied, and none is written).
const CITY_UNIVERSITIES: &[(&str, &[&str])] = &[
    (
        "南京市",
        &[
            "南京理工大学",
            "南京邮电大学",
            "南京工程学院",
            "南京林业大学",
            "金陵科技学院",
        ],
    ),
    ("无锡市", &["江南大学"]),
    ("徐州市", &["中国矿业大学", "江苏师范大学", "徐州工程学院"]),
    ("常州市", &["常州大学", "常州工学院", "江苏理工学院"]),
    ("苏州市", &["苏州大学", "苏州科技大学", "常熟理工学院"]),
    ("南通市", &["南通大学"]),
    ("连云港市", &["江苏海洋大学"]),
    ("淮安市", &["淮阴工学院", "淮阴师范学院"]),
    ("盐城市", &["盐城工学院", "盐城师范学院"]),
    ("扬州市", &["扬州大学"]),
    ("镇江市", &["江苏大学", "江苏科技大学"]),
    ("泰州市", &["泰州学院"]),
    ("宿迁市", &["宿迁学院"]),
];

/// A zone the sample has no flavour for (a later cohort's, or one added to
/// the registry): its own draws from its cohort's entry quarter on, so its
/// first 累计值 is that quarter's flow; smaller than a pilot at first,
/// growing to its size over a year; dated within its cohort. `None` when it
/// joins after the last quarter.
fn joining_zone(config: &Config, zone: &Zone, periods: &[Period]) -> Option<ZoneSample> {
    let entry = config.calendar.entry_quarter(zone.cohort);
    let first = periods.iter().position(|p| *p >= entry)?;
    let joined = config.calendar.cohort(zone.cohort).start;
    let mut rng = Rng(SEED ^ code_seed(zone.code.as_str()));
    // Its size against an average pilot's.
    let size = rng.range(0.35, 0.75);
    let mut sample = ZoneSample {
        code: zone.code.to_string(),
        short: short_name(&zone.name),
        direction: rng.pick(DIRECTIONS).to_string(),
        projects: Vec::new(),
        platforms: Vec::new(),
        quarters: Vec::new(),
    };
    let universities = nearby_universities(config, zone, &mut rng);
    let pilots = ZONES.len() as f64;
    let mut names = std::collections::BTreeSet::new();
    let mut cumulative: BTreeMap<String, f64> = BTreeMap::new();
    for (qi, &period) in periods.iter().enumerate().skip(first) {
        let age = qi - first;
        let grown = size * (0.5 + 0.25 * age as f64).min(1.0);
        let added = Added {
            projects: match age {
                0 => (size * 8.0).round() as i64,
                _ => some(grown * new_projects(qi) as f64 / pilots, &mut rng),
            },
            platforms: some(grown * new_platforms(qi) as f64 / pilots, &mut rng),
            residents: (grown * 0.6 * residents(qi) as f64 / pilots).round() as i64,
        };
        let window = (period.start().max(joined), period.end());
        let quarter = sample_quarter(
            &mut sample,
            (qi, period, window),
            added,
            grown / pilots,
            (&universities, &mut names),
            &mut cumulative,
            &mut rng,
        );
        sample.quarters.push(quarter);
    }
    add_own_funding(&mut sample, size);
    Some(sample)
}

/// About `expected` (a whole number drawn around it).
fn some(expected: f64, rng: &mut Rng) -> i64 {
    let whole = expected.floor();
    whole as i64 + i64::from(rng.range(0.0, 1.0) < expected - whole)
}

/// A zone's own stream of draws, from its code (FNV-1a): the same whatever
/// else the registry holds.
fn code_seed(code: &str) -> u64 {
    code.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// 示例01高新区 → 示例01.
fn short_name(name: &str) -> String {
    let short = name
        .trim_end_matches("高新技术产业开发区")
        .trim_end_matches("高新区");
    if short.is_empty() { name } else { short }.to_string()
}

/// The zone's confirmed partners, else one to three registry universities
/// of its 设区市 ([`CITY_UNIVERSITIES`]), else of the registry.
fn nearby_universities(config: &Config, zone: &Zone, rng: &mut Rng) -> Vec<String> {
    let paired = config.registry.paired_universities(&zone.name);
    if !paired.is_empty() {
        return paired.iter().map(|s| s.to_string()).collect();
    }
    let known = |u: &&str| config.registry.university_by_text(u).is_some();
    let mut nearby: Vec<&str> = CITY_UNIVERSITIES
        .iter()
        .filter(|c| c.0 == zone.city)
        .flat_map(|c| c.1.iter().copied())
        .filter(known)
        .collect();
    if nearby.is_empty() {
        nearby = config
            .registry
            .universities
            .iter()
            .map(|u| u.name.as_str())
            .take(3)
            .collect();
    }
    let from = rng.below(nearby.len());
    let n = 1 + rng.below(nearby.len().min(3));
    (0..n)
        .map(|i| nearby[(from + i) % nearby.len()].to_string())
        .collect()
}

/// 合作经费投入 of a joining zone: what reaches its projects plus other
/// cooperation funding growing with its age.
fn add_own_funding(zone: &mut ZoneSample, size: f64) {
    let mut before = 0.0;
    for (age, q) in zone.quarters.iter_mut().enumerate() {
        let extra = (size * 1500.0 * (0.45 + 0.35 * age as f64)).round();
        let sg05 = q.cumulative["SG05"] + extra;
        q.cumulative.insert("SG05".into(), sg05);
        q.new.insert("SG05".into(), sg05 - before);
        before = sg05;
    }
}

/// What a zone adds in a quarter: projects and platforms listed, and its
/// 常驻园区师生 at the quarter's end (a stock).
struct Added {
    projects: i64,
    platforms: i64,
    residents: i64,
}

/// One quarter of a zone: its new projects and platforms (dated within
/// `window`), its flows at `share` of the province's, its figures.
fn sample_quarter(
    sample: &mut ZoneSample,
    (qi, period, window): (usize, Period, (NaiveDate, NaiveDate)),
    added: Added,
    share: f64,
    (universities, names): (&[String], &mut std::collections::BTreeSet<String>),
    cumulative: &mut BTreeMap<String, f64>,
    rng: &mut Rng,
) -> ZoneQuarter {
    for _ in 0..added.projects {
        let project = new_project(sample, qi, window, universities, names, rng);
        sample.projects.push(project);
    }
    for _ in 0..added.platforms {
        let platform = new_platform(sample, window, universities, names, rng);
        sample.platforms.push(platform);
    }
    let new = flows(&sample.code, share, sample, cumulative, rng);
    for (code, v) in &new {
        *cumulative.entry(code.clone()).or_default() += v;
    }
    let mut quarter = ZoneQuarter {
        index: qi,
        period,
        cumulative: BTreeMap::new(),
        new,
        projects: sample.projects.len(),
        platforms: sample.platforms.len(),
        fill_date: period.end(),
    };
    settle_listed(&mut quarter, cumulative, sample, &added);
    quarter.fill_date = period.end() + chrono::Days::new(5 + rng.below(8) as u64);
    quarter.cumulative = cumulative.clone();
    quarter
}

/// The figures the lists decide: SG01 and SG02 count them, SG05 is what the
/// listed projects received; SG03 is the plan's head count (a stock).
fn settle_listed(
    quarter: &mut ZoneQuarter,
    cumulative: &mut BTreeMap<String, f64>,
    sample: &ZoneSample,
    added: &Added,
) {
    let listed = [
        ("SG01", sample.projects.len(), added.projects),
        ("SG02", sample.platforms.len(), added.platforms),
    ];
    for (code, total, added) in listed {
        cumulative.insert(code.into(), total as f64);
        quarter.new.insert(code.into(), added as f64);
    }
    let sg03_before = cumulative.get("SG03").copied().unwrap_or(0.0);
    cumulative.insert("SG03".into(), added.residents as f64);
    quarter
        .new
        .insert("SG03".into(), added.residents as f64 - sg03_before);
    let funded: f64 = sample.listed(quarter).iter().map(|p| p.1).sum();
    cumulative.insert("SG05".into(), funded);
}

/// A project first listed in quarter `qi`, started within `window`.
fn new_project(
    zone: &ZoneSample,
    qi: usize,
    (from, to): (NaiveDate, NaiveDate),
    universities: &[String],
    names: &mut std::collections::BTreeSet<String>,
    rng: &mut Rng,
) -> Project {
    let (short, direction) = (zone.short.as_str(), zone.direction.as_str());
    let days = (to - from).num_days();
    let name = unique_name(names, |attempt| {
        let n = format!(
            "{}{}{}{}",
            rng.pick(TECH),
            direction_word(direction, rng),
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
    let mut unis = vec![rng.pick(universities).clone()];
    if universities.len() > 1 && rng.below(6) == 0 {
        let other = rng.pick(universities).clone();
        if other != unis[0] {
            unis.push(other);
        }
    }
    Project {
        name,
        universities: unis,
        enterprise: format!("{}{}{}", short, rng.pick(FIRM_WORDS), rng.pick(FIRM_KIND)),
        field: direction
            .split('与')
            .next()
            .unwrap_or(direction)
            .to_string(),
        category,
        start: from + chrono::Days::new(rng.below(days as usize) as u64),
        contract,
        benchmark: category != "一般项目" && rng.below(3) == 0,
        born: qi,
    }
}

/// A platform built within `window`.
fn new_platform(
    zone: &ZoneSample,
    (from, to): (NaiveDate, NaiveDate),
    universities: &[String],
    names: &mut std::collections::BTreeSet<String>,
    rng: &mut Rng,
) -> Platform {
    let (short, direction) = (zone.short.as_str(), zone.direction.as_str());
    let days = (to - from).num_days();
    let kind = *rng.pick(PLATFORM_TYPES);
    let uni = rng.pick(universities).clone();
    let base = uni
        .trim_end_matches("大学")
        .trim_end_matches("学院")
        .to_string();
    let name = unique_name(names, |attempt| {
        let n = format!("{short}{}{}{}", base, direction_word(direction, rng), kind);
        if attempt > 8 {
            format!("{n}（{}）", attempt)
        } else {
            n
        }
    });
    Platform {
        name,
        kind,
        level: PLATFORM_LEVELS[rng.below(PLATFORM_LEVELS.len())],
        universities: vec![uni],
        built: from + chrono::Days::new(rng.below(days as usize) as u64),
        area: (rng.range(300.0, 3000.0) / 10.0).round() * 10.0,
        investment: (rng.range(100.0, 1500.0) / 10.0).round() * 10.0,
    }
}

/// The quarter's flows of the indicators not counted from the lists.
fn flows(
    zone: &str,
    share: f64,
    sample: &ZoneSample,
    cumulative: &BTreeMap<String, f64>,
    rng: &mut Rng,
) -> BTreeMap<String, f64> {
    let mut new: BTreeMap<String, f64> = BTreeMap::new();
    for &(code, total) in FLOWS {
        let wobble = rng.range(0.85, 1.15);
        let boost = match code {
            _ if zone != "XZ" => 1.0,
            c => XUZHOU_BOOST.iter().find(|b| b.0 == c).map_or(1.0, |b| b.1),
        };
        let v = (total * share * wobble * boost).round().max(1.0);
        new.insert(code.into(), v);
    }
    let sg12 = new["SG12"];
    new.insert("SG13".into(), (sg12 * rng.range(0.5, 0.7)).round());
    let unions = sample
        .platforms
        .iter()
        .filter(|p| p.kind == "创新联合体")
        .count() as f64;
    let sg16_before = cumulative.get("SG16").copied().unwrap_or(0.0);
    let sg16 = unions.max(sg16_before) + if rng.below(3) == 0 { 1.0 } else { 0.0 };
    new.insert("SG16".into(), sg16 - sg16_before);
    new
}

/// 合作经费投入 = funds reaching the projects + other cooperation funding;
/// the other funding is set so that 2025Q4 adds up to exactly 75,000 万元.
fn add_other_funding(zones: &mut [ZoneSample], weights: &[f64]) {
    let funded_2025q4: f64 = zones
        .iter()
        .filter_map(|z| z.quarters.get(1))
        .map(|q| q.cumulative["SG05"])
        .sum();
    let extra_2025q4 = allocate(FUNDING_2025Q4 - funded_2025q4 as i64, weights);
    for (zi, zone) in zones.iter_mut().enumerate() {
        let mut before = 0.0;
        for q in zone.quarters.iter_mut() {
            let extra = (extra_2025q4[zi] as f64 * funding_ramp(q.index)).round();
            let sg05 = q.cumulative["SG05"] + extra;
            q.cumulative.insert("SG05".into(), sg05);
            q.new.insert("SG05".into(), sg05 - before);
            before = sg05;
        }
    }
}

/// What happened once and stays in the figures from its quarter (index)
/// on: 扬州高新区's 2026Q3 technology-demand fair published 90 enterprise
/// demands (SG09), which its return explains (X08, [`super::SAMPLE_2026Q3_DEFECTS`]).
const EVENTS: &[(&str, usize, &str, f64)] = &[("YZ", 4, "SG09", 90.0)];

fn add_events(zones: &mut [ZoneSample]) {
    for &(code, at, indicator, amount) in EVENTS {
        let Some(zone) = zones.iter_mut().find(|z| z.code == code) else {
            continue;
        };
        for q in zone.quarters.iter_mut().filter(|q| q.index >= at) {
            *q.cumulative.entry(indicator.into()).or_default() += amount;
            if q.index == at {
                *q.new.entry(indicator.into()).or_default() += amount;
            }
        }
    }
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
        use crate::format::group_thousands;
        assert_eq!(group_thousands(1200.0), "1,200");
        assert_eq!(group_thousands(95.0), "95");
        assert_eq!(group_thousands(1234567.5), "1,234,567.5");
        assert_eq!(group_thousands(-20737.0), "-20,737");
    }
}
