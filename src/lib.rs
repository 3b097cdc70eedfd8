//! shuanggao (双高): the statistics and reporting pipeline of Jiangsu's
//! 双高协同 programme.
//!
//! The pipeline is a line: [`ingest`] reads each zone's workbook,
//! [`validate`] checks it against the contract and decides what is accepted;
//! later stages aggregate, track the 2027 targets and render the reports.
//! [`model`] is shared by all stages; [`config`] is the contract as data.

pub mod aggregate;
pub mod cmd;
pub mod config;
pub mod digest;
pub mod error;
pub mod format;
pub mod guard;
pub mod ingest;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod sample;
pub mod serve;
pub mod targets;
pub mod text;
pub mod validate;

pub use error::{Error, Result};
