//! `brief.toml`: the masthead and distribution of the leaders' brief and the
//! wording rules of its generated text (docs/brief.md). Every key has a
//! default, so a configuration without the file still makes a brief.

use serde::Deserialize;

use crate::model::Period;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Brief {
    pub masthead: Masthead,
    pub distribution: Distribution,
    pub wording: Wording,
    #[serde(default)]
    pub comparison: ComparisonRules,
}

/// The red-headed title block of a 工作简报.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Masthead {
    pub title: String,
    pub issuer: String,
    /// The quarter of issue `first_number`; each later quarter is one more.
    pub first_period: Option<Period>,
    pub first_number: u32,
}

impl Default for Masthead {
    fn default() -> Masthead {
        Masthead {
            title: "双高协同试点工作简报".into(),
            issuer: "省科技厅".into(),
            first_period: None,
            first_number: 1,
        }
    }
}

impl Masthead {
    /// The issue number of a quarter's brief (第 N 期); issues count from
    /// `first_period`, or from the pilot's first quarter without one.
    pub fn issue(&self, period: Period, pilot_first: Period) -> u32 {
        let first = self.first_period.unwrap_or(pilot_first);
        let since = first.quarters_until(period).max(0) as u32;
        self.first_number + since
    }
}

/// 报送 and 抄送.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Distribution {
    pub submit: Vec<String>,
    pub copy: Vec<String>,
}

impl Default for Distribution {
    fn default() -> Distribution {
        Distribution {
            submit: vec!["厅领导".into()],
            copy: vec!["各设区市科技局".into(), "各试点高新区".into()],
        }
    }
}

/// When a change is called 大幅增长 or 基本持平, and how much a sentence names.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Wording {
    pub significant: f64,
    pub flat: f64,
    pub zones_named: usize,
    pub cities_named: usize,
    pub targets_named: usize,
}

impl Default for Wording {
    fn default() -> Wording {
        Wording {
            significant: 0.30,
            flat: 0.05,
            zones_named: 3,
            cities_named: 3,
            targets_named: 3,
        }
    }
}

/// `[comparison]`: below what base a growth rate is not given
/// (docs/brief.md §2.3): a rate of a small base misleads (3 → 4 is
/// "增长33.3%"), so the outputs give both numbers instead.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ComparisonRules {
    /// Least base of a count (个, 家, 人 …).
    pub min_base: f64,
    /// Least base of an amount, in the unit it is written in (万元).
    pub min_base_money: f64,
}

impl Default for ComparisonRules {
    fn default() -> ComparisonRules {
        ComparisonRules {
            min_base: 10.0,
            min_base_money: 100.0,
        }
    }
}

impl ComparisonRules {
    /// The least base for a figure in `unit`.
    pub fn min_base(&self, unit: &str) -> f64 {
        if crate::format::is_money(unit) {
            self.min_base_money
        } else {
            self.min_base
        }
    }
}

impl Brief {
    pub(super) fn check(&self) -> Result<(), String> {
        let w = &self.wording;
        if !(0.0..1.0).contains(&w.flat) || w.significant <= w.flat {
            return Err(format!(
                "[wording] 中 flat（{}）应在 0 与 1 之间，significant（{}）应大于 flat",
                w.flat, w.significant
            ));
        }
        if w.zones_named == 0 || w.cities_named == 0 || w.targets_named == 0 {
            return Err("[wording] 中 zones_named、cities_named、targets_named 应至少为 1".into());
        }
        let c = &self.comparison;
        if !(c.min_base >= 0.0 && c.min_base_money >= 0.0) {
            return Err("[comparison] 中 min_base、min_base_money 不能为负数".into());
        }
        if self.masthead.title.trim().is_empty() {
            return Err("[masthead] 中 title 不能为空".into());
        }
        Ok(())
    }
}
