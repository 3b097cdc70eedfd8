//! Finding the form inside a workbook: sheets by name, the header row among
//! the first rows, columns by header text, data rows until an empty row.
//!
//! Only positions are recorded; values stay in the sheet's grid and are
//! looked at through [`RawSheet`] views, so nothing is copied per cell.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::RawReturn;
use crate::config::{Form, Layout, SheetSpec};
use crate::model::{BookSheet, CellValue, Grid, RowView, SheetShape};
use crate::model::{CellPos, Issue, SourceFile};
use crate::text::{label_key, sheet_key};

/// Where a form sheet's fields are.
#[derive(Debug, Clone, PartialEq)]
pub struct FormSheet {
    /// The sheet's name as written in the file.
    pub name: Arc<str>,
    /// 1-based header row, for table sheets.
    pub header_row: Option<u32>,
    /// The sheet's position in the book (whose grid holds the values).
    book_index: usize,
    /// Table sheets: field key → column.
    columns: Vec<(String, u32)>,
    /// Table sheets: the data rows, 0-based.
    rows: Vec<u32>,
    /// Field sheets: field key → the value's cell.
    fields: Vec<(String, CellPos)>,
    /// Table sheets: the header's last row, 0-based (below the header row
    /// when a header cell is merged downwards).
    header_end: Option<u32>,
    layout: Layout,
}

/// A form sheet with its cells.
#[derive(Debug, Clone, Copy)]
pub struct RawSheet<'a> {
    pub name: &'a Arc<str>,
    pub header_row: Option<u32>,
    form: &'a FormSheet,
    grid: &'a Grid,
}

/// One data row. A field whose column exists is present (possibly empty); a
/// field whose column is missing is absent.
#[derive(Debug, Clone, Copy)]
pub struct RawRow<'a> {
    /// 1-based sheet row; 0 for a field-layout sheet, whose cells each carry
    /// their own position.
    pub row: u32,
    sheet: RawSheet<'a>,
    cells: Option<RowView<'a>>,
}

/// A cell read for a form field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawCell<'a> {
    pub pos: CellPos,
    pub value: &'a CellValue,
}

impl RawReturn {
    /// A form sheet by key (`basic`, `projects` …), when the file has it.
    pub fn sheet(&self, key: &str) -> Option<RawSheet<'_>> {
        let form = self.sheets.get(key)?;
        let grid = self.book.get(form.book_index)?.grid.as_ref()?;
        Some(RawSheet {
            name: &form.name,
            header_row: form.header_row,
            form,
            grid,
        })
    }

    /// The form sheets read, with their cells, in file order, each with
    /// the shape `shape` gives it (from the form's key and the sheet as
    /// located). Other sheets (the template's hidden 模板信息) are dropped.
    pub fn into_cells(self, shape: impl Fn(&str, RawSheet<'_>) -> SheetShape) -> Vec<BookSheet> {
        let mut shapes: BTreeMap<usize, SheetShape> = self
            .sheets
            .iter()
            .filter_map(|(key, form)| Some((form.book_index, shape(key, self.sheet(key)?))))
            .collect();
        self.book
            .into_iter()
            .enumerate()
            .filter(|(_, s)| s.grid.is_some())
            .filter_map(|(i, mut s)| {
                s.shape = Some(shapes.remove(&i)?);
                Some(s)
            })
            .collect()
    }
}

impl<'a> RawSheet<'a> {
    /// The data rows (a field-layout sheet has one).
    pub fn rows(self) -> impl Iterator<Item = RawRow<'a>> {
        let (fields, table) = match self.form.layout {
            Layout::Fields => (Some(0), &[][..]),
            Layout::Table => (None, &self.form.rows[..]),
        };
        let grid = self.grid;
        fields
            .into_iter()
            .map(move |row| RawRow {
                row,
                sheet: self,
                cells: None,
            })
            .chain(table.iter().map(move |&r| RawRow {
                row: r + 1,
                sheet: self,
                cells: Some(grid.row_view(r)),
            }))
    }

    /// The sheet's cells.
    pub fn grid(self) -> &'a Grid {
        self.grid
    }

    /// Table sheets: each field's column, by field key.
    pub fn columns(self) -> &'a [(String, u32)] {
        &self.form.columns
    }

    /// Table sheets: the data rows, 0-based.
    pub fn data_rows(self) -> &'a [u32] {
        &self.form.rows
    }

    /// Table sheets: the header rows, 0-based and inclusive.
    pub fn header_rows(self) -> Option<(u32, u32)> {
        let start = self.header_row?.checked_sub(1)?;
        Some((start, self.form.header_end.unwrap_or(start)))
    }

    /// Field sheets: each field's value cell, by field key.
    pub fn field_cells(self) -> &'a [(String, CellPos)] {
        &self.form.fields
    }

    /// How many data rows the sheet has.
    pub fn row_count(self) -> usize {
        match self.form.layout {
            Layout::Fields => 1,
            Layout::Table => self.form.rows.len(),
        }
    }
}

impl<'a> RawRow<'a> {
    pub fn get(&self, key: &str) -> Option<RawCell<'a>> {
        let form = self.sheet.form;
        match self.cells {
            None => {
                let pos = form.fields.iter().find(|(k, _)| k == key)?.1;
                Some(RawCell {
                    pos,
                    value: self.sheet.grid.get(pos),
                })
            }
            Some(cells) => {
                let col = form.columns.iter().find(|(k, _)| k == key)?.1;
                Some(RawCell {
                    pos: CellPos::new(self.row - 1, col),
                    value: cells.get(col),
                })
            }
        }
    }
}

/// Labels of a field-layout sheet are looked for in this many rows and columns.
const FIELD_SEARCH_ROWS: u32 = 60;
const FIELD_SEARCH_COLS: u32 = 12;

/// The form inside a workbook's sheets.
pub fn locate(book: Vec<BookSheet>, source: SourceFile, form: &Form) -> RawReturn {
    let mut issues = Vec::new();
    let mut sheets = BTreeMap::new();
    let mut is_sample = false;
    let ignored: Vec<String> = form
        .reading
        .ignored_sheets
        .iter()
        .map(|s| sheet_key(s))
        .collect();
    for spec in &form.sheet {
        let key = sheet_key(&spec.name);
        let found = book.iter().enumerate().find_map(|(i, s)| {
            (sheet_key(&s.name) == key)
                .then_some(())
                .and_then(|_| s.grid.as_ref().map(|g| (i, &s.name, g)))
        });
        match found {
            Some((book_index, name, grid)) => {
                is_sample |= grid
                    .values()
                    .filter_map(CellValue::text)
                    .any(|t| t.contains(&form.reading.sample_marker));
                let mut sheet = match spec.layout {
                    Layout::Fields => read_fields(grid, name, spec, &mut issues),
                    Layout::Table => read_table(grid, name, spec, form, &mut issues),
                };
                sheet.book_index = book_index;
                sheets.insert(spec.key.clone(), sheet);
            }
            None if spec.required => {
                issues.push(Issue::new("S01").sheet(&spec.name).expected(&spec.name));
            }
            None => {}
        }
    }
    for sheet in &book {
        let key = sheet_key(&sheet.name);
        let known = form.sheet.iter().any(|s| sheet_key(&s.name) == key)
            || ignored.contains(&key)
            || key == sheet_key(&form.reading.template_sheet);
        if !known {
            issues.push(Issue::new("S04").sheet(&sheet.name));
        }
    }
    let template_key = sheet_key(&form.reading.template_sheet);
    let template = book
        .iter()
        .find(|s| sheet_key(&s.name) == template_key)
        .and_then(|s| s.grid.as_ref())
        .map(read_stamp);
    RawReturn {
        source,
        sheets,
        is_sample,
        issues,
        template,
        book,
    }
}

/// `模板版本 | 1`, `高新区代码 | XZ`, `报告期 | 2026Q4` in the first columns.
fn read_stamp(grid: &Grid) -> super::TemplateStamp {
    let value = |label: &str| {
        (0..10)
            .find_map(|r| {
                let mut cells = grid.row(r);
                let (_, first) = cells.next()?;
                (label_key(&first.display()) == label)
                    .then(|| cells.next().map(|(_, v)| v.display()))?
            })
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    super::TemplateStamp {
        version: value("模板版本"),
        zone_code: value("高新区代码"),
        period: value("报告期"),
    }
}

fn empty_sheet(name: &str, header_row: Option<u32>, layout: Layout) -> FormSheet {
    FormSheet {
        name: Arc::from(name),
        header_row,
        book_index: 0,
        columns: Vec::new(),
        rows: Vec::new(),
        fields: Vec::new(),
        header_end: None,
        layout,
    }
}

/// `field | value` sheets: each label anywhere near the top left, its value
/// in the first cell right of the label (past the label's merged region).
fn read_fields(grid: &Grid, name: &str, spec: &SheetSpec, issues: &mut Vec<Issue>) -> FormSheet {
    let mut sheet = empty_sheet(name, None, Layout::Fields);
    let mut labels: BTreeMap<usize, CellPos> = BTreeMap::new();
    for r in 0..FIELD_SEARCH_ROWS {
        for (c, v) in grid.row(r).take_while(|(c, _)| *c < FIELD_SEARCH_COLS) {
            let Some(key) = v.text().map(label_key) else {
                continue;
            };
            if let Some(i) = spec.fields.iter().position(|f| f.matches_key(&key)) {
                labels.entry(i).or_insert(CellPos::new(r, c));
            }
        }
    }
    for (i, field) in spec.fields.iter().enumerate() {
        match labels.get(&i) {
            Some(&label) => {
                let col = grid.merge_at(label).map_or(label.col, |m| m.end.col) + 1;
                sheet
                    .fields
                    .push((field.key.clone(), CellPos::new(label.row, col)));
            }
            None => issues.push(Issue::new("S02").sheet(name).expected(&field.label)),
        }
    }
    sheet
}

/// Table sheets: the header row is the row among the first few that names
/// the most fields; data follows until an empty row or a note.
fn read_table(
    grid: &Grid,
    name: &str,
    spec: &SheetSpec,
    form: &Form,
    issues: &mut Vec<Issue>,
) -> FormSheet {
    let header = (0..form.reading.header_search_rows)
        .map(|r| (r, header_columns(grid, r, spec)))
        .filter(|(_, cols)| !cols.is_empty())
        .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(&a.0)));
    let Some((header_row, columns)) = header else {
        for f in spec.fields.iter().filter(|f| f.required) {
            issues.push(Issue::new("S02").sheet(name).expected(&f.label));
        }
        return empty_sheet(name, None, Layout::Table);
    };
    for f in spec.fields.iter().filter(|f| f.required) {
        if !columns.contains_key(&f.key) {
            issues.push(
                Issue::new("S02")
                    .sheet(name)
                    .row(header_row + 1)
                    .expected(&f.label),
            );
        }
    }
    let mut sheet = empty_sheet(name, Some(header_row + 1), Layout::Table);
    let first_data_row = first_data_row(grid, header_row, &columns);
    sheet.header_end = Some(first_data_row - 1);
    sheet.rows = data_rows(grid, first_data_row, &columns, form);
    sheet.columns = columns.into_iter().collect();
    sheet
}

/// The row below the header: a header cell merged downwards (a two-row
/// header) is not data.
fn first_data_row(grid: &Grid, header_row: u32, columns: &BTreeMap<String, u32>) -> u32 {
    columns
        .values()
        .filter_map(|&c| grid.merge_at(CellPos::new(header_row, c)))
        .map(|m| m.end.row.saturating_add(1))
        .fold(header_row + 1, u32::max)
}

/// The data rows under the header (from `first_data_row` on): from the
/// first non-empty row to the first empty one after it, or to a note.
fn data_rows(
    grid: &Grid,
    first_data_row: u32,
    columns: &BTreeMap<String, u32>,
    form: &Form,
) -> Vec<u32> {
    let markers: Vec<String> = form
        .reading
        .stop_markers
        .iter()
        .map(|m| label_key(m).into_owned())
        .collect();
    let last_row = grid.extent().map_or(0, |(r, _)| r);
    let mut rows = Vec::new();
    for r in first_data_row..=last_row {
        let first = grid.row(r).find(|(_, v)| !v.is_empty()).map(|(_, v)| v);
        if let Some(text) = first.and_then(CellValue::text) {
            let key = label_key(text);
            if markers.iter().any(|m| is_note(&key, m)) {
                break;
            }
        }
        // A row holding only a pre-printed 序号 counts as empty.
        let row = grid.row_view(r);
        let empty = columns
            .iter()
            .all(|(k, &c)| k == "seq" || row.get(c).is_empty());
        if empty {
            if rows.is_empty() {
                continue;
            }
            break;
        }
        rows.push(r);
    }
    rows
}

/// Does a row's first cell start a note (`注：…`, `填表说明`)? A one-character
/// marker must not be followed by another ideograph: `注塑件…` is data.
fn is_note(key: &str, marker: &str) -> bool {
    let Some(rest) = key.strip_prefix(marker) else {
        return false;
    };
    marker.chars().count() > 1
        || !rest
            .chars()
            .next()
            .is_some_and(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

/// Field key → column for the fields named in row `r`.
fn header_columns(grid: &Grid, r: u32, spec: &SheetSpec) -> BTreeMap<String, u32> {
    let mut cols = BTreeMap::new();
    for (c, v) in grid.row(r) {
        let Some(key) = v.text().map(label_key) else {
            continue;
        };
        if let Some(f) = spec.fields.iter().find(|f| f.matches_key(&key)) {
            cols.entry(f.key.clone()).or_insert(c);
        }
    }
    cols
}

#[cfg(test)]
mod tests {
    use super::is_note;

    #[test]
    fn notes_end_the_data_but_names_do_not() {
        assert!(is_note("注:金额单位为万元", "注"));
        assert!(is_note("注1、本表", "注"));
        assert!(is_note("注", "注"));
        assert!(is_note("填表说明:", "填表说明"));
        assert!(!is_note("注塑件模具关键技术研发", "注"));
    }
}
