//! The province brief's four sections (docs/brief.md §2.2).

use super::line::{against_launch, compared, count_words, Line, Trend};
use super::targets::{lagging, milestone, others, outlook, paces, standing};
use super::{At, CountOf, FigureOf, Form, Heading, Measure, Narrative, Paragraph, Section};
use crate::config::Wording;
use crate::report::rank::named;
use crate::report::{
    Basis, FlowMeasure, IndicatorInfo, QuarterState, Report, ReportingStatus, Role, TargetProgress,
};
use crate::targets::TargetStatus;

/// The four sections, from the computed report.
pub fn narrative(r: &Report, w: &Wording) -> Narrative {
    let sections = Heading::ALL
        .iter()
        .map(|&heading| Section {
            heading,
            paragraphs: match heading {
                Heading::Overall => overall(r, w),
                Heading::Progress => progress(r, w),
                Heading::Problems => problems(r, w),
                Heading::NextSteps => next_steps(r, w),
            },
        })
        .collect();
    Narrative { sections }
}

fn count(line: &mut Line, of: CountOf, n: usize) {
    line.figure(FigureOf::Count(of), Form::Count, n as f64);
}

/// 截至…，全省N个试点高新区中…; the key indicators' totals and flows.
fn overall(r: &Report, w: &Wording) -> Vec<Paragraph> {
    let c = &r.counts;
    let mut line = Line::new();
    line.text("截至")
        .calendar(FigureOf::AsOf, crate::format::date_zh(r.as_of))
        .text("，全省");
    count(&mut line, CountOf::Zones, r.zones.len());
    line.text(&format!("个{}", r.stage.zones_word));
    // Which zones the count covers, when more than one cohort takes part.
    if r.cohorts.len() > 1 {
        line.text("（");
        for (i, c) in r.cohorts.iter().enumerate() {
            line.text(&format!("{}{}", if i > 0 { "、" } else { "" }, c.name));
            count(&mut line, CountOf::CohortZones(i), c.zones);
            line.text("个");
        }
        line.text("）");
    }
    line.text("中，");
    count(&mut line, CountOf::ZonesFresh, c.zones_fresh);
    line.text("个报送了本季度数据");
    if c.zones_carried > 0 {
        line.text("，");
        count(&mut line, CountOf::ZonesCarried, c.zones_carried);
        line.text("个沿用上期数据");
    }
    if c.zones_without_data > 0 {
        line.text("，");
        count(&mut line, CountOf::ZonesWithoutData, c.zones_without_data);
        line.text("个暂无数据");
    }
    line.text("。");
    files_received(&mut line, r);
    let mut totals = Line::new();
    let first = r.trend.len() <= 1;
    totals.text(match (first, r.cohorts.len()) {
        (true, _) => "试点启动首季度，全省",
        (false, 1) => "试点以来，全省",
        // Each cohort counts from its own start (数据说明 says when).
        _ => "全省",
    });
    let key: Vec<&IndicatorInfo> = r.with_role(Role::Trend).collect();
    for (i, info) in key.iter().enumerate() {
        if i > 0 {
            totals.text("；");
        }
        indicator_clause(&mut totals, r, info, !first, w);
    }
    totals.text("。");
    if !first {
        joined(&mut totals, r, &key);
    }
    if !first && year_ago_is_launch(r) {
        totals.text("上年同季为试点启动首季度，当季数据为启动时的集中填报，不作同比。");
    }
    vec![line.finish(), totals.finish()]
}

/// `本季度共收到报表19份，采用17份，退回修改1份，被更正重报取代1份。`:
/// every file received is accounted for, so the parts add up.
fn files_received(line: &mut Line, r: &Report) {
    let c = &r.counts;
    line.text("本季度共收到报表");
    count(line, CountOf::Files, c.files);
    line.text("份，采用");
    count(line, CountOf::ReturnsAccepted, c.returns_accepted);
    line.text("份");
    let parts = [
        (CountOf::ReturnsSentBack, c.returns_sent_back, "退回修改"),
        (
            CountOf::ReturnsSuperseded,
            c.returns_superseded,
            "被更正重报取代",
        ),
        (CountOf::FilesUnreadable, c.files_unreadable, "无法读取"),
    ];
    for (of, n, what) in parts {
        if n > 0 {
            line.text(&format!("，{what}"));
            count(line, of, n);
            line.text("份");
        }
    }
    line.text("。");
}

/// `本季新加入43个高新区（2027年加入的高新区），带来合作研发项目173个、…，
/// 计入累计值，不参与环比、同比。`: the entry of a cohort, said apart from
/// growth (docs/brief.md §2.3 ②).
fn joined(line: &mut Line, r: &Report, key: &[&IndicatorInfo]) {
    let entered: Vec<(&IndicatorInfo, crate::report::Entered)> = key
        .iter()
        .filter_map(|i| Some((*i, r.headline(&i.code)?.flows.entered?)))
        .collect();
    let Some((first, e)) = entered.first() else {
        return;
    };
    let of = |info: &IndicatorInfo, measure| FigureOf::Indicator {
        at: At::Province,
        code: info.code.clone(),
        measure,
    };
    line.text("本季新加入");
    line.figure(
        of(first, Measure::EnteredZones),
        Form::Count,
        e.zones as f64,
    );
    line.text("个高新区");
    let names: Vec<&str> = r
        .cohorts
        .iter()
        .filter(|c| c.joins_now)
        .map(|c| c.name.as_str())
        .collect();
    if !names.is_empty() {
        line.text(&format!("（{}）", names.join("、")));
    }
    line.text("，带来");
    for (i, (info, e)) in entered.iter().enumerate() {
        let scale = info.scale();
        line.text(&format!("{}{}", if i > 0 { "、" } else { "" }, info.name));
        line.figure(
            of(info, Measure::Entered),
            Form::Amount(scale.clone()),
            e.value,
        );
        line.text(&scale.unit);
    }
    line.text("，计入累计值，不参与环比、同比。");
}

/// The quarter a year ago is the programme's launch quarter.
fn year_ago_is_launch(r: &Report) -> bool {
    let key = r.with_role(Role::Trend).filter_map(|i| r.headline(&i.code));
    key.into_iter().any(|h| against_launch(&h.flows.yoy))
        && r.flow_rules
            .launch
            .is_some_and(|l| l.quarter == r.period.quarter && l.year + 1 == r.period.year)
}

/// `累计合作研发项目475个，本季新增47个，按两季均有本期数据的17个高新区可比口径，环比增长9.3%`.
fn indicator_clause(line: &mut Line, r: &Report, info: &IndicatorInfo, flows: bool, w: &Wording) {
    let Some(h) = r.headline(&info.code) else {
        return;
    };
    let scale = info.scale();
    let of = |measure| FigureOf::Indicator {
        at: At::Province,
        code: info.code.clone(),
        measure,
    };
    let total_word = if info.stock { "季末" } else { "累计" };
    line.text(&format!("{total_word}{}", info.name));
    line.figure(
        of(Measure::Total),
        Form::Amount(scale.clone()),
        h.figure.value,
    );
    line.text(&scale.unit);
    if !flows {
        return;
    }
    added(line, of(Measure::ThisQuarter), info, h.flows.this_quarter);
    // A stock's level is compared with last quarter's; the growth of its
    // change of level would read as growth of the level.
    if info.stock {
        return;
    }
    compared(line, &h.flows, FlowMeasure::QuarterOnQuarter, info, &of, w);
    compared(line, &h.flows, FlowMeasure::YearOnYear, info, &of, w);
}

/// `，本季新增120个` / `，本季无新增` / a stock's `，较上季度增加12人`.
fn added(line: &mut Line, of: FigureOf, info: &IndicatorInfo, flow: Option<f64>) {
    let Some(d) = flow else {
        return;
    };
    let scale = info.scale();
    if d == 0.0 {
        line.text(if info.stock {
            "，与上季度持平"
        } else {
            "，本季无新增"
        });
        return;
    }
    let word = match (info.stock, d) {
        (true, d) if d > 0.0 => "，较上季度增加",
        (true, _) => "，较上季度减少",
        (false, _) => "，本季新增",
    };
    line.text(word);
    line.figure(of, Form::Amount(scale.clone()), d);
    line.text(&scale.unit);
}

/// Targets met or on track, milestones not yet due, the zones and cities
/// that added most, the other headline indicators.
fn progress(r: &Report, w: &Wording) -> Vec<Paragraph> {
    let mut paragraphs = Vec::new();
    let mut ahead: Vec<&TargetProgress> = r
        .targets
        .iter()
        .filter(|t| matches!(t.status, TargetStatus::Met | TargetStatus::OnTrack))
        .collect();
    ahead.sort_by(|a, b| b.progress.total_cmp(&a.progress));
    let mut line = Line::new();
    if ahead.is_empty() {
        line.text("从目标进度看，暂无进度符合预期的目标。");
    } else {
        line.text("从目标进度看，");
        for (i, t) in ahead.iter().take(w.targets_named).enumerate() {
            line.text(if i > 0 { "；" } else { "" });
            standing(&mut line, r, t);
            outlook(&mut line, r, t);
        }
        if ahead.len() > w.targets_named {
            line.text(&format!("等{}项目标进度符合预期", count_words(ahead.len())));
        }
        line.text("。");
    }
    for t in r
        .targets
        .iter()
        .filter(|t| t.status == TargetStatus::Pending)
    {
        milestone(&mut line, r, t);
        line.text("。");
    }
    paragraphs.push(line.finish());
    if let Some(p) = movers(r, w) {
        paragraphs.push(p);
    }
    if let Some(p) = other_indicators(r, w) {
        paragraphs.push(p);
    }
    paragraphs
}

/// The zones (by each indicator that ranks zones) and the cities (by the
/// ranking indicator) that added most this quarter, in one sentence each:
/// `本季新增较多的高新区：合作研发项目为甲（5个）、乙（4个）；合作经费投入为…。`
fn movers(r: &Report, w: &Wording) -> Option<Paragraph> {
    if r.trend.len() <= 1 {
        return None;
    }
    let mut line = Line::new();
    let charted: Vec<&IndicatorInfo> = r
        .indicators
        .iter()
        .filter(|i| i.has(Role::Rank) || i.has(Role::ZoneChart))
        .collect();
    let mut said = false;
    for info in charted {
        let zones: Vec<(At, String, f64)> = r
            .zones
            .iter()
            .filter(|z| z.basis == Basis::Fresh)
            .filter_map(|z| {
                let d = z.flows.get(&info.code)?.this_quarter?;
                Some((At::Zone(z.code.clone()), z.name.clone(), d))
            })
            .collect();
        let lead = if said {
            "；"
        } else {
            "本季新增较多的高新区："
        };
        said |= leaders(&mut line, lead, info, zones, w.zones_named);
    }
    if said {
        line.text("。");
    }
    if let Some(info) = r.rank_indicator() {
        let cities: Vec<(At, String, f64)> = r
            .cities
            .iter()
            .filter_map(|c| {
                let d = c.flows.get(&info.code)?.this_quarter?;
                Some((At::City(c.city.clone()), c.city.clone(), d))
            })
            .collect();
        if leaders(&mut line, "按设区市，", info, cities, w.cities_named) {
            line.text("。");
        }
    }
    (!line.is_empty()).then(|| line.finish())
}

/// `合作研发项目为甲（5个）、乙、丙（各4个）`: the first `n` by the
/// quarter's flow, a tie at the cut-off named whole or not at all; equal
/// neighbours share their figure. False when no one added anything.
fn leaders(
    line: &mut Line,
    lead: &str,
    info: &IndicatorInfo,
    mut rows: Vec<(At, String, f64)>,
    n: usize,
) -> bool {
    rows.retain(|(_, _, d)| *d > 0.0);
    rows.sort_by(|a, b| b.2.total_cmp(&a.2));
    let shown = named(&rows, n, |r| r.2);
    if shown == 0 {
        return false;
    }
    let scale = info.scale();
    line.text(&format!("{lead}{}为", info.name));
    let mut i = 0;
    while i < shown {
        let same = rows[i..shown]
            .iter()
            .take_while(|x| x.2 == rows[i].2)
            .count();
        let names: Vec<String> = rows[i..i + same].iter().map(|x| x.1.clone()).collect();
        line.text(if i > 0 { "、" } else { "" });
        line.text(&format!(
            "{}（{}",
            names.join("、"),
            if same > 1 { "各" } else { "" }
        ));
        let of = FigureOf::Indicator {
            at: rows[i].0.clone(),
            code: info.code.clone(),
            measure: Measure::ThisQuarter,
        };
        line.figure(of, Form::Amount(scale.clone()), rows[i].2);
        line.text(&format!("{}）", scale.unit));
        i += same;
    }
    true
}

/// `此外，常驻园区师生…；服务企业…。`: the headline indicators not in the
/// overview.
fn other_indicators(r: &Report, w: &Wording) -> Option<Paragraph> {
    let others: Vec<&IndicatorInfo> = r
        .with_role(Role::Headline)
        .filter(|i| !i.has(Role::Trend))
        .collect();
    if others.is_empty() {
        return None;
    }
    let mut line = Line::new();
    line.text("此外，");
    for (i, info) in others.iter().enumerate() {
        if i > 0 {
            line.text("；");
        }
        indicator_clause(&mut line, r, info, r.trend.len() > 1, w);
    }
    line.text("。");
    Some(line.finish())
}

/// Targets at 关注 or 滞后 with the projection that makes them so; zones
/// sent back, late, missing; indicators whose flow fell on the panel.
fn problems(r: &Report, w: &Wording) -> Vec<Paragraph> {
    let behind = lagging(r);
    let mut line = Line::new();
    if behind.is_empty() {
        line.text("从目标进度看，各项目标进度均不慢于预期，暂无滞后的目标。");
    } else {
        line.text("从目标进度看，");
        for (i, t) in behind.iter().take(w.targets_named).enumerate() {
            line.text(if i > 0 { "；" } else { "" });
            standing(&mut line, r, t);
            outlook(&mut line, r, t);
        }
        let rest = others(&behind[behind.len().min(w.targets_named)..]);
        if !rest.is_empty() {
            line.text(&format!("；{rest}"));
        }
        line.text("。");
    }
    let mut paragraphs = vec![line.finish()];
    paragraphs.push(reporting(r));
    if let Some(p) = falls(r, w) {
        paragraphs.push(p);
    }
    paragraphs
}

fn names_with(r: &Report, status: ReportingStatus) -> Vec<String> {
    r.submissions
        .iter()
        .filter(|s| s.status == status)
        .map(|s| s.zone.clone())
        .collect()
}

/// Who was sent back (by the checks or by a reviewer), late or missing;
/// then where the review stands.
fn reporting(r: &Report) -> Paragraph {
    let mut line = Line::new();
    let sent_back = names_with(r, ReportingStatus::SentBack);
    let late = names_with(r, ReportingStatus::Late);
    let missing = names_with(r, ReportingStatus::Missing);
    if sent_back.is_empty() && late.is_empty() && missing.is_empty() {
        line.text("从报送情况看，本季度各高新区均按时报送，报表均已采用");
        review_clause(&mut line, r);
        line.text("。");
        return line.finish();
    }
    line.text("从报送情况看，");
    let mut parts: Vec<String> = Vec::new();
    let (by_review, by_checks): (Vec<_>, Vec<_>) = r
        .submissions
        .iter()
        .filter(|s| s.status == ReportingStatus::SentBack)
        .partition(|s| s.returned_by_review());
    let names = |v: &[&crate::report::SubmissionStatus]| {
        v.iter()
            .map(|s| s.zone.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    if !by_checks.is_empty() {
        parts.push(format!(
            "{}的报表存在错误，已退回修改，本期数据沿用此前已采用的数据",
            names(&by_checks)
        ));
    }
    if !by_review.is_empty() {
        parts.push(format!(
            "{}的报表经审核退回修改，本期数据沿用此前已采用的数据",
            names(&by_review)
        ));
    }
    if !late.is_empty() {
        parts.push(format!("{}迟报，数据已采用", late.join("、")));
    }
    if !missing.is_empty() {
        parts.push(format!("{}尚未报送", missing.join("、")));
    }
    line.text(&parts.join("；"));
    review_clause(&mut line, r);
    line.text("。");
    line.finish()
}

/// `；审核方面，审核通过3份，已报送待审12份，待说明2份`: the review's part of
/// the one table (docs/review-workflow.md); nothing when no level reviews.
fn review_clause(line: &mut Line, r: &Report) {
    if r.submissions.iter().all(|s| s.review.is_none()) {
        return;
    }
    let mut first = true;
    for st in [
        QuarterState::Approved,
        QuarterState::Awaiting,
        QuarterState::Unexplained,
    ] {
        let n = r.submissions.iter().filter(|s| s.state == st).count();
        if n == 0 {
            continue;
        }
        line.text(if first { "；审核方面，" } else { "，" });
        line.text(st.label_zh());
        count(line, CountOf::ZonesInState(st), n);
        line.text("份");
        first = false;
    }
}

/// `合作研发项目本季新增环比下降12.0%。`: key flows that fell on the panel.
fn falls(r: &Report, w: &Wording) -> Option<Paragraph> {
    let mut line = Line::new();
    for info in r.with_role(Role::Headline).filter(|i| !i.stock) {
        let Some(q) = r
            .headline(&info.code)
            .and_then(|h| h.flows.quarter_on_quarter)
        else {
            continue;
        };
        if super::line::trend(q, w) != Trend::Fall {
            continue;
        }
        line.text(if line.is_empty() {
            "从本季新增看，"
        } else {
            "；"
        });
        line.text(&format!("{}本季新增环比下降", info.name));
        let of = FigureOf::Indicator {
            at: At::Province,
            code: info.code.clone(),
            measure: Measure::QuarterOnQuarter,
        };
        line.figure(of, Form::Percent(1), q);
    }
    if line.is_empty() {
        return None;
    }
    line.text("（可比口径）。");
    Some(line.finish())
}

/// The paces the lagging targets need; what each zone is asked to do,
/// by what happened to its return.
fn next_steps(r: &Report, w: &Wording) -> Vec<Paragraph> {
    let behind = lagging(r);
    let mut first = Line::new();
    if behind.iter().any(|t| t.needs_pace()) {
        first.text("一是加快推进进度滞后的目标，");
        paces(&mut first, r, &behind);
        first.text("。");
    } else {
        first.text("一是保持现有推进节奏，巩固各项目标的进度。");
    }
    let mut paragraphs = vec![first.finish(), asks(r)];
    paragraphs.extend(movers_advice(r, w));
    paragraphs
}

/// 二是…: sent back → correct and resend by the feedback's date; missing →
/// 催报; late but accepted → on time next quarter.
fn asks(r: &Report) -> Paragraph {
    let mut line = Line::new();
    line.text("二是");
    let sent_back = names_with(r, ReportingStatus::SentBack);
    if !sent_back.is_empty() {
        line.text("督促").names(&sent_back).text("按反馈意见修改");
        if let Some(date) = resend_by(r, &sent_back) {
            line.text("，于");
            line.calendar(FigureOf::ReplyBy, crate::format::date_zh(date));
            line.text("前");
        } else {
            line.text("后");
        }
        line.text("重新报送；");
    }
    let missing = names_with(r, ReportingStatus::Missing);
    if !missing.is_empty() {
        line.text("催报")
            .names(&missing)
            .text("，尽快报送本季度报表；");
    }
    let late = names_with(r, ReportingStatus::Late);
    if !late.is_empty() {
        line.text("提醒")
            .names(&late)
            .text("下季度在截止日前报送；");
    }
    line.text("继续做好季度数据报送和核实，确保数据真实准确。");
    line.finish()
}

/// The date the sent-back zones are asked to resend by (their feedback's
/// 处理期限), when configured.
fn resend_by(r: &Report, zones: &[String]) -> Option<chrono::NaiveDate> {
    r.feedback
        .iter()
        .filter(|b| b.zone.as_ref().is_some_and(|z| zones.contains(z)))
        .filter_map(|b| b.reply_by)
        .max()
}

/// 三是…: spread what the leading zones do, when some zone added nothing.
fn movers_advice(r: &Report, _w: &Wording) -> Option<Paragraph> {
    let info = r.rank_indicator()?;
    let idle: Vec<String> = r
        .zones
        .iter()
        .filter(|z| z.basis == Basis::Fresh)
        .filter(|z| z.flows.get(&info.code).and_then(|f| f.this_quarter) == Some(0.0))
        .map(|z| z.name.clone())
        .collect();
    if idle.is_empty() || r.trend.len() <= 1 {
        return None;
    }
    let mut line = Line::new();
    line.text(&format!("三是推广新增{}较多高新区的做法，推动", info.name));
    line.names(&idle);
    line.text(&format!(
        "等本季度{}无新增的高新区加强与结对高校的合作。",
        info.name
    ));
    Some(line.finish())
}
