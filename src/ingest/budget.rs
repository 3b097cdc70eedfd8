//! The cell limits of `form.toml`, applied while a sheet is read: a cell is
//! counted and placed before anything is stored for it, so a file that
//! claims a far corner or millions of cells costs nothing before it is
//! refused (F01).

use crate::config::Limits;
use crate::model::CellPos;

/// Counts one sheet's stored cells against the limits.
pub(super) struct CellBudget<'a> {
    limits: &'a Limits,
    count: u64,
}

impl<'a> CellBudget<'a> {
    pub fn new(limits: &'a Limits) -> CellBudget<'a> {
        CellBudget { limits, count: 0 }
    }

    /// The position of a non-empty cell, counted; the reason for F01 when it
    /// lies beyond the readable area or is one cell too many.
    pub fn admit(&mut self, row: u64, col: u64) -> Result<CellPos, String> {
        let pos = self.place(row, col)?;
        self.count += 1;
        if self.count > self.limits.max_cells_per_sheet {
            return Err(format!(
                "单元格数量超过上限 {}",
                self.limits.max_cells_per_sheet
            ));
        }
        Ok(pos)
    }

    /// The position, when it lies within the readable area.
    pub fn place(&self, row: u64, col: u64) -> Result<CellPos, String> {
        if row >= u64::from(self.limits.max_row) || col >= u64::from(self.limits.max_column) {
            return Err(beyond(row, col, self.limits));
        }
        Ok(CellPos::new(row as u32, col as u32))
    }

    /// A merged region cut to the readable area (`None` when it starts
    /// outside it): merges carry no values of their own.
    pub fn clamp_span(&self, start: (u64, u64), end: (u64, u64)) -> Option<(CellPos, CellPos)> {
        let start = self.place(start.0, start.1).ok()?;
        let last_row = u64::from(self.limits.max_row) - 1;
        let last_col = u64::from(self.limits.max_column) - 1;
        let end = CellPos::new(end.0.min(last_row) as u32, end.1.min(last_col) as u32);
        Some((start, end))
    }
}

/// The F01 reason for a cell beyond the limits, naming the cell.
pub(super) fn beyond(row: u64, col: u64, limits: &Limits) -> String {
    let shown = CellPos::new(
        row.min(u64::from(u32::MAX - 1)) as u32,
        col.min(u64::from(u32::MAX - 1)) as u32,
    );
    format!(
        "单元格 {} 超出可读取范围（最多 {} 行、{} 列）",
        shown.a1(),
        limits.max_row,
        limits.max_column
    )
}
