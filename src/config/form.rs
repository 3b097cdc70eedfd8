//! `form.toml`: the return workbook's sheets, fields, enumerations and limits.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::text::label_key;

/// The 核心指标 column of the template that shows last quarter's 累计值, for
/// reference (never read). Its header must not read as 累计值 (headers
/// match whole, so this one does not). The feedback copies fill it in.
pub const REFERENCE_HEADER: &str = "上季度累计值（参考）";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    pub limits: Limits,
    pub reading: Reading,
    pub sheet: Vec<SheetSpec>,
    pub enumeration: BTreeMap<String, Enumeration>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    pub max_file_bytes: u64,
    pub max_uncompressed_bytes: u64,
    pub max_cells_per_sheet: u64,
    pub max_row: u32,
    pub max_column: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    pub header_search_rows: u32,
    pub stop_markers: Vec<String>,
    pub ignored_sheets: Vec<String>,
    pub template_sheet: String,
    pub sample_marker: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// Two columns: field label | value.
    Fields,
    /// A header row, then one row per item.
    Table,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetSpec {
    pub key: String,
    pub name: String,
    pub required: bool,
    pub layout: Layout,
    pub fields: Vec<FieldSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    Text,
    Zone,
    Period,
    Date,
    Amount,
    Count,
    Number,
    Enum,
    Universities,
    Indicator,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    pub key: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: FieldType,
    #[serde(rename = "enum")]
    pub enumeration: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The label and aliases as compared (see [`label_key`]), made at load.
    #[serde(skip)]
    keys: Vec<String>,
}

impl FieldSpec {
    /// Does a header text name this field? Whole-label match only.
    pub fn matches(&self, header: &str) -> bool {
        self.matches_key(&label_key(header))
    }

    /// [`matches`](Self::matches) for a header already made a [`label_key`].
    pub fn matches_key(&self, key: &str) -> bool {
        !key.is_empty() && self.keys.iter().any(|k| k == key)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enumeration {
    pub label: String,
    pub values: Vec<String>,
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
    /// The value a blank cell means, when blank is allowed.
    pub blank: Option<String>,
}

/// The sheets and fields the pipeline reads by key; the labels are free.
const EXPECTED: &[(&str, &[&str])] = &[
    (
        "basic",
        &[
            "zone",
            "period",
            "unit",
            "filler",
            "phone",
            "fill_date",
            "industry",
            "platform",
            "talent",
            "fund_name",
            "fund_size",
        ],
    ),
    ("indicators", &["code", "new", "cumulative"]),
    (
        "projects",
        &[
            "name",
            "universities",
            "enterprise",
            "field",
            "category",
            "start_date",
            "contract",
            "funded",
            "status",
            "benchmark",
        ],
    ),
    (
        "platforms",
        &[
            "name",
            "type",
            "level",
            "universities",
            "built_date",
            "area",
            "investment",
        ],
    ),
    ("explanations", &["rule", "location", "text"]),
];

impl Form {
    /// Checks the form and makes its lookups.
    pub(super) fn check(&mut self) -> Result<(), String> {
        for field in self.sheet.iter_mut().flat_map(|s| s.fields.iter_mut()) {
            field.keys = std::iter::once(&field.label)
                .chain(&field.aliases)
                .map(|l| label_key(l).into_owned())
                .collect();
        }
        for (sheet_key, field_keys) in EXPECTED {
            let sheet = self
                .sheet(sheet_key)
                .ok_or_else(|| format!("缺少 key = \"{sheet_key}\" 的 [[sheet]]"))?;
            for f in *field_keys {
                if sheet.field(f).is_none() {
                    return Err(format!("工作表 {} 缺少 key = \"{f}\" 的字段", sheet.name));
                }
            }
        }
        for sheet in &self.sheet {
            for f in &sheet.fields {
                match (&f.kind, &f.enumeration) {
                    (FieldType::Enum, Some(e)) if !self.enumeration.contains_key(e) => {
                        return Err(format!("字段 {} 引用了不存在的枚举 {e}", f.label))
                    }
                    (FieldType::Enum, None) => {
                        return Err(format!(
                            "字段 {} 的 type 为 enum，须写明 enum = \"…\"",
                            f.label
                        ))
                    }
                    _ => {}
                }
            }
        }
        for (name, e) in &self.enumeration {
            for (alias, target) in &e.aliases {
                if !e.values.contains(target) {
                    return Err(format!(
                        "枚举 {name} 的别名“{alias}”指向不存在的取值“{target}”"
                    ));
                }
            }
            if let Some(b) = &e.blank {
                if !e.values.contains(b) {
                    return Err(format!("枚举 {name} 的 blank 值“{b}”不在 values 中"));
                }
            }
        }
        Ok(())
    }

    pub fn sheet(&self, key: &str) -> Option<&SheetSpec> {
        self.sheet.iter().find(|s| s.key == key)
    }

    pub fn enumeration(&self, name: &str) -> Option<&Enumeration> {
        self.enumeration.get(name)
    }
}

impl SheetSpec {
    pub fn field(&self, key: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.key == key)
    }
}
