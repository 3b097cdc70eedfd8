//! `shuanggao report`: runs the quarter through every stage and writes the
//! report folder (workbook, data files, charts, brief, feedback).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{chosen_period, scan_returns, InputArgs, PeriodArg};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::ReturnsFolder;
use crate::model::Period;
use crate::pipeline::Run;
use crate::render::{fonts::Fonts, pages::Pages, RenderOptions};
use crate::report::{Basis, Report, Role, TargetStatus};
use crate::validate;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub period: PeriodArg,
    /// 输出目录（报告写入 <目录>/<报告期>/）
    #[arg(long, value_name = "目录", default_value = "reports")]
    pub out: PathBuf,
    /// 不生成 PDF 简报
    #[arg(long)]
    pub no_pdf: bool,
    /// 简报模板（.typ 文件；默认使用内置模板 assets/brief.typ）
    #[arg(long, value_name = "文件")]
    pub template: Option<PathBuf>,
    /// 字体目录（默认使用内置的思源黑体 Noto Sans CJK SC）
    #[arg(long, value_name = "目录")]
    pub font_dir: Option<PathBuf>,
    /// 只生成全省简报，不生成分市、分区简报
    #[arg(long, conflicts_with_all = ["city", "zone"])]
    pub only_province: bool,
    /// 只生成这些设区市的分市简报（可重复，如 --city 苏州市）
    #[arg(long, value_name = "市")]
    pub city: Vec<String>,
    /// 只生成这些高新区的分区简报（名称或代码，可重复）
    #[arg(long, value_name = "高新区")]
    pub zone: Vec<String>,
}

pub fn run(args: &Args) -> Result<i32> {
    let options = render_options(args)?;
    let folder = scan_returns(&args.input.returns)?;
    let period = chosen_period(args.period.period, &args.input, &folder)?;
    let config = Config::load(&args.input.config.config)?;
    let bar = progress_bar(&folder, period);
    let progress = |stage: Stage| {
        if let Stage::Reading(p) = stage {
            bar.set_position(p.done as u64);
            bar.set_message(p.period.to_string());
        }
    };
    let job = Job {
        config: &config,
        returns: &args.input.returns,
        folder: &folder,
        period,
        out: &args.out,
        options,
        pages: PageChoice {
            only_province: args.only_province,
            cities: args.city.clone(),
            zones: args.zone.clone(),
        },
    };
    let (run, target) = write_quarter(job, &progress)?;
    bar.finish_and_clear();
    print!("{}", summary(&run.report, &target));
    // The process ends here: the system takes the memory back at once,
    // faster than freeing the quarter's returns piece by piece.
    std::mem::forget(run);
    Ok(0)
}

/// The city and zone pages wanted (`--only-province`, `--city`, `--zone`).
#[derive(Debug, Clone, Default)]
pub struct PageChoice {
    pub only_province: bool,
    pub cities: Vec<String>,
    pub zones: Vec<String>,
}

/// Where a run of the quarter's report stands.
#[derive(Debug, Clone, Copy)]
pub enum Stage {
    /// Reading and checking the returns, quarter by quarter.
    Reading(validate::Progress),
    /// Totals done; laying out the workbook, charts and brief.
    Rendering,
}

/// One quarter's report to write: what `report` is given on the command
/// line, and what the portal's 运行季度报告 gives.
pub struct Job<'a> {
    pub config: &'a Config,
    /// The returns folder as named (the manifest records it).
    pub returns: &'a Path,
    pub folder: &'a ReturnsFolder,
    pub period: Period,
    /// Reports go to `<out>/<P>/`, swapped in atomically.
    pub out: &'a Path,
    pub options: RenderOptions,
    pub pages: PageChoice,
}

/// Runs the quarter through every stage and writes its report folder, as
/// `report` does (the command and the portal both call this); `progress`
/// hears each stage. Returns the run and the folder written.
pub fn write_quarter(job: Job, progress: &(dyn Fn(Stage) + Sync)) -> Result<(Run, PathBuf)> {
    let published = published_facts(job.out, job.folder, job.period);
    let reading = |p: validate::Progress| progress(Stage::Reading(p));
    let run = run_loaded(
        job.config,
        job.returns,
        job.folder,
        job.period,
        Some(&reading),
        published,
    )?;
    progress(Stage::Rendering);
    let options = RenderOptions {
        pages: chosen_pages(&job.pages, &run.report)?,
        ..job.options
    };
    let target = crate::render::write_report(&run.report, &run.timings, job.out, &options)?;
    Ok((run, target))
}

/// Fonts, template and whether to make the PDF, checked before the run.
fn render_options(args: &Args) -> Result<RenderOptions> {
    let mut options = RenderOptions {
        pdf: !args.no_pdf,
        ..Default::default()
    };
    if let Some(dir) = &args.font_dir {
        options.fonts = Fonts::from_dir(dir)?;
    }
    if let Some(path) = &args.template {
        options.template = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
    }
    Ok(options)
}

/// The city and zone pages asked for; a name that is no city or zone is
/// an error, so a typo does not silently write nothing.
fn chosen_pages(args: &PageChoice, report: &Report) -> Result<Pages> {
    if args.only_province {
        return Ok(Pages::None);
    }
    if args.cities.is_empty() && args.zones.is_empty() {
        return Ok(Pages::All);
    }
    let cities: Vec<&str> = report.cities.iter().map(|c| c.city.as_str()).collect();
    if let Some(unknown) = args.cities.iter().find(|c| !cities.contains(&c.as_str())) {
        return Err(Error::Input(format!(
            "--city：名录中没有设区市“{unknown}”（可选：{}）",
            cities.join("、")
        )));
    }
    let known = |z: &String| {
        report
            .zones
            .iter()
            .any(|r| &r.name == z || r.code.as_str() == z)
    };
    if let Some(unknown) = args.zones.iter().find(|z| !known(z)) {
        return Err(Error::Input(format!(
            "--zone：名录中没有高新区“{unknown}”（可写名称或代码，见 inputs/config/registry.toml）"
        )));
    }
    Ok(Pages::Only {
        cities: args.cities.clone(),
        zones: args.zones.clone(),
    })
}

/// A progress bar over the files to read, shown when there are many.
fn progress_bar(folder: &ReturnsFolder, period: Period) -> indicatif::ProgressBar {
    let total: usize = folder.periods.range(..=period).map(|(_, f)| f.len()).sum();
    let bar = if total >= 50 {
        indicatif::ProgressBar::new(total as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("读取报表 {bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// The latest earlier report published in `out` (its `facts.csv`), for
/// 数据修订: the command layer reads it, the report stage compares. A
/// file that cannot be read or parsed is said on stderr and passed over
/// (the one before it is used), never guessed at.
fn published_facts(
    out: &Path,
    folder: &ReturnsFolder,
    period: Period,
) -> Vec<crate::report::PublishedFacts> {
    for p in folder.periods.keys().rev().filter(|p| **p < period) {
        let path = out.join(p.to_string()).join("facts.csv");
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        match crate::render::data::parse_facts_csv(*p, &bytes) {
            Ok(facts) => return vec![facts],
            Err(e) => eprintln!(
                "shuanggao：已发布的 {} 无法读取（{e}），未用于数据修订",
                path.display()
            ),
        }
    }
    Vec::new()
}

/// Runs the quarter as `report` does, without writing anything;
/// `published`: earlier reports to compare with (数据修订).
pub(super) fn run_quarter(
    input: &InputArgs,
    folder: &ReturnsFolder,
    period: Period,
    progress: Option<&(dyn Fn(validate::Progress) + Sync)>,
    published: Vec<crate::report::PublishedFacts>,
) -> Result<Run> {
    let config = Config::load(&input.config.config)?;
    run_loaded(&config, &input.returns, folder, period, progress, published)
}

/// [`run_quarter`] with the configuration loaded.
fn run_loaded(
    config: &Config,
    returns: &Path,
    folder: &ReturnsFolder,
    period: Period,
    progress: Option<&(dyn Fn(validate::Progress) + Sync)>,
    published: Vec<crate::report::PublishedFacts>,
) -> Result<Run> {
    let settings: BTreeMap<String, String> = [
        ("配置目录", config.dir.display().to_string()),
        ("报表目录", returns.display().to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let options = validate::Options { progress };
    crate::pipeline::run_with(config, folder, period, settings, options, published)
}

/// The short Chinese summary `report` prints.
pub fn summary(r: &Report, target: &Path) -> String {
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
    s += &format!(
        "高新区：本期 {}，沿用上期 {}{}，无数据 {}{}\n",
        c.zones_fresh,
        c.zones_carried,
        zone_names(r, Basis::Carried),
        c.zones_without_data,
        zone_names(r, Basis::NoData)
    );
    s += &format!("全省累计：{}\n", headlines(r));
    s += &targets_line(r);
    s += &format!("报告已写入 {}/\n", target.display());
    s
}

/// `（甲、乙）`: the zones whose figures have the basis; empty when none.
fn zone_names(r: &Report, basis: Basis) -> String {
    let names: Vec<&str> = r
        .zones
        .iter()
        .filter(|z| z.basis == basis)
        .map(|z| z.name.as_str())
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!("（{}）", names.join("、"))
    }
}

/// `合作研发项目 342 个，…`: the headline indicators, amounts in their
/// display unit.
fn headlines(r: &Report) -> String {
    r.with_role(Role::Headline)
        .map(|i| {
            let value = r.headline(&i.code).map_or(0.0, |h| h.figure.value);
            let scale = i.scale();
            format!("{} {} {}", i.name, scale.text(value), scale.unit)
        })
        .collect::<Vec<_>>()
        .join("，")
}

/// `2027 目标：已达成 n，正常 n，关注 n，滞后 n（滞后：…）`.
fn targets_line(r: &Report) -> String {
    let count = |st: TargetStatus| r.targets.iter().filter(|t| t.status == st).count();
    let counts: Vec<String> = TargetStatus::ALL
        .iter()
        .map(|st| format!("{} {}", st.label_zh(), count(*st)))
        .collect();
    let behind: Vec<String> = r
        .targets
        .iter()
        .filter(|t| t.status == TargetStatus::Behind)
        .map(|t| format!("{}·{}", t.scope.label_zh(), t.name))
        .collect();
    let behind = if behind.is_empty() {
        String::new()
    } else {
        format!("（滞后：{}）", behind.join("、"))
    };
    format!("2027 目标：{}{behind}\n", counts.join("，"))
}
