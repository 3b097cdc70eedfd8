//! The portal (`shuanggao serve`), black box: each test starts the server
//! on a free port (helpers.rs) and talks HTTP to it. One test per security
//! rule, named for it (security.rs); the browser tests drive headless
//! Chromium (browser.rs).

mod browser;
mod cli;
mod helpers;
mod login;
mod province;
mod returns;
mod review;
mod security;
