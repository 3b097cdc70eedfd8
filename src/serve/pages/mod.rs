//! The pages, rendered by the server in Chinese (maud escapes every text,
//! so a project named `<script>…` shows as text). No JavaScript framework;
//! one small script for drag and drop (`assets/upload.js`).

pub mod layout;
pub mod login;
pub mod province;
pub mod queries;
pub mod reports;
pub mod result;
pub mod zone;

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A local date and time to the minute, from seconds since the epoch.
pub fn when(seconds: i64) -> String {
    use chrono::TimeZone;
    chrono::Local
        .timestamp_opt(seconds, 0)
        .single()
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// An xlsx download under a Chinese file name.
pub fn xlsx(name: &str, bytes: Vec<u8>) -> Response {
    download(
        name,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    )
}

/// A download of `kind` under a Chinese file name.
pub fn download(name: &str, kind: &str, bytes: Vec<u8>) -> Response {
    // Old clients read `filename`: the name when plain ASCII, else
    // `download.<ext>`; the others read the Chinese name from `filename*`.
    let plain = |c: char| c.is_ascii_graphic() && c != '"' && c != '\\';
    let fallback = if name.chars().all(plain) {
        name.to_string()
    } else {
        let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("bin");
        format!("download.{}", url_encode(ext))
    };
    let disposition = format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        url_encode(name)
    );
    (
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

/// Percent-encodes everything but unreserved ASCII (RFC 3986).
pub fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
