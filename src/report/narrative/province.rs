//! The province brief's four sections (docs/brief.md §2.2).

use super::line::{against_launch, compared, count_words, Line, Trend};
use super::TargetField as TF;
use super::{At, CountOf, FigureOf, Form, Heading, Measure, Narrative, Paragraph, Section};
use crate::config::Wording;
use crate::report::{
    Basis, FlowMeasure, IndicatorInfo, Report, ReportingStatus, Role, TargetProgress,
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
    line.text("个试点高新区中，");
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
    line.text("。本季度共收到报表");
    count(&mut line, CountOf::Files, c.files);
    line.text("份，采用");
    count(&mut line, CountOf::ReturnsAccepted, c.returns_accepted);
    line.text("份");
    if c.returns_sent_back > 0 {
        line.text("，退回修改");
        count(&mut line, CountOf::ReturnsSentBack, c.returns_sent_back);
        line.text("份");
    }
    line.text("。");
    let mut totals = Line::new();
    let first = r.trend.len() <= 1;
    totals.text(if first {
        "试点启动首季度，全省"
    } else {
        "试点以来，全省"
    });
    let key: Vec<&IndicatorInfo> = r.with_role(Role::Trend).collect();
    for (i, info) in key.iter().enumerate() {
        if i > 0 {
            totals.text("；");
        }
        indicator_clause(&mut totals, r, info, !first, w);
    }
    totals.text("。");
    let launch_basis = key
        .iter()
        .filter_map(|i| r.headline(&i.code))
        .any(|h| !first && h.flows.this_quarter.is_some() && against_launch(&h.flows.yoy));
    if launch_basis && r.period.quarter == r.flow_rules.launch.map_or(0, |l| l.quarter) {
        totals.text("上年同季为试点启动首季度，与之相比不反映增长，不作同比。");
    }
    vec![line.finish(), totals.finish()]
}

/// `累计合作研发项目1,465个，本季新增120个，环比增长5.0%，同比增长…`.
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

/// Targets ahead of time, the zones and cities that added most, the other
/// headline indicators.
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
            if i > 0 {
                line.text("；");
            }
            target_ahead(&mut line, r, t);
        }
        if ahead.len() > w.targets_named {
            line.text(&format!("等{}项目标进度符合预期", count_words(ahead.len())));
        }
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

fn target_of(t: &TargetProgress, field: TF) -> FigureOf {
    FigureOf::Target {
        id: t.id.clone(),
        field,
    }
}

fn target_name(t: &TargetProgress) -> String {
    format!("{}{}", t.scope.label_zh(), t.name)
}

/// `全省共建产业创新平台已完成目标的62%，快于时间进度12.5个百分点`.
fn target_ahead(line: &mut Line, r: &Report, t: &TargetProgress) {
    let scale = r.scale_of(&t.metric, &t.unit);
    line.text(&target_name(t));
    if t.status == TargetStatus::Met {
        line.text("已达成目标（");
        line.figure(
            target_of(t, TF::Value),
            Form::Amount(scale.clone()),
            t.value,
        );
        line.text(&format!("{}，目标", scale.unit));
        line.figure(
            target_of(t, TF::Goal),
            Form::Amount(scale.clone()),
            t.target,
        );
        line.text(&format!("{}）", scale.unit));
        return;
    }
    line.text("已完成目标的");
    line.figure(target_of(t, TF::Progress), Form::Percent(0), t.progress);
    // An annual target is judged on the due year's flow, not on the time
    // passed since the pilot began: comparing the two would contradict its status.
    if t.kind == crate::config::TargetKind::Annual {
        line.text("（按近四个季度合计）");
        return;
    }
    let gap = t.progress - t.elapsed;
    if gap.abs() < 0.0005 {
        line.text("，与时间进度一致");
    } else {
        line.text(if gap > 0.0 {
            "，快于时间进度"
        } else {
            "，慢于时间进度"
        });
        line.figure(target_of(t, TF::Gap), Form::Points, gap);
        line.text("个百分点");
    }
}

/// The zones (by each indicator that ranks zones) and the cities (by the
/// ranking indicator) that added most this quarter.
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
        leaders(&mut line, info, zones, w.zones_named, "高新区");
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
        leaders(&mut line, info, cities, w.cities_named, "设区市");
    }
    (!line.is_empty()).then(|| line.finish())
}

/// `本季新增合作研发项目较多的高新区是甲（12个）、乙（9个）。`; nothing
/// when no one added anything.
fn leaders(
    line: &mut Line,
    info: &IndicatorInfo,
    mut rows: Vec<(At, String, f64)>,
    n: usize,
    what: &str,
) {
    rows.retain(|(_, _, d)| *d > 0.0);
    rows.sort_by(|a, b| b.2.total_cmp(&a.2));
    if rows.is_empty() {
        return;
    }
    let scale = info.scale();
    line.text(&format!("本季新增{}较多的{what}是", info.name));
    for (i, (at, name, d)) in rows.iter().take(n).enumerate() {
        line.text(if i > 0 { "、" } else { "" });
        line.text(&format!("{name}（"));
        let of = FigureOf::Indicator {
            at: at.clone(),
            code: info.code.clone(),
            measure: Measure::ThisQuarter,
        };
        line.figure(of, Form::Amount(scale.clone()), *d);
        line.text(&format!("{}）", scale.unit));
    }
    line.text("。");
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

/// Targets behind time, zones sent back, late, carried or without data,
/// indicators whose flow fell.
fn problems(r: &Report, w: &Wording) -> Vec<Paragraph> {
    let behind = lagging(r);
    let mut line = Line::new();
    if behind.is_empty() {
        line.text("从目标进度看，各项目标进度均不慢于预期，暂无滞后的目标。");
    } else {
        for (i, t) in behind.iter().take(w.targets_named).enumerate() {
            line.text(if i > 0 { "；" } else { "" });
            target_behind(&mut line, r, t);
        }
        if behind.len() > w.targets_named {
            line.text("；另有");
            line.text(&count_words(behind.len() - w.targets_named));
            line.text("项目标需要关注");
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

/// The targets at 关注 or 滞后, the furthest behind time first.
pub(super) fn lagging(r: &Report) -> Vec<&TargetProgress> {
    let mut behind: Vec<&TargetProgress> = r
        .targets
        .iter()
        .filter(|t| matches!(t.status, TargetStatus::Watch | TargetStatus::Behind))
        .collect();
    behind.sort_by(|a, b| (a.progress - a.elapsed).total_cmp(&(b.progress - b.elapsed)));
    behind
}

/// `…完成目标的30%，慢于时间进度20.0个百分点，按近期进度预计到期达到55个，低于目标80个（滞后）`.
fn target_behind(line: &mut Line, r: &Report, t: &TargetProgress) {
    let scale = r.scale_of(&t.metric, &t.unit);
    target_ahead(line, r, t);
    line.text("，按近期进度预计到期达到");
    line.figure(
        target_of(t, TF::Projection),
        Form::Amount(scale.clone()),
        t.projection,
    );
    line.text(&format!("{}，低于目标", scale.unit));
    line.figure(
        target_of(t, TF::Goal),
        Form::Amount(scale.clone()),
        t.target,
    );
    line.text(&format!("{}（{}）", scale.unit, t.status.label_zh()));
}

fn names_with(r: &Report, status: ReportingStatus) -> Vec<String> {
    r.submissions
        .iter()
        .filter(|s| s.status == status)
        .map(|s| s.zone.clone())
        .collect()
}

/// Who was sent back, late, carried or without data.
fn reporting(r: &Report) -> Paragraph {
    let mut line = Line::new();
    let sent_back = names_with(r, ReportingStatus::SentBack);
    let late = names_with(r, ReportingStatus::Late);
    let missing = names_with(r, ReportingStatus::Missing);
    if sent_back.is_empty() && late.is_empty() && missing.is_empty() {
        line.text("从报送情况看，本季度各高新区均按时报送，报表均已采用。");
        return line.finish();
    }
    line.text("从报送情况看，");
    let mut parts: Vec<String> = Vec::new();
    if !sent_back.is_empty() {
        parts.push(format!(
            "{}的报表存在错误，已退回修改，本期数据沿用上期",
            sent_back.join("、")
        ));
    }
    if !late.is_empty() {
        parts.push(format!("{}迟报", late.join("、")));
    }
    if !missing.is_empty() {
        parts.push(format!("{}尚未报送", missing.join("、")));
    }
    line.text(&parts.join("；")).text("。");
    line.finish()
}

/// `合作研发项目本季新增环比下降12.0%。`: key flows that fell.
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
    line.text("。");
    Some(line.finish())
}

/// The pace each lagging target needs; who must correct or report.
fn next_steps(r: &Report, w: &Wording) -> Vec<Paragraph> {
    let behind = lagging(r);
    let mut first = Line::new();
    if behind.is_empty() {
        first.text("一是保持现有推进节奏，巩固各项目标的领先进度。");
    } else {
        first.text("一是加快推进进度滞后的目标：");
        for (i, t) in behind.iter().enumerate() {
            first.text(if i > 0 { "；" } else { "" });
            pace(&mut first, r, t);
        }
        first.text("。");
    }
    let mut second = Line::new();
    second.text("二是");
    let sent_back = names_with(r, ReportingStatus::SentBack);
    let chase: Vec<String> = names_with(r, ReportingStatus::Missing)
        .into_iter()
        .chain(names_with(r, ReportingStatus::Late))
        .collect();
    if !sent_back.is_empty() {
        second
            .text("督促")
            .names(&sent_back)
            .text("按反馈意见修改后重新报送；");
    }
    if !chase.is_empty() {
        second.text("提醒").names(&chase).text("在截止日前报送；");
    }
    second.text("继续做好季度数据报送和核实，确保数据真实准确。");
    let third = movers_advice(r, w);
    let mut paragraphs = vec![first.finish(), second.finish()];
    paragraphs.extend(third);
    paragraphs
}

/// `全省共建产业创新平台剩余5个季度，需每季度新增8.2个`.
fn pace(line: &mut Line, r: &Report, t: &TargetProgress) {
    let scale = r.scale_of(&t.metric, &t.unit);
    line.text(&format!("{}剩余", target_name(t)));
    line.figure(
        target_of(t, TF::QuartersLeft),
        Form::Count,
        f64::from(t.quarters_left),
    );
    line.text("个季度，需每季度新增");
    let needed = if scale.is_converted() {
        Form::Amount(scale.clone())
    } else {
        Form::Tenths
    };
    line.figure(
        target_of(t, TF::NeededPerQuarter),
        needed,
        t.needed_per_quarter,
    );
    line.text(&scale.unit);
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
