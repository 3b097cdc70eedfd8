//! What the portal holds, read from outside: the files of the returns
//! folder and the rows of the database, to compare after a crash, a race
//! or a restore.

use std::collections::BTreeMap;
use std::path::Path;

use shuanggao::serve::store::Store;

/// Every file under `dir` (hidden folders included), by its path relative
/// to `dir`: (bytes, modification time in nanoseconds).
pub fn files(dir: &Path) -> BTreeMap<String, (Vec<u8>, u128)> {
    let mut out = BTreeMap::new();
    walk(dir, "", &mut out);
    out
}

fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, (Vec<u8>, u128)>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        let path = entry.path();
        if path.is_dir() {
            walk(&path, &format!("{name}/"), out);
        } else {
            let modified = std::fs::metadata(&path)
                .unwrap()
                .modified()
                .unwrap()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos();
            out.insert(name, (std::fs::read(&path).unwrap(), modified));
        }
    }
}

/// The returns (not the hidden folders) of the quarter `period` in `returns`.
pub fn returns_of(returns: &Path, period: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(returns.join(period))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| format!("{period}/{}", e.file_name().to_string_lossy()))
        .collect();
    names.sort();
    names
}

/// Every row of a query, each column as text (NULL: "∅").
pub fn rows(store: &Store, sql: &str) -> Vec<Vec<String>> {
    store
        .with(|c| {
            let mut stmt = c.prepare(sql)?;
            let n = stmt.column_count();
            let rows = stmt.query_map([], |r| {
                (0..n)
                    .map(|i| {
                        Ok(match r.get::<_, rusqlite::types::Value>(i)? {
                            rusqlite::types::Value::Null => "∅".to_string(),
                            rusqlite::types::Value::Integer(v) => v.to_string(),
                            rusqlite::types::Value::Real(v) => v.to_string(),
                            rusqlite::types::Value::Text(v) => v,
                            rusqlite::types::Value::Blob(v) => format!("{v:?}"),
                        })
                    })
                    .collect::<rusqlite::Result<Vec<String>>>()
            })?;
            rows.collect()
        })
        .unwrap()
}

/// The submission log of a quarter: (file, channel, uploader, sha256).
pub fn log_of(store: &Store, period: &str) -> Vec<Vec<String>> {
    rows(
        store,
        &format!(
            "SELECT s.file, s.channel, COALESCE(a.username, '∅'), s.sha256 FROM submission s
             LEFT JOIN account a ON a.id = s.account_id WHERE s.period = '{period}' ORDER BY s.file"
        ),
    )
}

/// The folder and the log agree: each file of the quarter has exactly one
/// row, no row claims a file that is not there, no temp file is left.
pub fn assert_agree(store: &Store, returns: &Path, period: &str) {
    let files = returns_of(returns, period);
    let temps: Vec<String> = files
        .iter()
        .filter(|f| f.rsplit('/').next().unwrap().starts_with('.'))
        .cloned()
        .collect();
    assert!(temps.is_empty(), "temp files left: {temps:?}");
    let log = log_of(store, period);
    let logged: Vec<String> = log.iter().map(|r| r[0].clone()).collect();
    assert_eq!(files, logged, "folder and submission log");
    for row in &log {
        let bytes = std::fs::read(returns.join(&row[0])).unwrap();
        assert_eq!(
            shuanggao::digest::sha256_hex(&bytes),
            row[3],
            "{}: the row's digest is the file's",
            row[0]
        );
    }
}
