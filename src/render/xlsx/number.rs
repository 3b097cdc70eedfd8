//! Number formats: how a figure is shown ([`Num`]) and how wide it then
//! shows; the date and text codes.

use crate::format::is_money;

/// A date: `2025-10-08`.
pub(crate) const DATE: &str = "yyyy-mm-dd";
/// A date and time.
pub(crate) const DATE_TIME: &str = "yyyy-mm-dd hh:mm:ss";
/// Text kept as typed (a phone number keeps its leading 0).
pub(crate) const TEXT: &str = "@";

/// How a number is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Num {
    /// `#,##0`
    Count,
    /// 万元 with no fractions in the column: `#,##0`.
    AmountWhole,
    /// 万元: `#,##0.00`.
    Amount,
    /// `0.0%`: shares and growth rates.
    Pct,
    /// `0%`: progress towards a target and time elapsed, as the documents
    /// print them (`format::percent`).
    PctWhole,
    /// Plain integer, no separator (rows, ranks).
    Int,
    /// `3/5`
    OfFive,
    /// A converted amount with this many decimals (亿元: `#,##0.0000`).
    Fixed(u8),
}

/// `#,##0` followed by 0–6 decimals.
const FIXED: [&str; 7] = [
    "#,##0",
    "#,##0.0",
    "#,##0.00",
    "#,##0.000",
    "#,##0.0000",
    "#,##0.00000",
    "#,##0.000000",
];

impl Num {
    /// The format for a figure in `unit`; `whole` when every figure it sits
    /// with has no fraction.
    pub(crate) fn for_unit(unit: &str, whole: bool) -> Num {
        match (is_money(unit), whole) {
            (false, _) => Num::Count,
            (true, true) => Num::AmountWhole,
            (true, false) => Num::Amount,
        }
    }

    /// The format of a figure shown in `scale`, among `values` (as
    /// written): a converted amount keeps every unit written (亿元 with 4
    /// decimals); others as [`Num::for_unit`].
    pub(crate) fn for_scale(
        scale: &crate::format::Scale,
        values: impl IntoIterator<Item = f64>,
    ) -> Num {
        if scale.is_converted() {
            Num::Fixed(scale.exact_decimals().min(6) as u8)
        } else {
            Num::for_unit(&scale.unit, all_whole(values))
        }
    }

    /// Excel's number format code.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Num::Count | Num::AmountWhole => "#,##0",
            Num::Amount => "#,##0.00",
            Num::Pct => "0.0%",
            Num::PctWhole => "0%",
            Num::Int => "0",
            Num::OfFive => "0\"/5\"",
            Num::Fixed(d) => FIXED[usize::from(d.min(6))],
        }
    }

    fn decimals(self) -> usize {
        match self {
            Num::Amount => 2,
            Num::Fixed(d) => usize::from(d),
            Num::Pct => 1,
            _ => 0,
        }
    }

    /// The displayed width of `v` in this format, in character units.
    pub(crate) fn width(self, v: f64) -> f64 {
        let pct = matches!(self, Num::Pct | Num::PctWhole);
        let shown = if pct { v * 100.0 } else { v };
        let text = format!("{:.*}", self.decimals(), shown.abs());
        let int_len = text.split('.').next().map_or(1, str::len);
        let mut w = text.len();
        if self != Num::Int {
            w += int_len.saturating_sub(1) / 3;
        }
        if pct {
            w += 1;
        }
        if self == Num::OfFive {
            w += 2;
        }
        if v < 0.0 {
            w += 1;
        }
        w as f64
    }
}

/// No figure has a fraction (to two decimals).
pub(crate) fn all_whole(values: impl IntoIterator<Item = f64>) -> bool {
    values
        .into_iter()
        .all(|v| ((v * 100.0).round() / 100.0).fract() == 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_as_shown() {
        assert_eq!(Num::Count.width(1234.0), 5.0);
        assert_eq!(Num::Amount.width(-1234.5), 9.0);
        assert_eq!(Num::Pct.width(0.125), 5.0);
        assert_eq!(Num::Fixed(4).width(17.561), 7.0);
        assert_eq!(Num::OfFive.width(3.0), 3.0);
        assert!(all_whole([1.0, 2.004]));
        assert!(!all_whole([1.5]));
    }
}
