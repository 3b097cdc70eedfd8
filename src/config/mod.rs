//! Configuration as data: the registry, the indicator catalogue, the form
//! layout and enumerations, the rule catalogue, the calendar, the targets
//! and the review score's parameters,
//! each a TOML file in `inputs/config/`. Loading checks the files against each
//! other, so a typo is a clear error naming the file, not a panic later.

mod brief;
mod calendar;
mod form;
mod indicators;
mod registry;
mod review;
mod rules;
mod scorecard;
mod targets;

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

pub use brief::{Brief, ComparisonRules, Distribution, Masthead, Wording};
pub use calendar::{Calendar, Cohort, FeedbackSettings, ReviewSettings, Stage};
pub use form::{
    Enumeration, FieldSpec, FieldType, Form, Layout, Limits, Reading, SheetSpec, REFERENCE_HEADER,
};
pub use indicators::{DisplayUnit, Indicator, IndicatorKind, Indicators, Role};
pub use registry::{closest_value, Pair, Registry, University, Zone};
pub use review::{
    HbSettings, ImpactSettings, MinDeviation, OutputSettings, OwnSettings, Review, Weights,
};
pub use rules::{FindingContext, RuleCatalogue, Thresholds, KNOWN_RULES};
pub use scorecard::{Component, Direction, Measure, NoDataRule, Normalise, ScorecardSettings};
pub use targets::{ProjectionSettings, ScopeKind, Target, TargetKind, Targets};

use crate::error::{Error, Result};

/// Everything the pipeline is told, loaded from one folder.
#[derive(Debug, Clone)]
pub struct Config {
    pub dir: PathBuf,
    pub registry: Registry,
    pub indicators: Indicators,
    pub form: Form,
    pub rules: RuleCatalogue,
    pub calendar: Calendar,
    pub targets: Targets,
    /// The brief's masthead, distribution and wording rules.
    pub brief: Brief,
    /// The zones' composite index, 综合评价 (`scorecard.toml`).
    pub scorecard: ScorecardSettings,
    /// The parameters of the 核查优先清单 score.
    pub review: Review,
    /// Each configuration file read, with the SHA-256 of its bytes (the run's
    /// provenance: the files are read once, here).
    pub hashes: Vec<(String, String)>,
}

impl Config {
    /// The configuration as it stands in `period`: the registry holds only
    /// the zones whose cohort has joined by then (docs/return-form.md §2.5),
    /// so a later cohort's zones are not counted, listed or chased before
    /// they take part, and the scorecard scores only those.
    pub fn taking_part(&self, period: crate::model::Period) -> Config {
        let joined = |z: &Zone| self.calendar.entry_quarter(z.cohort) <= period;
        if self.registry.zones.iter().all(joined) {
            return self.clone();
        }
        let mut config = self.clone();
        config.registry = self.registry.only(joined);
        config
            .scorecard
            .zones
            .retain(|code| config.registry.zone(code).is_some());
        config
    }

    /// Loads and cross-checks every configuration file in `dir`.
    pub fn load(dir: &Path) -> Result<Config> {
        if !dir.is_dir() {
            return Err(Error::Input(format!(
                "找不到配置目录 {}（可用 --config 指定）",
                dir.display()
            )));
        }
        let mut hashes = Vec::new();
        let mut read = |name: &str| read_file(dir, name, &mut hashes);
        let registry = Registry::new(parse_toml(dir, "registry.toml", &read("registry.toml")?)?)
            .map_err(|m| Error::config(dir.join("registry.toml"), m))?;
        let indicators = Indicators::new(parse_toml(
            dir,
            "indicators.toml",
            &read("indicators.toml")?,
        )?)
        .map_err(|m| Error::config(dir.join("indicators.toml"), m))?;
        let mut form: Form = parse_toml(dir, "form.toml", &read("form.toml")?)?;
        form.check()
            .map_err(|m| Error::config(dir.join("form.toml"), m))?;
        let rules: RuleCatalogue = parse_toml(dir, "rules.toml", &read("rules.toml")?)?;
        rules
            .check()
            .map_err(|m| Error::config(dir.join("rules.toml"), m))?;
        let calendar = Calendar::new(parse_toml(dir, "calendar.toml", &read("calendar.toml")?)?)
            .map_err(|m| Error::config(dir.join("calendar.toml"), m))?;
        let targets: Targets = parse_toml(dir, "targets.toml", &read("targets.toml")?)?;
        targets
            .check(&registry, &indicators, &form)
            .map_err(|m| Error::config(dir.join("targets.toml"), m))?;
        let brief: Brief = parse_toml(dir, "brief.toml", &read("brief.toml")?)?;
        brief
            .check()
            .map_err(|m| Error::config(dir.join("brief.toml"), m))?;
        let scorecard = ScorecardSettings::new(
            parse_toml(dir, "scorecard.toml", &read("scorecard.toml")?)?,
            &registry,
            &indicators,
        )
        .map_err(|m| Error::config(dir.join("scorecard.toml"), m))?;
        let review: Review = parse_toml(dir, "review.toml", &read("review.toml")?)?;
        review
            .check(&indicators)
            .map_err(|m| Error::config(dir.join("review.toml"), m))?;
        Ok(Config {
            dir: dir.to_path_buf(),
            registry,
            indicators,
            form,
            rules,
            calendar,
            targets,
            brief,
            scorecard,
            review,
            hashes,
        })
    }

    /// The configuration files, in a fixed order (for provenance).
    pub fn files(&self) -> Vec<PathBuf> {
        [
            "registry.toml",
            "indicators.toml",
            "form.toml",
            "rules.toml",
            "calendar.toml",
            "targets.toml",
            "brief.toml",
            "scorecard.toml",
            "review.toml",
        ]
        .iter()
        .map(|f| self.dir.join(f))
        .collect()
    }
}

/// A configuration file's text, its hash recorded.
fn read_file(dir: &Path, name: &str, hashes: &mut Vec<(String, String)>) -> Result<String> {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
        path: path.clone(),
        source,
    })?;
    hashes.push((name.to_string(), crate::digest::sha256_hex(text.as_bytes())));
    Ok(text)
}

fn parse_toml<T: DeserializeOwned>(dir: &Path, name: &str, text: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| Error::config(dir.join(name), e.to_string()))
}

/// Converts a TOML local date into a chrono date.
fn toml_date(value: &toml::value::Datetime) -> std::result::Result<chrono::NaiveDate, String> {
    match (value.date, value.time) {
        (Some(d), None) => {
            chrono::NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                .ok_or_else(|| format!("日期 {value} 无效"))
        }
        _ => Err(format!("{value} 应为日期（如 2025-07-01），不带时间")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/config")
    }

    #[test]
    fn shipped_configuration_loads() {
        let config = Config::load(&shipped()).unwrap();
        assert_eq!(config.registry.zones.len(), 18);
        assert_eq!(config.registry.pairs.len(), 20);
        assert_eq!(config.indicators.all.len(), 16);
        assert_eq!(
            config.registry.zone_by_text("徐州国家高新区").unwrap().name,
            "徐州高新区"
        );
        assert_eq!(
            config.registry.university_by_text("矿大").unwrap().name,
            "中国矿业大学"
        );
        assert_eq!(config.targets.target.len(), 13);
    }

    #[test]
    fn a_typo_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        for f in Config::load(&shipped()).unwrap().files() {
            std::fs::copy(&f, dir.path().join(f.file_name().unwrap())).unwrap();
        }
        let rules = dir.path().join("rules.toml");
        let text = std::fs::read_to_string(&rules).unwrap();
        std::fs::write(&rules, text.replace("{value}", "{vlaue}")).unwrap();
        let err = Config::load(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("rules.toml") && err.contains("{vlaue}"),
            "{err}"
        );

        std::fs::write(
            &rules,
            text.replacen("severity = \"error\"", "severity = \"fatal\"", 1),
        )
        .unwrap();
        let err = Config::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("rules.toml") && err.contains("fatal"), "{err}");
    }
}
