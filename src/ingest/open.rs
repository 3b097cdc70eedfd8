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
    /// `.fods` (OpenDocument as one XML file, LibreOffice's "flat" format).
    FlatOds,
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
        Format::FlatOds => ods::read_flat(bytes, &wanted, limits),
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

/// The F01 reason for a zip entry that cannot be inflated: a compression
/// method or encryption Open XML and OpenDocument packages do not use is
/// named as such, anything else is damage.
pub(super) fn zip_error(e: &zip::result::ZipError) -> String {
    use zip::result::ZipError::*;
    match e {
        UnsupportedArchive(_) | CompressionMethodNotSupported(_) | InvalidPassword => {
            unsupported_zip(e)
        }
        other => corrupt(other),
    }
}

/// [`zip_error`] for an error met while inflating.
pub(super) fn inflate_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::Unsupported => unsupported_zip(e),
        _ => corrupt(e),
    }
}

fn unsupported_zip(e: &dyn std::fmt::Display) -> String {
    format!(
        "压缩包使用了表格文件不使用的压缩方式或加密，无法读取（技术信息：{e}；请用 Excel、WPS 或 LibreOffice 重新保存）"
    )
}

pub(super) fn encrypted() -> String {
    "文件设有打开密码（已加密），无法读取".into()
}

/// What the bytes say the file is; for what is not a spreadsheet the
/// reader can read, the F01 reason says what it is and what to do.
pub fn sniff(bytes: &[u8]) -> Result<Format, String> {
    if bytes.is_empty() {
        return Err("文件为空（0 字节）".into());
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Ok(Format::Compound);
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return not_zipped(bytes);
    }
    let zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("文件已损坏或不完整（压缩包无法打开：{e}）"))?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.replace('\\', "/").trim_start_matches('/').to_lowercase())
        .collect();
    let has = |name: &str| names.iter().any(|n| n == name);
    if has("xl/workbook.bin") {
        Ok(Format::Xlsb)
    } else if has("_rels/.rels") || has("[content_types].xml") || has("xl/workbook.xml") {
        // Open XML: the package says where its workbook is (xlsx/).
        Ok(Format::Xlsx)
    } else if has("mimetype") || has("content.xml") {
        Ok(Format::Ods)
    } else if names
        .iter()
        .any(|n| n == "index.zip" || n.starts_with("index/") && n.ends_with(".iwa"))
    {
        Err(APPLE_NUMBERS.into())
    } else {
        Err("不是电子表格文件（压缩包中没有工作簿）".into())
    }
}

const APPLE_NUMBERS: &str =
    "这是 Apple Numbers 文件，无法读取（请在 Numbers 中选择“导出为 Excel”，报送导出的 .xlsx 文件）";

/// What a file that is not a zip package or an OLE compound file is: a
/// flat OpenDocument spreadsheet is read; anything else is F01, named.
fn not_zipped(bytes: &[u8]) -> Result<Format, String> {
    let head = text_head(bytes);
    let lower = head.to_lowercase();
    let save_as = "请用 Excel、WPS 或 LibreOffice 打开后另存为 .xlsx 再报送";
    if lower.contains("urn:oasis:names:tc:opendocument:xmlns:office:1.0") {
        return if lower.contains("opendocument.spreadsheet") {
            Ok(Format::FlatOds)
        } else {
            Err("不是电子表格文件（这是 OpenDocument 文字或演示文档）".into())
        };
    }
    if lower.contains("urn:schemas-microsoft-com:office:spreadsheet") {
        return Err(format!("这是 Excel 2003 XML 表格，无法读取（{save_as}）"));
    }
    if lower.trim_start().starts_with("mime-version:") || lower.contains("multipart/related") {
        return Err(format!(
            "这是单个网页文件（MHT），不是电子表格，无法读取（{save_as}）"
        ));
    }
    if ["<!doctype html", "<html", "<table"]
        .iter()
        .any(|tag| lower.contains(tag))
    {
        return Err(format!(
            "这是网页（HTML）文件，只是扩展名像表格，无法读取（{save_as}）"
        ));
    }
    if bytes.starts_with(b"%PDF-") {
        return Err("这是 PDF 文件，不是电子表格，无法读取（请报送 Excel 表格文件）".into());
    }
    // BIFF2-4 worksheets: a bare BOF record (type 0x0009, 0x0209 or 0x0409).
    if matches!(bytes, [0x09, 0x00 | 0x02 | 0x04, 0x04..=0x10, 0x00, ..]) {
        return Err(format!(
            "这是 Excel 4.0 或更早版本的表格，无法读取（{save_as}）"
        ));
    }
    if is_plain_text(bytes) {
        return Err(format!(
            "这是纯文本文件（如 CSV），不是电子表格，无法读取（{save_as}）"
        ));
    }
    Err("不是电子表格文件（内容不是 Excel、WPS 或 LibreOffice 表格）".into())
}

/// The first few kilobytes as text, UTF-16 decoded when its byte order
/// mark or first characters say so (for recognising XML and HTML).
fn text_head(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(4096) & !1];
    match super::xml::sniff_encoding(head) {
        Ok(wide @ (super::xml::Encoding::Utf16Le | super::xml::Encoding::Utf16Be)) => {
            let codec = if wide == super::xml::Encoding::Utf16Le {
                encoding_rs::UTF_16LE
            } else {
                encoding_rs::UTF_16BE
            };
            codec.decode_without_bom_handling(head).0.into_owned()
        }
        _ => String::from_utf8_lossy(head).into_owned(),
    }
}

/// Text in some 8-bit encoding: no NUL and no control characters but tab
/// and line ends in its first kilobytes.
fn is_plain_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    head.iter()
        .all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r' | 0x1A))
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
