//! `review.toml`: the parameters of the 核查优先清单 score (selective
//! editing; docs/review.md). Every key has a default, so an empty file (or
//! a table left out) gives the documented method.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::Indicators;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    #[serde(default)]
    pub hb: HbSettings,
    #[serde(default)]
    pub own: OwnSettings,
    #[serde(default)]
    pub min_deviation: MinDeviation,
    #[serde(default)]
    pub weights: Weights,
    #[serde(default)]
    pub impact: ImpactSettings,
    #[serde(default)]
    pub output: OutputSettings,
}

/// Hidiroglou–Berthelot bounds on the zones' period-to-period ratios.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HbSettings {
    /// U: the size exponent (0 ignores size, 1 scales in proportion).
    pub size_exponent: f64,
    /// A: the least quartile distance, as a share of the median effect (or
    /// of the median size^U, when the effects bunch at 0).
    pub min_spread: f64,
    /// C: how many quartile distances the bounds lie from the median.
    pub width: f64,
    /// Fewer zones with ratios than this: no bounds.
    pub min_zones: usize,
}

impl Default for HbSettings {
    fn default() -> Self {
        HbSettings {
            size_exponent: 0.5,
            min_spread: 0.05,
            width: 4.0,
            min_zones: 4,
        }
    }
}

/// The zone's own history: its measured flows (docs/review.md §2).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OwnSettings {
    /// A flow this many times the usual one (or as many times smaller) scores 1.
    pub factor: f64,
    /// The usual flow is the median of this many recent measured flows.
    pub quarters: usize,
    /// With fewer measured flows than this, the zone has no usable own
    /// history and the cross-section alone judges its value.
    pub min_quarters: usize,
}

impl Default for OwnSettings {
    fn default() -> Self {
        OwnSettings {
            factor: 3.0,
            quarters: 4,
            min_quarters: 2,
        }
    }
}

/// The least |value − expected| (in the unit the return is written in)
/// before a part of the suspicion counts: a +1 on a small count is never
/// suspicious, however large a ratio it makes.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MinDeviation {
    /// Amounts (万元), and the project list's totals.
    pub amount: f64,
    /// Counts (个, 项, 件, 人, 家 …).
    pub count: f64,
    /// By indicator code (or `projects.contract`, `projects.funded`):
    /// overrides the default of its unit.
    pub by_indicator: BTreeMap<String, f64>,
}

impl Default for MinDeviation {
    fn default() -> Self {
        MinDeviation {
            amount: 50.0,
            count: 3.0,
            by_indicator: BTreeMap::new(),
        }
    }
}

impl MinDeviation {
    /// The least deviation of a measure (`key`: indicator code or list
    /// total) written in money (`amount`) or as a count.
    pub fn of(&self, key: &str, amount: bool) -> f64 {
        match self.by_indicator.get(key) {
            Some(v) => *v,
            None if amount => self.amount,
            None => self.count,
        }
    }
}

/// How the parts of the suspicion add up.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    pub own_history: f64,
    pub cross_section: f64,
    pub open_warning: f64,
    pub explained_warning: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            own_history: 1.0,
            cross_section: 1.0,
            open_warning: 1.0,
            explained_warning: 0.25,
        }
    }
}

/// What raises the impact beyond the share of the province total.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImpactSettings {
    pub target_flip: f64,
    pub rank_flip: f64,
}

impl Default for ImpactSettings {
    fn default() -> Self {
        ImpactSettings {
            target_flip: 1.0,
            rank_flip: 0.5,
        }
    }
}

/// How much of the list is shown, and what goes to the zones.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutputSettings {
    pub top: usize,
    pub feedback_top: usize,
    pub feedback_min_score: f64,
}

impl Default for OutputSettings {
    fn default() -> Self {
        OutputSettings {
            top: 30,
            feedback_top: 20,
            feedback_min_score: 1.0,
        }
    }
}

/// The keys of the list totals scored beside the indicators.
pub const LIST_TOTALS: [&str; 2] = ["projects.contract", "projects.funded"];

impl Review {
    pub(super) fn check(&self, indicators: &Indicators) -> Result<(), String> {
        self.check_values()?;
        for key in self.min_deviation.by_indicator.keys() {
            if indicators.get(key).is_none() && !LIST_TOTALS.contains(&key.as_str()) {
                return Err(format!(
                    "[min_deviation.by_indicator] 中的 {key} 不是指标代码（也不是 {}）",
                    LIST_TOTALS.join("、")
                ));
            }
        }
        Ok(())
    }

    fn check_values(&self) -> Result<(), String> {
        let hb = &self.hb;
        if !(0.0..=1.0).contains(&hb.size_exponent) {
            return Err("[hb] size_exponent 须在 0 到 1 之间".into());
        }
        if !(hb.min_spread > 0.0 && hb.min_spread.is_finite()) {
            return Err("[hb] min_spread 须为正数".into());
        }
        if !(hb.width > 0.0 && hb.width.is_finite()) {
            return Err("[hb] width 须为正数".into());
        }
        if hb.min_zones < 3 {
            return Err("[hb] min_zones 须不小于 3（四分位数至少需要 3 个高新区）".into());
        }
        if !(self.own.factor > 1.0 && self.own.factor.is_finite()) {
            return Err("[own] factor 须大于 1".into());
        }
        if self.own.quarters == 0 {
            return Err("[own] quarters 须不小于 1".into());
        }
        if self.own.min_quarters == 0 || self.own.min_quarters > self.own.quarters {
            return Err("[own] min_quarters 须不小于 1，且不大于 quarters".into());
        }
        let w = &self.weights;
        let i = &self.impact;
        let all = [
            ("[weights] own_history", w.own_history),
            ("[weights] cross_section", w.cross_section),
            ("[weights] open_warning", w.open_warning),
            ("[weights] explained_warning", w.explained_warning),
            ("[impact] target_flip", i.target_flip),
            ("[impact] rank_flip", i.rank_flip),
            (
                "[output] feedback_min_score",
                self.output.feedback_min_score,
            ),
            ("[min_deviation] amount", self.min_deviation.amount),
            ("[min_deviation] count", self.min_deviation.count),
        ];
        for (name, v) in all {
            if !(v >= 0.0 && v.is_finite()) {
                return Err(format!("{name} 须为不小于 0 的数"));
            }
        }
        for (code, v) in &self.min_deviation.by_indicator {
            if !(*v >= 0.0 && v.is_finite()) {
                return Err(format!(
                    "[min_deviation.by_indicator] {code} 须为不小于 0 的数"
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_is_the_documented_method() {
        let r: Review = toml::from_str("").unwrap();
        assert_eq!(r, Review::default());
        assert_eq!(r.hb.size_exponent, 0.5);
        assert!(r.check_values().is_ok());
        assert_eq!(r.min_deviation.of("SG16", false), 3.0);
        assert_eq!(r.min_deviation.of("SG05", true), 50.0);
    }

    #[test]
    fn out_of_range_parameters_are_refused() {
        let r: Review = toml::from_str("[hb]\nsize_exponent = 2.0").unwrap();
        assert!(r.check_values().unwrap_err().contains("size_exponent"));
        let r: Review = toml::from_str("[own]\nfactor = 1.0").unwrap();
        assert!(r.check_values().unwrap_err().contains("factor"));
        let r: Review = toml::from_str("[own]\nmin_quarters = 5").unwrap();
        assert!(r.check_values().unwrap_err().contains("min_quarters"));
        let r: Review = toml::from_str("[min_deviation]\ncount = -1").unwrap();
        assert!(r.check_values().unwrap_err().contains("count"));
        assert!(toml::from_str::<Review>("[hb]\nwidht = 3.0").is_err());
    }
}
