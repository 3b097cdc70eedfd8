//! `registry.toml`: the pilot zones, the universities and the confirmed pairs.

use std::collections::HashMap;

use serde::Deserialize;

use crate::model::ZoneCode;
use crate::text::label_key;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Zone {
    pub code: ZoneCode,
    pub name: String,
    pub city: String,
    pub level: String,
    pub cohort: i32,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub reported_partner_count: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct University {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    pub zone: String,
    pub university: String,
    pub evidence: String,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryFile {
    zone: Vec<Zone>,
    university: Vec<University>,
    #[serde(default)]
    pair: Vec<Pair>,
}

/// The registry with its lookups built.
#[derive(Debug, Clone)]
pub struct Registry {
    pub zones: Vec<Zone>,
    pub universities: Vec<University>,
    pub pairs: Vec<Pair>,
    zone_keys: HashMap<String, usize>,
    university_keys: HashMap<String, usize>,
}

impl Registry {
    pub(super) fn new(file: RegistryFile) -> Result<Registry, String> {
        let mut zone_keys = HashMap::new();
        for (i, z) in file.zone.iter().enumerate() {
            if !matches!(z.level.as_str(), "国家级" | "省级") {
                return Err(format!("高新区 {} 的 level 应为“国家级”或“省级”", z.name));
            }
            for key in [z.code.as_str(), &z.name]
                .into_iter()
                .chain(z.aliases.iter().map(String::as_str))
            {
                if zone_keys.insert(label_key(key).into_owned(), i).is_some() {
                    return Err(format!("高新区名称、代码或别名“{key}”重复"));
                }
            }
        }
        let mut university_keys = HashMap::new();
        for (i, u) in file.university.iter().enumerate() {
            for key in std::iter::once(&u.name).chain(&u.aliases) {
                if university_keys
                    .insert(label_key(key).into_owned(), i)
                    .is_some()
                {
                    return Err(format!("高校名称或别名“{key}”重复"));
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        for p in &file.pair {
            if !file.zone.iter().any(|z| z.name == p.zone) {
                return Err(format!(
                    "结对中的高新区“{}”不在 [[zone]] 中（须用规范名称）",
                    p.zone
                ));
            }
            if !file.university.iter().any(|u| u.name == p.university) {
                return Err(format!(
                    "结对中的高校“{}”不在 [[university]] 中（须用规范名称）",
                    p.university
                ));
            }
            if p.evidence.trim().is_empty() {
                return Err(format!(
                    "结对 {} — {} 缺少 evidence（依据）",
                    p.zone, p.university
                ));
            }
            if !seen.insert((&p.zone, &p.university)) {
                return Err(format!("结对 {} — {} 重复", p.zone, p.university));
            }
        }
        Ok(Registry {
            zones: file.zone,
            universities: file.university,
            pairs: file.pair,
            zone_keys,
            university_keys,
        })
    }

    /// The registry with only the zones `keep` keeps (and their pairs).
    pub fn only(&self, keep: impl Fn(&Zone) -> bool) -> Registry {
        let file = RegistryFile {
            zone: self.zones.iter().filter(|z| keep(z)).cloned().collect(),
            university: self.universities.clone(),
            pair: Vec::new(),
        };
        let mut registry = Registry::new(file).expect("a part of a valid registry is valid");
        registry.pairs = self
            .pairs
            .iter()
            .filter(|p| registry.zones.iter().any(|z| z.name == p.zone))
            .cloned()
            .collect();
        registry
    }

    /// A zone by its code, canonical name or an alias (compared loosely).
    pub fn zone_by_text(&self, text: &str) -> Option<&Zone> {
        self.zone_keys
            .get(label_key(text).as_ref())
            .map(|&i| &self.zones[i])
    }

    pub fn zone(&self, code: &str) -> Option<&Zone> {
        self.zones.iter().find(|z| z.code == code)
    }

    pub fn university_by_text(&self, text: &str) -> Option<&University> {
        self.university_keys
            .get(label_key(text).as_ref())
            .map(|&i| &self.universities[i])
    }

    /// Canonical names of the universities paired with a zone, in file order.
    pub fn paired_universities(&self, zone_name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|p| p.zone == zone_name)
            .map(|p| p.university.as_str())
            .collect()
    }

    pub fn is_paired(&self, zone_name: &str, university: &str) -> bool {
        self.pairs
            .iter()
            .any(|p| p.zone == zone_name && p.university == university)
    }

    /// The registry zone name closest to what was written (for suggestions).
    pub fn closest_zone(&self, text: &str) -> &str {
        closest_value(text, self.zones.iter().map(|z| z.name.as_str()))
    }

    /// The registry university a misspelt name most likely means, if it is
    /// likely enough to suggest: the closest one (see [`closest_value`]),
    /// compared without the trailing 大学/学院 (they say nothing about which
    /// university is meant), when one name contains the other (`南京工大学`
    /// → 南京工业大学) or at most one edit in three characters separates them
    /// (`南京航天航空大学` → 南京航空航天大学). Otherwise none: `彭城理工大学`
    /// shares 理工 with 南京理工大学 but is not a misspelling of it.
    pub fn likely_university(&self, text: &str) -> Option<&str> {
        let best = closest_value(text, self.universities.iter().map(|u| u.name.as_str()));
        let distinctive = |s: &str| -> String {
            let key = label_key(s);
            ["大学", "学院"]
                .iter()
                .find_map(|suffix| key.strip_suffix(suffix).map(str::to_string))
                .unwrap_or_else(|| key.into_owned())
        };
        let (written, known) = (distinctive(text), distinctive(best));
        let (w, k) = (written.chars().count(), known.chars().count());
        let contained = w.min(k) >= 2 && (known.contains(&written) || written.contains(&known));
        let edits = strsim::levenshtein(&written, &known);
        let close = edits > 0 && edits * 3 <= w.max(k);
        (contained || close).then_some(best)
    }
}

/// The candidate closest to what was written: fewest edits, then most
/// characters in common, then the longest shared beginning (so `南京工大学`
/// suggests `南京工业大学`, not `南京大学` or `南京理工大学`).
pub fn closest_value<'a>(text: &str, candidates: impl Iterator<Item = &'a str>) -> &'a str {
    use std::cmp::Reverse;
    let key = label_key(text);
    let mut best: (&str, (usize, Reverse<usize>, Reverse<usize>)) =
        ("", (usize::MAX, Reverse(0), Reverse(0)));
    for c in candidates {
        let candidate = label_key(c);
        let common = candidate.chars().filter(|ch| key.contains(*ch)).count();
        let prefix = candidate
            .chars()
            .zip(key.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let score = (
            strsim::levenshtein(&key, &candidate),
            Reverse(common),
            Reverse(prefix),
        );
        if score < best.1 {
            best = (c, score);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::closest_value;

    fn registry() -> super::Registry {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/config");
        crate::config::Config::load(&dir).unwrap().registry
    }

    #[test]
    fn shown_registry_text_is_chinese() {
        // Evidence is printed on the 结对 sheet: no English words there.
        let r = registry();
        for p in &r.pairs {
            let latin = p.evidence.chars().filter(char::is_ascii_alphabetic).count();
            assert_eq!(latin, 0, "{} — {}: {}", p.zone, p.university, p.evidence);
            assert!(!p.source.trim().is_empty(), "{} — {}", p.zone, p.university);
            assert!(p.evidence.contains('。'), "a sentence: {}", p.evidence);
        }
        assert_eq!(r.pairs.len(), 20);
    }

    #[test]
    fn universities_are_suggested_only_when_likely() {
        let r = registry();
        assert_eq!(r.likely_university("南京工大学"), Some("南京工业大学"));
        assert_eq!(
            r.likely_university("南京航天航空大学"),
            Some("南京航空航天大学")
        );
        assert_eq!(
            r.likely_university("中国矿业大学（徐州）"),
            Some("中国矿业大学")
        );
        // Shares 理工 with 南京理工大学, but is another university.
        assert_eq!(r.likely_university("彭城理工大学"), None);
        assert_eq!(r.likely_university("北京大学"), None);
    }

    #[test]
    fn suggestions_prefer_shared_characters() {
        let unis = ["南京大学", "南京理工大学", "南京工业大学", "东南大学"];
        assert_eq!(
            closest_value("南京工大学", unis.into_iter()),
            "南京工业大学"
        );
        let levels = ["省级", "国家级", "市级", "区级"];
        assert_eq!(closest_value("国级", levels.into_iter()), "国家级");
        let cats = ["标志性项目", "重大项目", "一般项目"];
        assert_eq!(closest_value("标志项目", cats.into_iter()), "标志性项目");
    }
}
