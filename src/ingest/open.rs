//! Opening a workbook: the format is found from the bytes, never the file
//! name, and every size is checked before calamine allocates for it.

use std::io::{Cursor, Read};

use calamine::{Ods, Reader, Xls, Xlsb, Xlsx};

use super::grid::{CellValue, Grid, Merge};
use crate::config::Form;
use crate::model::CellPos;
use crate::text::sheet_key;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xlsx,
    Xlsb,
    Ods,
    /// An OLE compound file: `.xls`, or an encrypted OOXML workbook.
    Compound,
}

/// A sheet of the workbook; `grid` is read only for the sheets the form uses.
#[derive(Debug, Clone)]
pub struct BookSheet {
    pub name: String,
    pub grid: Option<Grid>,
}

type Cur = Cursor<Vec<u8>>;

/// Reads the sheets the form knows; the error is a Chinese reason for F01.
pub fn read_workbook(bytes: Vec<u8>, form: &Form) -> Result<Vec<BookSheet>, String> {
    let format = sniff(&bytes, form.limits.max_uncompressed_bytes)?;
    let wanted = |name: &str| {
        let key = sheet_key(name);
        form.sheet.iter().any(|s| sheet_key(&s.name) == key)
            || key == sheet_key(&form.reading.template_sheet)
    };
    let limits = &form.limits;
    let corrupt = |e: &dyn std::fmt::Display| format!("文件已损坏或格式不完整（技术信息：{e}）");
    match format {
        Format::Xlsx => {
            let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
                calamine::XlsxError::Password => encrypted(),
                e => corrupt(&e),
            })?;
            let names = book.sheet_names();
            each_sheet(names, &wanted, |name| {
                read_xlsx_sheet(&mut book, name, limits)
                    .map_err(|e| e.unwrap_or_else(|| corrupt(&"")))
            })
        }
        Format::Xlsb => {
            let mut book = Xlsb::new(Cursor::new(bytes)).map_err(|e| match e {
                calamine::XlsbError::Password => encrypted(),
                e => corrupt(&e),
            })?;
            let names = book.sheet_names();
            each_sheet(names, &wanted, |name| {
                let mut grid = Grid::default();
                let mut reader = book.worksheet_cells_reader(name).map_err(|e| corrupt(&e))?;
                let mut count = 0u64;
                while let Some(cell) = reader.next_cell().map_err(|e| corrupt(&e))? {
                    let (r, c) = cell.get_position();
                    let value = CellValue::from(cell.get_value().clone());
                    admit(&mut count, r, c, &value, limits)?;
                    grid.insert(CellPos::new(r, c), value);
                }
                Ok(grid)
            })
        }
        Format::Ods => {
            let mut book: Ods<Cur> = Ods::new(Cursor::new(bytes)).map_err(|e| match e {
                calamine::OdsError::Password => encrypted(),
                e => corrupt(&e),
            })?;
            dense_sheets(&mut book, &wanted, limits, |_, _| Vec::new())
        }
        Format::Compound => {
            // An encrypted .xlsx is a compound file holding an EncryptedPackage.
            if let Err(calamine::XlsxError::Password) = Xlsx::new(Cursor::new(bytes.clone())) {
                return Err(encrypted());
            }
            let mut book: Xls<Cur> = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
                calamine::XlsError::Password => encrypted(),
                e => corrupt(&e),
            })?;
            dense_sheets(&mut book, &wanted, limits, |book: &Xls<Cur>, name| {
                book.merge_cells_by_sheet_name(name).unwrap_or_default()
            })
        }
    }
}

fn encrypted() -> String {
    "文件设有打开密码（已加密），无法读取".into()
}

/// What the bytes say the file is.
fn sniff(bytes: &[u8], max_uncompressed: u64) -> Result<Format, String> {
    if bytes.is_empty() {
        return Err("文件为空（0 字节）".into());
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Ok(Format::Compound);
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err("不是电子表格文件（内容不是 Excel、WPS 或 LibreOffice 表格）".into());
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("文件已损坏或不完整（压缩包无法打开：{e}）"))?;
    let mut total: u64 = 0;
    let has = |name: &str| zip.index_for_name(name).is_some();
    let format = if has("xl/workbook.xml") {
        Format::Xlsx
    } else if has("xl/workbook.bin") {
        Format::Xlsb
    } else if has("content.xml") {
        Format::Ods
    } else {
        return Err("不是电子表格文件（压缩包中没有工作簿）".into());
    };
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
    if format == Format::Ods {
        check_ods_mimetype(&mut zip)?;
    }
    Ok(format)
}

fn check_ods_mimetype(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<(), String> {
    let Ok(mut entry) = zip.by_name("mimetype") else {
        return Ok(());
    };
    let mut mime = String::new();
    let _ = entry.by_ref().take(200).read_to_string(&mut mime);
    if mime.trim().ends_with("opendocument.spreadsheet") || mime.is_empty() {
        Ok(())
    } else {
        Err(format!("不是电子表格文件（这是 {} 文档）", mime.trim()))
    }
}

/// Counts a cell against the limits; a cell beyond them makes the file F01.
fn admit(
    count: &mut u64,
    row: u32,
    col: u32,
    value: &CellValue,
    limits: &crate::config::Limits,
) -> Result<(), String> {
    if value.is_empty() {
        return Ok(());
    }
    *count += 1;
    if row >= limits.max_row || col >= limits.max_column {
        return Err(format!(
            "单元格 {} 超出可读取范围（最多 {} 行、{} 列）",
            CellPos::new(row, col).a1(),
            limits.max_row,
            limits.max_column
        ));
    }
    if *count > limits.max_cells_per_sheet {
        return Err(format!("单元格数量超过上限 {}", limits.max_cells_per_sheet));
    }
    Ok(())
}

/// xlsx is streamed cell by cell, so a far cell costs nothing until counted.
fn read_xlsx_sheet(
    book: &mut Xlsx<Cur>,
    name: &str,
    limits: &crate::config::Limits,
) -> Result<Grid, Option<String>> {
    let corrupt =
        |e: &dyn std::fmt::Display| Some(format!("文件已损坏或格式不完整（技术信息：{e}）"));
    let mut grid = Grid::default();
    {
        let mut reader = book.worksheet_cells_reader(name).map_err(|e| corrupt(&e))?;
        let mut count = 0u64;
        while let Some(cell) = reader.next_cell_with_formula().map_err(|e| corrupt(&e))? {
            let (r, c) = cell.pos;
            let mut value = CellValue::from(cell.value);
            if value == CellValue::Empty {
                if let Some(f) = cell.formula.filter(|f| !f.is_empty()) {
                    value = CellValue::Uncalculated(f);
                }
            }
            admit(&mut count, r, c, &value, limits).map_err(Some)?;
            grid.insert(CellPos::new(r, c), value);
        }
    }
    for d in book.merge_cells_by_sheet_name(name).unwrap_or_default() {
        grid.add_merge(Merge {
            start: CellPos::new(d.start.0, d.start.1),
            end: CellPos::new(d.end.0, d.end.1),
        });
    }
    Ok(grid)
}

/// xls and ods parse whole sheets at open; their extent is bounded by the
/// formats themselves (xls: 65,536 × 256) or by calamine's caps (ods), and
/// the cell limits are applied after reading.
fn dense_sheets<R: Reader<Cur>>(
    book: &mut R,
    wanted: &dyn Fn(&str) -> bool,
    limits: &crate::config::Limits,
    merges: impl Fn(&R, &str) -> Vec<calamine::Dimensions>,
) -> Result<Vec<BookSheet>, String>
where
    R::Error: std::fmt::Display,
{
    each_sheet(book.sheet_names(), wanted, |name| {
        let range = book
            .worksheet_range(name)
            .map_err(|e| format!("文件已损坏或格式不完整（技术信息：{e}）"))?;
        let (top, left) = range.start().unwrap_or((0, 0));
        let mut grid = Grid::default();
        let mut count = 0u64;
        for (r, c, v) in range.used_cells() {
            let (row, col) = (top + r as u32, left + c as u32);
            let value = CellValue::from(v);
            admit(&mut count, row, col, &value, limits)?;
            grid.insert(CellPos::new(row, col), value);
        }
        for d in merges(book, name) {
            grid.add_merge(Merge {
                start: CellPos::new(d.start.0, d.start.1),
                end: CellPos::new(d.end.0, d.end.1),
            });
        }
        Ok(grid)
    })
}

/// Every sheet by name, with a grid read for the wanted ones.
fn each_sheet(
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
            Ok(BookSheet { name, grid })
        })
        .collect()
}
