//! The frame of every page and the assets inside the binary.

use axum::extract::Path;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};

use crate::serve::auth::Caller;
use crate::serve::App;

const STYLE: &str = include_str!("../assets/style.css");
const SCRIPT: &str = include_str!("../assets/upload.js");

/// `/assets/…`: the only static files, all inside the binary. The fonts are
/// the ones the brief is set in (`render::fonts`), the pages' last resort:
/// a browser fetches them only for characters its system fonts lack (an
/// office PC with 微软雅黑 never does).
pub async fn asset(Path(name): Path<String>) -> Response {
    let fonts = crate::render::fonts::Fonts::embedded();
    let (body, kind): (&'static [u8], &str) = match name.as_str() {
        "style.css" => (STYLE.as_bytes(), "text/css; charset=utf-8"),
        "upload.js" => (SCRIPT.as_bytes(), "text/javascript; charset=utf-8"),
        "NotoSansCJKsc-Regular.otf" => (fonts.files[0], "font/otf"),
        "NotoSansCJKsc-Bold.otf" => (fonts.files[1], "font/otf"),
        _ => {
            return crate::serve::fault::Page(crate::serve::fault::Fault::NotFound).into_response()
        }
    };
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}

/// A page: the red bar with who is logged in, then `body`.
pub fn page(title: &str, who: Option<(&App, &Caller)>, body: Markup) -> Html<String> {
    page_refreshing(title, who, body, None)
}

/// [`page`], reloading itself every `refresh` seconds (a run in progress:
/// no script needed).
pub fn page_refreshing(
    title: &str,
    who: Option<(&App, &Caller)>,
    body: Markup,
    refresh: Option<u32>,
) -> Html<String> {
    let markup = html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(seconds) = refresh { meta http-equiv="refresh" content=(seconds); }
                title { (title) " · 双高协同季度报送" }
                link rel="stylesheet" href="/assets/style.css";
                script src="/assets/upload.js" defer {}
            }
            body {
                header.top {
                    span.title { "双高协同季度报送" }
                    @if let Some((app, caller)) = who {
                        @if caller.account.scope == crate::serve::store::Scope::Province {
                            nav.top-links { a href="/" { "首页" } a href="/province" { "省级工作台" } }
                        }
                        span.who {
                            (caller.account.name) "（" (caller.account.scope.label_zh(&app.config)) "）"
                            @if caller.account.demo { " " span.sample { "示例账户" } }
                        }
                        form method="post" action="/logout" {
                            input type="hidden" name="_csrf" value=(caller.csrf());
                            button type="submit" { "退出" }
                        }
                    }
                }
                main { (body) }
                footer { "江苏省科技厅 · 双高协同（高新区 × 高校）季度统计 · 本页面所有内容由本系统生成，不引用外部资源" }
            }
        }
    };
    Html(markup.into_string())
}

/// A page that only says something (errors, refusals), with a way back.
pub fn message_page(title: &str, message: &str) -> Html<String> {
    page(
        title,
        None,
        html! {
            div.card {
                h1 { (title) }
                p { (message) }
                p { a href="/" { "返回首页" } }
            }
        },
    )
}

/// A badge in a status colour.
pub fn badge(text: &str, tone: crate::model::Tone) -> Markup {
    html! { span class={"badge " (tone_class(tone))} { (text) } }
}

pub fn tone_class(tone: crate::model::Tone) -> &'static str {
    use crate::model::Tone;
    match tone {
        Tone::Good | Tone::Done => "tone-good",
        Tone::Warn => "tone-warn",
        Tone::Bad => "tone-bad",
        Tone::Info => "tone-info",
        _ => "tone-grey",
    }
}
