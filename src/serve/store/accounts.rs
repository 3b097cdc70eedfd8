//! Accounts: who may log in, and what they may see.

use rusqlite::{Connection, OptionalExtension, Row};

use crate::config::Config;

/// What an account may see and do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// A zone clerk (填报员), by zone code: sees and submits that zone's
    /// returns only.
    Zone(String),
    /// A city reviewer (设区市科技局), by city name: sees the city's zones.
    City(String),
    /// Provincial staff: see every zone.
    Province,
}

impl Scope {
    fn from_row(role: &str, scope: Option<String>) -> Scope {
        match (role, scope) {
            ("zone", Some(z)) => Scope::Zone(z),
            ("city", Some(c)) => Scope::City(c),
            _ => Scope::Province,
        }
    }

    /// The `role` and `scope` columns.
    pub fn columns(&self) -> (&'static str, Option<&str>) {
        match self {
            Scope::Zone(z) => ("zone", Some(z)),
            Scope::City(c) => ("city", Some(c)),
            Scope::Province => ("province", None),
        }
    }

    /// Whether the account may see the zone `code`'s returns.
    pub fn sees_zone(&self, config: &Config, code: &str) -> bool {
        match self {
            Scope::Zone(z) => z == code,
            Scope::City(c) => config.registry.zone(code).is_some_and(|z| &z.city == c),
            Scope::Province => true,
        }
    }

    /// The zone of a zone clerk.
    pub fn zone(&self) -> Option<&str> {
        match self {
            Scope::Zone(z) => Some(z),
            _ => None,
        }
    }

    /// `无锡高新区填报员`, `无锡市审核员`, `省级管理员`.
    pub fn label_zh(&self, config: &Config) -> String {
        match self {
            Scope::Zone(z) => format!(
                "{}填报员",
                config
                    .registry
                    .zone(z)
                    .map(|z| z.name.as_str())
                    .unwrap_or(z)
            ),
            Scope::City(c) => format!("{c}审核员"),
            Scope::Province => "省级管理员".into(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub name: String,
    pub scope: Scope,
    pub must_change: bool,
    pub disabled: bool,
    pub demo: bool,
    pub failed_logins: u32,
    pub locked_until: Option<i64>,
    pub created_at: i64,
}

const COLUMNS: &str = "id, username, name, role, scope, must_change, disabled, demo, \
                       failed_logins, locked_until, created_at";

fn account(r: &Row) -> rusqlite::Result<Account> {
    Ok(Account {
        id: r.get(0)?,
        username: r.get(1)?,
        name: r.get(2)?,
        scope: Scope::from_row(&r.get::<_, String>(3)?, r.get(4)?),
        must_change: r.get(5)?,
        disabled: r.get(6)?,
        demo: r.get(7)?,
        failed_logins: r.get(8)?,
        locked_until: r.get(9)?,
        created_at: r.get(10)?,
    })
}

pub fn by_name(conn: &Connection, username: &str) -> rusqlite::Result<Option<Account>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM account WHERE username = ?1"),
        [username],
        account,
    )
    .optional()
}

pub fn by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<Account>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM account WHERE id = ?1"),
        [id],
        account,
    )
    .optional()
}

pub fn by_token(conn: &Connection, token_hash: &str) -> rusqlite::Result<Option<Account>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM account WHERE token_hash = ?1"),
        [token_hash],
        account,
    )
    .optional()
}

pub fn all(conn: &Connection) -> rusqlite::Result<Vec<Account>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM account ORDER BY username"))?;
    let rows = stmt.query_map([], account)?;
    rows.collect()
}

pub fn password_hash(conn: &Connection, id: i64) -> rusqlite::Result<String> {
    conn.query_row(
        "SELECT password_hash FROM account WHERE id = ?1",
        [id],
        |r| r.get(0),
    )
}

/// A new account with a one-time password (to be changed at first login).
pub fn insert(
    conn: &Connection,
    username: &str,
    name: &str,
    scope: &Scope,
    password_hash: &str,
    demo: bool,
) -> rusqlite::Result<i64> {
    let (role, scope) = scope.columns();
    conn.execute(
        "INSERT INTO account (username, name, role, scope, password_hash, must_change, demo, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        (username, name, role, scope, password_hash, !demo, demo, super::now()),
    )?;
    Ok(conn.last_insert_rowid())
}

/// Sets the password; `must_change` for a one-time password. Unlocks.
pub fn set_password(
    conn: &Connection,
    id: i64,
    hash: &str,
    must_change: bool,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE account SET password_hash = ?2, must_change = ?3, failed_logins = 0,
         locked_until = NULL WHERE id = ?1",
        (id, hash, must_change),
    )?;
    Ok(())
}

/// Counts a failed login; locks the account at `limit` failures (the count
/// starts again after the lock).
pub fn failed_login(
    conn: &Connection,
    id: i64,
    limit: u32,
    lock_until: i64,
) -> rusqlite::Result<bool> {
    let failures: u32 = conn.query_row(
        "UPDATE account SET failed_logins = failed_logins + 1 WHERE id = ?1 RETURNING failed_logins",
        [id],
        |r| r.get(0),
    )?;
    if failures >= limit {
        conn.execute(
            "UPDATE account SET failed_logins = 0, locked_until = ?2 WHERE id = ?1",
            (id, lock_until),
        )?;
        return Ok(true);
    }
    Ok(false)
}

pub fn logged_in(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE account SET failed_logins = 0, locked_until = NULL WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

/// Disables an account: its sessions and its API token end with it.
pub fn disable(conn: &mut Connection, id: i64) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute(
        "UPDATE account SET disabled = 1, token_hash = NULL WHERE id = ?1",
        [id],
    )?;
    tx.execute("DELETE FROM session WHERE account_id = ?1", [id])?;
    tx.commit()
}

pub fn set_token(conn: &Connection, id: i64, token_hash: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE account SET token_hash = ?2 WHERE id = ?1",
        (id, token_hash),
    )?;
    Ok(())
}
