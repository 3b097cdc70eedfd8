//! 问题清单: every finding of the quarter, with the zone's explanation.

use serde::Serialize;

use crate::config::Config;
use crate::model::{Finding, Severity, Tone};
use crate::validate::PeriodCheck;

/// Whether a warning is explained in the return's 情况说明.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ExplanationStatus {
    #[serde(rename = "已说明")]
    Explained,
    #[serde(rename = "待说明")]
    Pending,
    /// Errors and infos are not explained.
    #[serde(rename = "")]
    NotApplicable,
}

impl ExplanationStatus {
    /// The statuses a column colours, in legend order.
    pub const ALL: [ExplanationStatus; 2] =
        [ExplanationStatus::Explained, ExplanationStatus::Pending];

    pub fn label_zh(self) -> &'static str {
        match self {
            ExplanationStatus::Explained => "已说明",
            ExplanationStatus::Pending => "待说明",
            ExplanationStatus::NotApplicable => "",
        }
    }

    pub fn tone(self) -> Tone {
        match self {
            ExplanationStatus::Explained => Tone::Good,
            ExplanationStatus::Pending => Tone::Warn,
            ExplanationStatus::NotApplicable => Tone::Plain,
        }
    }
}

/// A finding as the report lists it: with the zone's explanation of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListedFinding {
    #[serde(flatten)]
    pub finding: Finding,
    /// For a warning the return explains in 情况说明: the explanation.
    pub explanation: Option<String>,
    /// The rule's title from the catalogue (V04 → 不在可选范围).
    #[serde(skip)]
    pub title: String,
}

impl ListedFinding {
    pub fn explanation_status(&self) -> ExplanationStatus {
        match (self.finding.severity, &self.explanation) {
            (Severity::Warning, Some(_)) => ExplanationStatus::Explained,
            (Severity::Warning, None) => ExplanationStatus::Pending,
            _ => ExplanationStatus::NotApplicable,
        }
    }
}

/// The quarter's findings, file by file.
pub(super) fn listed(config: &Config, check: &PeriodCheck) -> Vec<ListedFinding> {
    check
        .submissions
        .iter()
        .flat_map(|s| list(config, &s.findings, &s.explanations))
        .collect()
}

/// Findings with their explanations (aligned) and rule titles.
pub(super) fn list(
    config: &Config,
    findings: &[Finding],
    explanations: &[Option<String>],
) -> Vec<ListedFinding> {
    findings
        .iter()
        .enumerate()
        .map(|(i, f)| ListedFinding {
            finding: f.clone(),
            explanation: explanations.get(i).cloned().flatten(),
            title: config.rules.title(&f.rule).to_string(),
        })
        .collect()
}
