//! Every legal spreadsheet reads the same (issue 18): the shipped sample
//! returns of every quarter, rewritten in one dialect at a time (a legal
//! variation that a standard allows or a real writer produces), must give
//! the same `check` findings (the JSON, minus the file name), the same
//! typed returns, the same form cells and the same `facts.csv` as the
//! originals; a dialect the readers refuse must give one F01 whose reason
//! says why.
//!
//! A dialect is one function in `mod dialect` (the sample file's bytes in,
//! the rewritten file's bytes out) and one line in `reads_the_same!` or
//! `refused!`. The .xlsx dialects edit the files' XML and zip (with
//! `common/ooxml.rs`); the .ods dialects write OpenDocument from the
//! values calamine reads from the .xlsx (`common/ods_writer.rs`), so no
//! dialect goes through the reader it tests. The list of dialects is the
//! table of `docs/return-form.md` §4.8.

mod common;
#[path = "common/ods_writer.rs"]
mod ods_writer;
#[path = "common/ooxml.rs"]
mod ooxml;

use std::path::Path;
use std::sync::OnceLock;
use std::time::SystemTime;

use shuanggao::ingest::{InputFile, ReturnsFolder};
use shuanggao::validate::{self, History};

/// A file of the shipped sample.
pub struct Source {
    /// `2025Q3/南京建邺高新区_2025Q3.xlsx`.
    pub path: String,
    pub bytes: Vec<u8>,
    modified: SystemTime,
    book: OnceLock<ods_writer::Book>,
}

impl Source {
    /// The workbook's values as calamine reads them.
    pub fn book(&self) -> &ods_writer::Book {
        self.book
            .get_or_init(|| ods_writer::Book::from_xlsx(&self.bytes))
    }
}

fn returns() -> std::path::PathBuf {
    common::root().join("inputs/returns")
}

/// Every file of the shipped sample, every quarter.
fn sources() -> &'static [Source] {
    static SOURCES: OnceLock<Vec<Source>> = OnceLock::new();
    SOURCES.get_or_init(|| {
        let folder = ReturnsFolder::scan(&returns()).unwrap();
        let out: Vec<Source> = folder
            .periods
            .values()
            .flatten()
            .map(|f| Source {
                path: f.name.clone(),
                bytes: std::fs::read(&f.path).unwrap(),
                modified: std::fs::metadata(&f.path).unwrap().modified().unwrap(),
                book: OnceLock::new(),
            })
            .collect();
        assert!(out.len() >= 90, "{} files", out.len());
        out
    })
}

/// What reading a returns folder gives, file extensions written `.xlsx`.
#[derive(Debug, PartialEq)]
struct Reading {
    /// Per file: quarter, name, zone, verdict, the typed return's figures
    /// and the cells another file changed.
    returns: Vec<String>,
    /// Per file: its findings as JSON, without the file name.
    findings: Vec<String>,
    /// Per file of the reported quarter: its form sheets' cells.
    cells: Vec<String>,
    facts: String,
}

fn reading(returns: &Path, ext: &str) -> Reading {
    let config = common::config();
    let folder = ReturnsFolder::scan(returns).unwrap();
    let last = folder.latest().unwrap();
    let as_xlsx = |s: String| s.replace(&format!(".{ext}"), ".xlsx");
    let mut out = Reading {
        returns: Vec::new(),
        findings: Vec::new(),
        cells: Vec::new(),
        facts: String::new(),
    };
    validate::walk(&config, &folder, last, Default::default(), |check, _| {
        for s in &check.submissions {
            let figures = s.ret.as_deref().map(common::figures);
            out.returns.push(as_xlsx(format!(
                "{} {} {:?} {:?} {:?} {:?} {:?}",
                check.period, s.source.name, s.zone, s.verdict, s.superseded_by, figures, s.changes
            )));
            let findings: Vec<serde_json::Value> = s
                .findings
                .iter()
                .map(|f| {
                    let mut v = serde_json::to_value(f).unwrap();
                    v.as_object_mut().unwrap().remove("file");
                    v
                })
                .collect();
            out.findings.push(as_xlsx(format!(
                "{} {}: {}",
                check.period,
                s.source.name,
                serde_json::to_string(&findings).unwrap()
            )));
            if !s.cells.is_empty() {
                out.cells
                    .push(as_xlsx(format!("{}: {:?}", s.source.name, s.cells)));
            }
        }
    });
    let run = shuanggao::pipeline::run(
        &config,
        &folder,
        last,
        Default::default(),
        Default::default(),
    )
    .unwrap();
    let facts = shuanggao::render::data::facts_csv(&run.report).unwrap();
    out.facts = as_xlsx(String::from_utf8(facts).unwrap());
    out
}

/// The sample as shipped, read once for every test.
fn original() -> &'static Reading {
    static ORIGINAL: OnceLock<Reading> = OnceLock::new();
    ORIGINAL.get_or_init(|| {
        let r = reading(&returns(), "xlsx");
        assert!(r.facts.lines().count() > 1000, "{}", r.facts.len());
        r
    })
}

/// Writes every sample file in a dialect into a returns folder (same
/// names but the extension, same modification times).
fn rewrite(dir: &Path, ext: &str, dialect: fn(&Source) -> Vec<u8>) {
    for s in sources() {
        let path = dir.join(Path::new(&s.path).with_extension(ext));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, dialect(s)).unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(s.modified).unwrap();
    }
}

/// With `SHUANGGAO_DIALECT_SEEDS=DIR` (as `fuzz/seed.sh` runs this file),
/// one file in each dialect is also kept there, to seed the fuzzers.
fn keep_seed(name: &str, ext: &str, bytes: &[u8]) {
    if let Some(dir) = std::env::var_os("SHUANGGAO_DIALECT_SEEDS") {
        let dir = Path::new(&dir);
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join(format!("{name}.{ext}")), bytes).unwrap();
    }
}

/// The sample file that seeds and refusals use: a 2026Q3 return.
fn one_source() -> &'static Source {
    sources()
        .iter()
        .find(|s| s.path.starts_with("2026Q3"))
        .unwrap()
}

fn assert_reads_the_same(name: &str, ext: &str, dialect: fn(&Source) -> Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    rewrite(dir.path(), ext, dialect);
    keep_seed(name, ext, &dialect(one_source()));
    let read = reading(dir.path(), ext);
    let original = original();
    for (what, a, b) in [
        ("returns", &original.returns, &read.returns),
        ("findings", &original.findings, &read.findings),
        ("form cells", &original.cells, &read.cells),
    ] {
        assert_eq!(a.len(), b.len(), "{name}: {what}: {b:#?}");
        let differ: Vec<(&String, &String)> = a.iter().zip(b).filter(|(x, y)| x != y).collect();
        assert!(
            differ.is_empty(),
            "{name}: {} of {} files' {what} differ; the first:\noriginal: {}\n{name}: {}",
            differ.len(),
            a.len(),
            shorten(differ[0].0),
            shorten(differ[0].1)
        );
    }
    assert!(original.facts == read.facts, "{name}: facts.csv differs");
}

/// A long line cut around its first difference is enough to read.
fn shorten(s: &str) -> String {
    s.chars().take(3000).collect()
}

macro_rules! reads_the_same {
    ($($name:ident => $ext:literal,)*) => {$(
        #[test]
        fn $name() {
            assert_reads_the_same(stringify!($name), $ext, dialect::$name);
        }
    )*};
}

/// A dialect refused: one file of 2026Q3 in it is one F01 whose reason
/// contains `reason`.
fn assert_refused(name: &str, dialect: fn(&Source) -> Vec<u8>, reason: &str) {
    let bytes = dialect(one_source());
    keep_seed(name, "bin", &bytes);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("return.xlsx");
    std::fs::write(&path, bytes).unwrap();
    let check = validate::check_period(
        &common::config(),
        common::q("2026Q3"),
        &[InputFile {
            path,
            name: "return.xlsx".into(),
        }],
        &History::default(),
    );
    let findings: Vec<_> = check.findings().collect();
    assert_eq!(findings.len(), 1, "{name}: {findings:#?}");
    assert_eq!(findings[0].rule, "F01", "{name}: {findings:#?}");
    let message = findings[0].message.as_deref().unwrap_or_default();
    assert!(
        message.contains(reason) && !message.contains("程序内部错误"),
        "{name}: {message}"
    );
}

macro_rules! refused {
    ($($name:ident => $reason:literal,)*) => {$(
        #[test]
        fn $name() {
            assert_refused(stringify!($name), dialect::$name, $reason);
        }
    )*};
}

reads_the_same! {
    // The package: where parts are and how they are named (OPC).
    workbook_elsewhere => "xlsx",
    dotted_targets => "xlsx",
    absolute_targets => "xlsx",
    percent_encoded_names => "xlsx",
    names_in_other_case => "xlsx",
    backslash_names => "xlsx",
    interleaved_pieces => "xlsx",
    generated_ids_and_names => "xlsx",
    extra_relationships => "xlsx",
    reordered_entries => "xlsx",
    stored => "xlsx",
    zip64_streamed => "xlsx",
    // XML itself (XML 1.0).
    utf16_le => "xlsx",
    utf16_be => "xlsx",
    utf16_declared_in_utf8 => "xlsx",
    no_declaration => "xlsx",
    pretty_crlf_bom => "xlsx",
    cdata_crlf => "xlsx",
    character_references => "xlsx",
    comments_and_instructions => "xlsx",
    attribute_layout => "xlsx",
    long_empty_elements => "xlsx",
    prefixed_elements => "xlsx",
    markup_compatibility => "xlsx",
    // SpreadsheetML (ECMA-376 Part 1 §18).
    iso_dates => "xlsx",
    strict => "xlsx",
    date1904 => "xlsx",
    builtin_date_format => "xlsx",
    inline_strings => "xlsx",
    str_strings => "xlsx",
    rich_text_runs => "xlsx",
    no_references => "xlsx",
    number_spellings => "xlsx",
    formulas => "xlsx",
    // OpenDocument (ODF 1.2 Part 1 §9, §6.1; Part 3).
    ods_libreoffice => "ods",
    ods_other_prefixes => "ods",
    ods_default_namespace => "ods",
    ods_pretty => "ods",
    ods_pretty_crlf_bom => "ods",
    ods_utf16 => "ods",
    ods_string_values => "ods",
    ods_formatted_display => "ods",
    ods_spans_and_links => "ods",
    ods_unrepeated => "ods",
    ods_annotations => "ods",
    ods_stored_without_mimetype => "ods",
    ods_template => "ods",
    fods => "fods",
}

refused! {
    gbk_declared => "GBK",
    utf32 => "UTF-32",
    doctype => "DOCTYPE",
    xml_1_1 => "XML 1.1",
    xlsb_elsewhere => "xl/workbook.bin",
    unsupported_compression => "压缩方式",
    missing_piece => "分段不完整",
    word_document => "Word 文档",
    ods_doctype => "DOCTYPE",
    ods_gbk_declared => "GBK",
    ods_encrypted => "已加密",
    open_office_1 => ".sxc",
    apple_numbers => "Apple Numbers",
    html_table => "HTML",
    mht => "MHT",
    excel_2003_xml => "Excel 2003 XML",
    pdf => "PDF",
    csv => "CSV",
    biff4 => "Excel 4.0",
}

/// The dialects: each takes a sample file and writes it anew.
mod dialect {
    use super::ods_writer::{self, Style, LIBREOFFICE};
    use super::ooxml::*;
    use super::Source;
    use zip::write::SimpleFileOptions;

    fn xlsx(s: &Source, f: impl FnOnce(&mut Package)) -> Vec<u8> {
        let mut p = Package::open(&s.bytes);
        f(&mut p);
        p.zip()
    }

    const WORKBOOK_RELS: &str = "xl/_rels/workbook.xml.rels";

    /// The workbook part elsewhere, found only through `_rels/.rels`, its
    /// own targets `../xl/…` (the Open XML SDK names parts as it likes).
    pub fn workbook_elsewhere(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            p.rename("xl/workbook.xml", "book/main.xml");
            p.rename(WORKBOOK_RELS, "book/_rels/main.xml.rels");
            p.edit("book/_rels/main.xml.rels", |r| {
                map_targets(&r, |t| format!("../xl/{t}"))
            });
            p.edit("_rels/.rels", |r| {
                map_targets(&r, |t| t.replace("xl/workbook.xml", "book/main.xml"))
            });
            p.edit("[Content_Types].xml", |c| {
                c.replace("/xl/workbook.xml", "/book/main.xml")
            });
        })
    }

    /// Targets with `.` and `..` segments (RFC 3986 §5.2.4).
    pub fn dotted_targets(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            p.edit("_rels/.rels", |r| map_targets(&r, |t| format!("./{t}")));
            p.edit(WORKBOOK_RELS, |r| {
                map_targets(&r, |t| format!("./../xl/./{t}"))
            });
        })
    }

    /// Absolute targets (`/xl/worksheets/sheet1.xml`).
    pub fn absolute_targets(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            p.edit("_rels/.rels", |r| map_targets(&r, |t| format!("/{t}")));
            p.edit(WORKBOOK_RELS, |r| map_targets(&r, |t| format!("/xl/{t}")));
        })
    }

    /// Worksheets renamed to names that need percent-encoding (Chinese, a
    /// space): in the zip raw and in the targets encoded, or the other
    /// way round.
    pub fn percent_encoded_names(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            for (i, old) in p.sheets().into_iter().enumerate() {
                let part = format!("xl/工作表/表 {}.xml", i + 1);
                let (zip_name, target) = if i % 2 == 0 {
                    (part.clone(), percent_encode(&part[3..]))
                } else {
                    (percent_encode(&part), part[3..].to_string())
                };
                p.rename(&old, &zip_name);
                let old_target = old[3..].to_string();
                p.edit(WORKBOOK_RELS, |r| {
                    map_targets(&r, |t| {
                        if t == old_target {
                            target.clone()
                        } else {
                            t.to_string()
                        }
                    })
                });
                p.edit("[Content_Types].xml", |c| {
                    c.replace(
                        &format!("/{old}\""),
                        &format!("/{}\"", percent_encode(&part)),
                    )
                });
            }
        })
    }

    /// Zip item names in upper case, targets as written (part names
    /// compare case-insensitively, OPC M1.12).
    pub fn names_in_other_case(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            for (name, _) in &mut p.parts {
                if name.starts_with("xl/") {
                    *name = name.to_uppercase();
                }
            }
        })
    }

    /// Zip item names with `\` (as some Windows zip libraries write them).
    pub fn backslash_names(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            for (name, _) in &mut p.parts {
                *name = name.replace('/', "\\");
            }
        })
    }

    /// Every worksheet interleaved in three pieces (OPC's `[n].piece`).
    pub fn interleaved_pieces(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            for sheet in p.sheets() {
                let bytes = p.text(&sheet).into_bytes();
                p.remove(&sheet);
                let third = bytes.len() / 3;
                let cuts = [0, third, 2 * third, bytes.len()];
                for k in 0..3 {
                    let last = if k == 2 { ".last" } else { "" };
                    let name = format!("{sheet}/[{k}]{last}.piece");
                    p.set(&name, bytes[cuts[k]..cuts[k + 1]].to_vec());
                }
            }
        })
    }

    /// Relationship ids and part names as generating libraries make them
    /// up (`R3f0c…`, `/xl/worksheets/sheetA1B2.xml`, `xl/s.xml`).
    pub fn generated_ids_and_names(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            let rels = p.text(WORKBOOK_RELS);
            let mut renames = Vec::new();
            let rels = map_tags(&rels, |tag| {
                if local(tag_name(tag)) != "Relationship" {
                    return tag.to_string();
                }
                let id = attr(tag, "Id").unwrap();
                let new_id = format!("R{:016x}", fxhash(&id));
                let target = attr(tag, "Target").unwrap();
                let new_target = format!("parts/p{:08x}.xml", fxhash(&target) as u32);
                renames.push((id, new_id.clone(), target, new_target.clone()));
                let tag = set_attr(tag, "Id", Some(&new_id));
                set_attr(&tag, "Target", Some(&format!("/xl/{new_target}")))
            });
            p.set_text(WORKBOOK_RELS, rels);
            for (id, new_id, target, new_target) in renames {
                p.edit("xl/workbook.xml", |w| {
                    w.replace(&format!("r:id=\"{id}\""), &format!("r:id=\"{new_id}\""))
                });
                p.rename(&format!("xl/{target}"), &format!("xl/{new_target}"));
            }
        })
    }

    fn fxhash(s: &str) -> u64 {
        s.bytes().fold(0xcbf29ce484222325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
        })
    }

    /// Extra relationships: external ones (one of them typed as styles and
    /// listed first), an unknown type, `TargetMode="Internal"` written out.
    pub fn extra_relationships(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            p.edit(WORKBOOK_RELS, |r| {
                let r = map_tags(&r, |tag| {
                    if local(tag_name(tag)) == "Relationship" {
                        set_attr(tag, "TargetMode", Some("Internal"))
                    } else {
                        tag.to_string()
                    }
                });
                let at = r.find("<Relationship ").unwrap();
                let extra = concat!(
                    r#"<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="http://example.org/styles.xml" TargetMode="External"/>"#,
                    r#"<Relationship Id="rIdX2" Type="http://example.org/relationships/unknown" Target="unknown/part.xml"/>"#,
                    r#"<Relationship Id="rIdX3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="file:///C:/%E6%8A%A5%E8%A1%A8.xlsx" TargetMode="External"/>"#
                );
                format!("{}{extra}{}", &r[..at], &r[at..])
            });
        })
    }

    /// Zip entries in reverse order (content types last, sheets first).
    pub fn reordered_entries(s: &Source) -> Vec<u8> {
        xlsx(s, |p| p.parts.reverse())
    }

    /// Entries stored, not deflated.
    pub fn stored(s: &Source) -> Vec<u8> {
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        Package::open(&s.bytes).zip_with(options)
    }

    /// Written as a stream: a data descriptor after each entry, ZIP64
    /// records throughout.
    pub fn zip64_streamed(s: &Source) -> Vec<u8> {
        use std::io::Write;
        let p = Package::open(&s.bytes);
        let mut zip = zip::ZipWriter::new_stream(Vec::new());
        let options = SimpleFileOptions::default()
            .compression_level(Some(1))
            .large_file(true);
        for (name, bytes) in &p.parts {
            zip.start_file(name.as_str(), options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn utf16_parts(s: &Source, big_endian: bool) -> Vec<u8> {
        xlsx(s, |p| {
            for name in p.xml_names() {
                let text = p
                    .text(&name)
                    .replacen("encoding=\"UTF-8\"", "encoding=\"UTF-16\"", 1);
                p.set(&name, utf16(&text, big_endian));
            }
        })
    }

    /// Every XML part in UTF-16 little-endian with a byte order mark.
    pub fn utf16_le(s: &Source) -> Vec<u8> {
        utf16_parts(s, false)
    }

    /// Every XML part in UTF-16 big-endian with a byte order mark.
    pub fn utf16_be(s: &Source) -> Vec<u8> {
        utf16_parts(s, true)
    }

    /// UTF-8 parts that declare UTF-16 (.NET writers serialising XML
    /// through a string).
    pub fn utf16_declared_in_utf8(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            p.edit_xml(|_, t| t.replacen("encoding=\"UTF-8\"", "encoding=\"utf-16\"", 1))
        })
    }

    /// No XML declaration (it is optional).
    pub fn no_declaration(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            p.edit_xml(|_, t| match t.strip_prefix("<?xml") {
                Some(rest) => rest[rest.find("?>").unwrap() + 2..]
                    .trim_start()
                    .to_string(),
                None => t,
            })
        })
    }

    /// Every part pretty-printed with CR LF line ends and tabs, after a
    /// UTF-8 byte order mark (white space only between elements, never in
    /// an element's text).
    pub fn pretty_crlf_bom(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            for name in p.xml_names() {
                let text = indent(&p.text(&name), "\r\n", "\t");
                p.set(
                    &name,
                    [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
                );
            }
        })
    }

    /// White space between markup (never next to text): before each tag
    /// that follows a tag or the declaration, but not between an empty
    /// element's start and end tags.
    fn indent(xml: &str, newline: &str, unit: &str) -> String {
        let toks = tokens(xml);
        let mut out = String::new();
        let mut depth = 0usize;
        for (i, t) in toks.iter().enumerate() {
            let Token::Tag(tag) = t else {
                if let Token::Other(text) = t {
                    out += text;
                }
                continue;
            };
            let previous = i.checked_sub(1).map(|p| &toks[p]);
            let after_markup = match previous {
                Some(Token::Tag(prev)) => {
                    !(is_close(tag) && !is_close(prev) && !is_empty_tag(prev))
                }
                Some(Token::Other(o)) => o.starts_with("<?"),
                None => false,
            };
            if is_close(tag) {
                depth -= 1;
            }
            if after_markup {
                out += newline;
                out += &unit.repeat(depth);
            }
            out += tag;
            if !is_close(tag) && !is_empty_tag(tag) {
                depth += 1;
            }
        }
        out
    }

    /// Shared strings as CDATA sections with CR LF line ends (read as LF:
    /// XML 1.0 §2.11 normalises the whole entity).
    pub fn cdata_crlf(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            p.edit("xl/sharedStrings.xml", |x| {
                map_element_text(&x, "t", |text| {
                    format!("<![CDATA[{}]]>", unescape(text).replace('\n', "\r\n"))
                })
            })
        })
    }

    /// Every non-ASCII character as a character reference, and references
    /// in the cells' `t` and `r` attributes too.
    pub fn character_references(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            p.edit_xml(|_, t| {
                t.chars()
                    .map(|c| {
                        if c.is_ascii() {
                            c.to_string()
                        } else {
                            format!("&#x{:X};", c as u32)
                        }
                    })
                    .collect()
            });
            p.edit_sheets(|x| {
                map_tags(&x, |tag| {
                    if local(tag_name(tag)) != "c" || is_close(tag) {
                        return tag.to_string();
                    }
                    let tag = match attr(tag, "t").as_deref() {
                        Some("s") => set_attr(tag, "t", Some("&#115;")),
                        _ => tag.to_string(),
                    };
                    match attr(&tag, "r") {
                        Some(r) => set_attr(
                            &tag,
                            "r",
                            Some(&format!("&#{};{}", r.as_bytes()[0], &r[1..])),
                        ),
                        None => tag,
                    }
                })
            });
        })
    }

    /// Comments and processing instructions between elements and inside
    /// values and strings.
    pub fn comments_and_instructions(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            let split = |text: &str| {
                let chars: Vec<char> = text.chars().collect();
                let at = chars.len() / 2;
                let (a, b): (String, String) =
                    (chars[..at].iter().collect(), chars[at..].iter().collect());
                if a.contains('&') || b.starts_with(';') || text.contains('&') {
                    format!("<!-- 注释 -->{text}")
                } else {
                    format!("{a}<!-- 注释 -->{b}")
                }
            };
            p.edit_sheets(|x| {
                let x = map_element_text(&x, "v", split);
                map_tags(&x, |tag| {
                    if local(tag_name(tag)) == "row" && !is_close(tag) {
                        format!("<?shuanggao 行?><!-- row -->{tag}")
                    } else {
                        tag.to_string()
                    }
                })
            });
            p.edit("xl/sharedStrings.xml", |x| map_element_text(&x, "t", split));
        })
    }

    /// Attributes on their own lines, single quotes, spaces around `=`.
    pub fn attribute_layout(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            p.edit_xml(|_, x| {
                map_tags(&x, |tag| {
                    let attrs = attributes(tag);
                    if attrs.is_empty() || is_close(tag) {
                        return tag.to_string();
                    }
                    let mut out = format!("<{}", tag_name(tag));
                    for (k, v) in attrs {
                        let q = if v.contains('\'') { '"' } else { '\'' };
                        out += &format!("\r\n\t{k} = {q}{v}{q}");
                    }
                    out + if is_empty_tag(tag) { "\n/>" } else { "\n>" }
                })
            })
        })
    }

    /// Empty elements written with an end tag (`<c r="B1" s="1"></c>`).
    pub fn long_empty_elements(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            p.edit_xml(|_, x| {
                map_tags(&x, |tag| match tag.strip_suffix("/>") {
                    Some(open) => format!("{}></{}>", open.trim_end(), tag_name(tag)),
                    None => tag.to_string(),
                })
            })
        })
    }

    /// SpreadsheetML with an `x:` prefix on every element (the .NET Open
    /// XML SDK's habit), the namespace no longer the default.
    pub fn prefixed_elements(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            let mut parts = vec![
                "xl/workbook.xml".to_string(),
                "xl/sharedStrings.xml".into(),
                "xl/styles.xml".into(),
            ];
            parts.extend(p.sheets());
            for part in parts {
                p.edit(&part, |x| {
                    map_tags(&x, |tag| {
                        let name = tag_name(tag);
                        let tag = tag.replace(" xmlns=\"", " xmlns:x=\"");
                        if name.contains(':') {
                            tag
                        } else {
                            tag.replacen(name, &format!("x:{name}"), 1)
                        }
                    })
                });
            }
        })
    }

    /// Markup Compatibility (ECMA-376 Part 3): decoy cells, a decoy merge
    /// and a decoy sheet in `mc:Choice` branches the reader does not
    /// implement, `mc:Fallback` read instead; ignorable attributes on rows.
    pub fn markup_compatibility(s: &Source) -> Vec<u8> {
        const MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
        const X14AC: &str = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac";
        xlsx(s, |p| {
            p.edit_sheets(|x| {
                let x = x.replacen(
                    "<worksheet ",
                    &format!("<worksheet xmlns:mc=\"{MC}\" xmlns:x14ac=\"{X14AC}\" mc:Ignorable=\"x14ac\" "),
                    1,
                );
                let x = map_tags(&x, |tag| {
                    if tag_name(tag) == "row" && !is_close(tag) {
                        set_attr(tag, "x14ac:dyDescent", Some("0.25"))
                    } else {
                        tag.to_string()
                    }
                });
                let decoy = r#"<mc:AlternateContent><mc:Choice Requires="x14ac"><c r="A1" t="inlineStr"><is><t>诱饵</t></is></c><mergeCell ref="A1:Z99"/></mc:Choice><mc:Fallback></mc:Fallback></mc:AlternateContent>"#;
                x.replacen("</sheetData>", &format!("</sheetData>{decoy}"), 1)
            });
            p.edit("xl/workbook.xml", |w| {
                let w = w.replacen("<workbook ", &format!("<workbook xmlns:mc=\"{MC}\" "), 1);
                let decoy = r#"<mc:AlternateContent><mc:Choice Requires="x15"><sheets><sheet name="诱饵" sheetId="99" r:id="rId1"/></sheets><workbookPr date1904="1"/></mc:Choice><mc:Fallback/></mc:AlternateContent>"#;
                w.replacen("</sheets>", &format!("</sheets>{decoy}"), 1)
            });
        })
    }

    fn iso_cell(cell: &Cell, text: &str) -> String {
        Cell {
            tag: set_attr(&cell.tag, "t", Some("d")),
            inner: format!("<v>{text}</v>"),
        }
        .write()
    }

    /// Every date an ISO 8601 `t="d"` cell (ECMA-376 Part 1 §18.18.11, as
    /// the Open XML SDK's CellValues.Date and openpyxl's iso_dates write).
    pub fn iso_dates(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            let n = map_date_cells(p, |cell, d| {
                iso_cell(cell, &d.format("%Y-%m-%d").to_string())
            });
            assert!(n > 0, "{}: no date cells", s.path);
        })
    }

    /// Excel's "Strict Open XML" save: the Strict namespaces (ISO/IEC
    /// 29500 Strict) and every date an ISO 8601 date-time cell.
    pub fn strict(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            map_date_cells(p, |cell, d| {
                iso_cell(cell, &d.format("%Y-%m-%dT%H:%M:%S").to_string())
            });
            p.edit_xml(|_, x| {
                x.replace(
                    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                    "http://purl.oclc.org/ooxml/spreadsheetml/main",
                )
                .replace(
                    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                    "http://purl.oclc.org/ooxml/officeDocument/relationships",
                )
                .replace(
                    "http://schemas.openxmlformats.org/drawingml/2006/main",
                    "http://purl.oclc.org/ooxml/drawingml/main",
                )
            });
            p.edit("xl/workbook.xml", |w| {
                w.replacen("<workbook ", "<workbook conformance=\"strict\" ", 1)
            });
        })
    }

    /// The 1904 date system: every date serial 1,462 days smaller.
    pub fn date1904(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            let epoch = chrono::NaiveDate::from_ymd_opt(1904, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap();
            map_date_cells(p, |cell, d| {
                let days = (d - epoch).num_milliseconds() as f64 / 86_400_000.0;
                Cell {
                    tag: cell.tag.clone(),
                    inner: format!("<v>{days}</v>"),
                }
                .write()
            });
            p.edit("xl/workbook.xml", |w| {
                map_tags(&w, |tag| {
                    if local(tag_name(tag)) == "workbookPr" {
                        set_attr(tag, "date1904", Some("1"))
                    } else {
                        tag.to_string()
                    }
                })
            });
        })
    }

    /// Dates in the built-in format 31 (`yyyy"年"m"月"d"日"`, as Chinese
    /// Excel saves it) instead of a custom `yyyy-mm-dd`.
    pub fn builtin_date_format(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            p.edit("xl/styles.xml", |x| {
                let dates: Vec<String> = tokens(&x)
                    .into_iter()
                    .filter_map(|t| match t {
                        Token::Tag(tag) if local(tag_name(tag)) == "numFmt" => {
                            let code = attr(tag, "formatCode").unwrap();
                            code.contains('y').then(|| attr(tag, "numFmtId").unwrap())
                        }
                        _ => None,
                    })
                    .collect();
                assert!(!dates.is_empty());
                map_tags(&x, |tag| {
                    let id = attr(tag, "numFmtId");
                    if local(tag_name(tag)) == "xf"
                        && id.as_ref().is_some_and(|i| dates.contains(i))
                    {
                        set_attr(tag, "numFmtId", Some("31"))
                    } else {
                        tag.to_string()
                    }
                })
            })
        })
    }

    /// Every shared-string cell written anew by `f(cell, item)`, the item
    /// being its `<si>`'s inner XML.
    fn map_shared_string_cells(p: &mut Package, f: impl Fn(&Cell, &str) -> Cell) {
        let items = shared_items(&p.text("xl/sharedStrings.xml"));
        p.edit_sheets(|x| {
            map_cells(&x, |c| {
                if c.attr("t").as_deref() != Some("s") {
                    return c.write();
                }
                let i: usize = c.child("v").unwrap().trim().parse().unwrap();
                f(&c, &items[i]).write()
            })
        });
    }

    /// Strings written inline (`t="inlineStr"`), no shared-string part, as
    /// POI's SXSSF and rust_xlsxwriter's constant-memory mode write them.
    pub fn inline_strings(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            map_shared_string_cells(p, |c, item| Cell {
                tag: set_attr(&c.tag, "t", Some("inlineStr")),
                inner: format!("<is>{item}</is>"),
            });
            p.remove("xl/sharedStrings.xml");
            p.edit(WORKBOOK_RELS, |r| without_relationship(&r, "sharedStrings"));
            p.edit("[Content_Types].xml", |c| {
                map_tags(&c, |tag| {
                    if attr(tag, "PartName").as_deref() == Some("/xl/sharedStrings.xml") {
                        String::new()
                    } else {
                        tag.to_string()
                    }
                })
            });
        })
    }

    /// Strings as `t="str"` cells holding their text (the Open XML SDK's
    /// CellValues.String).
    pub fn str_strings(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            map_shared_string_cells(p, |c, item| Cell {
                tag: set_attr(&c.tag, "t", Some("str")),
                inner: format!("<v>{}</v>", escape(&item_text(item))),
            })
        })
    }

    /// Shared strings as rich-text runs, with phonetic guides.
    pub fn rich_text_runs(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            p.edit("xl/sharedStrings.xml", |x| {
                map_shared_items(&x, |item| {
                    let chars: Vec<char> = item_text(item).chars().collect();
                    let at = chars.len() / 2;
                    let a: String = chars[..at].iter().collect();
                    let b: String = chars[at..].iter().collect();
                    format!(
                        concat!(
                            r#"<r><t xml:space="preserve">{}</t></r>"#,
                            r#"<r><rPr><b/><sz val="11"/><color rgb="FFFF0000"/><rFont val="宋体"/><family val="3"/><charset val="134"/></rPr><t xml:space="preserve">{}</t></r>"#,
                            r#"<rPh sb="0" eb="1"><t>ヨミ</t></rPh><phoneticPr fontId="0" type="noConversion"/>"#
                        ),
                        escape(&a),
                        escape(&b)
                    )
                })
            })
        })
    }

    /// No `r` on rows and cells (optional in ECMA-376): empty rows and
    /// cells stand in for the ones skipped.
    pub fn no_references(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            p.edit_sheets(|x| {
                let mut next_row = 1u32;
                let mut next_col = 1u32;
                map_tags(&x, |tag| match (local(tag_name(tag)), is_close(tag)) {
                    ("row", false) => {
                        let r: u32 = attr(tag, "r").unwrap().parse().unwrap();
                        let gap = "<row/>".repeat((r - next_row) as usize);
                        next_row = r + 1;
                        next_col = 1;
                        gap + &set_attr(tag, "r", None)
                    }
                    ("c", false) => {
                        let r = attr(tag, "r").unwrap();
                        let letters: String =
                            r.chars().take_while(char::is_ascii_alphabetic).collect();
                        let col = letters
                            .bytes()
                            .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1));
                        let gap = "<c/>".repeat((col - next_col) as usize);
                        next_col = col + 1;
                        gap + &set_attr(tag, "r", None)
                    }
                    _ => tag.to_string(),
                })
            })
        })
    }

    /// Numbers spelt as XML Schema allows: an exponent, a sign, padding.
    pub fn number_spellings(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            p.edit_sheets(|x| {
                map_cells(&x, |c| match (c.attr("t"), c.child("v")) {
                    (None, Some(v)) if !v.trim().is_empty() => {
                        let n: f64 = v.trim().parse().unwrap();
                        let spelt = if n >= 0.0 {
                            format!(" +{n:E}\n")
                        } else {
                            format!(" {n:E}\n")
                        };
                        Cell {
                            tag: c.tag.clone(),
                            inner: c
                                .inner
                                .replace(&format!("<v>{v}</v>"), &format!("<v>{spelt}</v>")),
                        }
                        .write()
                    }
                    _ => c.write(),
                })
            })
        })
    }

    /// Every number the cached result of a formula.
    pub fn formulas(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            p.edit_sheets(|x| {
                map_cells(&x, |c| match (c.attr("t"), c.child("v")) {
                    (None, Some(v)) if !v.trim().is_empty() => Cell {
                        tag: c.tag.clone(),
                        inner: format!("<f>{}*1</f><v>{v}</v>", v.trim()),
                    }
                    .write(),
                    _ => c.write(),
                })
            })
        })
    }

    fn ods(s: &Source, style: Style) -> Vec<u8> {
        ods_writer::write(s.book(), style, false)
    }

    /// As LibreOffice writes .ods: standard prefixes, repeated cells.
    pub fn ods_libreoffice(s: &Source) -> Vec<u8> {
        ods(s, LIBREOFFICE)
    }

    /// Other prefixes for the office, table and text namespaces.
    pub fn ods_other_prefixes(s: &Source) -> Vec<u8> {
        ods(
            s,
            Style {
                office: "o",
                table: "t",
                text: "p",
                ..LIBREOFFICE
            },
        )
    }

    /// The table namespace the default one (its attributes prefixed, as
    /// unprefixed attributes belong to no namespace).
    pub fn ods_default_namespace(s: &Source) -> Vec<u8> {
        ods(
            s,
            Style {
                table: "",
                attribute_prefix: Some(("of", "tb")),
                ..LIBREOFFICE
            },
        )
    }

    /// content.xml pretty-printed: line breaks and indentation between
    /// elements.
    pub fn ods_pretty(s: &Source) -> Vec<u8> {
        ods(
            s,
            Style {
                indent: Some(("\n", "   ")),
                ..LIBREOFFICE
            },
        )
    }

    /// Pretty-printed with CR LF and tabs after a byte order mark.
    pub fn ods_pretty_crlf_bom(s: &Source) -> Vec<u8> {
        ods(
            s,
            Style {
                indent: Some(("\r\n", "\t")),
                byte_order_mark: true,
                ..LIBREOFFICE
            },
        )
    }

    /// content.xml in UTF-16.
    pub fn ods_utf16(s: &Source) -> Vec<u8> {
        ods(
            s,
            Style {
                utf16: true,
                ..LIBREOFFICE
            },
        )
    }

    /// Strings in `office:string-value`, the cells showing something else.
    pub fn ods_string_values(s: &Source) -> Vec<u8> {
        ods(
            s,
            Style {
                string_values: true,
                ..LIBREOFFICE
            },
        )
    }

    /// Numbers shown rounded and dates shown in Chinese: the values are
    /// the typed attributes.
    pub fn ods_formatted_display(s: &Source) -> Vec<u8> {
        ods(
            s,
            Style {
                formatted_display: true,
                ..LIBREOFFICE
            },
        )
    }

    /// Text in spans and a hyperlink.
    pub fn ods_spans_and_links(s: &Source) -> Vec<u8> {
        ods(
            s,
            Style {
                spans: true,
                ..LIBREOFFICE
            },
        )
    }

    /// Every cell and row written out, nothing repeated.
    pub fn ods_unrepeated(s: &Source) -> Vec<u8> {
        ods(
            s,
            Style {
                repeat: false,
                ..LIBREOFFICE
            },
        )
    }

    /// An annotation (comment) in every string cell.
    pub fn ods_annotations(s: &Source) -> Vec<u8> {
        ods(
            s,
            Style {
                annotations: true,
                ..LIBREOFFICE
            },
        )
    }

    /// Entries stored and no `mimetype` entry.
    pub fn ods_stored_without_mimetype(s: &Source) -> Vec<u8> {
        ods(
            s,
            Style {
                stored_without_mimetype: true,
                ..LIBREOFFICE
            },
        )
    }

    /// A template (.ots): its own mimetype.
    pub fn ods_template(s: &Source) -> Vec<u8> {
        let mut p = Package::open(&ods(s, LIBREOFFICE));
        p.set(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet-template".to_vec(),
        );
        p.zip()
    }

    /// A flat OpenDocument spreadsheet (.fods): the document as one XML
    /// file, pretty-printed as LibreOffice saves it.
    pub fn fods(s: &Source) -> Vec<u8> {
        let style = Style {
            indent: Some(("\n", " ")),
            ..LIBREOFFICE
        };
        ods_writer::write(s.book(), style, true)
    }

    // The dialects refused.

    /// A part declared in GBK (only UTF-8 and UTF-16 are allowed, OPC M1.17).
    pub fn gbk_declared(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            p.edit("xl/sharedStrings.xml", |x| x.replacen("UTF-8", "GBK", 1))
        })
    }

    /// The shared strings in UTF-32.
    pub fn utf32(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            let text = p.text("xl/sharedStrings.xml");
            let mut bytes = vec![0xFF, 0xFE, 0, 0];
            for c in text.chars() {
                bytes.extend((c as u32).to_le_bytes());
            }
            p.set("xl/sharedStrings.xml", bytes);
        })
    }

    /// A document type definition (OPC M1.18), one that would change a
    /// value if it were read.
    pub fn doctype(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            p.edit("xl/workbook.xml", |w| {
                let at = w.find("?>").unwrap() + 2;
                format!(
                    "{}<!DOCTYPE workbook [<!ATTLIST workbookPr date1904 CDATA \"1\">]>{}",
                    &w[..at],
                    &w[at..]
                )
            })
        })
    }

    /// XML 1.1.
    pub fn xml_1_1(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            p.edit("xl/workbook.xml", |w| {
                w.replacen("version=\"1.0\"", "version=\"1.1\"", 1)
            })
        })
    }

    /// An .xlsb whose workbook part is not at xl/workbook.bin (calamine,
    /// which reads .xlsb, only looks there).
    pub fn xlsb_elsewhere(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            p.rename("xl/workbook.xml", "xl/bin/book.bin");
            p.edit("_rels/.rels", |r| {
                map_targets(&r, |t| t.replace("xl/workbook.xml", "xl/bin/book.bin"))
            });
        })
    }

    /// An entry compressed with a method packages do not use (bzip2).
    pub fn unsupported_compression(s: &Source) -> Vec<u8> {
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let mut bytes = Package::open(&s.bytes).zip_with(options);
        // Method 12 (bzip2) in every local and central header.
        for sig in [&b"PK\x03\x04"[..], &b"PK\x01\x02"[..]] {
            let offset = if sig == b"PK\x03\x04" { 8 } else { 10 };
            let mut at = 0;
            while let Some(i) = bytes[at..].windows(4).position(|w| w == sig) {
                let h = at + i;
                bytes[h + offset..h + offset + 2].copy_from_slice(&12u16.to_le_bytes());
                at = h + 4;
            }
        }
        bytes
    }

    /// An interleaved worksheet (基本信息's) with a piece missing.
    pub fn missing_piece(s: &Source) -> Vec<u8> {
        let mut p = Package::open(&interleaved_pieces(s));
        p.remove("xl/worksheets/sheet2.xml/[1].piece");
        p.zip()
    }

    /// A Word document: its main part is not a workbook.
    pub fn word_document(s: &Source) -> Vec<u8> {
        xlsx(s, |p| {
            p.rename("xl/workbook.xml", "word/document.xml");
            p.set_text(
                "word/document.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>报表</w:t></w:r></w:p></w:body></w:document>"#.into(),
            );
            p.edit("_rels/.rels", |r| {
                map_targets(&r, |t| t.replace("xl/workbook.xml", "word/document.xml"))
            });
        })
    }

    fn ods_edited(s: &Source, f: impl FnOnce(String) -> String) -> Vec<u8> {
        let mut p = Package::open(&ods(s, LIBREOFFICE));
        p.edit("content.xml", f);
        p.zip()
    }

    /// content.xml with a document type definition.
    pub fn ods_doctype(s: &Source) -> Vec<u8> {
        ods_edited(s, |c| {
            let at = c.find("?>").unwrap() + 2;
            format!("{}<!DOCTYPE office:document-content>{}", &c[..at], &c[at..])
        })
    }

    /// content.xml declared in GBK.
    pub fn ods_gbk_declared(s: &Source) -> Vec<u8> {
        ods_edited(s, |c| c.replacen("UTF-8", "GBK", 1))
    }

    /// A password-protected .ods: the manifest declares its encryption,
    /// content.xml is ciphertext.
    pub fn ods_encrypted(s: &Source) -> Vec<u8> {
        let mut p = Package::open(&ods(s, LIBREOFFICE));
        p.set(
            "content.xml",
            (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect(),
        );
        p.set(
            "META-INF/manifest.xml",
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">"#,
                r#"<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="90000">"#,
                r#"<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA">"#,
                r#"<manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/>"#,
                r#"</manifest:encryption-data></manifest:file-entry></manifest:manifest>"#
            )
            .as_bytes()
            .to_vec(),
        );
        p.zip()
    }

    /// OpenOffice.org 1's .sxc (other namespaces, another mimetype).
    pub fn open_office_1(s: &Source) -> Vec<u8> {
        let mut p = Package::open(&ods(s, LIBREOFFICE));
        p.set("mimetype", b"application/vnd.sun.xml.calc".to_vec());
        p.zip()
    }

    /// An Apple Numbers document.
    pub fn apple_numbers(_: &Source) -> Vec<u8> {
        let mut p = Package { parts: Vec::new() };
        p.set("Index/Document.iwa", vec![0, 1, 2, 3]);
        p.set("Metadata/Properties.plist", b"bplist00".to_vec());
        p.zip()
    }

    /// An HTML table saved with a spreadsheet's name (what many systems
    /// export as "xls").
    pub fn html_table(_: &Source) -> Vec<u8> {
        "<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><body><table><tr><td>高新区</td><td>南京</td></tr></table></body></html>"
            .as_bytes()
            .to_vec()
    }

    /// A single-file web page (MHT).
    pub fn mht(_: &Source) -> Vec<u8> {
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"x\"\r\n\r\n--x\r\n"
            .to_vec()
    }

    /// Excel 2003's XML Spreadsheet.
    pub fn excel_2003_xml(_: &Source) -> Vec<u8> {
        r#"<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="基本信息"><Table><Row><Cell><Data ss:Type="String">高新区</Data></Cell></Row></Table></Worksheet></Workbook>"#
            .as_bytes()
            .to_vec()
    }

    pub fn pdf(_: &Source) -> Vec<u8> {
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".to_vec()
    }

    pub fn csv(_: &Source) -> Vec<u8> {
        "指标代码,指标名称,本季新增,累计值\r\nSG01,合作研发项目,3,29\r\n"
            .as_bytes()
            .to_vec()
    }

    /// An Excel 4.0 worksheet (BIFF4, no OLE container).
    pub fn biff4(_: &Source) -> Vec<u8> {
        let mut b = vec![0x09, 0x04, 0x06, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00];
        b.extend([0x0A, 0x00, 0x00, 0x00]);
        b
    }
}
