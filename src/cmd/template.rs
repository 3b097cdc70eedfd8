//! `shuanggao template`: one return template per zone for the next quarter,
//! prefilled from the zone's last accepted return.

use std::path::{Path, PathBuf};

use super::{scan_returns, InputArgs};
use crate::config::{Config, Zone};
use crate::error::{Error, Result};
use crate::model::{Period, Return};
use crate::validate;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    /// 模板的报告期，如 2026Q4（默认：报表目录中最新一期的下一期）
    #[arg(long, value_name = "报告期")]
    pub period: Option<Period>,
    /// 只生成这些高新区（代码、名称或别名，可重复；默认：名单中的全部高新区）
    #[arg(long = "zone", value_name = "高新区", num_args = 1..)]
    pub zones: Vec<String>,
    /// 输出目录（默认：reports/模板/<报告期>/）
    #[arg(long, value_name = "目录")]
    pub out: Option<PathBuf>,
}

/// One template per zone: `<out>/<高新区>_<P>_季度报表.xlsx`, prefilled from
/// the zone's last accepted return before the quarter.
pub fn run(args: &Args) -> Result<i32> {
    let config = Config::load(&args.input.config.config)?;
    let zones = chosen_zones(&config, &args.zones)?;
    let folder = scan_returns(&args.input.returns)?;
    let period = match args.period {
        Some(p) => p,
        None => folder.latest().map(Period::next).ok_or_else(|| {
            Error::Input(format!(
                "报表目录 {} 中没有报告期子目录，无法推断下一期；请用 --period 指定，如 --period 2025Q3",
                args.input.returns.display()
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
        lines.push(format!(
            "  {}  {}\n",
            file.file_name().unwrap_or_default().to_string_lossy(),
            prefill_note(period, last)
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

/// The zones asked for (by code, name or alias), or every registry zone.
fn chosen_zones<'c>(config: &'c Config, asked: &[String]) -> Result<Vec<&'c Zone>> {
    let mut zones: Vec<&Zone> = Vec::new();
    for text in asked {
        let zone = config.registry.zone_by_text(text).ok_or_else(|| {
            Error::Input(format!(
                "未知的高新区“{text}”：不在高新区名单中（可用代码、规范名称或别名，如“{}”）",
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
    Ok(zones)
}

/// What a template was prefilled from.
fn prefill_note(period: Period, last: Option<(Period, &Return)>) -> String {
    match last {
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
    }
}
