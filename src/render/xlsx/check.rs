//! What Excel shows beside a cell: the prompt and error of a data
//! validation (input check), and notes (批注). Texts are clipped to Excel's
//! limits here, so a long label or message never fails a workbook.

use rust_xlsxwriter::{DataValidation, Note};

use super::measure::{line_units, lines_in_room};
use super::text::{clip_cell, clip_marked};
use super::Res;

/// UTF-16 units in a validation's prompt or error title.
const MAX_TITLE: usize = 32;
/// UTF-16 units in a validation's prompt or error message.
const MAX_MESSAGE: usize = 255;

/// The prompt shown while the cell is selected.
pub(crate) fn with_prompt(dv: DataValidation, title: &str, message: &str) -> Res<DataValidation> {
    dv.set_input_title(clip_marked(title, MAX_TITLE))?
        .set_input_message(clip_marked(message, MAX_MESSAGE))
}

/// The message shown when a value is refused (or questioned, by the
/// validation's error style).
pub(crate) fn with_error(dv: DataValidation, title: &str, message: &str) -> Res<DataValidation> {
    dv.set_error_title(clip_marked(title, MAX_TITLE))?
        .set_error_message(clip_marked(message, MAX_MESSAGE))
}

/// A note (批注) from `author` in 9-point 宋体, its box tall enough for the
/// text: about 44 width units a line in a 330-pixel box, 16 pixels a line.
pub(crate) fn note(text: &str, author: &str) -> Note {
    let text = clip_cell(text);
    let lines: usize = 1 + lines_in_room(text.split('\n').map(line_units), 44.0);
    let height = (lines as u32 * 16 + 14).clamp(60, 600);
    Note::new(text)
        .set_author(author)
        .set_width(330)
        .set_height(height)
        .set_font_name("宋体")
        .set_font_size(9)
}
