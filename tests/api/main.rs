//! The portal (`shuanggao serve`), black box: each test starts the server
//! on a free port (helpers.rs) and talks HTTP to it. One test per security
//! rule, named for it (security.rs); the browser tests drive headless
//! Chromium (browser.rs). Nothing lost: crashes at injected points
//! (crash.rs, the real binary), concurrent uploads of one zone
//! (concurrent.rs), backup and restore (backup.rs); state.rs reads the
//! folder and the database to compare them.

mod backup;
mod browser;
mod cli;
mod concurrent;
mod crash;
mod helpers;
mod login;
mod province;
mod returns;
mod review;
mod security;
mod state;
