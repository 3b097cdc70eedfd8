//! The computed report: every figure a renderer shows, already computed.
//! Renderers (workbook, data files, charts, PDF) read this model and never
//! recompute a figure, so every output agrees with every other.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{CellChange, Finding, Period};

/// Where a zone's figures for the quarter come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Basis {
    /// 本期: an accepted return this quarter.
    #[serde(rename = "本期")]
    Fresh,
    /// 沿用上期: no accepted return this quarter; the last accepted figures.
    #[serde(rename = "沿用上期")]
    Carried,
    /// 无数据: never had an accepted return.
    #[serde(rename = "无数据")]
    NoData,
}

impl Basis {
    pub fn label_zh(self) -> &'static str {
        match self {
            Basis::Fresh => "本期",
            Basis::Carried => "沿用上期",
            Basis::NoData => "无数据",
        }
    }
}

/// One figure of the long fact table, traceable to its cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    pub period: Period,
    pub zone_code: String,
    pub zone: String,
    pub city: String,
    pub indicator: String,
    /// 累计值 (cumulative for flows, level for stocks).
    pub value: f64,
    pub basis: Basis,
    /// The quarter of the return the value was read from.
    pub source_period: Period,
    pub file: String,
    pub sheet: String,
    pub cell: String,
}

/// A figure this quarter beside last quarter's.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Change {
    pub value: f64,
    pub previous: Option<f64>,
}

impl Change {
    pub fn delta(&self) -> Option<f64> {
        self.previous.map(|p| self.value - p)
    }

    /// Growth over last quarter (0.25 = 25 %); `None` without a base.
    pub fn growth(&self) -> Option<f64> {
        self.previous
            .filter(|p| *p != 0.0)
            .map(|p| (self.value - p) / p)
    }
}

/// A headline indicator for the province.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headline {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub figure: Change,
}

/// Progress towards one target (spec section 5).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetProgress {
    pub id: String,
    pub name: String,
    /// 全省, a city or a zone name.
    pub scope: String,
    pub metric: String,
    pub unit: String,
    /// `cumulative` or `annual`.
    pub kind: String,
    pub due: Period,
    /// The current value (annual: the flow of the last four quarters).
    pub value: f64,
    pub target: f64,
    /// value / target.
    pub progress: f64,
    /// Share of the time from the pilot start to the due date that has passed.
    pub elapsed: f64,
    /// The value expected at the due date at the present pace.
    pub projection: f64,
    /// What must be added each remaining quarter to reach the target.
    pub needed_per_quarter: f64,
    pub quarters_left: i32,
    pub status: TargetStatus,
    /// Quarters of data the projection rests on.
    pub history: usize,
    /// The baseline is a sample value (示例基线), not an official figure.
    pub baseline_is_sample: bool,
    pub baseline: Option<f64>,
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum TargetStatus {
    #[serde(rename = "已达成")]
    Met,
    #[serde(rename = "正常")]
    OnTrack,
    #[serde(rename = "关注")]
    Watch,
    #[serde(rename = "滞后")]
    Behind,
}

impl TargetStatus {
    pub fn label_zh(self) -> &'static str {
        match self {
            TargetStatus::Met => "已达成",
            TargetStatus::OnTrack => "正常",
            TargetStatus::Watch => "关注",
            TargetStatus::Behind => "滞后",
        }
    }
}

/// One zone's figures for the quarter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZoneRow {
    pub code: String,
    pub name: String,
    pub city: String,
    pub level: String,
    pub basis: Basis,
    /// The quarter the figures come from (this one, or an earlier one when carried).
    pub source_period: Option<Period>,
    /// By indicator code.
    pub figures: BTreeMap<String, Change>,
    /// Rank by SG01 (1 = most projects); zones without data last.
    pub rank: usize,
}

/// One city's totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CityRow {
    pub city: String,
    pub zones: usize,
    pub zones_with_data: usize,
    pub figures: BTreeMap<String, Change>,
}

/// A university's collaboration, from the project and platform lists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UniversityRow {
    pub name: String,
    /// Zones it works with this quarter.
    pub zones: Vec<String>,
    pub paired_zones: Vec<String>,
    pub projects: usize,
    pub platforms: usize,
    pub contract: f64,
    pub funded: f64,
    /// In the registry (otherwise named as written, I02).
    pub known: bool,
}

/// A zone × university pair: every confirmed pair, and every other
/// collaboration found in the lists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairRow {
    pub zone: String,
    pub university: String,
    /// A registry pair (结对), with its evidence.
    pub confirmed: bool,
    pub evidence: String,
    pub projects: usize,
    pub platforms: usize,
    pub funded: f64,
}

/// 五个一 for one zone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FiveOnes {
    pub zone: String,
    pub basis: Basis,
    pub industry: Option<String>,
    pub platform: Option<String>,
    pub talent: Option<String>,
    pub fund_name: Option<String>,
    pub fund_size: Option<f64>,
    pub benchmark_projects: usize,
    /// How many of the five are in place (0–5).
    pub complete: usize,
}

/// Province totals of one quarter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendRow {
    pub period: Period,
    pub figures: BTreeMap<String, f64>,
    pub zones_fresh: usize,
    pub zones_carried: usize,
}

/// A count by a category (项目类别, 项目状态, 平台类型, 平台级别).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tally {
    pub label: String,
    pub count: usize,
}

/// A finding as the report lists it: with the zone's explanation of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListedFinding {
    #[serde(flatten)]
    pub finding: Finding,
    /// For a warning the return explains in 情况说明: the explanation.
    pub explanation: Option<String>,
}

impl ListedFinding {
    /// 已说明 / 待说明 for warnings; empty for errors and infos.
    pub fn explanation_status(&self) -> &'static str {
        match (self.finding.severity, &self.explanation) {
            (crate::model::Severity::Warning, Some(_)) => "已说明",
            (crate::model::Severity::Warning, None) => "待说明",
            _ => "",
        }
    }
}

/// A zone's reporting this quarter, in the order staff chase them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ReportingStatus {
    #[serde(rename = "未报送")]
    Missing,
    #[serde(rename = "退回修改")]
    SentBack,
    #[serde(rename = "迟报")]
    Late,
    #[serde(rename = "已报送")]
    Reported,
}

impl ReportingStatus {
    pub fn label_zh(self) -> &'static str {
        match self {
            ReportingStatus::Missing => "未报送",
            ReportingStatus::SentBack => "退回修改",
            ReportingStatus::Late => "迟报",
            ReportingStatus::Reported => "已报送",
        }
    }
}

/// 报送情况 of one registry zone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubmissionStatus {
    pub zone: String,
    pub city: String,
    pub status: ReportingStatus,
    pub files: Vec<String>,
    pub fill_date: Option<chrono::NaiveDate>,
    pub errors: usize,
    pub warnings: usize,
    /// Warnings the return does not explain (待说明).
    pub unexplained: usize,
    /// Why it was sent back or late, in a sentence.
    pub reason: String,
    pub basis: Basis,
    /// The quarter the zone's figures come from (an earlier one when carried).
    pub source_period: Option<Period>,
    /// Cells a corrected file changed against the one it replaced.
    pub changes: Vec<CellChange>,
}

/// An input file and its fingerprint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    pub file: String,
    pub sha256: String,
    pub bytes: u64,
    pub period: Period,
    pub zone: Option<String>,
    /// 通过 / 有警告 / 退回修改 / 已被取代.
    pub verdict: String,
}

/// The counts the manifest reports; rows read = accepted + rejected.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Counts {
    pub files: usize,
    pub returns_accepted: usize,
    pub returns_sent_back: usize,
    pub returns_superseded: usize,
    pub files_unreadable: usize,
    pub zones_fresh: usize,
    pub zones_carried: usize,
    pub zones_without_data: usize,
    pub rows_read: usize,
    pub rows_accepted: usize,
    pub rows_rejected: usize,
    pub rows_superseded: usize,
}

/// A key indicator's province series with its straight-line projection to
/// the targets' due date (for the trend chart).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Projection {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub actual: Vec<(Period, f64)>,
    /// From the last actual quarter to the due date.
    pub projected: Vec<(Period, f64)>,
    /// The province target on this indicator, if any.
    pub target: Option<f64>,
}

/// A zone the leaders should look at, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attention {
    pub zone: String,
    pub reasons: Vec<String>,
}

/// The whole quarter, computed.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub period: Period,
    /// 数据截至: the latest 填报日期 of the quarter's returns (or the deadline);
    /// dates the brief and the documents without reading the clock.
    pub as_of: chrono::NaiveDate,
    /// The quarter's 报送截止日.
    pub deadline: chrono::NaiveDate,
    pub tool_version: String,
    /// Some figure comes from a sample workbook (示例数据).
    pub is_sample: bool,
    pub settings: BTreeMap<String, String>,
    pub headlines: Vec<Headline>,
    pub counts: Counts,
    pub targets: Vec<TargetProgress>,
    pub projections: Vec<Projection>,
    pub attention: Vec<Attention>,
    pub zones: Vec<ZoneRow>,
    pub cities: Vec<CityRow>,
    pub universities: Vec<UniversityRow>,
    pub pairs: Vec<PairRow>,
    pub five_ones: Vec<FiveOnes>,
    pub trend: Vec<TrendRow>,
    pub projects_by_category: Vec<Tally>,
    pub projects_by_status: Vec<Tally>,
    pub platforms_by_type: Vec<Tally>,
    pub platforms_by_level: Vec<Tally>,
    pub submissions: Vec<SubmissionStatus>,
    pub findings: Vec<ListedFinding>,
    pub sources: Vec<Source>,
    pub config_files: Vec<(String, String)>,
    pub facts: Vec<Fact>,
    /// Indicator catalogue, for labels: (code, name, unit).
    pub indicators: Vec<(String, String, String)>,
}

impl Report {
    pub fn headline(&self, code: &str) -> Option<&Headline> {
        self.headlines.iter().find(|h| h.code == code)
    }
}
