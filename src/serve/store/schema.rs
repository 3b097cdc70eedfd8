//! The schema, as numbered migrations applied in order, each once, each in
//! a transaction; `schema_version` records what was applied. A later
//! feature (review by level, notices) adds a migration at the end and
//! never edits one already shipped.

use rusqlite::{Connection, Transaction};

/// Migration `i + 1` is `MIGRATIONS[i]`.
const MIGRATIONS: &[&str] = &[V1, V2, V3, V4];

/// Accounts, sessions, the submission log, explanations typed in the
/// portal, the audit log.
const V1: &str = r#"
CREATE TABLE account (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    -- 'zone' (scope: zone code), 'city' (scope: 设区市), 'province'
    role          TEXT NOT NULL CHECK (role IN ('zone', 'city', 'province')),
    scope         TEXT,
    password_hash TEXT NOT NULL,
    must_change   INTEGER NOT NULL DEFAULT 1,
    disabled      INTEGER NOT NULL DEFAULT 0,
    demo          INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  INTEGER,
    -- SHA-256 of the API token; the token itself is never stored
    token_hash    TEXT UNIQUE,
    created_at    INTEGER NOT NULL
);
CREATE TABLE session (
    -- SHA-256 of the cookie's session id
    id_hash    TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL
);
CREATE INDEX session_account ON session(account_id);
-- Every file of the returns folder, as received: by the portal, by the API,
-- or dropped into the folder by hand. The file's verdict is the one of the
-- latest check of its quarter.
CREATE TABLE submission (
    id          INTEGER PRIMARY KEY,
    period      TEXT NOT NULL,
    zone        TEXT,
    -- relative to the returns folder, e.g. '2026Q3/无锡高新区_2026Q3_….xlsx'
    file        TEXT NOT NULL UNIQUE,
    sha256      TEXT NOT NULL,
    bytes       INTEGER NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('portal', 'api', 'folder')),
    account_id  INTEGER REFERENCES account(id),
    received_at INTEGER NOT NULL,
    verdict     TEXT,
    errors      INTEGER NOT NULL DEFAULT 0,
    warnings    INTEGER NOT NULL DEFAULT 0,
    infos       INTEGER NOT NULL DEFAULT 0,
    checked_at  INTEGER,
    -- 0 once the file is no longer in the returns folder
    present     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX submission_zone ON submission(zone, period);
CREATE TABLE explanation (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submission(id),
    rule          TEXT NOT NULL,
    location      TEXT NOT NULL,
    text          TEXT NOT NULL,
    account_id    INTEGER NOT NULL REFERENCES account(id),
    written_at    INTEGER NOT NULL
);
CREATE TABLE audit (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    -- who: the account, or the user name tried at a failed login
    username TEXT,
    zone     TEXT,
    address  TEXT,
    action   TEXT NOT NULL,
    target   TEXT,
    outcome  TEXT NOT NULL
);
CREATE INDEX audit_at ON audit(at);
"#;

/// Notices (issue 21): what a zone, a city's reviewers or the province are
/// told inside the portal (退回, 审核通过, 待审核, 请核实 …), and how far each
/// account has read them.
const V2: &str = r#"
CREATE TABLE notice (
    id         INTEGER PRIMARY KEY,
    -- to whom: 'zone' (scope: zone code), 'city' (scope: 设区市), 'province'
    role       TEXT NOT NULL CHECK (role IN ('zone', 'city', 'province')),
    scope      TEXT,
    kind       TEXT NOT NULL,
    text       TEXT NOT NULL,
    link       TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX notice_to ON notice(role, scope, id);
CREATE TABLE notice_read (
    account_id INTEGER PRIMARY KEY REFERENCES account(id) ON DELETE CASCADE,
    last_id    INTEGER NOT NULL
);
"#;

/// The write-ahead journal (`serve::journal`): a change of the returns
/// folder and the database together, recorded before it is made and
/// deleted in the transaction that finishes it; what is left at start is
/// settled by recovery.
const V3: &str = r#"
CREATE TABLE intent (
    id         INTEGER PRIMARY KEY,
    -- the change's kind, e.g. 'upload'
    kind       TEXT NOT NULL,
    -- JSON: everything needed to finish or undo it
    payload    TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
"#;

/// 请核实: a question the province asks a zone about one value of the
/// 核查优先清单, and the zone's answer. The value is copied as it was
/// asked about, so the question keeps its sense after a correction.
const V4: &str = r#"
CREATE TABLE query (
    id            INTEGER PRIMARY KEY,
    period        TEXT NOT NULL,
    zone          TEXT NOT NULL,
    -- the review item: indicator code, or projects.contract / projects.funded
    indicator     TEXT NOT NULL,
    indicator_name TEXT NOT NULL,
    -- where the value is: file (relative to the returns folder), sheet, cell
    file          TEXT NOT NULL,
    sheet         TEXT NOT NULL,
    cell          TEXT NOT NULL,
    -- the value as shown, with its unit
    value         TEXT NOT NULL,
    question      TEXT NOT NULL,
    asked_by      INTEGER NOT NULL REFERENCES account(id),
    asked_at      INTEGER NOT NULL,
    answer        TEXT,
    answered_by   INTEGER REFERENCES account(id),
    answered_at   INTEGER
);
CREATE INDEX query_zone ON query(zone, period);
"#;

/// Applies the migrations not yet applied.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_version (
            version    INTEGER PRIMARY KEY,
            applied_at INTEGER NOT NULL
        )",
    )?;
    let current: i64 = conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_version",
        [],
        |r| r.get(0),
    )?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        apply(&tx, sql, i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

fn apply(tx: &Transaction, sql: &str, version: i64) -> rusqlite::Result<()> {
    tx.execute_batch(sql)?;
    tx.execute(
        "INSERT INTO schema_version (version, applied_at) VALUES (?1, ?2)",
        (version, super::now()),
    )?;
    Ok(())
}

/// The schema version of an open database.
pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT MAX(version) FROM schema_version", [], |r| r.get(0))
}
