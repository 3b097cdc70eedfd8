//! The indicator catalogue as the outputs need it: names, units, roles and
//! how large figures are shown (indicators.toml).

use serde::Serialize;

use crate::config::Config;
pub use crate::config::{DisplayUnit, Role};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorInfo {
    pub code: String,
    pub name: String,
    pub unit: String,
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
            short_name: i.short_name.clone(),
            roles: i.roles.clone(),
            display: config.indicators.display.get(&i.unit).cloned(),
        })
        .collect()
}
