//! 数据来源: every input file with its fingerprint and verdict, and the
//! configuration files the run used.

use serde::Serialize;

use crate::config::Config;
use crate::model::{Period, Verdict};
use crate::validate::PeriodCheck;

/// An input file and its fingerprint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    pub file: String,
    pub sha256: String,
    pub bytes: u64,
    pub period: Period,
    pub zone: Option<String>,
    #[serde(serialize_with = "verdict_label")]
    pub verdict: Verdict,
}

/// The manifest gives verdicts as staff read them (通过, 有警告 …).
fn verdict_label<S: serde::Serializer>(v: &Verdict, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v.label_zh())
}

/// A configuration file, its fingerprint and what it holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigFile {
    pub file: String,
    pub sha256: String,
    /// 报送日历, 审核规则 …: what the file holds, for 数据来源.
    #[serde(skip)]
    pub role: &'static str,
}

/// Every file of a checked quarter (called for each quarter as it is read).
pub fn sources(config: &Config, check: &PeriodCheck) -> Vec<Source> {
    check
        .submissions
        .iter()
        .map(|s| Source {
            file: s.source.name.clone(),
            sha256: s.source.sha256.clone(),
            bytes: s.source.bytes,
            period: check.period,
            zone: s
                .zone
                .as_deref()
                .and_then(|z| config.registry.zone(z))
                .map(|z| z.name.clone()),
            verdict: s.verdict,
        })
        .collect()
}

pub(super) fn config_files(config: &Config) -> Vec<ConfigFile> {
    config
        .hashes
        .iter()
        .map(|(file, sha256)| ConfigFile {
            file: file.clone(),
            sha256: sha256.clone(),
            role: role(file),
        })
        .collect()
}

/// What a configuration file holds, by its file name.
fn role(file: &str) -> &'static str {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    match name {
        "calendar.toml" => "报送日历",
        "form.toml" => "报表格式",
        "indicators.toml" => "核心指标目录",
        "registry.toml" => "高新区与高校名录、结对关系",
        "rules.toml" => "审核规则",
        "targets.toml" => "2027年目标",
        "brief.toml" => "简报版式与文字综述措辞",
        "scorecard.toml" => "综合评价方法与权重",
        "review.toml" => "核查优先清单评分参数",
        _ => "",
    }
}
