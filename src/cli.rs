//! The command line: `check`, `sample` (and later `report`). Messages are in
//! Chinese; exit codes: 0 no errors, 1 some return has an error, 2 could
//! not run.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::{InputFile, ReturnsFolder};
use crate::model::{Finding, Period, Severity};
use crate::validate::{self, PeriodCheck, Submission};

#[derive(Debug, Parser)]
#[command(
    name = "shuanggao",
    version,
    about = "双高协同季度报表：读取、校验、汇总、目标跟踪与报告",
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 校验各高新区报送的季度报表，逐单元格列出问题
    Check(CheckArgs),
    /// 生成示例报表（示例数据）到 inputs/returns
    Sample(SampleArgs),
}

#[derive(Debug, clap::Args)]
pub struct CommonArgs {
    /// 配置目录
    #[arg(long, value_name = "DIR", default_value = "inputs/config")]
    pub config: PathBuf,
    /// 报表目录（每个报告期一个子目录，如 2026Q3/）
    #[arg(long, value_name = "DIR", default_value = "inputs/returns")]
    pub returns: PathBuf,
    /// 报告期，如 2026Q3（默认：报表目录中最新的一期）
    #[arg(long, value_name = "P")]
    pub period: Option<Period>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// 输出格式
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// 只校验这些文件（默认：报告期目录中的全部文件）
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct SampleArgs {
    /// 配置目录
    #[arg(long, value_name = "DIR", default_value = "inputs/config")]
    pub config: PathBuf,
    /// 输出目录
    #[arg(long, value_name = "DIR", default_value = "inputs/returns")]
    pub out: PathBuf,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let result = match cli.command {
        Command::Check(args) => check(&args),
        Command::Sample(args) => sample(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("shuanggao：{e}");
            2
        }
    }
}

fn check(args: &CheckArgs) -> Result<i32> {
    let config = Config::load(&args.common.config)?;
    let check = if args.files.is_empty() {
        check_folder(&config, &args.common)?
    } else {
        check_files(&config, &args.common, &args.files)?
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
    written.map_err(|e| Error::write("标准输出", e))?;
    Ok(if check.has_errors() { 1 } else { 0 })
}

/// The quarter's folder, checked with the history of every earlier quarter.
pub fn check_folder(config: &Config, common: &CommonArgs) -> Result<PeriodCheck> {
    let folder = scan_returns(&common.returns)?;
    let period = match common.period {
        Some(p) => p,
        None => folder.latest().ok_or_else(|| {
            Error::Input(format!(
                "报表目录 {} 中没有报告期子目录（应为 2026Q3 这样的目录名）",
                common.returns.display()
            ))
        })?,
    };
    if !folder.periods.contains_key(&period) {
        return Err(Error::Input(format!(
            "报表目录 {} 中没有 {period} 的子目录",
            common.returns.display()
        )));
    }
    let checks = validate::check_through(config, &folder, period);
    checks
        .into_iter()
        .next_back()
        .ok_or_else(|| Error::Input(format!("没有 {period} 的报表")))
}

/// Named files, checked as the quarter they say they are (or `--period`),
/// against the history in the returns folder when there is one.
fn check_files(config: &Config, common: &CommonArgs, files: &[PathBuf]) -> Result<PeriodCheck> {
    let inputs: Vec<InputFile> = files
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
    let folder = if common.returns.is_dir() {
        ReturnsFolder::scan(&common.returns)?
    } else {
        ReturnsFolder::default()
    };
    let period = match common.period {
        Some(p) => p,
        None => validate::stated_period(config, &inputs)
            .or(folder.latest())
            .ok_or_else(|| Error::Input("无法从文件中读出报告期，请用 --period 指定".into()))?,
    };
    let history = validate::history_before(config, &folder, period);
    Ok(validate::check_period(config, period, &inputs, &history))
}

fn scan_returns(dir: &Path) -> Result<ReturnsFolder> {
    if !dir.is_dir() {
        return Err(Error::Input(format!(
            "找不到报表目录 {}（可用 --returns 指定）",
            dir.display()
        )));
    }
    ReturnsFolder::scan(dir)
}

/// Findings grouped by zone, with a one-line verdict per return.
pub fn text_report(config: &Config, check: &PeriodCheck, whole_folder: bool) -> String {
    let mut s = String::new();
    let count = |v: validate::Verdict| check.submissions.iter().filter(|x| x.verdict == v).count();
    s.push_str(&format!(
        "双高协同季度报表校验 · {}（{}）\n读取 {} 个文件：通过 {}，有警告 {}，退回修改 {}，已被取代 {}\n",
        check.period,
        check.period.label_zh(),
        check.submissions.len(),
        count(validate::Verdict::Passed),
        count(validate::Verdict::Warnings),
        count(validate::Verdict::SentBack),
        count(validate::Verdict::Superseded),
    ));
    for zone in &config.registry.zones {
        let subs: Vec<&Submission> = check
            .submissions
            .iter()
            .filter(|x| x.zone.as_deref() == Some(zone.code.as_str()))
            .collect();
        for sub in subs {
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
        let missing: Vec<&str> = config
            .registry
            .zones
            .iter()
            .filter(|z| {
                !check
                    .submissions
                    .iter()
                    .any(|x| x.zone.as_deref() == Some(z.code.as_str()))
            })
            .map(|z| z.name.as_str())
            .collect();
        if !missing.is_empty() {
            s.push_str(&format!(
                "\n未报送（{}）：{}\n",
                missing.len(),
                missing.join("、")
            ));
        }
    }
    s
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
    for f in &sub.findings {
        s.push_str(&format!(
            "  {} {} {}  {}\n",
            f.severity.label_zh(),
            f.rule,
            location(f),
            f.message.as_deref().unwrap_or_default()
        ));
    }
}

/// `核心指标!E7`, `项目清单 第 5 行`, or the sheet alone.
pub fn location(f: &Finding) -> String {
    match (&f.sheet, &f.cell, f.row) {
        (Some(sheet), Some(cell), _) => format!("{sheet}!{cell}"),
        (Some(sheet), None, Some(row)) => format!("{sheet} 第 {row} 行"),
        (Some(sheet), None, None) => sheet.clone(),
        _ => "（整个文件）".into(),
    }
}

fn sample(args: &SampleArgs) -> Result<i32> {
    let config = Config::load(&args.config)?;
    let written = crate::sample::write_all(&config, &args.out)?;
    println!(
        "已生成 {} 个示例报表（示例数据）到 {}",
        written,
        args.out.display()
    );
    Ok(0)
}
