//! The tone of a status: how loudly a renderer colours it. Each status enum
//! says its tone; the palette (`render/palette.rs`) turns tones into colours,
//! the same in the workbook, the charts and the brief.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    /// Done: reached, passed, in time. Charts draw it darker than `Good`.
    Done,
    /// Fine: on track, reported, explained.
    Good,
    /// Look at it: a warning, late, carried forward, to watch.
    Warn,
    /// Act on it: an error, sent back, behind.
    Bad,
    /// Nothing to act on: no data, missing, superseded.
    Grey,
    /// For information only.
    Info,
    /// Nothing to colour.
    Plain,
}
