//! Opening a workbook: the format is found from the bytes, never the file
//! name, and each format's reader reads only the sheets the form uses,
//! checking every size a file declares before anything is allocated for it.

use std::io::Cursor;

use super::{ods, xls, xlsb, xlsx};
use crate::config::Form;
use crate::model::{BookSheet, Grid};
use crate::text::sheet_key;

/// The formats a return can come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.xlsx` and `.xlsm` (Office Open XML).
    Xlsx,
    /// `.xlsb` (Excel binary workbook).
    Xlsb,
    /// `.ods` (OpenDocument).
    Ods,
    /// An OLE compound file: `.xls`, or an encrypted OOXML workbook.
    Compound,
}

/// An opened zip package.
pub(super) type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// Reads the sheets the form knows; the error is a Chinese reason for F01.
/// Never reads the file system: `bytes` is the whole file.
pub fn read_workbook(bytes: &[u8], form: &Form) -> Result<Vec<BookSheet>, String> {
    let wanted = |name: &str| {
        let key = sheet_key(name);
        form.sheet.iter().any(|s| sheet_key(&s.name) == key)
            || key == sheet_key(&form.reading.template_sheet)
    };
    let limits = &form.limits;
    match sniff(bytes)? {
        Format::Compound => xls::read(bytes, &wanted, limits),
        zipped => {
            let mut zip = open_zip(bytes, form.limits.max_uncompressed_bytes)?;
            match zipped {
                Format::Xlsx => xlsx::read(&mut zip, &wanted, limits),
                Format::Xlsb => xlsb::read(bytes, &mut zip, &wanted, limits),
                _ => ods::read(&mut zip, &wanted, limits),
            }
        }
    }
}

/// The F01 reason for a damaged file, with the reader's own words.
pub(super) fn corrupt(e: &dyn std::fmt::Display) -> String {
    format!("文件已损坏或格式不完整（技术信息：{e}）")
}

pub(super) fn encrypted() -> String {
    "文件设有打开密码（已加密），无法读取".into()
}

/// What the bytes say the file is.
pub fn sniff(bytes: &[u8]) -> Result<Format, String> {
    if bytes.is_empty() {
        return Err("文件为空（0 字节）".into());
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Ok(Format::Compound);
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err("不是电子表格文件（内容不是 Excel、WPS 或 LibreOffice 表格）".into());
    }
    let zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("文件已损坏或不完整（压缩包无法打开：{e}）"))?;
    let has = |name: &str| zip.index_for_name(name).is_some();
    if has("xl/workbook.xml") {
        Ok(Format::Xlsx)
    } else if has("xl/workbook.bin") {
        Ok(Format::Xlsb)
    } else if has("content.xml") {
        Ok(Format::Ods)
    } else {
        Err("不是电子表格文件（压缩包中没有工作簿）".into())
    }
}

/// Opens a zip package whose entries together stay within the size limit.
fn open_zip(bytes: &[u8], max_uncompressed: u64) -> Result<Zip<'_>, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("文件已损坏或不完整（压缩包无法打开：{e}）"))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| format!("文件已损坏或不完整（{e}）"))?;
        total = total.saturating_add(entry.size());
    }
    if total > max_uncompressed {
        return Err(format!(
            "解压后大小 {:.0} MB 超过上限 {:.0} MB",
            total as f64 / 1e6,
            max_uncompressed as f64 / 1e6
        ));
    }
    Ok(zip)
}

/// Every sheet by name, with a grid read for the wanted ones.
pub(super) fn each_sheet(
    names: Vec<String>,
    wanted: &dyn Fn(&str) -> bool,
    mut read: impl FnMut(&str) -> Result<Grid, String>,
) -> Result<Vec<BookSheet>, String> {
    names
        .into_iter()
        .map(|name| {
            let grid = if wanted(&name) {
                Some(read(&name)?)
            } else {
                None
            };
            Ok(BookSheet::new(name, grid))
        })
        .collect()
}
