//! A submission's result: verdict, what to do next and by when, every
//! finding at its cell, the cells a correction changed, the 情况说明 form,
//! the feedback workbook; and the upload that leads here.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};

use super::layout::{badge, page, tone_class};
use super::when;
use super::zone::{file_label, zone_page};
use crate::ingest::notes::Note;
use crate::model::{Finding, Severity};
use crate::report::{ExplanationStatus, FeedbackBook};
use crate::serve::app::{audit_row, Found};
use crate::serve::auth::{Caller, PageCaller};
use crate::serve::fault::{Fault, Page};
use crate::serve::intake::{self, Outcome};
use crate::serve::store::{submissions, Channel};
use crate::serve::{explain, App};

/// The fields of an upload form: the CSRF token and the file's bytes (its
/// name is never used).
pub struct Upload {
    pub csrf: Option<String>,
    pub file: Option<Vec<u8>>,
}

/// Reads a multipart upload; the body limit gives 413.
pub async fn read_upload(mut multipart: Multipart) -> Result<Upload, Fault> {
    let mut upload = Upload {
        csrf: None,
        file: None,
    };
    let too_large = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Fault::TooLarge("文件太大，超过上传上限".into())
        } else {
            Fault::Bad(format!("上传的内容不完整，请重新上传（{}）", e.body_text()))
        }
    };
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        match field.name() {
            Some("_csrf") => upload.csrf = Some(field.text().await.map_err(too_large)?),
            Some("file") => upload.file = Some(field.bytes().await.map_err(too_large)?.to_vec()),
            _ => {}
        }
    }
    Ok(upload)
}

pub async fn upload(
    State(app): State<Arc<App>>,
    PageCaller(caller): PageCaller,
    multipart: Multipart,
) -> Result<Response, Page> {
    let upload = read_upload(multipart).await?;
    caller.check_csrf(upload.csrf.as_deref())?;
    let bytes = upload
        .file
        .filter(|b| !b.is_empty())
        .ok_or_else(|| Fault::Bad("请选择要上传的报表文件".into()))?;
    match intake::take(&app, &caller, bytes, Channel::Portal).await? {
        Outcome::Taken(receipt) => {
            Ok(Redirect::to(&format!("/returns/{}", receipt.submission)).into_response())
        }
        Outcome::Refused(refusal) => {
            let zone = caller.account.scope.zone().unwrap_or_default().to_string();
            let body = zone_page(&app, &caller, &zone, Some(&refusal.message)).await?;
            Ok((
                StatusCode::BAD_REQUEST,
                page("未予接收", Some((&app, &caller)), body),
            )
                .into_response())
        }
    }
}

pub async fn show(
    State(app): State<Arc<App>>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
) -> Result<Html<String>, Page> {
    let found = app.find(&caller, id).await?;
    Ok(result_page(&app, &caller, &found, &HashMap::new(), &[]))
}

/// A warning the clerk may explain here: its index in the book's findings
/// and its 位置.
fn explainable(book: &FeedbackBook, found: &Found) -> Vec<(usize, String)> {
    let Some(ret) = found.submission().and_then(|s| s.ret.clone()) else {
        return Vec::new();
    };
    book.findings
        .iter()
        .enumerate()
        .filter(|(_, l)| l.explanation_status() == ExplanationStatus::Pending)
        .filter_map(|(i, l)| explain::location(&l.finding, &ret).map(|loc| (i, loc)))
        .collect()
}

fn result_page(
    app: &App,
    caller: &Caller,
    found: &Found,
    typed: &HashMap<String, String>,
    problems: &[(usize, String)],
) -> Html<String> {
    let logged = &found.logged;
    let zone = logged
        .zone
        .as_deref()
        .map(|z| app.zone_name(z))
        .unwrap_or("（未识别）");
    let book = found.book(app);
    let own = caller.account.scope.zone() == logged.zone.as_deref();
    let body = html! {
        p { a href="/" { (if own { "← 返回本区首页" } else { "← 返回首页" }) } }
        h1 { "报表校验结果 · " (zone) " · " (found.period.label_zh()) }
        @match &book {
            None => div.banner.tone-grey {
                strong { "文件已不在报表目录中" }
                p { "这份报表已被移出报表目录（如省科技厅撤回），不再参与汇总。" }
            },
            Some(book) => {
                (verdict_banner(app, book))
                @if let Some(sub) = found.submission() {
                    (review_section(app, caller, found, sub))
                }
                (facts(logged))
                @if !book.changes.is_empty() { (changes(book)) }
                (findings_table(book))
                @if own && found.period == app.settings.period {
                    (explain_form(caller, found, book, typed, problems))
                }
            }
        }
    };
    page("校验结果", Some((app, caller)), body)
}

fn verdict_banner(app: &App, book: &FeedbackBook) -> Markup {
    let deadline = app.config.calendar.deadline(book.period);
    html! {
        div #verdict class={"banner " (tone_class(book.conclusion.tone()))} {
            strong { "校验结论：" (book.conclusion.label_zh()) }
            p {
                "错误 " (book.count(Severity::Error)) " 个，警告 " (book.count(Severity::Warning))
                " 个，提示 " (book.count(Severity::Info)) " 个。"
            }
            p.next-step { (book.instruction) }
            @if book.conclusion.asks_action() {
                p { "本期报送截止日 " (deadline) "。" }
            }
        }
    }
}

/// Where the return's review stands, its decisions, and for a reviewer
/// who may act, the forms (docs/review-workflow.md).
fn review_section(
    app: &App,
    caller: &Caller,
    found: &Found,
    sub: &crate::validate::Submission,
) -> Markup {
    use crate::model::review::Action;
    let zone = found.logged.zone.as_deref().unwrap_or_default();
    let city = app
        .config
        .registry
        .zone(zone)
        .map(|z| z.city.as_str())
        .unwrap_or_default();
    let decided: Vec<_> = sub
        .decisions
        .iter()
        .filter(|d| d.sha256 == sub.source.sha256)
        .collect();
    let Some(state) = sub.review else {
        return html! {};
    };
    let actions = crate::serve::review::allowed(app, caller, zone, state);
    let id = found.logged.id;
    html! {
        section.card #review {
            h2 { "审核" }
            p { "审核状态：" (badge(state.label_zh(), state.tone())) " " (state.detail_zh(city)) }
            @if !decided.is_empty() {
                div.table-wrap {
                    table.stack {
                        thead { tr { th { "时间" } th { "审核单位" } th { "决定" } th { "审核意见" } th { "审核人" } } }
                        tbody {
                            @for d in &decided {
                                tr {
                                    td data-label="时间" { (d.at) }
                                    td data-label="审核单位" { (d.level.office_zh(city)) }
                                    td data-label="决定" { (d.action.label_zh()) }
                                    td data-label="审核意见" { (d.comment) }
                                    td data-label="审核人" { (d.by) }
                                }
                            }
                        }
                    }
                }
            }
            @if !actions.is_empty() {
                form #review-form method="post" action={"/returns/" (id) "/review"} {
                    input type="hidden" name="_csrf" value=(caller.csrf());
                    @if actions.contains(&Action::Return) {
                        label for="comment" { "审核意见（退回时必填：哪里不对，应如何修改）" }
                        textarea #comment name="comment" rows="3" maxlength="500" {}
                    }
                    div.actions {
                        @for a in &actions {
                            button class=(if *a == Action::Approve { "primary" } else { "secondary" })
                                type="submit" name="action" value=(a.column()) { (a.label_zh()) }
                        }
                    }
                }
            }
        }
    }
}

/// `POST /returns/{id}/review`: the review form.
pub async fn review(
    State(app): State<Arc<App>>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Page> {
    caller.check_csrf(form.get("_csrf").map(String::as_str))?;
    let action = form
        .get("action")
        .and_then(|a| crate::model::review::Action::parse(a))
        .ok_or_else(|| Fault::Bad("请选择审核通过、退回或重新开放".into()));
    let comment = form.get("comment").map(String::as_str).unwrap_or("");
    crate::serve::review::decide(&app, &caller, id, action, comment).await?;
    Ok(Redirect::to(&format!("/returns/{id}#review")).into_response())
}

fn facts(logged: &crate::serve::store::LoggedSubmission) -> Markup {
    html! {
        section.card {
            dl.facts {
                dt { "报送编号" } dd { (logged.id) }
                dt { "文件" } dd.file { (file_label(&logged.file)) }
                dt { "收到时间" } dd { (when(logged.received_at)) }
                dt { "方式" } dd { (logged.channel.label_zh()) @if let Some(u) = &logged.username { "（" (u) "）" } }
            }
            div.actions {
                a.button.secondary href={"/returns/" (logged.id) "/feedback.xlsx"} { "下载问题反馈工作簿" }
            }
            p.hint { "反馈工作簿与页面内容相同，并附标出问题单元格的原表副本，可打印。" }
        }
    }
}

fn changes(book: &FeedbackBook) -> Markup {
    html! {
        section.card #changes {
            h2 { "本次更正改动的单元格（与被取代的上一份相比）" }
            div.table-wrap {
                table.stack {
                    thead { tr { th { "位置" } th { "原值" } th { "新值" } } }
                    tbody {
                        @for c in &book.changes {
                            tr {
                                td.place data-label="位置" { (c.sheet) "!" (c.cell) }
                                td data-label="原值" { (c.old) }
                                td data-label="新值" { (c.new) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn findings_table(book: &FeedbackBook) -> Markup {
    html! {
        section.card #findings {
            h2 { "问题清单" }
            @if book.findings.is_empty() { p.ok { "没有发现任何问题。" } }
            @else {
                div.table-wrap {
                    table.stack {
                        thead { tr {
                            th { "级别" } th { "规则" } th { "位置" } th { "填报值" } th { "应为" } th { "说明" } th { "情况说明" }
                        } }
                        tbody {
                            @for l in &book.findings {
                                (finding_row(&l.finding, &l.title, l.explanation_status(), l.explanation.as_deref()))
                            }
                        }
                    }
                }
            }
        }
    }
}

fn finding_row(
    f: &Finding,
    title: &str,
    status: ExplanationStatus,
    explanation: Option<&str>,
) -> Markup {
    let class = match f.severity {
        Severity::Error => "sev-error",
        Severity::Warning => "sev-warning",
        Severity::Info => "sev-info",
    };
    html! {
        tr class=(class) {
            td data-label="级别" { (badge(f.severity.label_zh(), f.severity.tone())) }
            td.rule data-label="规则" { (f.rule) " " (title) }
            td.place data-label="位置" { (f.place()) }
            td data-label="填报值" { (f.value.as_deref().unwrap_or("")) }
            td data-label="应为" { (f.expected.as_deref().unwrap_or("")) }
            td data-label="说明" { (f.message.as_deref().unwrap_or("")) }
            td data-label="情况说明" {
                @match status {
                    ExplanationStatus::Explained => { (badge("已说明", status.tone())) " " (explanation.unwrap_or("")) }
                    ExplanationStatus::Pending => { (badge("待说明", status.tone())) }
                    ExplanationStatus::NotNeeded => { "无需说明" }
                    ExplanationStatus::NotApplicable => {}
                }
            }
        }
    }
}

fn explain_form(
    caller: &Caller,
    found: &Found,
    book: &FeedbackBook,
    typed: &HashMap<String, String>,
    problems: &[(usize, String)],
) -> Markup {
    let open = explainable(book, found);
    let pending = book
        .findings
        .iter()
        .filter(|l| l.explanation_status() == ExplanationStatus::Pending)
        .count();
    if pending == 0 {
        return html! {};
    }
    html! {
        section.card #explain {
            h2 { "填写情况说明" }
            p { "以下警告不影响采用，但需说明原因（如数据变化较大的原因）。说明与报表一并保存，省科技厅汇总时可见；“核实无误”“无”等没有说明原因的文字不予接受。" }
            @if open.len() < pending {
                p.hint { "有 " (pending - open.len()) " 条警告无法在页面定位，请在报表的“情况说明”表中说明后重新上传。" }
            }
            form method="post" action={"/returns/" (found.logged.id) "/explanations"} {
                input type="hidden" name="_csrf" value=(caller.csrf());
                @for (n, (i, location)) in open.iter().enumerate() {
                    @let f = &book.findings[*i].finding;
                    div.explain {
                        label.block for={"text_" (n)} { (f.rule) " · " (f.place()) "：" (f.message.as_deref().unwrap_or("")) }
                        input type="hidden" name={"rule_" (n)} value=(f.rule);
                        input type="hidden" name={"loc_" (n)} value=(location);
                        @if let Some((_, why)) = problems.iter().find(|(k, _)| *k == n) { p.error { (why) } }
                        textarea id={"text_" (n)} name={"text_" (n)} { (typed.get(&format!("text_{n}")).map(String::as_str).unwrap_or("")) }
                    }
                }
                div.actions { button.primary type="submit" { "保存情况说明" } }
            }
        }
    }
}

pub async fn explain(
    State(app): State<Arc<App>>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Page> {
    caller.check_csrf(form.get("_csrf").map(String::as_str))?;
    let found = app.find(&caller, id).await?;
    if caller.account.scope.zone() != found.logged.zone.as_deref()
        || found.period != app.settings.period
    {
        return Err(Page(Fault::forbidden()));
    }
    let (Some(book), Some(sub)) = (found.book(&app), found.submission()) else {
        return Err(Page(Fault::NotFound));
    };
    let open = explainable(&book, &found);
    let mut notes = Vec::new();
    let mut problems = Vec::new();
    for n in 0..open.len() {
        let text = form
            .get(&format!("text_{n}"))
            .map(|t| t.trim())
            .unwrap_or("");
        let rule = form.get(&format!("rule_{n}")).cloned().unwrap_or_default();
        let location = form.get(&format!("loc_{n}")).cloned().unwrap_or_default();
        // Only a warning of this file that waits for an explanation.
        let known = open
            .iter()
            .any(|(i, loc)| *loc == location && book.findings[*i].finding.rule == rule);
        if text.is_empty() || !known {
            continue;
        }
        match explain::refusal(text) {
            Some(why) => problems.push((n, why)),
            None => notes.push(Note {
                rule,
                location,
                text: text.to_string(),
                by: caller.account.username.clone(),
                at: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
            }),
        }
    }
    if notes.is_empty() && problems.is_empty() {
        problems.push((0, "说明不能为空，请至少填写一条".into()));
    }
    if !problems.is_empty() {
        app.audit(audit_row(
            Some(&caller),
            None,
            "explain",
            Some(format!("报送 {id}")),
            "refused",
        ))?;
        let page = result_page(&app, &caller, &found, &form, &problems);
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    }
    explain::store(&sub.source.path, notes.clone())?;
    app.store.with(|c| {
        for n in &notes {
            submissions::insert_explanation(
                c,
                id,
                &n.rule,
                &n.location,
                &n.text,
                caller.account.id,
            )?;
        }
        Ok(())
    })?;
    app.audit(audit_row(
        Some(&caller),
        None,
        "explain",
        Some(format!("报送 {id}")),
        format!("ok: {} 条", notes.len()),
    ))?;
    // The last warning explained: the return now waits for its review.
    let explained = app.find(&caller, id).await?;
    if let Some(crate::model::ReviewState::Awaiting(level)) =
        explained.submission().and_then(|s| s.review)
    {
        let zone = explained.logged.zone.clone().unwrap_or_default();
        crate::serve::review::awaiting(&app, &zone, id, level, "警告均已说明")?;
    }
    Ok(Redirect::to(&format!("/returns/{id}#findings")).into_response())
}

pub async fn feedback(
    State(app): State<Arc<App>>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
) -> Result<Response, Page> {
    Ok(feedback_download(&app, &caller, id).await?)
}

/// The submission's feedback workbook (pages and API).
pub async fn feedback_download(app: &App, caller: &Caller, id: i64) -> Result<Response, Fault> {
    let found = app.find(caller, id).await?;
    let book = found.book(app).ok_or(Fault::NotFound)?;
    let files = crate::render::feedback_files(std::slice::from_ref(&book))?;
    let (_, bytes) = files.into_iter().next().ok_or(Fault::NotFound)?;
    app.audit(audit_row(
        Some(caller),
        found.logged.zone.as_deref(),
        "download",
        Some(format!("报送 {id} 问题反馈")),
        "ok",
    ))?;
    Ok(super::xlsx(&book.file_name, bytes))
}
