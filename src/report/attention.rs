//! 需关注的高新区: zones sent back, late, missing, or behind on a target.

use serde::Serialize;

use super::Quarter;
use super::{ReportingStatus, SubmissionStatus, TargetProgress, TargetStatus};
use crate::format::format_number;
use crate::model::ZoneCode;

/// A zone the leaders should look at, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attention {
    #[serde(skip)]
    pub code: ZoneCode,
    pub zone: String,
    pub reasons: Vec<String>,
}

/// In registry order, each zone with something to look at.
pub(super) fn attention(
    q: &Quarter,
    submissions: &[SubmissionStatus],
    targets: &[TargetProgress],
) -> Vec<Attention> {
    q.config
        .registry
        .zones
        .iter()
        .filter_map(|z| {
            let mut reasons: Vec<String> = submissions
                .iter()
                .filter(|s| s.code == z.code)
                .filter_map(reporting_reason)
                .collect();
            reasons.extend(
                targets
                    .iter()
                    .filter(|t| t.scope.zone() == Some(&z.code) && t.status == TargetStatus::Behind)
                    .map(behind_reason),
            );
            (!reasons.is_empty()).then(|| Attention {
                code: z.code.clone(),
                zone: z.name.clone(),
                reasons,
            })
        })
        .collect()
}

fn reporting_reason(s: &SubmissionStatus) -> Option<String> {
    match s.status {
        ReportingStatus::SentBack => Some(format!(
            "报表退回修改（错误 {} 处），本期沿用上期数据",
            s.errors
        )),
        ReportingStatus::Late => Some(format!("迟报：{}", s.reason)),
        ReportingStatus::Missing => Some("本期未报送".to_string()),
        ReportingStatus::Reported => None,
    }
}

/// Names what the current value is (累计值 or 近四个季度合计), so an annual
/// target's figure is not read as a total.
fn behind_reason(t: &TargetProgress) -> String {
    format!(
        "{}滞后：{} {} / 目标 {}，预计到期 {}",
        t.name,
        t.value_basis().label_zh(),
        format_number(t.value),
        format_number(t.target),
        format_number(t.projection.round())
    )
}
