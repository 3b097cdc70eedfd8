//! Feedback workbooks: for each submitted file with findings or corrected
//! cells (and each unreadable file), what goes back to the zone's clerk —
//! the verdict, what to do, the findings, the corrected cells and the
//! file's own sheets to mark (findings: docs/return-form.md §5.1; corrected cells: §6.6).

use std::collections::HashSet;
use std::sync::Arc;

use super::findings::{list, ListedFinding};
use crate::config::Config;
use crate::model::{BookSheet, CellChange, Period, Severity, Verdict};
use crate::validate::{PeriodCheck, Submission};

/// One feedback workbook, ready to lay out.
#[derive(Debug, Clone)]
pub struct FeedbackBook {
    /// The workbook's file name, unique in the quarter.
    pub file_name: String,
    /// The submitted file (as named in the returns folder).
    pub source: String,
    /// The zone's registry name, when the file names a registry zone.
    pub zone: Option<String>,
    pub period: Period,
    pub verdict: Verdict,
    pub findings: Vec<ListedFinding>,
    /// For the file that replaced others: the cells that changed.
    pub changes: Vec<CellChange>,
    /// What the clerk is to do, by verdict.
    pub instruction: String,
    /// How to read the workbook, when there is something to say.
    pub hint: Option<String>,
    pub is_sample: bool,
    /// The file's sheets as read (the form's with their cells); `None` when
    /// the file could not be read at all.
    pub sheets: Option<Arc<[BookSheet]>>,
}

impl FeedbackBook {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.finding.severity == severity)
            .count()
    }
}

/// One book per file with findings or corrected cells, in file order.
pub fn feedback_books(config: &Config, check: &PeriodCheck) -> Vec<FeedbackBook> {
    let items: Vec<(&Submission, Option<&str>)> = check
        .submissions
        .iter()
        .filter(|s| !s.findings.is_empty() || !s.changes.is_empty())
        .map(|s| {
            let zone = s.zone.as_deref().and_then(|z| config.registry.zone(z));
            (s, zone.map(|z| z.name.as_str()))
        })
        .collect();
    let names = file_names(&items, check.period);
    items
        .into_iter()
        .zip(names)
        .map(|((sub, zone), file_name)| book(config, sub, zone, check.period, file_name))
        .collect()
}

/// The book for one file on its own, named by [`file_name`] (the quarter's
/// books are named together by [`feedback_books`], so names never clash).
pub fn feedback_book(
    config: &Config,
    sub: &Submission,
    zone: Option<&str>,
    period: Period,
) -> FeedbackBook {
    book(config, sub, zone, period, file_name(sub, zone, period))
}

fn book(
    config: &Config,
    sub: &Submission,
    zone: Option<&str>,
    period: Period,
    file_name: String,
) -> FeedbackBook {
    let sheets = sub.ret.as_ref().map(|_| Arc::clone(&sub.cells));
    let has_copies = sheets
        .as_deref()
        .is_some_and(|s| s.iter().any(|s| s.grid.is_some()));
    FeedbackBook {
        file_name,
        source: sub.source.name.clone(),
        zone: zone.map(str::to_string),
        period,
        verdict: sub.verdict,
        findings: list(config, &sub.findings, &sub.explanations),
        changes: sub.changes.clone(),
        instruction: instruction(sub),
        hint: hint(sub, has_copies),
        is_sample: sub.ret.as_ref().is_some_and(|r| r.is_sample),
        sheets,
    }
}

/// `<zone>_<P>_问题反馈.xlsx`; for a file tied to no zone
/// `<file stem>_<P>_问题反馈.xlsx`. When the zone sent several files this
/// quarter (the file was superseded, replaced another, or conflicts with
/// another: an F02 finding or recorded changes), the file stem is added,
/// `<zone>_<P>_<file stem>_问题反馈.xlsx`, so the winner keeps the plain
/// name and the others are told apart by their own names.
///
/// Names are made safe for every file system. Two different files can still
/// map to one name in corner cases (a zone-less file named exactly like a
/// zone); [`file_names`] settles a whole quarter without collisions.
pub fn file_name(sub: &Submission, zone_name: Option<&str>, period: Period) -> String {
    let stem = safe_file_part(file_stem(&sub.source.name));
    let zone = zone_name.map(safe_file_part).filter(|z| !z.is_empty());
    match zone {
        Some(zone) if several_files(sub) => format!("{zone}_{period}_{stem}_问题反馈.xlsx"),
        Some(zone) => format!("{zone}_{period}_问题反馈.xlsx"),
        None => format!("{stem}_{period}_问题反馈.xlsx"),
    }
}

/// [`file_name`] for every file of a quarter, in the same order, made unique
/// (compared case-insensitively) by adding `_2`, `_3` … where two would clash.
pub fn file_names(items: &[(&Submission, Option<&str>)], period: Period) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(items.len());
    for (sub, zone) in items {
        let name = file_name(sub, *zone, period);
        let mut candidate = name.clone();
        let mut n = 2;
        while !taken.insert(candidate.to_lowercase()) {
            let base = name.trim_end_matches("_问题反馈.xlsx");
            candidate = format!("{base}_{n}_问题反馈.xlsx");
            n += 1;
        }
        out.push(candidate);
    }
    out
}

/// Whether the file is one of several a zone sent for the quarter.
fn several_files(sub: &Submission) -> bool {
    sub.superseded_by.is_some()
        || !sub.changes.is_empty()
        || sub.findings.iter().any(|f| f.rule == "F02")
}

/// The file name without its folders and extension.
pub fn file_stem(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    }
}

/// A piece of a file name that every file system accepts.
fn safe_file_part(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = mapped.trim_matches(|c: char| c.is_whitespace() || c == '.');
    let clipped: String = trimmed.chars().take(80).collect();
    let clipped = clipped.trim_end_matches(|c: char| c.is_whitespace() || c == '.');
    if clipped.is_empty() {
        "未命名文件".to_string()
    } else {
        clipped.to_string()
    }
}

/// Warnings not explained in the return's 情况说明.
fn pending_warnings(sub: &Submission) -> usize {
    sub.findings
        .iter()
        .enumerate()
        .filter(|(i, f)| {
            f.severity == Severity::Warning && sub.explanations.get(*i).is_none_or(Option::is_none)
        })
        .count()
}

/// What the clerk is to do, by verdict.
fn instruction(sub: &Submission) -> String {
    let warnings = sub.count(Severity::Warning);
    let pending = pending_warnings(sub);
    let explain = if pending == 0 {
        "各项“警告”均已说明。".to_string()
    } else if pending == warnings {
        "请核实下表各项“警告”，并在“情况说明”表中逐条说明（规则编号、位置、说明）。".to_string()
    } else {
        format!(
            "请核实下表中 {pending} 项“待说明”的警告，并在“情况说明”表中逐条说明（规则编号、位置、说明）。"
        )
    };
    match sub.verdict {
        Verdict::SentBack => {
            let mut s =
                "本文件有错误，本季度数据暂不采用。请按下表逐项修改后重新报送。".to_string();
            if warnings > 0 {
                s.push_str(&explain);
            }
            s
        }
        Verdict::Warnings if pending == 0 => format!("本季度数据已采用。{explain}无需再处理。"),
        Verdict::Warnings => format!("本季度数据已采用。{explain}"),
        Verdict::Passed => "审核通过，本季度数据已采用，无需修改。".to_string(),
        Verdict::Superseded => {
            let winner = sub.superseded_by.as_deref().unwrap_or("后报送的文件");
            format!("本文件已被“{winner}”取代，不再使用，无需修改；以“{winner}”为准。")
        }
    }
}

/// The reading hint under the instruction.
fn hint(sub: &Submission, has_copies: bool) -> Option<String> {
    let mut parts = Vec::new();
    if has_copies && !sub.findings.is_empty() {
        parts.push(
            "点击“位置”可跳到本工作簿后面的原表副本；副本中有问题的单元格已标红（错误）或标黄（警告），批注中写有问题说明。",
        );
    }
    if sub.count(Severity::Info) > 0 {
        parts.push("“提示”是系统已自动规范的写法，仅供核对，无需修改。");
    }
    if !sub.changes.is_empty() {
        parts.push("与此前报送版本不同的单元格见“更正内容”表。");
    }
    (!parts.is_empty()).then(|| parts.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_name_parts_are_safe() {
        assert_eq!(safe_file_part(" 徐州:高新区?. "), "徐州_高新区_");
        assert_eq!(safe_file_part("..."), "未命名文件");
        assert_eq!(
            file_stem("2025Q3/徐州高新区_2025Q3.xlsx"),
            "徐州高新区_2025Q3"
        );
        assert_eq!(file_stem("2025Q3/.hidden"), ".hidden");
        assert_eq!(file_stem("无扩展名"), "无扩展名");
    }
}
