//! How many files, returns, zones and rows the quarter had.

use serde::Serialize;

use super::universities::unverified;
use super::{Basis, Quarter, UniversityRow, UnverifiedUniversity};
use crate::model::Verdict;
use crate::validate::Submission;

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

/// Who takes part: zones with figures, universities with a project or platform.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Participation {
    pub zones_with_data: usize,
    /// Registry universities with a project or platform this quarter.
    pub universities_active: usize,
    /// Names written as universities that match no registry university
    /// (待核实): not counted above, nor as universities or pairs anywhere.
    pub unverified_universities: Vec<UnverifiedUniversity>,
}

pub(super) fn counts(q: &Quarter) -> Counts {
    let subs = &q.check.submissions;
    let rows = |keep: &dyn Fn(&Submission) -> bool| -> usize {
        subs.iter()
            .filter(|s| keep(s))
            .filter_map(|s| s.ret.as_ref())
            .map(|r| r.rows_read)
            .sum()
    };
    let files = |keep: &dyn Fn(&Submission) -> bool| subs.iter().filter(|s| keep(s)).count();
    Counts {
        files: subs.len(),
        returns_accepted: files(&|s| s.verdict.is_accepted()),
        returns_sent_back: files(&|s| s.verdict == Verdict::SentBack && s.ret.is_some()),
        returns_superseded: files(&|s| s.verdict == Verdict::Superseded),
        files_unreadable: files(&|s| s.ret.is_none()),
        zones_fresh: zones(q, Basis::Fresh),
        zones_carried: zones(q, Basis::Carried),
        zones_without_data: zones(q, Basis::NoData),
        rows_read: rows(&|_| true),
        rows_accepted: rows(&|s| s.verdict.is_accepted()),
        rows_rejected: rows(&|s| !s.verdict.is_accepted()),
        rows_superseded: rows(&|s| s.verdict == Verdict::Superseded),
    }
}

/// Registry zones whose figures this quarter have the basis.
fn zones(q: &Quarter, basis: Basis) -> usize {
    q.config
        .registry
        .zones
        .iter()
        .filter(|z| q.basis(&z.code, q.period).0 == basis)
        .count()
}

pub(super) fn participation(q: &Quarter, universities: &[UniversityRow]) -> Participation {
    Participation {
        zones_with_data: zones(q, Basis::Fresh) + zones(q, Basis::Carried),
        universities_active: universities.iter().filter(|u| u.is_active()).count(),
        unverified_universities: unverified(q),
    }
}
