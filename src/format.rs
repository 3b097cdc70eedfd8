//! Numbers (and dates) as people read them. Every renderer and every message formats
//! figures through here, so a figure reads the same everywhere.

/// Shortest faithful rendering: `12`, not `12.0`; `0.1`, not `0.1000000001`.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{:.6}", n);
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// [`format_number`] with thousands separators: `20,737`, `1,234,567.5`.
pub fn group_thousands(n: f64) -> String {
    let s = format_number(n);
    let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut out = String::from(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// A date as written in Chinese text: `2026年10月26日`.
pub fn date_zh(date: chrono::NaiveDate) -> String {
    date.format("%Y年%-m月%-d日").to_string()
}

/// A unit counted in money (万元, 亿元, 元).
pub fn is_money(unit: &str) -> bool {
    unit.contains("元")
}

/// `名称（单位）`, or the name alone without a unit.
pub fn with_unit(name: &str, unit: &str) -> String {
    if unit.is_empty() {
        name.to_string()
    } else {
        format!("{name}（{unit}）")
    }
}

/// `是` / `否`.
pub fn yes_no(flag: bool) -> &'static str {
    if flag {
        "是"
    } else {
        "否"
    }
}

/// `value` rounded to `decimals` places, halves away from zero, as Excel,
/// WPS and LibreOffice display it, so a figure reads the same in the PDF
/// and in the workbook (12.5 % is 13 % in both). A binary float's error
/// (28.499999999 for 28.5) is taken as the decimal it stands for.
pub fn round_half_up(value: f64, decimals: usize) -> f64 {
    let factor = 10f64.powi(decimals as i32);
    let snapped = (value * factor * 1e6).round() / 1e6;
    snapped.round() / factor
}

/// A share as a whole percentage: `0.456` → `46%`, `0.125` → `13%`.
pub fn percent(share: f64) -> String {
    format!("{:.0}%", round_half_up(share * 100.0, 0))
}

/// A share or growth with one decimal: `0.0456` → `4.6%` (for shares too
/// small for [`percent`]).
pub fn percent_fine(share: f64) -> String {
    format!("{:.1}%", round_half_up(share * 100.0, 1))
}

/// A growth rate with its sign and one decimal: `+9.3%`, `-60.0%`.
pub fn growth_rate(ratio: f64) -> String {
    let shown = round_half_up(ratio * 100.0, 1);
    let sign = if shown < 0.0 { "-" } else { "+" };
    format!("{sign}{:.1}%", shown.abs())
}

/// The gap between two shares in whole 百分点, as the difference of the two
/// whole percentages printed ([`percent`]), so the three figures add up:
/// 13 % against 50 % is 37 points.
pub fn points_between(a: f64, b: f64) -> f64 {
    round_half_up(a * 100.0, 0) - round_half_up(b * 100.0, 0)
}

/// What must be added each quarter: counts to a tenth (`8.6`, never
/// rounded to a pace that would miss), amounts in their scale.
pub fn pace(value: f64, scale: &Scale) -> String {
    if scale.is_converted() {
        scale.text(value)
    } else {
        group_thousands(round_half_up(value, 1))
    }
}

/// How one measure's figures are shown to readers: in `unit`, the figure as
/// written divided by `divisor` (万元 as 亿元). The same measure has the same
/// scale in every output people read (docs/return-form.md §1.2); documents
/// for leaders round to `decimals`, tables keep [`Scale::exact_decimals`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Scale {
    pub unit: String,
    pub divisor: f64,
    pub decimals: usize,
}

impl Scale {
    /// Shown as written: no conversion.
    pub fn as_written(unit: &str) -> Scale {
        Scale {
            unit: unit.to_string(),
            divisor: 1.0,
            decimals: 0,
        }
    }

    /// The scale of a display unit (`[display."万元"]`).
    pub fn display(display: &crate::config::DisplayUnit) -> Scale {
        Scale {
            unit: display.unit.clone(),
            divisor: display.divisor,
            decimals: display.decimals,
        }
    }

    pub fn is_converted(&self) -> bool {
        self.divisor != 1.0
    }

    /// A figure as written, in this scale's unit.
    pub fn of(&self, value: f64) -> f64 {
        value / self.divisor
    }

    /// The decimals that keep a converted figure exact to the unit it was
    /// written in (4 for 万元 shown as 亿元); 0 when nothing is converted.
    pub fn exact_decimals(&self) -> usize {
        if self.is_converted() {
            self.divisor.log10().ceil().max(0.0) as usize
        } else {
            0
        }
    }

    /// A figure as text for leaders: converted figures with the unit's
    /// decimals and thousands separators (`17.56`), others as written
    /// (`1,465`, `0.5`).
    pub fn text(&self, value: f64) -> String {
        if self.is_converted() {
            group_thousands_fixed(self.of(value), self.decimals)
        } else {
            group_thousands(value)
        }
    }

    /// [`Scale::text`] with a count to the unit: a projection (34.5 firms)
    /// or an average reads as a count does.
    pub fn rounded(&self, value: f64) -> String {
        if self.is_converted() {
            self.text(value)
        } else {
            group_thousands(round_half_up(value, 0))
        }
    }
}

/// A figure with exactly `decimals` decimals and thousands separators.
pub fn group_thousands_fixed(value: f64, decimals: usize) -> String {
    let fixed = format!("{:.*}", decimals, round_half_up(value, decimals));
    let (int, frac) = fixed.split_once('.').unwrap_or((fixed.as_str(), ""));
    let grouped = group_thousands(int.parse::<f64>().unwrap_or(0.0));
    let sign = if int.starts_with('-') && !grouped.starts_with('-') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_round_up_as_spreadsheets_show_them() {
        assert_eq!(percent(0.125), "13%");
        assert_eq!(percent(0.285), "29%");
        assert_eq!(percent_fine(0.0935), "9.4%");
        assert_eq!(group_thousands_fixed(17.565, 2), "17.57");
        assert_eq!(group_thousands_fixed(1234.5, 0), "1,235");
        assert_eq!(growth_rate(0.0930), "+9.3%");
        assert_eq!(growth_rate(-0.6), "-60.0%");
        assert_eq!(growth_rate(-0.00001), "+0.0%");
    }

    #[test]
    fn printed_figures_add_up() {
        // 12.5 % done against 50 % of the time: 13 % and 37 points.
        assert_eq!(points_between(0.5, 0.125), 37.0);
        let count = Scale::as_written("个");
        assert_eq!(pace(8.5714, &count), "8.6");
        assert_eq!(pace(75.0, &count), "75");
        assert_eq!(pace(1.43, &count), "1.4");
    }
}
