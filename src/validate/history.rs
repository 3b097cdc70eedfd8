//! The rules that compare with earlier quarters (X05–X08), and the record of
//! each zone's last accepted return they compare with.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::normalize::show;
use super::{PeriodCheck, TOLERANCE};
use crate::config::{Config, Indicator, IndicatorKind};
use crate::model::{IndicatorValue, Issue, Period, Return, ZoneCode};
use crate::text::label_key;

/// Each zone's latest accepted return, by zone code.
#[derive(Debug, Clone, Default)]
pub struct History {
    last: BTreeMap<ZoneCode, (Period, Arc<Return>)>,
}

impl History {
    /// Records the quarter's accepted returns; gives back the ones they
    /// replace (for the caller to let go of where it costs least).
    pub fn advance(&mut self, check: &PeriodCheck) -> Vec<Arc<Return>> {
        let mut replaced = Vec::new();
        for s in check.submissions.iter().filter(|s| s.verdict.is_accepted()) {
            if let (Some(zone), Some(ret)) = (&s.zone, &s.ret) {
                let before = self
                    .last
                    .insert(zone.clone(), (check.period, Arc::clone(ret)));
                replaced.extend(before.map(|(_, r)| r));
            }
        }
        replaced
    }

    /// The zone's latest accepted return, shared (aggregation keeps it).
    pub fn last_shared(&self, zone: &str) -> Option<(Period, Arc<Return>)> {
        self.last.get(zone).map(|(p, r)| (*p, Arc::clone(r)))
    }

    /// The zone's latest accepted return before now.
    pub fn last(&self, zone: &str) -> Option<(Period, &Return)> {
        self.last.get(zone).map(|(p, r)| (*p, r.as_ref()))
    }

    /// The comparisons with earlier quarters (X05–X08, docs/return-form.md
    /// section 5.10), for a return of `period` whose zone is known.
    pub(super) fn compare(
        &self,
        ret: &Return,
        period: Period,
        config: &Config,
        issues: &mut Vec<Issue>,
    ) {
        let Some(zone) = &ret.zone else { return };
        if ret.period().is_some_and(|p| p != period) {
            return;
        }
        let last = self.last(zone);
        let earlier = Earlier {
            last,
            // Last quarter's figures, when last quarter is known: from an
            // accepted return of the previous quarter, or zero before the
            // first quarter.
            adjacent: last.filter(|(p, _)| *p == period.prev()).map(|(_, r)| r),
            first_quarter: period == config.calendar.first_period && last.is_none(),
        };
        for indicator in &config.indicators.all {
            let Some(value) = ret.indicators.get(&indicator.code) else {
                continue;
            };
            if indicator.kind == IndicatorKind::Flow {
                flow_checks(indicator, value, &earlier, issues);
            }
            jump_check(indicator, value, &earlier, config, issues);
        }
        if let Some((_, before)) = last {
            list_checks(ret, before, issues);
        }
    }
}

/// What a return is compared with.
struct Earlier<'a> {
    /// The zone's latest accepted return before this quarter.
    last: Option<(Period, &'a Return)>,
    /// … when it is last quarter's.
    adjacent: Option<&'a Return>,
    /// This is the pilot's first quarter and the zone has no earlier return.
    first_quarter: bool,
}

fn code_name(indicator: &Indicator) -> String {
    format!("{} {}", indicator.code, indicator.name)
}

/// X05: 本季度新增 = 累计值 − last quarter's 累计值; X06: a flow's 累计值
/// never falls below the latest accepted one.
fn flow_checks(
    indicator: &Indicator,
    value: &IndicatorValue,
    earlier: &Earlier,
    issues: &mut Vec<Issue>,
) {
    let Some(cum) = &value.cumulative else { return };
    let prev_cum = match earlier.adjacent {
        Some(r) => r.cumulative(&indicator.code),
        None if earlier.first_quarter => Some(0.0),
        None => None,
    };
    if let (Some(new), Some(prev)) = (&value.new, prev_cum) {
        let expected = cum.value - prev;
        if (new.value - expected).abs() > TOLERANCE {
            issues.push(
                Issue::new("X05")
                    .at(&new.sheet, new.cell)
                    .value(show(new.value))
                    .expected(show(expected))
                    .arg("indicator", code_name(indicator))
                    .arg("previous", show(prev)),
            );
        }
    }
    let Some((when, last)) = earlier.last else {
        return;
    };
    let before = last.cumulative(&indicator.code);
    if let Some(before) = before.filter(|b| cum.value + TOLERANCE < *b) {
        // The message names the quarter compared with: last quarter's, or
        // the zone's latest accepted return when last quarter had none.
        let quarter = if earlier.adjacent.is_some() {
            format!("上季度（{when}）")
        } else {
            format!("{when}")
        };
        issues.push(
            Issue::new("X06")
                .at(&cum.sheet, cum.cell)
                .value(show(cum.value))
                .expected(format!("≥ {}", show(before)))
                .arg("indicator", code_name(indicator))
                .arg("previous", show(before))
                .arg("other", quarter),
        );
    }
}

/// X08: a steep rise over last quarter (the flow for flow indicators, the
/// level for stock ones).
fn jump_check(
    indicator: &Indicator,
    value: &IndicatorValue,
    earlier: &Earlier,
    config: &Config,
    issues: &mut Vec<Issue>,
) {
    let (Some(cum), Some(prev)) = (&value.cumulative, earlier.adjacent) else {
        return;
    };
    let t = &config.rules.thresholds;
    let (now, before, basis) = if indicator.kind == IndicatorKind::Flow {
        (
            value.new.as_ref(),
            prev.new_value(&indicator.code),
            "本季度新增",
        )
    } else {
        (Some(cum), prev.cumulative(&indicator.code), "累计值")
    };
    let (Some(now), Some(before)) = (now, before) else {
        return;
    };
    let rise = now.value - before;
    let steep = before <= 0.0 || rise / before > t.outlier_growth;
    if rise > t.outlier_min_units && steep {
        issues.push(
            Issue::new("X08")
                .at(&now.sheet, now.cell)
                .value(show(now.value))
                .expected(format!(
                    "上季度 {} 的 {} 倍以内",
                    show(before),
                    show(1.0 + t.outlier_growth)
                ))
                .arg("indicator", code_name(indicator))
                .arg("item", basis)
                .arg("previous", show(before))
                .arg("limit", format!("{}%", show(t.outlier_growth * 100.0))),
        );
    }
}

/// X07 on both lists.
fn list_checks(ret: &Return, before: &Return, issues: &mut Vec<Issue>) {
    if let Some(sheet) = ret.sheets.get("projects") {
        missing_items(
            before.projects.iter().map(|p| p.name.value.as_str()),
            ret.projects.iter().map(|p| p.name.value.as_str()),
            sheet,
            "项目",
            issues,
        );
    }
    if let Some(sheet) = ret.sheets.get("platforms") {
        missing_items(
            before.platforms.iter().map(|p| p.name.value.as_str()),
            ret.platforms.iter().map(|p| p.name.value.as_str()),
            sheet,
            "平台",
            issues,
        );
    }
}

/// X07: names listed last time and gone now.
fn missing_items<'a>(
    before: impl Iterator<Item = &'a str> + Clone,
    now: impl Iterator<Item = &'a str> + Clone,
    sheet: &str,
    kind: &str,
    issues: &mut Vec<Issue>,
) {
    // Lists usually keep last quarter's rows in place and add below them.
    let mut in_place = now.clone();
    if before.clone().all(|b| in_place.next() == Some(b)) {
        return;
    }
    let now: std::collections::HashSet<std::borrow::Cow<str>> = now.map(label_key).collect();
    for name in before {
        if !name.is_empty() && !now.contains(&label_key(name)) {
            issues.push(
                Issue::new("X07")
                    .sheet(sheet)
                    .value(name)
                    .expected(format!("保留上季度已填报的{kind}"))
                    .arg("item_kind", kind),
            );
        }
    }
}
