//! Feedback workbooks: for each submitted file with findings or corrected
//! cells (and each unreadable file), what goes back to the zone's clerk —
//! the verdict, what to do, the findings, the corrected cells and the
//! file's own sheets to mark (findings: docs/return-form.md §5.1; corrected cells: §6.6).

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use super::findings::{list, needs_explanation, ListedFinding};
use crate::aggregate::Figures;
use crate::config::{Config, REFERENCE_HEADER};
use crate::model::{
    Basis, BookSheet, CellChange, CellPos, NumberKind, Period, Return, Severity, Tone, Verdict,
    ZoneCode,
};
use crate::text::label_key;
use crate::validate::{History, PeriodCheck, Submission};

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
    /// 通过校验（待审核）: with `count_only_approved_from`, counted once approved;
    /// nothing to do.
    #[serde(rename = "通过校验（待审核）")]
    AwaitingReview,
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
            Verdict::AwaitingReview => Conclusion::AwaitingReview,
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Conclusion::Passed => "通过",
            Conclusion::PassedExplained => "通过（警告已说明）",
            Conclusion::WarningsPending => "有警告（待说明）",
            Conclusion::SentBack => "退回修改",
            Conclusion::Superseded => "已被取代",
            Conclusion::AwaitingReview => "通过校验（待审核）",
        }
    }

    pub fn tone(self) -> Tone {
        match self {
            Conclusion::Passed | Conclusion::PassedExplained => Tone::Good,
            Conclusion::WarningsPending => Tone::Warn,
            Conclusion::SentBack => Tone::Bad,
            Conclusion::Superseded | Conclusion::AwaitingReview => Tone::Grey,
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
    /// For a superseded file: what its own checks found, listed after its
    /// F02 for reference only (not counted; nothing to do about them).
    pub set_aside: Vec<ListedFinding>,
    /// For the file that replaced others: the cells that changed.
    pub changes: Vec<CellChange>,
    /// 上季度累计值（参考）: the zone's last accepted 累计值, for the copy of
    /// the file's 核心指标 (`None` without an earlier accepted return).
    pub reference: Option<Reference>,
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

/// What 说明状态 says of a superseded file's own findings.
pub const SET_ASIDE_STATUS: &str = "已被取代，无需处理";

impl FeedbackBook {
    pub fn count(&self, severity: Severity) -> usize {
        count(&self.findings, severity)
    }

    /// 问题数量 as the clerk reads it: the findings listed by severity; for
    /// a superseded file, its F02 and then its own findings, set aside.
    pub fn counts_zh(&self) -> String {
        let line = |list: &[ListedFinding]| {
            format!(
                "错误 {} 项　　警告 {} 项　　提示 {} 项",
                count(list, Severity::Error),
                count(list, Severity::Warning),
                count(list, Severity::Info)
            )
        };
        if self.verdict != Verdict::Superseded {
            return line(&self.findings);
        }
        let own = if self.set_aside.is_empty() {
            "本文件自身的校验未发现问题".to_string()
        } else {
            format!(
                "本文件自身的问题：{}（仅供参考，无需处理）",
                line(&self.set_aside)
            )
        };
        format!(
            "已被取代（同期重复报送 警告 {} 项）；{own}",
            self.count(Severity::Warning)
        )
    }
}

fn count(list: &[ListedFinding], severity: Severity) -> usize {
    list.iter()
        .filter(|f| f.finding.severity == severity)
        .count()
}

/// 上季度累计值（参考） in the copy of a file's 核心指标: each indicator's
/// 累计值 in the zone's last accepted return before the quarter, in the
/// template's reference column (added right of the table when the file
/// has none). The report stage chooses the cells; the renderer writes them.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// The quarter that return was accepted in.
    pub period: Period,
    /// The file's 核心指标 sheet, by its name as read.
    pub sheet: String,
    /// The column's header cell, and what it says (the quarter, when it is
    /// not the quarter before).
    pub header: CellPos,
    pub header_text: String,
    /// The file has no such column: it is added right of the table.
    pub added: bool,
    /// Each indicator's accepted 累计值, in its row, with how it is shown.
    pub cells: Vec<(CellPos, f64, NumberKind)>,
}

/// Each zone's last accepted 累计值 before a quarter, with the quarter it
/// was accepted in: what the feedback copies show as 上季度累计值（参考）.
#[derive(Debug, Clone, Default)]
pub struct Accepted {
    zones: BTreeMap<ZoneCode, (Period, BTreeMap<String, f64>)>,
}

impl Accepted {
    /// From the history of the quarters before (each zone's last accepted
    /// return), as `check` has it.
    pub fn from_history(config: &Config, history: &History) -> Accepted {
        let zones = config
            .registry
            .zones
            .iter()
            .filter_map(|z| {
                let (p, ret) = history.last(&z.code)?;
                Some((z.code.clone(), (p, cumulatives(config, ret))))
            })
            .collect();
        Accepted { zones }
    }

    /// From the aggregated figures: each zone's figures in the latest
    /// quarter before `period` (its own, or carried from its last accepted
    /// return, with that return's quarter).
    pub(crate) fn from_figures(config: &Config, figures: &Figures, period: Period) -> Accepted {
        let Some(before) = figures.periods().filter(|p| *p < period).last() else {
            return Accepted::default();
        };
        let zones = config
            .registry
            .zones
            .iter()
            .filter_map(|z| {
                let zq = figures.zone_quarter(before, &z.code)?;
                let source = zq.source.filter(|_| zq.basis != Basis::NoData)?;
                let values = config
                    .indicators
                    .all
                    .iter()
                    .zip(&zq.values)
                    .filter_map(|(i, v)| Some((i.code.clone(), (*v)?)))
                    .collect();
                Some((z.code.clone(), (source, values)))
            })
            .collect();
        Accepted { zones }
    }
}

fn cumulatives(config: &Config, ret: &Return) -> BTreeMap<String, f64> {
    config
        .indicators
        .all
        .iter()
        .filter_map(|i| Some((i.code.clone(), ret.cumulative(&i.code)?)))
        .collect()
}

/// The reference column of a file's 核心指标 copy, when the zone has an
/// accepted return before `period` and the sheet was kept with its header.
fn reference(
    config: &Config,
    sub: &Submission,
    period: Period,
    accepted: &Accepted,
) -> Option<Reference> {
    let (from, values) = accepted.zones.get(sub.zone.as_deref()?)?;
    let ret = sub.ret.as_deref()?;
    let rows: Vec<(&str, &crate::model::Located<f64>)> = config
        .indicators
        .all
        .iter()
        .filter_map(|i| {
            let v = ret.indicators.get(&i.code)?;
            Some((i.code.as_str(), v.cumulative.as_ref().or(v.new.as_ref())?))
        })
        .collect();
    let sheet_name = rows.first()?.1.sheet.to_string();
    let sheet = sub.cells.iter().find(|s| s.name == sheet_name)?;
    let (grid, shape) = (sheet.grid.as_ref()?, sheet.shape.as_ref()?);
    let (top, bottom) = shape.header?;
    let key = label_key(REFERENCE_HEADER);
    let found = (top..=bottom)
        .flat_map(|r| grid.row(r).map(move |(c, v)| (CellPos::new(r, c), v)))
        .find(|(_, v)| label_key(&v.display()) == key)
        .map(|(p, _)| p);
    let header = found.unwrap_or_else(|| {
        let last = shape.table.map_or(0, |t| t.end.col);
        CellPos::new(bottom, last + 1)
    });
    let cells = rows
        .iter()
        .filter_map(|(code, at)| {
            let kind = match config.indicators.get(code)?.is_amount() {
                true => NumberKind::Amount,
                false => NumberKind::Count,
            };
            Some((
                CellPos::new(at.cell.row, header.col),
                *values.get(*code)?,
                kind,
            ))
        })
        .collect();
    Some(Reference {
        period: *from,
        sheet: sheet_name,
        header,
        header_text: match *from == period.prev() {
            true => REFERENCE_HEADER.to_string(),
            false => format!("{}累计值（参考）", from.label_zh()),
        },
        added: found.is_none(),
        cells,
    })
}

/// One book per file with findings or corrected cells, in file order;
/// `accepted`: each zone's last accepted 累计值 before the quarter.
pub fn feedback_books(
    config: &Config,
    check: &PeriodCheck,
    accepted: &Accepted,
) -> Vec<FeedbackBook> {
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
        .map(|((sub, zone), file_name)| {
            let reference = reference(config, sub, check.period, accepted);
            book(
                config,
                sub,
                zone,
                (check.period, issued),
                file_name,
                reference,
            )
        })
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
        None,
    )
}

/// `when`: the quarter and the feedback date.
fn book(
    config: &Config,
    sub: &Submission,
    zone: Option<&str>,
    when: (Period, NaiveDate),
    file_name: String,
    reference: Option<Reference>,
) -> FeedbackBook {
    let (period, issued) = when;
    let sheets = sub.ret.as_ref().map(|_| Arc::clone(&sub.cells));
    let has_copies = sheets
        .as_deref()
        .is_some_and(|s| s.iter().any(|s| s.grid.is_some()));
    let settings = &config.calendar.feedback;
    let conclusion = Conclusion::of(sub);
    let hint = hint(sub, has_copies, reference.as_ref());
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
        set_aside: list(config, &sub.set_aside, &[]),
        changes: sub.changes.clone(),
        reference,
        verify: Vec::new(),
        instruction: instruction(sub, reply_by),
        hint,
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
        Verdict::SentBack if sub.returned_by_review() => {
            let mut s =
                "本文件经审核退回，本季度数据暂不采用。请按下表中的审核意见修改后重新报送。"
                    .to_string();
            if warnings > 0 {
                s.push_str(&explain);
            }
            s
        }
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
        Verdict::Passed => "校验通过，本季度数据已采用，无需修改。".to_string(),
        Verdict::AwaitingReview => {
            "本文件已通过校验，审核通过后计入本季度数据，无需修改。".to_string()
        }
        Verdict::Superseded => {
            let winner = sub.superseded_by.as_deref().unwrap_or("后报送的文件");
            let mut s = format!("本文件已被“{winner}”取代，不再使用，无需修改；以“{winner}”为准。");
            if !sub.set_aside.is_empty() {
                s.push_str("下表同时列出本文件自身的问题，仅供参考；“");
                s.push_str(winner);
                s.push_str("”已另行审核，见其反馈。");
            }
            s
        }
    }
}

/// The reading hint under the instruction.
fn hint(sub: &Submission, has_copies: bool, reference: Option<&Reference>) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    if has_copies && !sub.findings.is_empty() {
        parts.push(
            "点击“位置”可跳到本工作簿后面的原表副本；副本中有问题的单元格已标红（错误）或标黄（警告），批注中写有问题说明。".into(),
        );
    }
    let infos = sub.count(Severity::Info)
        + sub
            .set_aside
            .iter()
            .filter(|f| f.severity == Severity::Info)
            .count();
    if infos > 0 {
        parts.push("“提示”是系统已自动规范的写法，仅供核对，无需修改。".into());
    }
    if !sub.changes.is_empty() {
        parts.push("与此前报送版本不同的单元格见“更正内容”表。".into());
    }
    if let Some(r) = reference.filter(|r| has_copies && !r.cells.is_empty()) {
        parts.push(reference_hint(r));
    }
    (!parts.is_empty()).then(|| parts.concat())
}

/// Where the copy's reference column comes from, said once.
fn reference_hint(r: &Reference) -> String {
    format!(
        "原表副本“{}”中“{}”一列已填入本区{}已采用的累计值，仅供核对。",
        r.sheet,
        r.header_text,
        r.period.label_zh()
    )
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
