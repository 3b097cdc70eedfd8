//! The submission log: every file of the returns folder, with how it came
//! and its verdict at the latest check of its quarter.

use rusqlite::{Connection, OptionalExtension, Row};

/// How a file came into the returns folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// Uploaded in the zone's page.
    Portal,
    /// Uploaded through the JSON API.
    Api,
    /// Put into the folder by hand (by provincial staff).
    Folder,
}

impl Channel {
    pub fn column(self) -> &'static str {
        match self {
            Channel::Portal => "portal",
            Channel::Api => "api",
            Channel::Folder => "folder",
        }
    }

    fn from_column(s: &str) -> Channel {
        match s {
            "portal" => Channel::Portal,
            "api" => Channel::Api,
            _ => Channel::Folder,
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Channel::Portal => "网页上传",
            Channel::Api => "接口上传",
            Channel::Folder => "省里放入报表目录",
        }
    }
}

#[derive(Debug, Clone)]
pub struct LoggedSubmission {
    pub id: i64,
    pub period: String,
    pub zone: Option<String>,
    pub file: String,
    pub sha256: String,
    pub bytes: i64,
    pub channel: Channel,
    /// Who uploaded it (none for a file put in by hand).
    pub username: Option<String>,
    pub received_at: i64,
    /// The verdict's Chinese label at the latest check (通过 …).
    pub verdict: Option<String>,
    pub errors: i64,
    pub warnings: i64,
    pub infos: i64,
    pub present: bool,
}

const COLUMNS: &str = "s.id, s.period, s.zone, s.file, s.sha256, s.bytes, s.channel, a.username, \
     s.received_at, s.verdict, s.errors, s.warnings, s.infos, s.present";
const FROM: &str = "FROM submission s LEFT JOIN account a ON a.id = s.account_id";

fn logged(r: &Row) -> rusqlite::Result<LoggedSubmission> {
    Ok(LoggedSubmission {
        id: r.get(0)?,
        period: r.get(1)?,
        zone: r.get(2)?,
        file: r.get(3)?,
        sha256: r.get(4)?,
        bytes: r.get(5)?,
        channel: Channel::from_column(&r.get::<_, String>(6)?),
        username: r.get(7)?,
        received_at: r.get(8)?,
        verdict: r.get(9)?,
        errors: r.get(10)?,
        warnings: r.get(11)?,
        infos: r.get(12)?,
        present: r.get(13)?,
    })
}

/// A file as it arrives (before its check).
pub struct Arrival<'a> {
    pub period: &'a str,
    pub zone: Option<&'a str>,
    pub file: &'a str,
    pub sha256: &'a str,
    pub bytes: u64,
    pub channel: Channel,
    pub account_id: Option<i64>,
    pub received_at: i64,
}

/// Logs a file; a file already logged keeps its row (and its id).
pub fn insert(conn: &Connection, a: &Arrival) -> rusqlite::Result<i64> {
    upsert(conn, a, "present = 1")
}

/// Logs an upload: its row says who sent it and how, even when a check of
/// the quarter that ran meanwhile logged the file first as put in by hand.
pub fn insert_upload(conn: &Connection, a: &Arrival) -> rusqlite::Result<i64> {
    upsert(
        conn,
        a,
        "channel = excluded.channel, account_id = excluded.account_id, \
         received_at = excluded.received_at, present = 1",
    )
}

fn upsert(conn: &Connection, a: &Arrival, on_conflict: &str) -> rusqlite::Result<i64> {
    conn.execute(
        &format!(
            "INSERT INTO submission (period, zone, file, sha256, bytes, channel, account_id, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(file) DO UPDATE SET {on_conflict}"
        ),
        (
            a.period,
            a.zone,
            a.file,
            a.sha256,
            a.bytes as i64,
            a.channel.column(),
            a.account_id,
            a.received_at,
        ),
    )?;
    conn.query_row("SELECT id FROM submission WHERE file = ?1", [a.file], |r| {
        r.get(0)
    })
}

/// What the latest check of its quarter says of a file.
pub struct Checked<'a> {
    pub file: &'a str,
    pub zone: Option<&'a str>,
    pub sha256: &'a str,
    pub verdict: &'a str,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

pub fn record_check(conn: &Connection, c: &Checked, at: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE submission SET zone = COALESCE(?2, zone), sha256 = ?3, verdict = ?4, errors = ?5,
         warnings = ?6, infos = ?7, checked_at = ?8, present = 1 WHERE file = ?1",
        (
            c.file,
            c.zone,
            c.sha256,
            c.verdict,
            c.errors as i64,
            c.warnings as i64,
            c.infos as i64,
            at,
        ),
    )?;
    Ok(())
}

/// Marks the quarter's logged files that are no longer in the folder (run
/// inside the caller's transaction).
pub fn mark_absent(conn: &Connection, period: &str, present: &[String]) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE submission SET present = 0 WHERE period = ?1",
        [period],
    )?;
    for file in present {
        conn.execute("UPDATE submission SET present = 1 WHERE file = ?1", [file])?;
    }
    Ok(())
}

pub fn by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<LoggedSubmission>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} {FROM} WHERE s.id = ?1"),
        [id],
        logged,
    )
    .optional()
}

pub fn by_file(conn: &Connection, file: &str) -> rusqlite::Result<Option<LoggedSubmission>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} {FROM} WHERE s.file = ?1"),
        [file],
        logged,
    )
    .optional()
}

/// A zone's submissions of every quarter, the latest first.
pub fn of_zone(conn: &Connection, zone: &str) -> rusqlite::Result<Vec<LoggedSubmission>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} {FROM} WHERE s.zone = ?1 ORDER BY s.period DESC, s.received_at DESC, s.id DESC"
    ))?;
    let rows = stmt.query_map([zone], logged)?;
    rows.collect()
}

/// Every logged file (the bench and tests count them).
pub fn count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT COUNT(*) FROM submission", [], |r| r.get(0))
}

/// Logs an explanation typed in the portal.
pub fn insert_explanation(
    conn: &Connection,
    submission: i64,
    rule: &str,
    location: &str,
    text: &str,
    account: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO explanation (submission_id, rule, location, text, account_id, written_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        (submission, rule, location, text, account, super::now()),
    )?;
    Ok(())
}
