//! The xlsx toolkit: what the three workbook writers share. They are the
//! report workbook (`workbook.rs` and `workbook/`), the feedback workbooks
//! (`feedback.rs`) and the return templates (`template.rs`).
//!
//! - [`measure`]: how wide text shows (CJK-aware), how many lines it wraps
//!   to, and the row heights that hold them ([`Wrap`]);
//! - [`text`]: text clipped to Excel's limits, sheet names Excel accepts,
//!   links to a cell of the workbook;
//! - [`style`]: the formats more than one writer uses: sheet titles, table
//!   headers, section titles, notes, ruled body cells, banners, status
//!   tones;
//! - [`number`]: number formats ([`Num`], date and text codes);
//! - [`page`]: printing, document properties, Excel dates;
//! - [`check`]: data validations (input checks) and notes (批注);
//! - [`chart`]: the Chinese font of native charts.
//!
//! Where two writers dress the same kind of cell differently, each variant
//! is here under a name that says how it looks, with a line on who uses it;
//! none of them is "the" style of every workbook. Colours that carry
//! meaning (statuses, marks, the 示例数据 banner) come from
//! [`super::palette`], never from here.

mod chart;
mod check;
mod measure;
mod number;
mod page;
mod style;
mod text;

pub(crate) use chart::{label_font, new_chart, rows_for};
pub(crate) use check::{note, with_error, with_prompt};
pub(crate) use measure::{lines_units, narrow_to, text_units, Wrap};
pub(crate) use number::{all_whole, Num, DATE, DATE_TIME, TEXT};
pub(crate) use page::{
    a4, a4_fitted, excel_date, excel_datetime, fit_width, freeze_top, properties, report_pages,
    A4_LANDSCAPE_UNITS, A4_LEGIBLE_UNITS, A4_PORTRAIT_UNITS,
};
pub(crate) use style::{
    body_cell, header_grey_blue, header_light_blue, note_text, sample_banner, section,
    title_centred, title_large, tone_cell, top_cell, total_cell, verdict_banner, FAINT, GREY_TEXT,
    NOTE_GREY,
};
pub(crate) use text::{clip_cell, internal_link, safe_sheet_name, with_suffix};

/// What the writers return.
pub(crate) type Res<T = ()> = Result<T, rust_xlsxwriter::XlsxError>;

/// Rows in a sheet (Excel's limit).
pub(crate) const MAX_ROW: u32 = 1_048_576;
/// Columns in a sheet (Excel's limit).
pub(crate) const MAX_COL: u32 = 16_384;
/// Links in a sheet: Excel allows 65,530; the rest are written as plain text.
pub(crate) const MAX_LINKS: usize = 65_000;
