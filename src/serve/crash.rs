//! Fault injection for the crash tests (tests/api/crash.rs): the server
//! dies on the spot (`std::process::abort`, as a `kill -9` would leave
//! things) at the point the environment variable `SHUANGGAO_CRASH_AT`
//! names, e.g. `SHUANGGAO_CRASH_AT=upload.stored`. Without the variable
//! every point is a no-op. The journal ([`super::journal`]) names its
//! points `<kind>.journaled`, `<kind>.written`, `<kind>.stored` and
//! `<kind>.finished`.

use std::sync::OnceLock;

/// The variable that names the point.
pub const VAR: &str = "SHUANGGAO_CRASH_AT";

/// Dies here when `SHUANGGAO_CRASH_AT` names `name` (read once).
pub fn point(name: &str) {
    static AT: OnceLock<Option<String>> = OnceLock::new();
    let at = AT.get_or_init(|| std::env::var(VAR).ok().filter(|v| !v.is_empty()));
    if at.as_deref() == Some(name) {
        eprintln!("{VAR}={name}：按要求在此中止（故障注入）");
        std::process::abort();
    }
}
