//! 综合评价: the zones' composite index (`scorecard.toml`, docs/scorecard.md).
//! Each component's values are normalised over the zones scored, weighted,
//! and summed into a score of 0–100; zones are ranked by it (ties share a
//! rank), and last quarter's scores, computed the same way from the fact
//! table, give each zone's change of rank.

mod method;
mod normalise;

use serde::Serialize;

use super::{Basis, Level, Quarter};
use crate::config::{Component, Direction, Measure, NoDataRule, Normalise, ScorecardSettings};
use crate::model::{Period, ZoneCode};
use normalise::{Reference, Rule};

/// The quarter's scorecard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scorecard {
    pub components: Vec<ScoreComponent>,
    /// Participating zones: the ranked ones by rank (ties in registry
    /// order), then the unranked ones in registry order.
    pub zones: Vec<ScoredZone>,
    /// Registry zones that do not take part (`zones` is a list), by name.
    pub excluded: Vec<String>,
    /// The quarter ranks are compared with (last quarter, when aggregated).
    pub previous: Option<Period>,
    /// The file's normalisation (a component may have its own).
    pub normalise: Normalise,
    pub cap: f64,
    pub rank_carried: bool,
    /// Zones in their first quarter in the programme are scored and ranked
    /// (`scorecard.toml` `rank_new`).
    pub rank_new: bool,
    pub no_data: NoDataRule,
    pub sample_weights: bool,
    /// How many zones are ranked both this quarter and last: the panel a
    /// change of rank is measured on (like with like, docs/scorecard.md §6).
    pub compared: usize,
}

/// One component with its share of the weights.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreComponent {
    pub group: String,
    pub indicator: String,
    pub name: String,
    /// The unit of the indicator as written (万元 …).
    pub unit: String,
    pub stock: bool,
    pub measure: Measure,
    pub direction: Direction,
    pub weight: f64,
    /// weight ÷ Σ weights: the most points (× 100) the component gives.
    pub share: f64,
    pub normalise: Normalise,
    /// The zones' values differ this quarter; if not, it gives no points.
    pub separates: bool,
}

impl ScoreComponent {
    /// `合作研发项目本季新增`.
    pub fn label_zh(&self) -> String {
        format!("{}{}", self.name, self.measure.label_zh(self.stock))
    }
}

/// A participating zone's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredZone {
    pub code: ZoneCode,
    pub name: String,
    pub city: String,
    pub basis: Basis,
    pub source_period: Option<Period>,
    /// This is the zone's first quarter in the programme: its cohort joined
    /// this quarter, after the programme's first (新加入).
    pub entry: bool,
    /// 0–100, to 2 decimals; `None` for a zone not scored (no data,
    /// carried when carried zones are not ranked, new when new zones are
    /// not).
    pub score: Option<f64>,
    /// 1 = best; equal scores share a rank (1, 2, 2, 4).
    pub rank: Option<usize>,
    pub previous_rank: Option<usize>,
    /// Its place among the zones ranked in both quarters, then and now.
    pub movement: Movement,
    /// By component, in the order of [`Scorecard::components`].
    pub parts: Vec<SubScore>,
}

/// What a zone scored on one component.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SubScore {
    /// The figure (in the indicator's unit); `None`: none this quarter
    /// (a carried zone's flow, a stock's first level), which scores 0.
    pub value: Option<f64>,
    /// The share in [0, 1].
    pub normalised: f64,
    /// Points towards the score: 100 × share of weight × normalised.
    pub points: f64,
}

/// A zone's place against last quarter's, among the zones ranked in both
/// quarters (a zone that joins, or one without data, moves nobody).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Movement {
    Up(usize),
    Down(usize),
    Same,
    /// The zone's first quarter in the programme (新加入): no change of
    /// rank, whether or not it is ranked.
    New,
    /// Nothing to compare: not ranked now or last quarter, carried, or no
    /// last quarter.
    None,
}

impl Movement {
    /// `↑2`, `↓1`, `持平`, `新`, `—`.
    pub fn label_zh(self) -> String {
        match self {
            Movement::Up(n) => format!("↑{n}"),
            Movement::Down(n) => format!("↓{n}"),
            Movement::Same => "持平".to_string(),
            Movement::New => "新".to_string(),
            Movement::None => "—".to_string(),
        }
    }
}

impl ScoredZone {
    /// Places gained since last quarter among the zones ranked in both
    /// (negative: lost), as [`ScoredZone::movement`] says.
    pub fn rank_change(&self) -> Option<i64> {
        match self.movement {
            Movement::Up(n) => Some(n as i64),
            Movement::Down(n) => Some(-(n as i64)),
            Movement::Same => Some(0),
            Movement::New | Movement::None => None,
        }
    }

    /// How the zone's figures entered the scorecard; empty for a zone
    /// scored on this quarter's return.
    pub fn mark_zh(&self) -> String {
        match (self.basis, self.rank.is_some()) {
            (Basis::Fresh, true) if self.entry => "本季新加入，参与排名，无名次变化".to_string(),
            (Basis::Fresh, false) if self.entry => "本季新加入，本季不参与排名".to_string(),
            (Basis::Fresh, _) => String::new(),
            (Basis::Carried, true) => format!(
                "沿用{}数据参评，本季新增按0计，名次不与上季比较",
                self.source_period
                    .map_or("上期".to_string(), |p| p.label_zh())
            ),
            (Basis::Carried, false) => "沿用上期数据，不参与排名".to_string(),
            (Basis::NoData, true) => "无数据，列末位".to_string(),
            (Basis::NoData, false) => "无数据，不参与排名".to_string(),
        }
    }
}

impl Scorecard {
    fn ranked(&self) -> impl Iterator<Item = &ScoredZone> {
        self.zones.iter().filter(|z| z.rank.is_some())
    }

    /// The best `n` ranked zones, and any sharing the n-th one's rank.
    pub fn top(&self, n: usize) -> Vec<&ScoredZone> {
        let ranked: Vec<&ScoredZone> = self.ranked().collect();
        let Some(cut) = ranked.get(n.min(ranked.len()).wrapping_sub(1)) else {
            return Vec::new();
        };
        ranked
            .iter()
            .copied()
            .filter(|z| z.rank <= cut.rank)
            .collect()
    }

    /// The last `n` ranked zones, in rank order, and any sharing the
    /// rank of the first of them; never a zone of [`Scorecard::top`]`(n)`.
    pub fn bottom(&self, n: usize) -> Vec<&ScoredZone> {
        let ranked: Vec<&ScoredZone> = self.ranked().collect();
        let top = self.top(n);
        let Some(cut) = ranked.len().checked_sub(n).and_then(|i| ranked.get(i)) else {
            return ranked.into_iter().filter(|z| !top.contains(z)).collect();
        };
        ranked
            .iter()
            .copied()
            .filter(|z| z.rank >= cut.rank && !top.contains(z))
            .collect()
    }

    /// A ranked zone's place, said 并列 when another shares it.
    pub fn place(&self, z: &ScoredZone) -> Option<crate::report::rank::Place> {
        let rank = z.rank?;
        let sharing = self.ranked().filter(|x| x.rank == Some(rank)).count();
        Some(crate::report::rank::Place {
            rank,
            tied: sharing > 1,
        })
    }

    /// The scored zones in rank order and what a chart of them shows:
    /// every zone, or the first and the last ones and the rest as one bar.
    pub fn cut(&self) -> (Vec<&ScoredZone>, crate::report::rank::Cut) {
        let scored: Vec<&ScoredZone> = self.zones.iter().filter(|z| z.score.is_some()).collect();
        let values: Vec<f64> = scored.iter().filter_map(|z| z.score).collect();
        let ranks: Vec<usize> = scored.iter().map(|z| z.rank.unwrap_or_default()).collect();
        let cut = crate::report::rank::Cut::of(&values, &ranks);
        (scored, cut)
    }

    pub fn zone(&self, code: &str) -> Option<&ScoredZone> {
        self.zones.iter().find(|z| z.code == code)
    }
}

/// The scorecard of the quarter, ranks compared with last quarter's.
pub(super) fn scorecard(q: &Quarter) -> Scorecard {
    let settings = &q.config.scorecard;
    let (components, mut zones) = score(q, settings, q.period);
    let before = q.previous.map(|p| score(q, settings, p).1);
    let then = |code: &ZoneCode| {
        before
            .as_ref()
            .and_then(|b| b.iter().find(|x| x.code == *code))
            .and_then(|x| x.rank)
    };
    let panel: Vec<Ranks> = zones
        .iter()
        .filter_map(|z| {
            Some(Ranks {
                code: z.code.clone(),
                now: z.rank?,
                then: then(&z.code)?,
            })
        })
        .collect();
    for z in &mut zones {
        z.previous_rank = then(&z.code);
        z.movement = movement(z, &panel);
    }
    Scorecard {
        components,
        zones,
        excluded: q
            .config
            .registry
            .zones
            .iter()
            .filter(|z| !settings.zones.contains(&z.code))
            .map(|z| z.name.clone())
            .collect(),
        previous: q.previous,
        normalise: settings.normalise,
        cap: settings.cap,
        rank_carried: settings.rank_carried,
        rank_new: settings.rank_new,
        no_data: settings.no_data,
        sample_weights: settings.sample_weights,
        compared: panel.len(),
    }
}

/// A zone ranked both this quarter and last: its ranks then and now.
struct Ranks {
    code: ZoneCode,
    now: usize,
    then: usize,
}

/// A zone's change of place among the zones ranked in both quarters, so
/// that zones joining (or leaving) the ranking move nobody: a pilot 5th of
/// 18 last quarter and 12th of 61 now, with seven new zones above it, has
/// kept its place (持平). A zone joining is 新, with no change of rank; a
/// carried zone's place moved because others reported and it did not: not
/// a change of its own to compare.
fn movement(z: &ScoredZone, panel: &[Ranks]) -> Movement {
    if z.entry {
        return Movement::New;
    }
    let Some(me) = panel.iter().find(|r| r.code == z.code) else {
        return Movement::None;
    };
    if z.basis == Basis::Carried {
        return Movement::None;
    }
    let now = 1 + panel.iter().filter(|r| r.now < me.now).count();
    let then = 1 + panel.iter().filter(|r| r.then < me.then).count();
    match now.cmp(&then) {
        std::cmp::Ordering::Less => Movement::Up(then - now),
        std::cmp::Ordering::Greater => Movement::Down(now - then),
        std::cmp::Ordering::Equal => Movement::Same,
    }
}

/// Every participating zone scored and ranked in quarter `p`.
fn score(
    q: &Quarter,
    settings: &ScorecardSettings,
    p: Period,
) -> (Vec<ScoreComponent>, Vec<ScoredZone>) {
    let mut zones: Vec<ScoredZone> = settings
        .zones
        .iter()
        .map(|code| blank_zone(q, code, p))
        .collect();
    let scored = |z: &ScoredZone| match z.basis {
        Basis::Fresh => settings.rank_new || !z.entry,
        Basis::Carried => settings.rank_carried,
        Basis::NoData => false,
    };
    let total = settings.weight_sum();
    let mut components = Vec::with_capacity(settings.components.len());
    for c in &settings.components {
        let values: Vec<Option<f64>> = zones
            .iter()
            .map(|z| scored(z).then(|| value(q, z, c, p)).flatten())
            .collect();
        let reference = Reference::new(rule(c, settings.cap), &values);
        for (z, v) in zones.iter_mut().zip(&values) {
            let normalised = v.map_or(0.0, |v| reference.share(v));
            z.parts.push(SubScore {
                value: *v,
                normalised,
                points: 100.0 * c.weight / total * normalised,
            });
        }
        components.push(component(q, c, total, reference.separates));
    }
    for z in zones.iter_mut().filter(|z| scored(z)) {
        z.score = Some(round2(z.parts.iter().map(|s| s.points).sum()));
    }
    rank(&mut zones, settings.no_data);
    (components, zones)
}

fn rule(c: &Component, cap: f64) -> Rule {
    Rule {
        method: c.normalise,
        direction: c.direction,
        cap,
    }
}

fn component(q: &Quarter, c: &Component, total: f64, separates: bool) -> ScoreComponent {
    let info = q.config.indicators.get(&c.indicator);
    ScoreComponent {
        group: c.group.clone(),
        indicator: c.indicator.clone(),
        name: info.map_or(c.indicator.clone(), |i| i.name.clone()),
        unit: info.map_or(String::new(), |i| i.unit.clone()),
        stock: info.is_some_and(|i| i.kind == crate::config::IndicatorKind::Stock),
        measure: c.measure,
        direction: c.direction,
        weight: c.weight,
        share: c.weight / total,
        normalise: c.normalise,
        separates,
    }
}

/// A zone before scoring: its basis in quarter `p`, nothing scored.
fn blank_zone(q: &Quarter, code: &ZoneCode, p: Period) -> ScoredZone {
    let (basis, source_period) = q.basis(code, p);
    let zone = q.config.registry.zone(code);
    let rules = q.flow_rules;
    ScoredZone {
        code: code.clone(),
        name: q.zone_name(code),
        city: zone.map_or(String::new(), |z| z.city.clone()),
        basis,
        source_period,
        entry: rules.entry_of(code) == p && rules.launch.is_some_and(|l| l < p),
        score: None,
        rank: None,
        previous_rank: None,
        movement: Movement::None,
        parts: Vec::new(),
    }
}

/// A zone's figure on a component in quarter `p`: its 累计值 (carried ones
/// included), or the quarter's own flow (none when carried: nothing new
/// was measured).
fn value(q: &Quarter, z: &ScoredZone, c: &Component, p: Period) -> Option<f64> {
    match c.measure {
        Measure::Cumulative => Some(q.figures.zone(p, &z.code, &c.indicator)),
        Measure::Quarter => {
            q.facts
                .flows(p, Level::Zone(&z.code), &c.indicator)
                .this_quarter
        }
    }
}

/// Ranks the scored zones by score (ties share a rank, in registry order),
/// zones without data last when the rule says so; orders the list.
fn rank(zones: &mut [ScoredZone], no_data: NoDataRule) {
    // `zones` is in registry order: a stable sort keeps it within ties.
    zones.sort_by(|a, b| match (a.score, b.score) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let mut previous: Option<(f64, usize)> = None;
    let mut ranked = 0;
    for (i, z) in zones.iter_mut().enumerate() {
        let Some(score) = z.score else { continue };
        let rank = match previous {
            Some((s, r)) if s == score => r,
            _ => i + 1,
        };
        z.rank = Some(rank);
        previous = Some((score, rank));
        ranked = i + 1;
    }
    if no_data == NoDataRule::Last {
        for z in zones.iter_mut().filter(|z| z.basis == Basis::NoData) {
            z.rank = Some(ranked + 1);
        }
    }
    zones.sort_by_key(|z| z.rank.unwrap_or(usize::MAX));
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}
