//! Text folding shared by every stage: how zones' spellings are compared.

/// Maps full-width ASCII forms (`１２３`, `（`, `，`) and the ideographic space
/// to their half-width equivalents; leaves everything else alone.
pub fn fold_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The form labels, sheet names and names are compared in: width folded,
/// every kind of white space removed, a trailing `*` or `:` dropped.
pub fn label_key(text: &str) -> String {
    let mut s: String = fold_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    while s.ends_with(['*', ':']) {
        s.pop();
    }
    s
}

/// Sheet names also ignore a trailing `表`.
pub fn sheet_key(text: &str) -> String {
    let key = label_key(text);
    key.strip_suffix('表').map(str::to_string).unwrap_or(key)
}

/// Trims surrounding white space (including line breaks and the ideographic
/// space) and collapses inner line breaks into nothing.
pub fn clean(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace())
        .chars()
        .filter(|c| *c != '\r' && *c != '\n')
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
    }
}
