//! The package's map: which part holds each sheet (in workbook order), the
//! shared strings and the styles, and whether dates count from 1904.

use std::collections::HashMap;

use super::part;
use super::scan::{attribute, Scanner, Tag};
use super::Zip;
use crate::config::Limits;
use crate::ingest::open::corrupt;

pub(super) struct Package {
    /// (sheet name, part path), in workbook order.
    pub sheets: Vec<(String, String)>,
    pub shared_strings: Option<String>,
    pub styles: Option<String>,
    pub date1904: bool,
}

impl Package {
    pub fn read(zip: &mut Zip<'_>, limits: &Limits) -> Result<Package, String> {
        let rels = part(zip, "xl/_rels/workbook.xml.rels", limits)?.unwrap_or_default();
        let rels = relationships(&rels)?;
        let of_type = |suffix: &str| {
            rels.values()
                .filter(|(kind, _)| kind.ends_with(suffix))
                .map(|(_, path)| path.clone())
                .min()
        };
        let mut package = Package {
            sheets: Vec::new(),
            shared_strings: of_type("/sharedStrings"),
            styles: of_type("/styles"),
            date1904: false,
        };
        let workbook = part(zip, "xl/workbook.xml", limits)?
            .ok_or_else(|| corrupt(&"缺少 xl/workbook.xml"))?;
        let mut xml = Scanner::new(&workbook);
        while let Some(tag) = xml.next_tag().map_err(|e| corrupt(&e))? {
            let Tag::Open { local, attrs, .. } = tag else {
                continue;
            };
            match local {
                b"sheet" => {
                    let name = attribute(attrs, b"name")?.unwrap_or_default();
                    let id = attribute(attrs, b"id")?.unwrap_or_default();
                    let path = rels
                        .get(&id)
                        .map(|(_, p)| p.clone())
                        .ok_or_else(|| corrupt(&format!("工作表“{name}”找不到对应的部件")))?;
                    package.sheets.push((name, path));
                }
                b"workbookPr" => {
                    if let Some(v) = attribute(attrs, b"date1904")? {
                        package.date1904 = v == "1" || v == "true";
                    }
                }
                _ => {}
            }
        }
        Ok(package)
    }
}

/// Relationship id → (type, part path).
fn relationships(xml: &[u8]) -> Result<HashMap<String, (String, String)>, String> {
    let mut out = HashMap::new();
    let mut xml = Scanner::new(xml);
    while let Some(tag) = xml.next_tag().map_err(|e| corrupt(&e))? {
        let Tag::Open {
            local: b"Relationship",
            attrs,
            ..
        } = tag
        else {
            continue;
        };
        let (Some(id), Some(target)) = (attribute(attrs, b"Id")?, attribute(attrs, b"Target")?)
        else {
            continue;
        };
        let kind = attribute(attrs, b"Type")?.unwrap_or_default();
        let path = match target.strip_prefix('/') {
            Some(absolute) => absolute.to_string(),
            None => format!("xl/{target}"),
        };
        out.insert(id, (kind, path));
    }
    Ok(out)
}
