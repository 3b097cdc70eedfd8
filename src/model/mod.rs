//! The domain model shared by every stage: periods, cells and grids,
//! findings, a return as read from a zone's workbook, and the small enums
//! (verdict, basis, tone) that later stages report.

mod basis;
mod cell;
pub mod draft;
mod finding;
mod grid;
mod period;
pub mod review;
mod shape;
mod tone;
mod verdict;
mod zone_code;
mod zone_return;

pub use basis::Basis;
pub use cell::{column_letters, CellChange, CellPos, Located};
pub use finding::{Finding, Issue, Severity};
pub use grid::{BookSheet, CellValue, Grid, Merge, RowView};
pub use period::Period;
pub use review::{Decision, Level, ReviewState};
pub use shape::{NumberKind, SheetShape};
pub use tone::Tone;
pub use verdict::Verdict;
pub use zone_code::ZoneCode;
pub use zone_return::{
    BasicInfo, Explanation, IndicatorValue, PlatformRow, ProjectRow, Return, SourceFile,
};
