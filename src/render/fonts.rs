//! The fonts the charts and the PDF brief draw Chinese with: Noto Sans CJK SC
//! (SIL OFL, `assets/fonts/`), embedded in the binary so output looks the same
//! on every machine; `--font-dir` replaces them.

use std::path::Path;

use plotters::style::FontStyle;

use crate::error::{Error, Result};

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJKsc-Regular.otf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJKsc-Bold.otf");

/// Font files (whole files; a collection may hold several faces).
#[derive(Clone)]
pub struct Fonts {
    pub files: Vec<&'static [u8]>,
    regular: &'static [u8],
    bold: &'static [u8],
}

impl Fonts {
    pub fn embedded() -> Fonts {
        Fonts {
            files: vec![REGULAR, BOLD],
            regular: REGULAR,
            bold: BOLD,
        }
    }

    /// Every `.otf` `.ttf` `.ttc` `.otc` in `dir`. The charts use the file whose
    /// name says `Regular` (else the first) and the one that says `Bold`.
    pub fn from_dir(dir: &Path) -> Result<Fonts> {
        let read = |e| Error::Read {
            path: dir.to_path_buf(),
            source: e,
        };
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(read)?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| {
                p.extension().and_then(|x| x.to_str()).is_some_and(|x| {
                    matches!(
                        x.to_ascii_lowercase().as_str(),
                        "otf" | "ttf" | "ttc" | "otc"
                    )
                })
            })
            .collect();
        entries.sort();
        if entries.is_empty() {
            return Err(Error::Input(format!(
                "字体目录 {} 中没有字体文件（.otf/.ttf/.ttc）",
                dir.display()
            )));
        }
        let mut files = Vec::new();
        let (mut regular, mut bold) = (None, None);
        for path in &entries {
            let bytes = std::fs::read(path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?;
            // Fonts live for the whole run; the chart library wants 'static.
            let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if name.contains("bold") && bold.is_none() {
                bold = Some(bytes);
            } else if name.contains("regular") && regular.is_none() {
                regular = Some(bytes);
            }
            files.push(bytes);
        }
        let regular = regular.unwrap_or(files[0]);
        Ok(Fonts {
            regular,
            bold: bold.unwrap_or(regular),
            files,
        })
    }

    /// The family name of the regular face (e.g. `Noto Sans CJK SC`).
    pub fn family(&self) -> String {
        typst::text::Font::iter(typst::foundations::Bytes::new(self.regular))
            .next()
            .map(|f| f.info().family.clone())
            .unwrap_or_else(|| "Noto Sans CJK SC".into())
    }

    /// Makes the fonts the charts' `sans-serif`.
    pub fn register_for_charts(&self) -> std::result::Result<(), String> {
        for (style, bytes) in [
            (FontStyle::Normal, self.regular),
            (FontStyle::Bold, self.bold),
        ] {
            plotters::style::register_font("sans-serif", style, bytes)
                .map_err(|_| "图表字体无法加载（字体文件无效）".to_string())?;
        }
        Ok(())
    }
}
