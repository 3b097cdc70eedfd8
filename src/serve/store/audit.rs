//! The audit log: a row for every login (success and failure), upload,
//! download, explanation and account change: who, zone, when, address,
//! what, outcome. Never a password, cookie, token or file content.

use rusqlite::{Connection, Row};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditRow {
    pub at: i64,
    /// The account, or the user name tried at a failed login.
    pub username: Option<String>,
    pub zone: Option<String>,
    pub address: Option<String>,
    /// `login`, `logout`, `password`, `upload`, `download`, `explain`,
    /// `account.add`, `account.disable`, `account.reset`, `account.token`.
    pub action: String,
    /// What it was about: a submission id, a file, an account.
    pub target: Option<String>,
    /// `ok`, or why not (`bad_password`, `locked`, `refused: …`).
    pub outcome: String,
}

pub fn insert(conn: &Connection, row: &AuditRow) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO audit (at, username, zone, address, action, target, outcome)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        (
            row.at,
            &row.username,
            &row.zone,
            &row.address,
            &row.action,
            &row.target,
            &row.outcome,
        ),
    )?;
    Ok(())
}

fn audit(r: &Row) -> rusqlite::Result<AuditRow> {
    Ok(AuditRow {
        at: r.get(0)?,
        username: r.get(1)?,
        zone: r.get(2)?,
        address: r.get(3)?,
        action: r.get(4)?,
        target: r.get(5)?,
        outcome: r.get(6)?,
    })
}

/// Rows at or after `since` (seconds since the epoch), oldest first.
pub fn since(conn: &Connection, since: i64) -> rusqlite::Result<Vec<AuditRow>> {
    let mut stmt = conn.prepare(
        "SELECT at, username, zone, address, action, target, outcome FROM audit
         WHERE at >= ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([since], audit)?;
    rows.collect()
}
