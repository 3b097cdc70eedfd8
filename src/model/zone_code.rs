//! A registry zone's code (`WX`, `SZ` …): the key every stage files a zone
//! under, so a zone is never looked up by its name.

use std::borrow::Borrow;
use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ZoneCode(String);

impl ZoneCode {
    pub fn new(code: impl Into<String>) -> ZoneCode {
        ZoneCode(code.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ZoneCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads as the code's text (for messages and lookups); what it cannot be is
/// built from just any string by accident.
impl std::ops::Deref for ZoneCode {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// Maps keyed by code can be asked with a `&str`.
impl Borrow<str> for ZoneCode {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for ZoneCode {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for ZoneCode {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}
