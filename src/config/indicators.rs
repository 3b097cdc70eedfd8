//! `indicators.toml`: the 核心指标 catalogue.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IndicatorKind {
    /// 累计值 is the total since the pilot began.
    Flow,
    /// 累计值 is the level at quarter end.
    Stock,
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
}

#[derive(Debug, Clone)]
pub struct Indicators {
    pub all: Vec<Indicator>,
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
        Ok(Indicators {
            all: file.indicator,
        })
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
