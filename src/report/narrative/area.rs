//! The paragraph on a city's or zone's own page (docs/brief.md §3): how it
//! reported, its key figures with their share of the province and rank,
//! and its targets.

use super::line::{compared, count_words, Line};
use super::{At, FigureOf, Form, Measure, Paragraph};
use crate::config::Wording;
use crate::report::rank::{places, Place};
use crate::report::{Basis, CityRow, FlowMeasure, Flows, Report, ReportingStatus, Role, ZoneRow};

/// A zone's paragraph.
pub fn zone_paragraph(r: &Report, z: &ZoneRow, w: &Wording) -> Paragraph {
    let mut line = Line::new();
    line.text(&format!("{}本季度", z.name));
    let status = r.submissions.iter().find(|s| s.code == z.code);
    let reviewed_back = status.is_some_and(|s| s.returned_by_review());
    let what = match (status.map(|s| s.status), z.basis) {
        (Some(ReportingStatus::Reported), Basis::Fresh) => "按时报送了季度报表，数据已采用",
        (Some(ReportingStatus::Late), Basis::Fresh) => "迟报了季度报表，数据已采用",
        // Counted only once approved (calendar.toml [review]).
        (Some(ReportingStatus::Reported | ReportingStatus::Late), _) => "报送的报表尚待审核通过",
        (Some(ReportingStatus::SentBack), _) if reviewed_back => "报送的报表经审核退回修改",
        (Some(ReportingStatus::SentBack), _) => "报送的报表存在错误，已退回修改",
        _ => "尚未报送季度报表",
    };
    line.text(what);
    if z.basis != Basis::Fresh {
        line.text(if z.basis == Basis::Carried {
            "，本期沿用此前已采用的数据"
        } else {
            "，暂无数据"
        });
    }
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
    line.text(&format!(
        "{}有{}个{}",
        c.city,
        count_words(c.zones),
        r.stage.zones_word
    ));
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
        line.text(if first { since(r, at) } else { "；" });
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
        if let Some(place) = rank_of(r, at, &info.code) {
            line.text(&format!("，{}第", if place.tied { "并列" } else { "居" }));
            let of_rank = FigureOf::Rank {
                at: at.clone(),
                code: info.code.clone(),
            };
            line.figure(of_rank, Form::Count, place.rank as f64);
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
        if !info.stock {
            let of_measure = |m| of(&info.code, m);
            compared(
                line,
                &flows,
                FlowMeasure::QuarterOnQuarter,
                info,
                &of_measure,
                w,
            );
        }
    }
    if !first {
        line.text("。");
    }
}

/// A zone's place among the zones with data, or a city's among the cities
/// with data (1 = highest; equal totals share a place, said 并列).
pub fn rank_of(r: &Report, at: &At, code: &str) -> Option<Place> {
    let (mine, values): (Option<usize>, Vec<f64>) = match at {
        At::Zone(zone) => {
            let zones: Vec<&ZoneRow> = r
                .zones
                .iter()
                .filter(|z| z.basis != Basis::NoData)
                .collect();
            (
                zones.iter().position(|z| &z.code == zone),
                zones
                    .iter()
                    .map(|z| z.figures.get(code).map_or(0.0, |f| f.value))
                    .collect(),
            )
        }
        At::City(city) => {
            let cities: Vec<&CityRow> = r.cities.iter().filter(|c| c.zones_with_data > 0).collect();
            (
                cities.iter().position(|c| &c.city == city),
                cities
                    .iter()
                    .map(|c| c.figures.get(code).map_or(0.0, |f| f.value))
                    .collect(),
            )
        }
        At::Province => (None, Vec::new()),
    };
    Some(places(&values)[mine?])
}

/// `目标方面，…。` for the area's own targets, each with its measure.
fn targets(line: &mut Line, r: &Report, mine: impl Fn(&crate::report::TargetProgress) -> bool) {
    let own: Vec<&crate::report::TargetProgress> = r.targets.iter().filter(|t| mine(t)).collect();
    super::targets::by_status(line, r, &own);
}

/// What an area's 累计 counts from, said before its first figure: 试点以来累计
/// (pilots only), 加入以来累计 (a later cohort's zone), 累计 (a mix).
fn since(r: &Report, at: &At) -> &'static str {
    let starts: std::collections::BTreeSet<chrono::NaiveDate> = r
        .zones
        .iter()
        .filter(|z| match at {
            At::Zone(code) => &z.code == code,
            At::City(city) => &z.city == city,
            At::Province => true,
        })
        .filter_map(|z| r.cohorts.iter().find(|c| c.year == z.cohort))
        .map(|c| c.start)
        .collect();
    match starts.iter().collect::<Vec<_>>().as_slice() {
        [one] if **one == r.pilot_start => "试点以来累计",
        [_] => "加入以来累计",
        _ => "累计",
    }
}
