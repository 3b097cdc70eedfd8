//! SQLite under `--data` (`portal.sqlite3`): accounts, sessions, the
//! submission log and the audit log. The schema is versioned from the start
//! ([`schema`]); each part has its file.

pub mod accounts;
pub mod audit;
pub mod notices;
pub mod queries;
pub mod schema;
pub mod sessions;
pub mod submissions;

use std::path::Path;
use std::sync::Mutex;

use rusqlite::Connection;

use crate::error::{Error, Result};

pub use accounts::{Account, Scope};
pub use audit::AuditRow;
pub use submissions::{Channel, LoggedSubmission};

/// The database file inside `--data`.
pub const FILE: &str = "portal.sqlite3";

/// One connection, used a statement at a time (every statement is short;
/// the slow work, checking and hashing, happens outside the lock).
pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (or creates) the database in `dir` and brings its schema up to
    /// date.
    pub fn open(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
        let path = dir.join(FILE);
        let fail =
            |e: rusqlite::Error| Error::Input(format!("无法打开数据库 {}：{e}", path.display()));
        let mut conn = Connection::open(&path).map_err(fail)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(fail)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(fail)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(fail)?;
        // `shuanggao backup` holds the write lock while it copies; writes
        // wait for it rather than fail.
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(fail)?;
        schema::migrate(&mut conn).map_err(fail)?;
        restrict(&path);
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    /// Runs `work` on the connection.
    pub fn with<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        let mut conn = self
            .conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        work(&mut conn)
    }
}

/// The database holds password hashes: only its owner reads it.
fn restrict(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
}

/// Seconds since the epoch.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}
