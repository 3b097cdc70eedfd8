//! 高校, 结对 and 五个一: the lists' figures by university, pair and zone.
//! Amounts here are list amounts (合同金额, 到位经费, 基金规模), in the 万元
//! the lists are written in.

use rust_xlsxwriter::{
    ConditionalFormatCell, ConditionalFormatCellRule, ConditionalFormatFormula, Worksheet,
};

use super::grid::{basis_label, basis_tones, yes_no, Sheet};
use crate::model::{column_letters, Tone};
use crate::render::xlsx::{all_whole, Num, Res};
use crate::report::{Report, UnverifiedUniversity};

/// 高校: each university's projects, platforms and money with the zones.
pub(super) fn universities(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    let st = s.st;
    s.headers(
        0,
        &[
            "高校",
            "合作高新区",
            "结对高新区",
            "合作项目（个）",
            "共建平台（个）",
            "合同金额（万元）",
            "到位经费（万元）",
            "是否在名录",
        ],
    )?;
    let contract = Num::for_unit("万元", all_whole(r.universities.iter().map(|u| u.contract)));
    let funded = Num::for_unit("万元", all_whole(r.universities.iter().map(|u| u.funded)));
    let mut row = 1;
    for u in &r.universities {
        s.text(row, 0, &u.name)?;
        s.wrap(row, 1, &u.zones.join("、"))?;
        s.wrap(row, 2, &u.paired_zones.join("、"))?;
        s.count(row, 3, u.projects)?;
        s.count(row, 4, u.platforms)?;
        s.num(row, 5, u.contract, contract)?;
        s.num(row, 6, u.funded, funded)?;
        s.text_as(row, 7, yes_no(u.known), &st.center)?;
        row += 1;
    }
    let listed = row - 1;
    for u in &r.participation.unverified_universities {
        unverified_row(&mut s, row, u)?;
        row += 1;
    }
    let last = row - 1;
    let unverified = UnverifiedUniversity::LABEL_ZH;
    s.tones(
        1,
        last,
        7,
        [(yes_no(false), Tone::Warn), (unverified, Tone::Warn)],
    )?;
    if listed >= 1 {
        s.ws.autofilter(0, 0, listed, 7)?;
    }
    if !r.participation.unverified_universities.is_empty() {
        let note = format!(
            "注：标“{unverified}”的名称不在高校名录中（可能是笔误或新的合作高校），\
             不计入高校数、结对和合计，请核实后在报表中更正或补录名录。"
        );
        s.note(row, 0, 7, &note)?;
    }
    s.table_view(1, 1, 7)?;
    s.finish()
}

/// A name written as a university that matches no registry university:
/// its zones and rows, no money (it counts for no university).
fn unverified_row(s: &mut Sheet, row: u32, u: &UnverifiedUniversity) -> Res {
    let st = s.st;
    s.text(row, 0, &u.name)?;
    s.wrap(row, 1, &u.zones.join("、"))?;
    s.blank(row, 2)?;
    s.count(row, 3, u.projects)?;
    s.count(row, 4, u.platforms)?;
    s.blank(row, 5)?;
    s.blank(row, 6)?;
    s.text_as(row, 7, UnverifiedUniversity::LABEL_ZH, &st.center)
}

/// 结对: each zone–university pair, confirmed pairs marked.
pub(super) fn pairs(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    let st = s.st;
    s.headers(
        0,
        &[
            "高新区",
            "高校",
            "结对",
            "依据",
            "合作项目（个）",
            "共建平台（个）",
            "到位经费（万元）",
        ],
    )?;
    let funded = Num::for_unit("万元", all_whole(r.pairs.iter().map(|p| p.funded)));
    let mut row = 1;
    for p in &r.pairs {
        s.text(row, 0, &p.zone)?;
        s.text(row, 1, &p.university)?;
        s.text_as(row, 2, yes_no(p.confirmed), &st.center)?;
        s.wrap(row, 3, &p.evidence)?;
        s.count(row, 4, p.projects)?;
        s.count(row, 5, p.platforms)?;
        s.num(row, 6, p.funded, funded)?;
        row += 1;
    }
    s.tones(1, row - 1, 2, [(yes_no(true), Tone::Good)])?;
    s.table_view(1, 2, 6)?;
    s.ws.autofilter(0, 0, row - 1, 6)?;
    s.finish()
}

/// 五个一: each zone's five in place; rows short of five shaded.
pub(super) fn five_ones(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    let st = s.st;
    s.headers(
        0,
        &[
            "高新区",
            "数据来源",
            "产业方向",
            "依托科创平台",
            "领军人才",
            "转化基金",
            "基金规模（万元）",
            "标杆项目（个）",
            "完成项数",
        ],
    )?;
    let fund = Num::for_unit(
        "万元",
        all_whole(r.five_ones.iter().filter_map(|f| f.fund_size)),
    );
    let mut row = 1;
    for f in &r.five_ones {
        s.text(row, 0, &f.zone)?;
        let basis = basis_label(f.basis, f.source_period);
        s.text(row, 1, &basis)?;
        s.opt_text(row, 2, f.industry.as_deref())?;
        s.opt_text(row, 3, f.platform.as_deref())?;
        s.opt_text(row, 4, f.talent.as_deref())?;
        s.opt_text(row, 5, f.fund_name.as_deref())?;
        s.opt_num(row, 6, f.fund_size, fund)?;
        s.count(row, 7, f.benchmark_projects)?;
        s.num(row, 8, f.complete as f64, Num::OfFive)?;
        row += 1;
    }
    let last = row - 1;
    if last >= 1 {
        // Rows with fewer than five in place are shaded.
        let incomplete = ConditionalFormatFormula::new()
            .set_rule(format!("=${}2<5", column_letters(8)).as_str())
            .set_format(&st.row_warn);
        s.ws.add_conditional_format(1, 0, last, 8, &incomplete)?;
        if let Some(good) = st.tone(Tone::Good) {
            let done = ConditionalFormatCell::new()
                .set_rule(ConditionalFormatCellRule::EqualTo(5))
                .set_format(good);
            s.ws.add_conditional_format(1, 8, last, 8, &done)?;
        }
    }
    basis_tones(&mut s, 1, last, 1)?;
    for col in 2u16..=5 {
        s.cap_width(col, 16.0);
    }
    s.table_view(1, 1, 8)?;
    s.ws.autofilter(0, 0, last, 8)?;
    s.finish()
}
