//! `shuanggao backup` while the portal runs, `shuanggao restore` into empty
//! folders: every file, account and submission row as it was at the
//! backup; a backup taken during uploads restores to a folder and a log
//! that agree; a damaged archive and a folder that is not empty are
//! refused.

use std::path::Path;
use std::process::Output;
use std::sync::Arc;

use shuanggao::model::draft::Cell;
use shuanggao::serve::store::{Scope, Store};

use crate::helpers::{draft_bytes, open_period, sample_file, spawn_app};
use crate::state::{assert_agree, files, rows};

fn run(args: &[&std::ffi::OsStr]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_shuanggao"))
        .args(args)
        .output()
        .unwrap()
}

fn backup(out: &Path, data: &Path, returns: &Path) -> Output {
    run(&[
        "backup".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
        "--data".as_ref(),
        data.as_os_str(),
        "--returns".as_ref(),
        returns.as_os_str(),
    ])
}

fn restore(archive: &Path, data: &Path, returns: &Path) -> Output {
    run(&[
        "restore".as_ref(),
        archive.as_os_str(),
        "--data".as_ref(),
        data.as_os_str(),
        "--returns".as_ref(),
        returns.as_os_str(),
    ])
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// Exit code 2 and the Chinese message on standard error.
fn refused(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).to_string()
}

const ACCOUNTS: &str = "SELECT * FROM account ORDER BY id";
const LOG: &str = "SELECT * FROM submission ORDER BY id";

#[tokio::test]
async fn a_backup_restores_every_file_account_and_log_row_as_they_were_at_the_backup() {
    let app = spawn_app().await;
    let wx = app.clerk("wx_clerk", "WX").await;
    wx.submit(sample_file("无锡高新区_2026Q3_首次报送.xlsx"))
        .await;
    // The portal's hidden folders beside the returns go with them.
    let quarter = app.returns.join(open_period().to_string());
    for (dir, text) in [(".情况说明", "[]"), (".审核", r#"[{"id": "r1"}]"#)] {
        std::fs::create_dir_all(quarter.join(dir)).unwrap();
        std::fs::write(quarter.join(dir).join("x.xlsx.json"), text).unwrap();
    }
    let then = (
        files(&app.returns),
        rows(app.store(), ACCOUNTS),
        rows(app.store(), LOG),
    );
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("备份/门户.zip");
    let said = ok(&backup(&archive, &app.data, &app.returns));
    assert!(said.contains("已备份到"), "{said}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&archive).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the archive holds password hashes");
    }

    // Changes after the backup are not in it.
    wx.submit(sample_file("无锡高新区_2026Q3_更正.xlsx")).await;
    app.add_user("later", Scope::Province);

    let (data, returns) = (dir.path().join("新/data"), dir.path().join("新/returns"));
    let said = ok(&restore(&archive, &data, &returns));
    assert!(said.contains("已从"), "{said}");
    let restored = Store::open(&data).unwrap();
    assert_eq!(
        files(&returns),
        then.0,
        "every file, byte for byte, with its time"
    );
    assert_eq!(rows(&restored, ACCOUNTS), then.1, "accounts");
    assert_eq!(rows(&restored, LOG), then.2, "submission log");
}

#[tokio::test]
async fn restore_refuses_a_damaged_archive_and_a_folder_that_is_not_empty() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("门户.zip");
    ok(&backup(&archive, &app.data, &app.returns));
    let (data, returns) = (dir.path().join("data"), dir.path().join("returns"));

    let said = refused(&restore(&archive, &app.data, &returns));
    assert!(said.contains("不是空目录"), "{said}");
    assert!(!returns.exists(), "nothing written");

    // A byte changed in the middle: the zip's or the manifest's check fails.
    let mut bytes = std::fs::read(&archive).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    let damaged = dir.path().join("损坏.zip");
    std::fs::write(&damaged, &bytes).unwrap();
    let said = refused(&restore(&damaged, &data, &returns));
    assert!(said.contains("已损坏或不是 shuanggao 的备份"), "{said}");
    // A file replaced inside a well-formed zip: the manifest's digest.
    let tampered = dir.path().join("篡改.zip");
    rewrite(&archive, &tampered, |name, content| {
        if name.starts_with("returns/2026Q1/") && content.len() > 100 {
            content[100] ^= 1;
        }
    });
    let said = refused(&restore(&tampered, &data, &returns));
    assert!(said.contains("校验值与清单不符"), "{said}");
    assert!(!data.exists() && !returns.exists(), "nothing written");

    ok(&restore(&archive, &data, &returns));
}

/// A copy of the zip `from` with each entry's content passed through `edit`.
fn rewrite(from: &Path, to: &Path, edit: impl Fn(&str, &mut Vec<u8>)) {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        edit(&name, &mut content);
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&content).unwrap();
    }
    out.finish().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_while_uploads_run_restores_to_a_state_where_folder_and_log_agree() {
    let app = Arc::new(spawn_app().await);
    let zones = ["CZ", "WX", "JY", "XZ"];
    let mut clerks = Vec::new();
    for zone in zones {
        let name = format!("clerk_{}", zone.to_lowercase());
        app.add_user(&name, Scope::Zone(zone.into()));
        let drafts: Vec<Vec<u8>> = (1..=3)
            .map(|i| {
                draft_bytes(zone, |d| {
                    for (label, value) in d.basic.iter_mut() {
                        if label == "填报人" {
                            *value = Cell::Text(format!("第{i}次"));
                        }
                    }
                })
            })
            .collect();
        clerks.push((app.token_client(&name), drafts));
    }
    let uploads: Vec<_> = clerks
        .into_iter()
        .map(|(client, drafts)| {
            tokio::spawn(async move {
                for bytes in drafts {
                    client.submit(bytes).await;
                }
            })
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let archives: Vec<_> = (0..3)
        .map(|i| dir.path().join(format!("{i}.zip")))
        .collect();
    for archive in &archives {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let (archive, data, returns) = (archive.clone(), app.data.clone(), app.returns.clone());
        let out = tokio::task::spawn_blocking(move || backup(&archive, &data, &returns))
            .await
            .unwrap();
        ok(&out);
    }
    for upload in uploads {
        upload.await.unwrap();
    }
    let period = open_period().to_string();
    for (i, archive) in archives.iter().enumerate() {
        let (data, returns) = (
            dir.path().join(format!("r{i}/data")),
            dir.path().join(format!("r{i}/returns")),
        );
        ok(&restore(archive, &data, &returns));
        let restored = Store::open(&data).unwrap();
        assert_agree(&restored, &returns, &period);
        assert!(rows(&restored, "SELECT id FROM intent").is_empty());
    }
    assert_agree(app.store(), &app.returns, &period);
}
