//! How a form sheet is laid out in its file, as the reader found it: what a
//! copy of the sheet needs to look like the form (the feedback workbooks'
//! copies, docs/return-form.md §9.4). The reader keeps a file's values, not
//! its styles, so the look is the form's: its table ruled, its header
//! repeated on every printed page, its amounts with thousands separators.

use std::collections::BTreeMap;

use super::{CellPos, Merge};

/// How a number of the form is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    /// 万元: thousands separators, two decimals (`1,200.00`).
    Amount,
    /// A count: thousands separators, no decimals (`1,200`).
    Count,
}

/// A form sheet's layout in one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SheetShape {
    /// The table (header and data rows, or the fields with their labels and
    /// hints), to be ruled; inclusive.
    pub table: Option<Merge>,
    /// The table's header rows (0-based, inclusive): bold, and printed atop
    /// every page with the rows above them.
    pub header: Option<(u32, u32)>,
    /// The form's numbers that are amounts or counts, by cell (numbers not
    /// listed show as stored).
    pub numbers: BTreeMap<CellPos, NumberKind>,
    /// The last row (0-based) holding anything but a pre-printed 序号 of an
    /// empty list row: printing ends there.
    pub last_row: Option<u32>,
    /// The last column (0-based) holding anything: printing ends there.
    pub last_col: Option<u32>,
}

impl SheetShape {
    pub fn number(&self, pos: CellPos) -> Option<NumberKind> {
        self.numbers.get(&pos).copied()
    }

    /// Whether a cell lies in the table.
    pub fn in_table(&self, pos: CellPos) -> bool {
        self.table.is_some_and(|t| {
            (t.start.row..=t.end.row).contains(&pos.row)
                && (t.start.col..=t.end.col).contains(&pos.col)
        })
    }

    /// Whether a row is one of the table's header rows.
    pub fn is_header(&self, row: u32) -> bool {
        self.header.is_some_and(|(a, b)| (a..=b).contains(&row))
    }
}
