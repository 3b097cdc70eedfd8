//! Typesetting with typst, shared by the brief, the city and zone pages and
//! 一图读懂: the fonts are parsed once, each document is compiled from a
//! template and in-memory files (`/data.json`, charts), then exported as
//! PDF or rendered to PNG. Nothing here knows what the documents say.

use std::collections::HashMap;

use typst::diag::{FileError, FileResult, Severity as TypstSeverity};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;

use super::fonts::Fonts;

/// The fonts and library every document shares.
pub struct Typesetter {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    pub family: String,
}

/// One document's sources: the template and the files it reads.
pub struct Document<'a> {
    pub template: &'a str,
    /// `(path, bytes)`, e.g. `("/data.json", …)`, `("/charts/x.svg", …)`.
    pub files: Vec<(String, Vec<u8>)>,
    /// The date typst's `datetime.today()` and the PDF carry.
    pub date: chrono::NaiveDate,
    /// What the document is called in an error message (简报, 分区简报 …).
    pub what: &'a str,
}

impl Typesetter {
    pub fn new(fonts: &Fonts) -> Result<Typesetter, String> {
        let parsed: Vec<Font> = fonts
            .files
            .iter()
            .flat_map(|b| Font::iter(Bytes::new(*b)))
            .collect();
        if parsed.is_empty() {
            return Err("没有可用的字体".into());
        }
        Ok(Typesetter {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&parsed)),
            fonts: parsed,
            family: fonts.family(),
        })
    }

    /// Lays a document out into pages.
    pub fn layout(&self, doc: &Document) -> Result<PagedDocument, String> {
        let world = DocWorld::new(self, doc)?;
        let warned = typst::compile::<PagedDocument>(&world);
        warned.output.map_err(|errors| {
            let messages: Vec<String> = errors
                .iter()
                .filter(|d| d.severity == TypstSeverity::Error)
                .map(|d| {
                    let line = d
                        .span
                        .id()
                        .and_then(|id| world.source(id).ok())
                        .and_then(|s| s.lines().byte_to_line(world.range(d.span)?.start));
                    match line {
                        Some(l) => format!("第 {} 行：{}", l + 1, d.message),
                        None => d.message.to_string(),
                    }
                })
                .collect();
            format!("{}模板排版失败：{}", doc.what, messages.join("；"))
        })
    }

    /// Lays out and exports a PDF (`ident` keeps the file's identity fixed,
    /// so the same inputs give the same bytes).
    pub fn pdf(&self, doc: &Document, ident: String, creator: String) -> Result<Vec<u8>, String> {
        let document = self.layout(doc)?;
        let options = typst_pdf::PdfOptions {
            ident: Smart::Custom(ident),
            creator: Smart::Custom(Some(creator)),
            timestamp: Some(typst_pdf::Timestamp::new_utc(typst_date(doc.date)?)),
            ..Default::default()
        };
        typst_pdf::pdf(&document, &options).map_err(|errors| {
            let messages: Vec<String> = errors.iter().map(|d| d.message.to_string()).collect();
            format!("{}生成 PDF 失败：{}", doc.what, messages.join("；"))
        })
    }

    /// Lays out and renders the first page as a PNG, `width_px` pixels wide.
    pub fn png(&self, doc: &Document, width_px: f64) -> Result<Vec<u8>, String> {
        let document = self.layout(doc)?;
        let page = document
            .pages()
            .first()
            .ok_or_else(|| format!("{}没有页面", doc.what))?;
        let options = typst_render::RenderOptions {
            pixel_per_pt: typst::utils::Scalar::new(width_px / page.frame.width().to_pt()),
            render_bleed: false,
        };
        let pixmap = typst_render::render(page, &options);
        pixmap
            .encode_png()
            .map_err(|e| format!("{}生成 PNG 失败：{e}", doc.what))
    }
}

fn typst_date(d: chrono::NaiveDate) -> Result<Datetime, String> {
    use chrono::Datelike;
    Datetime::from_ymd_hms(d.year(), d.month() as u8, d.day() as u8, 0, 0, 0)
        .ok_or_else(|| format!("日期 {d} 无效"))
}

fn id(path: &str) -> Result<FileId, String> {
    let vpath = VirtualPath::new(path).map_err(|e| format!("{path}: {e:?}"))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// One document's world: the shared fonts, its template and files.
struct DocWorld<'a> {
    shared: &'a Typesetter,
    main: FileId,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

impl<'a> DocWorld<'a> {
    fn new(shared: &'a Typesetter, doc: &Document) -> Result<DocWorld<'a>, String> {
        let main = id("/main.typ")?;
        let mut files = HashMap::new();
        files.insert(main, Bytes::new(doc.template.as_bytes().to_vec()));
        for (path, bytes) in &doc.files {
            files.insert(id(path)?, Bytes::new(bytes.clone()));
        }
        Ok(DocWorld {
            shared,
            main,
            files,
            today: typst_date(doc.date)?,
        })
    }
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        let bytes = self.file(id)?;
        let text = std::str::from_utf8(bytes.as_slice()).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.to_string()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
