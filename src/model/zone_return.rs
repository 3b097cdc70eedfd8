//! A zone's return as read and typed from one file.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;

use super::{Located, Period, ZoneCode};

/// The file a return came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the returns folder (or as given on the command line).
    pub name: String,
    pub path: std::path::PathBuf,
    pub sha256: String,
    pub bytes: u64,
    /// Seconds since the epoch; only breaks ties between identical returns.
    pub modified: i64,
}

/// 基本信息, typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BasicInfo {
    pub zone_text: Option<Located<String>>,
    pub period: Option<Located<Period>>,
    pub unit: Option<String>,
    pub filler: Option<String>,
    pub phone: Option<String>,
    pub fill_date: Option<Located<NaiveDate>>,
    pub industry: Option<String>,
    pub platform: Option<String>,
    pub talent: Option<String>,
    pub fund_name: Option<String>,
    pub fund_size: Option<Located<f64>>,
}

/// One 核心指标 row.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValue {
    pub code: String,
    pub new: Option<Located<f64>>,
    pub cumulative: Option<Located<f64>>,
}

/// One 项目清单 row.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRow {
    /// 1-based sheet row.
    pub row: u32,
    pub sheet: Arc<str>,
    pub name: Located<String>,
    /// Canonical university names (unknown ones as written).
    pub universities: Vec<String>,
    pub enterprise: String,
    pub field: Option<String>,
    pub category: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub contract: Option<f64>,
    pub funded: Option<Located<f64>>,
    pub status: Option<String>,
    pub benchmark: bool,
    /// A hash of the name and enterprise as they are compared (folded), for
    /// finding the same project in two zones' returns (D03).
    pub match_key: u64,
}

/// One 平台清单 row.
#[derive(Debug, Clone, PartialEq)]
pub struct PlatformRow {
    pub row: u32,
    pub sheet: Arc<str>,
    pub name: Located<String>,
    pub kind: Option<String>,
    pub level: Option<String>,
    pub universities: Vec<String>,
    pub built_date: Option<NaiveDate>,
    pub area: Option<f64>,
    pub investment: Option<f64>,
}

/// One 情况说明 row: an explanation of a warning.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    pub row: u32,
    pub rule: String,
    pub location: String,
    pub text: String,
}

/// A zone's return as read and typed from one file. Values that failed their
/// checks are absent (`None`); the findings say why.
#[derive(Debug, Clone, PartialEq)]
pub struct Return {
    pub source: SourceFile,
    /// Registry zone code, when the zone could be identified.
    pub zone: Option<ZoneCode>,
    pub info: BasicInfo,
    /// By indicator code.
    pub indicators: BTreeMap<String, IndicatorValue>,
    pub projects: Vec<ProjectRow>,
    pub platforms: Vec<PlatformRow>,
    pub explanations: Vec<Explanation>,
    /// The form sheets the file has: form key → the name as written.
    pub sheets: BTreeMap<String, String>,
    /// Data rows read from the file (indicator, project, platform rows).
    pub rows_read: usize,
    /// The workbook says it is synthetic (示例数据).
    pub is_sample: bool,
}

impl Return {
    pub fn period(&self) -> Option<Period> {
        self.info.period.as_ref().map(|p| p.value)
    }

    pub fn fill_date(&self) -> Option<NaiveDate> {
        self.info.fill_date.as_ref().map(|d| d.value)
    }

    pub fn cumulative(&self, code: &str) -> Option<f64> {
        self.indicators
            .get(code)
            .and_then(|v| v.cumulative.as_ref())
            .map(|v| v.value)
    }

    pub fn new_value(&self, code: &str) -> Option<f64> {
        self.indicators
            .get(code)
            .and_then(|v| v.new.as_ref())
            .map(|v| v.value)
    }
}
