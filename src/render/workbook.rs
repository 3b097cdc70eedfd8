//! The report workbook (双高协同季度报告_<P>.xlsx): the sheets listed in
//! `SHEETS`, made from the computed [`Report`], for provincial staff in
//! Excel or WPS.
//!
//! Nothing here computes a figure: cells show the model's values (an
//! amount shown in its display unit, 万元 as 亿元, is divided for display
//! only). Every sheet prints on A4 landscape, titled and numbered. The
//! bytes depend on the report alone, so the same report gives the same file.

use rust_xlsxwriter::{DocProperties, Workbook, Worksheet, XlsxError};

use crate::render::xlsx::{self, Res};
use crate::report::Report;

mod areas;
mod grid;
mod overview;
mod records;
mod registry;
mod review;
mod scorecard;
mod tables;
mod targets;
#[cfg(test)]
mod tests;
mod trend;

use grid::{Sheet, Styles};

/// The banner of every report made from sample returns.
const SAMPLE_NOTE: &str = "示例数据：本报告使用合成的示例数据，不代表真实情况";

/// A sheet's writer: fills the named, empty sheet from the report.
type Writer = fn(Sheet<'_>, &Report) -> Res<Worksheet>;

/// The sheets, in order: each its name and its writer. Adding a sheet is
/// one entry here and one writer.
const SHEETS: &[(&str, Writer)] = &[
    ("总览", overview::overview),
    ("目标进度", targets::targets),
    ("分区", areas::zones),
    ("分区图表", areas::zone_charts),
    ("综合评价", scorecard::scorecard),
    ("分市", areas::cities),
    ("高校", tables::universities),
    ("结对", tables::pairs),
    ("五个一", tables::five_ones),
    ("趋势", trend::trend),
    ("报送情况", records::submissions),
    ("问题清单", records::findings),
    ("核查优先清单", review::review),
    ("数据修订", registry::revisions),
    ("登记核对", registry::registry_gaps),
    ("数据来源", records::sources),
];

/// The sheet names, in order.
pub fn sheet_names() -> Vec<&'static str> {
    SHEETS.iter().map(|(name, _)| *name).collect()
}

/// Renders the report workbook to xlsx bytes.
pub fn write_workbook(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let st = Styles::new();
    let mut wb = Workbook::new();
    wb.set_properties(&properties(report)?);
    let title = format!("双高协同季度报告 · {}", report.period.label_zh());
    for &(name, writer) in SHEETS {
        let mut ws = writer(Sheet::new(name, &st)?, report)?;
        xlsx::report_pages(&mut ws, &title);
        wb.push_worksheet(ws);
    }
    wb.save_to_buffer()
}

/// Title, author and a creation date taken from the quarter's last day.
fn properties(r: &Report) -> Res<DocProperties> {
    let props = xlsx::properties(
        format!("双高协同季度报告 · {}", r.period.label_zh()),
        format!("{} 双高协同统计", r.period),
        "shuanggao",
        r.period.end(),
    )?;
    Ok(if r.is_sample {
        props.set_comment(SAMPLE_NOTE)
    } else {
        props
    })
}
