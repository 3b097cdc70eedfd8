//! Cell positions, values located in their cells, and changed cells.

use std::sync::Arc;

/// A zero-based cell position within a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellPos {
    pub row: u32,
    pub col: u32,
}

impl CellPos {
    pub fn new(row: u32, col: u32) -> CellPos {
        CellPos { row, col }
    }

    /// The A1 form, e.g. `E7`.
    pub fn a1(self) -> String {
        format!("{}{}", column_letters(self.col), self.row + 1)
    }

    /// Parses `E7` (or `$E$7`) into a position.
    pub fn parse_a1(text: &str) -> Option<CellPos> {
        let mut col: u32 = 0;
        let mut row: u32 = 0;
        let (mut letters, mut digits) = (0, 0);
        for &b in text.as_bytes() {
            match b {
                b'$' => {}
                b'A'..=b'Z' | b'a'..=b'z' if digits == 0 => {
                    letters += 1;
                    if letters > 3 {
                        return None;
                    }
                    col = col * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1);
                }
                b'0'..=b'9' if letters > 0 => {
                    digits += 1;
                    row = row.checked_mul(10)?.checked_add(u32::from(b - b'0'))?;
                }
                _ => return None,
            }
        }
        (digits > 0 && row >= 1).then(|| CellPos::new(row - 1, col - 1))
    }
}

/// `0 -> A`, `25 -> Z`, `26 -> AA`.
pub fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// A cell that differs between a superseded file and the one that replaced it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CellChange {
    pub sheet: String,
    pub cell: String,
    /// As shown in the superseded file ("" when empty).
    pub old: String,
    /// As shown in the winning file ("" when empty).
    pub new: String,
}

/// A value with the cell it was read from (the sheet's name is shared by
/// all the values read from it).
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub sheet: Arc<str>,
    pub cell: CellPos,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_round_trip() {
        for (pos, a1) in [
            (CellPos::new(0, 0), "A1"),
            (CellPos::new(6, 4), "E7"),
            (CellPos::new(0, 26), "AA1"),
            (CellPos::new(1_048_575, 16_383), "XFD1048576"),
        ] {
            assert_eq!(pos.a1(), a1);
            assert_eq!(CellPos::parse_a1(a1), Some(pos));
        }
        assert_eq!(CellPos::parse_a1("$E$7"), Some(CellPos::new(6, 4)));
        assert_eq!(CellPos::parse_a1("A0"), None);
    }
}
