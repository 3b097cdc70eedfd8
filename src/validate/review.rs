//! Review by level ([`crate::model::review`]): a return that passed the
//! checks is reviewed by the levels of calendar.toml `[review]`, whose
//! decisions are kept beside the file. A return a reviewer sent back gets
//! R01 (an error carrying the reviewer's comment) and the verdict 退回修改,
//! so it counts nowhere and its clerk reads why wherever findings are read;
//! from `count_only_approved_from` on, a return not yet approved is 待审核 and
//! counts nowhere either.

use crate::config::{Config, FindingContext};
use crate::model::review::{self, ReviewState};
use crate::model::{Decision, Finding, Issue, Verdict};

/// The review of one return, and what it does to the file's verdict.
pub(super) struct Reviewed {
    pub state: Option<ReviewState>,
    pub verdict: Verdict,
    /// R01, when a reviewer sent it back.
    pub returned: Option<Finding>,
}

/// `zone`: the return's zone code; `verdict`: what the checks decided;
/// `unexplained`: a warning is not yet explained.
pub(super) fn review(
    config: &Config,
    ctx: &FindingContext,
    zone: Option<&str>,
    decisions: &[Decision],
    sha256: &str,
    verdict: Verdict,
    unexplained: bool,
) -> Reviewed {
    let settings = &config.calendar.review;
    let state = verdict
        .is_accepted()
        .then(|| review::follow(&settings.levels, decisions, sha256, unexplained))
        .flatten();
    let returned = match state {
        Some(ReviewState::Returned(level)) => review::last_return(decisions, sha256).map(|d| {
            let city = zone
                .and_then(|code| config.registry.zone(code))
                .map_or("", |z| z.city.as_str());
            let issue = Issue::new("R01")
                .arg("other", level.office_zh(city))
                .arg("reason", d.comment.trim_end_matches(['。', '.']));
            config.rules.render(&issue, ctx)
        }),
        _ => None,
    };
    let verdict = match state {
        Some(ReviewState::Returned(_)) => Verdict::SentBack,
        Some(s)
            if ctx.period.is_some_and(|p| settings.counts_only_approved(p))
                && s != ReviewState::Approved =>
        {
            Verdict::AwaitingReview
        }
        _ => verdict,
    };
    Reviewed {
        state,
        verdict,
        returned,
    }
}
