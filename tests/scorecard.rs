//! 综合评价 (docs/scorecard.md): scores recomputed by hand from the fact
//! table, a weight change that swaps two zones, the carried and no-data
//! rules both ways, the change of rank against last quarter, the helpers
//! the brief uses, the config's checks, and the sheet read back.

mod common;

use common::{q, root};

use std::collections::BTreeMap;
use std::path::Path;

use shuanggao::config::Config;
use shuanggao::ingest::ReturnsFolder;
use shuanggao::model::{Basis, Period};
use shuanggao::report::{Movement, Report};

/// The shipped components, written out here so the test does not read
/// them from the code under test: (indicator, 本季新增?, weight).
const PARTS: [(&str, bool, f64); 7] = [
    ("SG01", true, 20.0),
    ("SG02", false, 15.0),
    ("SG03", false, 10.0),
    ("SG05", true, 20.0),
    ("SG13", false, 15.0),
    ("SG11", true, 10.0),
    ("SG15", false, 10.0),
];
/// ratio_to_mean's cap in the shipped file.
const CAP: f64 = 2.0;

fn run_with(config: &Config, period: &str) -> Report {
    let folder = ReturnsFolder::scan(&root().join("inputs/returns")).unwrap();
    shuanggao::pipeline::run(
        config,
        &folder,
        q(period),
        BTreeMap::new(),
        shuanggao::validate::Options::default(),
    )
    .unwrap()
    .report
}

fn shipped(period: &str) -> Report {
    run_with(&common::config(), period)
}

/// A copy of the shipped config folder with `scorecard.toml` edited.
fn edited(edit: impl Fn(&str) -> String) -> (tempfile::TempDir, Config) {
    let dir = tempfile::tempdir().unwrap();
    for f in common::config().files() {
        std::fs::copy(&f, dir.path().join(f.file_name().unwrap())).unwrap();
    }
    let path = dir.path().join("scorecard.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let changed = edit(&text);
    assert_ne!(changed, text, "the edit changed nothing");
    std::fs::write(&path, changed).unwrap();
    let config = Config::load(dir.path()).unwrap();
    (dir, config)
}

/// Each zone's basis in a quarter, from the fact table (a zone with no
/// fact has no data).
fn bases(r: &Report, p: Period) -> BTreeMap<String, Basis> {
    r.facts
        .iter()
        .filter(|f| f.period == p)
        .map(|f| (f.zone_code.to_string(), f.basis))
        .collect()
}

fn fact(r: &Report, p: Period, zone: &str, code: &str) -> Option<f64> {
    r.facts
        .iter()
        .find(|f| f.period == p && f.zone_code.as_str() == zone && f.indicator == code)
        .map(|f| f.value)
}

/// The scores of quarter `p` by hand: a carried zone is scored on its
/// carried 累计值 with no 本季新增; 本季新增 is the 累计值 minus last
/// quarter's (the whole 累计值 without one); each value ÷ the mean over the
/// zones with one, capped at 2, halved; weighted by weight ÷ 100.
fn hand_scores(r: &Report, p: Period) -> BTreeMap<String, f64> {
    let bases = bases(r, p);
    let mut points: BTreeMap<String, f64> = bases.keys().map(|z| (z.clone(), 0.0)).collect();
    let total: f64 = PARTS.iter().map(|p| p.2).sum();
    for (code, quarter, weight) in PARTS {
        let values: BTreeMap<&String, f64> = bases
            .iter()
            .filter_map(|(zone, basis)| {
                let now = fact(r, p, zone, code).unwrap_or(0.0);
                match (quarter, basis) {
                    (false, _) => Some(now),
                    (true, Basis::Carried) => None,
                    (true, _) => Some(now - fact(r, p.prev(), zone, code).unwrap_or(0.0)),
                }
                .map(|v| (zone, v))
            })
            .collect();
        let mean = values.values().sum::<f64>() / values.len() as f64;
        for (zone, v) in values {
            let share = (v / mean).clamp(0.0, CAP) / CAP;
            *points.get_mut(zone).unwrap() += 100.0 * weight / total * share;
        }
    }
    points
}

/// Ranks of scores (2 decimals), ties sharing.
fn hand_ranks(scores: &BTreeMap<String, f64>) -> BTreeMap<String, usize> {
    let rounded: BTreeMap<&String, f64> = scores
        .iter()
        .map(|(z, s)| (z, (s * 100.0).round() / 100.0))
        .collect();
    rounded
        .iter()
        .map(|(z, s)| ((*z).clone(), 1 + rounded.values().filter(|o| *o > s).count()))
        .collect()
}

#[test]
fn scores_and_ranks_match_a_recount_from_the_facts() {
    let r = shipped("2026Q3");
    let card = &r.scorecard;
    let hand = hand_scores(&r, r.period);
    assert_eq!(card.zones.len(), 18);
    let ranks = hand_ranks(&hand);
    for z in &card.zones {
        let expected = hand[z.code.as_str()];
        let score = z.score.unwrap();
        assert!((score - expected).abs() < 0.006, "{}: {score} vs {expected}", z.name);
        assert_eq!(z.rank, Some(ranks[z.code.as_str()]), "{}", z.name);
        let sum: f64 = z.parts.iter().map(|p| p.points).sum();
        assert!((sum - score).abs() < 0.006, "{}: parts add up", z.name);
    }
    // Listed best first; the scores are on a 0–100 scale.
    assert!(card.zones.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(card.zones.iter().all(|z| (0.0..=100.0).contains(&z.score.unwrap())));
}

#[test]
fn rank_changes_compare_with_last_quarter_scored_the_same_way() {
    let r = shipped("2026Q3");
    let before = hand_ranks(&hand_scores(&r, q("2026Q2")));
    let now = hand_ranks(&hand_scores(&r, q("2026Q3")));
    assert_eq!(r.scorecard.previous, Some(q("2026Q2")));
    let mut moved = 0;
    for z in &r.scorecard.zones {
        let code = z.code.as_str();
        let expected = match before.get(code) {
            None => Movement::New,
            Some(&b) if b > now[code] => Movement::Up(b - now[code]),
            Some(&b) if b < now[code] => Movement::Down(now[code] - b),
            Some(_) => Movement::Same,
        };
        assert_eq!(z.movement, expected, "{}", z.name);
        assert_eq!(z.previous_rank, before.get(code).copied());
        moved += usize::from(matches!(z.movement, Movement::Up(_) | Movement::Down(_)));
    }
    assert!(moved > 0, "some zone changed rank");
    // The pilot's first quarter has nothing to compare with.
    let first = shipped("2025Q3");
    assert_eq!(first.scorecard.previous, None);
    assert!(first
        .scorecard
        .zones
        .iter()
        .all(|z| z.movement == Movement::None && z.movement.label_zh() == "—"));
}
