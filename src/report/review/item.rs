//! One value scored: where it is, its warnings, its parts, its reason.

use super::impact::{impact, rank_changes, At, Impact};
use super::suspicion::{Hb, Own};
use super::{Context, Measure, Point, ReviewItem};
use crate::config::Role;
use crate::format::{group_thousands, is_money, percent_fine};
use crate::model::{CellPos, Severity};
use crate::report::{ExplanationStatus, FlowBasis, Level};

/// Where a value is read from.
struct Place {
    file: String,
    sheet: String,
    cell: String,
    /// Findings in this 0-based row (an indicator's row) or column (a
    /// list's amount column) are on the value.
    row: Option<u32>,
    column: Option<u32>,
}

/// The suspicion's parts.
struct Parts {
    own: Option<Own>,
    own_score: f64,
    hb_score: f64,
    /// Own history or cross-section would suspect the value, but it lies
    /// less than the least deviation from what either expects.
    below_min: bool,
    open: usize,
    explained: usize,
    rules: Vec<String>,
}

impl Context<'_> {
    /// The value the zone's history expects: last quarter's plus its usual
    /// flow, or last quarter's × the zones' median ratio.
    pub(super) fn expected(&self, m: Measure, p: &Point, hb: Option<&Hb>) -> Option<f64> {
        match (self.own(m, p), hb, p.previous) {
            (Some(o), _, Some(prev)) => Some(o.expected(prev)),
            (None, Some(h), Some(prev)) => Some(prev * h.median_ratio),
            _ => None,
        }
    }

    fn own(&self, m: Measure, p: &Point) -> Option<Own> {
        p.previous.and_then(|_| {
            Own::new(
                &self.recent(&p.zone, m),
                m.stock(),
                &self.q.config.review.own,
            )
        })
    }

    /// `total`: the province total as expected (see docs/review.md §3).
    pub(super) fn item(
        &self,
        m: Measure,
        p: &Point,
        hb: Option<&Hb>,
        total: f64,
        points: &[Point],
    ) -> ReviewItem {
        let cfg = &self.q.config.review;
        let place = self.place(m, &p.zone);
        let parts = self.parts(m, p, hb, &place);
        let w = &cfg.weights;
        let suspicion = w.own_history * parts.own_score
            + w.cross_section * parts.hb_score
            + w.open_warning * parts.open as f64
            + w.explained_warning * parts.explained as f64;
        let expected = self.expected(m, p, hb);
        let own_leads = parts.own.is_some()
            && w.own_history * parts.own_score >= w.cross_section * parts.hb_score;
        let range = p
            .previous
            .and_then(|prev| match (own_leads, parts.own, hb) {
                (true, Some(o), _) => Some(o.range(prev)),
                (_, _, Some(h)) => h.range(prev),
                (_, Some(o), None) => Some(o.range(prev)),
                _ => None,
            });
        let imp = self.impact_of(m, p, expected, total, points);
        let score = 100.0 * suspicion * imp.weight;
        ReviewItem {
            rank: 0,
            zone_code: p.zone.clone(),
            zone: self.q.zone_name(&p.zone),
            indicator: m.key(),
            indicator_name: m.name(),
            unit: m.unit().to_string(),
            reason: self.reason(m, p, &parts, hb, &imp),
            file: place.file,
            sheet: place.sheet,
            cell: place.cell,
            value: p.now,
            previous: p.previous,
            expected,
            expected_low: range.map(|r| r.0),
            expected_high: range.map(|r| r.1),
            deviation_share: imp.share,
            own_history: parts.own_score,
            cross_section: parts.hb_score,
            warnings_open: parts.open,
            warnings_explained: parts.explained,
            suspicion,
            targets_at_stake: imp.targets,
            rank_at_stake: imp.rank,
            impact: imp.weight,
            score,
        }
    }

    /// Own history and cross-section each count only when the value lies
    /// at least the measure's least deviation from what that part expects.
    fn parts(&self, m: Measure, p: &Point, hb: Option<&Hb>, place: &Place) -> Parts {
        let least = m.min_deviation(self.q.config);
        let own = self.own(m, p);
        let (own_score, own_small) = match (own, p.previous) {
            (Some(o), Some(prev)) => gated(o.score(prev, p.now), p.now - o.expected(prev), least),
            _ => (0.0, false),
        };
        let (hb_score, hb_small) = match (hb, p.previous) {
            (Some(h), Some(prev)) => {
                gated(h.score(prev, p.now), p.now - prev * h.median_ratio, least)
            }
            _ => (0.0, false),
        };
        let (open, explained, rules) = self.warnings(place, m);
        Parts {
            own,
            own_score,
            hb_score,
            below_min: own_small || hb_small,
            open,
            explained,
            rules,
        }
    }

    fn impact_of(
        &self,
        m: Measure,
        p: &Point,
        expected: Option<f64>,
        total: f64,
        points: &[Point],
    ) -> Impact {
        let city = self
            .q
            .config
            .registry
            .zone(&p.zone)
            .map_or("", |z| z.city.as_str());
        let (code, ranks) = match m {
            Measure::Indicator(_, i) => (Some(i.code.as_str()), i.roles.contains(&Role::Rank)),
            _ => (None, false),
        };
        let others: Vec<f64> = points
            .iter()
            .filter(|o| o.zone != p.zone)
            .map(|o| o.now)
            .collect();
        let rank = ranks && expected.is_some_and(|e| rank_changes(p.now, e, &others));
        let at = At {
            zone: &p.zone,
            city,
            code,
        };
        let deviation = expected.map_or(0.0, |e| p.now - e);
        impact(self.q.config, &at, deviation, total, self.targets, rank)
    }

    /// The cell of an indicator's 累计值; for a list total, the list's rows
    /// (累计到位经费: its column's cells).
    fn place(&self, m: Measure, zone: &str) -> Place {
        if let Measure::Indicator(_, i) = m {
            let fact = self.facts.get(&(zone, i.code.as_str()));
            return Place {
                file: fact.map(|f| f.file.clone()).unwrap_or_default(),
                sheet: fact.map(|f| f.sheet.clone()).unwrap_or_default(),
                cell: fact.map(|f| f.cell.clone()).unwrap_or_default(),
                row: fact.and_then(|f| CellPos::parse_a1(&f.cell)).map(|c| c.row),
                column: None,
            };
        }
        let Some(ret) = self.q.figures.lists.used.get(zone) else {
            return Place {
                file: String::new(),
                sheet: String::new(),
                cell: String::new(),
                row: None,
                column: None,
            };
        };
        let funded: Vec<CellPos> = ret
            .projects
            .iter()
            .filter_map(|r| r.funded.as_ref().map(|f| f.cell))
            .collect();
        let rows = (ret.projects.first(), ret.projects.last());
        let cell = match (m, funded.first(), funded.last(), rows) {
            (Measure::Funded, Some(a), Some(b), _) => format!("{}:{}", a.a1(), b.a1()),
            (_, _, _, (Some(a), Some(b))) => format!("第{}–{}行", a.row, b.row),
            _ => String::new(),
        };
        Place {
            file: ret.source.name.clone(),
            sheet: ret
                .projects
                .first()
                .map(|r| r.sheet.to_string())
                .unwrap_or_default(),
            cell,
            row: None,
            column: funded.first().map(|c| c.col),
        }
    }

    /// Warnings on the value: (still to explain, explained, their rules).
    fn warnings(&self, place: &Place, m: Measure) -> (usize, usize, Vec<String>) {
        let (mut open, mut explained, mut rules) = (0, 0, Vec::new());
        for l in self.findings {
            let f = &l.finding;
            let here = f.severity == Severity::Warning
                && f.file.as_deref() == Some(place.file.as_str())
                && f.sheet.as_deref() == Some(place.sheet.as_str());
            if !here || !on_value(f, place, m) {
                continue;
            }
            match l.explanation_status() {
                ExplanationStatus::Pending => open += 1,
                ExplanationStatus::Explained => explained += 1,
                _ => continue,
            }
            if !rules.contains(&f.rule) {
                rules.push(f.rule.clone());
            }
        }
        (open, explained, rules)
    }
}

/// A warning on the value's sheet is on the value: in its row (an
/// indicator), in its column (累计到位经费), or a V08 elsewhere on the
/// list (合同金额, whose column the return does not locate).
fn on_value(f: &crate::model::Finding, place: &Place, m: Measure) -> bool {
    let pos = f.cell.as_deref().and_then(CellPos::parse_a1);
    match m {
        Measure::Indicator(..) => pos.is_some_and(|c| Some(c.row) == place.row),
        Measure::Funded => pos.is_some_and(|c| Some(c.col) == place.column),
        Measure::Contract => f.rule == "V08" && pos.map(|c| c.col) != place.column,
    }
}

/// A figure as the reason line shows it: counts and amounts of 100 or
/// more whole, smaller amounts to 2 decimals.
pub(super) fn shown(v: f64, unit: &str) -> String {
    let decimals = if is_money(unit) && v.abs() < 100.0 {
        100.0
    } else {
        1.0
    };
    group_thousands((v * decimals).round() / decimals)
}

/// A part's score, and whether it was set to 0 because the value lies
/// less than `least` from what the part expects (and would otherwise
/// have been named in the reason).
fn gated(score: f64, deviation: f64, least: f64) -> (f64, bool) {
    if deviation.abs() < least {
        (0.0, score >= 0.5)
    } else {
        (score, false)
    }
}

impl Context<'_> {
    /// Why the value is listed, in one Chinese line.
    fn reason(
        &self,
        m: Measure,
        p: &Point,
        parts: &Parts,
        hb: Option<&Hb>,
        imp: &Impact,
    ) -> String {
        let mut out = movement_text(m, p, parts, hb);
        if p.previous.is_none() {
            out.push(format!(
                "本季变动不是可比的单季流量（{}），不与历史比较",
                self.unmeasured_note(m, &p.zone)
            ));
        } else if parts.below_min {
            out.push(format!(
                "偏离预期不足{}{}，不计为可疑",
                shown(m.min_deviation(self.q.config), m.unit()),
                m.unit()
            ));
        }
        out.extend(warnings_text(parts));
        for t in &imp.targets {
            out.push(format!("可能改变目标“{t}”的状态"));
        }
        if imp.rank {
            out.push("可能改变分区排名".to_string());
        }
        if out.is_empty() {
            return "与本区历史和各区增长一致".to_string();
        }
        out.join("；")
    }

    /// Why a zone's movement this quarter is no measured flow, from the
    /// flow rule's own basis (`report::flows`): entry quarter, first
    /// figures, carried figures last quarter.
    fn unmeasured_note(&self, m: Measure, zone: &str) -> String {
        let code = match m {
            Measure::Indicator(_, i) => i.code.as_str(),
            _ => self.q.config.indicators.all[0].code.as_str(),
        };
        let basis = self.q.flows(Level::Zone(zone), code).basis;
        match basis {
            FlowBasis::LastQuarter => "上季度无可比数据".to_string(),
            b => b.note_zh(m.stock()),
        }
    }
}

/// The own-history and cross-section parts in words, when they count.
fn movement_text(m: Measure, p: &Point, parts: &Parts, hb: Option<&Hb>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let unit = m.unit();
    if let (Some(own), Some(prev)) = (parts.own, p.previous) {
        if parts.own_score >= 0.5 {
            out.push(own_text(&own, prev, p.now, unit));
        }
    }
    if let (Some(h), Some(prev)) = (hb, p.previous) {
        if parts.hb_score >= 0.5 && prev > 0.0 {
            let beyond = if parts.hb_score >= 1.0 {
                "，超出各区增长的稳健界限"
            } else {
                ""
            };
            let alone = if parts.own.is_none() {
                "本区此前可比季度不足，只与各区比较："
            } else {
                ""
            };
            out.push(format!(
                "{alone}较上季增长 {}，各区中位数 {}{beyond}",
                percent_fine(p.now / prev - 1.0),
                percent_fine(h.median_ratio - 1.0)
            ));
        }
    }
    out
}

/// The warnings on the value's cell in words.
fn warnings_text(parts: &Parts) -> Option<String> {
    if parts.open > 0 {
        Some(format!(
            "{} 条警告待说明（{}）",
            parts.open,
            parts.rules.join("、")
        ))
    } else if parts.explained > 0 {
        Some(format!(
            "{} 条警告已说明（{}）",
            parts.explained,
            parts.rules.join("、")
        ))
    } else {
        None
    }
}

/// The own-history part in words.
fn own_text(own: &Own, prev: f64, now: f64, unit: &str) -> String {
    let n = own.quarters;
    if own.stock {
        return format!(
            "较上季由 {} 变为 {}{unit}，本区此前{n}个可比季度变动中位数 {}",
            shown(prev, unit),
            shown(now, unit),
            percent_fine(own.usual.exp() - 1.0)
        );
    }
    let flow = now - prev;
    let usual = shown(own.usual, unit);
    if flow <= 0.0 {
        return format!(
            "本季新增为 0（累计值与上季相同），本区此前{n}个可比季度新增中位数 {usual}{unit}"
        );
    }
    if own.usual < 0.5 {
        return format!(
            "本季新增 {}{unit}，本区此前{n}个可比季度新增中位数为 0",
            shown(flow, unit)
        );
    }
    let ratio = flow / own.usual;
    if ratio >= 1.0 {
        format!(
            "本季新增 {}{unit}，是本区此前{n}个可比季度中位数 {usual} 的 {:.1} 倍",
            shown(flow, unit),
            ratio
        )
    } else {
        format!(
            "本季新增 {}{unit}，仅为本区此前{n}个可比季度中位数 {usual} 的 {}",
            shown(flow, unit),
            percent_fine(ratio)
        )
    }
}
