//! `shuanggao check`: checks a quarter's returns (or named files) and lists
//! every finding by zone; `--feedback DIR` also writes the feedback
//! workbooks. Exit code 1 when some return has an error.

use std::io::Write;
use std::path::PathBuf;

use super::{chosen_period, scan_returns, stdout_result, Format, InputArgs, PeriodArg};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::{InputFile, ReturnsFolder};
use crate::model::{Severity, Verdict};
use crate::validate::{self, History, PeriodCheck, Submission};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub period: PeriodArg,
    /// 输出格式
    #[arg(long, value_enum, value_name = "格式", default_value = "text")]
    pub format: Format,
    /// 同时为每份有错误、警告或提示（或更正了单元格）的报表生成问题反馈工作簿，写入此目录
    #[arg(long, value_name = "目录")]
    pub feedback: Option<PathBuf>,
    /// 只校验这些文件（默认：报告期目录中的全部文件）
    #[arg(value_name = "文件")]
    pub files: Vec<PathBuf>,
}

pub fn run(args: &Args) -> Result<i32> {
    let config = Config::load(&args.input.config.config)?;
    let (check, before) = if args.files.is_empty() {
        checked_folder(&config, &args.input, args.period.period)?
    } else {
        check_files(&config, args)?
    };
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &check.findings().collect::<Vec<_>>())
                .map_err(std::io::Error::from)
                .and_then(|_| writeln!(out))
        }
        Format::Text => {
            out.write_all(text_report(&config, &check, args.files.is_empty()).as_bytes())
        }
    };
    stdout_result(written)?;
    if let Some(dir) = &args.feedback {
        let accepted = crate::report::Accepted::from_history(&config, &before);
        let books = crate::report::feedback_books(&config, &check, &accepted);
        let files = crate::render::feedback_files(&books)?;
        for (name, bytes) in &files {
            crate::output::write_atomic(&dir.join(name), bytes)?;
        }
        eprintln!(
            "已生成 {} 份问题反馈工作簿到 {}",
            files.len(),
            dir.display()
        );
    }
    Ok(if check.has_errors() { 1 } else { 0 })
}

/// The quarter's folder, checked with the history of every earlier quarter.
pub fn check_folder(
    config: &Config,
    input: &InputArgs,
    period: Option<crate::model::Period>,
) -> Result<PeriodCheck> {
    checked_folder(config, input, period).map(|(check, _)| check)
}

/// [`check_folder`], with the history of the quarters before it (each
/// zone's last accepted return, for the feedback's reference column).
fn checked_folder(
    config: &Config,
    input: &InputArgs,
    period: Option<crate::model::Period>,
) -> Result<(PeriodCheck, History)> {
    let folder = scan_returns(&input.returns)?;
    let period = chosen_period(period, input, &folder)?;
    if !folder.periods.contains_key(&period) {
        return Err(Error::Input(format!(
            "报表目录 {} 中没有 {period} 的子目录",
            input.returns.display()
        )));
    }
    let mut last = None;
    let mut before = History::default();
    validate::walk(
        config,
        &folder,
        period,
        Default::default(),
        |check, history| {
            if check.period == period {
                last = Some(check);
            } else {
                before = history.clone();
            }
        },
    );
    let check = last.ok_or_else(|| Error::Input(format!("没有 {period} 的报表")))?;
    Ok((check, before))
}

/// Named files, checked as the quarter they say they are (or `--period`),
/// against the history in the returns folder when there is one (given
/// back with the check).
fn check_files(config: &Config, args: &Args) -> Result<(PeriodCheck, History)> {
    let inputs: Vec<InputFile> = args
        .files
        .iter()
        .map(|p| {
            if p.is_file() {
                Ok(InputFile {
                    path: p.clone(),
                    name: p.display().to_string(),
                })
            } else {
                Err(Error::Input(format!("找不到文件 {}", p.display())))
            }
        })
        .collect::<Result<_>>()?;
    let returns = &args.input.returns;
    let folder = if returns.is_dir() {
        ReturnsFolder::scan(returns)?
    } else {
        ReturnsFolder::default()
    };
    let mut before = History::default();
    let check = validate::check_files(config, &inputs, args.period.period, folder.latest(), |p| {
        before = validate::history_before(config, &folder, p);
        before.clone()
    })
    .ok_or_else(|| Error::Input("无法从文件中读出报告期，请用 --period 指定".into()))?;
    Ok((check, before))
}

/// Findings grouped by zone, with a one-line verdict per return.
pub fn text_report(config: &Config, check: &PeriodCheck, whole_folder: bool) -> String {
    let count = |v: Verdict| check.submissions.iter().filter(|x| x.verdict == v).count();
    let mut s = format!(
        "双高协同季度报表校验 · {}（{}）\n读取 {} 个文件：通过 {}，有警告 {}，退回修改 {}，已被取代 {}\n",
        check.period,
        check.period.label_zh(),
        check.submissions.len(),
        count(Verdict::Passed),
        count(Verdict::Warnings),
        count(Verdict::SentBack),
        count(Verdict::Superseded),
    );
    for zone in &config.registry.zones {
        for sub in check
            .submissions
            .iter()
            .filter(|x| x.zone.as_ref() == Some(&zone.code))
        {
            submission_text(&mut s, &zone.name, sub);
        }
    }
    let unassigned: Vec<&Submission> = check
        .submissions
        .iter()
        .filter(|x| x.zone.is_none())
        .collect();
    if !unassigned.is_empty() {
        s.push_str("\n—— 无法归属到高新区的文件 ——\n");
        for sub in unassigned {
            submission_text(&mut s, "（未识别）", sub);
        }
    }
    if whole_folder {
        s.push_str(&missing_text(config, check));
    }
    s
}

/// `未报送（n）：…` for the zones that sent nothing; empty when all did.
fn missing_text(config: &Config, check: &PeriodCheck) -> String {
    let missing: Vec<&str> = config
        .registry
        .zones
        .iter()
        .filter(|z| {
            !check
                .submissions
                .iter()
                .any(|x| x.zone.as_ref() == Some(&z.code))
        })
        .map(|z| z.name.as_str())
        .collect();
    if missing.is_empty() {
        String::new()
    } else {
        format!("\n未报送（{}）：{}\n", missing.len(), missing.join("、"))
    }
}

fn submission_text(s: &mut String, zone: &str, sub: &Submission) {
    s.push_str(&format!(
        "\n{zone}  【{}】  {}",
        sub.verdict.label_zh(),
        sub.source.name
    ));
    let (e, w, i) = (
        sub.count(Severity::Error),
        sub.count(Severity::Warning),
        sub.count(Severity::Info),
    );
    if e + w + i > 0 {
        s.push_str(&format!("  （错误 {e}，警告 {w}，提示 {i}）"));
    }
    s.push('\n');
    finding_lines(s, &sub.findings);
    if !sub.set_aside.is_empty() {
        let n = |v: Severity| sub.set_aside.iter().filter(|f| f.severity == v).count();
        s.push_str(&format!(
            "  本文件自身的问题（已被取代，仅供参考，无需处理；错误 {}，警告 {}，提示 {}）：\n",
            n(Severity::Error),
            n(Severity::Warning),
            n(Severity::Info)
        ));
        finding_lines(s, &sub.set_aside);
    }
}

fn finding_lines(s: &mut String, findings: &[crate::model::Finding]) {
    for f in findings {
        s.push_str(&format!(
            "  {} {} {}  {}\n",
            f.severity.label_zh(),
            f.rule,
            f.place(),
            f.message.as_deref().unwrap_or_default()
        ));
    }
}
