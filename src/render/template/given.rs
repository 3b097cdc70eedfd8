//! Every input cell of a template given in full, as a clerk would return it:
//! from a typed [`Return`] (tests, demos) or from a [`Draft`] (the sample,
//! whose cells are kept raw as typed: amounts with units, full-width digits,
//! text dates, formulas). Keyed by the form's field keys, so the sheets of
//! the template look values up the same way whatever the source.

use std::collections::BTreeMap;

use super::{platform_values, project_values, Value};
use crate::config::{Config, SheetSpec};
use crate::model::draft::{Cell, Draft};
use crate::model::Return;

/// Cells by form field key.
pub(super) type Row = BTreeMap<String, Value>;

pub(super) struct Given {
    /// Marked 示例数据 in its titles.
    pub sample: bool,
    /// 基本信息.
    pub basic: Row,
    /// 核心指标, by indicator code.
    pub indicators: BTreeMap<String, Row>,
    pub projects: Vec<Row>,
    pub platforms: Vec<Row>,
    pub explanations: Vec<Row>,
}

impl Given {
    /// A typed return's values (the 上季度累计值 reference stays empty).
    pub fn from_return(r: &Return) -> Given {
        let i = &r.info;
        let basic = [
            ("unit", Value::text(i.unit.as_deref())),
            ("filler", Value::text(i.filler.as_deref())),
            ("phone", Value::text(i.phone.as_deref())),
            (
                "fill_date",
                Value::date(i.fill_date.as_ref().map(|d| d.value)),
            ),
            ("industry", Value::text(i.industry.as_deref())),
            ("platform", Value::text(i.platform.as_deref())),
            ("talent", Value::text(i.talent.as_deref())),
            ("fund_name", Value::text(i.fund_name.as_deref())),
            (
                "fund_size",
                Value::number(i.fund_size.as_ref().map(|l| l.value)),
            ),
        ];
        let indicators = r
            .indicators
            .iter()
            .map(|(code, v)| {
                let row = [
                    ("new", Value::number(v.new.as_ref().map(|l| l.value))),
                    (
                        "cumulative",
                        Value::number(v.cumulative.as_ref().map(|l| l.value)),
                    ),
                ];
                (code.to_string(), keyed(row))
            })
            .collect();
        let explanations = r.explanations.iter().map(|e| {
            keyed([
                ("rule", Value::Text(e.rule.clone())),
                ("location", Value::Text(e.location.clone())),
                ("text", Value::Text(e.text.clone())),
            ])
        });
        Given {
            sample: r.is_sample,
            basic: keyed(basic),
            indicators,
            projects: r
                .projects
                .iter()
                .map(|p| keyed(project_values(p)))
                .collect(),
            platforms: r
                .platforms
                .iter()
                .map(|p| keyed(platform_values(p)))
                .collect(),
            explanations: explanations.collect(),
        }
    }

    /// A draft's cells, each under the form field whose label heads its
    /// column (a trailing `*` ignored); columns the form lacks are dropped.
    pub fn from_draft(config: &Config, draft: &Draft) -> Given {
        let form = &config.form;
        let rows = |key: &str, header: &[String], rows: &[Vec<Cell>]| match form.sheet(key) {
            Some(spec) => by_field(spec, header, rows),
            None => Vec::new(),
        };
        let basic = form.sheet("basic").map_or_else(Row::new, |spec| {
            let header: Vec<String> = draft.basic.iter().map(|(l, _)| l.clone()).collect();
            let values: Vec<Cell> = draft.basic.iter().map(|(_, v)| v.clone()).collect();
            by_label(spec, &header, &values)
        });
        let indicators = rows("indicators", &draft.indicator_header, &draft.indicators)
            .into_iter()
            .filter_map(|row| match row.get("code") {
                Some(Value::Text(code)) => Some((code.clone(), row)),
                _ => None,
            })
            .collect();
        let explanation_header = ["规则编号", "位置", "说明"].map(String::from);
        let explanations: Vec<Vec<Cell>> = draft
            .explanations
            .iter()
            .map(|e| e.iter().map(|t| Cell::Text(t.clone())).collect())
            .collect();
        Given {
            sample: draft.title.contains(&form.reading.sample_marker),
            basic,
            indicators,
            projects: rows("projects", &draft.project_header, &draft.projects),
            platforms: rows("platforms", &draft.platform_header, &draft.platforms),
            explanations: rows("explanations", &explanation_header, &explanations),
        }
    }
}

/// Rows of a table sheet, each keyed by field.
fn by_field(spec: &SheetSpec, header: &[String], rows: &[Vec<Cell>]) -> Vec<Row> {
    rows.iter().map(|r| by_label(spec, header, r)).collect()
}

/// One row's cells under `header`, keyed by the field of the same label.
fn by_label(spec: &SheetSpec, header: &[String], cells: &[Cell]) -> Row {
    header
        .iter()
        .zip(cells)
        .filter_map(|(label, cell)| {
            let label = label.trim_end_matches('*');
            let field = spec.fields.iter().find(|f| f.label == label)?;
            Some((field.key.clone(), value_of(cell)))
        })
        .collect()
}

fn value_of(cell: &Cell) -> Value {
    match cell {
        Cell::Empty => Value::Empty,
        Cell::Text(t) => Value::text(Some(t)),
        Cell::Number(v) => Value::Number(*v),
        Cell::Date(d) => Value::Date(*d),
        Cell::Formula(f, v) => Value::Formula(f.clone(), *v),
    }
}

pub(super) fn keyed<K: ToString>(cells: impl IntoIterator<Item = (K, Value)>) -> Row {
    cells.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}
