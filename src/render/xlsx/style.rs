//! Formats more than one writer uses. Where writers differ on what is the
//! same kind of cell (a table header, a sheet's title), each variant is
//! named for its look and says who uses it.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder};

use crate::model::Tone;
use crate::render::palette;

/// The thin grey rules (borders) of table cells in every workbook.
pub(crate) const RULE_GREY: u32 = 0xBFBFBF;
/// Secondary text: subtitles, labels, reading hints.
pub(crate) const GREY_TEXT: u32 = 0x595959;
/// Notes and hints in italics or small print.
pub(crate) const NOTE_GREY: u32 = 0x7F7F7F;
/// Placeholder text, fainter still (`未填写`).
pub(crate) const FAINT: u32 = 0xA6A6A6;
/// Section titles.
const SECTION_BLUE: u32 = 0x1F4E78;
/// The 合计 row's pale fill.
const TOTAL_FILL: u32 = 0xF2F2F2;

/// A cell ruled thin in grey on every side.
fn ruled() -> Format {
    Format::new()
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(RULE_GREY))
}

/// A ruled table cell, text centred vertically: report workbook, templates.
pub(crate) fn body_cell() -> Format {
    ruled().set_align(FormatAlign::VerticalCenter)
}

/// A 合计 row's cell: the cell's format, bold, ruled above in a double line.
pub(crate) fn total_cell(cell: Format) -> Format {
    cell.set_bold()
        .set_border_top(FormatBorder::Double)
        .set_background_color(Color::RGB(TOTAL_FILL))
}

/// A ruled table cell, text at the top: the feedback workbooks, whose rows
/// grow with wrapped messages.
pub(crate) fn top_cell() -> Format {
    ruled().set_align(FormatAlign::Top)
}

/// Table header, bold and centred, wrapped, on light blue `0xDDEBF7` ruled
/// in blue `0x9BC2E6`: the report workbook and the templates.
pub(crate) fn header_light_blue() -> Format {
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(0x9BC2E6))
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
}

/// Table header, bold and centred, wrapped, on a greyer blue `0xD9E1F2`
/// ruled in grey like the body cells: the feedback workbooks.
pub(crate) fn header_grey_blue() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(RULE_GREY))
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
}

/// A sheet's title, bold, 16 points, from the left: the report workbook's
/// 总览.
pub(crate) fn title_large() -> Format {
    Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::VerticalCenter)
}

/// A sheet's title, bold, 14 points, centred over the form: the templates.
pub(crate) fn title_centred() -> Format {
    Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
}

/// Section titles inside a sheet: bold, 12 points, dark blue (report
/// workbook, templates).
pub(crate) fn section() -> Format {
    Format::new()
        .set_bold()
        .set_font_size(12)
        .set_font_color(Color::RGB(SECTION_BLUE))
}

/// A note under or above a table: grey italics (every workbook; the
/// templates add wrapping).
pub(crate) fn note_text() -> Format {
    Format::new()
        .set_italic()
        .set_font_color(Color::RGB(NOTE_GREY))
}

/// The 示例数据 banner atop a report made from sample returns, in the
/// palette's sample colours, framed.
pub(crate) fn sample_banner() -> Format {
    let (text, fill, frame) = palette::SAMPLE_BANNER;
    Format::new()
        .set_bold()
        .set_font_size(12)
        .set_font_color(Color::RGB(text))
        .set_background_color(Color::RGB(fill))
        .set_border(FormatBorder::Medium)
        .set_border_color(Color::RGB(frame))
        .set_align(FormatAlign::VerticalCenter)
}

/// A verdict in large type, in the palette's banner colours of its tone
/// (atop a feedback workbook).
pub(crate) fn verdict_banner(tone: Tone) -> Format {
    let (text, fill) = palette::banner(tone);
    Format::new()
        .set_bold()
        .set_font_size(20)
        .set_font_color(Color::RGB(text))
        .set_background_color(Color::RGB(fill))
        .set_align(FormatAlign::Left)
        .set_align(FormatAlign::VerticalCenter)
}

/// A status cell coloured by its tone ([`palette::cell`]); `None` for
/// tones left uncoloured.
pub(crate) fn tone_cell(tone: Tone) -> Option<Format> {
    palette::cell(tone).map(|(fill, font)| {
        Format::new()
            .set_background_color(Color::RGB(fill))
            .set_font_color(Color::RGB(font))
    })
}
