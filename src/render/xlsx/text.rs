//! Text as Excel takes it: cell text and messages within Excel's limits,
//! sheet names Excel accepts, links to a cell of the same workbook.

use crate::model::CellPos;

/// Characters of text written into one cell (Excel holds 32,767; longer
/// text is cut here and ends with `…`).
pub(crate) const MAX_CELL_TEXT: usize = 32_000;

/// Characters (UTF-16 units) in a sheet name.
pub(crate) const MAX_SHEET_NAME: usize = 31;

/// `text`, cut to [`MAX_CELL_TEXT`] characters with `…` when longer.
pub(crate) fn clip_cell(text: &str) -> String {
    if text.chars().count() <= MAX_CELL_TEXT {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(MAX_CELL_TEXT).collect();
        s.push('…');
        s
    }
}

/// The longest head of `text` within `max` UTF-16 units, cut silently.
fn clip_utf16(text: &str, max: usize) -> String {
    let mut used = 0;
    text.chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= max
        })
        .collect()
}

/// `text` within `max` UTF-16 units, ending with `…` when cut (the limits of
/// a data validation's titles and messages).
pub(crate) fn clip_marked(text: &str, max: usize) -> String {
    if text.encode_utf16().count() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 1;
    for c in text.chars() {
        used += c.len_utf16();
        if used > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// A sheet name Excel accepts: at most 31 characters (UTF-16), none of
/// `[]:*?/\`, not starting or ending with an apostrophe, not blank.
pub(crate) fn safe_sheet_name(name: &str) -> String {
    let mapped: String = name
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let clipped = clip_utf16(mapped.trim(), MAX_SHEET_NAME);
    let clean = clipped.trim_matches('\'').trim();
    if clean.is_empty() {
        "工作表".to_string()
    } else {
        clean.to_string()
    }
}

/// A safe sheet name `base` with `suffix` added, cut so the whole stays
/// within Excel's length.
pub(crate) fn with_suffix(base: &str, suffix: &str) -> String {
    let room = MAX_SHEET_NAME.saturating_sub(suffix.encode_utf16().count());
    let head = clip_utf16(base, room);
    format!("{}{suffix}", head.trim_end_matches('\''))
}

/// `internal:'核心指标'!E7`: a link to a cell of a sheet of this workbook.
pub(crate) fn internal_link(sheet: &str, pos: CellPos) -> String {
    format!("internal:'{}'!{}", sheet.replace('\'', "''"), pos.a1())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_excel_accepts() {
        assert_eq!(safe_sheet_name("核心指标"), "核心指标");
        assert_eq!(safe_sheet_name(" a/b[c]:d*e?f\\ "), "a_b_c__d_e_f_");
        assert_eq!(safe_sheet_name("''"), "工作表");
        let long = "项".repeat(40);
        assert_eq!(safe_sheet_name(&long).chars().count(), 31);
        assert_eq!(with_suffix(&long, "_原表").chars().count(), 31);
        assert!(with_suffix(&long, "_原表").ends_with("_原表"));
    }

    #[test]
    fn clipping_counts_utf16_units() {
        assert_eq!(clip_marked("短", 32), "短");
        let long = "很".repeat(40);
        let cut = clip_marked(&long, 32);
        assert_eq!(cut.encode_utf16().count(), 32);
        assert!(cut.ends_with('…'));
        assert_eq!(clip_utf16("😀ab", 3), "😀a");
    }

    #[test]
    fn cell_text_is_cut_at_excels_limit() {
        let short = "说明".repeat(10);
        assert_eq!(clip_cell(&short), short);
        let long = "长".repeat(MAX_CELL_TEXT + 5);
        let cut = clip_cell(&long);
        assert_eq!(cut.chars().count(), MAX_CELL_TEXT + 1);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn links_quote_the_sheet() {
        assert_eq!(
            internal_link("核心指标", CellPos::new(8, 4)),
            "internal:'核心指标'!E9"
        );
        assert_eq!(
            internal_link("O'Brien", CellPos::new(0, 0)),
            "internal:'O''Brien'!A1"
        );
    }
}
