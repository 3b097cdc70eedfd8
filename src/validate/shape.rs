//! The shape of each form sheet a checked file keeps for its feedback
//! copies (docs/return-form.md §9.4): the table to rule, the header to
//! repeat, which numbers are amounts or counts (by the form's field types
//! and, on 核心指标, the row's indicator), and where printing ends.

use crate::config::{Config, FieldType, Layout, SheetSpec};
use crate::ingest::RawSheet;
use crate::model::{CellPos, CellValue, Grid, Merge, NumberKind, SheetShape};
use crate::text::label_key;

/// The shape of the form sheet `key` as located in a file.
pub(crate) fn shape(config: &Config, key: &str, sheet: RawSheet<'_>) -> SheetShape {
    let Some(spec) = config.form.sheet(key) else {
        return SheetShape::default();
    };
    let mut shape = match spec.layout {
        Layout::Table => table(config, spec, sheet),
        Layout::Fields => fields(spec, sheet),
    };
    let (last_row, last_col) = printed_extent(spec, sheet);
    shape.last_row = last_row;
    shape.last_col = last_col;
    shape
}

/// A table sheet: header and data rows ruled across the header's columns;
/// numbers typed by their column's field (核心指标: by the row's indicator).
fn table(config: &Config, spec: &SheetSpec, sheet: RawSheet<'_>) -> SheetShape {
    let grid = sheet.grid();
    let mut shape = SheetShape::default();
    let Some((top, bottom)) = sheet.header_rows() else {
        return shape;
    };
    shape.header = Some((top, bottom));
    let header_cols = (top..=bottom).flat_map(|r| grid.row(r).map(|(c, _)| c));
    let mapped = sheet.columns().iter().map(|(_, c)| *c);
    let (first, last) = span(header_cols.chain(mapped)).unwrap_or((0, 0));
    let last_data = sheet.data_rows().last().copied().unwrap_or(bottom);
    shape.table = Some(area((top, first), (last_data.max(bottom), last)));
    let code_col = column_of_type(spec, sheet, FieldType::Indicator);
    for &r in sheet.data_rows() {
        match code_col {
            Some(c) => indicator_row(config, grid, r, c, &mut shape),
            None => typed_row(spec, sheet, r, &mut shape),
        }
    }
    shape
}

/// A 核心指标 row: every number in it in its indicator's kind (the form's
/// figures and any reference column beside them).
fn indicator_row(config: &Config, grid: &Grid, r: u32, code_col: u32, shape: &mut SheetShape) {
    let code = label_key(&grid.get(CellPos::new(r, code_col)).display()).to_uppercase();
    let Some(indicator) = config.indicators.get(&code) else {
        return;
    };
    let kind = if indicator.is_amount() {
        NumberKind::Amount
    } else {
        NumberKind::Count
    };
    for (c, v) in grid.row(r) {
        if matches!(v, CellValue::Number(_)) {
            shape.numbers.insert(CellPos::new(r, c), kind);
        }
    }
}

/// A list row: each amount or count column's number.
fn typed_row(spec: &SheetSpec, sheet: RawSheet<'_>, r: u32, shape: &mut SheetShape) {
    for (key, c) in sheet.columns() {
        let pos = CellPos::new(r, *c);
        if let Some(kind) = number_kind(spec, key, sheet.grid(), pos) {
            shape.numbers.insert(pos, kind);
        }
    }
}

/// A field sheet: the rows of its fields ruled from the labels to the last
/// cell beside them (the template's hints), with the row above as header
/// when it heads two or more of those columns; each amount or count value
/// typed.
fn fields(spec: &SheetSpec, sheet: RawSheet<'_>) -> SheetShape {
    let grid = sheet.grid();
    let mut shape = SheetShape::default();
    let cells = sheet.field_cells();
    let Some((top, bottom)) = span(cells.iter().map(|(_, p)| p.row)) else {
        return shape;
    };
    let Some((first, last)) = span((top..=bottom).flat_map(|r| grid.row(r).map(|(c, _)| c))) else {
        return shape;
    };
    let above = top.checked_sub(1).filter(|&r| {
        grid.row(r)
            .filter(|(c, v)| (first..=last).contains(c) && !v.is_empty())
            .count()
            >= 2
    });
    if let Some(h) = above {
        shape.header = Some((h, h));
    }
    shape.table = Some(area((above.unwrap_or(top), first), (bottom, last)));
    for (key, pos) in cells {
        if let Some(kind) = number_kind(spec, key, grid, *pos) {
            shape.numbers.insert(*pos, kind);
        }
    }
    shape
}

/// The kind of the number in a field's cell, if it holds a number and the
/// field is an amount or a count.
fn number_kind(spec: &SheetSpec, key: &str, grid: &Grid, pos: CellPos) -> Option<NumberKind> {
    if !matches!(grid.get(pos), CellValue::Number(_)) {
        return None;
    }
    match spec.fields.iter().find(|f| f.key == key)?.kind {
        FieldType::Amount => Some(NumberKind::Amount),
        FieldType::Count => Some(NumberKind::Count),
        _ => None,
    }
}

/// The column of the first field of a type, when the sheet has it.
fn column_of_type(spec: &SheetSpec, sheet: RawSheet<'_>, kind: FieldType) -> Option<u32> {
    let key = &spec.fields.iter().find(|f| f.kind == kind)?.key;
    sheet
        .columns()
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, c)| *c)
}

/// The last row and column to print: every cell counts except, below a
/// table's data, one in the 序号 column (a pre-printed number of an empty
/// row: docs/return-form.md §3.6); a merge counts to its end.
fn printed_extent(spec: &SheetSpec, sheet: RawSheet<'_>) -> (Option<u32>, Option<u32>) {
    let grid = sheet.grid();
    let seq = spec
        .fields
        .iter()
        .find(|f| f.key == "seq")
        .and_then(|f| sheet.columns().iter().find(|(k, _)| *k == f.key))
        .map(|(_, c)| *c);
    let data_end = sheet
        .data_rows()
        .last()
        .copied()
        .or(sheet.header_rows().map(|(_, b)| b));
    let counts = |p: CellPos| match (seq, data_end) {
        (Some(c), Some(end)) => !(p.col == c && p.row > end),
        _ => true,
    };
    let merged_ends = grid
        .merges()
        .iter()
        .filter(|m| counts(m.start) && !grid.get(m.start).is_empty())
        .map(|m| m.end);
    let ends = grid
        .cells()
        .filter(|(p, v)| !v.is_empty() && counts(*p))
        .map(|(p, _)| p)
        .chain(merged_ends);
    let (mut last_row, mut last_col) = (None, None);
    for p in ends {
        last_row = last_row.max(Some(p.row));
        last_col = last_col.max(Some(p.col));
    }
    (last_row, last_col)
}

/// The smallest and largest of some numbers.
fn span(values: impl Iterator<Item = u32>) -> Option<(u32, u32)> {
    values.fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((a, b)) => Some((a.min(v), b.max(v))),
    })
}

fn area(start: (u32, u32), end: (u32, u32)) -> Merge {
    Merge {
        start: CellPos::new(start.0, start.1),
        end: CellPos::new(end.0, end.1),
    }
}
