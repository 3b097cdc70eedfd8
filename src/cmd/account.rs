//! `shuanggao account`: the portal's accounts (add, list, disable, reset,
//! token) and the audit log's export. A password or token is printed once,
//! alone on the last line of standard output; the database keeps only its
//! hash.

use std::path::PathBuf;

use super::ConfigArgs;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::serve::auth::password;
use crate::serve::store::{accounts, audit, sessions, Account, AuditRow, Scope, Store};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

/// Where the accounts are: the same `--config` and `--data` as `serve`.
#[derive(Debug, clap::Args)]
pub struct Place {
    #[command(flatten)]
    pub config: ConfigArgs,
    /// 数据目录（与 serve 的 --data 相同）
    #[arg(long, value_name = "目录", default_value = "data")]
    pub data: PathBuf,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// 开设账户，打印一次性密码（首次登录须修改）
    Add(Add),
    /// 列出全部账户
    List(Place),
    /// 停用账户：其会话和 API 令牌立即失效
    Disable(Named),
    /// 重置密码：打印新的一次性密码，解除锁定，结束其会话
    Reset(Named),
    /// 发放 API 令牌（替换原有令牌），打印在最后一行
    Token(Named),
    /// 导出审计日志（CSV）：登录、上传、下载、情况说明、账户变更
    Audit(AuditArgs),
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("scope").required(true).args(["zone", "city", "province"])))]
pub struct Add {
    #[command(flatten)]
    pub place: Place,
    /// 登录名
    #[arg(long, value_name = "登录名")]
    pub user: String,
    /// 姓名
    #[arg(long, value_name = "姓名")]
    pub name: String,
    /// 高新区填报员：高新区名称或代码
    #[arg(long, value_name = "高新区")]
    pub zone: Option<String>,
    /// 设区市审核员：设区市名称
    #[arg(long, value_name = "设区市")]
    pub city: Option<String>,
    /// 省级管理员
    #[arg(long)]
    pub province: bool,
}

#[derive(Debug, clap::Args)]
pub struct Named {
    #[command(flatten)]
    pub place: Place,
    /// 登录名
    #[arg(value_name = "登录名")]
    pub user: String,
}

#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub place: Place,
    /// 从此日起（含），如 2026-10-01
    #[arg(long, value_name = "日期")]
    pub since: chrono::NaiveDate,
}

impl Action {
    pub fn place(&self) -> &Place {
        match self {
            Action::Add(a) => &a.place,
            Action::List(p) => p,
            Action::Disable(n) | Action::Reset(n) | Action::Token(n) => &n.place,
            Action::Audit(a) => &a.place,
        }
    }
}

pub fn run(args: &Args) -> Result<i32> {
    let place = args.action.place();
    let config = Config::load(&place.config.config)?;
    let store = Store::open(&place.data)?;
    match &args.action {
        Action::Add(a) => add(&config, &store, a),
        Action::List(_) => list(&config, &store),
        Action::Disable(n) => disable(&config, &store, &n.user),
        Action::Reset(n) => reset(&config, &store, &n.user),
        Action::Token(n) => token(&config, &store, &n.user),
        Action::Audit(a) => export(&store, a.since),
    }
}

fn db(e: rusqlite::Error) -> Error {
    Error::Input(format!("数据库：{e}"))
}

fn add(config: &Config, store: &Store, a: &Add) -> Result<i32> {
    let user = a.user.trim();
    let valid = (2..=32).contains(&user.chars().count())
        && user
            .chars()
            .all(|c| c.is_alphanumeric() || "_-.".contains(c));
    if !valid {
        return Err(Error::Input(format!(
            "登录名“{user}”不可用：应为 2–32 个字母、数字或 _ - .（可用汉字）"
        )));
    }
    let scope = scope(config, a)?;
    if store
        .with(|c| accounts::by_name(c, user))
        .map_err(db)?
        .is_some()
    {
        return Err(Error::Input(format!("登录名“{user}”已存在")));
    }
    let pw = password::one_time();
    let hash = password::hash(&pw).map_err(Error::Input)?;
    store
        .with(|c| accounts::insert(c, user, a.name.trim(), &scope, &hash, false))
        .map_err(db)?;
    record(store, "account.add", user, Some(&scope))?;
    println!(
        "已开设账户 {user}（{}，{}）。请把下面的一次性密码交给本人，首次登录须设置新密码。",
        a.name.trim(),
        scope.label_zh(config)
    );
    println!("{pw}");
    Ok(0)
}

fn scope(config: &Config, a: &Add) -> Result<Scope> {
    if let Some(z) = &a.zone {
        let zone = config
            .registry
            .zone(z)
            .or_else(|| config.registry.zone_by_text(z))
            .ok_or_else(|| Error::Input(format!("registry.toml 中没有高新区“{z}”")))?;
        return Ok(Scope::Zone(zone.code.to_string()));
    }
    if let Some(c) = &a.city {
        if !config.registry.zones.iter().any(|z| &z.city == c) {
            return Err(Error::Input(format!(
                "registry.toml 中没有属于“{c}”的高新区（设区市应写全称，如 无锡市）"
            )));
        }
        return Ok(Scope::City(c.clone()));
    }
    Ok(Scope::Province)
}

fn list(config: &Config, store: &Store) -> Result<i32> {
    let all = store.with(|c| accounts::all(c)).map_err(db)?;
    println!("登录名\t姓名\t角色\t状态\t开设时间");
    for a in &all {
        println!(
            "{}\t{}\t{}\t{}\t{}",
            a.username,
            a.name,
            a.scope.label_zh(config),
            state(a),
            crate::serve::pages::when(a.created_at)
        );
    }
    println!("共 {} 个账户", all.len());
    Ok(0)
}

fn state(a: &Account) -> String {
    let now = crate::serve::store::now();
    let mut s = vec![];
    if a.disabled {
        s.push("已停用".to_string());
    }
    if a.locked_until.is_some_and(|u| u > now) {
        s.push("已锁定".into());
    }
    if a.must_change {
        s.push("待修改初始密码".into());
    }
    if a.demo {
        s.push("示例".into());
    }
    if s.is_empty() {
        "正常".into()
    } else {
        s.join("、")
    }
}

fn named(store: &Store, user: &str) -> Result<Account> {
    store
        .with(|c| accounts::by_name(c, user))
        .map_err(db)?
        .ok_or_else(|| Error::Input(format!("没有登录名为“{user}”的账户")))
}

fn disable(config: &Config, store: &Store, user: &str) -> Result<i32> {
    let a = named(store, user)?;
    store.with(|c| accounts::disable(c, a.id)).map_err(db)?;
    record(store, "account.disable", user, Some(&a.scope))?;
    println!(
        "已停用账户 {user}（{}）：其登录会话和 API 令牌已失效。",
        a.scope.label_zh(config)
    );
    Ok(0)
}

fn reset(config: &Config, store: &Store, user: &str) -> Result<i32> {
    let a = named(store, user)?;
    let pw = password::one_time();
    let hash = password::hash(&pw).map_err(Error::Input)?;
    store
        .with(|c| {
            accounts::set_password(c, a.id, &hash, true)?;
            sessions::delete_all(c, a.id)
        })
        .map_err(db)?;
    record(store, "account.reset", user, Some(&a.scope))?;
    println!(
        "已重置账户 {user}（{}）的密码并解除锁定，原有登录已结束。新的一次性密码（首次登录须修改）：",
        a.scope.label_zh(config)
    );
    println!("{pw}");
    Ok(0)
}

fn token(config: &Config, store: &Store, user: &str) -> Result<i32> {
    let a = named(store, user)?;
    if a.disabled {
        return Err(Error::Input(format!("账户 {user} 已停用，不能发放令牌")));
    }
    let token = password::random_hex();
    store
        .with(|c| accounts::set_token(c, a.id, &password::fingerprint(&token)))
        .map_err(db)?;
    record(store, "account.token", user, Some(&a.scope))?;
    println!(
        "已为 {user}（{}）发放 API 令牌（原有令牌失效）。请求时加请求头 Authorization: Bearer <令牌>：",
        a.scope.label_zh(config)
    );
    println!("{token}");
    Ok(0)
}

/// The command line's own audit row: who ran it is the operating system's
/// user.
fn record(store: &Store, action: &str, user: &str, scope: Option<&Scope>) -> Result<()> {
    let operator = std::env::var("USER").unwrap_or_else(|_| "命令行".into());
    let row = AuditRow {
        at: crate::serve::store::now(),
        username: Some(format!("{operator}（命令行）")),
        zone: scope.and_then(|s| s.zone()).map(str::to_string),
        address: Some("本机".into()),
        action: action.into(),
        target: Some(user.into()),
        outcome: "ok".into(),
    };
    store.with(|c| audit::insert(c, &row)).map_err(db)
}

fn export(store: &Store, since: chrono::NaiveDate) -> Result<i32> {
    use chrono::TimeZone;
    let start = since
        .and_hms_opt(0, 0, 0)
        .and_then(|t| chrono::Local.from_local_datetime(&t).earliest())
        .map(|t| t.timestamp())
        .unwrap_or(0);
    let rows = store.with(|c| audit::since(c, start)).map_err(db)?;
    let mut out = csv::Writer::from_writer(std::io::stdout().lock());
    let io = |e: csv::Error| Error::Input(format!("写出审计日志失败：{e}"));
    out.write_record(["时间", "账户", "高新区", "地址", "操作", "对象", "结果"])
        .map_err(io)?;
    for r in &rows {
        let time = chrono::Local
            .timestamp_opt(r.at, 0)
            .single()
            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default();
        out.write_record([
            time.as_str(),
            r.username.as_deref().unwrap_or(""),
            r.zone.as_deref().unwrap_or(""),
            r.address.as_deref().unwrap_or(""),
            &r.action,
            r.target.as_deref().unwrap_or(""),
            &r.outcome,
        ])
        .map_err(io)?;
    }
    out.flush().map_err(|e| Error::write("标准输出", e))?;
    Ok(0)
}
