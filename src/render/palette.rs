//! Every colour that carries meaning, in one place: what each [`Tone`]
//! looks like in a table cell, a chart, a marked cell of a feedback copy
//! and the verdict banner; the series colours of the charts; the 示例数据
//! banner, the incomplete 五个一 row and the locked template cell. The
//! brief's template receives its status colours from here as data.
//!
//! Colours are `0xRRGGBB`; [`rgb`] and [`hex`] convert them for plotters
//! and typst.

use crate::model::Tone;

/// Text on charts and in the brief.
pub const INK: u32 = 0x212121;
/// Secondary text.
pub const MUTED: u32 = 0x616161;
/// Chart grid lines.
pub const GRID: u32 = 0xE6E6E6;

/// Chart series (the PNG/SVG charts): (fresh figures, carried-forward
/// figures) for the first, second … series.
pub const SERIES: [(u32, u32); 2] = [(0x1565C0, 0x90CAF9), (0xE67E22, 0xFFCC99)];

/// A bar standing for several zones (their mean) in a chart of many zones.
pub const REST_BAR: u32 = 0xB0B0B0;

/// Series colours of the charts inside the report workbook (Excel's own
/// first three, so they look at home there), and the grey of a reference bar.
pub const WORKBOOK_SERIES: [u32; 3] = [0x4472C4, 0xED7D31, 0x70AD47];
/// The same series, pale: a bar whose figure is carried forward (沿用上期).
pub const WORKBOOK_SERIES_CARRIED: [u32; 3] = [0xB4C7E7, 0xF8CBAD, 0xC5E0B4];
pub const WORKBOOK_REFERENCE: u32 = 0xBFBFBF;

/// The 示例数据 banner atop a report workbook made from sample returns:
/// (text, fill, frame).
pub const SAMPLE_BANNER: (u32, u32, u32) = (0x9C0006, 0xFFEB9C, 0xC00000);

/// A 五个一 row of the report workbook with fewer than five in place.
pub const INCOMPLETE_ROW: u32 = 0xFFF2CC;

/// A template cell the clerk cannot type into (prefilled or a label).
pub const LOCKED: u32 = 0xEDEDED;

/// A status cell in a table: (fill, text). `None`: left uncoloured.
pub fn cell(tone: Tone) -> Option<(u32, u32)> {
    match tone {
        Tone::Done | Tone::Good => Some((0xC6EFCE, 0x006100)),
        Tone::Warn => Some((0xFFEB9C, 0x9C5700)),
        Tone::Bad => Some((0xFFC7CE, 0x9C0006)),
        Tone::Grey => Some((0xEDEDED, 0x595959)),
        Tone::Info => Some((0xDDEBF7, 0x1F4E78)),
        Tone::Plain => None,
    }
}

/// A status in a chart or the brief (bars, status badges): done is darker
/// than on track.
pub fn chart(tone: Tone) -> u32 {
    match tone {
        Tone::Done => 0x2E7D32,
        Tone::Good => 0x66BB6A,
        Tone::Warn => 0xF9A825,
        Tone::Bad => 0xC62828,
        Tone::Grey | Tone::Plain => 0xBDBDBD,
        Tone::Info => 0x1565C0,
    }
}

/// A cell a finding points at in a feedback copy: (fill, border and text).
/// Stronger than [`cell`], so a marked cell stands out among the clerk's
/// own colours.
pub fn mark(tone: Tone) -> (u32, u32) {
    match tone {
        Tone::Bad => (0xFF9F9F, 0x9C0006),
        Tone::Warn => (0xFFD966, 0x7F4F00),
        _ => (0xDDEBF7, 0x1F4E78),
    }
}

/// The verdict in large type atop a feedback workbook: (text, fill).
pub fn banner(tone: Tone) -> (u32, u32) {
    match tone {
        Tone::Bad => (0xC00000, 0xFFC7CE),
        Tone::Warn => (0x9C5700, 0xFFEB9C),
        Tone::Grey | Tone::Plain => (0x404040, 0xD9D9D9),
        _ => (0x006100, 0xC6EFCE),
    }
}

/// For plotters.
pub const fn rgb(colour: u32) -> plotters::style::RGBColor {
    plotters::style::RGBColor((colour >> 16) as u8, (colour >> 8) as u8, colour as u8)
}

/// For typst and SVG: `#2e7d32`.
pub fn hex(colour: u32) -> String {
    format!("#{colour:06x}")
}
