//! A return's content as a clerk types it, in the form's layout: sheet by
//! sheet, rows of cells under their column labels. The sample generator
//! makes drafts; the template writer (`render::template::write_draft`) lays
//! them into the return form; tests write them in messier layouts.

use chrono::NaiveDate;

/// One cell of a return workbook as the writer should put it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    /// A formula and the result Excel would have cached.
    Formula(String, f64),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<f64> for Cell {
    fn from(v: f64) -> Cell {
        Cell::Number(v)
    }
}

impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Cell {
        Cell::Date(d)
    }
}

/// A return workbook's content, sheet by sheet, in the form's layout.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub title: String,
    /// 基本信息: (label, value).
    pub basic: Vec<(String, Cell)>,
    pub indicator_header: Vec<String>,
    pub indicators: Vec<Vec<Cell>>,
    pub project_header: Vec<String>,
    pub projects: Vec<Vec<Cell>>,
    pub platform_header: Vec<String>,
    pub platforms: Vec<Vec<Cell>>,
    /// 情况说明 rows (rule, location, text); the sheet is written when any.
    pub explanations: Vec<[String; 3]>,
    /// Document date, for byte-identical output.
    pub created: Option<NaiveDate>,
}
