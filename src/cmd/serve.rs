//! `shuanggao serve`: the portal (src/serve/). Zone clerks log in, upload
//! their return and see its check at once; scripts use the JSON API.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use super::{InputArgs, PeriodArg};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::ReturnsFolder;
use crate::model::Period;
use crate::serve::auth::password;
use crate::serve::limits::Limits;
use crate::serve::store::{accounts, Scope, Store};
use crate::serve::{LogSink, Settings};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    /// 数据目录：账户、会话、报送记录和审计日志（SQLite）
    #[arg(long, value_name = "目录", default_value = "data")]
    pub data: PathBuf,
    /// 监听地址
    #[arg(long, value_name = "地址", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub period: PeriodArg,
    /// TLS 证书链（PEM）；与 --tls-key 一起使用即以 HTTPS 提供服务
    #[arg(long, value_name = "文件", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// TLS 私钥（PEM）
    #[arg(long, value_name = "文件", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// 在 HTTPS 反向代理之后运行：Cookie 标记 Secure，客户端地址取 X-Forwarded-For
    #[arg(long)]
    pub behind_proxy: bool,
    /// 每个账户每分钟最多上传次数
    #[arg(long, value_name = "次数", default_value_t = 10)]
    pub uploads_per_minute: usize,
    /// 演示：复制示例报表到数据目录，创建示例账户（示例）并打印其密码
    #[arg(long)]
    pub demo: bool,
}

pub fn run(args: &Args) -> Result<i32> {
    let config = Config::load(&args.input.config.config)?;
    let (returns, data) = if args.demo {
        demo_folders(args)?
    } else {
        (args.input.returns.clone(), args.data.clone())
    };
    let period = open_period(args.period.period, &returns, args.demo)?;
    let settings = Settings {
        returns,
        data,
        period,
        tls: args.tls_cert.clone().zip(args.tls_key.clone()),
        secure_cookies: args.tls_cert.is_some() || args.behind_proxy,
        trust_proxy: args.behind_proxy,
        demo: args.demo,
        limits: Limits {
            uploads_per_minute: args.uploads_per_minute,
            ..Limits::default()
        },
        today: None,
        log: LogSink::Stderr,
    };
    if args.demo {
        demo_accounts(&config, &settings.data)?;
    }
    let listener = std::net::TcpListener::bind(args.addr)
        .map_err(|e| Error::Input(format!("无法监听 {}：{e}", args.addr)))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("shuanggao-serve")
        .build()
        .map_err(|e| Error::Input(format!("无法启动服务：{e}")))?;
    runtime.block_on(async move {
        let scheme = if settings.tls.is_some() { "https" } else { "http" };
        let (returns, data) = (settings.returns.clone(), settings.data.clone());
        let running = crate::serve::start(config, settings, listener).await?;
        eprintln!(
            "双高协同季度报送门户已启动：{scheme}://{}/\n收取 {period}（{}）的报表；报表目录 {}，数据目录 {}。按 Ctrl+C 停止。",
            running.addr,
            period.label_zh(),
            returns.display(),
            data.display()
        );
        let _ = tokio::signal::ctrl_c().await;
        running.stop();
        eprintln!("已停止。");
        Ok(0)
    })
}

/// `--period`, else the quarter that ended last (by today's date), or a
/// later quarter already in the folder; with `--demo`, the folder's latest.
fn open_period(asked: Option<Period>, returns: &Path, demo: bool) -> Result<Period> {
    if let Some(p) = asked {
        return Ok(p);
    }
    let latest = if returns.is_dir() {
        ReturnsFolder::scan(returns)?.latest()
    } else {
        None
    };
    let ended = Period::of_date(chrono::Local::now().date_naive()).prev();
    Ok(match latest {
        Some(l) if demo || l > ended => l,
        _ => ended,
    })
}

/// The demo's own copy of the returns (uploads never touch the shipped
/// sample) and its own database, under `<data>/示例/`.
fn demo_folders(args: &Args) -> Result<(PathBuf, PathBuf)> {
    let data = args.data.join("示例");
    let returns = data.join("报表");
    if !returns.is_dir() {
        copy_dir(&args.input.returns, &returns)?;
    }
    Ok((returns, data))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|e| Error::write(to, e))?;
    let entries = std::fs::read_dir(from).map_err(|e| Error::Read {
        path: from.to_path_buf(),
        source: e,
    })?;
    for entry in entries.flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| Error::write(&target, e))?;
        }
    }
    Ok(())
}

/// One clerk per zone, a reviewer per city and one of the province, all
/// marked 示例, with fresh passwords printed at every start.
fn demo_accounts(config: &Config, data: &Path) -> Result<()> {
    let store = Store::open(data)?;
    let mut wanted: Vec<(String, String, Scope)> = config
        .registry
        .zones
        .iter()
        .map(|z| {
            (
                format!("demo-{}", z.code.to_lowercase()),
                format!("示例·{}填报员", z.name),
                Scope::Zone(z.code.to_string()),
            )
        })
        .collect();
    // A reviewer per city (审核 by level), numbered in registry order.
    let mut cities: Vec<&str> = Vec::new();
    for z in &config.registry.zones {
        if !cities.contains(&z.city.as_str()) {
            cities.push(&z.city);
        }
    }
    for (i, city) in cities.iter().enumerate() {
        wanted.push((
            format!("demo-city{}", i + 1),
            format!("示例·{city}审核员"),
            Scope::City(city.to_string()),
        ));
    }
    wanted.push((
        "demo-province".into(),
        "示例·省科技厅".into(),
        Scope::Province,
    ));
    println!("示例账户（示例数据，仅供演示；密码每次启动重新生成，只在 --demo 下可用）：");
    for (user, name, scope) in wanted {
        let pw = password::one_time();
        let hash = password::hash(&pw).map_err(Error::Input)?;
        let db = |e: rusqlite::Error| Error::Input(format!("数据库：{e}"));
        store
            .with(|c| match accounts::by_name(c, &user)? {
                Some(a) => accounts::set_password(c, a.id, &hash, false),
                None => accounts::insert(c, &user, &name, &scope, &hash, true).map(|_| ()),
            })
            .map_err(db)?;
        println!("  {}  登录名 {user}  密码 {pw}", name);
    }
    Ok(())
}
