//! Feedback workbooks: for each submitted file with findings or corrected
//! cells (and each unreadable file), what goes back to the zone's clerk —
//! the verdict, what to do, the findings, the corrected cells and the
//! file's own sheets to mark (findings: docs/return-form.md §5.1; corrected cells: §6.6).

use std::collections::HashSet;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use super::findings::{list, needs_explanation, ListedFinding};
use crate::config::Config;
use crate::model::{BookSheet, CellChange, Period, Severity, Tone, Verdict};
use crate::validate::{PeriodCheck, Submission};

/// The 审核结论 a feedback workbook shows: the file's verdict as the clerk
/// should read it (whether anything is left to do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Conclusion {
    /// 通过: accepted, no warnings.
    #[serde(rename = "通过")]
    Passed,
    /// 通过（警告已说明）: accepted; every warning explained in 情况说明, so
    /// nothing is left to do.
    #[serde(rename = "通过（警告已说明）")]
    PassedExplained,
    /// 有警告（待说明）: accepted; some warnings still to explain.
    #[serde(rename = "有警告（待说明）")]
    WarningsPending,
    /// 退回修改: errors; correct and resend.
    #[serde(rename = "退回修改")]
    SentBack,
    /// 已被取代: a later file replaced it; nothing to do.
    #[serde(rename = "已被取代")]
    Superseded,
}

impl Conclusion {
    /// Every conclusion, in the order a legend lists them.
    pub const ALL: [Conclusion; 5] = [
        Conclusion::Passed,
        Conclusion::PassedExplained,
        Conclusion::WarningsPending,
        Conclusion::SentBack,
        Conclusion::Superseded,
    ];

    fn of(sub: &Submission) -> Conclusion {
        match sub.verdict {
            Verdict::Passed => Conclusion::Passed,
            Verdict::Warnings if pending_warnings(sub) == 0 => Conclusion::PassedExplained,
            Verdict::Warnings => Conclusion::WarningsPending,
            Verdict::SentBack => Conclusion::SentBack,
            Verdict::Superseded => Conclusion::Superseded,
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Conclusion::Passed => "通过",
            Conclusion::PassedExplained => "通过（警告已说明）",
            Conclusion::WarningsPending => "有警告（待说明）",
            Conclusion::SentBack => "退回修改",
            Conclusion::Superseded => "已被取代",
        }
    }

    pub fn tone(self) -> Tone {
        match self {
            Conclusion::Passed | Conclusion::PassedExplained => Tone::Good,
            Conclusion::WarningsPending => Tone::Warn,
            Conclusion::SentBack => Tone::Bad,
            Conclusion::Superseded => Tone::Grey,
        }
    }

    /// The zone has something to do: correct and resend, or explain.
    pub fn asks_action(self) -> bool {
        matches!(self, Conclusion::WarningsPending | Conclusion::SentBack)
    }
}

/// One feedback workbook, ready to lay out.
#[derive(Debug, Clone)]
pub struct FeedbackBook {
    /// The workbook's file name, unique in the quarter.
    pub file_name: String,
    /// The title at the top of the first sheet, e.g.
    /// `无锡高新区2026年第三季度双高协同季度报表审核反馈`.
    pub title: String,
    /// Who sends it (`calendar.toml [feedback] sender`, e.g. 省科技厅); empty
    /// when not configured.
    pub sender: String,
    /// Whom to ask (`[feedback] contact`); empty when not configured.
    pub contact: String,
    /// 反馈日期: the quarter's 数据截至 (the latest 填报日期 after quarter end,
    /// or the deadline; docs/return-form.md §7.3), never the clock.
    pub issued: NaiveDate,
    /// 请于此日前处理: `issued` + `[feedback] reply_within_days`, when the
    /// zone has something to do (see [`Conclusion::asks_action`]).
    pub reply_by: Option<NaiveDate>,
    /// 审核结论 as presented: the verdict, with accepted files whose
    /// warnings are all explained shown as 通过（警告已说明）.
    pub conclusion: Conclusion,
    /// The submitted file (as named in the returns folder).
    pub source: String,
    /// The zone's registry name, when the file names a registry zone.
    pub zone: Option<String>,
    pub period: Period,
    pub verdict: Verdict,
    pub findings: Vec<ListedFinding>,
    /// For the file that replaced others: the cells that changed.
    pub changes: Vec<CellChange>,
    /// 请核实: the file's values high on the 核查优先清单 (not errors;
    /// nothing is to be sent back for them). Only `report` fills it; a
    /// file gets no book for these alone (docs/return-form.md D11.3).
    pub verify: Vec<super::ReviewItem>,
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
    let issued = super::data_as_of(config, check);
    items
        .into_iter()
        .zip(names)
        .map(|((sub, zone), file_name)| book(config, sub, zone, (check.period, issued), file_name))
        .collect()
}

/// The book for one file on its own, named by [`file_name`] (the quarter's
/// books are named together by [`feedback_books`], so names never clash)
/// and dated by the file's own 填报日期 when after quarter end (else the
/// quarter's deadline), as [`feedback_books`] dates by the whole quarter's.
pub fn feedback_book(
    config: &Config,
    sub: &Submission,
    zone: Option<&str>,
    period: Period,
) -> FeedbackBook {
    let issued = sub
        .ret
        .as_ref()
        .and_then(|r| r.fill_date())
        .filter(|d| *d > period.end())
        .unwrap_or_else(|| config.calendar.deadline(period));
    book(
        config,
        sub,
        zone,
        (period, issued),
        file_name(sub, zone, period),
    )
}

/// `when`: the quarter and the feedback date.
fn book(
    config: &Config,
    sub: &Submission,
    zone: Option<&str>,
    when: (Period, NaiveDate),
    file_name: String,
) -> FeedbackBook {
    let (period, issued) = when;
    let sheets = sub.ret.as_ref().map(|_| Arc::clone(&sub.cells));
    let has_copies = sheets
        .as_deref()
        .is_some_and(|s| s.iter().any(|s| s.grid.is_some()));
    let settings = &config.calendar.feedback;
    let conclusion = Conclusion::of(sub);
    let reply_by = settings
        .reply_within_days
        .filter(|_| conclusion.asks_action())
        .map(|days| issued + chrono::Days::new(u64::from(days)));
    FeedbackBook {
        file_name,
        title: title(zone, &sub.source.name, period),
        sender: settings.sender.clone(),
        contact: settings.contact.clone(),
        issued,
        reply_by,
        conclusion,
        source: sub.source.name.clone(),
        zone: zone.map(str::to_string),
        period,
        verdict: sub.verdict,
        findings: list(config, &sub.findings, &sub.explanations),
        changes: sub.changes.clone(),
        verify: Vec::new(),
        instruction: instruction(sub, reply_by),
        hint: hint(sub, has_copies),
        is_sample: sub.ret.as_ref().is_some_and(|r| r.is_sample),
        sheets,
    }
}

/// `<zone><period label>双高协同季度报表审核反馈`; for a file tied to no zone
/// the file's name follows in brackets.
fn title(zone: Option<&str>, source: &str, period: Period) -> String {
    let title = format!("{}双高协同季度报表审核反馈", period.label_zh());
    match zone {
        Some(zone) => format!("{zone}{title}"),
        None => format!("{title}（{}）", file_base(source)),
    }
}

/// `<zone>_<P>_问题反馈.xlsx`; for a file tied to no zone
/// `<file stem>_<P>_问题反馈.xlsx`. When the zone sent several files this
/// quarter (the file was superseded, replaced another, or conflicts with
/// another: an F02 finding or recorded changes), the file stem is added,
/// `<zone>_<P>_<file stem>_问题反馈.xlsx`, so the winner keeps the plain
/// name and the others are told apart by their own names. A stem that
/// already names the zone and the period (`无锡高新区_2026Q3_更正`) is not
/// prefixed again: `无锡高新区_2026Q3_更正_问题反馈.xlsx`; likewise a
/// zone-less stem naming the period.
///
/// Names are made safe for every file system. Two different files can still
/// map to one name in corner cases (a zone-less file named exactly like a
/// zone); [`file_names`] settles a whole quarter without collisions.
pub fn file_name(sub: &Submission, zone_name: Option<&str>, period: Period) -> String {
    let stem = safe_file_part(file_stem(&sub.source.name));
    let zone = zone_name.map(safe_file_part).filter(|z| !z.is_empty());
    let names_period = stem.to_uppercase().contains(&period.to_string());
    match zone {
        Some(zone) if several_files(sub) && names_period && stem.contains(&zone) => {
            format!("{stem}_问题反馈.xlsx")
        }
        Some(zone) if several_files(sub) => format!("{zone}_{period}_{stem}_问题反馈.xlsx"),
        Some(zone) => format!("{zone}_{period}_问题反馈.xlsx"),
        None if names_period => format!("{stem}_问题反馈.xlsx"),
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

/// The file name without its folders.
fn file_base(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// The file name without its folders and extension.
pub fn file_stem(name: &str) -> &str {
    let base = file_base(name);
    match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    }
}

/// A piece of a file name that every file system accepts.
pub(crate) fn safe_file_part(text: &str) -> String {
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

/// Warnings to explain that the return's 情况说明 does not explain.
fn pending_warnings(sub: &Submission) -> usize {
    sub.findings
        .iter()
        .enumerate()
        .filter(|(i, f)| {
            needs_explanation(f) && sub.explanations.get(*i).is_none_or(Option::is_none)
        })
        .count()
}

/// What the clerk is to do, by verdict; with the date to do it by.
fn instruction(sub: &Submission, reply_by: Option<NaiveDate>) -> String {
    let mut text = what_to_do(sub);
    if let Some(date) = reply_by {
        text.push_str(&format!("请于{}前完成。", crate::format::date_zh(date)));
    }
    text
}

fn what_to_do(sub: &Submission) -> String {
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
