//! 请核实: questions the province asks a zone about a value of the
//! 核查优先清单, and the zone's answers.

use rusqlite::{Connection, OptionalExtension, Row};

/// A question as asked (and its answer, once given).
#[derive(Debug, Clone)]
pub struct Query {
    pub id: i64,
    pub period: String,
    pub zone: String,
    pub indicator: String,
    pub indicator_name: String,
    pub file: String,
    pub sheet: String,
    pub cell: String,
    pub value: String,
    pub question: String,
    pub asked_by: String,
    pub asked_at: i64,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<i64>,
}

/// What the province asks about.
pub struct Asked<'a> {
    pub period: &'a str,
    pub zone: &'a str,
    pub indicator: &'a str,
    pub indicator_name: &'a str,
    pub file: &'a str,
    pub sheet: &'a str,
    pub cell: &'a str,
    pub value: &'a str,
    pub question: &'a str,
    pub account_id: i64,
}

const COLUMNS: &str = "q.id, q.period, q.zone, q.indicator, q.indicator_name, q.file, q.sheet, \
     q.cell, q.value, q.question, a.username, q.asked_at, q.answer, b.username, q.answered_at";
const FROM: &str = "FROM query q JOIN account a ON a.id = q.asked_by \
     LEFT JOIN account b ON b.id = q.answered_by";

fn query(r: &Row) -> rusqlite::Result<Query> {
    Ok(Query {
        id: r.get(0)?,
        period: r.get(1)?,
        zone: r.get(2)?,
        indicator: r.get(3)?,
        indicator_name: r.get(4)?,
        file: r.get(5)?,
        sheet: r.get(6)?,
        cell: r.get(7)?,
        value: r.get(8)?,
        question: r.get(9)?,
        asked_by: r.get(10)?,
        asked_at: r.get(11)?,
        answer: r.get(12)?,
        answered_by: r.get(13)?,
        answered_at: r.get(14)?,
    })
}

pub fn insert(conn: &Connection, q: &Asked) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO query (period, zone, indicator, indicator_name, file, sheet, cell, value,
         question, asked_by, asked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        (
            q.period,
            q.zone,
            q.indicator,
            q.indicator_name,
            q.file,
            q.sheet,
            q.cell,
            q.value,
            q.question,
            q.account_id,
            super::now(),
        ),
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<Query>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} {FROM} WHERE q.id = ?1"),
        [id],
        query,
    )
    .optional()
}

/// The quarter's questions (of one zone, or of all), the latest first.
pub fn of_period(
    conn: &Connection,
    period: &str,
    zone: Option<&str>,
) -> rusqlite::Result<Vec<Query>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} {FROM} WHERE q.period = ?1 AND (?2 IS NULL OR q.zone = ?2)
         ORDER BY q.asked_at DESC, q.id DESC"
    ))?;
    let rows = stmt.query_map((period, zone), query)?;
    rows.collect()
}

/// Records the zone's answer (a later answer replaces an earlier one).
pub fn answer(conn: &Connection, id: i64, text: &str, account_id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE query SET answer = ?2, answered_by = ?3, answered_at = ?4 WHERE id = ?1",
        (id, text, account_id, super::now()),
    )?;
    Ok(())
}
