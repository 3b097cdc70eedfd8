//! 报送情况, 问题清单 and 数据来源: the records behind the figures.

use rust_xlsxwriter::{ConditionalFormatCell, ConditionalFormatCellRule, Worksheet};

use super::grid::{basis_label, yes_no, Sheet};
use super::SAMPLE_NOTE;
use crate::model::{Severity, Tone, Verdict};
use crate::render::xlsx::{Num, Res};
use crate::report::{ExplanationStatus, Report, ReportingStatus};

/// 数据来源's last column: section titles and values span up to it.
const LAST_COL: u16 = 5;

/// 报送情况: each zone's return this quarter, statuses and counts coloured.
pub(super) fn submissions(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    let st = s.st;
    s.headers(
        0,
        &[
            "高新区",
            "城市",
            "状态",
            "审核状态",
            "报送文件",
            "填报日期",
            "错误",
            "警告",
            "待说明",
            "说明",
            "数据来源",
            "更正的单元格",
        ],
    )?;
    let mut row = 1;
    for x in &r.submissions {
        s.text(row, 0, &x.zone)?;
        s.text(row, 1, &x.city)?;
        s.text_as(row, 2, x.status.label_zh(), &st.center)?;
        s.text(row, 3, &x.review_detail)?;
        s.wrap(row, 4, &x.files.join("\n"))?;
        s.date(row, 5, x.fill_date)?;
        s.count(row, 6, x.errors)?;
        s.count(row, 7, x.warnings)?;
        s.count(row, 8, x.unexplained)?;
        s.wrap(row, 9, &x.reason)?;
        s.text(row, 10, &basis_label(x.basis, x.source_period))?;
        s.wrap(row, 11, &changes_text(&x.changes))?;
        row += 1;
    }
    let last = row - 1;
    let statuses = ReportingStatus::ALL.map(|x| (x.label_zh(), x.tone()));
    s.tones(1, last, 2, statuses)?;
    if last >= 1 {
        for (col, tone) in [(6u16, Tone::Bad), (7, Tone::Warn), (8, Tone::Warn)] {
            let Some(format) = st.tone(tone) else {
                continue;
            };
            let cf = ConditionalFormatCell::new()
                .set_rule(ConditionalFormatCellRule::GreaterThan(0))
                .set_format(format);
            s.ws.add_conditional_format(1, col, last, col, &cf)?;
        }
    }
    for (col, width) in [(3u16, 20.0), (4, 24.0), (9, 24.0), (11, 28.0)] {
        s.cap_width(col, width);
    }
    s.table_view(1, 1, 11)?;
    s.ws.autofilter(0, 0, last, 11)?;
    s.finish()
}

/// 问题清单: every finding of the quarter with its explanation.
pub(super) fn findings(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    let st = s.st;
    s.headers(
        0,
        &[
            "高新区",
            "文件",
            "工作表",
            "单元格",
            "行",
            "规则",
            "级别",
            "填写值",
            "应为",
            "说明",
            "说明状态",
            "情况说明",
        ],
    )?;
    let mut row = 1;
    // By severity first, as staff work through them (Report::findings_for_sheet).
    for listed in r.findings_for_sheet() {
        let f = &listed.finding;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        s.text(row, 0, &text(&f.zone))?;
        s.wrap(row, 1, &text(&f.file))?;
        s.text(row, 2, &text(&f.sheet))?;
        s.text_as(row, 3, &text(&f.cell), &st.center)?;
        s.opt_num(row, 4, f.row.map(f64::from), Num::Int)?;
        s.text_as(row, 5, &f.rule, &st.center)?;
        s.text_as(row, 6, f.severity.label_zh(), &st.center)?;
        s.wrap(row, 7, &text(&f.value))?;
        s.wrap(row, 8, &text(&f.expected))?;
        s.wrap(row, 9, &text(&f.message))?;
        s.text_as(row, 10, listed.explanation_status().label_zh(), &st.center)?;
        s.wrap(row, 11, &text(&listed.explanation))?;
        row += 1;
    }
    let last = row - 1;
    let severities = [Severity::Error, Severity::Warning, Severity::Info];
    s.tones(1, last, 6, severities.map(|x| (x.label_zh(), x.tone())))?;
    let explained = ExplanationStatus::ALL.map(|x| (x.label_zh(), x.tone()));
    s.tones(1, last, 10, explained)?;
    for (col, width) in [(1u16, 20.0), (7, 16.0), (8, 16.0), (9, 36.0), (11, 24.0)] {
        s.cap_width(col, width);
    }
    s.table_view(1, 1, 11)?;
    s.ws.autofilter(0, 0, last, 11)?;
    s.finish()
}

/// `项目清单!F3：标志项目 → 标志性项目；…` (the first 30; then a count).
fn changes_text(changes: &[crate::model::CellChange]) -> String {
    let shown: Vec<String> = changes
        .iter()
        .take(30)
        .map(|c| {
            format!(
                "{}!{}：{} → {}",
                c.sheet,
                c.cell,
                blank_dash(&c.old),
                blank_dash(&c.new)
            )
        })
        .collect();
    let mut text = shown.join("\n");
    if changes.len() > 30 {
        text.push_str(&format!("\n…共 {} 处", changes.len()));
    }
    text
}

fn blank_dash(s: &str) -> &str {
    if s.is_empty() {
        "（空）"
    } else {
        s
    }
}

/// 数据来源: the files read, the configuration and the run's settings, so a
/// figure can be traced to what it was made from.
pub(super) fn sources(mut s: Sheet, r: &Report) -> Res<Worksheet> {
    let mut row = files_block(&mut s, r)?;
    row = config_block(&mut s, r, row)?;
    row = settings_block(&mut s, r, row)?;
    if r.is_sample {
        let st = s.st;
        row += 1;
        s.merged(row, 0, LAST_COL, SAMPLE_NOTE, &st.banner)?;
        s.ws.set_row_height(row, 24)?;
    }
    s.table_view(1, 0, LAST_COL)?;
    // A SHA-256 in full (64 characters).
    s.fixed_width(LAST_COL, 66.0);
    s.finish()
}

/// Every return file read, with its verdict, size and SHA-256; returns the
/// next free row.
fn files_block(s: &mut Sheet, r: &Report) -> Res<u32> {
    let st = s.st;
    s.headers(
        0,
        &[
            "文件",
            "报告期",
            "高新区",
            "审核结果",
            "大小（字节）",
            "SHA-256",
        ],
    )?;
    let mut row = 1;
    for x in &r.sources {
        s.wrap(row, 0, &x.file)?;
        s.text_as(row, 1, &x.period.to_string(), &st.center)?;
        s.text(row, 2, x.zone.as_deref().unwrap_or(""))?;
        s.text_as(row, 3, x.verdict.label_zh(), &st.center)?;
        s.num(row, 4, x.bytes as f64, Num::Count)?;
        s.text(row, 5, &x.sha256)?;
        row += 1;
    }
    let verdicts = Verdict::ALL.map(|v| (v.label_zh(), v.tone()));
    s.tones(1, row - 1, 3, verdicts)?;
    Ok(row + 1)
}

/// 配置文件: each configuration file, what it holds and its SHA-256.
fn config_block(s: &mut Sheet, r: &Report, mut row: u32) -> Res<u32> {
    let st = s.st;
    s.merged(row, 0, LAST_COL, "配置文件", &st.section)?;
    row += 1;
    s.header(row, 0, "配置文件")?;
    s.header_span((row, 1), (row, LAST_COL - 1), "内容")?;
    s.header(row, LAST_COL, "SHA-256")?;
    row += 1;
    for c in &r.config_files {
        s.text(row, 0, &c.file)?;
        s.merged(row, 1, LAST_COL - 1, c.role, &st.text)?;
        s.text(row, LAST_COL, &c.sha256)?;
        row += 1;
    }
    Ok(row + 1)
}

/// 运行参数: period, tool, the settings as given and the row balance.
fn settings_block(s: &mut Sheet, r: &Report, mut row: u32) -> Res<u32> {
    let st = s.st;
    s.merged(row, 0, LAST_COL, "运行参数", &st.section)?;
    row += 1;
    s.header(row, 0, "参数")?;
    s.header_span((row, 1), (row, LAST_COL), "取值")?;
    row += 1;
    let mut settings: Vec<(String, String)> = vec![
        (
            "报告期".into(),
            format!("{}（{}）", r.period.label_zh(), r.period),
        ),
        ("工具版本".into(), format!("shuanggao {}", r.tool_version)),
    ];
    settings.extend(r.settings.iter().map(|(k, v)| (k.clone(), v.clone())));
    settings.push(("示例数据".into(), yes_no(r.is_sample).into()));
    for (key, value) in &settings {
        s.text(row, 0, key)?;
        s.merged(row, 1, LAST_COL, value, &st.text)?;
        row += 1;
    }
    let c = &r.counts;
    for (key, n) in [
        ("读取数据行", c.rows_read),
        ("采用数据行", c.rows_accepted),
        ("拒收数据行", c.rows_rejected),
        ("被取代数据行", c.rows_superseded),
    ] {
        s.text(row, 0, key)?;
        // A merged range holds text; the number then replaces its first cell.
        s.merged(row, 1, LAST_COL, "", &st.text)?;
        s.ws.write_number_with_format(row, 1, n as f64, &st.count_left)?;
        row += 1;
    }
    Ok(row)
}
