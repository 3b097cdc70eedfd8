//! The copies of a file's own form sheets in its feedback workbook: values
//! as read, laid out as the form (docs/return-form.md §9.4), the cells
//! findings point at marked and commented.

use std::collections::{BTreeMap, HashMap, HashSet};

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet};

use super::{fill_of, text_of, Copy, AUTHOR};
use crate::model::{CellPos, CellValue, Grid, Merge, NumberKind, Severity, SheetShape};
use crate::render::xlsx::{
    self, clip_cell, excel_datetime, lines_units, text_units, Num, Res, Wrap, MAX_COL, MAX_ROW,
};
use crate::report::ListedFinding;

/// Column width bounds.
const COPY_MIN: f64 = 6.0;
const COPY_MAX: f64 = 40.0;
/// A merged region larger than this is not re-merged (a hostile file could
/// merge a whole sheet; its value is still copied).
const MAX_MERGE_CELLS: u64 = 10_000;
/// Nor are more merged cells than this in all.
const MAX_MERGED_TOTAL: u64 = 200_000;
/// Empty cells of the table are ruled while the table has no more cells
/// than this (a hostile file's table can span 100,000 rows).
const MAX_RULED_CELLS: u64 = 100_000;
/// Copied text as wide as it shows, against `text_units`: LibreOffice and
/// Excel draw CJK text a little narrower than it counts (17 characters, 36
/// units, show in one line of a column 33 wide), and a copy's rows are
/// sized to the text they hold, not to what a clerk may type.
const SHOWN: f64 = 0.92;
/// Excel's column width where none is set.
const DEFAULT_WIDTH: f64 = 8.43;
/// A wrapped cell grows its row to at most this many lines.
const MAX_LINES: usize = 20;

/// A copy of one of the file's sheets as read, the cells findings point at
/// marked and commented; printed on A4, one page wide, its used rows only,
/// the rows down to the table's header atop every page.
pub(super) fn sheet(ws: &mut Worksheet, copy: &Copy, marked: &[(&ListedFinding, CellPos)]) -> Res {
    ws.set_default_note_author(AUTHOR);
    let layout = CopyLayout::new(copy.grid, copy.shape, marked);
    for (&c, &w) in &layout.widths {
        if c < MAX_COL {
            ws.set_column_width(c as u16, w)?;
        }
    }
    layout.remerge(ws)?;
    let (written, mut row_lines) = layout.cells(ws)?;
    layout.rule_blanks(ws, &written)?;
    layout.notes(ws, &written)?;
    layout.merged_lines(&mut row_lines);
    for (&r, &lines) in &row_lines {
        if lines > 1 {
            ws.set_row_height(r, Wrap::TABLE.height(lines.min(MAX_LINES)))?;
        }
    }
    layout.print(ws)
}

/// The merged regions re-made in a copy, and which of them covers a cell.
struct Merges {
    list: Vec<Merge>,
    by_cell: HashMap<CellPos, usize>,
}

impl Merges {
    /// The regions that can be re-made: inside Excel's limits, more than one
    /// cell, not too large (alone and together), not overlapping one taken.
    fn usable(grid: &Grid) -> Merges {
        let mut out = Merges {
            list: Vec::new(),
            by_cell: HashMap::new(),
        };
        for m in grid.merges() {
            let (s, e) = (m.start, m.end);
            let ok = s.row <= e.row
                && s.col <= e.col
                && e.row < MAX_ROW
                && e.col < MAX_COL
                && (s.row, s.col) != (e.row, e.col);
            if !ok {
                continue;
            }
            let area = u64::from(e.row - s.row + 1) * u64::from(e.col - s.col + 1);
            if area > MAX_MERGE_CELLS || out.by_cell.len() as u64 + area > MAX_MERGED_TOTAL {
                continue;
            }
            let cells = || {
                (s.row..=e.row).flat_map(move |r| (s.col..=e.col).map(move |c| CellPos::new(r, c)))
            };
            if cells().any(|p| out.by_cell.contains_key(&p)) {
                continue;
            }
            let index = out.list.len();
            out.by_cell.extend(cells().map(|p| (p, index)));
            out.list.push(*m);
        }
        out
    }

    fn at(&self, p: CellPos) -> Option<&Merge> {
        self.by_cell.get(&p).map(|&i| &self.list[i])
    }

    /// The cell that shows `p`: its merge's top-left cell, or itself.
    fn anchor(&self, p: CellPos) -> CellPos {
        self.at(p).map_or(p, |m| m.start)
    }
}

/// What kind of cell a value is written as.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Date,
    DateTime,
    Other,
}

fn kind(value: &CellValue) -> Kind {
    match value {
        CellValue::DateTime(d) if d.time() == chrono::NaiveTime::MIN => Kind::Date,
        CellValue::DateTime(_) => Kind::DateTime,
        CellValue::Text(_) | CellValue::Error(_) | CellValue::Uncalculated(_) => Kind::Text,
        _ => Kind::Other,
    }
}

/// How one cell of a copy looks.
#[derive(Clone, Copy)]
struct Look {
    kind: Kind,
    wrap: bool,
    /// The most serious finding on it.
    mark: Option<Severity>,
    /// An amount or a count of the form.
    number: Option<NumberKind>,
    /// In the form's table: ruled.
    ruled: bool,
    /// In the table's header.
    header: bool,
}

impl Look {
    fn format(self) -> Format {
        let mut f = match (self.header, self.ruled) {
            (true, _) => xlsx::header_light_blue(),
            (false, true) => xlsx::body_cell(),
            (false, false) => Format::new(),
        };
        match (self.kind, self.number) {
            (Kind::Date, _) => f = f.set_num_format(xlsx::DATE),
            (Kind::DateTime, _) => f = f.set_num_format(xlsx::DATE_TIME),
            (Kind::Other, Some(NumberKind::Amount)) => f = f.set_num_format(Num::Amount.code()),
            (Kind::Other, Some(NumberKind::Count)) => f = f.set_num_format(Num::Count.code()),
            _ => {}
        }
        // Ruled cells keep the form's vertical centring; others wrap from
        // the top.
        match (self.wrap && !self.header, self.ruled) {
            (true, true) => f = f.set_text_wrap(),
            (true, false) => f = f.set_text_wrap().set_align(FormatAlign::Top),
            (false, _) => {}
        }
        if let Some(sev) = self.mark {
            f = f
                .set_background_color(Color::RGB(fill_of(sev)))
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(text_of(sev)));
        }
        f
    }
}

fn write_value(ws: &mut Worksheet, pos: CellPos, value: &CellValue, format: &Format) -> Res {
    let (r, c) = (pos.row, pos.col as u16);
    match value {
        CellValue::Empty => {
            ws.write_blank(r, c, format)?;
        }
        CellValue::Number(n) if n.is_finite() => {
            ws.write_number_with_format(r, c, *n, format)?;
        }
        CellValue::Bool(b) => {
            ws.write_boolean_with_format(r, c, *b, format)?;
        }
        CellValue::DateTime(d) => match excel_datetime(d) {
            Some(dt) => {
                ws.write_datetime_with_format(r, c, &dt, format)?;
            }
            None => {
                ws.write_string_with_format(r, c, value.display(), format)?;
            }
        },
        other => {
            ws.write_string_with_format(r, c, clip_cell(&other.display()), format)?;
        }
    }
    Ok(())
}

/// The comment on a marked cell: every finding on it, most serious first.
fn note_text(findings: &[&ListedFinding]) -> String {
    let mut sorted = findings.to_vec();
    sorted.sort_by_key(|f| f.finding.severity);
    sorted
        .iter()
        .map(|listed| {
            let f = &listed.finding;
            let message = f.message.as_deref().unwrap_or(&listed.title);
            format!(
                "【{} {} {}】{message}",
                f.severity.label_zh(),
                f.rule,
                listed.title
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// How a copy is laid out: its re-made merges, the findings by the cell
/// that shows them (a merge's top-left cell), the cells in each row, the
/// column widths and the form's shape.
struct CopyLayout<'a> {
    grid: &'a Grid,
    shape: &'a SheetShape,
    merges: Merges,
    marks: BTreeMap<CellPos, Vec<&'a ListedFinding>>,
    per_row: BTreeMap<u32, usize>,
    widths: BTreeMap<u32, f64>,
}

/// The shape of a sheet the reader gave none.
static NO_SHAPE: SheetShape = SheetShape {
    table: None,
    header: None,
    numbers: BTreeMap::new(),
    last_row: None,
    last_col: None,
};

impl<'a> CopyLayout<'a> {
    fn new(
        grid: &'a Grid,
        shape: Option<&'a SheetShape>,
        marked: &[(&'a ListedFinding, CellPos)],
    ) -> CopyLayout<'a> {
        let merges = Merges::usable(grid);
        let mut marks: BTreeMap<CellPos, Vec<&ListedFinding>> = BTreeMap::new();
        for &(f, pos) in marked {
            marks.entry(merges.anchor(pos)).or_default().push(f);
        }
        let mut per_row: BTreeMap<u32, usize> = BTreeMap::new();
        for (pos, _) in grid.cells() {
            *per_row.entry(pos.row).or_default() += 1;
        }
        let mut copy = CopyLayout {
            grid,
            shape: shape.unwrap_or(&NO_SHAPE),
            merges,
            marks,
            per_row,
            widths: BTreeMap::new(),
        };
        copy.widths = copy.measure();
        copy
    }

    /// Column widths from the cells, narrowed together to print legibly.
    /// A cell alone in its row (a title, a note) overflows into the empty
    /// cells beside it and does not size its column; nor does a cell merged
    /// across columns, nor a header (its text wraps).
    fn measure(&self) -> BTreeMap<u32, f64> {
        let merged_across =
            |p: CellPos| self.merges.at(p).is_some_and(|m| m.start.col != m.end.col);
        let mut widths: BTreeMap<u32, f64> = BTreeMap::new();
        for (pos, value) in self.grid.cells() {
            if self.per_row[&pos.row] < 2 || merged_across(pos) || self.shape.is_header(pos.row) {
                continue;
            }
            let w = match (kind(value), self.shape.number(pos)) {
                (Kind::Date, _) => 10.0,
                (Kind::DateTime, _) => 19.0,
                (_, Some(_)) => text_units(&crate::format::group_thousands(number(value))) + 3.0,
                _ => text_units(&value.display()),
            };
            let entry = widths.entry(pos.col).or_insert(COPY_MIN);
            *entry = entry.max((w + 2.0).min(COPY_MAX));
        }
        self.widen_for_notes(&mut widths);
        let printed = self.printed();
        let mut narrowed: Vec<f64> = (0..=printed.1).map(|c| self.width_in(&widths, c)).collect();
        xlsx::narrow_to(&mut narrowed, xlsx::A4_LEGIBLE_UNITS, COPY_MIN);
        for (c, w) in (0u32..).zip(narrowed) {
            if widths.contains_key(&c) || w < DEFAULT_WIDTH {
                widths.insert(c, w);
            }
        }
        widths
    }

    /// Widens a title's or a note's columns (text merged across one row)
    /// until its longest line fits, up to a portrait page's width, the
    /// widest column of the merge taking the difference: a sheet with few
    /// columns (an empty 情况说明) would otherwise wrap its notes into a
    /// tall narrow strip.
    fn widen_for_notes(&self, widths: &mut BTreeMap<u32, f64>) {
        for m in self.merges.list.iter().filter(|m| m.start.row == m.end.row) {
            let value = self.grid.get(m.start);
            if kind(value) != Kind::Text {
                continue;
            }
            let cols = m.start.col..=m.end.col.min(255);
            let have: f64 = cols.clone().map(|c| self.width_in(widths, c)).sum();
            let want = (text_units(&value.display()) + 2.0).min(xlsx::A4_PORTRAIT_UNITS);
            // The widest; of equals, the rightmost.
            let widest = cols.max_by(|a, b| {
                self.width_in(widths, *a)
                    .total_cmp(&self.width_in(widths, *b))
            });
            if let (Some(c), true) = (widest, want > have) {
                let w = self.width_in(widths, c) + (want - have);
                widths.insert(c, w);
            }
        }
    }

    /// A column's width in `widths`; Excel's default where none was set.
    fn width_in(&self, widths: &BTreeMap<u32, f64>, c: u32) -> f64 {
        widths.get(&c).copied().unwrap_or(DEFAULT_WIDTH)
    }

    /// A column's width.
    fn width(&self, c: u32) -> f64 {
        self.width_in(&self.widths, c)
    }

    /// The last row and column to print (0-based): the shape's, else the
    /// sheet's extent; within Excel's limits.
    fn printed(&self) -> (u32, u32) {
        let extent = self.grid.extent().unwrap_or((0, 0));
        let row = self.shape.last_row.unwrap_or(extent.0);
        let col = self.shape.last_col.unwrap_or(extent.1);
        (row.min(MAX_ROW - 1), col.min(MAX_COL - 1).min(255))
    }

    /// How the cell at `pos` holding `value` looks.
    fn look(&self, pos: CellPos, value: &CellValue, wrap: bool) -> Look {
        Look {
            kind: kind(value),
            wrap,
            mark: self.mark_at(pos),
            number: self.shape.number(self.merges.anchor(pos)),
            ruled: self.shape.in_table(pos),
            header: self.shape.is_header(pos.row) && self.shape.in_table(pos),
        }
    }

    /// The most serious finding on the cell that shows `p`.
    fn mark_at(&self, p: CellPos) -> Option<Severity> {
        self.marks
            .get(&self.merges.anchor(p))
            .and_then(|fs| fs.iter().map(|f| f.finding.severity).min())
    }

    /// Re-makes the merged regions, formatted as their top-left cell.
    fn remerge(&self, ws: &mut Worksheet) -> Res {
        for m in &self.merges.list {
            let value = self.grid.get(m.start);
            let wrap = kind(value) == Kind::Text;
            let format = self.look(m.start, value, wrap).format();
            ws.merge_range(
                m.start.row,
                m.start.col as u16,
                m.end.row,
                m.end.col as u16,
                "",
                &format,
            )?;
        }
        Ok(())
    }

    /// Text wraps in a merge, or when it is wider than its column and in
    /// the table (it stays inside its rules) or the next cell is taken (it
    /// cannot overflow there).
    fn wraps(&self, pos: CellPos, value: &CellValue, text: &str) -> bool {
        let text_kind = kind(value) == Kind::Text;
        match self.merges.at(pos) {
            Some(_) => text_kind,
            None => {
                let next_taken = !self.grid.get(CellPos::new(pos.row, pos.col + 1)).is_empty();
                let boxed = self.shape.in_table(pos) || (self.per_row[&pos.row] > 1 && next_taken);
                text_kind && boxed && text_units(text) * SHOWN + 1.0 > self.width(pos.col)
            }
        }
    }

    /// Writes every cell; returns the cells written and the lines of each
    /// row's wrapped text (outside merges).
    fn cells(&self, ws: &mut Worksheet) -> Res<(HashSet<CellPos>, BTreeMap<u32, usize>)> {
        let mut written: HashSet<CellPos> = HashSet::new();
        let mut row_lines: BTreeMap<u32, usize> = BTreeMap::new();
        for (pos, value) in self.grid.cells() {
            if pos.row >= MAX_ROW || pos.col >= MAX_COL {
                continue;
            }
            let text = value.display();
            let wrap = self.wraps(pos, value, &text) || self.shape.is_header(pos.row);
            if wrap && self.merges.at(pos).is_none() {
                let lines = shown_lines(&text, self.width(pos.col));
                let entry = row_lines.entry(pos.row).or_default();
                *entry = (*entry).max(lines);
            }
            let format = self.look(pos, value, wrap).format();
            write_value(ws, pos, value, &format)?;
            written.insert(pos);
        }
        Ok((written, row_lines))
    }

    /// Rules the table's empty cells, when the table is not too large.
    fn rule_blanks(&self, ws: &mut Worksheet, written: &HashSet<CellPos>) -> Res {
        let Some(t) = self.shape.table else {
            return Ok(());
        };
        let (end_row, end_col) = (t.end.row.min(MAX_ROW - 1), t.end.col.min(MAX_COL - 1));
        let cells = u64::from(end_row.saturating_sub(t.start.row) + 1)
            * u64::from(end_col.saturating_sub(t.start.col) + 1);
        if cells > MAX_RULED_CELLS {
            return Ok(());
        }
        for r in t.start.row..=end_row {
            for c in t.start.col..=end_col {
                let pos = CellPos::new(r, c);
                if written.contains(&pos) || self.merges.at(pos).is_some() {
                    continue;
                }
                let format = self.look(pos, &CellValue::Empty, false).format();
                ws.write_blank(r, c as u16, &format)?;
            }
        }
        Ok(())
    }

    /// Marks the cells findings point at (an empty one filled too) and
    /// gives each its note.
    fn notes(&self, ws: &mut Worksheet, written: &HashSet<CellPos>) -> Res {
        for (&pos, findings) in &self.marks {
            let in_merge = self.merges.at(pos).is_some();
            if !written.contains(&pos) && !in_merge {
                let format = self.look(pos, &CellValue::Empty, false).format();
                ws.write_blank(pos.row, pos.col as u16, &format)?;
            }
            let note = xlsx::note(&note_text(findings), AUTHOR);
            ws.insert_note(pos.row, pos.col as u16, &note)?;
        }
        Ok(())
    }

    /// The lines of wrapped text in merges one row tall (a title or a note
    /// across the sheet), added to `row_lines`.
    fn merged_lines(&self, row_lines: &mut BTreeMap<u32, usize>) {
        for m in self.merges.list.iter().filter(|m| m.start.row == m.end.row) {
            let value = self.grid.get(m.start);
            if kind(value) != Kind::Text {
                continue;
            }
            let width: f64 = (m.start.col..=m.end.col).map(|c| self.width(c)).sum();
            let lines = shown_lines(&value.display(), width);
            let entry = row_lines.entry(m.start.row).or_default();
            *entry = (*entry).max(lines);
        }
    }

    /// A4, one page wide, the used rows and columns only; the rows down to
    /// the header atop every page and frozen on screen.
    fn print(&self, ws: &mut Worksheet) -> Res {
        let (row, col) = self.printed();
        let width: f64 = (0..=col).map(|c| self.width(c)).sum();
        xlsx::a4_fitted(ws, width);
        ws.set_print_area(0, 0, row, col as u16)?;
        if let Some((_, end)) = self.shape.header.filter(|(_, end)| *end <= row) {
            ws.set_repeat_rows(0, end)?;
            ws.set_freeze_panes(end + 1, 0)?;
        }
        Ok(())
    }
}

/// The lines `text` shows in, wrapped in a column `width` units wide.
fn shown_lines(text: &str, width: f64) -> usize {
    Wrap::TABLE.lines_of(lines_units(text).into_iter().map(|u| u * SHOWN), width)
}

/// A number cell's value (0 for anything else).
fn number(value: &CellValue) -> f64 {
    match value {
        CellValue::Number(n) if n.is_finite() => *n,
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Merge;

    #[test]
    fn merges_that_cannot_be_remade_are_skipped() {
        let mut grid = Grid::default();
        let merge = |r0, c0, r1, c1| Merge {
            start: CellPos::new(r0, c0),
            end: CellPos::new(r1, c1),
        };
        grid.add_merge(merge(0, 0, 0, 2)); // A1:C1
        grid.add_merge(merge(0, 1, 1, 3)); // overlaps A1:C1
        grid.add_merge(merge(5, 5, 5, 5)); // a single cell
        grid.add_merge(merge(10, 0, 1_000_000, 200)); // a whole sheet
        grid.add_merge(merge(3, 0, 4, 0)); // A4:A5
        let merges = Merges::usable(&grid);
        assert_eq!(merges.list, [merge(0, 0, 0, 2), merge(3, 0, 4, 0)]);
        assert_eq!(merges.anchor(CellPos::new(0, 2)), CellPos::new(0, 0));
        assert_eq!(merges.anchor(CellPos::new(4, 0)), CellPos::new(3, 0));
        assert_eq!(merges.anchor(CellPos::new(1, 2)), CellPos::new(1, 2));
    }
}
