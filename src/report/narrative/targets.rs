//! What the text says of the 2027 targets: each status beside the measure
//! it follows from (docs/brief.md §2.3). A cumulative target is judged by
//! its projection to the due date (time elapsed is context); an annual one
//! by its due year (before it, the last four quarters against the due
//! year's target, said so); a milestone at its date, never paced.

use super::line::{count_words, Line};
use super::TargetField as TF;
use super::{FigureOf, Form};
use crate::config::TargetKind;
use crate::format::points_between;
use crate::report::{Report, TargetProgress, ValueBasis};
use crate::targets::TargetStatus;

pub(super) fn target_of(t: &TargetProgress, field: TF) -> FigureOf {
    FigureOf::Target {
        id: t.id.clone(),
        field,
    }
}

/// `全省共建产业创新平台`.
pub(super) fn target_name(t: &TargetProgress) -> String {
    format!("{}{}", t.scope.label_zh(), t.name)
}

fn amount(line: &mut Line, r: &Report, t: &TargetProgress, field: TF, value: f64) {
    let scale = r.scale_of(&t.metric, &t.unit);
    line.figure(target_of(t, field), Form::Amount(scale.clone()), value);
    line.text(&scale.unit);
}

/// The due year as text (`2027年`), a figure of the target.
fn due_year(line: &mut Line, t: &TargetProgress) {
    line.calendar(target_of(t, TF::DueYear), format!("{}年", t.due.year));
}

/// Where a target stands, by its own measure:
/// `全省共建产业创新平台已完成目标的94%，快于时间进度44个百分点`;
/// `全省专利转让许可（年度）近四个季度合计263件，为2027年目标300件的88%`;
/// `…已达成目标（61家）`.
pub(super) fn standing(line: &mut Line, r: &Report, t: &TargetProgress) {
    line.text(&target_name(t));
    if t.status == TargetStatus::Met {
        line.text("已达成目标（");
        amount(line, r, t, TF::Value, t.value);
        if t.kind != TargetKind::Milestone {
            line.text("，目标");
            amount(line, r, t, TF::Goal, t.target);
        }
        line.text("）");
        return;
    }
    match t.kind {
        TargetKind::Annual => {
            line.text(&t.value_basis().label_zh());
            amount(line, r, t, TF::Value, t.value);
            line.text("，为");
            due_year(line, t);
            line.text("目标");
            amount(line, r, t, TF::Goal, t.target);
            line.text("的");
            line.figure(target_of(t, TF::Progress), Form::Percent(0), t.progress);
            if t.baseline_is_sample {
                line.text("（目标基数为示例基线）");
            }
        }
        _ => {
            line.text("已完成目标的");
            line.figure(target_of(t, TF::Progress), Form::Percent(0), t.progress);
            if t.time_applies() {
                time_gap(line, t);
            }
        }
    }
}

/// `，快于时间进度44个百分点`: the gap of the two percentages as printed.
fn time_gap(line: &mut Line, t: &TargetProgress) {
    let gap = points_between(t.progress, t.elapsed);
    if gap == 0.0 {
        line.text("，与时间进度一致");
        return;
    }
    line.text(if gap > 0.0 {
        "，快于时间进度"
    } else {
        "，慢于时间进度"
    });
    line.figure(target_of(t, TF::Gap), Form::Points, gap / 100.0);
    line.text("个百分点");
}

/// What the status follows from: `，按近期进度预计到期达到105个`; for an
/// annual target `，按近期进度预计2027年全年264件`; and for 关注 / 滞后 how
/// far that falls short: `，略低于目标（关注）`, `，不足目标的九成（滞后）`.
pub(super) fn outlook(line: &mut Line, r: &Report, t: &TargetProgress) {
    if !t.is_paced() || t.status == TargetStatus::Met {
        return;
    }
    if matches!(t.value_basis(), ValueBasis::Cumulative) {
        line.text("，按近期进度预计到期达到");
    } else {
        line.text("，按近期进度预计");
        due_year(line, t);
        line.text("全年");
    }
    amount(line, r, t, TF::Projection, t.projection);
    line.text(match t.status {
        TargetStatus::Watch => "，略低于目标（关注）",
        TargetStatus::Behind => "，不足目标的九成（滞后）",
        _ => "",
    });
}

/// `全省参与高新区目前18家，为节点目标，到2027年第四季度达到61家即为达成（未到期）`.
pub(super) fn milestone(line: &mut Line, r: &Report, t: &TargetProgress) {
    line.text(&target_name(t));
    line.text("目前");
    amount(line, r, t, TF::Value, t.value);
    line.text("，为节点目标，到");
    line.calendar(target_of(t, TF::Due), t.due.label_zh());
    line.text("达到");
    amount(line, r, t, TF::Goal, t.target);
    line.text("即为达成（未到期，不按季度推算进度）");
}

/// The targets at 关注 or 滞后, the furthest from their goal first (by
/// the projection's share of the target, the measure of their status).
pub(super) fn lagging(r: &Report) -> Vec<&TargetProgress> {
    let mut behind: Vec<&TargetProgress> = r
        .targets
        .iter()
        .filter(|t| matches!(t.status, TargetStatus::Watch | TargetStatus::Behind))
        .collect();
    behind.sort_by(|a, b| {
        let share = |t: &TargetProgress| t.projected_share().unwrap_or(1.0);
        share(a).total_cmp(&share(b))
    });
    behind
}

/// `另有两项目标滞后、一项需关注`: the targets not named, by status.
pub(super) fn others(rest: &[&TargetProgress]) -> String {
    let count = |s: TargetStatus| rest.iter().filter(|t| t.status == s).count();
    let parts: Vec<String> = [
        (TargetStatus::Behind, "滞后"),
        (TargetStatus::Watch, "需关注"),
    ]
    .into_iter()
    .filter(|(s, _)| count(*s) > 0)
    .map(|(s, word)| format!("{}项{word}", count_words(count(s))))
    .collect();
    match parts.as_slice() {
        [] => String::new(),
        _ => format!("另有{}", parts.join("、")).replacen("项", "项目标", 1),
    }
}

/// The paces the lagging targets need, grouped by the quarters they are
/// spread over, each group said once:
/// `按剩余5个季度计，每季度需新增：徐州高新区标志性项目1.4个、重大项目3.8个；
/// 按2027年4个季度计，每季度需新增：全省专利转让许可（年度）75件`.
pub(super) fn paces(line: &mut Line, r: &Report, targets: &[&TargetProgress]) {
    let mut groups: Vec<(bool, i32, Vec<&TargetProgress>)> = Vec::new();
    for t in targets.iter().filter(|t| t.needs_pace()) {
        let key = (t.kind == TargetKind::Annual, t.pace_quarters);
        match groups.iter_mut().find(|g| (g.0, g.1) == key) {
            Some(g) => g.2.push(t),
            None => groups.push((key.0, key.1, vec![t])),
        }
    }
    for (i, (annual, _, group)) in groups.iter().enumerate() {
        line.text(if i > 0 { "；按" } else { "按" });
        let first = group[0];
        if *annual {
            due_year(line, first);
        } else {
            line.text("剩余");
        }
        line.figure(
            target_of(first, TF::PaceQuarters),
            Form::Count,
            f64::from(first.pace_quarters),
        );
        line.text("个季度计，每季度需新增：");
        let mut scope = "";
        for (k, t) in group.iter().enumerate() {
            line.text(if k > 0 { "、" } else { "" });
            // The scope is said when it changes (徐州高新区标志性项目、重大项目).
            let this_scope = t.scope.label_zh();
            if this_scope != scope {
                line.text(this_scope);
                scope = this_scope;
            }
            line.text(&t.name);
            let scale = r.scale_of(&t.metric, &t.unit);
            line.figure(
                target_of(t, TF::NeededPerQuarter),
                Form::Pace(scale.clone()),
                t.needed_per_quarter,
            );
            line.text(&scale.unit);
        }
    }
}

/// A city's or zone's own targets in one sentence, grouped by status, each
/// lagging one with the projection that makes it so:
/// `目标方面，培育科技型中小企业、双聘高层次人才进度正常；共建产业创新平台（预计到期14个，目标18个）、
/// 标志性项目（预计到期1个，目标8个）滞后。`
pub(super) fn by_status(line: &mut Line, r: &Report, own: &[&TargetProgress]) {
    if own.is_empty() {
        return;
    }
    line.text("目标方面，");
    let mut first = true;
    for status in TargetStatus::ALL {
        let group: Vec<&&TargetProgress> = own.iter().filter(|t| t.status == status).collect();
        if group.is_empty() {
            continue;
        }
        line.text(if first { "" } else { "；" });
        first = false;
        for (i, t) in group.iter().enumerate() {
            line.text(if i > 0 { "、" } else { "" });
            line.text(&t.name);
            if matches!(status, TargetStatus::Watch | TargetStatus::Behind) {
                line.text("（预计到期");
                amount(line, r, t, TF::Projection, t.projection);
                line.text("，目标");
                amount(line, r, t, TF::Goal, t.target);
                line.text("）");
            }
        }
        line.text(match status {
            TargetStatus::Met => "已达成",
            TargetStatus::OnTrack => "按近期进度预计可如期完成",
            TargetStatus::Watch => "预计略低于目标，需关注",
            TargetStatus::Behind => "预计不足目标的九成，进度滞后",
            TargetStatus::Pending => "未到期",
        });
    }
    line.text("。");
}
