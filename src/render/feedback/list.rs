//! 问题清单, the feedback workbook's first sheet: who sends it and when, the
//! verdict and what to do by when, then one row per finding.

use rust_xlsxwriter::{Color, Format, FormatAlign, Url, Worksheet};

use super::{link_target, text_of, Copy, Place, Styles};
use crate::format::date_zh;
use crate::model::Severity;
use crate::render::xlsx::{self, clip_cell, text_units, Res, Wrap, MAX_LINKS};
use crate::report::{ExplanationStatus, FeedbackBook, ListedFinding, SET_ASIDE_STATUS};

/// Columns of the findings table.
const COLUMNS: [&str; 8] = [
    "序号",
    "级别",
    "规则",
    "位置",
    "填写值",
    "应为",
    "说明与修改方法",
    "说明状态",
];
/// Width bounds of each findings column (Excel character units).
const COLUMN_MIN: [f64; 8] = [5.0, 6.5, 12.0, 14.0, 10.0, 10.0, 36.0, 10.0];
const COLUMN_MAX: [f64; 8] = [6.0, 6.5, 26.0, 24.0, 24.0, 24.0, 60.0, 30.0];
/// The last column (H).
const LAST_COL: u16 = (COLUMNS.len() - 1) as u16;

/// A findings row: 序号, 级别, 规则, 位置, 填写值, 应为, 说明与修改方法, 说明状态
/// (a superseded file's own finding: set aside, nothing to do).
fn finding_row(i: usize, listed: &ListedFinding, set_aside: bool) -> [String; 8] {
    let f = &listed.finding;
    let rule = if listed.title == f.rule {
        f.rule.clone()
    } else {
        format!("{} {}", f.rule, listed.title)
    };
    let status = match (set_aside, listed.explanation_status(), &listed.explanation) {
        (true, _, _) => SET_ASIDE_STATUS.to_string(),
        (false, ExplanationStatus::Explained, Some(text)) => format!("已说明：{text}"),
        (false, status, _) => status.label_zh().to_string(),
    };
    [
        (i + 1).to_string(),
        f.severity.label_zh().to_string(),
        rule,
        f.place(),
        f.value.clone().unwrap_or_default(),
        f.expected.clone().unwrap_or_default(),
        f.message.clone().unwrap_or_else(|| listed.title.clone()),
        status,
    ]
}

/// 问题清单: the title lines and the verdict banner, then the findings
/// table, filtered, frozen below its header and printed with it on every
/// page.
pub(super) fn sheet(
    ws: &mut Worksheet,
    book: &FeedbackBook,
    listed: &[(&ListedFinding, bool)],
    copies: &[Copy],
    places: &[Place],
) -> Res {
    let st = Styles::new();

    // The table first, to know the column widths the banner wraps in.
    let rows: Vec<[String; 8]> = listed
        .iter()
        .enumerate()
        .map(|(i, (f, aside))| finding_row(i, f, *aside).map(|s| clip_cell(&s)))
        .collect();
    let widths = list_widths(&rows);
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let top = write_title(ws, book, widths.iter().sum())?;
    let header = write_banner(ws, &st, book, top, widths[2..].iter().sum())? + 1;

    for (c, h) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(header, c as u16, *h, &st.header)?;
    }
    ws.set_row_height(header, 20)?;
    let table = Table {
        st: &st,
        widths: &widths,
        copies,
        places,
    };
    let mut links = 0;
    for (i, (row, f)) in rows.iter().zip(listed).enumerate() {
        table.row(ws, header + 1 + i as u32, i, row, f, &mut links)?;
    }
    let last_finding = header + rows.len() as u32;
    if rows.is_empty() {
        ws.merge_range(
            header + 1,
            0,
            header + 1,
            LAST_COL,
            "未发现问题。",
            &st.note,
        )?;
    }
    ws.autofilter(header, 0, last_finding, LAST_COL)?;
    ws.set_freeze_panes(header + 1, 0)?;
    xlsx::a4_fitted(ws, widths.iter().sum());
    ws.set_print_area(0, 0, last_finding.max(header + 1), LAST_COL)?;
    ws.set_repeat_rows(header, header)?;
    Ok(())
}

/// Each findings column as wide as its widest line (and its header), within
/// the column's bounds, the table narrowed to print legibly.
fn list_widths(rows: &[[String; 8]]) -> Vec<f64> {
    let mut widths: Vec<f64> = (0..COLUMNS.len())
        .map(|c| {
            let content = rows
                .iter()
                .map(|r| text_units(&r[c]) + 1.5)
                .fold(text_units(COLUMNS[c]) + 2.0, f64::max);
            content.clamp(COLUMN_MIN[c], COLUMN_MAX[c])
        })
        .collect();
    xlsx::narrow_to(&mut widths, xlsx::A4_LEGIBLE_UNITS, COLUMN_MIN[2]);
    widths
}

/// The lines atop 问题清单: the title, then who sends it and the 反馈日期,
/// whom to ask, and the 示例数据 notice for sample returns. Returns the
/// first row below them.
fn write_title(ws: &mut Worksheet, book: &FeedbackBook, width: f64) -> Res<u32> {
    let title = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::VerticalCenter);
    ws.merge_range(0, 0, 0, LAST_COL, &clip_cell(&book.title), &title)?;
    let lines = Wrap::TABLE.lines(&book.title, width * 11.0 / 16.0);
    ws.set_row_height(0, 24.0 * lines as f64 + 6.0)?;
    let grey = Format::new()
        .set_font_color(Color::RGB(xlsx::GREY_TEXT))
        .set_align(FormatAlign::VerticalCenter);
    let sender = match book.sender.as_str() {
        "" => String::new(),
        s => format!("{s}　　"),
    };
    let mut lines = vec![(
        format!("{sender}反馈日期：{}", date_zh(book.issued)),
        grey.clone(),
    )];
    if !book.contact.is_empty() {
        lines.push((book.contact.clone(), grey.clone().set_text_wrap()));
    }
    if book.is_sample {
        lines.push((
            "示例数据：本反馈基于合成的示例数据，不代表任何高新区的真实情况。".to_string(),
            xlsx::sample_banner(),
        ));
    }
    let mut r = 1;
    for (text, format) in lines {
        ws.merge_range(r, 0, r, LAST_COL, &clip_cell(&text), &format)?;
        let lines = Wrap::TABLE.lines(&text, width);
        ws.set_row_height(r, Wrap::TABLE.height(lines).max(18.0))?;
        r += 1;
    }
    ws.set_row_height(r, 8)?;
    Ok(r + 1)
}

/// The banner below the title lines, one row per line from row `top`:
/// label in A:B, value in C:H (`value_width` units wide). Returns the gap
/// row below it.
fn write_banner(
    ws: &mut Worksheet,
    st: &Styles,
    book: &FeedbackBook,
    top: u32,
    value_width: f64,
) -> Res<u32> {
    let banner = banner_lines(st, book);
    for (i, (label, value, format)) in banner.iter().enumerate() {
        let r = top + i as u32;
        let label_format = if i == 0 {
            st.label.clone().set_align(FormatAlign::VerticalCenter)
        } else {
            st.label.clone()
        };
        ws.merge_range(r, 0, r, 1, label, &label_format)?;
        ws.merge_range(r, 2, r, LAST_COL, &clip_cell(value), format)?;
        if i == 0 {
            ws.set_row_height(r, 36)?;
        } else {
            let lines = Wrap::TABLE.lines(value, value_width);
            if lines > 1 {
                ws.set_row_height(r, Wrap::TABLE.height(lines))?;
            }
        }
    }
    let gap = top + banner.len() as u32;
    ws.set_row_height(gap, 8)?;
    Ok(gap)
}

/// The banner's lines: (label, value, format), the verdict first in large
/// type, the date to act by when there is one, a reading hint last when
/// there is one.
fn banner_lines(st: &Styles, book: &FeedbackBook) -> Vec<(&'static str, String, Format)> {
    let zone = book
        .zone
        .clone()
        .unwrap_or_else(|| "未能确定（文件未能对应到登记的高新区）".to_string());
    let period = book.period;
    let mut banner = vec![
        (
            "审核结论",
            book.conclusion.label_zh().to_string(),
            xlsx::verdict_banner(book.conclusion.tone()),
        ),
        ("高新区", zone, st.value.clone()),
        (
            "报告期",
            format!("{}（{period}）", period.label_zh()),
            st.value.clone(),
        ),
        ("报送文件", book.source.clone(), st.value_wrap.clone()),
        (
            "问题数量",
            book.counts_zh(),
            st.value_wrap.clone().set_bold(),
        ),
        (
            "处理要求",
            book.instruction.clone(),
            st.value_wrap.clone().set_bold(),
        ),
    ];
    if let Some(date) = book.reply_by {
        banner.push((
            "处理期限",
            format!("{}前", date_zh(date)),
            st.value
                .clone()
                .set_bold()
                .set_font_color(Color::RGB(text_of(Severity::Error))),
        ));
    }
    if !book.verify.is_empty() {
        banner.push((
            "请核实",
            format!(
                "{} 项数据与以往或各区相比差异较大，请核实（见“请核实”表；不是错误，无需退回）",
                book.verify.len()
            ),
            st.value_wrap.clone(),
        ));
    }
    if let Some(h) = book.hint.clone() {
        banner.push((
            "阅读提示",
            h,
            st.value_wrap
                .clone()
                .set_font_color(Color::RGB(xlsx::GREY_TEXT)),
        ));
    }
    banner
}

/// The findings table of 问题清单 as it is written.
struct Table<'a> {
    st: &'a Styles,
    widths: &'a [f64],
    copies: &'a [Copy<'a>],
    places: &'a [Place],
}

impl Table<'_> {
    /// Finding `i` in sheet row `r`: 位置 a link into the copies (while
    /// Excel's link limit allows), a pending explanation in amber; the row
    /// as tall as its longest wrapped text.
    fn row(
        &self,
        ws: &mut Worksheet,
        r: u32,
        i: usize,
        row: &[String; 8],
        (f, set_aside): &(&ListedFinding, bool),
        links: &mut usize,
    ) -> Res {
        let st = self.st;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &st.body_center)?;
        ws.write_string_with_format(r, 1, &row[1], &Styles::level(f.finding.severity))?;
        for (c, text) in row.iter().enumerate().skip(2) {
            let target = (c == 3)
                .then(|| link_target(self.places[i], self.copies))
                .flatten();
            match target {
                Some(link) if *links < MAX_LINKS => {
                    *links += 1;
                    let url = Url::new(link)
                        .set_text(text.as_str())
                        .set_tip("跳到原表副本中的这个位置");
                    ws.write_url_with_format(r, c as u16, url, &st.link)?;
                }
                _ => {
                    let pending =
                        !set_aside && f.explanation_status() == ExplanationStatus::Pending;
                    let format = if c == 7 && pending {
                        st.body
                            .clone()
                            .set_font_color(Color::RGB(text_of(Severity::Warning)))
                            .set_bold()
                    } else {
                        st.body.clone()
                    };
                    ws.write_string_with_format(r, c as u16, text, &format)?;
                }
            }
        }
        let lines = (2..COLUMNS.len())
            .map(|c| Wrap::TABLE.lines(&row[c], self.widths[c]))
            .max()
            .unwrap_or(1);
        if lines > 1 {
            ws.set_row_height(r, Wrap::TABLE.height(lines))?;
        }
        Ok(())
    }
}
