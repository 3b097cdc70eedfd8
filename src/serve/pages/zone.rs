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
    let quarter = ZoneQuarter::of(&app.config, &check, zone, today);
    let log = app.store.with(|c| submissions::of_zone(c, zone))?;
    let notices = notices_card(app, caller)?;
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
        (notices)
        div.grid {
            section.card #state {
                h2 { "本期报送状态" }
                dl.facts {
                    dt { "报告期" } dd { (period) "（" (period.label_zh()) "）" }
                    dt { "报送截止日" } dd { (deadline) }
                    dt { "状态" } dd #zone-state { (badge(&quarter.label_zh(), quarter.tone())) }
                    @if let Some(r) = quarter.review {
                        dt { "审核" } dd #zone-review { (r.detail_zh(&quarter.city)) }
                    }
                    @if let Some(comment) = quarter.return_comment() {
                        dt { "审核意见" } dd #return-comment { (comment) }
                    }
                    @if let Some(acc) = quarter.counted {
                        dt { "本期报表" } dd.file { (file_label(&acc.source.name)) }
                    }
                }
                p.next { (quarter.next_step(today)) }
                div.actions {
                    a.button.secondary href="/template.xlsx" { "下载本期报表模板" }
                }
                p.hint { "模板已填好本区名称和报告期，并预填上季度已采用的项目和平台。" }
            }
            @if quarter.locked() {
                section.card #locked {
                    h2 { "上传报表" }
                    p { "本期报表已审核通过并锁定，不能再上传。如需更正，请联系" (crate::model::Level::City.office_zh(&quarter.city)) "重新开放。" }
                }
            } @else {
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
                    div.actions { button.primary type="submit" { "上传并校验" } }
                }
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

/// The zones a city reviewer or provincial staff may see: the returns
/// waiting for the caller's review first, then every zone with its state.
async fn overview(app: &App, caller: &Caller) -> Result<Markup, Fault> {
    let period = app.settings.period;
    let check = app.check(period).await?;
    let today = app.today();
    let deadline = app.config.calendar.deadline(period);
    let notices = notices_card(app, caller)?;
    let mut rows = Vec::new();
    for z in app
        .config
        .registry
        .zones
        .iter()
        .filter(|z| app.config.calendar.entry_quarter(z.cohort) <= period)
        .filter(|z| caller.may_see(app, &z.code))
    {
        let q = ZoneQuarter::of(&app.config, &check, &z.code, today);
        let id = match q.shown {
            Some(s) => app
                .store
                .with(|c| submissions::by_file(c, &s.source.name))?
                .map(|l| l.id),
            None => None,
        };
        rows.push((z, q, id));
    }
    let mine = waiting_level(caller);
    let waiting: Vec<_> = rows
        .iter()
        .filter(|(_, q, _)| {
            q.review
                .and_then(|r| r.awaiting())
                .is_some_and(|l| Some(l) == mine)
        })
        .collect();
    Ok(html! {
        h1 { (period.label_zh()) "报送与审核" }
        p.hint { "报送截止日 " (deadline) "。状态与 status 命令、报告工作簿“报送情况”表一致。" }
        (notices)
        section.card #waiting {
            h2 { "待您审核（" (waiting.len()) "）" }
            @if waiting.is_empty() { p.hint { "目前没有等待您审核的报表。" } }
            @else {
                ul.plain {
                    @for (z, q, id) in &waiting {
                        li {
                            (z.name) "：" (q.detail_zh())
                            @if let Some(id) = id { " " a href={"/returns/" (id)} { "审核" } }
                        }
                    }
                }
            }
        }
        section.card {
            h2 { "各高新区" }
            div.table-wrap {
                table.stack #zones {
                    thead { tr { th { "高新区" } th { "设区市" } th { "状态" } th { "审核" } th { "" } } }
                    tbody {
                        @for (z, q, id) in &rows {
                            tr {
                                td data-label="高新区" { (z.name) }
                                td data-label="设区市" { (z.city) }
                                td data-label="状态" { (badge(&q.label_zh(), q.tone())) }
                                td data-label="审核" { (q.review.map(|r| r.detail_zh(&q.city)).unwrap_or_else(|| "—".into())) }
                                td data-label="" { @if let Some(id) = id { a href={"/returns/" (id)} { "查看" } } }
                            }
                        }
                    }
                }
            }
        }
    })
}

/// The level whose waiting returns are the caller's to review.
fn waiting_level(caller: &Caller) -> Option<crate::model::Level> {
    use crate::serve::store::Scope;
    match caller.account.scope {
        Scope::City(_) => Some(crate::model::Level::City),
        Scope::Province => Some(crate::model::Level::Province),
        Scope::Zone(_) => None,
    }
}

/// The caller's latest notices (新 for those not seen before); seeing
/// them marks them read.
fn notices_card(app: &App, caller: &Caller) -> Result<Markup, Fault> {
    use crate::serve::store::notices;
    let scope = &caller.account.scope;
    let (latest, read) = app.store.with(|c| {
        Ok((
            notices::latest(c, scope, 6)?,
            notices::last_read(c, caller.account.id)?,
        ))
    })?;
    let Some(newest) = latest.first().map(|n| n.id) else {
        return Ok(html! {});
    };
    app.store
        .with(|c| notices::mark_read(c, caller.account.id, newest))?;
    Ok(html! {
        section.card #notices {
            h2 { "通知" }
            ul.plain {
                @for n in &latest {
                    li {
                        @if n.id > read { (badge("新", crate::model::Tone::Warn)) " " }
                        (badge(crate::serve::notices::Kind::label_zh(&n.kind), crate::model::Tone::Info)) " "
                        (n.text)
                        @if let Some(link) = &n.link { " " a href=(link) { "查看" } }
                        span.hint { "（" (when(n.created_at)) "）" }
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
