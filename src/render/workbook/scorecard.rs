//! 综合评价: the zones by composite score, with the change of rank, each
//! component's figure and points, the marks of carried and no-data zones,
//! and beneath, the components with their weights and the method.

use rust_xlsxwriter::Worksheet;

use super::grid::Sheet;
use crate::format::{format_number, Scale};
use crate::model::Tone;
use crate::render::xlsx::{Num, Res};
use crate::report::{Report, ScoreComponent, ScoredZone};

/// The columns before the components'.
const FIXED: [&str; 6] = ["名次", "高新区", "城市", "综合得分", "名次变化", "说明"];
/// The notes' last column: the fixed columns and two components'.
const NOTE_LAST_COL: u16 = FIXED.len() as u16 + 3;
/// Scores and points: two decimals.
const POINTS: Num = Num::Fixed(2);

/// A component's two columns: its figure (in the indicator's scale) and
/// its points.
struct Column<'r> {
    part: &'r ScoreComponent,
    scale: Scale,
    num: Num,
    col: u16,
}

pub(super) fn scorecard(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    let card = &r.scorecard;
    for (col, label) in (0u16..).zip(FIXED) {
        s.header_span((0, col), (1, col), label)?;
    }
    let columns = columns(r);
    for c in &columns {
        let head = format!(
            "{}（权重{}）",
            c.part.label_zh(),
            format_number(c.part.weight)
        );
        s.header_span((0, c.col), (0, c.col + 1), &head)?;
        s.header(1, c.col, &format!("数值（{}）", c.scale.unit))?;
        s.header(1, c.col + 1, "得分")?;
        s.keep_together(c.col, c.col + 1);
    }
    let last_col = columns.last().map_or(5, |c| c.col + 1);
    let mut row = 2;
    for z in &card.zones {
        zone_row(&mut s, row, z, &columns)?;
        row += 1;
    }
    s.tones(2, row.saturating_sub(1), 4, [("新", Tone::Info)])?;
    let row = weights_table(&mut s, row + 1, &card.components)?;
    // Notes as wide as the first printed page (the fixed columns and two
    // components), so no sentence is cut by a page break.
    let notes_to = last_col.min(NOTE_LAST_COL);
    for (n, note) in (row + 1..).zip(card.method_zh()) {
        s.note(n, 0, notes_to, &note)?;
    }
    s.table_view(2, 2, last_col)?;
    s.finish()
}

fn columns(r: &Report) -> Vec<Column<'_>> {
    (0u16..)
        .zip(&r.scorecard.components)
        .map(|(i, part)| {
            let scale = r.scale_of(&part.indicator, &part.unit);
            let values = r
                .scorecard
                .zones
                .iter()
                .filter_map(|z| z.parts.get(usize::from(i)).and_then(|p| p.value));
            Column {
                part,
                num: Num::for_scale(&scale, values),
                scale,
                col: FIXED.len() as u16 + 2 * i,
            }
        })
        .collect()
}

/// One zone: rank, score, change, mark, then each component.
fn zone_row(s: &mut Sheet, row: u32, z: &ScoredZone, columns: &[Column]) -> Res {
    s.num_or_dash(row, 0, z.rank.map(|n| n as f64), Num::Int)?;
    s.text(row, 1, &z.name)?;
    s.text(row, 2, &z.city)?;
    s.num_or_dash(row, 3, z.score, POINTS)?;
    let st = s.st;
    s.text_as(row, 4, &z.movement.label_zh(), &st.center)?;
    let mark = z.mark_zh();
    if mark.is_empty() {
        s.text(row, 5, "")?;
    } else {
        let tone = if z.rank.is_some() {
            Tone::Warn
        } else {
            Tone::Grey
        };
        let format = st.tone(tone).unwrap_or(&st.wrap);
        s.text_as(row, 5, &mark, format)?;
    }
    for (c, part) in columns.iter().zip(&z.parts) {
        let value = part.value.map(|v| c.scale.of(v));
        s.num_or_dash(row, c.col, value, c.num)?;
        let points = z.score.map(|_| part.points);
        s.num_or_dash(row, c.col + 1, points, POINTS)?;
    }
    Ok(())
}

/// 评价指标与权重: each component's group, direction, weight and
/// normalisation; returns the row after it. Long texts are merged across
/// columns so they do not widen the ranking's columns above.
fn weights_table(s: &mut Sheet, top: u32, components: &[ScoreComponent]) -> Res<u32> {
    let st = s.st;
    s.merged(top, 0, 6, "评价指标与权重", &st.section)?;
    let heads = [
        (0, 0, "序号"),
        (1, 2, "指标"),
        (3, 3, "一级指标"),
        (4, 4, "方向"),
    ];
    let tail = [(5, 5, "权重"), (6, 6, "权重占比"), (7, 9, "标准化")];
    for (c1, c2, text) in heads.into_iter().chain(tail) {
        if c1 == c2 {
            s.header(top + 1, c1, text)?;
        } else {
            s.header_span((top + 1, c1), (top + 1, c2), text)?;
        }
    }
    let mut row = top + 2;
    for (n, c) in (1..).zip(components) {
        s.count(row, 0, n)?;
        s.merged(row, 1, 2, &c.label_zh(), &st.text)?;
        s.text(row, 3, &c.group)?;
        s.text_as(row, 4, c.direction.label_zh(), &st.center)?;
        s.num(row, 5, c.weight, Num::Fixed(decimals(c.weight)))?;
        s.num(row, 6, c.share, Num::Pct)?;
        s.merged(row, 7, 9, c.normalise.label_zh(), &st.text)?;
        row += 1;
    }
    Ok(row)
}

/// Whole weights without decimals, others with two.
fn decimals(v: f64) -> u8 {
    if v.fract() == 0.0 {
        0
    } else {
        2
    }
}
