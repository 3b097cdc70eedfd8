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
    named_within(sorted, n, 2 * n, value)
}

/// [`named`] with the whole tie at the cut-off named when that makes at
/// most `max`.
pub fn named_within<T>(sorted: &[T], n: usize, max: usize, value: impl Fn(&T) -> f64) -> usize {
    if sorted.len() <= n || n == 0 {
        return sorted.len().min(n);
    }
    let cut = value(&sorted[n - 1]);
    if value(&sorted[n]) != cut {
        return n;
    }
    let tie_end = sorted.iter().take_while(|x| value(x) >= cut).count();
    if tie_end <= max {
        tie_end
    } else {
        sorted.iter().take_while(|x| value(x) > cut).count()
    }
}

/// The most bars a chart of zones shows: beyond, it shows the first and
/// the last [`ENDS`] and the rest as one bar, so that at 61 zones every
/// label stays legible on A4 and on a slide (the charts' text is then at
/// least 6 pt in the brief, `src/render/charts.rs`).
pub const MAX_BARS: usize = 21;
/// How many of the first and of the last zones a cut chart names (a tie at
/// either cut-off named whole when that keeps within [`MAX_BARS`]).
pub const ENDS: usize = 8;

/// A long ranking as a chart shows it: the first `first` and the last
/// `last` entries named, the `rest` between them one bar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cut {
    pub first: usize,
    pub last: usize,
    pub rest: Option<Rest>,
}

/// The entries a chart shows as one bar: how many, the places they span
/// and their mean.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rest {
    pub count: usize,
    pub ranks: (usize, usize),
    pub mean: f64,
}

impl Rest {
    /// `其余41个高新区`.
    pub fn label_zh(&self) -> String {
        format!("其余{}个高新区", self.count)
    }

    /// `第11—51名`.
    pub fn ranks_zh(&self) -> String {
        format!("第{}—{}名", self.ranks.0, self.ranks.1)
    }
}

impl Cut {
    /// `values` highest first with their `ranks`: every entry when there
    /// are at most [`MAX_BARS`], else the first and last [`ENDS`], a tie at
    /// either cut-off whole or not at all ([`named_within`]), the rest as
    /// one bar.
    pub fn of(values: &[f64], ranks: &[usize]) -> Cut {
        let n = values.len();
        if n <= MAX_BARS {
            return Cut {
                first: n,
                last: 0,
                rest: None,
            };
        }
        let room = (MAX_BARS - 1) / 2;
        let first = named_within(values, ENDS, room, |v| *v);
        let lowest: Vec<f64> = values.iter().rev().map(|v| -v).collect();
        let last = named_within(&lowest, ENDS, room, |v| *v);
        let middle = first..n - last;
        let count = middle.len();
        Cut {
            first,
            last,
            rest: Some(Rest {
                count,
                ranks: (ranks[middle.start], ranks[middle.end - 1]),
                mean: values[middle].iter().sum::<f64>() / count as f64,
            }),
        }
    }

    /// Whether the chart names every entry.
    pub fn is_whole(&self) -> bool {
        self.rest.is_none()
    }

    /// The chart's note on what it shows, when it does not name every
    /// entry: `共61个高新区，列出前8名和后8名，其余45个以其平均值表示…`.
    pub fn note_zh(&self) -> Option<String> {
        let rest = self.rest.as_ref()?;
        Some(format!(
            "共{}个高新区，列出前{}名和后{}名，其余{}个以其平均值表示（数值相同者一并列出或一并归入其余）",
            self.first + rest.count + self.last,
            self.first,
            self.last,
            rest.count
        ))
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

    /// 61 values 61, 60 … 1 with the ranks they give.
    fn descending(n: usize) -> (Vec<f64>, Vec<usize>) {
        let values: Vec<f64> = (1..=n).rev().map(|v| v as f64).collect();
        let ranks = places(&values).iter().map(|p| p.rank).collect();
        (values, ranks)
    }

    #[test]
    fn a_short_ranking_is_shown_whole() {
        let (values, ranks) = descending(18);
        let cut = Cut::of(&values, &ranks);
        assert_eq!((cut.first, cut.last, cut.rest.clone()), (18, 0, None));
        assert!(cut.is_whole() && cut.note_zh().is_none());
        assert!(Cut::of(&descending(21).0, &descending(21).1).is_whole());
        assert!(!Cut::of(&descending(22).0, &descending(22).1).is_whole());
    }

    #[test]
    fn a_long_ranking_shows_its_ends_and_the_rest_as_their_mean() {
        let (values, ranks) = descending(61);
        let cut = Cut::of(&values, &ranks);
        assert_eq!((cut.first, cut.last), (8, 8));
        let rest = cut.rest.clone().unwrap();
        // 53 … 9: places 9 to 53, mean 31.
        assert_eq!((rest.count, rest.ranks, rest.mean), (45, (9, 53), 31.0));
        assert_eq!(rest.label_zh(), "其余45个高新区");
        assert_eq!(rest.ranks_zh(), "第9—53名");
        assert_eq!(
            cut.note_zh().unwrap(),
            "共61个高新区，列出前8名和后8名，其余45个以其平均值表示（数值相同者一并列出或一并归入其余）"
        );
    }

    #[test]
    fn a_tie_at_a_chart_cut_off_is_shown_whole_or_not_at_all() {
        // Places 8 and 9 tie at the top, and the last three tie at 0.
        let mut values: Vec<f64> = (1..=61).rev().map(|v| v as f64).collect();
        values[8] = values[7];
        for v in values.iter_mut().rev().take(3) {
            *v = 0.0;
        }
        let ranks: Vec<usize> = places(&values).iter().map(|p| p.rank).collect();
        let cut = Cut::of(&values, &ranks);
        assert_eq!(cut.first, 9, "the tie at the 8th place named whole");
        assert_eq!(cut.last, 8, "the tie at 0 lies inside the last eight");
        // Fifteen zones tie at the bottom: more than fit, so none of them.
        let mut values: Vec<f64> = (1..=61).rev().map(|v| v as f64).collect();
        for v in values.iter_mut().rev().take(15) {
            *v = 0.0;
        }
        let ranks: Vec<usize> = places(&values).iter().map(|p| p.rank).collect();
        let cut = Cut::of(&values, &ranks);
        assert_eq!(cut.last, 0);
        assert_eq!(cut.rest.unwrap().count, 53);
        assert!(cut.first < MAX_BARS);
    }
}
