//! A figure this quarter beside last quarter's.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Change {
    pub value: f64,
    pub previous: Option<f64>,
}

impl Change {
    pub fn delta(&self) -> Option<f64> {
        self.previous.map(|p| self.value - p)
    }

    /// Growth over last quarter (0.25 = 25 %); `None` without a base.
    pub fn growth(&self) -> Option<f64> {
        self.previous
            .filter(|p| *p != 0.0)
            .map(|p| (self.value - p) / p)
    }
}
