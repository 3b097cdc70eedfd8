//! What happens after the rules ran: warnings matched with the return's own
//! explanations (情况说明), and the cells a corrected file changed (F02).

use super::Submission;
use crate::config::Form;
use crate::model::{BookSheet, Grid};
use crate::model::{CellChange, CellPos, Finding, Return, Severity};
use crate::text::{label_key, sheet_key};

/// For each finding: the explanation the return gives for it, if it is a
/// warning and a 情况说明 row names its rule and its place. A place is a cell
/// (`核心指标!E7` or `E7`), an indicator code (`SG04`), or a project or
/// platform name. Errors cannot be explained away.
pub fn explain(findings: &[Finding], ret: &Return) -> Vec<Option<String>> {
    findings
        .iter()
        .map(|f| {
            if f.severity != Severity::Warning {
                return None;
            }
            ret.explanations
                .iter()
                .filter(|e| !e.text.trim().is_empty() && e.rule == f.rule)
                .find(|e| names_place(&e.location, f, ret))
                .map(|e| e.text.clone())
        })
        .collect()
}

fn names_place(location: &str, f: &Finding, ret: &Return) -> bool {
    let key = label_key(location);
    if key.is_empty() {
        return false;
    }
    // An indicator code: any cell of that indicator's row.
    if let Some(value) = ret.indicators.get(&key.to_uppercase()) {
        let rows: Vec<u32> = [
            value.new.as_ref().map(|v| v.cell),
            value.cumulative.as_ref().map(|v| v.cell),
        ]
        .into_iter()
        .flatten()
        .map(|c| c.row + 1)
        .collect();
        let sheet = ret.sheets.get("indicators");
        return f.sheet.as_ref() == sheet && f.row.is_some_and(|r| rows.contains(&r));
    }
    // A cell, with or without its sheet.
    let (sheet, cell) = match key.rsplit_once('!') {
        Some((s, c)) => (Some(s), c),
        None => (None, key.as_ref()),
    };
    if let Some(pos) = CellPos::parse_a1(cell) {
        let same_sheet = sheet.is_none_or(|s| {
            f.sheet
                .as_deref()
                .is_some_and(|fs| sheet_key(fs) == sheet_key(s))
        });
        if same_sheet && f.cell.as_deref().and_then(CellPos::parse_a1) == Some(pos) {
            return true;
        }
    }
    // A project or platform name: its row, or the name itself (X07).
    if f.value.as_deref().map(label_key) == Some(key.clone()) {
        return true;
    }
    let rows = ret
        .projects
        .iter()
        .filter(|p| label_key(&p.name.value) == key)
        .map(|p| (&p.sheet, p.row))
        .chain(
            ret.platforms
                .iter()
                .filter(|p| label_key(&p.name.value) == key)
                .map(|p| (&p.sheet, p.row)),
        );
    rows.into_iter()
        .any(|(sheet, row)| f.sheet.as_deref() == Some(&**sheet) && f.row == Some(row))
}

/// A corrected file lists the cells it changed against each file it
/// replaced (both kept their cells: they are files of the reported quarter).
pub fn record_corrections(submissions: &mut [Submission], form: &Form) {
    let replaced: Vec<(usize, usize)> = submissions
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let winner = s.superseded_by.as_deref()?;
            let w = submissions.iter().position(|x| x.source.name == winner)?;
            Some((i, w))
        })
        .collect();
    for (old, new) in replaced {
        let changes = changed_cells(&submissions[old].cells, &submissions[new].cells, form);
        submissions[new].changes.extend(changes);
    }
}

/// The cells of the form sheets that differ between two files, named as in
/// the newer file, in sheet and reading order.
fn changed_cells(old: &[BookSheet], new: &[BookSheet], form: &Form) -> Vec<CellChange> {
    fn find<'s>(sheets: &'s [BookSheet], spec_name: &str) -> Option<(String, &'s Grid)> {
        sheets
            .iter()
            .find(|s| sheet_key(&s.name) == sheet_key(spec_name))
            .and_then(|s| s.grid.as_ref().map(|g| (s.name.clone(), g)))
    }
    let mut out = Vec::new();
    for spec in &form.sheet {
        let (Some((_, before)), Some((name, after))) =
            (find(old, &spec.name), find(new, &spec.name))
        else {
            continue;
        };
        let mut positions: Vec<CellPos> = before
            .cells()
            .chain(after.cells())
            .map(|(p, _)| p)
            .collect();
        positions.sort();
        positions.dedup();
        for pos in positions {
            let (a, b) = (before.get(pos).display(), after.get(pos).display());
            if a != b {
                out.push(CellChange {
                    sheet: name.clone(),
                    cell: pos.a1(),
                    old: a,
                    new: b,
                });
            }
        }
    }
    out
}
