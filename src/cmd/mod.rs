//! The command line, one file per command (each with its `Args` and one
//! `run`): `report`, `check`, `status`, `review`, `template`, `sample`, and
//! the portal's `serve`, `account`, `backup` and `restore`. Messages are
//! in Chinese. Exit codes: 0 no errors, 1 some return has an error (`check`),
//! 2 could not run.

mod account;
mod backup;
mod check;
mod chinese;
mod report;
mod restore;
mod review;
mod sample;
mod serve;
mod status;
mod template;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::error::{Error, Result};
use crate::ingest::ReturnsFolder;
use crate::model::Period;

pub use check::{check_folder, text_report};
pub use report::{summary, write_quarter, Job, PageChoice, Stage};
pub use review::review_text;
pub use status::status_text;

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
    /// 生成季度报告：汇总、目标进度、报告工作簿与数据文件
    Report(report::Args),
    /// 校验各高新区报送的季度报表，逐单元格列出问题
    Check(check::Args),
    /// 报送情况：每个高新区已报送 / 迟报 / 退回修改 / 未报送
    Status(status::Args),
    /// 核查优先清单：按“可疑程度 × 影响”排列本期已采用的数据，先核查得分高的
    Review(review::Args),
    /// 生成各高新区的季度报表模板（含下拉选项、保护和上季度数据）
    Template(template::Args),
    /// 生成示例报表（示例数据）到 inputs/returns：名单中每个高新区从其批次加入的季度起
    Sample(sample::Args),
    /// 报送门户：高新区在线上传报表，即时看到审核结果（网页与 JSON 接口）
    Serve(serve::Args),
    /// 门户账户：开设、列出、停用、重置密码、发放 API 令牌，导出审计日志
    Account(account::Args),
    /// 备份门户：在门户运行时一致地备份数据库和报表目录（zip）
    Backup(backup::Args),
    /// 从备份恢复门户的数据库和报表目录到空目录（须先停止门户）
    Restore(restore::Args),
}

impl Command {
    /// The command's configuration (`backup` and `restore` read none).
    fn config(&self) -> Option<&ConfigArgs> {
        Some(match self {
            Command::Report(a) => &a.input.config,
            Command::Check(a) => &a.input.config,
            Command::Status(a) => &a.input.config,
            Command::Review(a) => &a.input.config,
            Command::Template(a) => &a.input.config,
            Command::Sample(a) => &a.config,
            Command::Serve(a) => &a.input.config,
            Command::Account(a) => &a.action.place().config,
            Command::Backup(_) | Command::Restore(_) => return None,
        })
    }
}

/// What every command reads: the configuration, and how many threads to use.
#[derive(Debug, clap::Args)]
pub struct ConfigArgs {
    /// 配置目录
    #[arg(long, value_name = "目录", default_value = "inputs/config")]
    pub config: PathBuf,
    /// 同时处理的线程数（默认：全部 CPU 核心；也可用环境变量 SHUANGGAO_THREADS）
    #[arg(
        short = 'j',
        long = "threads",
        value_name = "个数",
        env = "SHUANGGAO_THREADS"
    )]
    pub threads: Option<usize>,
}

/// … and the returns folder, for the commands that read returns.
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    /// 报表目录（每个报告期一个子目录，如 2026Q3/）
    #[arg(long, value_name = "目录", default_value = "inputs/returns")]
    pub returns: PathBuf,
}

/// The quarter a command looks at.
#[derive(Debug, clap::Args)]
pub struct PeriodArg {
    /// 报告期，如 2026Q3（默认：报表目录中最新的一期）
    #[arg(long, value_name = "报告期")]
    pub period: Option<Period>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    main_with(std::env::args_os())
}

/// [`main`] with the given arguments (the first is the program's name).
pub fn main_with<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match chinese::parse(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let threads = cli.command.config().and_then(|c| c.threads);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .thread_name(|i| format!("shuanggao-{i}"))
        .build();
    let run = || match cli.command {
        Command::Report(args) => report::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Status(args) => status::run(&args),
        Command::Review(args) => review::run(&args),
        Command::Template(args) => template::run(&args),
        Command::Sample(args) => sample::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Account(args) => account::run(&args),
        Command::Backup(args) => backup::run(&args),
        Command::Restore(args) => restore::run(&args),
    };
    let result = match pool {
        Ok(pool) => pool.install(run),
        Err(e) => Err(Error::Input(format!(
            "无法启动 {} 个线程：{e}",
            threads.unwrap_or(0)
        ))),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("shuanggao：{e}");
            2
        }
    }
}

/// A closed pipe (`… | head`) is not an error: the reader has what it wanted.
fn stdout_result(written: std::io::Result<()>) -> Result<()> {
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::write("标准输出", e)),
        _ => Ok(()),
    }
}

/// Prints `json` (pretty, one trailing newline) or the text `text` makes,
/// as `--format` says.
fn print_as<T: serde::Serialize + ?Sized>(
    format: Format,
    json: &T,
    text: impl FnOnce() -> String,
) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let written = match format {
        Format::Json => serde_json::to_writer_pretty(&mut out, json)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(out)),
        Format::Text => out.write_all(text().as_bytes()),
    };
    stdout_result(written)
}

/// The quarter `--period` names (or the latest), run through every stage
/// without writing anything and without earlier reports to compare with.
fn run_period(input: &InputArgs, period: &PeriodArg) -> Result<crate::pipeline::Run> {
    let folder = scan_returns(&input.returns)?;
    let period = chosen_period(period.period, input, &folder)?;
    report::run_quarter(input, &folder, period, None, Vec::new())
}

/// The returns folder, which must exist.
fn scan_returns(dir: &std::path::Path) -> Result<ReturnsFolder> {
    if !dir.is_dir() {
        return Err(Error::Input(format!(
            "找不到报表目录 {}（可用 --returns 指定）",
            dir.display()
        )));
    }
    ReturnsFolder::scan(dir)
}

/// `--period`, or the latest quarter in the returns folder.
fn chosen_period(
    period: Option<Period>,
    input: &InputArgs,
    folder: &ReturnsFolder,
) -> Result<Period> {
    match period {
        Some(p) => Ok(p),
        None => folder.latest().ok_or_else(|| {
            Error::Input(format!(
                "报表目录 {} 中没有报告期子目录（应为 2026Q3 这样的目录名）",
                input.returns.display()
            ))
        }),
    }
}
