//! `scorecard.toml`: the zones' composite index, 综合评价 (docs/scorecard.md):
//! its components (an indicator, a measure, a direction, a weight), how each
//! is normalised, which zones take part, and how zones carried forward or
//! without data are treated.

use serde::{Deserialize, Serialize};

use super::{Indicators, Registry};
use crate::model::ZoneCode;

/// How a component's values become a share `s` in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalise {
    /// s = min(value ÷ mean, cap) ÷ cap, the mean over the zones scored.
    RatioToMean,
    /// s = (value − min) ÷ (max − min) over the zones scored.
    MinMax,
}

impl Normalise {
    /// The method in words, for the method note.
    pub fn label_zh(self) -> &'static str {
        match self {
            Normalise::RatioToMean => "与参评高新区均值之比",
            Normalise::MinMax => "极差标准化",
        }
    }
}

/// Which figure of an indicator a component uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// 累计值 (a stock indicator's level at quarter end).
    Cumulative,
    /// 本季新增 (a stock's 本季增减): the quarter's own flow.
    Quarter,
}

impl Measure {
    /// The measure's label as the tables name it.
    pub fn label_zh(self, stock: bool) -> &'static str {
        match (self, stock) {
            (Measure::Cumulative, false) => "累计值",
            (Measure::Cumulative, true) => "季末数",
            (Measure::Quarter, false) => "本季新增",
            (Measure::Quarter, true) => "本季增减",
        }
    }
}

/// Whether more of a component is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Higher,
    Lower,
}

impl Direction {
    pub fn label_zh(self) -> &'static str {
        match self {
            Direction::Higher => "正向",
            Direction::Lower => "逆向",
        }
    }
}

/// What happens to a zone without data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoDataRule {
    /// Listed and marked, not ranked.
    Unranked,
    /// Ranked after every scored zone, all such zones sharing that rank.
    Last,
}

/// `zones = "all"` or a list of zone names or codes.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum ZonesFile {
    Word(String),
    List(Vec<String>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct MethodFile {
    normalise: Normalise,
    #[serde(default = "default_cap")]
    cap: f64,
    zones: ZonesFile,
    rank_carried: bool,
    #[serde(default = "default_rank_new")]
    rank_new: bool,
    no_data: NoDataRule,
    #[serde(default)]
    sample_weights: bool,
}

fn default_rank_new() -> bool {
    true
}

fn default_cap() -> f64 {
    2.0
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ComponentFile {
    #[serde(default)]
    group: String,
    indicator: String,
    measure: Measure,
    direction: Direction,
    weight: f64,
    normalise: Option<Normalise>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScorecardFile {
    method: MethodFile,
    component: Vec<ComponentFile>,
}

/// One component of the index, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    /// The heading it is shown under (一级指标); may be empty.
    pub group: String,
    pub indicator: String,
    pub measure: Measure,
    pub direction: Direction,
    pub weight: f64,
    /// Its own method, or the file's.
    pub normalise: Normalise,
}

/// The composite index as configured.
#[derive(Debug, Clone, PartialEq)]
pub struct ScorecardSettings {
    /// The file's method (a component may override it).
    pub normalise: Normalise,
    /// ratio_to_mean: values above `cap` × the mean count as `cap` × it.
    pub cap: f64,
    /// The zones taking part, in registry order.
    pub zones: Vec<ZoneCode>,
    /// Every registry zone takes part (`zones = "all"`).
    pub all_zones: bool,
    pub rank_carried: bool,
    /// A zone in its first quarter in the programme (its cohort joined this
    /// quarter, after the programme's first): scored and ranked (`true`),
    /// or listed as 新 without a score (`false`). Never a change of rank.
    pub rank_new: bool,
    pub no_data: NoDataRule,
    /// The weights are sample values (示例权重), and outputs say so.
    pub sample_weights: bool,
    pub components: Vec<Component>,
}

impl ScorecardSettings {
    pub(super) fn new(
        file: ScorecardFile,
        registry: &Registry,
        indicators: &Indicators,
    ) -> Result<ScorecardSettings, String> {
        let m = &file.method;
        if !m.cap.is_finite() || m.cap <= 1.0 {
            return Err(format!("[method] cap 应为大于 1 的数（现为 {}）", m.cap));
        }
        let (zones, all_zones) = participants(&m.zones, registry)?;
        let components = components(&file, indicators)?;
        Ok(ScorecardSettings {
            normalise: m.normalise,
            cap: m.cap,
            zones,
            all_zones,
            rank_carried: m.rank_carried,
            rank_new: m.rank_new,
            no_data: m.no_data,
            sample_weights: m.sample_weights,
            components,
        })
    }

    /// Σ weights: each weight counts as its share of it.
    pub fn weight_sum(&self) -> f64 {
        self.components.iter().map(|c| c.weight).sum()
    }
}

/// The participating zones in registry order, and whether they are all.
fn participants(zones: &ZonesFile, registry: &Registry) -> Result<(Vec<ZoneCode>, bool), String> {
    let names = match zones {
        ZonesFile::Word(w) if w == "all" => {
            return Ok((
                registry.zones.iter().map(|z| z.code.clone()).collect(),
                true,
            ))
        }
        ZonesFile::Word(w) => {
            return Err(format!(
                "[method] zones 应为 \"all\" 或高新区名单（如 [\"苏州工业园区\"]），不能是“{w}”"
            ))
        }
        ZonesFile::List(names) => names,
    };
    let mut chosen = Vec::new();
    for name in names {
        let zone = registry
            .zone_by_text(name)
            .ok_or_else(|| format!("[method] zones 中的“{name}”不在高新区名录中"))?;
        if chosen.contains(&zone.code) {
            return Err(format!("[method] zones 中“{name}”重复"));
        }
        chosen.push(zone.code.clone());
    }
    if chosen.is_empty() {
        return Err("[method] zones 名单为空".to_string());
    }
    let order = |c: &ZoneCode| registry.zones.iter().position(|z| z.code == *c);
    chosen.sort_by_key(order);
    Ok((chosen, false))
}

/// Every component checked: a known indicator, a positive weight, no
/// indicator and measure twice.
fn components(file: &ScorecardFile, indicators: &Indicators) -> Result<Vec<Component>, String> {
    if file.component.is_empty() {
        return Err("至少需要一个 [[component]]".to_string());
    }
    let mut out: Vec<Component> = Vec::new();
    for (n, c) in (1..).zip(&file.component) {
        if indicators.get(&c.indicator).is_none() {
            return Err(format!(
                "第 {n} 个 [[component]]：indicator “{}” 不是指标代码（应为 {}）",
                c.indicator,
                indicators.code_range()
            ));
        }
        if !c.weight.is_finite() || c.weight <= 0.0 {
            return Err(format!(
                "第 {n} 个 [[component]]（{}）：weight 应为正数（现为 {}）",
                c.indicator, c.weight
            ));
        }
        if out
            .iter()
            .any(|o| o.indicator == c.indicator && o.measure == c.measure)
        {
            return Err(format!(
                "第 {n} 个 [[component]]：指标 {} 的同一口径重复出现",
                c.indicator
            ));
        }
        out.push(Component {
            group: c.group.trim().to_string(),
            indicator: c.indicator.clone(),
            measure: c.measure,
            direction: c.direction,
            weight: c.weight,
            normalise: c.normalise.unwrap_or(file.method.normalise),
        });
    }
    Ok(out)
}
