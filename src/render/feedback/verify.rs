//! 请核实: the file's values high on the province's 核查优先清单 — not
//! errors, nothing to send back — each with where it is, what was
//! expected and why it stands out (docs/return-form.md D11.3).

use rust_xlsxwriter::{Url, Worksheet};

use super::{copy_of, Copy, Styles};
use crate::format::group_thousands;
use crate::model::CellPos;
use crate::render::xlsx::{
    self, clip_cell, internal_link, text_units, Res, Wrap, MAX_COL, MAX_ROW,
};
use crate::report::ReviewItem;

const MAX_WIDTH: f64 = 40.0;
const HEADERS: [&str; 6] = ["位置", "指标或清单", "填写值", "预期范围", "单位", "原因"];
pub(super) const INTRO: &str = "以下数据已采用，不是错误，无需退回修改。它们与本区以往季度或各区本季的增长相比差异较大，\
请核实是否填写有误（如单位写成元、多写或少写一位、沿用了上季度的累计值）：如有误，请更正后重报；如属实，无需处理。";

pub(super) fn sheet(ws: &mut Worksheet, items: &[ReviewItem], copies: &[Copy]) -> Res {
    let st = Styles::new();
    let header = 1;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(header, c as u16, *h, &st.header)?;
    }
    let mut widths = [12.0f64, 12.0, 10.0, 12.0, 6.0, 30.0];
    for (i, item) in items.iter().enumerate() {
        let r = header + 1 + i as u32;
        let place = format!("{}!{}", item.sheet, item.cell);
        let cells = [
            place.clone(),
            item.indicator_name.clone(),
            group_thousands(item.value),
            item.expected_range_zh(),
            item.unit.clone(),
            clip_cell(&item.reason),
        ];
        let target = copy_of(copies, &item.sheet).zip(first_cell(&item.cell));
        match target {
            Some((copy, pos)) if pos.row < MAX_ROW && pos.col < MAX_COL => {
                let url = Url::new(internal_link(&copies[copy].name, pos)).set_text(place.as_str());
                ws.write_url_with_format(r, 0, url, &st.link)?;
            }
            _ => {
                ws.write_string_with_format(r, 0, &place, &st.body)?;
            }
        }
        for (c, text) in cells.iter().enumerate().skip(1) {
            ws.write_string_with_format(r, c as u16, text, &st.body)?;
        }
        for (c, text) in cells.iter().enumerate() {
            widths[c] = widths[c].max(text_units(text) + 2.0).min(MAX_WIDTH);
        }
        let lines = Wrap::TABLE.lines(&cells[5], widths[5]);
        if lines > 1 {
            ws.set_row_height(r, Wrap::TABLE.height(lines))?;
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let last_col = HEADERS.len() as u16 - 1;
    ws.merge_range(0, 0, 0, last_col, INTRO, &st.note.clone().set_text_wrap())?;
    let total: f64 = widths.iter().sum();
    ws.set_row_height(0, Wrap::TABLE.height(Wrap::TABLE.lines(INTRO, total)))?;
    ws.set_freeze_panes(header + 1, 0)?;
    xlsx::a4_fitted(ws, total);
    ws.set_repeat_rows(header, header)?;
    Ok(())
}

/// The first cell of `E7` or `I3:I42` (a list total links to its first row).
fn first_cell(cell: &str) -> Option<CellPos> {
    CellPos::parse_a1(cell.split(':').next().unwrap_or(cell))
}
