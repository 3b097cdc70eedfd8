//! The home page: a zone clerk's quarter (state, deadline, what to do
//! next, upload, this quarter's files, every earlier submission); for a
//! city reviewer or provincial staff, the zones they may see.

use std::sync::Arc;

use axum::extract::State;
use axum::response::{Html, Response};
use maud::{html, Markup};

use super::layout::{badge, page};
use super::when;
use crate::serve::app::audit_row;
use crate::serve::auth::{Caller, PageCaller};
use crate::serve::fault::{Fault, Page};
use crate::serve::state::ZoneQuarter;
use crate::serve::store::{submissions, LoggedSubmission};
use crate::serve::App;

pub async fn home(
    State(app): State<Arc<App>>,
    PageCaller(caller): PageCaller,
) -> Result<Html<String>, Page> {
    let body = match caller.account.scope.zone() {
        Some(zone) => zone_page(&app, &caller, zone, None).await?,
        None => overview(&app, &caller).await?,
    };
    Ok(page("首页", Some((&app, &caller)), body))
}

/// The zone's page; `refusal`: why the last upload was not taken.
pub async fn zone_page(
    app: &App,
    caller: &Caller,
    zone: &str,
    refusal: Option<&str>,
) -> Result<Markup, Fault> {
    let period = app.settings.period;
    let check = app.check(period).await?;
    let today = app.today();
    let deadline = app.config.calendar.deadline(period);
    let quarter = ZoneQuarter::of(&check, zone, deadline, today);
    let log = app.store.with(|c| submissions::of_zone(c, zone))?;
    let (now, earlier): (Vec<&LoggedSubmission>, Vec<&LoggedSubmission>) =
        log.iter().partition(|s| s.period == period.to_string());
    let limit_mb = app.config.form.limits.max_file_bytes as f64 / 1e6;
    Ok(html! {
        h1 { (app.zone_name(zone)) " · " (period.label_zh()) "报表" }
        @if let Some(why) = refusal {
            div.banner.tone-bad role="alert" {
                strong { "未予接收" }
                p { (why) }
            }
        }
        div.grid {
            section.card #state {
                h2 { "本期报送状态" }
                dl.facts {
                    dt { "报告期" } dd { (period) "（" (period.label_zh()) "）" }
                    dt { "报送截止日" } dd { (deadline) }
                    dt { "状态" } dd #zone-state { (badge(quarter.state.label_zh(), quarter.state.tone())) }
                    @if let Some(acc) = quarter.accepted {
                        dt { "已采用" } dd.file { (file_label(&acc.source.name)) }
                    }
                }
                p.next { (quarter.next_step(today)) }
                div.actions {
                    a.button.secondary href="/template.xlsx" { "下载本期报表模板" }
                }
                p.hint { "模板已填好本区名称和报告期，并预填上季度已采用的项目和平台。" }
            }
            section.card {
                h2 { "上传报表" }
                form #upload method="post" action="/returns" enctype="multipart/form-data" {
                    input type="hidden" name="_csrf" value=(caller.csrf());
                    div #drop {
                        p { "把报表文件拖到这里，或" }
                        input #file type="file" name="file" required
                            accept=".xlsx,.xlsm,.xls,.xlsb,.ods,.fods,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel,application/vnd.oasis.opendocument.spreadsheet";
                        p #chosen.hint {}
                    }
                    p.hint {
                        "Excel、WPS、LibreOffice 保存的 .xlsx .xls .xlsb .ods .fods 均可，不超过 "
                        (format!("{limit_mb:.0}")) " MB。只收" (app.zone_name(zone)) " " (period) " 的报表；多次上传以最后一次为准。"
                    }
                    div.actions { button.primary type="submit" { "上传并审核" } }
                }
            }
        }
        (super::queries::zone_section(app, caller, zone)?)
        section.card {
            h2 { "本期上传记录" }
            @if now.is_empty() { p.hint { "本期尚未上传报表。" } }
            @else { (log_table(&now)) }
        }
        section.card {
            h2 { "以前各期" }
            @if earlier.is_empty() { p.hint { "没有以前各期的报表。" } }
            @else { (log_table(&earlier)) }
        }
    })
}

/// `2026Q3/无锡高新区_….xlsx` → the name without the quarter folder.
pub fn file_label(file: &str) -> &str {
    file.split_once('/').map(|(_, f)| f).unwrap_or(file)
}

fn log_table(rows: &[&LoggedSubmission]) -> Markup {
    html! {
        div.table-wrap {
            table.stack {
                thead { tr {
                    th { "报告期" } th { "收到时间" } th { "文件" } th { "方式" }
                    th { "结论" } th { "错误" } th { "警告" } th { "提示" } th { "" }
                } }
                tbody {
                    @for s in rows {
                        tr {
                            td data-label="报告期" { (s.period) }
                            td data-label="收到时间" { (when(s.received_at)) }
                            td.file data-label="文件" { (file_label(&s.file)) }
                            td data-label="方式" {
                                (s.channel.label_zh())
                                @if let Some(u) = &s.username { "（" (u) "）" }
                            }
                            td data-label="结论" {
                                @if !s.present { "文件已移出报表目录" }
                                @else { (verdict_badge(s.verdict.as_deref())) }
                            }
                            td.num data-label="错误" { (s.errors) }
                            td.num data-label="警告" { (s.warnings) }
                            td.num data-label="提示" { (s.infos) }
                            td data-label="" { a href={"/returns/" (s.id)} { "查看" } }
                        }
                    }
                }
            }
        }
    }
}

/// A verdict's label (as logged) in its colour.
pub fn verdict_badge(label: Option<&str>) -> Markup {
    use crate::model::Verdict;
    let verdict = Verdict::ALL
        .into_iter()
        .find(|v| Some(v.label_zh()) == label);
    match verdict {
        Some(v) => badge(v.label_zh(), v.tone()),
        None => badge("未审核", crate::model::Tone::Grey),
    }
}

/// The zones a city reviewer or provincial staff may see, with their state.
async fn overview(app: &App, caller: &Caller) -> Result<Markup, Fault> {
    let period = app.settings.period;
    let check = app.check(period).await?;
    let today = app.today();
    let deadline = app.config.calendar.deadline(period);
    let zones: Vec<_> = app
        .config
        .registry
        .zones
        .iter()
        .filter(|z| caller.may_see(app, &z.code))
        .collect();
    let latest = |code: &str| -> Result<Option<LoggedSubmission>, Fault> {
        let log = app.store.with(|c| submissions::of_zone(c, code))?;
        Ok(log
            .into_iter()
            .find(|s| s.period == period.to_string() && s.present))
    };
    let mut rows = Vec::new();
    for z in &zones {
        let q = ZoneQuarter::of(&check, &z.code, deadline, today);
        rows.push((z, q.state, latest(&z.code)?));
    }
    Ok(html! {
        h1 { (period.label_zh()) "报送情况" }
        p.hint { "报送截止日 " (deadline) "。审核与退回功能将在后续版本提供；此处可查看各区报送的报表及其审核结果。" }
        section.card {
            div.table-wrap {
                table.stack {
                    thead { tr { th { "高新区" } th { "设区市" } th { "状态" } th { "最近上传" } th { "" } } }
                    tbody {
                        @for (z, state, last) in &rows {
                            tr {
                                td data-label="高新区" { (z.name) }
                                td data-label="设区市" { (z.city) }
                                td data-label="状态" { (badge(state.label_zh(), state.tone())) }
                                td data-label="最近上传" { @if let Some(s) = last { (when(s.received_at)) } @else { "—" } }
                                td data-label="" { @if let Some(s) = last { a href={"/returns/" (s.id)} { "查看" } } }
                            }
                        }
                    }
                }
            }
        }
    })
}

/// The zone's prefilled template for the open quarter, as `template`
/// makes it.
pub async fn template(
    State(app): State<Arc<App>>,
    PageCaller(caller): PageCaller,
) -> Result<Response, Page> {
    let Some(code) = caller.account.scope.zone() else {
        return Err(Page(Fault::Forbidden(
            "只有高新区填报员可以下载本区的报表模板".into(),
        )));
    };
    let zone = app.config.registry.zone(code).ok_or(Fault::NotFound)?;
    let period = app.settings.period;
    let history = app.desk.history(period).await?;
    let bytes = crate::render::template::write_template(
        &app.config,
        zone,
        period,
        history.last(code).map(|(_, r)| r),
    )
    .map_err(Fault::internal)?;
    app.audit(audit_row(
        Some(&caller),
        None,
        "download",
        Some("报表模板".into()),
        "ok",
    ))?;
    Ok(super::xlsx(
        &format!("{}_{period}_季度报表.xlsx", zone.name),
        bytes,
    ))
}
