//! `indicators.toml`: the 核心指标 catalogue.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IndicatorKind {
    /// 累计值 is the total since the pilot began.
    Flow,
    /// 累计值 is the level at quarter end.
    Stock,
}

/// Where the report shows an indicator beyond its tables (so no renderer
/// names an indicator code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A headline figure: the brief's figure tiles, the terminal summary,
    /// and 分区 with last quarter and the change.
    Headline,
    /// A key indicator: the trend chart with its projection, 分市 with last
    /// quarter and the change, the workbook's trend charts.
    Trend,
    /// Orders the zones (排名 on 分区); one indicator at most.
    Rank,
    /// Gets a chart of the zones ranked by it (needs `short_name`).
    ZoneChart,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub kind: IndicatorKind,
    #[serde(default)]
    pub ties: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub roles: Vec<Role>,
    /// A word for file names (a chart of the zones by this indicator is
    /// `图N_分区<short_name>`).
    #[serde(default)]
    pub short_name: Option<String>,
}

/// How figures of indicators written in a unit are shown to readers: 万元
/// as 亿元, in every output people read (brief, charts, the workbook, the
/// terminal summary); leaders' documents round to `decimals`, the
/// workbook's tables keep every 万元 (docs/return-form.md §1.2). Data files
/// and the clerks' own forms keep the unit written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisplayUnit {
    pub unit: String,
    pub divisor: f64,
    pub decimals: usize,
}

impl Indicator {
    /// 万元 figures may carry decimals; every other unit counts things.
    pub fn is_amount(&self) -> bool {
        self.unit == "万元"
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorsFile {
    indicator: Vec<Indicator>,
    /// By the unit figures are written in.
    #[serde(default)]
    display: std::collections::BTreeMap<String, DisplayUnit>,
}

#[derive(Debug, Clone)]
pub struct Indicators {
    pub all: Vec<Indicator>,
    pub display: std::collections::BTreeMap<String, DisplayUnit>,
}

/// Indicators the cross-checks (X01–X09) and the report refer to by code.
const REFERENCED: [&str; 6] = ["SG01", "SG02", "SG05", "SG12", "SG13", "SG16"];

impl Indicators {
    pub(super) fn new(file: IndicatorsFile) -> Result<Indicators, String> {
        let mut seen = std::collections::HashSet::new();
        for i in &file.indicator {
            if !seen.insert(i.code.as_str()) {
                return Err(format!("指标代码 {} 重复", i.code));
            }
        }
        for code in REFERENCED {
            if !seen.contains(code) {
                return Err(format!("缺少指标 {code}（校验规则要用到）"));
            }
        }
        check_roles(&file.indicator)?;
        for (unit, d) in &file.display {
            if d.divisor.is_nan() || d.divisor <= 0.0 || d.decimals > 6 {
                return Err(format!(
                    "单位 {unit} 的显示方式：divisor 应大于 0，decimals 不超过 6"
                ));
            }
        }
        Ok(Indicators {
            all: file.indicator,
            display: file.display,
        })
    }

    /// The indicators with a role, in catalogue order.
    pub fn with_role(&self, role: Role) -> impl Iterator<Item = &Indicator> {
        self.all.iter().filter(move |i| i.roles.contains(&role))
    }

    pub fn get(&self, code: &str) -> Option<&Indicator> {
        self.all.iter().find(|i| i.code == code)
    }

    /// `SG01–SG16`, for messages.
    pub fn code_range(&self) -> String {
        match (self.all.first(), self.all.last()) {
            (Some(a), Some(b)) => format!("{}–{}", a.code, b.code),
            _ => String::new(),
        }
    }
}

/// At most one indicator ranks the zones; a zone chart needs a short name.
fn check_roles(all: &[Indicator]) -> Result<(), String> {
    if all.iter().filter(|i| i.roles.contains(&Role::Rank)).count() > 1 {
        return Err("只能有一个指标带 rank（用于高新区排名）".into());
    }
    for i in all {
        let short = i.short_name.as_deref().unwrap_or_default().trim();
        if i.roles.contains(&Role::ZoneChart) && short.is_empty() {
            return Err(format!("指标 {} 带 zone_chart，须写 short_name", i.code));
        }
    }
    Ok(())
}
