//! Sessions: a random id in the cookie, its SHA-256 here, with the CSRF
//! token of the session and when it was last used.

use rusqlite::{Connection, OptionalExtension};

#[derive(Debug, Clone)]
pub struct Session {
    pub account_id: i64,
    pub csrf: String,
    pub last_seen: i64,
}

pub fn insert(
    conn: &Connection,
    id_hash: &str,
    account_id: i64,
    csrf: &str,
) -> rusqlite::Result<()> {
    let now = super::now();
    conn.execute(
        "INSERT INTO session (id_hash, account_id, csrf, created_at, last_seen) VALUES (?1, ?2, ?3, ?4, ?4)",
        (id_hash, account_id, csrf, now),
    )?;
    Ok(())
}

pub fn get(conn: &Connection, id_hash: &str) -> rusqlite::Result<Option<Session>> {
    conn.query_row(
        "SELECT account_id, csrf, last_seen FROM session WHERE id_hash = ?1",
        [id_hash],
        |r| {
            Ok(Session {
                account_id: r.get(0)?,
                csrf: r.get(1)?,
                last_seen: r.get(2)?,
            })
        },
    )
    .optional()
}

pub fn touch(conn: &Connection, id_hash: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE session SET last_seen = ?2 WHERE id_hash = ?1",
        (id_hash, super::now()),
    )?;
    Ok(())
}

pub fn delete(conn: &Connection, id_hash: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM session WHERE id_hash = ?1", [id_hash])?;
    Ok(())
}

/// Ends every session of an account (password changed, reset, disabled).
pub fn delete_all(conn: &Connection, account_id: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM session WHERE account_id = ?1", [account_id])?;
    Ok(())
}

/// Forgets sessions idle since before `cutoff`.
pub fn expire(conn: &Connection, cutoff: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM session WHERE last_seen < ?1", [cutoff])?;
    Ok(())
}
