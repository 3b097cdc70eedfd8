//! The package's map: which part holds each sheet (in workbook order), the
//! shared strings and the styles, and whether dates count from 1904.

use super::opc::{Parts, Relationship};
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
    pub fn read(zip: &mut Zip<'_>, parts: &Parts, limits: &Limits) -> Result<Package, String> {
        let main = main_part(zip, parts, limits)?;
        let rels = parts.relationships(zip, &main, limits)?;
        let of_type = |name: &str| rels.iter().find(|r| r.is(name)).map(|r| r.target.clone());
        let mut package = Package {
            sheets: Vec::new(),
            shared_strings: of_type("sharedStrings"),
            styles: of_type("styles"),
            date1904: false,
        };
        let workbook = parts
            .xml(zip, &main, limits)?
            .ok_or_else(|| corrupt(&format!("缺少 {main}")))?;
        let mut xml = Scanner::new(&workbook);
        let mut root = true;
        while let Some(tag) = xml.next_tag().map_err(|e| corrupt(&e))? {
            let Tag::Open {
                local,
                attrs,
                empty,
            } = tag
            else {
                continue;
            };
            if std::mem::take(&mut root) && local != b"workbook" {
                return Err(not_a_workbook(local));
            }
            match local {
                // Markup Compatibility: a Choice needs an extension this
                // reader does not implement; its Fallback is read instead.
                b"Choice" if !empty => xml.skip_element(b"Choice").map_err(|e| corrupt(&e))?,
                b"sheet" => {
                    let name = attribute(attrs, b"name")?.unwrap_or_default();
                    let id = attribute(attrs, b"id")?.unwrap_or_default();
                    let path = rels
                        .iter()
                        .find(|r| r.id == id)
                        .map(|r: &Relationship| r.target.clone())
                        .ok_or_else(|| corrupt(&format!("工作表“{name}”找不到对应的部件")))?;
                    package.sheets.push((name, path));
                }
                b"workbookPr" => {
                    if let Some(v) = attribute(attrs, b"date1904")? {
                        package.date1904 = matches!(v.trim(), "1" | "true");
                    }
                }
                _ => {}
            }
        }
        Ok(package)
    }
}

/// The workbook part: the target of the package's `officeDocument`
/// relationship (in `_rels/.rels`), else where Excel puts it, for packages
/// written without relationships.
fn main_part(zip: &mut Zip<'_>, parts: &Parts, limits: &Limits) -> Result<String, String> {
    let rels = parts.relationships(zip, "", limits)?;
    let main = rels
        .iter()
        .find(|r| r.is("officeDocument") && parts.contains(&r.target))
        .map(|r| r.target.clone())
        .or_else(|| {
            parts
                .contains("xl/workbook.xml")
                .then(|| "xl/workbook.xml".into())
        })
        .ok_or_else(|| "不是电子表格文件（压缩包中没有工作簿）".to_string())?;
    if main.to_lowercase().ends_with(".bin") {
        return Err(format!(
            "这是二进制格式的工作簿（.xlsb），但其工作簿部件在 {main}，不在标准位置 xl/workbook.bin，无法读取（请用 Excel 另存为 .xlsx）"
        ));
    }
    Ok(main)
}

/// The F01 reason for an Office package whose main part is not a workbook.
fn not_a_workbook(root: &[u8]) -> String {
    match root {
        b"document" => "不是电子表格文件（这是 Word 文档）".into(),
        b"presentation" => "不是电子表格文件（这是 PowerPoint 演示文稿）".into(),
        other => format!(
            "不是电子表格文件（主部件是“{}”，不是工作簿）",
            String::from_utf8_lossy(other)
        ),
    }
}
