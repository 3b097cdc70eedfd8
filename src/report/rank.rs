//! Places in a ranking, and where a list of the first few may stop: equal
//! values share a place (1, 2, 2, 4), which the outputs say (并列第2位),
//! and a list never names some of the zones tied at its cut-off but not
//! the others (docs/brief.md §2.3).

use serde::Serialize;

/// A place in a ranking: 1 = first; `tied` when another shares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Place {
    pub rank: usize,
    pub tied: bool,
}

impl Place {
    /// `第2位` / `并列第2位`.
    pub fn label_zh(&self) -> String {
        format!("{}第{}位", self.tied_zh(), self.rank)
    }

    /// `并列` when tied, else nothing: the word before a place.
    pub fn tied_zh(&self) -> &'static str {
        if self.tied {
            "并列"
        } else {
            ""
        }
    }

    /// `2 / 18` or `并列2 / 18`, for a table cell.
    pub fn of_zh(&self, ranked: usize) -> String {
        format!("{}{} / {ranked}", self.tied_zh(), self.rank)
    }
}

/// The place of each value, highest first; equal values share a place.
pub fn places(values: &[f64]) -> Vec<Place> {
    values
        .iter()
        .map(|v| Place {
            rank: 1 + values.iter().filter(|x| *x > v).count(),
            tied: values.iter().filter(|x| *x == v).count() > 1,
        })
        .collect()
}

/// How many of `sorted` (highest first, by `value`) a list of about `n`
/// names: `n`, unless the value at the cut-off is shared with the next
/// ones; then the whole tie is named when that makes at most `2 × n`, else
/// none of it. 0 when even the first value is shared by more than `2 × n`.
pub fn named<T>(sorted: &[T], n: usize, value: impl Fn(&T) -> f64) -> usize {
    if sorted.len() <= n || n == 0 {
        return sorted.len().min(n);
    }
    let cut = value(&sorted[n - 1]);
    if value(&sorted[n]) != cut {
        return n;
    }
    let tie_end = sorted.iter().take_while(|x| value(x) >= cut).count();
    if tie_end <= 2 * n {
        tie_end
    } else {
        sorted.iter().take_while(|x| value(x) > cut).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_share_a_place_and_say_so() {
        let p = places(&[7.0, 5.0, 5.0, 5.0, 5.0, 3.0]);
        assert_eq!(
            p[0],
            Place {
                rank: 1,
                tied: false
            }
        );
        assert_eq!(
            p[1],
            Place {
                rank: 2,
                tied: true
            }
        );
        assert_eq!(p[4].label_zh(), "并列第2位");
        assert_eq!(p[5].label_zh(), "第6位");
        assert_eq!(p[2].of_zh(18), "并列2 / 18");
    }

    #[test]
    fn a_tie_at_the_cut_off_is_named_whole_or_not_at_all() {
        let v = |x: &f64| *x;
        // 7, 5, 5, 5: the third place is shared with the fourth → all four.
        assert_eq!(named(&[7.0, 5.0, 5.0, 5.0, 2.0], 3, v), 4);
        assert_eq!(named(&[7.0, 6.0, 5.0, 4.0], 3, v), 3);
        // Seven zones share the cut-off: more than 2 × 3, so only the one above.
        assert_eq!(named(&[9.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], 3, v), 1);
        assert_eq!(named(&[1.0; 8], 3, v), 0);
        assert_eq!(named(&[4.0, 3.0], 3, v), 2);
    }
}
