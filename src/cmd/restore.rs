//! `shuanggao restore`: a backup (`shuanggao backup`) back into empty
//! folders, with the portal stopped. Every file is checked against the
//! manifest (size and SHA-256) before anything is written; then the
//! database and the returns folder are written (files keep their
//! modification times) and the journal's recovery settles an upload the
//! backup caught in flight.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use super::backup::{Manifest, DATA_DIR, FORMAT, MANIFEST, RETURNS_DIR};
use crate::error::{Error, Result};
use crate::serve::store::Store;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 备份文件（shuanggao backup 生成的 zip）
    #[arg(value_name = "备份文件")]
    pub archive: PathBuf,
    /// 数据目录（与 serve 的 --data 相同；须为空目录或尚不存在）
    #[arg(long, value_name = "目录", default_value = "data")]
    pub data: PathBuf,
    /// 报表目录（与 serve 的 --returns 相同；须为空目录或尚不存在）
    #[arg(long, value_name = "目录", default_value = "inputs/returns")]
    pub returns: PathBuf,
}

type Archive = zip::ZipArchive<std::fs::File>;

pub fn run(args: &Args) -> Result<i32> {
    for dir in [&args.data, &args.returns] {
        must_be_empty(dir)?;
    }
    let file = std::fs::File::open(&args.archive).map_err(|e| Error::Read {
        path: args.archive.clone(),
        source: e,
    })?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| corrupt(&args.archive, e))?;
    let manifest = verified(&mut zip).map_err(|why| corrupt(&args.archive, why))?;
    for entry in &manifest.files {
        let target = target(args, &entry.path).expect("checked by verified");
        let bytes = read(&mut zip, &entry.path).map_err(|why| corrupt(&args.archive, why))?;
        crate::output::write_atomic(&target, &bytes)?;
        let time = UNIX_EPOCH + Duration::from_nanos(entry.modified_ns);
        std::fs::File::options()
            .write(true)
            .open(&target)
            .and_then(|f| f.set_modified(time))
            .map_err(|e| Error::write(&target, e))?;
    }
    let store = Store::open(&args.data)?;
    let settled = crate::serve::recover(&store, &args.returns)?;
    println!(
        "已从 {} 恢复（备份于 {}）：{} 个文件写入数据目录 {} 和报表目录 {}{}。",
        args.archive.display(),
        manifest.taken_at,
        manifest.files.len(),
        args.data.display(),
        args.returns.display(),
        if settled.is_empty() {
            String::new()
        } else {
            format!("；备份时正在进行的 {} 项操作已处理", settled.len())
        }
    );
    Ok(0)
}

/// Restore writes only into an empty (or new) folder: it never mixes a
/// backup with what is there.
fn must_be_empty(dir: &Path) -> Result<()> {
    let has_entries = match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_some(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => {
            return Err(Error::Read {
                path: dir.to_path_buf(),
                source: e,
            })
        }
    };
    if has_entries || dir.is_file() {
        return Err(Error::Input(format!(
            "目标目录 {} 不是空目录，未恢复任何文件。恢复只写入空目录或尚不存在的目录：请先停止门户，另指定一个空目录（--data、--returns），或将原目录移走后再恢复",
            dir.display()
        )));
    }
    Ok(())
}

fn corrupt(archive: &Path, why: impl std::fmt::Display) -> Error {
    Error::Input(format!(
        "备份文件 {} 已损坏或不是 shuanggao 的备份（{why}），未恢复任何文件",
        archive.display()
    ))
}

/// The manifest, once every file it lists is in the archive with its size
/// and SHA-256, and nothing else is; else why not.
fn verified(zip: &mut Archive) -> std::result::Result<Manifest, String> {
    let manifest: Manifest = serde_json::from_slice(&read(zip, MANIFEST)?)
        .map_err(|e| format!("{MANIFEST} 无法读取：{e}"))?;
    if manifest.format != FORMAT || manifest.version != 1 {
        return Err(format!("{MANIFEST} 不是 shuanggao 备份的清单"));
    }
    let mut listed: Vec<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    listed.push(MANIFEST);
    listed.sort_unstable();
    let mut names: Vec<String> = zip
        .file_names()
        .map(|n| n.map(|n| n.to_string()))
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| e.to_string())?;
    names.sort_unstable();
    if names != listed {
        return Err("压缩包中的文件与清单不符".into());
    }
    for entry in &manifest.files {
        if !safe(&entry.path) {
            return Err(format!("清单中的路径 {} 不合规", entry.path));
        }
        let bytes = read(zip, &entry.path)?;
        if bytes.len() as u64 != entry.bytes || crate::digest::sha256_hex(&bytes) != entry.sha256 {
            return Err(format!("{} 的大小或校验值与清单不符", entry.path));
        }
    }
    Ok(manifest)
}

/// A name inside `data/` or `returns/`, without `..` or a root.
fn safe(name: &str) -> bool {
    (name.starts_with(DATA_DIR) || name.starts_with(RETURNS_DIR))
        && Path::new(name)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// Where the archive's `name` goes.
fn target(args: &Args, name: &str) -> Option<PathBuf> {
    if let Some(rest) = name.strip_prefix(DATA_DIR) {
        return Some(args.data.join(rest));
    }
    name.strip_prefix(RETURNS_DIR)
        .map(|rest| args.returns.join(rest))
}

fn read(zip: &mut Archive, name: &str) -> std::result::Result<Vec<u8>, String> {
    let mut file = zip.by_name(name).map_err(|e| format!("缺少 {name}：{e}"))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|e| format!("{name} 无法读取：{e}"))?;
    Ok(bytes)
}
