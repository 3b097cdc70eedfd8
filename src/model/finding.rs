//! Findings: what a check saw ([`Issue`]) and how it is reported ([`Finding`]).

use serde::{Deserialize, Serialize};

use super::{CellPos, Period, Tone};

/// How serious a finding is (docs/return-form.md §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn label_zh(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }

    pub fn tone(self) -> Tone {
        match self {
            Severity::Error => Tone::Bad,
            Severity::Warning => Tone::Warn,
            Severity::Info => Tone::Info,
        }
    }
}

/// A checked-return problem, as reported to clerks and staff.
/// The JSON form has exactly these keys (`null` where not applicable).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub zone: Option<String>,
    pub period: Option<Period>,
    pub file: Option<String>,
    pub sheet: Option<String>,
    pub cell: Option<String>,
    pub row: Option<u32>,
    pub value: Option<String>,
    pub expected: Option<String>,
    pub message: Option<String>,
}

impl Finding {
    /// A warning the zone must explain in 情况说明 (F02 only says which
    /// file counts: nothing to explain).
    pub fn needs_explanation(&self) -> bool {
        self.severity == Severity::Warning && self.rule != "F02"
    }

    /// Where it is, as clerks read it: `核心指标!E7`, `项目清单 第5行`,
    /// `平台清单（整张表）`, or `整个文件`.
    pub fn place(&self) -> String {
        match (self.sheet.as_deref(), self.cell.as_deref(), self.row) {
            (Some(sheet), Some(cell), _) => format!("{sheet}!{cell}"),
            (Some(sheet), None, Some(row)) => format!("{sheet} 第{row}行"),
            (Some(sheet), None, None) => format!("{sheet}（整张表）"),
            (None, Some(cell), _) => cell.to_string(),
            (None, None, Some(row)) => format!("第{row}行"),
            (None, None, None) => "整个文件".to_string(),
        }
    }
}

/// An unrendered finding: what a check saw, before the rule catalogue gives
/// it a severity and a Chinese message.
#[derive(Debug, Clone, Default)]
pub struct Issue {
    pub rule: &'static str,
    pub variant: Option<&'static str>,
    pub sheet: Option<String>,
    pub cell: Option<CellPos>,
    pub row: Option<u32>,
    pub value: Option<String>,
    pub expected: Option<String>,
    /// Extra message placeholders (`{field}`, `{reason}` …).
    pub args: Vec<(&'static str, String)>,
}

impl Issue {
    pub fn new(rule: &'static str) -> Issue {
        Issue {
            rule,
            ..Issue::default()
        }
    }

    pub fn variant(mut self, variant: &'static str) -> Issue {
        self.variant = Some(variant);
        self
    }

    pub fn sheet(mut self, sheet: impl Into<String>) -> Issue {
        self.sheet = Some(sheet.into());
        self
    }

    /// Points at a cell (also sets the 1-based row).
    pub fn at(mut self, sheet: &str, pos: CellPos) -> Issue {
        self.sheet = Some(sheet.to_string());
        self.cell = Some(pos);
        self.row = Some(pos.row + 1);
        self
    }

    /// Points at a whole sheet row (1-based).
    pub fn row(mut self, row: u32) -> Issue {
        self.row = Some(row);
        self
    }

    pub fn value(mut self, value: impl ToString) -> Issue {
        self.value = Some(value.to_string());
        self
    }

    pub fn expected(mut self, expected: impl ToString) -> Issue {
        self.expected = Some(expected.to_string());
        self
    }

    pub fn arg(mut self, key: &'static str, value: impl ToString) -> Issue {
        self.args.push((key, value.to_string()));
        self
    }
}
