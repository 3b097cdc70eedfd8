//! `shuanggao review`: 核查优先清单 — the quarter's accepted values ranked
//! by score = suspicion × impact, the ones to question first on top
//! (docs/review.md); as a table for the terminal or JSON.

use super::{print_as, run_period, Format, InputArgs, PeriodArg};
use crate::error::Result;
use crate::format::{group_thousands, percent_fine};
use crate::report::{Report, ReviewItem};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub period: PeriodArg,
    /// 列出前 N 项（默认：review.toml 中的 [output] top）
    #[arg(long, value_name = "项数")]
    pub top: Option<usize>,
    /// 输出格式
    #[arg(long, value_enum, value_name = "格式", default_value = "text")]
    pub format: Format,
}

pub fn run(args: &Args) -> Result<i32> {
    let run = run_period(&args.input, &args.period)?;
    let r = &run.report;
    let top = args.top.unwrap_or(r.review_shown).min(r.review.len());
    let items = &r.review[..top];
    print_as(args.format, items, || review_text(r, items))?;
    Ok(0)
}

/// 核查优先清单 for the terminal: one block of two lines per value.
pub fn review_text(r: &Report, items: &[ReviewItem]) -> String {
    let mut s = format!(
        "核查优先清单 · {}：共 {} 项已采用数据，列出得分最高的 {} 项（得分 = 可疑程度 × 影响）\n",
        r.period.label_zh(),
        r.review.len(),
        items.len()
    );
    for i in items {
        s.push_str(&format!(
            "\n{:>3}. {}  {}  得分 {:.2}\n     {}!{}（{}）  填报值 {}{}  预期 {}  偏离占全省 {}\n     {}\n",
            i.rank,
            i.zone,
            i.indicator_name,
            i.score,
            i.sheet,
            i.cell,
            i.file,
            group_thousands(i.value),
            i.unit,
            i.expected_range_zh(),
            percent_fine(i.deviation_share),
            i.reason
        ));
    }
    s
}
