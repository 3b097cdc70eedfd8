//! The return form written the way clerks' own files look, in several
//! degrees of mess (banner rows, shuffled columns, full-width digits,
//! formulas, renamed or missing sheets …), for tests of the reader. The
//! shipped sample goes through the template writer instead.

use chrono::NaiveDate;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Formula, Workbook, XlsxError,
};
use shuanggao::model::draft::{Cell, Draft};
use shuanggao::text::to_full_width as full_width;

/// How messy the written workbook is (for tests of the reader).
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Extra title and note rows above each table header.
    pub banner_rows: u32,
    /// Columns of the list sheets in reverse order.
    pub shuffled: bool,
    /// Numbers written as full-width text (`１２３`).
    pub full_width: bool,
    /// SG01/SG02 as COUNTA formulas over the lists, with cached results.
    pub formulas: bool,
    /// Sheets in reverse order, names with a trailing 表.
    pub renamed_sheets: bool,
    /// Leave this sheet out.
    pub omit_sheet: Option<&'static str>,
    /// Add a sheet of this name that is not part of the form.
    pub extra_sheet: Option<&'static str>,
    /// Add the hidden 模板信息 sheet of a generated template: (zone code, period).
    pub stamp: Option<(&'static str, &'static str)>,
}

/// Writes a draft as an xlsx, in a style of mess.
pub trait ToXlsx {
    fn to_xlsx(&self, style: Style) -> std::result::Result<Vec<u8>, XlsxError>;
}

impl ToXlsx for Draft {
    fn to_xlsx(&self, style: Style) -> std::result::Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        let mut props = DocProperties::new()
            .set_title(&self.title)
            .set_author("shuanggao 示例数据");
        if let Some(d) = self.created {
            props = props.set_creation_datetime(&excel_date(d)?);
        }
        wb.set_properties(&props);
        let bold = Format::new().set_bold();
        let banner = Format::new()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Center);
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let sheet_name = |n: &str| {
            if style.renamed_sheets {
                format!("{n}表")
            } else {
                n.to_string()
            }
        };
        let mut order = vec!["基本信息", "核心指标", "项目清单", "平台清单"];
        if !self.explanations.is_empty() {
            order.push("情况说明");
        }
        if style.renamed_sheets {
            order.reverse();
        }
        let top = 1 + style.banner_rows;
        order.retain(|n| Some(*n) != style.omit_sheet);
        for name in order {
            let ws = wb.add_worksheet();
            ws.set_name(sheet_name(name))?;
            let (header, rows): (Vec<String>, Vec<Vec<Cell>>) = match name {
                "基本信息" => (
                    vec!["填报项目".into(), "填报内容".into()],
                    self.basic
                        .iter()
                        .map(|(l, v)| vec![Cell::Text(l.clone()), v.clone()])
                        .collect(),
                ),
                "核心指标" => (self.indicator_header.clone(), self.indicators.clone()),
                "项目清单" => (self.project_header.clone(), self.projects.clone()),
                "平台清单" => (self.platform_header.clone(), self.platforms.clone()),
                _ => (
                    vec!["规则编号".into(), "位置".into(), "说明".into()],
                    self.explanations
                        .iter()
                        .map(|r| r.iter().map(|s| Cell::Text(s.clone())).collect())
                        .collect(),
                ),
            };
            let width = header.len() as u16;
            ws.merge_range(
                0,
                0,
                0,
                width.saturating_sub(1),
                &format!("{}（{}）", self.title, name),
                &banner,
            )?;
            for extra in 1..=style.banner_rows {
                ws.write(
                    extra,
                    0,
                    format!("注{extra}：本表为示例数据，金额单位为万元。"),
                )?;
            }
            let columns: Vec<usize> = if style.shuffled && matches!(name, "项目清单" | "平台清单")
            {
                (0..header.len()).rev().collect()
            } else {
                (0..header.len()).collect()
            };
            for (c, &src) in columns.iter().enumerate() {
                ws.write_with_format(top, c as u16, &header[src], &bold)?;
                ws.set_column_width(c as u16, if src == 1 { 34 } else { 16 })?;
            }
            for (r, row) in rows.iter().enumerate() {
                let r = top + 1 + r as u32;
                for (c, &src) in columns.iter().enumerate() {
                    let c = c as u16;
                    match row.get(src).unwrap_or(&Cell::Empty) {
                        Cell::Empty => {}
                        Cell::Text(t) => {
                            ws.write(r, c, t)?;
                        }
                        Cell::Number(v) if style.full_width => {
                            ws.write(r, c, full_width(&shuanggao::format::format_number(*v)))?;
                        }
                        Cell::Number(v) => {
                            ws.write(r, c, *v)?;
                        }
                        Cell::Date(d) => {
                            ws.write_datetime_with_format(r, c, &excel_date(*d)?, &date)?;
                        }
                        Cell::Formula(f, v) => {
                            let f = f.replace("{first}", &(top + 2).to_string());
                            ws.write_formula(
                                r,
                                c,
                                Formula::new(f).set_result(shuanggao::format::format_number(*v)),
                            )?;
                        }
                    }
                }
            }
        }
        if let Some(extra) = style.extra_sheet {
            wb.add_worksheet().set_name(extra)?.write(0, 0, "备用")?;
        }
        if let Some((zone, period)) = style.stamp {
            let ws = wb.add_worksheet();
            ws.set_name("模板信息")?;
            for (r, (k, v)) in [("模板版本", "1"), ("高新区代码", zone), ("报告期", period)]
                .iter()
                .enumerate()
            {
                ws.write(r as u32, 0, *k)?;
                ws.write(r as u32, 1, *v)?;
            }
            ws.set_hidden(true);
        }
        wb.save_to_buffer()
    }
}

fn excel_date(d: NaiveDate) -> std::result::Result<ExcelDateTime, XlsxError> {
    use chrono::Datelike;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}
