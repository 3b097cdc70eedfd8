//! One value scored: where it is, its warnings, its parts, its reason.

use super::impact::{impact, rank_changes, At, Impact};
use super::suspicion::{Hb, Own};
use super::{Context, Measure, Point, ReviewItem};
use crate::config::Role;
use crate::format::{group_thousands, is_money, percent_fine};
use crate::model::{CellPos, Severity};
use crate::report::ExplanationStatus;

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
            reason: reason(m, p, &parts, hb, &imp),
            file: place.file,
            sheet: place.sheet,
            cell: place.cell,
            value: p.now,
            previous: p.previous,
            expected,
            expected_low: range.map(|r| r.0),
            expected_high: range.map(|r| r.1),
            share: imp.share,
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

    fn parts(&self, m: Measure, p: &Point, hb: Option<&Hb>, place: &Place) -> Parts {
        let own = self.own(m, p);
        let own_score = match (own, p.previous) {
            (Some(o), Some(prev)) => o.score(prev, p.now),
            _ => 0.0,
        };
        let hb_score = match (hb, p.previous) {
            (Some(h), Some(prev)) => h.score(prev, p.now),
            _ => 0.0,
        };
        let (open, explained, rules) = self.warnings(place, m);
        Parts {
            own,
            own_score,
            hb_score,
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

/// Why the value is listed, in one Chinese line.
fn reason(m: Measure, p: &Point, parts: &Parts, hb: Option<&Hb>, imp: &Impact) -> String {
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
            out.push(format!(
                "较上季增长 {}，各区中位数 {}{beyond}",
                percent_fine(p.now / prev - 1.0),
                percent_fine(h.median_ratio - 1.0)
            ));
        }
    }
    if parts.open > 0 {
        out.push(format!(
            "{} 条警告待说明（{}）",
            parts.open,
            parts.rules.join("、")
        ));
    } else if parts.explained > 0 {
        out.push(format!(
            "{} 条警告已说明（{}）",
            parts.explained,
            parts.rules.join("、")
        ));
    }
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

/// The own-history part in words.
fn own_text(own: &Own, prev: f64, now: f64, unit: &str) -> String {
    let n = own.quarters;
    if own.stock {
        return format!(
            "较上季由 {} 变为 {}{unit}，本区以往季度变动中位数 {}",
            shown(prev, unit),
            shown(now, unit),
            percent_fine(own.usual.exp() - 1.0)
        );
    }
    let flow = now - prev;
    let usual = shown(own.usual, unit);
    if flow <= 0.0 {
        return format!(
            "本季新增为 0（累计值与上季相同），本区近{n}个季度新增中位数 {usual}{unit}"
        );
    }
    if own.usual < 0.5 {
        return format!(
            "本季新增 {}{unit}，本区近{n}个季度新增中位数为 0",
            shown(flow, unit)
        );
    }
    let ratio = flow / own.usual;
    if ratio >= 1.0 {
        format!(
            "本季新增 {}{unit}，是本区近{n}个季度中位数 {usual} 的 {:.1} 倍",
            shown(flow, unit),
            ratio
        )
    } else {
        format!(
            "本季新增 {}{unit}，仅为本区近{n}个季度中位数 {usual} 的 {}",
            shown(flow, unit),
            percent_fine(ratio)
        )
    }
}
