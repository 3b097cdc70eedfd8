//! `.xls` (BIFF5 / BIFF8 inside an OLE compound file), and encrypted OOXML
//! workbooks, which arrive in the same container.
//!
//! calamine parses every sheet of an `.xls` when it opens it, reserving
//! room for the extent each sheet declares and laying every sheet out as a
//! full grid: a 40 KB file can cost hundreds of megabytes. So the workbook
//! stream is walked first, record by record ([MS-XLS] 2.1.4): sheets the
//! form does not use are emptied, declared extents are dropped, and a form
//! sheet whose cells lie beyond the limits (or span too large a rectangle)
//! is refused. calamine then reads the cleaned stream, repacked into a
//! fresh container (which the `cfb` crate has checked while reading).

use std::io::{Cursor, Read, Write};

use calamine::{Reader, Xls};

use super::budget::{beyond, CellBudget};
use super::open::{corrupt, each_sheet, encrypted};
use crate::config::Limits;
use crate::model::CellPos;
use crate::model::{BookSheet, CellValue, Grid, Merge};

/// Record types ([MS-XLS] 2.3).
const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const FILEPASS: u16 = 0x002F;
const CODEPAGE: u16 = 0x0042;
const DATEMODE: u16 = 0x0022;
const LBL: u16 = 0x0018;
const EXTERNSHEET: u16 = 0x0017;
const BOUNDSHEET: u16 = 0x0085;
const DIMENSIONS: u16 = 0x0200;
const MULRK: u16 = 0x00BD;
const MERGEDCELLS: u16 = 0x00E5;
const STRING: u16 = 0x0207;
const FORMULA: u16 = 0x0006;
/// Records that put a value into one cell: row and column lead their data.
const CELLS: [u16; 7] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006];
/// A type no reader gives meaning to: what an emptied record becomes.
const IGNORED: u16 = 0x0000;

pub(super) fn read(
    bytes: &[u8],
    wanted: &dyn Fn(&str) -> bool,
    limits: &Limits,
) -> Result<Vec<BookSheet>, String> {
    let mut container = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
    if container.exists("/EncryptedPackage") || container.exists("/EncryptionInfo") {
        return Err(encrypted());
    }
    let stream = ["/Workbook", "/Book"]
        .into_iter()
        .find(|s| container.is_stream(s))
        .ok_or_else(|| "不是电子表格文件（文件中没有工作簿数据）".to_string())?;
    let mut data = Vec::new();
    container
        .open_stream(stream)
        .and_then(|mut s| s.read_to_end(&mut data))
        .map_err(|e| corrupt(&e))?;
    clean(&mut data, wanted, limits)?;
    let mut book = Xls::new(Cursor::new(repack(stream, &data)?)).map_err(|e| match e {
        calamine::XlsError::Password => encrypted(),
        e => corrupt(&e),
    })?;
    each_sheet(book.sheet_names(), wanted, |name| {
        read_sheet(&mut book, name, limits)
    })
}

fn read_sheet(
    book: &mut Xls<Cursor<Vec<u8>>>,
    name: &str,
    limits: &Limits,
) -> Result<Grid, String> {
    let range = book.worksheet_range(name).map_err(|e| corrupt(&e))?;
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut grid = Grid::default();
    let mut budget = CellBudget::new(limits);
    for (r, c, v) in range.used_cells() {
        let value = CellValue::from(v);
        if value.is_empty() {
            continue;
        }
        let pos = budget.admit(u64::from(top) + r as u64, u64::from(left) + c as u64)?;
        grid.insert(pos, value);
    }
    for d in book.merge_cells_by_sheet_name(name).unwrap_or_default() {
        let span = budget.clamp_span(
            (u64::from(d.start.0), u64::from(d.start.1)),
            (u64::from(d.end.0), u64::from(d.end.1)),
        );
        if let Some((start, end)) = span {
            grid.add_merge(Merge { start, end });
        }
    }
    Ok(grid)
}

/// A fresh compound file holding just the workbook stream.
fn repack(stream: &str, data: &[u8]) -> Result<Vec<u8>, String> {
    // Version 3 (512-byte sectors): calamine refuses a version 4 file whose
    // root holds no mini stream.
    let mut out = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))
        .map_err(|e| corrupt(&e))?;
    out.create_stream(stream)
        .and_then(|mut s| s.write_all(data))
        .map_err(|e| corrupt(&e))?;
    out.flush().map_err(|e| corrupt(&e))?;
    Ok(out.into_inner().into_inner())
}

/// One record: its type and where its data lies in the stream.
#[derive(Clone, Copy)]
struct Record {
    typ: u16,
    /// Offset of the record header.
    at: usize,
    data: usize,
    len: usize,
}

fn u16_at(data: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*data.get(i)?, *data.get(i + 1)?]))
}

fn u32_at(data: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(data.get(i..i + 4)?.try_into().ok()?))
}

/// The records of the stream in order; a record cut short ends the walk
/// (calamine reports it as a damaged file).
fn records(data: &[u8]) -> impl Iterator<Item = Record> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let typ = u16_at(data, at)?;
        let len = usize::from(u16_at(data, at + 2)?);
        let record = Record {
            typ,
            at,
            data: at + 4,
            len,
        };
        (record.data + len <= data.len()).then(|| {
            at = record.data + len;
            record
        })
    })
}

/// A sheet of the workbook: where its records start, and whether the form
/// reads it.
struct SheetEntry {
    offset: usize,
    name: String,
}

/// Empties what the reader must not see and refuses what it must not read
/// (see the module documentation).
fn clean(data: &mut [u8], wanted: &dyn Fn(&str) -> bool, limits: &Limits) -> Result<(), String> {
    check_lengths(data)?;
    let sheets = globals(data)?;
    check_sheet_offsets(data, &sheets)?;
    let mut depth = 0usize;
    let mut current: Option<(bool, Extent)> = None;
    let walk: Vec<Record> = records(data).collect();
    for r in walk.into_iter().skip_while(|r| r.typ != EOF).skip(1) {
        match r.typ {
            BOF => {
                if depth == 0 {
                    current = sheets
                        .iter()
                        .find(|s| s.offset == r.at)
                        .map(|s| (wanted(&s.name), Extent::new(&s.name)));
                }
                depth += 1;
            }
            EOF => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    current = None;
                }
            }
            _ if depth == 1 => {
                if let Some((keep, extent)) = current.as_mut() {
                    sheet_record(data, r, *keep, extent, limits)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// calamine reads some records at fixed offsets without checking their
/// length, and panics on a short one (found by fuzzing): such a file is
/// refused here with a plain reason. Defined names and external sheet
/// references, which the form never uses, are emptied rather than checked.
fn check_lengths(data: &mut [u8]) -> Result<(), String> {
    let walk: Vec<Record> = records(data).collect();
    let mut in_globals = true;
    for r in walk {
        let least = match r.typ {
            BOF => 2,
            BOUNDSHEET if in_globals => 6,
            CODEPAGE | DATEMODE | FILEPASS if in_globals => 2,
            LBL | EXTERNSHEET if in_globals => {
                data[r.at..r.at + 2].copy_from_slice(&IGNORED.to_le_bytes());
                0
            }
            _ => 0,
        };
        if r.len < least {
            return Err("文件结构异常：工作簿记录不完整（文件可能已损坏）".to_string());
        }
        if r.typ == EOF {
            in_globals = false;
        }
    }
    Ok(())
}

/// calamine reads each sheet from the offset its BOUNDSHEET gives. Unless
/// that offset is a top-level BOF after the globals, where the walk in
/// [`clean`] starts a sheet, calamine would read records the walk never saw
/// (fuzzing found a declared extent of 10^12 cells reserved that way, which
/// aborts the process): such a file is refused, as is one naming the same
/// offset twice.
fn check_sheet_offsets(data: &[u8], sheets: &[SheetEntry]) -> Result<(), String> {
    let mut starts = std::collections::BTreeSet::new();
    let mut depth = 0usize;
    for r in records(data).skip_while(|r| r.typ != EOF).skip(1) {
        match r.typ {
            BOF => {
                if depth == 0 {
                    starts.insert(r.at);
                }
                depth += 1;
            }
            EOF => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for sheet in sheets {
        if !starts.contains(&sheet.offset) || !seen.insert(sheet.offset) {
            return Err("文件结构异常：工作表位置无效（文件可能已损坏）".to_string());
        }
    }
    Ok(())
}

/// The sheets named in the workbook globals (up to their EOF).
fn globals(data: &[u8]) -> Result<Vec<SheetEntry>, String> {
    let mut biff8 = true;
    let mut codepage = 1252u16;
    let mut sheets = Vec::new();
    for r in records(data) {
        let body = &data[r.data..r.data + r.len];
        match r.typ {
            BOF if r.at == 0 => biff8 = u16_at(body, 0) == Some(0x0600),
            FILEPASS => return Err(encrypted()),
            CODEPAGE => codepage = u16_at(body, 0).unwrap_or(codepage),
            BOUNDSHEET => {
                if let Some(offset) = u32_at(body, 0) {
                    sheets.push(SheetEntry {
                        offset: offset as usize,
                        name: sheet_name(body, biff8, codepage),
                    });
                }
            }
            EOF => break,
            _ => {}
        }
    }
    Ok(sheets)
}

/// A BOUNDSHEET's name: BIFF8 a short Unicode string, BIFF5 bytes in the
/// workbook's code page.
fn sheet_name(body: &[u8], biff8: bool, codepage: u16) -> String {
    let Some(&cch) = body.get(6) else {
        return String::new();
    };
    let cch = usize::from(cch);
    if biff8 {
        let high = body.get(7).is_some_and(|f| f & 1 == 1);
        let chars = &body[body.len().min(8)..];
        if high {
            let units: Vec<u16> = chars
                .chunks_exact(2)
                .take(cch)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        } else {
            chars.iter().take(cch).map(|&b| char::from(b)).collect()
        }
    } else {
        let bytes = &body[body.len().min(7)..];
        let bytes = &bytes[..bytes.len().min(cch)];
        encoding(codepage)
            .decode_without_bom_handling(bytes)
            .0
            .into_owned()
    }
}

fn encoding(codepage: u16) -> &'static encoding_rs::Encoding {
    match codepage {
        936 => encoding_rs::GBK,
        950 => encoding_rs::BIG5,
        932 => encoding_rs::SHIFT_JIS,
        949 => encoding_rs::EUC_KR,
        65001 => encoding_rs::UTF_8,
        1250 => encoding_rs::WINDOWS_1250,
        1251 => encoding_rs::WINDOWS_1251,
        _ => encoding_rs::WINDOWS_1252,
    }
}

/// One record of a sheet: emptied when the form does not read the sheet
/// (or when it only declares an extent), checked against the limits when it does.
fn sheet_record(
    data: &mut [u8],
    r: Record,
    keep: bool,
    extent: &mut Extent,
    limits: &Limits,
) -> Result<(), String> {
    let positioned = CELLS.contains(&r.typ) || r.typ == MULRK;
    if r.typ == DIMENSIONS || (!keep && (positioned || matches!(r.typ, STRING | MERGEDCELLS))) {
        data[r.at..r.at + 2].copy_from_slice(&IGNORED.to_le_bytes());
        return Ok(());
    }
    if keep && r.typ == MERGEDCELLS {
        fit_merge_count(data, &r);
    }
    if keep && r.typ == FORMULA {
        drop_formula_tokens(data, &r)?;
    }
    if !keep || !positioned {
        return Ok(());
    }
    let body = &data[r.data..r.data + r.len];
    let (Some(row), Some(first)) = (u16_at(body, 0), u16_at(body, 2)) else {
        return Ok(());
    };
    let last = if r.typ == MULRK {
        r.len
            .checked_sub(2)
            .and_then(|i| u16_at(body, i))
            .unwrap_or(first)
    } else {
        first
    };
    for col in first..=last.max(first) {
        extent.add(u64::from(row), u64::from(col), limits)?;
    }
    Ok(())
}

/// A MERGEDCELLS record counts its ranges (8 bytes each) and calamine reads
/// that many without checking the record's length (it panics on a short
/// one, found by fuzzing): the count is cut to the ranges the record holds.
fn fit_merge_count(data: &mut [u8], r: &Record) {
    let Some(count) = u16_at(&data[r.data..r.data + r.len], 0) else {
        data[r.at..r.at + 2].copy_from_slice(&IGNORED.to_le_bytes());
        return;
    };
    let held = u16::try_from((r.len - 2) / 8).unwrap_or(u16::MAX);
    if count > held {
        data[r.data..r.data + 2].copy_from_slice(&held.to_le_bytes());
    }
}

/// A FORMULA record keeps its cached result (what the form reads) and then
/// the formula's tokens, which calamine turns into text without checking
/// their lengths (a panic, found by fuzzing). Nothing here reads formula
/// text, so the token count is set to 0; a record too short to hold the
/// count is refused.
fn drop_formula_tokens(data: &mut [u8], r: &Record) -> Result<(), String> {
    const TOKENS_AT: usize = 20;
    if r.len < TOKENS_AT + 2 {
        return Err("文件结构异常：公式记录不完整（文件可能已损坏）".to_string());
    }
    let at = r.data + TOKENS_AT;
    data[at..at + 2].copy_from_slice(&0u16.to_le_bytes());
    Ok(())
}

/// The cells a form sheet holds: how many, and the rectangle they span.
struct Extent {
    sheet: String,
    cells: u64,
    top_left: (u64, u64),
    bottom_right: (u64, u64),
}

impl Extent {
    fn new(sheet: &str) -> Extent {
        Extent {
            sheet: sheet.to_string(),
            cells: 0,
            top_left: (u64::MAX, u64::MAX),
            bottom_right: (0, 0),
        }
    }

    fn add(&mut self, row: u64, col: u64, limits: &Limits) -> Result<(), String> {
        if row >= u64::from(limits.max_row) || col >= u64::from(limits.max_column) {
            return Err(beyond(row, col, limits));
        }
        self.cells += 1;
        if self.cells > limits.max_cells_per_sheet {
            return Err(format!("单元格数量超过上限 {}", limits.max_cells_per_sheet));
        }
        self.top_left = (self.top_left.0.min(row), self.top_left.1.min(col));
        self.bottom_right = (self.bottom_right.0.max(row), self.bottom_right.1.max(col));
        self.check_area(limits)
    }

    /// The format lays the rectangle out in full, so it counts, not the cells.
    fn check_area(&self, limits: &Limits) -> Result<(), String> {
        let rows = self.bottom_right.0 - self.top_left.0 + 1;
        let cols = self.bottom_right.1 - self.top_left.1 + 1;
        if rows.saturating_mul(cols) <= limits.max_cells_per_sheet {
            return Ok(());
        }
        let corner = |(r, c): (u64, u64)| CellPos::new(r as u32, c as u32).a1();
        Err(format!(
            "工作表“{}”的数据分布在 {}:{}，区域超过 {} 个单元格的上限",
            self.sheet,
            corner(self.top_left),
            corner(self.bottom_right),
            limits.max_cells_per_sheet
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, body: &[u8]) -> Vec<u8> {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend((body.len() as u16).to_le_bytes());
        out.extend(body);
        out
    }

    #[test]
    fn records_stop_at_a_truncated_one() {
        let mut data = record(BOF, &[0, 6, 0, 0]);
        data.extend(record(EOF, &[]));
        data.extend([0x03, 0x02, 0x10]);
        let types: Vec<u16> = records(&data).map(|r| r.typ).collect();
        assert_eq!(types, [BOF, EOF]);
    }

    #[test]
    fn biff8_sheet_names() {
        let mut body = vec![0, 0, 0, 0, 0, 0, 4, 1];
        for c in "基本信息".encode_utf16() {
            body.extend(c.to_le_bytes());
        }
        assert_eq!(sheet_name(&body, true, 1252), "基本信息");
        let latin = [0, 0, 0, 0, 0, 0, 3, 0, b'a', b'b', b'c'];
        assert_eq!(sheet_name(&latin, true, 1252), "abc");
        let (gbk, _, _) = encoding_rs::GBK.encode("附表");
        let mut biff5 = vec![0, 0, 0, 0, 0, 0, gbk.len() as u8];
        biff5.extend(gbk.iter());
        assert_eq!(sheet_name(&biff5, false, 936), "附表");
    }
}
