//! 综合评价 (docs/scorecard.md): scores recomputed by hand from the fact
//! table, a weight change that swaps two zones, the carried and no-data
//! rules both ways, the change of rank against last quarter, the helpers
//! the brief uses, the config's checks, and the sheet read back.

mod common;

use common::{q, root};

use std::collections::BTreeMap;

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
    let (dir, result) = edited_file("scorecard.toml", edit);
    (dir, result.unwrap())
}

/// A copy of the shipped config folder with one file edited, loaded.
fn edited_file(
    name: &str,
    edit: impl Fn(&str) -> String,
) -> (tempfile::TempDir, Result<Config, String>) {
    let dir = tempfile::tempdir().unwrap();
    for f in common::config().files() {
        std::fs::copy(&f, dir.path().join(f.file_name().unwrap())).unwrap();
    }
    let path = dir.path().join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let changed = edit(&text);
    assert_ne!(changed, text, "the edit changed nothing");
    std::fs::write(&path, changed).unwrap();
    let config = Config::load(dir.path()).map_err(|e| e.to_string());
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
    hand_scores_of(r, p, true, &PARTS)
}

/// [`hand_scores`] with other weights, carried zones left out unless
/// `with_carried`.
fn hand_scores_of(
    r: &Report,
    p: Period,
    with_carried: bool,
    parts: &[(&str, bool, f64)],
) -> BTreeMap<String, f64> {
    let mut bases = bases(r, p);
    bases.retain(|_, b| with_carried || *b == Basis::Fresh);
    let mut points: BTreeMap<String, f64> = bases.keys().map(|z| (z.clone(), 0.0)).collect();
    let total: f64 = parts.iter().map(|p| p.2).sum();
    for &(code, quarter, weight) in parts {
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
        .map(|(z, s)| {
            (
                (*z).clone(),
                1 + rounded.values().filter(|o| *o > s).count(),
            )
        })
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
        assert!(
            (score - expected).abs() < 0.006,
            "{}: {score} vs {expected}",
            z.name
        );
        assert_eq!(z.rank, Some(ranks[z.code.as_str()]), "{}", z.name);
        let sum: f64 = z.parts.iter().map(|p| p.points).sum();
        assert!((sum - score).abs() < 0.006, "{}: parts add up", z.name);
    }
    // Listed best first; the scores are on a 0–100 scale.
    assert!(card.zones.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(card
        .zones
        .iter()
        .all(|z| (0.0..=100.0).contains(&z.score.unwrap())));
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
            // A carried zone moved only because the others reported.
            _ if z.basis == shuanggao::report::Basis::Carried => Movement::None,
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

#[test]
fn carried_zones_are_scored_or_left_unranked_as_configured() {
    let r = shipped("2026Q3");
    let card = &r.scorecard;
    let carried = card
        .zones
        .iter()
        .find(|z| z.basis == Basis::Carried)
        .unwrap();
    assert_eq!(carried.name, "常州高新区");
    assert!(carried.rank.is_some() && carried.score.is_some());
    assert_eq!(
        carried.mark_zh(),
        "沿用2026年第二季度数据参评，本季新增按0计，名次不与上季比较"
    );
    for (c, part) in card.components.iter().zip(&carried.parts) {
        if c.measure == shuanggao::config::Measure::Quarter {
            assert_eq!((part.value, part.points), (None, 0.0), "{}", c.indicator);
        } else {
            assert!(part.value.is_some(), "{}", c.indicator);
        }
    }

    let (_dir, config) = edited(|t| t.replace("rank_carried = true", "rank_carried = false"));
    let r = run_with(&config, "2026Q3");
    let card = &r.scorecard;
    let z = card.zone(carried.code.as_str()).unwrap();
    assert_eq!((z.rank, z.score), (None, None));
    assert_eq!(z.mark_zh(), "沿用上期数据，不参与排名");
    assert_eq!(
        card.zones.last().unwrap().code,
        z.code,
        "listed after the ranked"
    );
    // The others are scored without it: it is out of the means too.
    let hand = hand_scores_of(&r, r.period, false, &PARTS);
    assert_eq!(hand.len(), 17);
    for z in card.zones.iter().filter(|z| z.rank.is_some()) {
        let expected = hand[z.code.as_str()];
        assert!((z.score.unwrap() - expected).abs() < 0.006, "{}", z.name);
    }
    let ranks: Vec<usize> = card.zones.iter().filter_map(|z| z.rank).collect();
    assert_eq!(ranks.len(), 17);
}

/// The shipped config with a zone added to the registry that never
/// reported (so it has no data), and `no_data` set.
fn with_silent_zone(no_data: &str) -> (tempfile::TempDir, Report) {
    let zone = "[[zone]]\ncode = \"TEST\"\nname = \"未报送高新区\"\ncity = \"南京市\"\n\
                level = \"省级\"\ncohort = 2025\n\n";
    let (dir, _) = edited_file("registry.toml", |t| {
        let at = t.find("[[university]]").unwrap();
        format!("{}{zone}{}", &t[..at], &t[at..])
    });
    let path = dir.path().join("scorecard.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let rule = format!("no_data = \"{no_data}\"");
    std::fs::write(&path, text.replace("no_data = \"unranked\"", &rule)).unwrap();
    let r = run_with(&Config::load(dir.path()).unwrap(), "2026Q3");
    (dir, r)
}

#[test]
fn zones_without_data_are_unranked_or_last_as_configured() {
    let (_a, r) = with_silent_zone("unranked");
    let z = r.scorecard.zone("TEST").unwrap();
    assert_eq!(z.basis, Basis::NoData);
    assert_eq!((z.rank, z.score), (None, None));
    assert_eq!(z.mark_zh(), "无数据，不参与排名");
    assert!(r.scorecard.bottom(3).iter().all(|b| b.code != z.code));

    let (_b, r) = with_silent_zone("last");
    let card = &r.scorecard;
    let z = card.zone("TEST").unwrap();
    let scored = card.zones.iter().filter(|z| z.score.is_some()).count();
    assert_eq!(scored, 18);
    assert_eq!((z.rank, z.score), (Some(19), None));
    assert_eq!(z.mark_zh(), "无数据，列末位");
    assert_eq!(card.bottom(3).last().unwrap().code, z.code);
    // A zone without data does not change the others' scores.
    let hand = hand_scores(&r, r.period);
    for z in card.zones.iter().filter(|z| z.score.is_some()) {
        assert!((z.score.unwrap() - hand[z.code.as_str()]).abs() < 0.006);
    }
}

#[test]
fn top_and_bottom_are_the_ends_of_the_ranking() {
    let r = shipped("2026Q3");
    let card = &r.scorecard;
    let top: Vec<&str> = card.top(3).iter().map(|z| z.name.as_str()).collect();
    let bottom: Vec<&str> = card.bottom(3).iter().map(|z| z.name.as_str()).collect();
    let names: Vec<&str> = card.zones.iter().map(|z| z.name.as_str()).collect();
    assert_eq!(top, names[..3]);
    assert_eq!(bottom, names[15..]);
}

#[test]
fn the_config_refuses_bad_weights_and_codes() {
    for (from, to, words) in [
        ("weight = 20", "weight = -5", "weight 应为正数"),
        ("weight = 20", "weight = 0", "weight 应为正数"),
        ("indicator = \"SG01\"", "indicator = \"SG99\"", "SG99"),
        (
            "zones = \"all\"",
            "zones = [\"无锡高新区\", \"不存在高新区\"]",
            "不存在高新区",
        ),
        ("cap = 2.0", "cap = 1.0", "cap"),
    ] {
        let (_dir, result) = edited_file("scorecard.toml", |t| t.replacen(from, to, 1));
        let err = result.unwrap_err();
        assert!(
            err.contains("scorecard.toml") && err.contains(words),
            "{err}"
        );
    }
}

#[test]
fn the_sheet_shows_the_ranking_the_marks_and_the_method() {
    use calamine::{Data, Reader};
    let r = shipped("2026Q3");
    let bytes = shuanggao::render::workbook::write_workbook(&r).unwrap();
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let names = wb.sheet_names();
    let at = names.iter().position(|n| n == "综合评价").unwrap();
    assert_eq!(names[at - 1], "分区图表");
    let sheet = wb.worksheet_range("综合评价").unwrap();
    let cell = |row: u32, col: u32| sheet.get_value((row, col)).cloned().unwrap_or(Data::Empty);
    let text = |row: u32, col: u32| cell(row, col).to_string();
    let heads: Vec<String> = (0..6).map(|c| text(0, c)).collect();
    assert_eq!(
        heads,
        ["名次", "高新区", "城市", "综合得分", "名次变化", "说明"]
    );
    assert_eq!(text(0, 6), "合作研发项目本季新增（权重20）");
    assert_eq!(text(1, 6), "数值（个）");
    assert_eq!(text(1, 7), "得分");
    // SG05 (the fourth component, columns 12 and 13) in 亿元.
    assert_eq!(text(0, 12), "合作经费投入本季新增（权重20）");
    assert_eq!(text(1, 12), "数值（亿元）");
    for (row, z) in (2u32..).zip(&r.scorecard.zones) {
        assert_eq!(text(row, 1), z.name);
        assert_eq!(cell(row, 0), Data::Float(z.rank.unwrap() as f64));
        assert_eq!(cell(row, 3), Data::Float(z.score.unwrap()));
        assert_eq!(text(row, 4), z.movement.label_zh());
        let funds = z.parts[3]
            .value
            .map_or(Data::String("—".into()), |v| Data::Float(v / 10_000.0));
        assert_eq!(cell(row, 12), funds, "{}", z.name);
        assert_eq!(cell(row, 13), Data::Float(z.parts[3].points), "{}", z.name);
    }
    let carried = (2u32..20)
        .find(|&row| text(row, 1) == "常州高新区")
        .unwrap();
    assert_eq!(
        text(carried, 5),
        "沿用2026年第二季度数据参评，本季新增按0计，名次不与上季比较"
    );
    assert_eq!(text(carried, 6), "—", "a carried zone has no 本季新增");
    let all: Vec<String> = sheet.used_cells().map(|(_, _, v)| v.to_string()).collect();
    assert!(all.iter().any(|t| t == "评价指标与权重"));
    assert!(all
        .iter()
        .any(|t| t.contains("示例权重") && t.contains("Σ权重")));
    assert!(all.iter().any(|t| t.contains("与上季度（2026Q2）")));
    let weights: Vec<f64> = (0..sheet.height() as u32)
        .filter(|&row| {
            text(row, 1).ends_with("累计值")
                || text(row, 1).ends_with("本季新增")
                || text(row, 1).ends_with("季末数")
        })
        .filter_map(|row| match cell(row, 5) {
            Data::Float(w) => Some(w),
            _ => None,
        })
        .collect();
    assert_eq!(weights, PARTS.map(|p| p.2));
}

/// 无锡 leads 盐城环保 by under a point; 盐城 has more 专利转让许可 this
/// quarter (5 against 4, each ÷ a mean of about 3.7, halved: 0.13 more of
/// the share). Tripling that component's weight (10 → 30 of 120) gives 盐城
/// about 20 × 0.13 = 2.7 more weighted points against 无锡's lead of 0.98:
/// the two swap, and every score still matches the recount with the new
/// weights.
#[test]
fn a_heavier_weight_swaps_two_zones() {
    let r = shipped("2026Q3");
    let rank = |r: &Report, name: &str| {
        r.scorecard
            .zones
            .iter()
            .find(|z| z.name == name)
            .unwrap()
            .rank
            .unwrap()
    };
    assert_eq!((rank(&r, "无锡高新区"), rank(&r, "盐城环保高新区")), (3, 4));
    let (_dir, config) = edited(|t| {
        t.replace(
            "indicator = \"SG11\"\nmeasure = \"quarter\"\ndirection = \"higher\"\nweight = 10",
            "indicator = \"SG11\"\nmeasure = \"quarter\"\ndirection = \"higher\"\nweight = 30",
        )
    });
    let heavier = run_with(&config, "2026Q3");
    // 盐城 now ahead of 无锡 (苏州, also with 5, passes 无锡 as well).
    assert_eq!(rank(&heavier, "盐城环保高新区"), 3);
    assert!(rank(&heavier, "无锡高新区") > 3);
    let mut parts = PARTS;
    parts[5].2 = 30.0;
    let hand = hand_scores_of(&heavier, heavier.period, true, &parts);
    for z in &heavier.scorecard.zones {
        assert!(
            (z.score.unwrap() - hand[z.code.as_str()]).abs() < 0.006,
            "{}",
            z.name
        );
    }
}
