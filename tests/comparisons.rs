//! Like with like (issue 17): what the outputs compare and say must be true
//! as read. Over every quarter of the shipped sample, every rate is
//! recomputed here from the fact table by the rule of docs/brief.md §2.3
//! (the panel of zones with an accepted return in both quarters; the launch
//! quarter never a basis; a least base); ties are never cut; every status
//! is shown beside the measure it follows from, in the brief, the pages,
//! the picture and the workbook; the counts add up; axis ticks are distinct.

mod common;

use std::collections::BTreeMap;

use common::{q, report_at, root, run_report};
use shuanggao::config::TargetKind;
use shuanggao::model::Period;
use shuanggao::report::{Basis, Flows, Report, TargetProgress, TargetStatus};

const QUARTERS: [&str; 5] = ["2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3"];

fn sample(period: &str) -> Report {
    report_at(&root().join("inputs/returns"), period)
}

/// The 全面覆盖 example's report (61 zones, 43 joining in 2027Q1).
fn example(period: &str) -> Report {
    let example = root().join("inputs/examples/全面覆盖");
    let config = shuanggao::config::Config::load(&example.join("config")).unwrap();
    common::report_with(&config, &example.join("returns"), period)
}

/// Each zone's figure and basis of an indicator by quarter, from the facts.
fn series(r: &Report, code: &str) -> BTreeMap<String, BTreeMap<Period, (f64, Basis, String)>> {
    let mut out: BTreeMap<String, BTreeMap<Period, (f64, Basis, String)>> = BTreeMap::new();
    for f in r.facts.iter().filter(|f| f.indicator == code) {
        out.entry(f.zone_code.to_string())
            .or_default()
            .insert(f.period, (f.value, f.basis, f.city.clone()));
    }
    out
}

/// A zone's flow in `p` when it is measured: accepted returns in `p` and in
/// the quarter before, and `p` after the launch quarter.
fn measured(z: &BTreeMap<Period, (f64, Basis, String)>, p: Period) -> Option<f64> {
    let launch = q("2025Q3");
    let now = z.get(&p)?;
    let before = z.get(&p.prev())?;
    (p > launch && now.1 == Basis::Fresh && before.1 == Basis::Fresh).then_some(now.0 - before.0)
}

fn back(p: Period, n: usize) -> Period {
    (0..n).fold(p, |q, _| q.prev())
}

/// The rate a level must show against `then`, recomputed: (zones, now,
/// before), `None` when `then` is the launch quarter or earlier.
fn expected_panel(
    zones: &[&BTreeMap<Period, (f64, Basis, String)>],
    p: Period,
    then: Period,
) -> Option<(usize, f64, f64)> {
    if then <= q("2025Q3") {
        return None;
    }
    let panel: Vec<(f64, f64)> = zones
        .iter()
        .filter_map(|z| Some((measured(z, p)?, measured(z, then)?)))
        .collect();
    Some((
        panel.len(),
        panel.iter().map(|x| x.0).sum(),
        panel.iter().map(|x| x.1).sum(),
    ))
}

fn check_level(
    label: &str,
    flows: &Flows,
    zones: &[&BTreeMap<Period, (f64, Basis, String)>],
    p: Period,
) {
    for (then, c, rate) in [
        (p.prev(), &flows.qoq, flows.quarter_on_quarter),
        (back(p, 4), &flows.yoy, flows.year_on_year),
    ] {
        match expected_panel(zones, p, then) {
            None => assert_eq!(
                rate, None,
                "{label} {p}: no rate against the launch quarter"
            ),
            Some((n, now, before)) => {
                assert_eq!(c.zones, n, "{label} {p} vs {then}: panel size");
                assert!((c.now - now).abs() < 1e-6, "{label} {p}: {} ≠ {now}", c.now);
                assert!((c.before - before).abs() < 1e-6, "{label} {p}: base");
                if let Some(rate) = rate {
                    assert!(before >= 10.0, "{label} {p}: a rate on a base of {before}");
                    assert!((rate - (now / before - 1.0)).abs() < 1e-9, "{label} {p}");
                }
            }
        }
    }
    // 本季新增 sums the zones with a flow; a carried zone adds nothing and
    // is not counted as a zone with a flow.
    let fresh: Vec<_> = zones
        .iter()
        .filter(|z| z.get(&p).is_some_and(|x| x.1 == Basis::Fresh))
        .collect();
    assert_eq!(flows.zones_with_flow, fresh.len(), "{label} {p}");
}

/// Every province and city rate of `r` (quarter `p`) against its panel,
/// recomputed from the facts.
fn assert_like_for_like(r: &Report, p: Period) {
    for h in r.headlines.iter().filter(|h| !h.flows.stock) {
        let s = series(r, &h.code);
        let all: Vec<_> = s.values().collect();
        check_level(&format!("全省 {}", h.code), &h.flows, &all, p);
        for c in &r.cities {
            let mine: Vec<_> = s
                .values()
                .filter(|z| z.values().any(|x| x.2 == c.city))
                .collect();
            check_level(
                &format!("{} {}", c.city, h.code),
                &c.flows[&h.code],
                &mine,
                p,
            );
        }
    }
}

#[test]
fn no_province_or_city_comparison_mixes_zone_sets() {
    for period in QUARTERS {
        assert_like_for_like(&sample(period), q(period));
    }
}

/// The 全面覆盖 example's 2027 (43 zones join in 2027Q1): their entry
/// quarter is in no panel (no accepted quarter before it), so 2027Q1 and
/// 2027Q2 compare pilots alone, 2027Q3 all 61 zones on 环比 and pilots on
/// 同比; what the 43 brought in 2027Q1 is apart from 本季新增's
/// comparisons.
#[test]
fn no_comparison_mixes_zone_sets_when_43_zones_join() {
    // 常州高新区 sent nothing accepted in 2026Q3: it has no measured flow in
    // 2026Q3 or 2026Q4, so it leaves the panels that reach back to them.
    for (period, qoq_zones, yoy_zones) in [
        ("2027Q1", 17, 18),
        ("2027Q2", 18, 18),
        ("2027Q3", 61, 17),
        ("2027Q4", 61, 17),
    ] {
        let r = example(period);
        assert_like_for_like(&r, q(period));
        let sg01 = r.headlines.iter().find(|h| h.code == "SG01").unwrap();
        assert_eq!(sg01.flows.qoq.zones, qoq_zones, "{period} 环比");
        assert_eq!(sg01.flows.yoy.zones, yoy_zones, "{period} 同比");
        let entered = sg01.flows.entered.map(|e| e.zones);
        let expected = (period == "2027Q1").then_some(43);
        assert_eq!(entered, expected, "{period}: the zones that joined");
    }
}

/// Each `本季新增<figure>` of a clause (up to `；` or `。`).
fn flows_said(clause: &str) -> Vec<&str> {
    clause
        .match_indices("本季新增")
        .map(|(i, w)| {
            let rest = &clause[i + w.len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .filter(|n| !n.is_empty())
        .collect()
}

/// A clause never says the same panel flow twice (`同口径本季新增6个，上季度
/// 新增6个，同口径本季新增6个，上年同季新增5个` read as a stutter): the 同比
/// that follows a 环比 on the same figure says only its own base.
#[test]
fn a_clause_says_a_flow_once() {
    let mut reports: Vec<Report> = QUARTERS.iter().map(|p| sample(p)).collect();
    reports.extend(["2027Q1", "2027Q2", "2027Q3", "2027Q4"].map(example));
    for r in &reports {
        for p in r.narrative.sections.iter().flat_map(|s| &s.paragraphs) {
            let text = p.text();
            for clause in text.split(['；', '。']) {
                let said = flows_said(clause);
                let mut unique = said.clone();
                unique.dedup();
                assert_eq!(said, unique, "{}: «{clause}»", r.period);
            }
        }
    }
    let r = &reports[QUARTERS.len()];
    let text = r.narrative.sections[0].paragraphs[1].text();
    assert!(
        text.contains("同口径本季新增6个，上季度新增6个，上年同季新增5个"),
        "{text}"
    );
}

#[test]
fn a_carried_zone_never_counts_as_zero() {
    // 2026Q3: 常州高新区 is carried. 常州市's 环比 is its other zone's alone,
    // not 2 against 5 (the artefact of counting 常州 as 0).
    let r = sample("2026Q3");
    let city = r.cities.iter().find(|c| c.city == "常州市").unwrap();
    let f = &city.flows["SG01"];
    assert_eq!(f.zones, 2);
    assert_eq!(f.zones_with_flow, 1);
    assert_eq!(f.qoq.zones, 1);
    let liyang = r
        .zones
        .iter()
        .find(|z| z.city == "常州市" && z.basis == Basis::Fresh)
        .unwrap();
    assert_eq!(f.this_quarter, liyang.flows["SG01"].this_quarter);
    // The province: the same 17 zones went 43 → 47.
    let h = r.headline("SG01").unwrap();
    assert_eq!(
        (h.flows.qoq.zones, h.flows.qoq.before, h.flows.qoq.now),
        (17, 43.0, 47.0)
    );
    let text = r.narrative.sections[0].paragraphs[1].text();
    assert!(
        text.contains("按两季均有本期数据的17个高新区可比口径，环比增长9.3%"),
        "{text}"
    );
    assert!(!text.contains("基本持平，同比"), "{text}");
    // 分区 and 分市 agree: the carried zone's flow is — and the city adds
    // only the zones with a flow.
    let czz = r.zones.iter().find(|z| z.basis == Basis::Carried).unwrap();
    assert_eq!(czz.flows["SG01"].this_quarter, None);
}

#[test]
fn the_launch_quarter_is_never_a_basis() {
    let r = sample("2026Q3");
    for h in &r.headlines {
        assert_eq!(h.flows.year_on_year, None, "{}", h.code);
    }
    assert!(r.panels.yoy_launch);
    let text = r.narrative.sections[0].paragraphs[1].text();
    assert!(
        text.contains("上年同季为试点启动首季度") && text.contains("不作同比"),
        "{text}"
    );
    assert!(!text.contains("同比下降"), "{text}");
    // 2025Q4 against the launch quarter: no 环比 either.
    let r = sample("2025Q4");
    assert!(r
        .headlines
        .iter()
        .all(|h| h.flows.quarter_on_quarter.is_none()));
}

#[test]
fn small_bases_give_numbers_not_percentages() {
    for period in QUARTERS {
        let r = sample(period);
        let texts = r
            .narrative
            .sections
            .iter()
            .flat_map(|s| &s.paragraphs)
            .chain(r.pages.iter().map(|p| &p.paragraph))
            .map(|p| p.text());
        for text in texts {
            assert!(!text.contains("上季度新增0"), "{text}");
        }
        for z in &r.zones {
            for f in z.flows.values() {
                if f.quarter_on_quarter.is_some() {
                    assert!(f.qoq.before >= 10.0, "{}: {:?}", z.name, f.qoq);
                }
            }
        }
    }
}

#[test]
fn a_tie_at_the_cut_off_is_named_whole() {
    let r = sample("2026Q3");
    let progress: String = r.narrative.sections[1]
        .paragraphs
        .iter()
        .map(|p| p.text())
        .collect();
    // 南京市, 徐州市 and 苏州市 each added 5 projects: named together.
    let flows: Vec<(String, f64)> = r
        .cities
        .iter()
        .filter_map(|c| Some((c.city.clone(), c.flows["SG01"].this_quarter?)))
        .collect();
    let fives: Vec<&String> = flows.iter().filter(|c| c.1 == 5.0).map(|c| &c.0).collect();
    assert!(fives.len() >= 3, "{flows:?}");
    for city in fives {
        assert!(progress.contains(city.as_str()), "{city} in «{progress}»");
    }
    assert!(progress.contains("（各5个）"), "{progress}");
    // Ranks say 并列: on some page a shared place reads 并列第N位.
    let pages: String = r.pages.iter().map(|p| p.paragraph.text()).collect();
    assert!(pages.contains("并列第"), "no 并列 in the pages");
    for page in r
        .pages
        .iter()
        .filter(|p| p.area == shuanggao::report::Area::Zone)
    {
        for row in &page.rows {
            let Some(place) = row.rank else { continue };
            let same = r
                .zones
                .iter()
                .filter(|z| z.basis != Basis::NoData)
                .filter(|z| z.figures.get(&row.code).map(|c| c.value) == Some(row.value))
                .count();
            assert_eq!(place.tied, same > 1, "{} {}", page.name, row.code);
            assert_eq!(place.label_zh().starts_with("并列"), place.tied);
        }
    }
}

/// The status of a target follows from what is printed beside it.
fn assert_status_follows(t: &TargetProgress, p: Period) {
    let share = t.projection / t.target;
    match t.status {
        TargetStatus::Met => assert!(t.value >= t.target, "{} {p}", t.id),
        TargetStatus::OnTrack => assert!(share >= 1.0 && t.is_paced(), "{} {p}", t.id),
        TargetStatus::Watch => assert!((0.9..1.0).contains(&share), "{} {p}", t.id),
        TargetStatus::Behind if t.kind == TargetKind::Milestone => {
            assert_eq!(t.quarters_left, 0, "{} {p}", t.id)
        }
        TargetStatus::Behind => assert!(share < 0.9, "{} {p}", t.id),
        TargetStatus::Pending => {
            assert!(
                t.kind == TargetKind::Milestone && t.quarters_left > 0,
                "{} {p}",
                t.id
            )
        }
    }
    if t.kind == TargetKind::Milestone {
        assert_eq!(t.needed_per_quarter, 0.0, "a milestone is never paced");
    }
    if t.kind == TargetKind::Annual && p.year < t.due.year {
        assert_eq!(
            t.pace_quarters, 4,
            "{}: only the due year's quarters count",
            t.id
        );
    }
}

#[test]
fn every_status_is_shown_with_its_measure_in_every_output() {
    let fonts = shuanggao::render::fonts::Fonts::embedded();
    for period in QUARTERS {
        let r = sample(period);
        let p = q(period);
        for t in &r.targets {
            assert_status_follows(t, p);
        }
        let charts = shuanggao::render::charts::draw_all(&r, &fonts).unwrap();
        let brief = shuanggao::render::brief::data(&r, &charts, "f");
        let poster = shuanggao::render::poster::data(&r, &charts, "f");
        for (i, t) in r.targets.iter().enumerate() {
            let shown = &brief["targets"][i];
            let projection = shown["projection"].as_str().unwrap();
            assert_eq!(
                projection == "—",
                !t.is_paced(),
                "{} {period}: 预计到期",
                t.id
            );
            let elapsed = shown["elapsed"].as_str().unwrap();
            assert_eq!(
                elapsed == "—",
                t.kind != TargetKind::Cumulative,
                "{}: 时间",
                t.id
            );
            let measure = shown["measure"].as_str().unwrap();
            match t.status {
                TargetStatus::OnTrack | TargetStatus::Watch | TargetStatus::Behind
                    if t.is_paced() =>
                {
                    assert!(measure.starts_with("预计到期"), "{}: {measure}", t.id)
                }
                TargetStatus::Pending => assert!(measure.contains("前达到"), "{measure}"),
                _ => assert!(!measure.is_empty()),
            }
            assert_eq!(
                poster["targets"][i], *shown,
                "the picture shows the brief's"
            );
        }
        // Each page's targets carry their 预计到期 too.
        for page in &r.pages {
            let data = shuanggao::render::pages::data(&r, page, "f");
            for (k, &i) in page.targets.iter().enumerate() {
                assert_eq!(data["targets"][k], brief["targets"][i], "{}", page.name);
            }
        }
        // The text: a lagging target named is named with its projection.
        for s in &r.narrative.sections {
            for para in &s.paragraphs {
                let text = para.text();
                for t in r
                    .targets
                    .iter()
                    .filter(|t| matches!(t.status, TargetStatus::Behind | TargetStatus::Watch))
                {
                    let name = format!("{}{}", t.scope.label_zh(), t.name);
                    if let Some(at) = text.find(&format!("{name}已完成")) {
                        let rest = &text[at..];
                        let clause = rest.split('；').next().unwrap();
                        assert!(clause.contains("预计"), "{clause}");
                    }
                }
                assert!(
                    !text.contains("需要关注") || text.contains("关注"),
                    "{text}"
                );
            }
        }
    }
}

#[test]
fn the_workbook_shows_the_measure_beside_each_status() {
    use calamine::{Data, Reader};
    let out = tempfile::tempdir().unwrap();
    let run = run_report(out.path(), &["--no-pdf"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let path = out.path().join("2026Q3/双高协同季度报告_2026Q3.xlsx");
    let mut book = calamine::open_workbook_auto(&path).unwrap();
    let sheet = book.worksheet_range("目标进度").unwrap();
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let r = sample("2026Q3");
    for (row, t) in sheet.rows().skip(1).zip(&r.targets) {
        let projection = &row[col("预计到期值")];
        let elapsed = &row[col("时间进度")];
        let pace = &row[col("每季度需新增")];
        assert_eq!(
            matches!(projection, Data::Float(_)),
            t.is_paced(),
            "{}",
            t.id
        );
        assert_eq!(
            matches!(elapsed, Data::Float(_)),
            t.time_applies(),
            "{}",
            t.id
        );
        assert_eq!(row[col("状态")].to_string(), t.status.label_zh());
        if t.kind == TargetKind::Milestone {
            assert_eq!(pace.to_string(), "—");
        }
    }
    // 总览's targets block: 预计到期值 where 时间进度 was.
    let overview = book.worksheet_range("总览").unwrap();
    let cells: Vec<String> = overview.rows().flatten().map(|c| c.to_string()).collect();
    assert!(cells.iter().any(|c| c == "预计到期值"));
    // A stock gets no 环比 on 总览 (docs/brief.md §2.1).
    let stock = overview
        .rows()
        .find(|row| row.first().is_some_and(|c| *c == "常驻园区师生"))
        .unwrap();
    let ratios: Vec<&Data> = stock.iter().skip(3).collect();
    assert!(ratios
        .iter()
        .all(|c| !matches!(c, Data::Float(v) if v.abs() < 5.0 && v.fract() != 0.0)));
}

#[test]
fn the_counts_add_up_to_the_files_received() {
    for period in QUARTERS {
        let r = sample(period);
        let c = &r.counts;
        assert_eq!(
            c.files,
            c.returns_accepted + c.returns_sent_back + c.returns_superseded + c.files_unreadable,
            "{period}"
        );
        let text = r.narrative.sections[0].paragraphs[0].text();
        let said = |what: &str, n: usize| n == 0 || text.contains(&format!("{what}{n}份"));
        assert!(said("共收到报表", c.files), "{text}");
        assert!(said("采用", c.returns_accepted), "{text}");
        assert!(said("退回修改", c.returns_sent_back), "{text}");
        assert!(said("被更正重报取代", c.returns_superseded), "{text}");
        assert!(said("无法读取", c.files_unreadable), "{text}");
    }
}

/// The numeric texts of an SVG chart centred on their x (an x axis' tick
/// labels), by their y position, each row in x order.
fn numbers_by_row(svg: &str) -> BTreeMap<i64, Vec<(f64, f64, String)>> {
    let attr = |attrs: &str, name: &str| -> Option<f64> {
        attrs
            .split(&format!(" {name}=\""))
            .nth(1)?
            .split('"')
            .next()?
            .parse()
            .ok()
    };
    let mut rows: BTreeMap<i64, Vec<(f64, f64, String)>> = BTreeMap::new();
    for chunk in svg.split("<text").skip(1) {
        let Some((attrs, rest)) = chunk.split_once('>') else {
            continue;
        };
        let text = rest
            .split("</text>")
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        let centred = attrs.contains("text-anchor=\"middle\"");
        let (Some(x), Some(y), true) = (attr(attrs, "x"), attr(attrs, "y"), centred) else {
            continue;
        };
        if let Ok(v) = text.replace(',', "").parse::<f64>() {
            rows.entry(y.round() as i64).or_default().push((x, v, text));
        }
    }
    for row in rows.values_mut() {
        row.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    rows
}

#[test]
fn axis_ticks_read_distinctly() {
    let out = tempfile::tempdir().unwrap();
    let run = run_report(out.path(), &["--only-province"]);
    assert!(run.status.success());
    let charts = out.path().join("2026Q3/charts");
    let mut axes = 0;
    for entry in std::fs::read_dir(&charts).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "svg") {
            continue;
        }
        let svg = std::fs::read_to_string(&path).unwrap();
        // A row of numbers at one height holds one axis or several side by
        // side (a new one starts where the numbers fall back); along each,
        // every tick must read higher than the one before.
        for (y, row) in numbers_by_row(&svg) {
            for pair in row.windows(2) {
                let (a, b) = (&pair[0], &pair[1]);
                if b.1 < a.1 {
                    continue;
                }
                assert!(b.1 > a.1 && a.2 != b.2, "{} y={y}: {row:?}", path.display());
            }
            axes += usize::from(row.len() >= 3);
        }
    }
    assert!(axes >= 3, "the charts' value axes were found");
}

#[test]
fn leaders_read_no_codes_or_versions() {
    let out = tempfile::tempdir().unwrap();
    let run = run_report(out.path(), &["--zone", "常州高新区", "--city", "常州市"]);
    assert!(run.status.success());
    let dir = out.path().join("2026Q3");
    for pdf in [
        dir.join("双高协同领导简报_2026Q3.pdf"),
        dir.join("分区简报/常州高新区_2026Q3.pdf"),
        dir.join("分市简报/常州市_2026Q3.pdf"),
    ] {
        let text = pdf_extract::extract_text(&pdf).unwrap();
        for code in ["2026Q2", "2026Q3", "2025Q3", "shuanggao", "0.1.0"] {
            assert!(!text.contains(code), "{code} in {}", pdf.display());
        }
        assert!(
            !text.contains("第三季度 双高协同"),
            "a stray space in the title"
        );
    }
    // 常州's page: the carried quarter is marked, the rank change explained.
    let text = pdf_extract::extract_text(dir.join("分区简报/常州高新区_2026Q3.pdf")).unwrap();
    assert!(text.contains("名次不与上季比较"), "{text}");
    // 常州市's page lists each pair under its zone.
    let city = pdf_extract::extract_text(dir.join("分市简报/常州市_2026Q3.pdf")).unwrap();
    assert!(!city.contains("环比下降60.0"), "{city}");
}
