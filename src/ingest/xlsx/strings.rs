//! The shared-string table: every `<si>`'s text (rich-text runs joined,
//! phonetic guides left out), kept in one buffer.

use quick_xml::events::Event;

use super::text::{append_t, reader};
use crate::ingest::open::corrupt;

#[derive(Debug, Default)]
pub(super) struct SharedStrings {
    text: String,
    /// Where each string ends in `text`.
    ends: Vec<usize>,
}

impl SharedStrings {
    pub fn parse(xml: &[u8]) -> Result<SharedStrings, String> {
        let mut out = SharedStrings::default();
        let mut xml = reader(xml);
        let mut phonetic = false;
        let mut open = false;
        loop {
            match xml.read_event().map_err(|e| corrupt(&e))? {
                Event::Start(e) => match e.local_name().as_ref() {
                    b"si" => open = true,
                    b"rPh" => phonetic = true,
                    b"t" if open && !phonetic => append_t(&mut xml, &e, &mut out.text)?,
                    _ => {}
                },
                Event::Empty(e) if e.local_name().as_ref() == b"si" => {
                    out.ends.push(out.text.len())
                }
                Event::End(e) => match e.local_name().as_ref() {
                    b"si" => {
                        open = false;
                        out.ends.push(out.text.len());
                    }
                    b"rPh" => phonetic = false,
                    _ => {}
                },
                Event::Eof => return Ok(out),
                _ => {}
            }
        }
    }

    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = index.checked_sub(1).map_or(0, |i| self.ends[i]);
        self.text.get(start..end)
    }
}
