//! `.xlsb` (Excel's binary workbook): each form sheet is streamed cell by
//! cell with calamine, after every binary part of the package has been
//! walked once to check that no record claims more bytes than the part
//! holds (calamine sizes its buffer from that claim before reading).

use std::io::{BufReader, Cursor, Read};

use calamine::{Reader, Xlsb};

use super::budget::CellBudget;
use super::open::{corrupt, each_sheet, encrypted, Zip};
use crate::config::Limits;
use crate::model::{BookSheet, CellValue, Grid};

pub(super) fn read(
    bytes: &[u8],
    zip: &mut Zip<'_>,
    wanted: &dyn Fn(&str) -> bool,
    limits: &Limits,
) -> Result<Vec<BookSheet>, String> {
    check_records(zip)?;
    let mut book = Xlsb::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsbError::Password => encrypted(),
        e => corrupt(&e),
    })?;
    let names = book.sheet_names();
    each_sheet(names, wanted, |name| {
        let mut grid = Grid::default();
        let mut budget = CellBudget::new(limits);
        let mut reader = book.worksheet_cells_reader(name).map_err(|e| corrupt(&e))?;
        while let Some(cell) = reader.next_cell().map_err(|e| corrupt(&e))? {
            let (r, c) = cell.get_position();
            let value = CellValue::from(cell.get_value().clone());
            if value.is_empty() {
                continue;
            }
            let pos = budget.admit(u64::from(r), u64::from(c))?;
            grid.insert(pos, value);
        }
        Ok(grid)
    })
}

/// Walks the records of every `.bin` part: a record is a type (1–2 bytes),
/// a length (1–4 bytes) and that many bytes, which must all be there.
fn check_records(zip: &mut Zip<'_>) -> Result<(), String> {
    let parts: Vec<String> = zip
        .file_names()
        .flatten()
        .filter(|n| n.ends_with(".bin"))
        .map(|n| n.to_string())
        .collect();
    for name in parts {
        let entry = zip.by_name(&name).map_err(|e| corrupt(&e))?;
        let mut part = BufReader::new(entry);
        while let Some(len) = record_length(&mut part).map_err(|e| corrupt(&e))? {
            let skipped = std::io::copy(&mut (&mut part).take(len), &mut std::io::sink())
                .map_err(|e| corrupt(&e))?;
            if skipped < len {
                return Err(corrupt(&format!(
                    "{name} 中的记录声明 {len} 字节，实际只有 {skipped} 字节"
                )));
            }
        }
    }
    Ok(())
}

/// Reads a record's type and returns its length; `None` at the end of the part.
fn record_length(r: &mut impl Read) -> std::io::Result<Option<u64>> {
    let mut b = [0u8; 1];
    if r.read(&mut b)? == 0 {
        return Ok(None);
    }
    if b[0] & 0x80 != 0 {
        r.read_exact(&mut b)?;
    }
    let mut len: u64 = 0;
    for i in 0..4 {
        r.read_exact(&mut b)?;
        len |= u64::from(b[0] & 0x7F) << (7 * i);
        if b[0] & 0x80 == 0 {
            break;
        }
    }
    Ok(Some(len))
}
