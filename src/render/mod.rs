//! Stage 5, render: outputs made from the computed [`Report`](crate::report::Report).
//! Nothing here computes a figure.

pub mod workbook;
