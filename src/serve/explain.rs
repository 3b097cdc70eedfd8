//! 情况说明 typed in the page: where a warning is (in the words the
//! 情况说明 sheet uses, docs/return-form.md §6.5), what text is refused,
//! and storing it beside the return (`ingest::notes`), where `check`,
//! `status` and `report` apply it exactly as a row of the sheet.

use super::fault::Fault;
use crate::ingest::notes::{self, Note};
use crate::model::{Finding, Return};

/// The 位置 that names this finding, as the 情况说明 sheet would: the cell
/// with its sheet, else the value it is about (a name), else the name of
/// the project or platform on its row. `None`: the finding cannot be
/// named; the clerk explains it in the workbook.
pub fn location(f: &Finding, ret: &Return) -> Option<String> {
    if let (Some(sheet), Some(cell)) = (&f.sheet, &f.cell) {
        return Some(format!("{sheet}!{cell}"));
    }
    if let Some(value) = f.value.as_ref().filter(|v| !v.trim().is_empty()) {
        return Some(value.clone());
    }
    let (sheet, row) = (f.sheet.as_deref()?, f.row?);
    ret.projects
        .iter()
        .filter(|p| &*p.sheet == sheet && p.row == row)
        .map(|p| p.name.value.clone())
        .chain(
            ret.platforms
                .iter()
                .filter(|p| &*p.sheet == sheet && p.row == row)
                .map(|p| p.name.value.clone()),
        )
        .next()
}

/// Texts that say nothing (compared without spaces and punctuation).
const EMPTY_WORDS: &[&str] = &[
    "无",
    "没有",
    "无说明",
    "核实无误",
    "经核实无误",
    "已核实",
    "核实",
    "数据无误",
    "无误",
    "确认无误",
    "经确认无误",
    "属实",
    "情况属实",
    "正常",
    "数据正常",
    "同上",
    "见上",
    "略",
    "好",
    "是",
    "对",
    "已确认",
    "确认",
    "准确",
    "数据准确",
    "真实",
    "数据真实",
    "无异常",
    "没问题",
    "没有问题",
    "正确",
    "数据正确",
    "已说明",
    "如实填报",
    "据实填报",
    "ok",
    "na",
    "none",
    "null",
];

/// The fewest characters an explanation can say a reason in.
pub const MIN_CHARS: usize = 5;

/// Why `text` does not explain a warning; `None` when it may.
pub fn refusal(text: &str) -> Option<String> {
    let core: String = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if core.is_empty() {
        return Some("说明不能为空".into());
    }
    if EMPTY_WORDS.contains(&core.as_str()) {
        return Some(format!(
            "“{}”没有说明原因。请写明数据为什么是这样，例如：“本季度新签 3 个合作项目（……），累计值相应增加”",
            text.trim()
        ));
    }
    if core.chars().count() < MIN_CHARS {
        return Some(format!(
            "说明太短（至少 {MIN_CHARS} 个字），请写明数据为什么是这样"
        ));
    }
    None
}

/// Adds (or replaces, for the same rule and place) explanations beside the
/// return at `path`, atomically.
pub fn store(path: &std::path::Path, new: Vec<Note>) -> Result<(), Fault> {
    let mut all = notes::notes_beside(path);
    for note in new {
        all.retain(|n| !(n.rule == note.rule && n.location == note.location));
        all.push(note);
    }
    let bytes = serde_json::to_vec_pretty(&all).map_err(Fault::internal)?;
    crate::output::write_atomic(&notes::notes_path(path), &bytes)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boilerplate_and_empty_texts_are_refused() {
        for text in ["", "  ", "无", "核实无误。", "经核实，无误", "OK", "同 上"] {
            assert!(refusal(text).is_some(), "{text}");
        }
        assert!(refusal("新签两项").is_some());
        assert_eq!(refusal("本季度新签 3 个合作项目，累计值相应增加"), None);
    }
}
