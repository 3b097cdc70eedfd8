//! Finding the form inside a workbook: sheets by name, the header row among
//! the first rows, columns by header text, data rows until an empty row.

use std::collections::BTreeMap;

use super::grid::{CellValue, Grid};
use super::open::BookSheet;
use super::RawReturn;
use crate::config::{Form, Layout, SheetSpec};
use crate::model::{CellPos, Issue, SourceFile};
use crate::text::{label_key, sheet_key};

/// A cell read for a form field.
#[derive(Debug, Clone, PartialEq)]
pub struct RawCell {
    pub pos: CellPos,
    pub value: CellValue,
}

/// One data row: field key → cell. A field whose column exists is present
/// (possibly empty); a field whose column is missing is absent.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    /// 1-based sheet row; 0 for a field-layout sheet, whose cells each carry
    /// their own position.
    pub row: u32,
    pub cells: BTreeMap<String, RawCell>,
}

impl RawRow {
    pub fn get(&self, key: &str) -> Option<&RawCell> {
        self.cells.get(key)
    }
}

/// A form sheet as found in the workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct RawSheet {
    /// The sheet's name as written in the file.
    pub name: String,
    /// 1-based header row, for table sheets.
    pub header_row: Option<u32>,
    pub rows: Vec<RawRow>,
}

/// Labels of a field-layout sheet are looked for in this many rows and columns.
const FIELD_SEARCH_ROWS: u32 = 60;
const FIELD_SEARCH_COLS: u32 = 12;

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
        match book.iter().find(|s| sheet_key(&s.name) == key) {
            Some(BookSheet {
                name,
                grid: Some(grid),
            }) => {
                is_sample |= grid
                    .values()
                    .filter_map(CellValue::text)
                    .any(|t| t.contains(&form.reading.sample_marker));
                let sheet = match spec.layout {
                    Layout::Fields => read_fields(grid, name, spec, &mut issues),
                    Layout::Table => read_table(grid, name, spec, form, &mut issues),
                };
                sheets.insert(spec.key.clone(), sheet);
            }
            _ if spec.required => {
                issues.push(Issue::new("S01").sheet(&spec.name).expected(&spec.name));
            }
            _ => {}
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

/// `field | value` sheets: each label anywhere near the top left, its value
/// in the first cell right of the label (past the label's merged region).
fn read_fields(grid: &Grid, name: &str, spec: &SheetSpec, issues: &mut Vec<Issue>) -> RawSheet {
    let mut cells = BTreeMap::new();
    for field in &spec.fields {
        let found = (0..FIELD_SEARCH_ROWS).find_map(|r| {
            grid.row(r)
                .take_while(|(c, _)| *c < FIELD_SEARCH_COLS)
                .find(|(_, v)| v.text().is_some_and(|t| field.matches(t)))
                .map(|(c, _)| CellPos::new(r, c))
        });
        match found {
            Some(label) => {
                let col = grid.merge_at(label).map_or(label.col, |m| m.end.col) + 1;
                let pos = CellPos::new(label.row, col);
                cells.insert(
                    field.key.clone(),
                    RawCell {
                        pos,
                        value: grid.get(pos).clone(),
                    },
                );
            }
            None => issues.push(Issue::new("S02").sheet(name).expected(&field.label)),
        }
    }
    RawSheet {
        name: name.to_string(),
        header_row: None,
        rows: vec![RawRow { row: 0, cells }],
    }
}

/// Table sheets: the header row is the row among the first few that names
/// the most fields; data follows until an empty row or a note.
fn read_table(
    grid: &Grid,
    name: &str,
    spec: &SheetSpec,
    form: &Form,
    issues: &mut Vec<Issue>,
) -> RawSheet {
    let header = (0..form.reading.header_search_rows)
        .map(|r| (r, header_columns(grid, r, spec)))
        .filter(|(_, cols)| !cols.is_empty())
        .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(&a.0)));
    let Some((header_row, columns)) = header else {
        for f in spec.fields.iter().filter(|f| f.required) {
            issues.push(Issue::new("S02").sheet(name).expected(&f.label));
        }
        return RawSheet {
            name: name.to_string(),
            header_row: None,
            rows: Vec::new(),
        };
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
    let markers: Vec<String> = form
        .reading
        .stop_markers
        .iter()
        .map(|m| label_key(m))
        .collect();
    let last_row = grid.extent().map_or(0, |(r, _)| r);
    // A header cell merged downwards (a two-row header) is not data.
    let first_data_row = columns
        .values()
        .filter_map(|&c| grid.merge_at(CellPos::new(header_row, c)))
        .map(|m| m.end.row + 1)
        .fold(header_row + 1, u32::max);
    let mut rows = Vec::new();
    for r in first_data_row..=last_row {
        let first = grid.row(r).find(|(_, v)| !v.is_empty()).map(|(_, v)| v);
        if let Some(text) = first.and_then(CellValue::text) {
            let key = label_key(text);
            if markers.iter().any(|m| is_note(&key, m)) {
                break;
            }
        }
        let cells: BTreeMap<String, RawCell> = columns
            .iter()
            .map(|(key, &col)| {
                let pos = CellPos::new(r, col);
                (
                    key.clone(),
                    RawCell {
                        pos,
                        value: grid.get(pos).clone(),
                    },
                )
            })
            .collect();
        // A row holding only a pre-printed 序号 counts as empty.
        let empty = cells.iter().all(|(k, c)| k == "seq" || c.value.is_empty());
        if empty {
            if rows.is_empty() {
                continue;
            }
            break;
        }
        rows.push(RawRow { row: r + 1, cells });
    }
    RawSheet {
        name: name.to_string(),
        header_row: Some(header_row + 1),
        rows,
    }
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
        let Some(text) = v.text() else { continue };
        if let Some(f) = spec.fields.iter().find(|f| f.matches(text)) {
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
