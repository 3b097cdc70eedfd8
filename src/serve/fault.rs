//! What goes wrong in a request, with its status code and a Chinese
//! message; [`Api`] answers it as JSON, [`Page`] as a page.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug)]
pub enum Fault {
    /// 400: the request is wrong; the message says how.
    Bad(String),
    /// 401: not logged in, or the session ended.
    Unauthorized(String),
    /// 403: logged in, but not allowed.
    Forbidden(String),
    /// 404: no such thing, or not one the caller may see.
    NotFound,
    /// 409: not possible in the present state (a review decision the
    /// table refuses); the message says why.
    Conflict(String),
    /// 413: the upload is too large.
    TooLarge(String),
    /// 429: too many requests.
    TooMany(String),
    /// 500: our side failed (the detail goes to the log, not the caller).
    Internal(String),
}

impl Fault {
    pub fn status(&self) -> StatusCode {
        match self {
            Fault::Bad(_) => StatusCode::BAD_REQUEST,
            Fault::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Fault::Forbidden(_) => StatusCode::FORBIDDEN,
            Fault::NotFound => StatusCode::NOT_FOUND,
            Fault::Conflict(_) => StatusCode::CONFLICT,
            Fault::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Fault::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            Fault::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message for the caller, in Chinese.
    pub fn message(&self) -> String {
        match self {
            Fault::Bad(m)
            | Fault::Unauthorized(m)
            | Fault::Forbidden(m)
            | Fault::Conflict(m)
            | Fault::TooLarge(m)
            | Fault::TooMany(m) => m.clone(),
            Fault::NotFound => "没有找到，或您无权查看".into(),
            Fault::Internal(_) => "服务器内部错误，请稍后再试；如一再出现，请与省科技厅联系".into(),
        }
    }

    pub fn forbidden() -> Fault {
        Fault::Forbidden("您无权进行此操作".into())
    }

    pub fn internal(e: impl std::fmt::Display) -> Fault {
        Fault::Internal(e.to_string())
    }
}

impl From<crate::error::Error> for Fault {
    fn from(e: crate::error::Error) -> Fault {
        Fault::Internal(e.to_string())
    }
}

impl From<rusqlite::Error> for Fault {
    fn from(e: rusqlite::Error) -> Fault {
        Fault::Internal(format!("数据库：{e}"))
    }
}

/// A fault answered as JSON: `{"message": "…"}`.
#[derive(Debug)]
pub struct Api(pub Fault);

impl<E: Into<Fault>> From<E> for Api {
    fn from(e: E) -> Api {
        Api(e.into())
    }
}

impl IntoResponse for Api {
    fn into_response(self) -> Response {
        let mut response = (
            self.0.status(),
            axum::Json(serde_json::json!({ "message": self.0.message() })),
        )
            .into_response();
        if let Fault::Internal(detail) = &self.0 {
            response
                .extensions_mut()
                .insert(InternalDetail(detail.clone()));
        }
        response
    }
}

/// A fault answered as a page (login when the session ended).
#[derive(Debug)]
pub struct Page(pub Fault);

impl<E: Into<Fault>> From<E> for Page {
    fn from(e: E) -> Page {
        Page(e.into())
    }
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        let page = match &self.0 {
            // Not logged in (or the session ended): the login form, saying why.
            Fault::Unauthorized(m) => super::pages::login::login_page(Some(m), ""),
            other => super::pages::layout::message_page("出错了", &other.message()),
        };
        let mut response = (self.0.status(), page).into_response();
        if let Fault::Internal(detail) = &self.0 {
            response
                .extensions_mut()
                .insert(InternalDetail(detail.clone()));
        }
        response
    }
}

/// The detail of a 500, for the access log only.
#[derive(Debug, Clone)]
pub struct InternalDetail(pub String);
