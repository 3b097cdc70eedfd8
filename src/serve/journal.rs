//! A write-ahead journal that keeps the database and the returns folder
//! together: a change that touches both (an upload: a file in the folder
//! and its row in the submission log) is either wholly there or wholly
//! absent after a crash at any moment, `kill -9` included.
//!
//! A change is a [`Change`]: a kind (`"upload"`), a payload (itself, as
//! JSON: everything needed to finish it without the request that began it),
//! a test of whether the folder shows it ([`Change::in_folder`]), what a
//! change that did not reach the folder may have left behind
//! ([`Change::leftovers`]) and its database part ([`Change::finish`]).
//! [`run`] makes it in three steps:
//!
//! 1. the intent (kind, payload) is written in one transaction (table
//!    `intent`);
//! 2. the caller's folder step runs, atomically: [`place`] writes a temp
//!    file beside the target (hidden: its name starts with a dot), syncs it,
//!    renames it into place and syncs the folder;
//! 3. one transaction runs [`Change::finish`] and deletes the intent.
//!
//! At start, before the submission log is synced with the folder,
//! [`recover`] settles every intent left: forward (step 3) when the folder
//! shows the change, back (leftovers removed, intent deleted) when it does
//! not. `restore` runs it too. Each kind is registered once, in
//! [`super::kinds`]; a kind the binary does not know stops the start (the
//! intent is kept, nothing is guessed).
//!
//! Fault injection ([`super::crash`]): the points `<kind>.journaled`
//! (after step 1), `<kind>.written` (the temp file written, not renamed),
//! `<kind>.stored` (after step 2) and `<kind>.finished` (after step 3).
//!
//! ```ignore
//! let id = journal::run(&app.store, &returns, &change, |c| {
//!     journal::place(Stored::KIND, &returns.join(&c.file), &bytes)
//! })?;
//! ```
//!
//! A new kind (a review decision, kept in `<P>/.审核/<file>.json` as a
//! list of decisions, each with a unique id) implements [`Change`] and is
//! added to [`super::kinds`]:
//!
//! ```ignore
//! impl Change for Decision {
//!     const KIND: &'static str = "review";
//!     type Output = ();
//!     fn in_folder(&self, returns: &Path) -> bool {
//!         decisions(&self.path(returns)).iter().any(|d| d.id == self.id)
//!     }
//!     // Only the temp file: the decisions file holds earlier decisions.
//!     fn leftovers(&self, returns: &Path) -> Vec<PathBuf> {
//!         vec![journal::temp_beside(&self.path(returns))]
//!     }
//!     fn finish(&self, tx: &Transaction) -> rusqlite::Result<()> {
//!         audit::insert(tx, &self.audit_row())
//!     }
//! }
//! ```
//!
//! A folder step that reads a file and writes it back (a list of
//! decisions) must run one at a time per file (a lock of the caller's), or
//! two changes made together would each write the list without the other.

use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::Transaction;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::crash;
use super::store::{audit, AuditRow, Store};
use crate::error::{Error, Result};

/// A change of the folder and the database together.
pub trait Change: Serialize + DeserializeOwned {
    /// Stored with the intent; names the crash points (`upload.stored`).
    const KIND: &'static str;
    /// What finishing gives (an upload: the submission's id).
    type Output;
    /// Whether the returns folder shows the change (recovery rolls it
    /// forward) or not (back).
    fn in_folder(&self, returns: &Path) -> bool;
    /// Files a change that did not reach the folder may have left (temp
    /// files, files written ahead of the main one): removed on roll-back.
    fn leftovers(&self, returns: &Path) -> Vec<PathBuf>;
    /// The database's part, in the transaction that deletes the intent.
    fn finish(&self, tx: &Transaction) -> rusqlite::Result<Self::Output>;
}

/// How recovery settled an intent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    Forward,
    Back,
}

/// A registered kind: its name and how to settle its intents.
pub struct Kind {
    pub name: &'static str,
    settle: fn(&Store, &Path, i64, &str) -> Result<Settled>,
}

/// The [`Kind`] of `C`, for [`super::kinds`].
pub fn kind<C: Change>() -> Kind {
    Kind {
        name: C::KIND,
        settle: settle::<C>,
    }
}

fn db(e: rusqlite::Error) -> Error {
    Error::Input(format!("数据库：{e}"))
}

/// Makes `change`: intent, `folder` (the folder step), finish. When the
/// folder step fails, the change is rolled back at once.
pub fn run<C: Change>(
    store: &Store,
    returns: &Path,
    change: &C,
    folder: impl FnOnce(&C) -> Result<()>,
) -> Result<C::Output> {
    let payload = serde_json::to_string(change).map_err(|e| Error::Input(e.to_string()))?;
    let id = store
        .with(|c| {
            c.execute(
                "INSERT INTO intent (kind, payload, created_at) VALUES (?1, ?2, ?3)",
                (C::KIND, &payload, super::store::now()),
            )?;
            Ok(c.last_insert_rowid())
        })
        .map_err(db)?;
    crash::point(&format!("{}.journaled", C::KIND));
    if let Err(e) = folder(change) {
        roll_back(store, returns, id, change)?;
        return Err(e);
    }
    crash::point(&format!("{}.stored", C::KIND));
    let out = finish(store, id, change)?;
    crash::point(&format!("{}.finished", C::KIND));
    Ok(out)
}

fn finish<C: Change>(store: &Store, id: i64, change: &C) -> Result<C::Output> {
    store
        .with(|c| {
            let tx = c.transaction()?;
            let out = change.finish(&tx)?;
            tx.execute("DELETE FROM intent WHERE id = ?1", [id])?;
            tx.commit()?;
            Ok(out)
        })
        .map_err(db)
}

fn roll_back<C: Change>(store: &Store, returns: &Path, id: i64, change: &C) -> Result<()> {
    for path in change.leftovers(returns) {
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(Error::write(&path, e))
            }
            _ => {}
        }
    }
    store
        .with(|c| c.execute("DELETE FROM intent WHERE id = ?1", [id]))
        .map_err(db)?;
    Ok(())
}

fn settle<C: Change>(store: &Store, returns: &Path, id: i64, payload: &str) -> Result<Settled> {
    let change: C = serde_json::from_str(payload).map_err(|e| {
        Error::Input(format!(
            "数据库中未完成的操作 {id}（{}）无法读取：{e}",
            C::KIND
        ))
    })?;
    if change.in_folder(returns) {
        finish(store, id, &change)?;
        Ok(Settled::Forward)
    } else {
        roll_back(store, returns, id, &change)?;
        Ok(Settled::Back)
    }
}

/// One intent settled at start: its id, kind and how.
#[derive(Debug, Clone)]
pub struct Recovered {
    pub id: i64,
    pub kind: String,
    pub settled: Settled,
}

/// Settles every intent left by a crash, oldest first, and audits each.
pub fn recover(store: &Store, returns: &Path, kinds: &[Kind]) -> Result<Vec<Recovered>> {
    let left: Vec<(i64, String, String)> = store
        .with(|c| {
            let mut stmt = c.prepare("SELECT id, kind, payload FROM intent ORDER BY id")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect()
        })
        .map_err(db)?;
    let mut done = Vec::new();
    for (id, name, payload) in left {
        let kind = kinds.iter().find(|k| k.name == name).ok_or_else(|| {
            Error::Input(format!(
                "数据库中有本版本不认识的未完成操作 {id}（{name}），请使用写入它的版本启动"
            ))
        })?;
        let settled = (kind.settle)(store, returns, id, &payload)?;
        let outcome = match settled {
            Settled::Forward => "recovered: completed",
            Settled::Back => "recovered: undone",
        };
        store
            .with(|c| {
                audit::insert(
                    c,
                    &AuditRow {
                        at: super::store::now(),
                        username: None,
                        zone: None,
                        address: None,
                        action: "journal.recover".into(),
                        target: Some(format!("{name} {id}")),
                        outcome: outcome.into(),
                    },
                )
            })
            .map_err(db)?;
        done.push(Recovered {
            id,
            kind: name,
            settled,
        });
    }
    Ok(done)
}

/// Where [`place`] writes `path` first: beside it, hidden from the scan of
/// the returns folder (`.<name>.part`).
pub fn temp_beside(path: &Path) -> PathBuf {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    path.with_file_name(format!(".{name}.part"))
}

/// Writes `bytes` to `path` atomically for the journal's kind `kind`: the
/// temp file [`temp_beside`] it, synced, renamed into place, and the
/// folder synced so the rename itself survives a power loss.
pub fn place(kind: &str, path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    let temp = temp_beside(path);
    let mut file = std::fs::File::create(&temp).map_err(|e| Error::write(&temp, e))?;
    file.write_all(bytes)
        .and_then(|_| file.sync_all())
        .map_err(|e| Error::write(&temp, e))?;
    drop(file);
    crate::output::readable_by_all(&temp)?;
    crash::point(&format!("{kind}.written"));
    std::fs::rename(&temp, path).map_err(|e| Error::write(path, e))?;
    sync_dir(dir)
}

/// Makes a rename in `dir` durable (a no-op where folders cannot be
/// opened).
pub fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        let handle = std::fs::File::open(dir).map_err(|e| Error::write(dir, e))?;
        handle.sync_all().map_err(|e| Error::write(dir, e))?;
    }
    let _ = dir;
    Ok(())
}
