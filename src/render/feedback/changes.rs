//! 更正内容: the cells a corrected file changed against the file it
//! replaced (docs/return-form.md §6.6).

use rust_xlsxwriter::{Url, Worksheet};

use super::{copy_of, Copy, Styles};
use crate::model::{CellChange, CellPos};
use crate::render::xlsx::{
    self, clip_cell, internal_link, text_units, Res, Wrap, MAX_COL, MAX_LINKS, MAX_ROW,
};

/// The widest a column grows (its text wraps beyond).
const MAX_WIDTH: f64 = 40.0;

/// 更正内容: the cells this file changed against the one it replaced, each
/// cell a link into its copy; the header printed on every page.
pub(super) fn sheet(ws: &mut Worksheet, changes: &[CellChange], copies: &[Copy]) -> Res {
    let st = Styles::new();
    let header = 1;
    for (c, h) in ["工作表", "单元格", "原值", "新值"].iter().enumerate() {
        ws.write_string_with_format(header, c as u16, *h, &st.header)?;
    }
    let mut widths = [10.0f64, 8.0, 12.0, 12.0];
    let mut links = 0;
    for (i, ch) in changes.iter().enumerate() {
        let r = header + 1 + i as u32;
        let (old, new) = (clip_cell(&ch.old), clip_cell(&ch.new));
        ws.write_string_with_format(r, 0, &ch.sheet, &st.body)?;
        let target = copy_of(copies, &ch.sheet).zip(CellPos::parse_a1(&ch.cell));
        match target {
            Some((copy, pos)) if links < MAX_LINKS && pos.row < MAX_ROW && pos.col < MAX_COL => {
                links += 1;
                let url =
                    Url::new(internal_link(&copies[copy].name, pos)).set_text(ch.cell.as_str());
                ws.write_url_with_format(r, 1, url, &st.link)?;
            }
            _ => {
                ws.write_string_with_format(r, 1, &ch.cell, &st.body)?;
            }
        }
        ws.write_string_with_format(r, 2, &old, &st.body)?;
        ws.write_string_with_format(r, 3, &new, &st.body)?;
        for (c, text) in [&ch.sheet, &ch.cell, &old, &new].into_iter().enumerate() {
            widths[c] = widths[c].max(text_units(text) + 2.0);
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, w.min(MAX_WIDTH))?;
    }
    let intro =
        "以下单元格与此前报送、已被本文件取代的版本不同（原值为空表示新填，新值为空表示删除）。";
    ws.merge_range(0, 0, 0, 3, intro, &st.note.clone().set_text_wrap())?;
    let total: f64 = widths.iter().map(|w| w.min(MAX_WIDTH)).sum();
    let lines = Wrap::TABLE.lines(intro, total);
    if lines > 1 {
        ws.set_row_height(0, Wrap::TABLE.height(lines))?;
    }
    let last = header + changes.len() as u32;
    ws.autofilter(header, 0, last, 3)?;
    ws.set_freeze_panes(header + 1, 0)?;
    xlsx::a4_fitted(ws, total);
    ws.set_repeat_rows(header, header)?;
    Ok(())
}
