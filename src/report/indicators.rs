//! The indicator catalogue as the outputs need it: names, units, roles and
//! how large figures are shown (indicators.toml).

use serde::Serialize;

use crate::config::Config;
pub use crate::config::{DisplayUnit, Role};
use crate::format::Scale;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorInfo {
    pub code: String,
    pub name: String,
    pub unit: String,
    /// A stock (level at quarter end): its flows are changes of level (增减).
    pub stock: bool,
    /// For file names (zone charts).
    pub short_name: Option<String>,
    #[serde(skip)]
    pub roles: Vec<Role>,
    /// How leaders see its figures when they are large (万元 as 亿元).
    #[serde(skip)]
    pub display: Option<DisplayUnit>,
}

impl IndicatorInfo {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Counted in money (万元), so shown with decimals where they occur.
    pub fn is_amount(&self) -> bool {
        crate::format::is_money(&self.unit)
    }

    /// How its figures are shown to readers, everywhere (万元 as 亿元).
    pub fn scale(&self) -> Scale {
        self.display
            .as_ref()
            .map_or_else(|| Scale::as_written(&self.unit), Scale::display)
    }

    /// `名称（单位）` in the unit readers see.
    pub fn label_with_unit(&self) -> String {
        crate::format::with_unit(&self.name, &self.scale().unit)
    }
}

impl super::Report {
    /// How a measure's figures are shown: an indicator's scale, or as
    /// written for a measure that is not an indicator (a count of list rows).
    pub fn scale_of(&self, metric: &str, unit: &str) -> Scale {
        self.indicator(metric)
            .map_or_else(|| Scale::as_written(unit), IndicatorInfo::scale)
    }
}

/// Every indicator, in catalogue order.
pub fn catalogue(config: &Config) -> Vec<IndicatorInfo> {
    config
        .indicators
        .all
        .iter()
        .map(|i| IndicatorInfo {
            code: i.code.clone(),
            name: i.name.clone(),
            unit: i.unit.clone(),
            stock: i.kind == crate::config::IndicatorKind::Stock,
            short_name: i.short_name.clone(),
            roles: i.roles.clone(),
            display: config.indicators.display.get(&i.unit).cloned(),
        })
        .collect()
}
