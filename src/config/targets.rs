//! `targets.toml`: the 2027 targets (docs/return-form.md §8).

use serde::Deserialize;

use super::{Form, Indicators, Registry};
use crate::model::Period;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScopeKind {
    Province,
    City,
    Zone,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    /// The 累计值 must reach `target` by the due date.
    Cumulative,
    /// The flow over the four quarters ending at the due date must reach
    /// `factor × baseline`.
    Annual,
    /// A count that a decision brings about at once (zones taking part join
    /// by the province's cohort, not quarter by quarter): met or not at the
    /// due date, never projected or paced.
    Milestone,
}

impl TargetKind {
    pub fn label_zh(self) -> &'static str {
        match self {
            TargetKind::Cumulative => "累计",
            TargetKind::Annual => "年度",
            TargetKind::Milestone => "节点",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub id: String,
    pub name: String,
    pub scope: ScopeKind,
    pub city: Option<String>,
    pub zone: Option<String>,
    pub metric: String,
    pub kind: TargetKind,
    pub target: Option<f64>,
    pub factor: Option<f64>,
    pub baseline: Option<f64>,
    pub baseline_year: Option<i32>,
    #[serde(default)]
    pub baseline_is_sample: bool,
    pub due: Period,
    /// The cohorts (registry `cohort` years) whose zones the target covers;
    /// empty: every zone of its scope (docs/return-form.md §8.1).
    #[serde(default)]
    pub cohorts: Vec<i32>,
    #[serde(default)]
    pub source: String,
}

impl Target {
    /// The number to reach: `target`, or `factor × baseline` for annual targets.
    pub fn goal(&self) -> f64 {
        match self.kind {
            TargetKind::Cumulative | TargetKind::Milestone => self.target.unwrap_or_default(),
            TargetKind::Annual => {
                self.factor.unwrap_or_default() * self.baseline.unwrap_or_default()
            }
        }
    }
}

/// How projections to the due date are made (`[projection]` in
/// targets.toml; docs/return-form.md §8.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectionSettings {
    /// The pace is the median quarterly flow of this many latest quarters:
    /// launch quarters this far back are out of the window, and a single
    /// exceptional quarter inside it does not set the pace.
    #[serde(default = "default_recent_quarters")]
    pub recent_quarters: usize,
}

/// The spec's default: the last four quarters.
fn default_recent_quarters() -> usize {
    4
}

impl Default for ProjectionSettings {
    fn default() -> Self {
        ProjectionSettings {
            recent_quarters: default_recent_quarters(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// Without a `[projection]` table, the last four quarters.
    #[serde(default)]
    pub projection: ProjectionSettings,
    pub target: Vec<Target>,
}

impl Targets {
    pub(super) fn check(
        &self,
        registry: &Registry,
        indicators: &Indicators,
        form: &Form,
    ) -> Result<(), String> {
        // One quarter's flow is too noisy a pace, and a single quarter of
        // data is projected in proportion to time instead.
        if self.projection.recent_quarters < 2 {
            return Err("[projection] recent_quarters 须为不小于 2 的整数".to_string());
        }
        let mut ids = std::collections::HashSet::new();
        for t in &self.target {
            let id = &t.id;
            if !ids.insert(id) {
                return Err(format!("目标编号 {id} 重复"));
            }
            match t.scope {
                ScopeKind::Province => {}
                ScopeKind::City => {
                    let city = t.city.as_deref().unwrap_or_default();
                    if !registry.zones.iter().any(|z| z.city == city) {
                        return Err(format!(
                            "目标 {id}：scope = \"city\" 须写 city，且为名单中的设区市"
                        ));
                    }
                }
                ScopeKind::Zone => {
                    let zone = t.zone.as_deref().unwrap_or_default();
                    if registry.zone_by_text(zone).is_none() {
                        return Err(format!(
                            "目标 {id}：scope = \"zone\" 须写 zone，且为名单中的高新区"
                        ));
                    }
                }
            }
            let metric_ok = if let Some(category) = t.metric.strip_prefix("projects:") {
                form.enumeration("project_category")
                    .is_some_and(|e| e.values.iter().any(|v| v == category))
            } else {
                t.metric == "zones_reporting" || indicators.get(&t.metric).is_some()
            };
            if !metric_ok {
                return Err(format!(
                    "目标 {id}：metric “{}” 应为指标代码、zones_reporting 或 projects:<项目类别>",
                    t.metric
                ));
            }
            match t.kind {
                TargetKind::Cumulative | TargetKind::Milestone if t.target.is_none() => {
                    return Err(format!("目标 {id}：cumulative、milestone 目标须写 target"))
                }
                TargetKind::Annual if t.factor.is_none() || t.baseline.is_none() => {
                    return Err(format!("目标 {id}：annual 目标须写 factor 和 baseline"))
                }
                TargetKind::Annual if indicators.get(&t.metric).is_none() => {
                    return Err(format!("目标 {id}：annual 目标的 metric 须为指标代码"))
                }
                _ => {}
            }
        }
        Ok(())
    }
}
