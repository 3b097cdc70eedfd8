//! Review decisions as the pipeline reads them (docs/review-workflow.md):
//! a decision kept beside a return changes what `report` counts and says,
//! with `count_only_approved` and without; decisions about other bytes do
//! not count. The decisions are written here by hand, as the portal
//! writes them, so the pipeline is tested without the portal.

mod common;

use common::{config, copy_dir, report_with, root};
use shuanggao::model::review::{Action, Decision, Level};
use shuanggao::model::{Basis, ReviewState};
use shuanggao::report::{QuarterState, Report, ReportingStatus};

/// A copy of the sample's returns.
fn returns() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("inputs/returns"), dir.path());
    dir
}

/// A zone the sample reports on time, clean, and its file.
fn reported_zone(r: &Report) -> (String, String) {
    let s = r
        .submissions
        .iter()
        .find(|s| s.status == ReportingStatus::Reported && s.unexplained == 0)
        .expect("a zone reported on time");
    (s.zone.clone(), s.files[0].clone())
}

/// Writes `decisions` beside `file` (relative to the returns folder), as
/// the portal does.
fn decide(returns: &std::path::Path, file: &str, decisions: &[(Level, Action, &str)], sha: &str) {
    let path = returns.join(file);
    let kept: Vec<Decision> = decisions
        .iter()
        .enumerate()
        .map(|(i, (level, action, comment))| Decision {
            id: format!("d{i}"),
            level: *level,
            action: *action,
            comment: comment.to_string(),
            by: "测试".into(),
            at: "2026-10-12 09:00:00".into(),
            sha256: sha.to_string(),
        })
        .collect();
    let target = shuanggao::ingest::decisions::decisions_path(&path);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(target, serde_json::to_vec(&kept).unwrap()).unwrap();
}

fn sha_of(returns: &std::path::Path, file: &str) -> String {
    shuanggao::digest::sha256_hex(&std::fs::read(returns.join(file)).unwrap())
}

/// The brief's written text.
fn brief_text(r: &Report) -> String {
    r.narrative
        .sections
        .iter()
        .flat_map(|s| s.paragraphs.iter().map(|p| p.text()))
        .collect()
}

fn status<'r>(r: &'r Report, zone: &str) -> &'r shuanggao::report::SubmissionStatus {
    r.submissions.iter().find(|s| s.zone == zone).unwrap()
}

#[test]
fn a_return_sent_back_by_its_city_counts_nowhere_and_says_why() {
    let dir = returns();
    let before = report_with(&config(), dir.path(), "2026Q3");
    let (zone, file) = reported_zone(&before);
    assert_eq!(status(&before, &zone).state, QuarterState::Awaiting);
    let comment = "合作企业名称与营业执照不一致";
    let sha = sha_of(dir.path(), &file);
    decide(
        dir.path(),
        &file,
        &[(Level::City, Action::Return, comment)],
        &sha,
    );
    let after = report_with(&config(), dir.path(), "2026Q3");
    let s = status(&after, &zone);
    assert_eq!(s.status, ReportingStatus::SentBack);
    assert_eq!(s.state, QuarterState::SentBack);
    assert!(matches!(s.review, Some(ReviewState::Returned(Level::City))));
    assert!(
        s.reason.contains("科技局审核退回") && s.reason.contains(comment),
        "{}",
        s.reason
    );
    assert_ne!(s.basis, Basis::Fresh);
    let row = after.zones.iter().find(|z| z.name == zone).unwrap();
    assert_ne!(
        row.basis,
        Basis::Fresh,
        "its figures are not this quarter's"
    );
    let finding = after
        .findings
        .iter()
        .find(|f| f.rule == "R01")
        .expect("R01 in the findings");
    assert_eq!(finding.zone.as_deref(), Some(zone.as_str()));
    // The brief's 报送情况 paragraph names it as sent back by review.
    let text = brief_text(&after);
    assert!(
        text.contains(&format!("{zone}的报表经审核退回修改")),
        "{text}"
    );
}

#[test]
fn with_count_only_approved_a_return_counts_once_every_level_approved() {
    let dir = returns();
    let mut config = config();
    config.calendar.review.levels = vec![Level::City, Level::Province];
    config.calendar.review.count_only_approved = true;
    let pending = report_with(&config, dir.path(), "2026Q3");
    let (zone, file) = reported_zone(&pending);
    let s = status(&pending, &zone);
    assert_eq!((s.state, s.basis), (QuarterState::Awaiting, Basis::Carried));
    assert!(
        s.review_detail.contains("科技局审核"),
        "{}",
        s.review_detail
    );
    let sha = sha_of(dir.path(), &file);
    // The city approved: it waits for the province, still not counted.
    decide(
        dir.path(),
        &file,
        &[(Level::City, Action::Approve, "")],
        &sha,
    );
    let halfway = report_with(&config, dir.path(), "2026Q3");
    let s = status(&halfway, &zone);
    assert_eq!(s.review, Some(ReviewState::Awaiting(Level::Province)));
    assert_eq!((s.state, s.basis), (QuarterState::Awaiting, Basis::Carried));
    // Both approved: counted.
    let both = [
        (Level::City, Action::Approve, ""),
        (Level::Province, Action::Approve, ""),
    ];
    decide(dir.path(), &file, &both, &sha);
    let approved = report_with(&config, dir.path(), "2026Q3");
    let s = status(&approved, &zone);
    assert_eq!((s.state, s.basis), (QuarterState::Approved, Basis::Fresh));
    // Decisions about other bytes count for nothing.
    decide(dir.path(), &file, &both, &"0".repeat(64));
    let stale = report_with(&config, dir.path(), "2026Q3");
    assert_eq!(status(&stale, &zone).basis, Basis::Carried);
}

#[test]
fn without_review_the_states_are_as_before_the_portal() {
    let dir = returns();
    let mut config = config();
    config.calendar.review.levels = Vec::new();
    let r = report_with(&config, dir.path(), "2026Q3");
    assert!(r.submissions.iter().all(|s| s.review.is_none()));
    let (zone, _) = reported_zone(&r);
    assert_eq!(status(&r, &zone).state, QuarterState::Reported);
    let text = brief_text(&r);
    assert!(!text.contains("审核方面"), "{text}");
}
