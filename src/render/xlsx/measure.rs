//! How wide text shows and how many lines it takes, in Excel's units: a
//! column width counts characters of the default font, a row height points.

use unicode_width::UnicodeWidthStr;

/// Display width of one line in Excel character units: a CJK character
/// (width 2) is about 2.1 units.
pub(crate) fn line_units(line: &str) -> f64 {
    UnicodeWidthStr::width(line) as f64 * 1.05
}

/// The width of each line of `text`.
pub(crate) fn lines_units(text: &str) -> Vec<f64> {
    text.split('\n').map(line_units).collect()
}

/// The width of the widest line of `text`.
pub(crate) fn text_units(text: &str) -> f64 {
    text.split('\n').map(line_units).fold(0.0, f64::max)
}

/// Lines that lines of these widths take when wrapped in `room` units:
/// each at least one.
pub(crate) fn lines_in_room(units: impl IntoIterator<Item = f64>, room: f64) -> usize {
    units
        .into_iter()
        .map(|w| ((w / room).ceil() as usize).max(1))
        .sum()
}

/// Narrows the widest of `widths` until they total at most `total` (none
/// below `floor`, none widened): the columns that must give way are the
/// widest, and all of them end equally wide.
pub(crate) fn narrow_to(widths: &mut [f64], total: f64, floor: f64) {
    let sum = |cap: f64| widths.iter().map(|w| w.min(cap.max(floor))).sum::<f64>();
    if sum(f64::INFINITY) <= total {
        return;
    }
    let (mut low, mut high) = (floor, widths.iter().copied().fold(floor, f64::max));
    for _ in 0..50 {
        let mid = (low + high) / 2.0;
        if sum(mid) > total {
            high = mid;
        } else {
            low = mid;
        }
    }
    for w in widths.iter_mut() {
        *w = w.min(low.max(floor));
    }
}

/// How a writer turns wrapped text into lines and lines into a row height.
/// Two variants, kept as each writer has always measured.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Wrap {
    /// Units of a column's width that text cannot use (cell padding).
    padding: f64,
    /// Points per line.
    line: f64,
    /// Points added to a row's lines.
    spare: f64,
}

impl Wrap {
    /// Tables of the report workbook and the feedback workbooks: one unit of
    /// padding, 15 points a line and 3 to spare.
    pub(crate) const TABLE: Wrap = Wrap {
        padding: 1.0,
        line: 15.0,
        spare: 3.0,
    };

    /// The return templates: roomier rows for clerks typing into them, 1.5
    /// units of padding, 16 points a line and 4 to spare.
    pub(crate) const FORM: Wrap = Wrap {
        padding: 1.5,
        line: 16.0,
        spare: 4.0,
    };

    /// Lines `text` takes in a column `width` units wide.
    pub(crate) fn lines(self, text: &str, width: f64) -> usize {
        self.lines_of(text.split('\n').map(line_units), width)
    }

    /// Lines that lines of these widths take in a column `width` units wide.
    pub(crate) fn lines_of(self, units: impl IntoIterator<Item = f64>, width: f64) -> usize {
        lines_in_room(units, (width - self.padding).max(1.0))
    }

    /// The height (points) of a row of `lines` lines (at least one).
    pub(crate) fn height(self, lines: usize) -> f64 {
        self.line * lines.max(1) as f64 + self.spare
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_about_two_units_wide() {
        assert!((text_units("项目名称") - 8.4).abs() < 1e-9);
        assert!((text_units("ab\n项目") - 4.2).abs() < 1e-9);
        assert_eq!(Wrap::FORM.lines("项目名称", 5.0), 3);
        assert_eq!(Wrap::FORM.lines("a\nb", 10.0), 2);
        assert_eq!(Wrap::TABLE.lines("项目名称", 5.0), 3);
        assert_eq!(Wrap::TABLE.lines("", 5.0), 1);
    }

    #[test]
    fn the_widest_columns_give_way() {
        let mut w = [10.0, 40.0, 60.0, 8.0];
        narrow_to(&mut w, 88.0, 6.0);
        assert!((w.iter().sum::<f64>() - 88.0).abs() < 1e-6, "{w:?}");
        assert_eq!([w[0], w[3]], [10.0, 8.0]);
        assert!(
            (w[1] - 35.0).abs() < 1e-6 && (w[2] - 35.0).abs() < 1e-6,
            "{w:?}"
        );
        let mut narrow = [10.0, 12.0];
        narrow_to(&mut narrow, 100.0, 6.0);
        assert_eq!(narrow, [10.0, 12.0]);
        let mut floor = [10.0, 10.0];
        narrow_to(&mut floor, 4.0, 6.0);
        assert_eq!(floor, [6.0, 6.0]);
    }

    #[test]
    fn row_heights() {
        assert_eq!(Wrap::TABLE.height(2), 33.0);
        assert_eq!(Wrap::FORM.height(0), 20.0);
        assert_eq!(Wrap::FORM.height(3), 52.0);
    }
}
