//! Cell writing helpers shared by every sheet: the formats, a sheet wrapper
//! that tracks display widths (CJK-aware) and wrapped rows, conditional
//! colours and chart dressing.

use rust_xlsxwriter::{
    Chart, ChartFont, ChartType, Color, ConditionalFormatCell, ConditionalFormatCellRule,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

use crate::format::is_money;
pub(super) use crate::format::{with_unit, yes_no};
use crate::model::{Period, Tone};
use crate::render::palette;
use crate::report::Basis;

pub(super) type Res<T = ()> = Result<T, XlsxError>;

/// The font chart text is set in (Excel/WPS on Chinese Windows have it).
pub(super) const CHART_FONT: &str = "微软雅黑";
/// Excel's GB2312 character set, so the font name is resolved as Chinese.
const CHARSET_GB2312: u8 = 134;

/// Column widths are clamped to this (Excel character units).
const MAX_WIDTH: f64 = 60.0;
const MIN_WIDTH: f64 = 5.0;
/// A header contributes at most this much width; longer headers wrap.
const HEADER_CAP: f64 = 14.0;
/// Points per line of a wrapped row.
const LINE_HEIGHT: f64 = 15.0;

/// How a number is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Num {
    /// `#,##0`
    Count,
    /// 万元 with no fractions in the column: `#,##0`.
    AmountWhole,
    /// 万元: `#,##0.00`.
    Amount,
    /// `0.0%`
    Pct,
    /// Signed change of a count.
    DeltaCount,
    DeltaAmountWhole,
    DeltaAmount,
    /// Plain integer, no separator (rows, ranks).
    Int,
    /// `3/5`
    OfFive,
}

impl Num {
    /// The format for a figure in `unit`; `whole` when every figure it sits
    /// with has no fraction.
    pub(super) fn for_unit(unit: &str, whole: bool) -> Num {
        match (is_money(unit), whole) {
            (false, _) => Num::Count,
            (true, true) => Num::AmountWhole,
            (true, false) => Num::Amount,
        }
    }

    /// The signed form, for a change.
    pub(super) fn delta(self) -> Num {
        match self {
            Num::Count | Num::Int | Num::OfFive => Num::DeltaCount,
            Num::AmountWhole => Num::DeltaAmountWhole,
            Num::Amount => Num::DeltaAmount,
            other => other,
        }
    }

    fn decimals(self) -> usize {
        match self {
            Num::Amount | Num::DeltaAmount => 2,
            Num::Pct => 1,
            _ => 0,
        }
    }

    fn signed(self) -> bool {
        matches!(
            self,
            Num::DeltaCount | Num::DeltaAmount | Num::DeltaAmountWhole
        )
    }

    /// The displayed width of `v` in this format, in character units.
    fn width(self, v: f64) -> f64 {
        let shown = if self == Num::Pct { v * 100.0 } else { v };
        let text = format!("{:.*}", self.decimals(), shown.abs());
        let int_len = text.split('.').next().map_or(1, str::len);
        let mut w = text.len();
        if self != Num::Int {
            w += int_len.saturating_sub(1) / 3;
        }
        if self == Num::Pct {
            w += 1;
        }
        if self == Num::OfFive {
            w += 2;
        }
        if self.signed() || v < 0.0 {
            w += 1;
        }
        w as f64
    }
}

/// No figure has a fraction (to two decimals).
pub(super) fn all_whole(values: impl IntoIterator<Item = f64>) -> bool {
    values
        .into_iter()
        .all(|v| ((v * 100.0).round() / 100.0).fract() == 0.0)
}

/// Where a figure comes from, as shown: `本期`, `沿用上期（2026Q2）`, `无数据`.
pub(super) fn basis_label(basis: Basis, source: Option<Period>) -> String {
    match (basis, source) {
        (Basis::Carried, Some(p)) => format!("{}（{p}）", basis.label_zh()),
        _ => basis.label_zh().to_string(),
    }
}

/// A column header for a figure: `名称（单位）`, the unit on a line of its
/// own when the name is long, so the column need not be as wide as the name.
pub(super) fn header_label(name: &str, unit: &str) -> String {
    if unit.is_empty() || text_units(name) <= HEADER_CAP - 4.0 {
        with_unit(name, unit)
    } else {
        format!("{name}\n（{unit}）")
    }
}

/// Display width of one line of text in Excel character units: a CJK
/// character (width 2) is about 2.1 units.
fn text_units(line: &str) -> f64 {
    UnicodeWidthStr::width(line) as f64 * 1.05
}

fn lines_units(text: &str) -> Vec<f64> {
    text.split('\n').map(text_units).collect()
}

pub(super) struct Styles {
    pub title: Format,
    pub subtitle: Format,
    pub banner: Format,
    pub section: Format,
    pub note: Format,
    pub header: Format,
    pub text: Format,
    pub wrap: Format,
    pub muted: Format,
    pub center: Format,
    pub date: Format,
    pub count_left: Format,
    count: Format,
    amount_whole: Format,
    amount: Format,
    pct: Format,
    delta_count: Format,
    delta_amount_whole: Format,
    delta_amount: Format,
    int: Format,
    of_five: Format,
    /// By tone, for the tones [`palette::cell`] colours.
    tones: Vec<(Tone, Format)>,
    pub row_warn: Format,
}

impl Styles {
    pub(super) fn new() -> Styles {
        let cell = || {
            Format::new()
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(0xBFBFBF))
                .set_align(FormatAlign::VerticalCenter)
        };
        let num = |code: &str| cell().set_num_format(code);
        let tone = |fill: u32, font: u32| {
            Format::new()
                .set_background_color(Color::RGB(fill))
                .set_font_color(Color::RGB(font))
        };
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::VerticalCenter),
            subtitle: Format::new().set_font_color(Color::RGB(0x595959)),
            banner: Format::new()
                .set_bold()
                .set_font_size(12)
                .set_font_color(Color::RGB(0x9C0006))
                .set_background_color(Color::RGB(0xFFEB9C))
                .set_border(FormatBorder::Medium)
                .set_border_color(Color::RGB(0xC00000))
                .set_align(FormatAlign::VerticalCenter),
            section: crate::render::section_format(),
            note: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x7F7F7F)),
            header: crate::render::header_format(),
            text: cell(),
            wrap: cell().set_text_wrap(),
            muted: cell().set_font_color(Color::RGB(0xA6A6A6)),
            center: cell().set_align(FormatAlign::Center),
            date: num("yyyy-mm-dd").set_align(FormatAlign::Center),
            count: num("#,##0"),
            count_left: num("#,##0").set_align(FormatAlign::Left),
            amount_whole: num("#,##0"),
            amount: num("#,##0.00"),
            pct: num("0.0%"),
            delta_count: num("+#,##0;-#,##0;0"),
            delta_amount_whole: num("+#,##0;-#,##0;0"),
            delta_amount: num("+#,##0.00;-#,##0.00;0.00"),
            int: num("0").set_align(FormatAlign::Center),
            of_five: num("0\"/5\"").set_align(FormatAlign::Center),
            tones: [Tone::Good, Tone::Warn, Tone::Bad, Tone::Grey, Tone::Info]
                .into_iter()
                .filter_map(|t| palette::cell(t).map(|(fill, font)| (t, tone(fill, font))))
                .collect(),
            row_warn: Format::new().set_background_color(Color::RGB(0xFFF2CC)),
        }
    }

    pub(super) fn num(&self, kind: Num) -> &Format {
        match kind {
            Num::Count => &self.count,
            Num::AmountWhole => &self.amount_whole,
            Num::Amount => &self.amount,
            Num::Pct => &self.pct,
            Num::DeltaCount => &self.delta_count,
            Num::DeltaAmountWhole => &self.delta_amount_whole,
            Num::DeltaAmount => &self.delta_amount,
            Num::Int => &self.int,
            Num::OfFive => &self.of_five,
        }
    }

    /// The format of a tone; `None` for tones left uncoloured.
    pub(super) fn tone(&self, tone: Tone) -> Option<&Format> {
        let tone = if tone == Tone::Done { Tone::Good } else { tone };
        self.tones.iter().find(|(t, _)| *t == tone).map(|(_, f)| f)
    }
}

/// A worksheet being written: remembers how wide each column's content is
/// and which cells wrap, so widths and row heights can be set at the end.
pub(super) struct Sheet<'a> {
    pub ws: Worksheet,
    pub st: &'a Styles,
    widths: Vec<f64>,
    /// Columns whose width is set, not measured.
    fixed: Vec<(u16, f64)>,
    /// (row, col, width of each line); header cells are capped.
    wrapped: Vec<(u32, u16, Vec<f64>)>,
}

impl<'a> Sheet<'a> {
    pub(super) fn new(name: &'static str, st: &'a Styles) -> Res<Sheet<'a>> {
        let mut ws = Worksheet::new();
        ws.set_name(name)?;
        Ok(Sheet {
            ws,
            st,
            widths: Vec::new(),
            fixed: Vec::new(),
            wrapped: Vec::new(),
        })
    }

    fn fit(&mut self, col: u16, units: f64) {
        let col = usize::from(col);
        if self.widths.len() <= col {
            self.widths.resize(col + 1, 0.0);
        }
        self.widths[col] = self.widths[col].max(units);
    }

    /// Text in a given format (no wrapping).
    pub(super) fn text_as(&mut self, row: u32, col: u16, text: &str, format: &Format) -> Res {
        self.ws.write_string_with_format(row, col, text, format)?;
        let widest = lines_units(text).into_iter().fold(0.0, f64::max);
        self.fit(col, widest);
        if text.contains('\n') {
            self.wrapped.push((row, col, lines_units(text)));
        }
        Ok(())
    }

    /// A bordered table text cell.
    pub(super) fn text(&mut self, row: u32, col: u16, text: &str) -> Res {
        let st = self.st;
        self.text_as(row, col, text, &st.text)
    }

    /// A table text cell that wraps when longer than the widest column.
    pub(super) fn wrap(&mut self, row: u32, col: u16, text: &str) -> Res {
        let st = self.st;
        self.ws.write_string_with_format(row, col, text, &st.wrap)?;
        let lines = lines_units(text);
        self.fit(col, lines.iter().copied().fold(0.0, f64::max));
        self.wrapped.push((row, col, lines));
        Ok(())
    }

    /// Text, or a grey `未填写` when absent.
    pub(super) fn opt_text(&mut self, row: u32, col: u16, text: Option<&str>) -> Res {
        match text.filter(|t| !t.trim().is_empty()) {
            Some(t) => self.wrap(row, col, t),
            None => {
                let st = self.st;
                self.text_as(row, col, "未填写", &st.muted)
            }
        }
    }

    pub(super) fn header(&mut self, row: u32, col: u16, text: &str) -> Res {
        let st = self.st;
        self.ws
            .write_string_with_format(row, col, text, &st.header)?;
        // Bold text is a little wider.
        let lines: Vec<f64> = lines_units(text).into_iter().map(|w| w * 1.1).collect();
        let widest = lines.iter().copied().fold(0.0, f64::max);
        self.fit(col, widest.min(HEADER_CAP));
        self.wrapped.push((row, col, lines));
        Ok(())
    }

    /// A header row from column 0.
    pub(super) fn headers(&mut self, row: u32, names: &[&str]) -> Res {
        self.headers_at(row, 0, names)
    }

    /// Header cells from column `first` on.
    pub(super) fn headers_at(&mut self, row: u32, first: u16, names: &[&str]) -> Res {
        for (col, name) in (first..).zip(names) {
            self.header(row, col, name)?;
        }
        Ok(())
    }

    /// A header spanning `first..=last` columns of one row, or rows of one column.
    pub(super) fn header_span(
        &mut self,
        (r1, c1): (u32, u16),
        (r2, c2): (u32, u16),
        text: &str,
    ) -> Res {
        let st = self.st;
        self.ws.merge_range(r1, c1, r2, c2, text, &st.header)?;
        if c1 == c2 {
            let lines: Vec<f64> = lines_units(text).into_iter().map(|w| w * 1.1).collect();
            let widest = lines.iter().copied().fold(0.0, f64::max);
            self.fit(c1, widest.min(HEADER_CAP));
        }
        Ok(())
    }

    /// Text across merged columns (titles, banners); not counted in widths.
    pub(super) fn merged(&mut self, row: u32, c1: u16, c2: u16, text: &str, f: &Format) -> Res {
        if c1 == c2 {
            self.ws.write_string_with_format(row, c1, text, f)?;
        } else {
            self.ws.merge_range(row, c1, row, c2, text, f)?;
        }
        Ok(())
    }

    pub(super) fn num(&mut self, row: u32, col: u16, v: f64, kind: Num) -> Res {
        let st = self.st;
        self.ws
            .write_number_with_format(row, col, v, st.num(kind))?;
        self.fit(col, kind.width(v));
        Ok(())
    }

    pub(super) fn count(&mut self, row: u32, col: u16, n: usize) -> Res {
        self.num(row, col, n as f64, Num::Count)
    }

    /// A figure, or an empty bordered cell when absent.
    pub(super) fn opt_num(&mut self, row: u32, col: u16, v: Option<f64>, kind: Num) -> Res {
        match v {
            Some(v) => self.num(row, col, v, kind),
            None => self.blank(row, col),
        }
    }

    pub(super) fn blank(&mut self, row: u32, col: u16) -> Res {
        let st = self.st;
        self.ws.write_blank(row, col, &st.text)?;
        Ok(())
    }

    pub(super) fn date(&mut self, row: u32, col: u16, d: Option<chrono::NaiveDate>) -> Res {
        use chrono::Datelike;
        let Some(d) = d else {
            return self.blank(row, col);
        };
        let st = self.st;
        let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
        self.ws
            .write_datetime_with_format(row, col, &dt, &st.date)?;
        self.fit(col, 10.0);
        Ok(())
    }

    /// Colours the cells of `first..=last` in `col` by the status they
    /// show: each (label, tone) a rule, in order (status columns).
    pub(super) fn tones(
        &mut self,
        first: u32,
        last: u32,
        col: u16,
        rules: impl IntoIterator<Item = (&'static str, Tone)>,
    ) -> Res {
        if last < first {
            return Ok(());
        }
        for (label, tone) in rules {
            let Some(format) = self.st.tone(tone) else {
                continue;
            };
            let cf = ConditionalFormatCell::new()
                .set_rule(ConditionalFormatCellRule::EqualTo(label))
                .set_format(format);
            self.ws.add_conditional_format(first, col, last, col, &cf)?;
        }
        Ok(())
    }

    /// Freezes the rows above `rows` (and the columns left of `cols`), repeats
    /// them when printed, and prints landscape, one page wide.
    pub(super) fn table_view(&mut self, rows: u32, cols: u16) -> Res {
        self.ws.set_freeze_panes(rows, cols)?;
        if rows > 0 {
            self.ws.set_repeat_rows(0, rows - 1)?;
        }
        self.ws.set_landscape().set_print_fit_to_pages(1, 0);
        Ok(())
    }

    /// Gives a column a set width (beyond the usual clamp, e.g. for hashes).
    pub(super) fn fixed_width(&mut self, col: u16, width: f64) {
        self.fixed.push((col, width));
    }

    /// Sets the column widths and the heights of wrapped rows; hands the sheet back.
    pub(super) fn finish(mut self) -> Res<Worksheet> {
        let mut widths: Vec<f64> = self
            .widths
            .iter()
            .map(|w| (w + 2.0).clamp(MIN_WIDTH, MAX_WIDTH))
            .collect();
        for &(col, w) in &self.fixed {
            let col = usize::from(col);
            if widths.len() <= col {
                widths.resize(col + 1, MIN_WIDTH);
            }
            widths[col] = w;
        }
        for (col, w) in (0u16..).zip(&widths) {
            self.ws.set_column_width(col, *w)?;
        }
        let mut heights: std::collections::BTreeMap<u32, usize> = Default::default();
        for (row, col, lines) in &self.wrapped {
            let room = widths.get(usize::from(*col)).copied().unwrap_or(MIN_WIDTH) - 1.0;
            let needed: usize = lines
                .iter()
                .map(|w| ((w / room).ceil() as usize).max(1))
                .sum();
            let entry = heights.entry(*row).or_insert(1);
            *entry = (*entry).max(needed);
        }
        for (row, lines) in heights {
            if lines > 1 {
                self.ws
                    .set_row_height(row, LINE_HEIGHT * lines as f64 + 3.0)?;
            }
        }
        Ok(self.ws)
    }
}

fn chart_font(size: f64, bold: bool) -> ChartFont {
    let mut font = ChartFont::new();
    font.set_name(CHART_FONT)
        .set_character_set(CHARSET_GB2312)
        .set_size(size);
    if bold {
        font.set_bold();
    } else {
        font.unset_bold();
    }
    font
}

/// A chart with a title and every text element in the Chinese font.
pub(super) fn new_chart(kind: ChartType, title: &str) -> Chart {
    let mut chart = Chart::new(kind);
    let body = chart_font(9.0, false);
    chart
        .title()
        .set_name(title)
        .set_font(&chart_font(12.0, true));
    chart.x_axis().set_font(&body).set_name_font(&body);
    chart.y_axis().set_font(&body).set_name_font(&body);
    chart.legend().set_font(&body);
    chart
}

/// The font for data labels.
pub(super) fn label_font() -> ChartFont {
    chart_font(8.0, false)
}

/// Rows a chart of `height` pixels covers (default rows are 20 px).
pub(super) fn rows_for(height: u32) -> u32 {
    height.div_ceil(20) + 2
}
