//! The shared-string table: every `<si>`'s text (rich-text runs joined,
//! phonetic guides left out), kept in one buffer.

use std::sync::Arc;

use super::scan::{attributes, decode_text, Scanner, Tag};
use super::text::string_value;
use crate::ingest::open::corrupt;

#[derive(Debug, Default)]
pub(super) struct SharedStrings {
    text: String,
    /// Where each string ends in `text`.
    ends: Vec<usize>,
    /// Each string once made shareable (cells take a reference to it).
    shared: Vec<Option<Arc<str>>>,
}

impl SharedStrings {
    pub fn parse(xml: &[u8]) -> Result<SharedStrings, String> {
        let mut out = SharedStrings::default();
        let mut xml = Scanner::new(xml);
        let mut phonetic = false;
        let mut open = false;
        while let Some(tag) = xml.next_tag().map_err(|e| corrupt(&e))? {
            match tag {
                Tag::Open {
                    local: b"si",
                    empty,
                    ..
                } => {
                    open = !empty;
                    if empty {
                        out.ends.push(out.text.len());
                    }
                }
                Tag::Open {
                    local: b"rPh",
                    empty: false,
                    ..
                } => phonetic = true,
                Tag::Open {
                    local: b"t",
                    attrs,
                    empty: false,
                } if open && !phonetic => {
                    let preserve =
                        attributes(attrs).any(|(k, v)| k == b"space" && v == b"preserve");
                    let raw = xml.text_until(b"t").map_err(|e| corrupt(&e))?;
                    let text = decode_text(raw).map_err(|e| corrupt(&e))?;
                    out.text.push_str(&string_value(&text, preserve));
                }
                Tag::Close { local: b"si" } => {
                    open = false;
                    out.ends.push(out.text.len());
                }
                Tag::Close { local: b"rPh" } => phonetic = false,
                _ => {}
            }
        }
        Ok(out)
    }

    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = index.checked_sub(1).map_or(0, |i| self.ends[i]);
        self.text.get(start..end)
    }

    /// The string at `index`, shared with every cell that holds it.
    pub fn shared(&mut self, index: usize) -> Option<Arc<str>> {
        if self.shared.len() < self.ends.len() {
            self.shared.resize(self.ends.len(), None);
        }
        if let Some(s) = self.shared.get(index)?.as_ref() {
            return Some(Arc::clone(s));
        }
        let s: Arc<str> = self.get(index)?.into();
        self.shared[index] = Some(Arc::clone(&s));
        Some(s)
    }
}
