//! Counts of the quarter's projects and platforms by category, in the
//! enumeration's order (every value, zeros too).

use std::collections::BTreeMap;

use serde::Serialize;

use super::Quarter;
use crate::aggregate::Lists;

/// A count by a category (项目类别, 项目状态, 平台类型, 平台级别).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tally {
    pub label: String,
    pub count: usize,
}

pub(super) fn projects_by_category(q: &Quarter) -> Vec<Tally> {
    let projects = &q.figures.lists.projects;
    tally(
        q,
        "project_category",
        projects.iter().map(|p| p.category.as_str()),
    )
}

pub(super) fn projects_by_status(q: &Quarter) -> Vec<Tally> {
    let projects = &q.figures.lists.projects;
    tally(
        q,
        "project_status",
        projects.iter().map(|p| p.status.as_str()),
    )
}

pub(super) fn platforms_by_type(q: &Quarter) -> Vec<Tally> {
    let platforms = &q.figures.lists.platforms;
    tally(
        q,
        "platform_type",
        platforms.iter().map(|p| p.kind.as_str()),
    )
}

pub(super) fn platforms_by_level(q: &Quarter) -> Vec<Tally> {
    let platforms = &q.figures.lists.platforms;
    tally(
        q,
        "platform_level",
        platforms.iter().map(|p| p.level.as_str()),
    )
}

/// Each value of the enumeration with how often it occurs.
fn tally<'a>(q: &Quarter, enumeration: &str, values: impl Iterator<Item = &'a str>) -> Vec<Tally> {
    let counted: BTreeMap<&str, usize> = Lists::tally(values);
    q.config
        .form
        .enumeration(enumeration)
        .map(|e| e.values.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|v| Tally {
            label: v.clone(),
            count: counted.get(v.as_str()).copied().unwrap_or(0),
        })
        .collect()
}
