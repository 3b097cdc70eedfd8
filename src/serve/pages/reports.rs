//! 季度报告: run the open quarter's report from the portal (`runs`), watch
//! its stage, and download every file of every report published under
//! `<data>/reports/` — through one route that serves only regular files
//! inside a report folder.

use std::path::{Component, Path as FsPath, PathBuf};
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;

use super::layout::{badge, page_refreshing};
use super::province::{province_only, tabs};
use super::when;
use crate::model::Period;
use crate::serve::app::audit_row;
use crate::serve::auth::{Caller, PageCaller};
use crate::serve::fault::{Fault, Page};
use crate::serve::runs::{self, RunStage, RunState};
use crate::serve::App;

/// Seconds between the page's refreshes while a run goes on.
const REFRESH: u32 = 2;

/// `GET /province/reports`: the run (form or progress) and the reports
/// published.
pub async fn reports_page(
    State(app): State<Arc<App>>,
    PageCaller(caller): PageCaller,
) -> Result<Response, Page> {
    province_only(&caller)?;
    Ok(reports_view(&app, &caller, None).into_response())
}

fn reports_view(app: &App, caller: &Caller, busy: Option<&RunState>) -> Html<String> {
    let latest = app.runs.latest();
    let running = latest.as_ref().is_some_and(|r| !r.stage.finished());
    let published = published(&runs::reports_dir(app));
    let body = html! {
        (tabs("/province/reports"))
        h1 { "季度报告" }
        @if let Some(run) = busy {
            div.banner.tone-warn role="alert" #busy {
                strong { "已有一次季度报告正在运行" }
                p { (run.by) " 于 " (when(run.started_at)) " 开始运行 " (run.period) "，请等它完成后再运行。" }
            }
        }
        section.card #run {
            h2 { "运行本期季度报告（" (app.settings.period) "）" }
            p { "与命令 report 相同：读取、校验、汇总全部报表，生成报告工作簿、数据文件、图表、领导简报 PDF、一图读懂和分市、分区简报，写入数据目录下的 reports/" (app.settings.period) "/（完成后整体替换上一次的结果）。" }
            @if let Some(run) = &latest { (run_status(run)) }
            @if !running {
                form method="post" action="/province/reports/run" {
                    input type="hidden" name="_csrf" value=(caller.csrf());
                    label.check {
                        input type="checkbox" name="only_province" value="1";
                        " 只生成全省简报（不生成分市、分区简报，较快）"
                    }
                    div.actions { button.primary type="submit" { "运行季度报告" } }
                }
            }
        }
        section.card #published {
            h2 { "已发布的报告" }
            @if published.is_empty() { p.hint { "还没有发布过报告。" } }
            @for (period, files) in &published { (report_files(*period, files)) }
        }
    };
    let title = "季度报告";
    let who = Some((app, caller));
    page_refreshing(title, who, body, running.then_some(REFRESH))
}

fn run_status(run: &RunState) -> Markup {
    let secs = run.elapsed().as_secs();
    let elapsed = if secs >= 60 {
        format!("{} 分 {} 秒", secs / 60, secs % 60)
    } else if secs == 0 {
        "不到 1 秒".to_string()
    } else {
        format!("{secs} 秒")
    };
    html! {
        dl.facts #run-status {
            dt { "状态" } dd #run-stage { (badge(run.stage.label_zh(), run.stage.tone())) }
            dt { "报告期" } dd { (run.period) @if run.only_province { "（只生成全省简报）" } }
            dt { "开始" } dd { (when(run.started_at)) "，" (run.by) }
            dt { (if run.stage.finished() { "用时" } else { "已用时" }) } dd #run-elapsed { (elapsed) }
            @match &run.stage {
                RunStage::Checking { done, total } => { dt { "进度" } dd { "已读取 " (done) " / " (total) " 份报表" } }
                RunStage::Failed(why) => { dt { "原因" } dd.error { (why) } }
                _ => {}
            }
        }
        @if !run.stage.finished() { p.hint { "页面每 " (REFRESH) " 秒自动刷新。" } }
    }
}

/// One published report's files: the main ones listed, each folder
/// (图表, 分市简报, 分区简报, 反馈) folded under its name.
fn report_files(period: Period, files: &[(String, u64)]) -> Markup {
    let mut folders: Vec<(&str, Vec<&(String, u64)>)> = Vec::new();
    for f in files.iter().filter(|(name, _)| name.contains('/')) {
        let folder = f.0.split('/').next().unwrap_or_default();
        match folders.iter_mut().find(|(name, _)| *name == folder) {
            Some((_, list)) => list.push(f),
            None => folders.push((folder, vec![f])),
        }
    }
    // The brief, the workbook and 一图读懂 before the data files.
    let mut main: Vec<&(String, u64)> = files.iter().filter(|(n, _)| !n.contains('/')).collect();
    let order = |name: &str| match name.rsplit_once('.').map(|(_, e)| e) {
        Some("pdf") => 0,
        Some("xlsx") => 1,
        Some("png") => 2,
        _ => 3,
    };
    main.sort_by_key(|(name, _)| order(name));
    let link = |(name, bytes): &(String, u64)| {
        html! {
            li {
                a href={"/province/reports/" (period) "/" (encode_path(name))} { (name.rsplit('/').next().unwrap_or(name)) }
                " " span.hint { (size_text(*bytes)) }
            }
        }
    };
    html! {
        div.report {
            h3 { (period) "（" (period.label_zh()) "）" }
            ul.files { @for f in &main { (link(f)) } }
            @for (folder, list) in &folders {
                details.report {
                    summary { (if *folder == "charts" { "图表" } else { folder }) "（" (list.len()) " 个文件）" }
                    ul.files { @for f in list { (link(f)) } }
                }
            }
        }
    }
}

fn encode_path(name: &str) -> String {
    name.split('/')
        .map(super::url_encode)
        .collect::<Vec<_>>()
        .join("/")
}

fn size_text(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / (1 << 20) as f64)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// Every report folder `<P>/` in `dir`, the latest first, with its files
/// (relative paths, sizes): top-level files before those in folders.
fn published(dir: &FsPath) -> Vec<(Period, Vec<(String, u64)>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(Period, Vec<(String, u64)>)> = entries
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| Period::parse(&e.file_name().to_string_lossy()).map(|p| (p, e.path())))
        .map(|(p, path)| {
            let mut files = Vec::new();
            walk(&path, "", &mut files);
            files.sort_by(|a, b| (a.0.contains('/'), &a.0).cmp(&(b.0.contains('/'), &b.0)));
            (p, files)
        })
        .collect();
    out.sort_by_key(|r| std::cmp::Reverse(r.0));
    out
}

fn walk(dir: &FsPath, prefix: &str, files: &mut Vec<(String, u64)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        let rel = format!("{prefix}{name}");
        let Ok(meta) = e.metadata() else { continue };
        if meta.is_dir() {
            walk(&e.path(), &format!("{rel}/"), files);
        } else if meta.is_file() {
            files.push((rel, meta.len()));
        }
    }
}

#[derive(Deserialize)]
pub struct RunForm {
    #[serde(default, rename = "_csrf")]
    csrf: Option<String>,
    #[serde(default)]
    only_province: Option<String>,
}

/// `POST /province/reports/run`: starts the run, or says one is going
/// (409).
pub async fn run(
    State(app): State<Arc<App>>,
    PageCaller(caller): PageCaller,
    Form(form): Form<RunForm>,
) -> Result<Response, Page> {
    caller.check_csrf(form.csrf.as_deref())?;
    province_only(&caller)?;
    let only_province = form.only_province.is_some_and(|v| !v.is_empty());
    let target = Some(format!("季度报告 {}", app.settings.period));
    match runs::start(&app, &caller, only_province) {
        Ok(()) => {
            app.audit(audit_row(
                Some(&caller),
                None,
                "report.run",
                target,
                "started",
            ))?;
            Ok(Redirect::to("/province/reports").into_response())
        }
        Err(running) => {
            app.audit(audit_row(
                Some(&caller),
                None,
                "report.run",
                target,
                "refused: busy",
            ))?;
            let page = reports_view(&app, &caller, Some(&running));
            Ok((StatusCode::CONFLICT, page).into_response())
        }
    }
}

/// `GET /province/reports/{period}/{*file}`: a file of a published report.
/// Only a regular file inside `<data>/reports/<P>/`: the quarter must
/// parse, every part of the path must be a plain name (no `..`, no root,
/// no hidden file), and the resolved path must still lie inside the
/// folder (a symbolic link out is refused).
pub async fn download(
    State(app): State<Arc<App>>,
    PageCaller(caller): PageCaller,
    Path((period, file)): Path<(String, String)>,
) -> Result<Response, Page> {
    province_only(&caller)?;
    let period = Period::parse(&period).ok_or(Fault::NotFound)?;
    let folder = runs::reports_dir(&app).join(period.to_string());
    let path = inside(&folder, &file).ok_or(Fault::NotFound)?;
    let read = path.clone();
    let bytes = tokio::task::spawn_blocking(move || std::fs::read(read))
        .await
        .map_err(Fault::internal)?
        .map_err(|_| Fault::NotFound)?;
    app.audit(audit_row(
        Some(&caller),
        None,
        "download",
        Some(format!("季度报告 {period}/{file}")),
        "ok",
    ))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    Ok(super::download(&name, content_type(&name), bytes))
}

/// `file` (relative) inside `folder`, when it is a regular file there.
fn inside(folder: &FsPath, file: &str) -> Option<PathBuf> {
    let rel = FsPath::new(file);
    let plain = rel.components().all(|c| match c {
        Component::Normal(part) => !part.to_string_lossy().starts_with('.'),
        _ => false,
    });
    if file.is_empty() || !plain || file.contains('\\') {
        return None;
    }
    let root = folder.canonicalize().ok()?;
    let path = root.join(rel).canonicalize().ok()?;
    (path.starts_with(&root) && path.is_file()).then_some(path)
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, e)| e) {
        Some("pdf") => "application/pdf",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("csv") => "text/csv; charset=utf-8",
        Some("json") => "application/json",
        Some("md") | Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
