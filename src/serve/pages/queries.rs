//! 核查优先清单 with 请核实: the pipeline's review triage for the open
//! quarter (as `review` lists it), a question to the zone per value, the
//! zone's answer on its home page, both in the audit log.
//!
//! Who: provincial staff list and ask; the clerks of the value's zone see
//! the question and answer it; anyone else gets 404 on the question (a
//! clerk of another zone learns nothing, not even that it exists).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;

use super::layout::{badge, page};
use super::province::{province_only, tabs};
use super::when;
use crate::format::{group_thousands, percent_fine};
use crate::model::Tone;
use crate::report::ReviewItem;
use crate::serve::app::audit_row;
use crate::serve::auth::{Caller, PageCaller};
use crate::serve::fault::{Fault, Page};
use crate::serve::notices::{Kind, Notice};
use crate::serve::store::queries::{self, Asked, Query};
use crate::serve::store::Scope;
use crate::serve::{explain, App};

/// The longest question or answer taken, in characters.
const MAX_CHARS: usize = 1000;

/// `GET /province/review`: the 核查优先清单, each value with its question
/// and answer, or a 请核实 form.
pub async fn review_page(
    State(app): State<Arc<App>>,
    PageCaller(caller): PageCaller,
) -> Result<Html<String>, Page> {
    province_only(&caller)?;
    let period = app.settings.period;
    let report = app.desk.report(period).await?;
    let asked = app
        .store
        .with(|c| queries::of_period(c, &period.to_string(), None))?;
    // The latest question about each value.
    let mut latest: HashMap<(&str, &str), &Query> = HashMap::new();
    for q in &asked {
        latest.entry((&q.zone, &q.indicator)).or_insert(q);
    }
    let items = report.review_top();
    let body = html! {
        (tabs("/province/review"))
        h1 { (period.label_zh()) "核查优先清单" }
        p.hint {
            "本期共 " (report.review.len()) " 项已采用数据，按“可疑程度 × 影响”排序，列出得分最高的 " (items.len())
            " 项（与命令 review 和报告工作簿“核查优先”表相同）。对有疑问的数据点击“请核实”，问题会出现在该区的首页，回复显示在这里并记入审计日志。"
        }
        section.card #review {
            @if items.is_empty() { p { "本期还没有已采用的数据。" } }
            @else {
                div.table-wrap {
                    table.stack.review {
                        thead { tr {
                            th { "序" } th { "高新区" } th { "指标" } th { "位置" } th { "填报值" }
                            th { "预期范围" } th { "偏离占全省" } th { "得分" } th { "原因" } th { "请核实" }
                        } }
                        tbody {
                            @for item in items {
                                (review_row(&caller, item, latest.get(&(item.zone_code.as_str(), item.indicator.as_str())).copied()))
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(page("核查优先清单", Some((&app, &caller)), body))
}

fn anchor(item: &ReviewItem) -> String {
    anchor_of(item.zone_code.as_str(), &item.indicator)
}

/// The id of a value's row in the list.
fn anchor_of(zone: &str, indicator: &str) -> String {
    format!("v-{zone}-{}", indicator.replace('.', "-"))
}

/// The value as the question shows it: `1,234 万元`.
fn value_text(item: &ReviewItem) -> String {
    format!("{} {}", group_thousands(item.value), item.unit)
}

/// The question the form starts with (the province may edit it).
fn default_question(item: &ReviewItem) -> String {
    format!(
        "请核实{}（{}!{}）填报值 {}：{}。如数据无误，请说明原因；如有误，请更正后重新上传。",
        item.indicator_name,
        item.sheet,
        item.cell,
        value_text(item),
        item.reason.trim_end_matches('。')
    )
}

fn review_row(caller: &Caller, item: &ReviewItem, query: Option<&Query>) -> Markup {
    html! {
        tr id=(anchor(item)) {
            td.num data-label="序" { (item.rank) }
            td.name data-label="高新区" { (item.zone) }
            td.indicator data-label="指标" { (item.indicator_name) }
            td.file data-label="位置" { (item.sheet) "!" (item.cell) }
            td.num data-label="填报值" { (value_text(item)) }
            td.num data-label="预期范围" { (item.expected_range_zh()) }
            td.num data-label="偏离占全省" { (percent_fine(item.deviation_share)) }
            td.num data-label="得分" { (format!("{:.2}", item.score)) }
            td data-label="原因" { (item.reason) }
            td.ask data-label="请核实" {
                div {
                    @if let Some(q) = query { (query_facts(q)) }
                    details.ask {
                        summary { (if query.is_some() { "再次请核实" } else { "请核实" }) }
                        form method="post" action="/province/queries" {
                            input type="hidden" name="_csrf" value=(caller.csrf());
                            input type="hidden" name="zone" value=(item.zone_code.as_str());
                            input type="hidden" name="indicator" value=(item.indicator);
                            label.block for={"q-" (anchor(item))} { "向" (item.zone) "提出的问题（可修改）" }
                            textarea id={"q-" (anchor(item))} name="question" maxlength=(MAX_CHARS) { (default_question(item)) }
                            div.actions { button.primary type="submit" { "请核实" } }
                        }
                    }
                }
            }
        }
    }
}

/// A question with its answer (or 待回复).
fn query_facts(q: &Query) -> Markup {
    html! {
        div.asked {
            p { strong { "问（" (when(q.asked_at)) "，" (q.asked_by) "）：" } (q.question) }
            @match &q.answer {
                Some(a) => p.answer {
                    (badge("已回复", Tone::Good)) " "
                    strong { "答（" (q.answered_at.map(when).unwrap_or_default()) "，" (q.answered_by.as_deref().unwrap_or("")) "）：" }
                    (a)
                },
                None => p { (badge("待回复", Tone::Warn)) }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct Ask {
    #[serde(default, rename = "_csrf")]
    csrf: Option<String>,
    zone: String,
    indicator: String,
    question: String,
}

/// `POST /province/queries`: asks the zone about a value of the list.
pub async fn ask(
    State(app): State<Arc<App>>,
    PageCaller(caller): PageCaller,
    Form(form): Form<Ask>,
) -> Result<Response, Page> {
    caller.check_csrf(form.csrf.as_deref())?;
    province_only(&caller)?;
    let period = app.settings.period;
    let report = app.desk.report(period).await?;
    let item = report
        .review
        .iter()
        .find(|i| i.zone_code.as_str() == form.zone && i.indicator == form.indicator)
        .ok_or_else(|| {
            Fault::Bad("这项数据不在本期核查优先清单中（报表可能已更正），请刷新页面".into())
        })?;
    let question = form.question.trim();
    let refused = if question.is_empty() {
        Some("问题不能为空")
    } else if question.chars().count() > MAX_CHARS {
        Some("问题太长，请精简到 1000 字以内")
    } else {
        None
    };
    if let Some(why) = refused {
        app.audit(audit_row(
            Some(&caller),
            Some(item.zone_code.as_str()),
            "query.ask",
            Some(format!("{} {}", item.zone, item.indicator_name)),
            format!("refused: {why}"),
        ))?;
        return Err(Page(Fault::Bad(why.into())));
    }
    let value = value_text(item);
    let id = app.store.with(|c| {
        queries::insert(
            c,
            &Asked {
                period: &period.to_string(),
                zone: item.zone_code.as_str(),
                indicator: &item.indicator,
                indicator_name: &item.indicator_name,
                file: &item.file,
                sheet: &item.sheet,
                cell: &item.cell,
                value: &value,
                question,
                account_id: caller.account.id,
            },
        )
    })?;
    app.audit(audit_row(
        Some(&caller),
        Some(item.zone_code.as_str()),
        "query.ask",
        Some(format!(
            "请核实 {id}：{} {}",
            item.zone, item.indicator_name
        )),
        format!("ok: {question}"),
    ))?;
    app.notify(Notice {
        to: Scope::Zone(item.zone_code.to_string()),
        kind: Kind::Query,
        text: format!(
            "省科技厅请核实{}（{}!{}）填报值 {}，请在本区首页回复",
            item.indicator_name, item.sheet, item.cell, value
        ),
        link: Some(format!("/queries/{id}")),
    })?;
    Ok(Redirect::to(&format!("/province/review#{}", anchor(item))).into_response())
}

/// The quarter's questions to the zone, for its home page (nothing when
/// none was asked).
pub fn zone_section(app: &App, caller: &Caller, zone: &str) -> Result<Markup, Fault> {
    let period = app.settings.period.to_string();
    let asked = app
        .store
        .with(|c| queries::of_period(c, &period, Some(zone)))?;
    if asked.is_empty() {
        return Ok(html! {});
    }
    let open = asked.iter().filter(|q| q.answer.is_none()).count();
    Ok(html! {
        section.card #queries {
            h2 { "省科技厅请核实" @if open > 0 { " " (badge(&format!("{open} 项待回复"), Tone::Bad)) } }
            p.hint { "省科技厅对以下数据有疑问。请逐项回复：数据无误的说明原因，有误的更正报表后重新上传并在此说明。" }
            @for q in &asked { (query_block(caller, q, None, "")) }
        }
    })
}

/// One question: the value, the question, the answer or the form.
fn query_block(caller: &Caller, q: &Query, problem: Option<&str>, typed: &str) -> Markup {
    let own = caller.account.scope.zone() == Some(q.zone.as_str());
    html! {
        div.query id={"query-" (q.id)} {
            p {
                strong { (q.indicator_name) } " · " (q.sheet) "!" (q.cell) " · 填报值 " (q.value)
            }
            p { strong { "问题（" (when(q.asked_at)) "）：" } (q.question) }
            @if let Some(a) = &q.answer {
                p.answer { (badge("已回复", Tone::Good)) " " strong { "回复（" (q.answered_at.map(when).unwrap_or_default()) "）：" } (a) }
            }
            @if own {
                @if q.answer.is_some() && problem.is_none() {
                    details.ask { summary { "修改回复" } (answer_form(caller, q, problem, typed)) }
                } @else {
                    (answer_form(caller, q, problem, typed))
                }
            }
        }
    }
}

fn answer_form(caller: &Caller, q: &Query, problem: Option<&str>, typed: &str) -> Markup {
    html! {
        form method="post" action={"/queries/" (q.id) "/answer"} {
            input type="hidden" name="_csrf" value=(caller.csrf());
            label.block for={"answer-" (q.id)} { "回复" }
            @if let Some(why) = problem { p.error { (why) } }
            textarea id={"answer-" (q.id)} name="answer" maxlength=(MAX_CHARS) { (typed) }
            div.actions { button.primary type="submit" { "提交回复" } }
        }
    }
}

/// Question `id`, if the caller may see it: provincial staff, or a clerk
/// of its zone (404 for anyone else).
fn visible(app: &App, caller: &Caller, id: i64) -> Result<Query, Fault> {
    let q = app
        .store
        .with(|c| queries::by_id(c, id))?
        .ok_or(Fault::NotFound)?;
    let province = province_only(caller).is_ok();
    if province || caller.account.scope.zone() == Some(q.zone.as_str()) {
        Ok(q)
    } else {
        Err(Fault::NotFound)
    }
}

fn query_page(
    app: &App,
    caller: &Caller,
    q: &Query,
    problem: Option<&str>,
    typed: &str,
) -> Html<String> {
    let body = html! {
        p { a href="/" { "← 返回首页" } }
        h1 { "请核实 · " (app.zone_name(&q.zone)) " · " (q.indicator_name) }
        section.card { (query_block(caller, q, problem, typed)) }
    };
    page("请核实", Some((app, caller)), body)
}

/// `GET /queries/{id}`: one question (its zone's clerks and the province).
pub async fn show(
    State(app): State<Arc<App>>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
) -> Result<Html<String>, Page> {
    let q = visible(&app, &caller, id)?;
    Ok(query_page(&app, &caller, &q, None, ""))
}

#[derive(Deserialize)]
pub struct Answer {
    #[serde(default, rename = "_csrf")]
    csrf: Option<String>,
    #[serde(default)]
    answer: String,
}

/// `POST /queries/{id}/answer`: the zone's answer, refused when it says
/// nothing (the rules of 情况说明, `explain::refusal`).
pub async fn answer(
    State(app): State<Arc<App>>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Form(form): Form<Answer>,
) -> Result<Response, Page> {
    caller.check_csrf(form.csrf.as_deref())?;
    let q = visible(&app, &caller, id)?;
    if caller.account.scope.zone() != Some(q.zone.as_str()) {
        return Err(Page(Fault::Forbidden(
            "只有该区填报员可以回复请核实".into(),
        )));
    }
    let text = form.answer.trim();
    let refusal = explain::refusal(text).or_else(|| {
        (text.chars().count() > MAX_CHARS).then(|| "回复太长，请精简到 1000 字以内".to_string())
    });
    let target = Some(format!("请核实 {id}：{}", q.indicator_name));
    if let Some(why) = refusal {
        app.audit(audit_row(
            Some(&caller),
            None,
            "query.answer",
            target,
            "refused",
        ))?;
        let page = query_page(&app, &caller, &q, Some(&why), text);
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    }
    app.store
        .with(|c| queries::answer(c, id, text, caller.account.id))?;
    app.audit(audit_row(
        Some(&caller),
        None,
        "query.answer",
        target,
        format!("ok: {text}"),
    ))?;
    app.notify(Notice {
        to: Scope::Province,
        kind: Kind::Answer,
        text: format!(
            "{}回复了请核实（{}）",
            app.zone_name(&q.zone),
            q.indicator_name
        ),
        link: Some(format!(
            "/province/review#{}",
            anchor_of(&q.zone, &q.indicator)
        )),
    })?;
    Ok(Redirect::to(&format!("/#query-{id}")).into_response())
}
