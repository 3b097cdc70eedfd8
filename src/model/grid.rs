//! A sheet as a sparse grid of cell values, whatever format it came from.

use std::sync::Arc;

use chrono::NaiveDateTime;

use super::{CellPos, SheetShape};
use crate::format::format_number;

/// One cell's value as the file stores it (formulas: the cached value).
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    Empty,
    /// Shared with every other cell holding the same string of the file.
    Text(Arc<str>),
    Number(f64),
    Bool(bool),
    /// A cell Excel formats as a date.
    DateTime(NaiveDateTime),
    /// A formula error such as `#REF!`.
    Error(String),
    /// A formula whose result the file does not store (never calculated).
    Uncalculated(String),
}

impl CellValue {
    pub fn is_empty(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as a clerk would read it in the cell.
    pub fn display(&self) -> String {
        match self {
            CellValue::Empty => String::new(),
            CellValue::Text(t) => t.to_string(),
            CellValue::Number(n) => format_number(*n),
            CellValue::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
            CellValue::DateTime(d) => {
                if d.time() == chrono::NaiveTime::MIN {
                    d.date().to_string()
                } else {
                    d.to_string()
                }
            }
            CellValue::Error(e) => e.clone(),
            CellValue::Uncalculated(f) => format!("={f}"),
        }
    }

    pub fn text(&self) -> Option<&str> {
        match self {
            CellValue::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// A merged region, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub start: CellPos,
    pub end: CellPos,
}

impl Merge {
    fn contains(&self, p: CellPos) -> bool {
        (self.start.row..=self.end.row).contains(&p.row)
            && (self.start.col..=self.end.col).contains(&p.col)
    }
}

/// A sheet's non-empty cells and merged regions.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// Sorted by (row, column): readers deliver cells in that order, so
    /// storing one is a push.
    cells: Vec<((u32, u32), CellValue)>,
    merges: Vec<Merge>,
}

impl Grid {
    pub fn insert(&mut self, pos: CellPos, value: CellValue) {
        if value == CellValue::Empty {
            return;
        }
        let key = (pos.row, pos.col);
        match self.cells.last() {
            Some((last, _)) if *last >= key => match self.find(key) {
                Ok(i) => self.cells[i].1 = value,
                Err(i) => self.cells.insert(i, (key, value)),
            },
            _ => self.cells.push((key, value)),
        }
    }

    fn find(&self, key: (u32, u32)) -> Result<usize, usize> {
        self.cells.binary_search_by_key(&key, |(k, _)| *k)
    }

    pub fn add_merge(&mut self, merge: Merge) {
        self.merges.push(merge);
    }

    /// The value at a cell; inside a merged region, the region's value.
    pub fn get(&self, pos: CellPos) -> &CellValue {
        if let Ok(i) = self.find((pos.row, pos.col)) {
            return &self.cells[i].1;
        }
        match self.merge_at(pos) {
            Some(m) => match self.find((m.start.row, m.start.col)) {
                Ok(i) => &self.cells[i].1,
                Err(_) => &CellValue::Empty,
            },
            None => &CellValue::Empty,
        }
    }

    pub fn merge_at(&self, pos: CellPos) -> Option<&Merge> {
        self.merges.iter().find(|m| m.contains(pos))
    }

    /// The last row and column holding a value (zero-based), if any.
    pub fn extent(&self) -> Option<(u32, u32)> {
        let last_row = self.cells.last()?.0 .0;
        let last_col = self.cells.iter().map(|(k, _)| k.1).max()?;
        Some((last_row, last_col))
    }

    /// Non-empty cells of one row, left to right.
    pub fn row(&self, row: u32) -> impl Iterator<Item = (u32, &CellValue)> {
        self.row_cells(row).iter().map(|(k, v)| (k.1, v))
    }

    /// A row's own cells, found once for reading several of them.
    fn row_cells(&self, row: u32) -> &[((u32, u32), CellValue)] {
        let start = self.cells.partition_point(|(k, _)| *k < (row, 0));
        let len = self.cells[start..].partition_point(|(k, _)| k.0 == row);
        &self.cells[start..start + len]
    }

    /// One row, for reading several of its cells.
    pub fn row_view(&self, row: u32) -> RowView<'_> {
        RowView {
            grid: self,
            row,
            cells: self.row_cells(row),
        }
    }

    /// Every non-empty cell, row by row.
    pub fn cells(&self) -> impl Iterator<Item = (CellPos, &CellValue)> {
        self.cells.iter().map(|(k, v)| (CellPos::new(k.0, k.1), v))
    }

    pub fn merges(&self) -> &[Merge] {
        &self.merges
    }

    pub fn values(&self) -> impl Iterator<Item = &CellValue> {
        self.cells.iter().map(|(_, v)| v)
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
}

/// One sheet of a workbook: its name, and its cells when it is one of the
/// form's (other sheets are listed by name only).
#[derive(Debug, Clone)]
pub struct BookSheet {
    pub name: String,
    pub grid: Option<Grid>,
    /// How the form lies in the sheet, once the reader has found it (the
    /// form sheets a checked file keeps for its feedback).
    pub shape: Option<SheetShape>,
}

impl BookSheet {
    /// A sheet as a reader returns it, before the form is found in it.
    pub fn new(name: String, grid: Option<Grid>) -> BookSheet {
        BookSheet {
            name,
            grid,
            shape: None,
        }
    }
}

/// A row of a grid: its cells looked up among the row's own.
#[derive(Debug, Clone, Copy)]
pub struct RowView<'a> {
    grid: &'a Grid,
    row: u32,
    cells: &'a [((u32, u32), CellValue)],
}

impl<'a> RowView<'a> {
    /// As [`Grid::get`].
    pub fn get(&self, col: u32) -> &'a CellValue {
        match self.cells.iter().find(|(k, _)| k.1 == col) {
            Some((_, v)) => v,
            None => self.grid.get(CellPos::new(self.row, col)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_stay_in_reading_order_whatever_the_arrival() {
        let mut g = Grid::default();
        for (r, c, v) in [
            (1, 0, 1.0),
            (0, 2, 2.0),
            (1, 1, 3.0),
            (0, 0, 4.0),
            (0, 2, 5.0),
        ] {
            g.insert(CellPos::new(r, c), CellValue::Number(v));
        }
        let order: Vec<String> = g
            .cells()
            .map(|(p, v)| format!("{}={}", p.a1(), v.display()))
            .collect();
        assert_eq!(order, ["A1=4", "C1=5", "A2=1", "B2=3"]);
        assert_eq!(g.row(1).map(|(c, _)| c).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(g.get(CellPos::new(5, 5)), &CellValue::Empty);
        assert_eq!(g.extent(), Some((1, 2)));
    }
}
