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

/// A figure in a display unit (万元 as 亿元): its value there, and the
/// text with the unit's decimals (`7.50`).
pub fn in_display(value: f64, display: &crate::config::DisplayUnit) -> (f64, String) {
    let scaled = value / display.divisor;
    (scaled, format!("{:.*}", display.decimals, scaled))
}
