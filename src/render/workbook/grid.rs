//! The report workbook's cell writing: its set of formats ([`Styles`]) and
//! a sheet wrapper ([`Sheet`]) that tracks display widths and wrapped rows.
//! Measuring, number formats, shared formats and chart fonts come from the
//! xlsx toolkit ([`crate::render::xlsx`]).

use rust_xlsxwriter::{
    Color, ConditionalFormatCell, ConditionalFormatCellRule, ConditionalFormatText,
    ConditionalFormatTextRule, Format, FormatAlign, Worksheet,
};

pub(super) use crate::format::yes_no;
use crate::model::{Period, Tone};
use crate::render::palette;
use crate::render::xlsx::{self, lines_units, text_units, Num, Res, Wrap};
use crate::report::Basis;

/// What a cell shows when there is no figure.
pub(super) const DASH: &str = "—";
/// The printable width of A4 landscape at 100 %, as LibreOffice prints it.
const PAGE_UNITS: f64 = xlsx::A4_LANDSCAPE_UNITS;
/// Printing may shrink a wide table to this scale before it takes another
/// page across: the 11 pt text then prints at about 7 pt. The report's
/// tables are a statistician's, wider than a clerk's feedback (75 %).
const MIN_PRINT_SCALE: f64 = 0.65;

/// Column widths are clamped to this (Excel character units).
const MAX_WIDTH: f64 = 36.0;
const MIN_WIDTH: f64 = 5.0;
/// A header contributes at most this much width; longer headers wrap.
const HEADER_CAP: f64 = 14.0;
/// Bold header text is this much wider than plain text.
const BOLD: f64 = 1.1;

/// Where a figure comes from, as shown: `本期`, `沿用上期（2026Q2）`, `无数据`.
pub(super) fn basis_label(basis: Basis, source: Option<Period>) -> String {
    match (basis, source) {
        (Basis::Carried, Some(p)) => format!("{}（{p}）", basis.label_zh()),
        _ => basis.label_zh().to_string(),
    }
}

/// Colours a 数据来源 column by basis: a carried figure's label names its
/// quarter (`沿用上期（2026Q2）`), so labels are matched by their beginning.
pub(super) fn basis_tones(s: &mut Sheet, first: u32, last: u32, col: u16) -> Res {
    if last < first {
        return Ok(());
    }
    for basis in [Basis::Carried, Basis::NoData] {
        if let Some(format) = s.st.tone(basis.tone()) {
            let rule = ConditionalFormatText::new()
                .set_rule(ConditionalFormatTextRule::BeginsWith(
                    basis.label_zh().into(),
                ))
                .set_format(format);
            s.ws.add_conditional_format(first, col, last, col, &rule)?;
        }
    }
    Ok(())
}

/// Where a table too wide for one page breaks: before the first column of
/// each page after the first, at [`MIN_PRINT_SCALE`], the repeated columns
/// taking their room on every page and no break inside a kept range.
/// Empty when the table fits one page across.
fn column_breaks(widths: &[f64], print: Print, together: &[(u16, u16)]) -> Vec<u16> {
    let width = |c: u16| widths.get(usize::from(c)).copied().unwrap_or(MIN_WIDTH);
    let repeated: f64 = (0..print.repeat_cols).map(width).sum();
    let room = (PAGE_UNITS / MIN_PRINT_SCALE - repeated).max(PAGE_UNITS / 4.0);
    // The units a break may not fall in: a kept range, or a single column.
    let mut units: Vec<(u16, u16)> = Vec::new();
    let mut col = print.repeat_cols;
    while col <= print.last_col {
        let end = together
            .iter()
            .find(|(a, b)| *a <= col && col <= *b)
            .map_or(col, |(_, b)| (*b).min(print.last_col));
        units.push((col, end));
        col = end + 1;
    }
    let mut breaks = Vec::new();
    let mut used = 0.0;
    for (first, last) in units {
        let w: f64 = (first..=last).map(width).sum();
        if used > 0.0 && used + w > room {
            breaks.push(first);
            used = 0.0;
        }
        used += w;
    }
    breaks
}

/// The report workbook's formats.
pub(super) struct Styles {
    pub title: Format,
    pub subtitle: Format,
    pub banner: Format,
    pub section: Format,
    /// A note that wraps within its merged row ([`Sheet::note`]).
    note_wrap: Format,
    /// Running text (总览's 综述), wrapped, in ink.
    paragraph: Format,
    pub header: Format,
    pub text: Format,
    pub wrap: Format,
    pub muted: Format,
    pub center: Format,
    pub date: Format,
    pub count_left: Format,
    /// By number format.
    nums: Vec<(Num, Format)>,
    /// By tone, for the tones [`palette::cell`] colours.
    tones: Vec<(Tone, Format)>,
    /// A 五个一 row with fewer than five in place.
    pub row_warn: Format,
    /// The 合计 row: bold text, and bold numbers by format.
    pub total_text: Format,
    total_nums: Vec<(Num, Format)>,
}

/// Every number format the workbook writes.
const NUMS: [Num; 7] = [
    Num::Count,
    Num::AmountWhole,
    Num::Amount,
    Num::Pct,
    Num::PctWhole,
    Num::Int,
    Num::OfFive,
];

impl Styles {
    pub(super) fn new() -> Styles {
        let cell = xlsx::body_cell;
        let num = |kind: Num| {
            let f = cell().set_num_format(kind.code());
            // Ranks, row numbers and 3/5 read best centred.
            match kind {
                Num::Int | Num::OfFive => f.set_align(FormatAlign::Center),
                _ => f,
            }
        };
        let kinds: Vec<Num> = NUMS.into_iter().chain((0..=6).map(Num::Fixed)).collect();
        Styles {
            title: xlsx::title_large(),
            subtitle: Format::new().set_font_color(Color::RGB(xlsx::GREY_TEXT)),
            banner: xlsx::sample_banner(),
            section: xlsx::section(),
            note_wrap: xlsx::note_text()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            paragraph: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_font_size(11),
            header: xlsx::header_light_blue(),
            text: cell(),
            wrap: cell().set_text_wrap(),
            muted: cell().set_font_color(Color::RGB(xlsx::FAINT)),
            center: cell().set_align(FormatAlign::Center),
            date: cell()
                .set_num_format(xlsx::DATE)
                .set_align(FormatAlign::Center),
            count_left: num(Num::Count).set_align(FormatAlign::Left),
            nums: kinds.iter().map(|&kind| (kind, num(kind))).collect(),
            tones: [Tone::Good, Tone::Warn, Tone::Bad, Tone::Grey, Tone::Info]
                .into_iter()
                .filter_map(|t| xlsx::tone_cell(t).map(|f| (t, f)))
                .collect(),
            row_warn: Format::new().set_background_color(Color::RGB(palette::INCOMPLETE_ROW)),
            total_text: xlsx::total_cell(cell()),
            total_nums: kinds
                .iter()
                .map(|&kind| (kind, xlsx::total_cell(num(kind))))
                .collect(),
        }
    }

    pub(super) fn num(&self, kind: Num) -> &Format {
        // Every kind is in `NUMS`; the plain cell is never needed.
        self.nums
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(&self.text, |(_, f)| f)
    }

    /// The 合计 row's format for a number format.
    pub(super) fn total_num(&self, kind: Num) -> &Format {
        self.total_nums
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(&self.total_text, |(_, f)| f)
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
    /// The sheet's name (what its charts refer to).
    pub name: &'static str,
    pub ws: Worksheet,
    pub st: &'a Styles,
    widths: Vec<f64>,
    /// Columns whose width is set, not measured.
    fixed: Vec<(u16, f64)>,
    /// (row, col, width of each line); header cells are capped.
    wrapped: Vec<(u32, u16, Vec<f64>)>,
    /// Headers merged across columns: (row, first col, last col, line widths).
    spans: Vec<(u32, u16, u16, Vec<f64>)>,
    /// How the sheet prints, when it is a table ([`Sheet::table_view`]).
    print: Option<Print>,
    /// Column ranges a page break must not cut (an indicator's columns).
    together: Vec<(u16, u16)>,
    /// Columns whose wrapped text may make them at most this wide.
    caps: Vec<(u16, f64)>,
}

/// A table's printing: the columns printed, and those repeated on every
/// page; `one_page_across` for a report page, never broken across.
#[derive(Debug, Clone, Copy)]
struct Print {
    last_col: u16,
    repeat_cols: u16,
    one_page_across: bool,
}

impl<'a> Sheet<'a> {
    pub(super) fn new(name: &'static str, st: &'a Styles) -> Res<Sheet<'a>> {
        let mut ws = Worksheet::new();
        ws.set_name(name)?;
        Ok(Sheet {
            name,
            ws,
            st,
            widths: Vec::new(),
            fixed: Vec::new(),
            wrapped: Vec::new(),
            spans: Vec::new(),
            print: None,
            together: Vec::new(),
            caps: Vec::new(),
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
        self.fit(col, text_units(text));
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

    /// The width of each line of a header's text, bold.
    fn header_lines(text: &str) -> Vec<f64> {
        lines_units(text).into_iter().map(|w| w * BOLD).collect()
    }

    pub(super) fn header(&mut self, row: u32, col: u16, text: &str) -> Res {
        let st = self.st;
        self.ws
            .write_string_with_format(row, col, text, &st.header)?;
        let lines = Self::header_lines(text);
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
            let widest = Self::header_lines(text).into_iter().fold(0.0, f64::max);
            self.fit(c1, widest.min(HEADER_CAP));
        }
        if r1 == r2 {
            self.spans.push((r1, c1, c2, Self::header_lines(text)));
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

    /// A note across `c1..=c2` of a row, wrapped, the row as tall as it needs.
    pub(super) fn note(&mut self, row: u32, c1: u16, c2: u16, text: &str) -> Res {
        let st = self.st;
        self.merged(row, c1, c2, text, &st.note_wrap)?;
        self.spans.push((row, c1, c2, lines_units(text)));
        Ok(())
    }

    /// A paragraph of running text across `c1..=c2`, as tall as it needs.
    pub(super) fn paragraph(&mut self, row: u32, c1: u16, c2: u16, text: &str) -> Res {
        let st = self.st;
        self.merged(row, c1, c2, text, &st.paragraph)?;
        self.spans.push((row, c1, c2, lines_units(text)));
        Ok(())
    }

    pub(super) fn num(&mut self, row: u32, col: u16, v: f64, kind: Num) -> Res {
        let st = self.st;
        self.ws
            .write_number_with_format(row, col, v, st.num(kind))?;
        self.fit(col, kind.width(v));
        Ok(())
    }

    /// A figure of the 合计 row (bold, ruled above), or a dash when absent.
    pub(super) fn total(&mut self, row: u32, col: u16, v: Option<f64>, kind: Num) -> Res {
        let st = self.st;
        match v {
            Some(v) => {
                self.ws
                    .write_number_with_format(row, col, v, st.total_num(kind))?;
                self.fit(col, kind.width(v) * BOLD);
            }
            None => {
                self.ws
                    .write_string_with_format(row, col, DASH, &st.total_text)?;
            }
        }
        Ok(())
    }

    /// Text of the 合计 row.
    pub(super) fn total_text(&mut self, row: u32, col: u16, text: &str) -> Res {
        let st = self.st;
        self.text_as(row, col, text, &st.total_text)
    }

    /// A figure, or `—` when there is none (nothing measured, no base):
    /// a reader sees a dash, never an empty cell or a made-up 0.
    pub(super) fn num_or_dash(&mut self, row: u32, col: u16, v: Option<f64>, kind: Num) -> Res {
        match v {
            Some(v) => self.num(row, col, v, kind),
            None => {
                let st = self.st;
                self.text_as(row, col, DASH, &st.center)
            }
        }
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
        let Some(d) = d else {
            return self.blank(row, col);
        };
        let st = self.st;
        self.ws
            .write_datetime_with_format(row, col, &xlsx::excel_date(d)?, &st.date)?;
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

    /// Freezes the rows above `rows` and the columns left of `cols`, and
    /// prints them on every page; the table prints as many pages across as
    /// it needs to stay legible (columns beyond `last_col`, such as chart
    /// data, are not printed).
    pub(super) fn table_view(&mut self, rows: u32, cols: u16, last_col: u16) -> Res {
        xlsx::freeze_top(&mut self.ws, rows, cols)?;
        if cols > 0 {
            self.ws.set_repeat_columns(0, cols - 1)?;
        }
        self.print = Some(Print {
            last_col,
            repeat_cols: cols,
            one_page_across: false,
        });
        Ok(())
    }

    /// A page to read rather than a table (总览): printed one page across,
    /// columns `0..=last_col`.
    pub(super) fn page_view(&mut self, last_col: u16) {
        self.print = Some(Print {
            last_col,
            repeat_cols: 0,
            one_page_across: true,
        });
    }

    /// Keeps columns `first..=last` on one printed page.
    pub(super) fn keep_together(&mut self, first: u16, last: u16) {
        self.together.push((first, last));
    }

    /// Hides columns (chart data beside a table: charts still draw them).
    pub(super) fn hide_columns(&mut self, first: u16, last: u16) -> Res {
        for col in first..=last {
            self.ws.set_column_hidden(col)?;
        }
        Ok(())
    }

    /// Caps a column's width: its texts wrap in it (long messages, names).
    pub(super) fn cap_width(&mut self, col: u16, width: f64) {
        self.caps.push((col, width));
    }

    /// Gives a column a set width (beyond the usual clamp, e.g. for hashes).
    pub(super) fn fixed_width(&mut self, col: u16, width: f64) {
        self.fixed.push((col, width));
    }

    /// One page across when the table fits (shrunk to fit), else at the
    /// smallest legible scale with breaks between kept ranges.
    fn page_across(&mut self, widths: &[f64], print: Print) -> Res {
        let breaks = if print.one_page_across {
            Vec::new()
        } else {
            column_breaks(widths, print, &self.together)
        };
        if breaks.is_empty() {
            self.ws.set_print_fit_to_pages(1, 0);
        } else {
            self.ws.set_print_scale((MIN_PRINT_SCALE * 100.0) as u16);
            let breaks: Vec<u32> = breaks.into_iter().map(u32::from).collect();
            self.ws.set_vertical_page_breaks(&breaks)?;
        }
        Ok(())
    }

    /// Sets the column widths and the heights of wrapped rows; hands the sheet back.
    pub(super) fn finish(mut self) -> Res<Worksheet> {
        let mut widths: Vec<f64> = self
            .widths
            .iter()
            .map(|w| (w + 2.0).clamp(MIN_WIDTH, MAX_WIDTH))
            .collect();
        for &(col, cap) in &self.caps {
            if let Some(w) = widths.get_mut(usize::from(col)) {
                *w = w.min(cap);
            }
        }
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
            let width = widths.get(usize::from(*col)).copied().unwrap_or(MIN_WIDTH);
            let needed = Wrap::TABLE.lines_of(lines.iter().copied(), width);
            let entry = heights.entry(*row).or_insert(1);
            *entry = (*entry).max(needed);
        }
        for (row, c1, c2, lines) in &self.spans {
            let width: f64 = (*c1..=*c2)
                .map(|c| widths.get(usize::from(c)).copied().unwrap_or(MIN_WIDTH))
                .sum();
            let needed = Wrap::TABLE.lines_of(lines.iter().copied(), width);
            let entry = heights.entry(*row).or_insert(1);
            *entry = (*entry).max(needed);
        }
        for (row, lines) in heights {
            if lines > 1 {
                self.ws.set_row_height(row, Wrap::TABLE.height(lines))?;
            }
        }
        if let Some(print) = self.print {
            self.page_across(&widths, print)?;
            // Whole columns: Excel prints the rows in use, charts included.
            self.ws
                .set_print_area(0, 0, xlsx::MAX_ROW - 1, print.last_col)?;
        }
        Ok(self.ws)
    }
}
