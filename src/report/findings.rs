//! 问题清单: every finding of the quarter, with the zone's explanation, and
//! the order the sheet lists them in.

use serde::Serialize;

use super::Report;
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
    /// A warning that asks nothing of the zone: F02 on a superseded file
    /// (the file is set aside; there is nothing to explain or correct).
    #[serde(rename = "无需说明")]
    NotNeeded,
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
            ExplanationStatus::NotNeeded => "无需说明",
            ExplanationStatus::NotApplicable => "",
        }
    }

    pub fn tone(self) -> Tone {
        match self {
            ExplanationStatus::Explained => Tone::Good,
            ExplanationStatus::Pending => Tone::Warn,
            ExplanationStatus::NotNeeded | ExplanationStatus::NotApplicable => Tone::Plain,
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
            (Severity::Warning, None) if !needs_explanation(&self.finding) => {
                ExplanationStatus::NotNeeded
            }
            (Severity::Warning, None) => ExplanationStatus::Pending,
            _ => ExplanationStatus::NotApplicable,
        }
    }
}

/// Whether a warning asks the zone to explain it in 情况说明. F02 as a
/// warning is raised only on a superseded file (docs/return-form.md §5.4;
/// its `conflict` variant is an error): that file is set aside and nothing
/// is to be done about it.
pub fn needs_explanation(finding: &Finding) -> bool {
    finding.needs_explanation()
}

impl Report {
    /// The quarter's findings in the order the 问题清单 sheet lists them:
    /// by severity (错误, 警告, 提示), then zone (registry order; files tied
    /// to no zone last), file, sheet (the file's own sheet order, then by
    /// name; whole-file findings first), row, and the order they were found.
    /// [`Report::findings`] itself stays in file order, as `findings.json`
    /// and `check --format json` give it.
    pub fn findings_for_sheet(&self) -> Vec<&ListedFinding> {
        let mut listed: Vec<(usize, &ListedFinding)> = self.findings.iter().enumerate().collect();
        listed.sort_by_cached_key(|(i, l)| {
            let f = &l.finding;
            (
                f.severity,
                self.zone_rank(f.zone.as_deref()),
                f.file.clone(),
                self.sheet_rank(f),
                f.row.unwrap_or(0),
                *i,
            )
        });
        listed.into_iter().map(|(_, l)| l).collect()
    }

    /// A zone's place in the registry (报送情况 lists every registry zone in
    /// registry order); no zone sorts last.
    fn zone_rank(&self, zone: Option<&str>) -> usize {
        zone.and_then(|z| self.submissions.iter().position(|s| s.zone == z))
            .unwrap_or(usize::MAX)
    }

    /// A finding's sheet: its place among the file's sheets as read (kept
    /// with the file's feedback book), then its name; none sorts first.
    fn sheet_rank(&self, f: &Finding) -> (usize, String) {
        let Some(sheet) = f.sheet.as_deref() else {
            return (0, String::new());
        };
        let position = self
            .feedback
            .iter()
            .find(|b| f.file.as_deref() == Some(b.source.as_str()))
            .and_then(|b| b.sheets.as_deref())
            .and_then(|sheets| sheets.iter().position(|s| s.name == sheet));
        (position.map_or(usize::MAX, |p| p + 1), sheet.to_string())
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
