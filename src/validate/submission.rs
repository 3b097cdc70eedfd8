//! What checking produces: each submitted file with its findings and its
//! verdict, and a quarter's files together.

use std::sync::Arc;

use crate::model::{
    BookSheet, CellChange, Decision, Finding, Period, Return, ReviewState, Severity, SourceFile,
    Verdict, ZoneCode,
};

/// One submitted file, checked.
#[derive(Debug, Clone)]
pub struct Submission {
    pub source: SourceFile,
    /// Registry zone code, when the file names a registry zone.
    pub zone: Option<ZoneCode>,
    /// `None` when the file could not be read (F01).
    pub ret: Option<Arc<Return>>,
    pub findings: Vec<Finding>,
    /// Aligned with `findings`: for a warning the return explains in its
    /// 情况说明 sheet, the explanation (已说明); `None` otherwise.
    pub explanations: Vec<Option<String>>,
    pub verdict: Verdict,
    /// For a superseded file: the file that won.
    pub superseded_by: Option<String>,
    /// For a superseded file: what its own checks found (docs/return-form.md
    /// §5.4). Set aside with the file: not in `findings`, no part of the
    /// verdict or of any count; its feedback lists them for reference, so
    /// it never says 错误 0 项 of a file that had an error.
    pub set_aside: Vec<Finding>,
    /// For the file that replaced others: the cells that changed (F02).
    pub changes: Vec<CellChange>,
    /// The form sheets' cells, kept for the quarter being reported (feedback
    /// workbooks copy them); empty for earlier quarters.
    pub cells: Arc<[BookSheet]>,
    /// Where its review stands (docs/review-workflow.md): `None` when the
    /// checks did not accept it, or no level reviews.
    pub review: Option<ReviewState>,
    /// The review decisions kept beside the file, oldest first.
    pub decisions: Vec<Decision>,
}

impl Submission {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// A reviewer sent it back (its R01 finding says why).
    pub fn returned_by_review(&self) -> bool {
        self.review.is_some_and(ReviewState::is_returned)
    }
}

/// One quarter's files, checked.
#[derive(Debug, Clone)]
pub struct PeriodCheck {
    pub period: Period,
    /// In file-name order.
    pub submissions: Vec<Submission>,
}

impl PeriodCheck {
    /// The accepted return of a zone this quarter, if any.
    pub fn accepted(&self, zone: &str) -> Option<&Submission> {
        self.submissions
            .iter()
            .find(|s| s.verdict.is_accepted() && s.zone.as_deref() == Some(zone))
    }

    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.submissions.iter().flat_map(|s| &s.findings)
    }

    pub fn has_errors(&self) -> bool {
        self.findings().any(|f| f.severity == Severity::Error)
    }
}
