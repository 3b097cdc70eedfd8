//! `shuanggao sample`: writes the synthetic sample returns (示例数据).

use std::path::PathBuf;

use super::ConfigArgs;
use crate::config::Config;
use crate::error::{Error, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub config: ConfigArgs,
    /// 输出目录
    #[arg(long, value_name = "目录", default_value = "inputs/returns")]
    pub out: PathBuf,
    /// 生成多少个季度（从 2025Q3 起；默认 5 个季度，即随仓库提供的示例；更多季度用于规模测试）。名单中每个高新区从其批次加入的季度起生成
    #[arg(long, value_name = "季度数", default_value_t = crate::sample::SHIPPED_QUARTERS, value_parser = clap::value_parser!(usize))]
    pub quarters: usize,
}

pub fn run(args: &Args) -> Result<i32> {
    let config = Config::load(&args.config.config)?;
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
