//! Text folding shared by every stage: how zones' spellings are compared.

use std::borrow::Cow;

/// Maps full-width ASCII forms (`１２３`, `（`, `，`) and the ideographic space
/// to their half-width equivalents; leaves everything else alone.
pub fn fold_width(text: &str) -> Cow<'_, str> {
    // Both forms start with the bytes E3 or EF in UTF-8.
    if !text.bytes().any(|b| b == 0xE3 || b == 0xEF) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\u{3000}' => ' ',
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                _ => c,
            })
            .collect(),
    )
}

/// The form labels, sheet names and names are compared in: width folded,
/// every kind of white space removed, a trailing `*` or `:` dropped. Most
/// names are already in that form and come back borrowed.
pub fn label_key(text: &str) -> Cow<'_, str> {
    if !may_fold(text) && !text.ends_with(['*', ':']) {
        return Cow::Borrowed(text);
    }
    let mut s: String = fold_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    while s.ends_with(['*', ':']) {
        s.pop();
    }
    Cow::Owned(s)
}

/// Whether `label_key` could change the text: a quick look at the bytes,
/// exact for ASCII and CJK ideographs (lead bytes E4–E9), careful for the
/// lead bytes of the other white space and full-width forms.
fn may_fold(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => true,
        0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF => text[i..]
            .chars()
            .next()
            .is_some_and(|c| c.is_whitespace() || ('\u{FF01}'..='\u{FF5E}').contains(&c)),
        _ => false,
    })
}

/// Sheet names also ignore a trailing `表`.
pub fn sheet_key(text: &str) -> String {
    let key = label_key(text);
    key.strip_suffix('表').unwrap_or(&key).to_string()
}

/// Trims surrounding white space (including line breaks and the ideographic
/// space) and collapses inner line breaks into nothing.
pub fn clean(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace())
        .chars()
        .filter(|c| *c != '\r' && *c != '\n')
        .collect()
}

/// Digits and the decimal point in their full-width forms (`１２３．５`), as
/// some clerks type them ([`fold_width`] undoes it).
pub fn to_full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' | '.' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_match_loosely_but_whole() {
        assert_eq!(label_key(" 合同金额（万元）*"), "合同金额(万元)");
        assert_eq!(label_key("累计到位\n经费(万元)"), "累计到位经费(万元)");
        assert_eq!(label_key("高新区名称："), "高新区名称");
        assert_ne!(label_key("上季度累计值"), label_key("累计值"));
        assert_eq!(sheet_key(" 项目清单表 "), "项目清单");
        assert_eq!(sheet_key("基本信息"), "基本信息");
        assert_eq!(fold_width("１２３，４"), "123,4");
        assert!(matches!(label_key("南京工业大学"), Cow::Borrowed(_)));
        assert_eq!(label_key("南京\u{3000}大学"), "南京大学");
        assert_eq!(label_key("南京\u{a0}大学"), "南京大学");
        assert_eq!(label_key("ＡＢ"), "AB");
    }
}
