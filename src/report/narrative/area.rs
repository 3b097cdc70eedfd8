//! The paragraph on a city's or zone's own page (docs/brief.md §3): how it
//! reported, its key figures with their share of the province and rank,
//! and its targets.

use super::line::{count_words, growth, Line};
use super::{At, FigureOf, Form, Measure, Paragraph, TargetField};
use crate::config::Wording;
use crate::report::{Basis, CityRow, Flows, Report, ReportingStatus, Role, ZoneRow};

/// A zone's paragraph.
pub fn zone_paragraph(r: &Report, z: &ZoneRow, w: &Wording) -> Paragraph {
    let mut line = Line::new();
    line.text(&format!("{}本季度", z.name));
    let status = r.submissions.iter().find(|s| s.code == z.code);
    line.text(match (status.map(|s| s.status), z.basis) {
        (Some(ReportingStatus::Reported), _) => "按时报送了季度报表，数据已采用",
        (Some(ReportingStatus::Late), _) => "迟报了季度报表，数据已采用",
        (Some(ReportingStatus::SentBack), Basis::Carried) => {
            "报送的报表存在错误，已退回修改，本期沿用此前已采用的数据"
        }
        (Some(ReportingStatus::SentBack), _) => "报送的报表存在错误，已退回修改，暂无数据",
        (_, Basis::Carried) => "尚未报送季度报表，本期沿用此前已采用的数据",
        _ => "尚未报送季度报表，暂无数据",
    });
    line.text("。");
    if z.basis != Basis::NoData {
        let at = At::Zone(z.code.clone());
        let fresh = z.basis == Basis::Fresh && r.trend.len() > 1;
        key_figures(&mut line, r, &at, |code| zone_values(z, code), fresh, w);
    }
    targets(&mut line, r, |t| t.scope.zone() == Some(&z.code));
    line.finish()
}

/// A city's paragraph.
pub fn city_paragraph(r: &Report, c: &CityRow, w: &Wording) -> Paragraph {
    let mut line = Line::new();
    line.text(&format!("{}有{}个试点高新区", c.city, count_words(c.zones)));
    if c.zones_with_data < c.zones {
        line.text(&format!("，其中{}个有数据", count_words(c.zones_with_data)));
    }
    if !c.zones_carried.is_empty() {
        line.text(&format!(
            "，{}本期沿用此前已采用的数据",
            c.zones_carried.join("、")
        ));
    }
    line.text("。");
    if c.zones_with_data > 0 {
        let at = At::City(c.city.clone());
        let values = |code: &str| Some((c.figures.get(code)?.value, *c.flows.get(code)?));
        key_figures(&mut line, r, &at, values, r.trend.len() > 1, w);
    }
    targets(&mut line, r, |t| t.scope.label_zh() == c.city);
    line.finish()
}

fn zone_values(z: &ZoneRow, code: &str) -> Option<(f64, Flows)> {
    Some((z.figures.get(code)?.value, *z.flows.get(code)?))
}

/// `累计合作研发项目120个，占全省8.2%，居第3位，本季新增12个，环比增长…；…。`
fn key_figures(
    line: &mut Line,
    r: &Report,
    at: &At,
    values: impl Fn(&str) -> Option<(f64, Flows)>,
    with_flows: bool,
    w: &Wording,
) {
    let of = |code: &str, measure| FigureOf::Indicator {
        at: at.clone(),
        code: code.to_string(),
        measure,
    };
    let mut first = true;
    for info in r.with_role(Role::Trend) {
        let Some((value, flows)) = values(&info.code) else {
            continue;
        };
        let scale = info.scale();
        line.text(if first { "试点以来累计" } else { "；" });
        first = false;
        line.text(&info.name);
        line.figure(
            of(&info.code, Measure::Total),
            Form::Amount(scale.clone()),
            value,
        );
        line.text(&scale.unit);
        if let Some(province) = r.headline(&info.code).map(|h| h.figure.value) {
            if province > 0.0 {
                line.text("，占全省");
                let share = FigureOf::Share {
                    at: at.clone(),
                    code: info.code.clone(),
                };
                line.figure(share, Form::Percent(1), value / province);
            }
        }
        if let Some(rank) = rank_of(r, at, &info.code) {
            line.text("，居第");
            let of_rank = FigureOf::Rank {
                at: at.clone(),
                code: info.code.clone(),
            };
            line.figure(of_rank, Form::Count, rank as f64);
            line.text("位");
        }
        if !with_flows {
            continue;
        }
        match flows.this_quarter {
            Some(d) if d > 0.0 => {
                line.text("，本季新增");
                line.figure(
                    of(&info.code, Measure::ThisQuarter),
                    Form::Amount(scale.clone()),
                    d,
                );
                line.text(&scale.unit);
            }
            Some(_) => {
                line.text("，本季无新增");
            }
            None => {}
        }
        if let Some(q) = flows.quarter_on_quarter {
            growth(
                line,
                q,
                of(&info.code, Measure::QuarterOnQuarter),
                "环比",
                "上季度",
                w,
            );
        }
    }
    if !first {
        line.text("。");
    }
}

/// A zone's rank among the zones with data, or a city's among the cities
/// (1 = highest; equal totals share a rank).
pub fn rank_of(r: &Report, at: &At, code: &str) -> Option<usize> {
    match at {
        At::Zone(zone) => rank_among(r.zones.iter().filter(|z| z.basis != Basis::NoData).map(
            |z| {
                (
                    &z.code == zone,
                    z.figures.get(code).map_or(0.0, |f| f.value),
                )
            },
        )),
        At::City(city) => rank_among(r.cities.iter().filter(|c| c.zones_with_data > 0).map(|c| {
            (
                &c.city == city,
                c.figures.get(code).map_or(0.0, |f| f.value),
            )
        })),
        At::Province => None,
    }
}

/// 1 + how many values are strictly above the marked one.
fn rank_among(values: impl Iterator<Item = (bool, f64)>) -> Option<usize> {
    let all: Vec<(bool, f64)> = values.collect();
    let (_, mine) = all.iter().find(|(m, _)| *m)?;
    Some(1 + all.iter().filter(|(_, v)| v > mine).count())
}

/// `目标方面，…已完成目标的60%，快于时间进度…。` for the area's own targets.
fn targets(line: &mut Line, r: &Report, mine: impl Fn(&crate::report::TargetProgress) -> bool) {
    let own: Vec<&crate::report::TargetProgress> = r.targets.iter().filter(|t| mine(t)).collect();
    if own.is_empty() {
        return;
    }
    line.text("目标方面，");
    for (i, t) in own.iter().enumerate() {
        line.text(if i > 0 { "；" } else { "" });
        line.text(&format!("{}已完成目标的", t.name));
        let of = FigureOf::Target {
            id: t.id.clone(),
            field: TargetField::Progress,
        };
        line.figure(of, Form::Percent(0), t.progress);
        line.text(&format!("（{}）", t.status.label_zh()));
    }
    line.text("。");
}
