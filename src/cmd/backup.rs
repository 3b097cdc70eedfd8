//! `shuanggao backup`: an online, consistent backup of the portal (its
//! database and the returns folder) while it runs. The database's write
//! lock is held (`BEGIN IMMEDIATE`) while the database is copied
//! (`VACUUM INTO`, from a second connection) and the returns folder is
//! read into memory, so the portal changes neither meanwhile (compressing
//! and writing come after the lock is let go); an upload caught
//! between its intent and its row is settled by the journal's recovery
//! when the backup is restored (docs/operations.md).
//!
//! The archive is a zip: `manifest.json` (every file with its size,
//! SHA-256 and modification time), `data/portal.sqlite3` and
//! `returns/<quarter>/…` (the hidden `.情况说明` and `.审核` folders
//! included); written atomically, readable by its owner only (the
//! database holds password hashes).

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::serve::store;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 备份文件（zip；写完整后才出现）
    #[arg(long, value_name = "文件")]
    pub out: PathBuf,
    /// 数据目录（与 serve 的 --data 相同）
    #[arg(long, value_name = "目录", default_value = "data")]
    pub data: PathBuf,
    /// 报表目录（与 serve 的 --returns 相同）
    #[arg(long, value_name = "目录", default_value = "inputs/returns")]
    pub returns: PathBuf,
}

/// What `manifest.json` says the archive holds.
#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    pub version: u32,
    /// When the backup was taken (local time, for people).
    pub taken_at: String,
    pub files: Vec<Entry>,
}

/// One file of the archive: its name inside it (`data/…` or `returns/…`).
#[derive(Debug, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
    /// Nanoseconds since the epoch: restored as is, since F02 breaks a tie
    /// of 填报日期 by the file's time.
    pub modified_ns: u64,
}

pub const FORMAT: &str = "shuanggao-backup";
pub const MANIFEST: &str = "manifest.json";
/// The archive's folders for `--data` and `--returns`.
pub const DATA_DIR: &str = "data/";
pub const RETURNS_DIR: &str = "returns/";

pub fn run(args: &Args) -> Result<i32> {
    let database = args.data.join(store::FILE);
    if !database.is_file() {
        return Err(Error::Input(format!(
            "数据目录 {} 中没有门户的数据库 {}（可用 --data 指定）",
            args.data.display(),
            store::FILE
        )));
    }
    if !args.returns.is_dir() {
        return Err(Error::Input(format!(
            "找不到报表目录 {}（可用 --returns 指定）",
            args.returns.display()
        )));
    }
    let dir = args
        .out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::write(&args.out, e))?;
    let mut zip = zip::ZipWriter::new(BufWriter::new(tmp));
    let (read, held) = read_locked(&database, &args.returns, &args.out)?;
    let files = read
        .iter()
        .map(|file| add(&mut zip, file, &args.out))
        .collect::<Result<Vec<_>>>()?;
    let manifest = Manifest {
        format: FORMAT.into(),
        version: 1,
        taken_at: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
        files,
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Input(e.to_string()))?;
    let zipped = |e: zip::result::ZipError| Error::write(&args.out, e);
    zip.start_file(MANIFEST, options()).map_err(zipped)?;
    zip.write_all(&json)
        .map_err(|e| Error::write(&args.out, e))?;
    let tmp = zip
        .finish()
        .map_err(zipped)?
        .into_inner()
        .map_err(|e| Error::write(&args.out, e.error()))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| Error::write(&args.out, e))?;
    // Private to its owner, as the temp file was: it holds password hashes.
    tmp.persist(&args.out)
        .map_err(|e| Error::write(&args.out, e.error))?;
    let total: u64 = manifest.files.iter().map(|f| f.bytes).sum();
    println!(
        "已备份到 {}：数据库和报表目录共 {} 个文件，{:.1} MB（{}）。门户的写入为此等待了 {} 毫秒。",
        args.out.display(),
        manifest.files.len(),
        total as f64 / 1e6,
        manifest.taken_at,
        held.as_millis()
    );
    Ok(0)
}

fn options() -> zip::write::SimpleFileOptions {
    zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true)
}

/// A file as read under the lock: its name in the archive, its bytes and
/// modification time.
struct Read {
    name: String,
    bytes: Vec<u8>,
    modified_ns: u64,
}

/// With the database's write lock held: the database and every file of
/// the returns folder, read into memory (the lock is held only while they
/// are read; compressing comes after); and how long the lock was held.
fn read_locked(database: &Path, returns: &Path, out: &Path) -> Result<(Vec<Read>, Duration)> {
    let db = |e: rusqlite::Error| Error::Input(format!("数据库 {}：{e}", database.display()));
    let lock = rusqlite::Connection::open(database).map_err(db)?;
    lock.busy_timeout(Duration::from_secs(60)).map_err(db)?;
    let staging = tempfile::tempdir().map_err(|e| Error::write(out, e))?;
    let copy = staging.path().join(store::FILE);
    lock.execute_batch("BEGIN IMMEDIATE").map_err(db)?;
    let started = Instant::now();
    let reader = rusqlite::Connection::open(database).map_err(db)?;
    reader
        .execute("VACUUM INTO ?1", [copy.to_string_lossy()])
        .map_err(db)?;
    let mut files = vec![(format!("{DATA_DIR}{}", store::FILE), copy)];
    walk(returns, RETURNS_DIR, &mut files)?;
    let read = files
        .into_iter()
        .map(|(name, path)| read(name, &path))
        .collect::<Result<Vec<_>>>()?;
    // Nothing was written: the lock is let go.
    lock.execute_batch("ROLLBACK").map_err(db)?;
    Ok((read, started.elapsed()))
}

/// Every file under `dir` (hidden folders included; temp files of a write
/// in progress left out: the journal settles what they belong to), as
/// (name in the archive, path), sorted.
fn walk(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf)>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::Read {
        path: dir.to_path_buf(),
        source: e,
    })?;
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().to_string();
        let path = entry.path();
        if path.is_dir() {
            walk(&path, &format!("{prefix}{name}/"), out)?;
        } else if path.is_file() && !is_temp(&name) {
            out.push((format!("{prefix}{name}"), path));
        }
    }
    Ok(())
}

/// A temp file of an atomic write (`output::write_atomic`'s `.tmp…`, the
/// journal's `.….part`).
fn is_temp(name: &str) -> bool {
    name.starts_with(".tmp") || (name.starts_with('.') && name.ends_with(".part"))
}

fn read(name: String, path: &Path) -> Result<Read> {
    let bytes = std::fs::read(path).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        source: e,
    })?;
    let modified_ns = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    Ok(Read {
        name,
        bytes,
        modified_ns,
    })
}

fn add<W: Write + std::io::Seek>(
    zip: &mut zip::ZipWriter<W>,
    file: &Read,
    out: &Path,
) -> Result<Entry> {
    zip.start_file(file.name.as_str(), options())
        .map_err(|e| Error::write(out, e))?;
    zip.write_all(&file.bytes)
        .map_err(|e| Error::write(out, e))?;
    Ok(Entry {
        path: file.name.clone(),
        bytes: file.bytes.len() as u64,
        sha256: crate::digest::sha256_hex(&file.bytes),
        modified_ns: file.modified_ns,
    })
}
