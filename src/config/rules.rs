//! `rules.toml`: each rule's severity and Chinese wording, and the thresholds
//! the checks use. The checks themselves are code (`validate`).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::{Finding, Issue, Period, Severity};

/// Every rule the code raises, with its variants. The catalogue must cover
/// exactly these.
pub const KNOWN_RULES: &[(&str, &[&str])] = &[
    ("F01", &[]),
    ("F02", &["conflict"]),
    ("S01", &[]),
    ("S02", &[]),
    ("S03", &["unknown", "duplicate"]),
    ("S04", &[]),
    ("V01", &[]),
    ("V02", &[]),
    ("V03", &[]),
    ("V04", &[]),
    ("V05", &[]),
    ("V06", &[]),
    ("V07", &[]),
    ("V08", &["project_contract", "yuan_unit"]),
    ("I01", &["template"]),
    ("I02", &["similar"]),
    ("I03", &[]),
    ("I04", &["unreadable", "template"]),
    ("T01", &[]),
    ("T02", &[]),
    ("T03", &[]),
    ("T04", &[]),
    ("X01", &[]),
    ("X02", &[]),
    ("X03", &[]),
    ("X04", &["sg13"]),
    ("X05", &[]),
    ("X06", &[]),
    ("X07", &[]),
    ("X08", &[]),
    ("X09", &[]),
    ("D01", &[]),
    ("D02", &[]),
    ("D03", &[]),
    ("R01", &[]),
];

/// Placeholders a message may use.
const PLACEHOLDERS: &[&str] = &[
    "file",
    "sheet",
    "cell",
    "field",
    "value",
    "expected",
    "reason",
    "suggestion",
    "indicator",
    "item",
    "item_kind",
    "start_name",
    "other",
    "previous",
    "limit",
    "period",
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub project_contract_max: f64,
    pub wan_yuan_suspect: f64,
    pub outlier_growth: f64,
    pub outlier_min_units: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub severity: Severity,
    pub title: String,
    pub message: String,
    #[serde(default)]
    pub variants: BTreeMap<String, VariantSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantSpec {
    pub severity: Option<Severity>,
    pub message: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleCatalogue {
    pub thresholds: Thresholds,
    pub rule: BTreeMap<String, RuleSpec>,
}

/// Where a finding was made: the parts every finding of one return shares.
#[derive(Debug, Clone, Default)]
pub struct FindingContext {
    pub zone: Option<String>,
    pub period: Option<Period>,
    pub file: Option<String>,
}

impl RuleCatalogue {
    pub(super) fn check(&self) -> Result<(), String> {
        for (id, variants) in KNOWN_RULES {
            let spec = self
                .rule
                .get(*id)
                .ok_or_else(|| format!("缺少规则 [rule.{id}]"))?;
            for v in *variants {
                if !spec.variants.contains_key(*v) {
                    return Err(format!("规则 {id} 缺少变体 variants.{v}"));
                }
            }
            for v in spec.variants.keys() {
                if !variants.contains(&v.as_str()) {
                    return Err(format!("规则 {id} 没有名为 {v} 的变体"));
                }
            }
            let messages =
                std::iter::once(&spec.message).chain(spec.variants.values().map(|v| &v.message));
            for m in messages {
                check_placeholders(id, m)?;
            }
        }
        for id in self.rule.keys() {
            if !KNOWN_RULES.iter().any(|(k, _)| k == id) {
                return Err(format!("未知的规则编号 {id}"));
            }
        }
        Ok(())
    }

    pub fn title<'a>(&'a self, rule: &'a str) -> &'a str {
        self.rule
            .get(rule)
            .map(|r| r.title.as_str())
            .unwrap_or(rule)
    }

    pub fn severity(&self, rule: &str, variant: Option<&str>) -> Severity {
        let spec = &self.rule[rule];
        variant
            .and_then(|v| spec.variants.get(v))
            .and_then(|v| v.severity)
            .unwrap_or(spec.severity)
    }

    /// Gives an issue its severity and message.
    pub fn render(&self, issue: &Issue, ctx: &FindingContext) -> Finding {
        let spec = &self.rule[issue.rule];
        let template = issue
            .variant
            .and_then(|v| spec.variants.get(v))
            .map(|v| v.message.as_str())
            .unwrap_or(&spec.message);
        let cell = issue.cell.map(|c| c.a1());
        let lookup = |key: &str| -> Option<String> {
            match key {
                "file" => ctx.file.clone(),
                "sheet" => issue.sheet.clone(),
                "cell" => cell.clone(),
                "value" => issue.value.clone(),
                "expected" => issue.expected.clone(),
                "period" => ctx.period.map(|p| p.to_string()),
                _ => issue
                    .args
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.clone()),
            }
        };
        let message = fill(template, lookup);
        Finding {
            rule: issue.rule.to_string(),
            severity: self.severity(issue.rule, issue.variant),
            zone: ctx.zone.clone(),
            period: ctx.period,
            file: ctx.file.clone(),
            sheet: issue.sheet.clone(),
            cell,
            row: issue.row,
            value: issue.value.clone(),
            expected: issue.expected.clone(),
            message: Some(message),
        }
    }
}

fn check_placeholders(rule: &str, message: &str) -> Result<(), String> {
    let mut rest = message;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("规则 {rule} 的消息中有未闭合的 {{"))?;
        let key = &after[..close];
        if !PLACEHOLDERS.contains(&key) {
            return Err(format!(
                "规则 {rule} 的消息使用了未知的占位符 {{{key}}}（可用：{}）",
                PLACEHOLDERS.join("、")
            ));
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

/// Replaces `{key}` with its value; a placeholder with no value becomes `—`.
fn fill(template: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                out.push_str(&lookup(&after[..close]).unwrap_or_else(|| "—".into()));
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}
