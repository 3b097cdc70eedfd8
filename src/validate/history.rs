//! The rules that compare with earlier quarters (X05–X08), and the record of
//! each zone's last accepted return they compare with.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::normalize::show;
use super::{PeriodCheck, TOLERANCE};
use crate::config::{Config, IndicatorKind};
use crate::model::{Issue, Period, Return};
use crate::text::label_key;

/// Each zone's latest accepted return, by zone code.
#[derive(Debug, Clone, Default)]
pub struct History {
    last: BTreeMap<String, (Period, Arc<Return>)>,
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
        // Last quarter's figures, when last quarter is known: from an accepted
        // return of the previous quarter, or zero before the first quarter.
        let adjacent = last.filter(|(p, _)| *p == period.prev()).map(|(_, r)| r);
        let first_quarter = period == config.calendar.first_period && last.is_none();
        let t = &config.rules.thresholds;

        for indicator in &config.indicators.all {
            let Some(value) = ret.indicators.get(&indicator.code) else {
                continue;
            };
            let Some(cum) = &value.cumulative else {
                continue;
            };
            let flow = indicator.kind == IndicatorKind::Flow;
            let code_name = || format!("{} {}", indicator.code, indicator.name);

            if flow {
                let prev_cum = match adjacent {
                    Some(r) => r.cumulative(&indicator.code),
                    None if first_quarter => Some(0.0),
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
                                .arg("indicator", code_name())
                                .arg("previous", show(prev)),
                        );
                    }
                }
                if let Some(before) = last.and_then(|(_, r)| r.cumulative(&indicator.code)) {
                    if cum.value + TOLERANCE < before {
                        issues.push(
                            Issue::new("X06")
                                .at(&cum.sheet, cum.cell)
                                .value(show(cum.value))
                                .expected(format!("≥ {}", show(before)))
                                .arg("indicator", code_name()),
                        );
                    }
                }
            }

            let Some(prev) = adjacent else { continue };
            let (now, before, basis) = if flow {
                (
                    value.new.as_ref(),
                    prev.new_value(&indicator.code),
                    "本季度新增",
                )
            } else {
                (Some(cum), prev.cumulative(&indicator.code), "累计值")
            };
            if let (Some(now), Some(before)) = (now, before) {
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
                            .arg("indicator", code_name())
                            .arg("item", basis)
                            .arg("previous", show(before))
                            .arg("limit", format!("{}%", show(t.outlier_growth * 100.0))),
                    );
                }
            }
        }

        if let Some((_, before)) = last {
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
