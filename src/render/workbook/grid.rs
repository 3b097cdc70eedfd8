//! The report workbook's cell writing: its set of formats ([`Styles`]) and
//! a sheet wrapper ([`Sheet`]) that tracks display widths and wrapped rows.
//! Measuring, number formats, shared formats and chart fonts come from the
//! xlsx toolkit ([`crate::render::xlsx`]).

use rust_xlsxwriter::{
    Color, ConditionalFormatCell, ConditionalFormatCellRule, Format, FormatAlign, Worksheet,
};

pub(super) use crate::format::{with_unit, yes_no};
use crate::model::{Period, Tone};
use crate::render::palette;
use crate::render::xlsx::{self, lines_units, text_units, Num, Res, Wrap};
use crate::report::Basis;

/// Column widths are clamped to this (Excel character units).
const MAX_WIDTH: f64 = 60.0;
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

/// A column header for a figure: `名称（单位）`, the unit on a line of its
/// own when the name is long, so the column need not be as wide as the name.
pub(super) fn header_label(name: &str, unit: &str) -> String {
    if unit.is_empty() || text_units(name) <= HEADER_CAP - 4.0 {
        with_unit(name, unit)
    } else {
        format!("{name}\n（{unit}）")
    }
}

/// The report workbook's formats.
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
    /// By number format.
    nums: Vec<(Num, Format)>,
    /// By tone, for the tones [`palette::cell`] colours.
    tones: Vec<(Tone, Format)>,
    /// A 五个一 row with fewer than five in place.
    pub row_warn: Format,
}

/// Every number format the workbook writes.
const NUMS: [Num; 9] = [
    Num::Count,
    Num::AmountWhole,
    Num::Amount,
    Num::Pct,
    Num::DeltaCount,
    Num::DeltaAmountWhole,
    Num::DeltaAmount,
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
        Styles {
            title: xlsx::title_large(),
            subtitle: Format::new().set_font_color(Color::RGB(xlsx::GREY_TEXT)),
            banner: xlsx::sample_banner(),
            section: xlsx::section(),
            note: xlsx::note_text(),
            header: xlsx::header_light_blue(),
            text: cell(),
            wrap: cell().set_text_wrap(),
            muted: cell().set_font_color(Color::RGB(xlsx::FAINT)),
            center: cell().set_align(FormatAlign::Center),
            date: cell()
                .set_num_format(xlsx::DATE)
                .set_align(FormatAlign::Center),
            count_left: num(Num::Count).set_align(FormatAlign::Left),
            nums: NUMS.into_iter().map(|kind| (kind, num(kind))).collect(),
            tones: [Tone::Good, Tone::Warn, Tone::Bad, Tone::Grey, Tone::Info]
                .into_iter()
                .filter_map(|t| xlsx::tone_cell(t).map(|f| (t, f)))
                .collect(),
            row_warn: Format::new().set_background_color(Color::RGB(palette::INCOMPLETE_ROW)),
        }
    }

    pub(super) fn num(&self, kind: Num) -> &Format {
        // Every kind is in `NUMS`; the plain cell is never needed.
        self.nums
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(&self.text, |(_, f)| f)
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

    /// Freezes the rows above `rows` (and the columns left of `cols`), repeats
    /// them when printed, and prints landscape, one page wide.
    pub(super) fn table_view(&mut self, rows: u32, cols: u16) -> Res {
        xlsx::freeze_top(&mut self.ws, rows, cols)?;
        xlsx::fit_width(&mut self.ws, true);
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
            let width = widths.get(usize::from(*col)).copied().unwrap_or(MIN_WIDTH);
            let needed = Wrap::TABLE.lines_of(lines.iter().copied(), width);
            let entry = heights.entry(*row).or_insert(1);
            *entry = (*entry).max(needed);
        }
        for (row, lines) in heights {
            if lines > 1 {
                self.ws.set_row_height(row, Wrap::TABLE.height(lines))?;
            }
        }
        Ok(self.ws)
    }
}
