//! Notices kept for the portal's pages: to a zone, a city's reviewers or
//! the province; and how far each account has read them.

use rusqlite::{Connection, OptionalExtension};

use super::Scope;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredNotice {
    pub id: i64,
    pub kind: String,
    pub text: String,
    pub link: Option<String>,
    pub created_at: i64,
}

pub fn insert(
    conn: &Connection,
    to: &Scope,
    kind: &str,
    text: &str,
    link: Option<&str>,
) -> rusqlite::Result<i64> {
    let (role, scope) = to.columns();
    conn.execute(
        "INSERT INTO notice (role, scope, kind, text, link, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        (role, scope, kind, text, link, super::now()),
    )?;
    Ok(conn.last_insert_rowid())
}

/// The latest `limit` notices to `to`, newest first.
pub fn latest(conn: &Connection, to: &Scope, limit: usize) -> rusqlite::Result<Vec<StoredNotice>> {
    let (role, scope) = to.columns();
    let mut stmt = conn.prepare(
        "SELECT id, kind, text, link, created_at FROM notice
         WHERE role = ?1 AND scope IS ?2 ORDER BY id DESC LIMIT ?3",
    )?;
    let rows = stmt.query_map((role, scope, limit as i64), |r| {
        Ok(StoredNotice {
            id: r.get(0)?,
            kind: r.get(1)?,
            text: r.get(2)?,
            link: r.get(3)?,
            created_at: r.get(4)?,
        })
    })?;
    rows.collect()
}

/// The last notice the account has seen (0: none).
pub fn last_read(conn: &Connection, account: i64) -> rusqlite::Result<i64> {
    Ok(conn
        .query_row(
            "SELECT last_id FROM notice_read WHERE account_id = ?1",
            [account],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

pub fn mark_read(conn: &Connection, account: i64, last_id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO notice_read (account_id, last_id) VALUES (?1, ?2)
         ON CONFLICT(account_id) DO UPDATE SET last_id = MAX(last_id, excluded.last_id)",
        (account, last_id),
    )?;
    Ok(())
}
