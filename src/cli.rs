//! The command line: `check`, `sample` (and later `report`). Messages are in
//! Chinese; exit codes: 0 no errors, 1 some return has an error, 2 could
//! not run.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::{InputFile, ReturnsFolder};
use crate::model::{Period, Severity};
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
    /// 生成季度报告：汇总、目标进度、报告工作簿与数据文件
    Report(ReportArgs),
    /// 校验各高新区报送的季度报表，逐单元格列出问题
    Check(CheckArgs),
    /// 报送情况：每个高新区已报送 / 迟报 / 退回修改 / 未报送
    Status(StatusArgs),
    /// 生成各高新区的季度报表模板（含下拉选项、保护和上季度数据）
    Template(TemplateArgs),
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
    /// 同时读取报表的线程数（默认：全部 CPU 核心；也可用环境变量 SHUANGGAO_THREADS）
    #[arg(
        short = 'j',
        long = "threads",
        value_name = "N",
        env = "SHUANGGAO_THREADS"
    )]
    pub threads: Option<usize>,
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
    /// 同时为每份有问题的报表生成问题反馈工作簿，写入此目录
    #[arg(long, value_name = "DIR")]
    pub feedback: Option<PathBuf>,
    /// 只校验这些文件（默认：报告期目录中的全部文件）
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// 输出目录（报告写入 <DIR>/<报告期>/）
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub out: PathBuf,
    /// 不生成 PDF 简报
    #[arg(long)]
    pub no_pdf: bool,
    /// 简报模板（.typ 文件；默认使用内置模板 assets/brief.typ）
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// 字体目录（默认使用内置的思源黑体 Noto Sans CJK SC）
    #[arg(long, value_name = "DIR")]
    pub font_dir: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// 输出格式
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct TemplateArgs {
    /// 配置目录
    #[arg(long, value_name = "DIR", default_value = "inputs/config")]
    pub config: PathBuf,
    /// 报表目录（从中找出各高新区上次已采用的报表，用于预填）
    #[arg(long, value_name = "DIR", default_value = "inputs/returns")]
    pub returns: PathBuf,
    /// 模板的报告期，如 2026Q4（默认：报表目录中最新一期的下一期）
    #[arg(long, value_name = "P")]
    pub period: Option<Period>,
    /// 只生成这些高新区（代码、名称或别名，可重复；默认：名单中的全部高新区）
    #[arg(long = "zone", value_name = "Z", num_args = 1..)]
    pub zones: Vec<String>,
    /// 输出目录（默认：reports/模板/<报告期>/）
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct SampleArgs {
    /// 配置目录
    #[arg(long, value_name = "DIR", default_value = "inputs/config")]
    pub config: PathBuf,
    /// 输出目录
    #[arg(long, value_name = "DIR", default_value = "inputs/returns")]
    pub out: PathBuf,
    /// 生成多少个季度（从 2025Q3 起；默认 5 个季度，即随仓库提供的示例；更多季度用于规模测试）
    #[arg(long, value_name = "N", default_value_t = crate::sample::SHIPPED_QUARTERS, value_parser = clap::value_parser!(usize))]
    pub quarters: usize,
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
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let threads = match &cli.command {
        Command::Report(a) => a.common.threads,
        Command::Check(a) => a.common.threads,
        Command::Status(a) => a.common.threads,
        Command::Template(_) | Command::Sample(_) => None,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .thread_name(|i| format!("shuanggao-{i}"))
        .build();
    let run = || match cli.command {
        Command::Report(args) => report(&args),
        Command::Check(args) => check(&args),
        Command::Status(args) => status(&args),
        Command::Template(args) => template(&args),
        Command::Sample(args) => sample(&args),
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
    stdout_result(written)?;
    if let Some(dir) = &args.feedback {
        let files = crate::render::feedback_files(&config, &check)?;
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

/// A closed pipe (`… | head`) is not an error: the reader has what it wanted.
fn stdout_result(written: std::io::Result<()>) -> Result<()> {
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::write("标准输出", e)),
        _ => Ok(()),
    }
}

/// The quarter's folder, checked with the history of every earlier quarter.
pub fn check_folder(config: &Config, common: &CommonArgs) -> Result<PeriodCheck> {
    let folder = scan_returns(&common.returns)?;
    let period = chosen_period(common, &folder)?;
    if !folder.periods.contains_key(&period) {
        return Err(Error::Input(format!(
            "报表目录 {} 中没有 {period} 的子目录",
            common.returns.display()
        )));
    }
    let mut last = None;
    validate::walk(config, &folder, period, Default::default(), |check, _| {
        if check.period == period {
            last = Some(check);
        }
    });
    last.ok_or_else(|| Error::Input(format!("没有 {period} 的报表")))
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
    validate::check_files(config, &inputs, common.period, folder.latest(), |p| {
        validate::history_before(config, &folder, p)
    })
    .ok_or_else(|| Error::Input("无法从文件中读出报告期，请用 --period 指定".into()))
}

/// `--period`, or the latest quarter in the returns folder.
fn chosen_period(common: &CommonArgs, folder: &ReturnsFolder) -> Result<Period> {
    match common.period {
        Some(p) => Ok(p),
        None => folder.latest().ok_or_else(|| {
            Error::Input(format!(
                "报表目录 {} 中没有报告期子目录（应为 2026Q3 这样的目录名）",
                common.returns.display()
            ))
        }),
    }
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
            f.place(),
            f.message.as_deref().unwrap_or_default()
        ));
    }
}

fn report(args: &ReportArgs) -> Result<i32> {
    let folder = scan_returns(&args.common.returns)?;
    let period = args.common.period.or(folder.latest());
    let total: usize = period.map_or(0, |p| {
        folder.periods.range(..=p).map(|(_, f)| f.len()).sum()
    });
    let bar = if total >= 50 {
        indicatif::ProgressBar::new(total as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("读取报表 {bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let progress = |p: validate::Progress| {
        bar.set_position(p.done as u64);
        bar.set_message(p.period.to_string());
    };
    let (config, run) = run_quarter(&args.common, Some(&progress))?;
    bar.finish_and_clear();
    let mut options = crate::render::RenderOptions {
        pdf: !args.no_pdf,
        ..Default::default()
    };
    if let Some(dir) = &args.font_dir {
        options.fonts = crate::render::fonts::Fonts::from_dir(dir)?;
    }
    if let Some(path) = &args.template {
        options.template = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
    }
    let target = crate::render::write_report(&config, &run, &args.out, &options)?;
    print!("{}", summary(&run.report, &target));
    // The process ends here: the system takes the memory back at once,
    // faster than freeing the quarter's returns piece by piece.
    std::mem::forget(run);
    Ok(0)
}

/// The short Chinese summary `report` prints.
pub fn summary(r: &crate::report::Report, target: &Path) -> String {
    use crate::report::{Basis, TargetStatus};
    let c = &r.counts;
    let mut s = format!(
        "双高协同季度报告 · {}{}\n",
        r.period.label_zh(),
        if r.is_sample {
            "（示例数据）"
        } else {
            ""
        }
    );
    s += &format!(
        "报表：读取 {} 个文件，采用 {}，退回修改 {}，已被取代 {}，无法读取 {}\n",
        c.files, c.returns_accepted, c.returns_sent_back, c.returns_superseded, c.files_unreadable
    );
    let names = |b: Basis| {
        let zs: Vec<&str> = r
            .zones
            .iter()
            .filter(|z| z.basis == b)
            .map(|z| z.name.as_str())
            .collect();
        if zs.is_empty() {
            String::new()
        } else {
            format!("（{}）", zs.join("、"))
        }
    };
    s += &format!(
        "高新区：本期 {}，沿用上期 {}{}，无数据 {}{}\n",
        c.zones_fresh,
        c.zones_carried,
        names(Basis::Carried),
        c.zones_without_data,
        names(Basis::NoData)
    );
    let figure = |code: &str| r.headline(code).map_or(0.0, |h| h.figure.value);
    s += &format!(
        "全省累计：合作研发项目 {} 个，共建产业创新平台 {} 个，合作经费 {:.2} 亿元，常驻园区师生 {} 人，服务企业 {} 家\n",
        crate::ingest::format_number(figure("SG01")),
        crate::ingest::format_number(figure("SG02")),
        figure("SG05") / 10_000.0,
        crate::ingest::format_number(figure("SG03")),
        crate::ingest::format_number(figure("SG04")),
    );
    let count = |st: TargetStatus| r.targets.iter().filter(|t| t.status == st).count();
    let behind: Vec<String> = r
        .targets
        .iter()
        .filter(|t| t.status == TargetStatus::Behind)
        .map(|t| format!("{}·{}", t.scope, t.name))
        .collect();
    s += &format!(
        "2027 目标：已达成 {}，正常 {}，关注 {}，滞后 {}{}\n",
        count(TargetStatus::Met),
        count(TargetStatus::OnTrack),
        count(TargetStatus::Watch),
        count(TargetStatus::Behind),
        if behind.is_empty() {
            String::new()
        } else {
            format!("（滞后：{}）", behind.join("、"))
        }
    );
    s += &format!("报告已写入 {}/\n", target.display());
    s
}

/// Runs the quarter as `report` does, without writing anything.
fn run_quarter(
    common: &CommonArgs,
    progress: Option<&(dyn Fn(validate::Progress) + Sync)>,
) -> Result<(Config, crate::pipeline::Run)> {
    let config = Config::load(&common.config)?;
    let folder = scan_returns(&common.returns)?;
    let period = chosen_period(common, &folder)?;
    let settings: std::collections::BTreeMap<String, String> = [
        ("配置目录", common.config.display().to_string()),
        ("报表目录", common.returns.display().to_string()),
        ("报告期", period.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let options = validate::Options { progress };
    let run = crate::pipeline::run(&config, &folder, period, settings, options)?;
    Ok((config, run))
}

fn status(args: &StatusArgs) -> Result<i32> {
    let (_, run) = run_quarter(&args.common, None)?;
    let r = &run.report;
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Json => serde_json::to_writer_pretty(&mut out, &r.submissions)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(out)),
        Format::Text => out.write_all(status_text(r).as_bytes()),
    };
    stdout_result(written)?;
    Ok(0)
}

/// 报送情况 as a table for the terminal, the zones to chase first.
pub fn status_text(r: &crate::report::Report) -> String {
    use crate::report::ReportingStatus as S;
    let mut rows: Vec<&crate::report::SubmissionStatus> = r.submissions.iter().collect();
    rows.sort_by_key(|x| x.status);
    let count = |st: S| r.submissions.iter().filter(|x| x.status == st).count();
    let mut s = format!(
        "报送情况 · {}：已报送 {}，迟报 {}，退回修改 {}，未报送 {}（截止日 {}）\n\n",
        r.period.label_zh(),
        count(S::Reported),
        count(S::Late),
        count(S::SentBack),
        count(S::Missing),
        r.deadline
    );
    s.push_str("高新区            状态      填报日期     错误  警告(待说明)  说明\n");
    for x in rows {
        let pad = |t: &str, w: usize| {
            let used = unicode_width::UnicodeWidthStr::width(t);
            format!("{t}{}", " ".repeat(w.saturating_sub(used)))
        };
        s.push_str(&format!(
            "{}{}{}{:>4}  {:>4}({})      {}\n",
            pad(&x.zone, 18),
            pad(x.status.label_zh(), 10),
            pad(
                &x.fill_date
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "—".into()),
                13
            ),
            x.errors,
            x.warnings,
            x.unexplained,
            x.reason
        ));
    }
    s
}

fn sample(args: &SampleArgs) -> Result<i32> {
    let config = Config::load(&args.config)?;
    if args.quarters == 0 || args.quarters > 400 {
        return Err(Error::Input(format!(
            "--quarters 应在 1 到 400 之间（收到 {}）",
            args.quarters
        )));
    }
    let written = crate::sample::write_all(&config, &args.out, args.quarters)?;
    let periods = crate::sample::sample_periods(args.quarters);
    println!(
        "已生成 {} 个示例报表（示例数据，{}–{}）到 {}",
        written,
        periods.first().map(|p| p.to_string()).unwrap_or_default(),
        periods.last().map(|p| p.to_string()).unwrap_or_default(),
        args.out.display()
    );
    Ok(0)
}

/// One template per zone: `<out>/<高新区>_<P>_季度报表.xlsx`, prefilled from
/// the zone's last accepted return before the quarter.
fn template(args: &TemplateArgs) -> Result<i32> {
    let config = Config::load(&args.config)?;
    let mut zones: Vec<&crate::config::Zone> = Vec::new();
    for text in &args.zones {
        let zone = config.registry.zone_by_text(text).ok_or_else(|| {
            Error::Input(format!(
                "未知的高新区“{text}”：不在试点高新区名单中（可用代码、规范名称或别名，如“{}”）",
                config.registry.closest_zone(text)
            ))
        })?;
        if !zones.iter().any(|z| z.code == zone.code) {
            zones.push(zone);
        }
    }
    if zones.is_empty() {
        zones = config.registry.zones.iter().collect();
    }
    let folder = scan_returns(&args.returns)?;
    let period = match args.period {
        Some(p) => p,
        None => folder.latest().map(Period::next).ok_or_else(|| {
            Error::Input(format!(
                "报表目录 {} 中没有报告期子目录，无法推断下一期；请用 --period 指定，如 --period 2025Q3",
                args.returns.display()
            ))
        })?,
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("reports").join("模板").join(period.to_string()));
    let history = validate::history_before(&config, &folder, period);
    let mut lines = Vec::new();
    for zone in &zones {
        let last = history.last(&zone.code);
        let file = out.join(format!("{}_{period}_季度报表.xlsx", zone.name));
        let bytes =
            crate::render::template::write_template(&config, zone, period, last.map(|(_, r)| r))
                .map_err(|e| Error::write(&file, e))?;
        crate::output::write_atomic(&file, &bytes)?;
        let basis = match last {
            Some((p, r)) => format!(
                "预填 {p} 已采用报表（项目 {} 个，平台 {} 个）{}",
                r.projects.len(),
                r.platforms.len(),
                if p == period.prev() {
                    String::new()
                } else {
                    format!("；{} 无已采用报表", period.prev())
                }
            ),
            None => "无已采用报表，空白模板".to_string(),
        };
        lines.push(format!(
            "  {}  {basis}\n",
            file.file_name().unwrap_or_default().to_string_lossy()
        ));
    }
    print!(
        "双高协同季度报表模板 · {}（{period}）\n已生成 {} 个模板到 {}/：\n{}",
        period.label_zh(),
        zones.len(),
        out.display(),
        lines.concat()
    );
    Ok(0)
}
