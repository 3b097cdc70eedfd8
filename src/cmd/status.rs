//! `shuanggao status`: 报送情况 — which zones reported, late, sent back or
//! missing — as a table for the terminal (zones to chase first) or JSON.

use super::{print_as, run_period, Format, InputArgs, PeriodArg};
use crate::error::Result;
use crate::report::{QuarterState, Report, ReportingStatus, SubmissionStatus};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub period: PeriodArg,
    /// 输出格式
    #[arg(long, value_enum, value_name = "格式", default_value = "text")]
    pub format: Format,
}

pub fn run(args: &Args) -> Result<i32> {
    let run = run_period(&args.input, &args.period)?;
    let r = &run.report;
    print_as(args.format, &r.submissions, || status_text(r))?;
    Ok(0)
}

/// 报送情况 as a table for the terminal, the zones to chase first.
pub fn status_text(r: &Report) -> String {
    let mut rows: Vec<&SubmissionStatus> = r.submissions.iter().collect();
    rows.sort_by_key(|x| x.status);
    let count = |st: ReportingStatus| r.submissions.iter().filter(|x| x.status == st).count();
    let mut s = format!(
        "报送情况 · {}：已报送 {}，迟报 {}，退回修改 {}，未报送 {}（截止日 {}）\n",
        r.period.label_zh(),
        count(ReportingStatus::Reported),
        count(ReportingStatus::Late),
        count(ReportingStatus::SentBack),
        count(ReportingStatus::Missing),
        r.deadline
    );
    if r.submissions.iter().any(|x| x.review.is_some()) {
        s.push_str(&review_counts(r));
    }
    s.push('\n');
    s.push_str(
        "高新区            状态      审核                  填报日期     错误  警告(待说明)  说明\n",
    );
    for x in rows {
        let fill_date = x.fill_date.map(|d| d.to_string());
        let review = if x.review_detail.is_empty() {
            "—"
        } else {
            &x.review_detail
        };
        s.push_str(&format!(
            "{}{}{}{}{:>4}  {:>4}({})      {}\n",
            pad(&x.zone, 18),
            pad(x.status.label_zh(), 10),
            pad(review, 22),
            pad(fill_date.as_deref().unwrap_or("—"), 13),
            x.errors,
            x.warnings,
            x.unexplained,
            x.reason
        ));
    }
    s
}

/// The review's part of the one table (docs/review-workflow.md), as a
/// line: 审核：待说明 2，已报送待审 12，审核通过 3.
fn review_counts(r: &Report) -> String {
    let counted: Vec<String> = [
        QuarterState::Unexplained,
        QuarterState::Awaiting,
        QuarterState::Approved,
    ]
    .iter()
    .map(|st| {
        let n = r.submissions.iter().filter(|x| x.state == *st).count();
        format!("{} {n}", st.label_zh())
    })
    .collect();
    format!("审核：{}\n", counted.join("，"))
}

/// Pads to a display width (a Chinese character is two columns).
fn pad(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}
