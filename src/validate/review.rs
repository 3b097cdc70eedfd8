//! Review by level ([`crate::model::review`]): a return that passed the
//! checks is reviewed by the levels of calendar.toml `[review]`, whose
//! decisions are kept beside the file. A return a reviewer sent back gets
//! R01 (an error carrying the reviewer's comment) and the verdict 退回修改,
//! so it counts nowhere and its clerk reads why wherever findings are read;
//! with `count_only_approved`, a return not yet approved is 待审核 and
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

/// `verdict`: what the checks decided; `unexplained`: a warning is not
/// yet explained.
pub(super) fn review(
    config: &Config,
    ctx: &FindingContext,
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
            let city = ctx_city(config, ctx);
            let issue = Issue::new("R01")
                .arg("other", level.office_zh(&city))
                .arg("reason", d.comment.trim_end_matches(['。', '.']));
            config.rules.render(&issue, ctx)
        }),
        _ => None,
    };
    let verdict = match state {
        Some(ReviewState::Returned(_)) => Verdict::SentBack,
        Some(s) if settings.count_only_approved && s != ReviewState::Approved => {
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

/// The city of the return's zone (for 无锡市科技局).
fn ctx_city(config: &Config, ctx: &FindingContext) -> String {
    ctx.zone
        .as_deref()
        .and_then(|name| config.registry.zones.iter().find(|z| z.name == name))
        .map(|z| z.city.clone())
        .unwrap_or_default()
}
