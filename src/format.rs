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

/// A share as a whole percentage: `0.456` → `46%`.
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// A share or growth with one decimal: `0.0456` → `4.6%` (for shares too
/// small for [`percent`]).
pub fn percent_fine(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
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
}

/// A figure with exactly `decimals` decimals and thousands separators.
pub fn group_thousands_fixed(value: f64, decimals: usize) -> String {
    let fixed = format!("{:.*}", decimals, value);
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
