//! 核查优先清单: the quarter's values to question first, highest score on
//! top (the model and the method: `report::review`, docs/review.md).

use rust_xlsxwriter::Worksheet;

use super::grid::Sheet;
use crate::format::{is_money, with_unit};
use crate::render::xlsx::{Num, Res};
use crate::report::Report;

const HEADERS: [&str; 11] = [
    "序号",
    "高新区",
    "指标或清单（单位）",
    "位置",
    "报送文件",
    "填报值",
    "上季值",
    "预期范围",
    "偏离占全省",
    "得分",
    "原因",
];
const LAST_COL: u16 = HEADERS.len() as u16 - 1;

/// What the sheet says under the table.
pub(super) const METHOD_NOTE: &str = "说明：得分 = 100 × 可疑程度 × 影响。可疑程度看本区此前可比季度\
（本季与上季均有已采用报表的季度，不含试点启动季度）的新增、本季各区增长的稳健界限（Hidiroglou–Berthelot \
方法，按规模调整）和该单元格的警告；可比季度不足两个时只与各区比较；偏离预期不足最小偏离（见 review.toml）\
的不计为可疑。影响为“偏离占全省”：填报值偏离预期的部分占全省合计的比重（不是填报值本身的比重），\
可能改变目标状态或分区排名时加权。金额以万元计，与报表单元格一致。所列数据已采用、不是错误，请先核实得分高的。";

pub(super) fn review(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    let st = s.st;
    s.headers(0, &HEADERS)?;
    let mut row = 1;
    for i in r.review_top() {
        let kind = if is_money(&i.unit) {
            Num::Amount
        } else {
            Num::Count
        };
        s.num(row, 0, i.rank as f64, Num::Int)?;
        s.text(row, 1, &i.zone)?;
        s.wrap(row, 2, &with_unit(&i.indicator_name, &i.unit))?;
        s.wrap(row, 3, &format!("{}!{}", i.sheet, i.cell))?;
        s.wrap(row, 4, &i.file)?;
        s.num(row, 5, i.value, kind)?;
        s.num_or_dash(row, 6, i.previous, kind)?;
        s.text_as(row, 7, &i.expected_range_zh(), &st.center)?;
        s.num(row, 8, i.deviation_share, Num::Pct)?;
        s.num(row, 9, i.score, Num::Fixed(2))?;
        s.wrap(row, 10, &i.reason)?;
        row += 1;
    }
    let last = row.max(2) - 1;
    s.note(row + 1, 0, LAST_COL, METHOD_NOTE)?;
    for (col, width) in [(2u16, 12.0), (3, 12.0), (4, 13.0), (10, 30.0)] {
        s.cap_width(col, width);
    }
    s.table_view(1, 2, LAST_COL)?;
    s.ws.autofilter(0, 0, last, LAST_COL)?;
    s.finish()
}
