//! The province's pages: the live 报送情况 of every zone taking part this
//! quarter (as `status --format json` gives it, with when each last
//! uploaded), and the 催报清单 of the zones still owing something, as a
//! page and as CSV. Provincial staff only: a city reviewer has its own
//! zones on its home page, a zone clerk its own quarter.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::{Html, Response};
use chrono::NaiveDate;
use maud::{html, Markup};
use serde::Deserialize;

use super::layout::{badge, page};
use super::when;
use crate::model::Tone;
use crate::report::{QuarterState, ReportingStatus, SubmissionStatus};
use crate::serve::auth::{Caller, PageCaller};
use crate::serve::fault::{Fault, Page};
use crate::serve::store::{submissions, LoggedSubmission, Scope};
use crate::serve::App;

/// Refuses anyone but provincial staff (every `/province` route).
pub fn province_only(caller: &Caller) -> Result<(), Fault> {
    if caller.account.scope == Scope::Province {
        Ok(())
    } else {
        Err(Fault::Forbidden("只有省级管理员可以使用此页面".into()))
    }
}

/// The province's pages, for the bar at the top of each.
pub fn tabs(current: &str) -> Markup {
    const TABS: [(&str, &str); 3] = [
        ("/province", "报送情况与催报"),
        ("/province/review", "核查优先清单"),
        ("/province/reports", "季度报告"),
    ];
    html! {
        nav.tabs {
            @for (href, label) in TABS {
                @if href == current { span.current { (label) } }
                @else { a href=(href) { (label) } }
            }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct CityFilter {
    #[serde(default)]
    city: Option<String>,
}

impl CityFilter {
    fn city(&self) -> Option<&str> {
        self.city.as_deref().filter(|c| !c.is_empty())
    }
}

/// One zone's line: its 报送情况 (the one table's state,
/// docs/review-workflow.md), its latest file this quarter, and whether the
/// deadline passed with something still owed (逾期, on top).
struct Line<'s> {
    status: &'s SubmissionStatus,
    latest: Option<LoggedSubmission>,
    overdue: bool,
}

impl Line<'_> {
    /// The state, with 逾期 on top: `退回修改（逾期）` (as the zone's page).
    fn label_zh(&self) -> String {
        let state = self.status.state.label_zh();
        if self.overdue {
            format!("{state}（逾期）")
        } else {
            state.to_string()
        }
    }

    fn tone(&self) -> Tone {
        if self.overdue {
            Tone::Bad
        } else {
            self.status.state.tone()
        }
    }

    /// What the zone still owes, if anything (the 催报清单's reason):
    /// nothing accepted yet, or warnings to explain.
    fn owes(&self) -> Option<String> {
        let s = self.status;
        match s.state {
            QuarterState::Missing => Some("未报送：尚未收到本期报表".into()),
            QuarterState::SentBack => Some(format!("退回修改：{}", s.reason)),
            _ if s.unexplained > 0 => Some(format!(
                "待说明：{} 条警告待说明（请在审核结果页填写情况说明）",
                s.unexplained
            )),
            _ => None,
        }
    }
}

/// The quarter's lines (of one city, when filtered).
fn lines<'s>(
    app: &App,
    status: &'s [SubmissionStatus],
    city: Option<&str>,
) -> Result<Vec<Line<'s>>, Fault> {
    let period = app.settings.period.to_string();
    let late = app.today() > app.config.calendar.deadline(app.settings.period);
    let mut out = Vec::new();
    for s in status.iter().filter(|s| city.is_none_or(|c| s.city == c)) {
        let latest = app
            .store
            .with(|c| submissions::of_zone(c, &s.code))?
            .into_iter()
            .find(|l| l.period == period && l.present);
        out.push(Line {
            status: s,
            latest,
            overdue: late && s.state.zone_owes(),
        });
    }
    Ok(out)
}

/// `GET /province`: 报送情况 and 催报清单 (`?city=` for one city).
pub async fn status_page(
    State(app): State<Arc<App>>,
    PageCaller(caller): PageCaller,
    Query(filter): Query<CityFilter>,
) -> Result<Html<String>, Page> {
    province_only(&caller)?;
    let period = app.settings.period;
    let status = app.desk.status(period).await?;
    let lines = lines(&app, &status, filter.city())?;
    let deadline = app.config.calendar.deadline(period);
    let today = app.today();
    let cities = cities(&status);
    let body = html! {
        (tabs("/province"))
        h1 { (period.label_zh()) "报送情况" @if let Some(c) = filter.city() { " · " (c) } }
        form.filter method="get" action="/province" {
            label for="city" { "设区市" }
            select #city name="city" {
                option value="" { "全省" }
                @for c in &cities {
                    option value=(c) selected[filter.city() == Some(c.as_str())] { (c) }
                }
            }
            button.secondary type="submit" { "筛选" }
        }
        (counts(&lines, deadline, today))
        section.card #status {
            h2 { "各高新区报送情况" }
            p.hint { "与命令 status 的结果相同（报表目录有变化时重新校验）；“最近上传”为本期最后收到的文件。" }
            (status_table(&lines))
        }
        (chase_section(&lines, deadline, today, filter.city()))
    };
    Ok(page("报送情况", Some((&app, &caller)), body))
}

/// The cities of the quarter's zones, in registry order.
fn cities(status: &[SubmissionStatus]) -> Vec<String> {
    let mut cities: Vec<String> = Vec::new();
    for s in status {
        if !cities.contains(&s.city) {
            cities.push(s.city.clone());
        }
    }
    cities
}

/// The counts at the top: 应报 = the sum over the states (those that
/// occur, and always 未报送 and 退回修改); 收到 = 应报 − 未报送; 通过校验 =
/// 收到 − 退回修改 (counted in the report unless only approved returns
/// count).
fn counts(lines: &[Line], deadline: NaiveDate, today: NaiveDate) -> Markup {
    let count = |st: QuarterState| lines.iter().filter(|l| l.status.state == st).count();
    let states: Vec<(QuarterState, usize)> = QuarterState::ALL
        .into_iter()
        .map(|st| (st, count(st)))
        .filter(|(st, n)| *n > 0 || matches!(st, QuarterState::Missing | QuarterState::SentBack))
        .collect();
    let missing = count(QuarterState::Missing);
    let sent_back = count(QuarterState::SentBack);
    let late = lines
        .iter()
        .filter(|l| l.status.status == ReportingStatus::Late)
        .count();
    let overdue = lines.iter().filter(|l| l.overdue).count();
    let sum: Vec<String> = states
        .iter()
        .map(|(st, n)| format!("{} {n}", st.label_zh()))
        .collect();
    html! {
        section.card.counts #counts {
            dl.tally {
                div { dt { "应报" } dd #count-due { (lines.len()) } }
                div { dt { "收到" } dd #count-received { (lines.len() - missing) } }
                div.tone-good { dt { "通过校验" } dd #count-passed { (lines.len() - missing - sent_back) } }
                @for (st, n) in &states {
                    div class=(super::layout::tone_class(st.tone())) {
                        dt { (st.label_zh()) } dd data-state=(st.label_zh()) { (n) }
                    }
                }
            }
            p.hint {
                "应报 " (lines.len()) " = " (sum.join(" + ")) "；收到 = 应报 − 未报送；通过校验 = 收到 − 退回修改"
                @if late > 0 { "（其中迟报 " (late) "）" }
                "。截止日 " (deadline) "（" (days_text(deadline, today)) "）"
                @if overdue > 0 { "，逾期 " (overdue) " 个区" } "。"
            }
        }
    }
}

fn status_table(lines: &[Line]) -> Markup {
    html! {
        div.table-wrap {
            table.stack {
                thead { tr {
                    th { "高新区" } th { "设区市" } th { "状态" } th { "最近上传" }
                    th { "错误" } th { "警告" } th { "待说明" } th { "审核" } th { "说明" } th { "" }
                } }
                tbody {
                    @for l in lines {
                        @let s = l.status;
                        tr data-zone=(s.code.as_str()) {
                            td.name data-label="高新区" { (s.zone) }
                            td.name data-label="设区市" { (s.city) }
                            td.state data-label="状态" { (state_badges(l)) }
                            td.name data-label="最近上传" { @if let Some(f) = &l.latest { (when(f.received_at)) } @else { "—" } }
                            td.num data-label="错误" { (s.errors) }
                            td.num data-label="警告" { (s.warnings) }
                            td.num data-label="待说明" { (s.unexplained) }
                            td.review data-label="审核" {
                                @if s.review_detail.is_empty() { "—" } @else { (s.review_detail) }
                            }
                            td data-label="说明" { (s.reason) }
                            td.name data-label="" { @if let Some(f) = &l.latest { a href={"/returns/" (f.id)} { "查看" } } }
                        }
                    }
                }
            }
        }
    }
}

/// The zone's state, and 逾期 on top (one element, so a phone's stacked
/// row keeps them together).
fn state_badges(l: &Line) -> Markup {
    html! {
        span.badges {
            (badge(&l.label_zh(), l.tone()))
            @if l.status.status == ReportingStatus::Late { " " (badge("迟报", Tone::Warn)) }
        }
    }
}

/// `还有 3 天`, `今天截止`, `已过 2 天`.
fn days_text(deadline: NaiveDate, today: NaiveDate) -> String {
    match (deadline - today).num_days() {
        0 => "今天截止".into(),
        d if d > 0 => format!("还有 {d} 天"),
        d => format!("已过 {} 天", -d),
    }
}

fn chase_section(
    lines: &[Line],
    deadline: NaiveDate,
    today: NaiveDate,
    city: Option<&str>,
) -> Markup {
    let owing: Vec<(&Line, String)> = lines
        .iter()
        .filter_map(|l| l.owes().map(|o| (l, o)))
        .collect();
    let csv = match city {
        Some(c) => format!("/province/chase.csv?city={}", super::url_encode(c)),
        None => "/province/chase.csv".to_string(),
    };
    html! {
        section.card #chase {
            h2 { "催报清单" }
            p { "截止日 " (deadline) "，" (days_text(deadline, today)) "。列出尚未报送、被退回修改、或有警告待说明的高新区。" }
            @if owing.is_empty() { p.ok { "没有需要催报的高新区。" } }
            @else {
                div.table-wrap {
                    table.stack {
                        thead { tr { th { "高新区" } th { "设区市" } th { "状态" } th { "需要做什么" } } }
                        tbody {
                            @for (l, owes) in &owing {
                                tr data-zone=(l.status.code.as_str()) {
                                    td.name data-label="高新区" { (l.status.zone) }
                                    td.name data-label="设区市" { (l.status.city) }
                                    td data-label="状态" { (state_badges(l)) }
                                    td data-label="需要做什么" { (owes) }
                                }
                            }
                        }
                    }
                }
                div.actions { a.button.secondary href=(csv) { "下载催报清单（CSV）" } }
            }
        }
    }
}

/// `GET /province/chase.csv`: the 催报清单 for a spreadsheet (UTF-8 with a
/// byte-order mark, so Excel and WPS read the Chinese).
pub async fn chase_csv(
    State(app): State<Arc<App>>,
    PageCaller(caller): PageCaller,
    Query(filter): Query<CityFilter>,
) -> Result<Response, Page> {
    province_only(&caller)?;
    let period = app.settings.period;
    let status = app.desk.status(period).await?;
    let lines = lines(&app, &status, filter.city())?;
    let deadline = app.config.calendar.deadline(period);
    let days = days_text(deadline, app.today());
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let head = [
            "高新区",
            "代码",
            "设区市",
            "状态",
            "逾期",
            "需要做什么",
            "截止日",
            "剩余",
        ];
        let row = |l: &Line, owes: String| {
            [
                l.status.zone.clone(),
                l.status.code.as_str().to_string(),
                l.status.city.clone(),
                l.status.state.label_zh().to_string(),
                if l.overdue { "是" } else { "" }.to_string(),
                owes,
                deadline.to_string(),
                days.clone(),
            ]
        };
        w.write_record(head).map_err(Fault::internal)?;
        for l in &lines {
            if let Some(owes) = l.owes() {
                w.write_record(row(l, owes)).map_err(Fault::internal)?;
            }
        }
        w.flush().map_err(Fault::internal)?;
    }
    Ok(super::download(
        &format!("催报清单_{period}.csv"),
        "text/csv; charset=utf-8",
        out,
    ))
}
