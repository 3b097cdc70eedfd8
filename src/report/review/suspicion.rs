//! How unusual a value is: against the zone's own recent quarters, and
//! against the other zones' growth in the same quarter (Hidiroglou–
//! Berthelot bounds on the period-to-period ratios, scaled by size). Pure
//! functions of the numbers; docs/review.md gives the formulas.

use crate::config::{HbSettings, OwnSettings};

/// A count or 万元 figure is smoothed by one unit, so that a zero flow
/// (a cumulative copied from last quarter) has a finite distance.
const SMOOTHING: f64 = 1.0;

/// The zone's usual movement, from its own recent quarters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Own {
    /// Flow indicator: the median recent flow; stock: the median recent
    /// log-ratio of levels.
    pub usual: f64,
    /// Quarters the median rests on.
    pub quarters: usize,
    pub stock: bool,
    factor: f64,
}

impl Own {
    /// From the zone's recent measured flows (flow indicators) or
    /// log-ratios of its levels (stocks), latest first; `None` with fewer
    /// than `min_quarters` of them.
    pub fn new(recent: &[f64], stock: bool, s: &OwnSettings) -> Option<Own> {
        let used: Vec<f64> = recent.iter().take(s.quarters).copied().collect();
        if used.len() < s.min_quarters {
            return None;
        }
        Some(Own {
            usual: median(&used)?,
            quarters: used.len(),
            stock,
            factor: s.factor,
        })
    }

    /// The log-distance of this quarter's movement from the usual one, in
    /// units of ln(factor): 1 when the flow is `factor` times the usual.
    pub fn score(&self, previous: f64, now: f64) -> f64 {
        (self.log_move(previous, now) - self.log_usual()).abs() / self.factor.ln()
    }

    /// The value the zone's history expects this quarter.
    pub fn expected(&self, previous: f64) -> f64 {
        self.value_at(previous, self.log_usual())
    }

    /// The values scoring exactly 1 (the ends of the expected range).
    pub fn range(&self, previous: f64) -> (f64, f64) {
        let (u, f) = (self.log_usual(), self.factor.ln());
        (
            self.value_at(previous, u - f),
            self.value_at(previous, u + f),
        )
    }

    fn log_usual(&self) -> f64 {
        if self.stock {
            self.usual
        } else {
            (self.usual.max(0.0) + SMOOTHING).ln()
        }
    }

    fn log_move(&self, previous: f64, now: f64) -> f64 {
        if self.stock {
            log_ratio(previous, now)
        } else {
            ((now - previous).max(0.0) + SMOOTHING).ln()
        }
    }

    /// The value whose log-movement is `log`.
    fn value_at(&self, previous: f64, log: f64) -> f64 {
        if self.stock {
            ((previous.max(0.0) + SMOOTHING) * log.exp() - SMOOTHING).max(0.0)
        } else {
            previous + (log.exp() - SMOOTHING).max(0.0)
        }
    }
}

/// A stock's movement: the log-ratio of its smoothed levels.
pub(super) fn log_ratio(previous: f64, now: f64) -> f64 {
    ((now.max(0.0) + SMOOTHING) / (previous.max(0.0) + SMOOTHING)).ln()
}

/// The Hidiroglou–Berthelot bounds of one measure in one quarter.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Hb {
    /// The zones' median ratio now / previous.
    pub median_ratio: f64,
    median_effect: f64,
    /// Quartile distances below and above the median effect (at least A × |E_M|).
    spread_low: f64,
    spread_high: f64,
    width: f64,
    size_exponent: f64,
}

impl Hb {
    /// The bounds from every zone's (previous, now) with both above 0;
    /// `None` with fewer than `min_zones` of them.
    pub fn new(pairs: &[(f64, f64)], s: &HbSettings) -> Option<Hb> {
        let ratios: Vec<f64> = pairs
            .iter()
            .filter(|(p, n)| *p > 0.0 && *n > 0.0)
            .map(|(p, n)| n / p)
            .collect();
        if ratios.len() < s.min_zones {
            return None;
        }
        let median_ratio = median(&ratios)?;
        let mut hb = Hb {
            median_ratio,
            median_effect: 0.0,
            spread_low: 0.0,
            spread_high: 0.0,
            width: s.width,
            size_exponent: s.size_exponent,
        };
        let mut effects: Vec<f64> = pairs
            .iter()
            .filter(|(p, n)| *p > 0.0 && *n > 0.0)
            .map(|(p, n)| hb.effect(*p, *n))
            .collect();
        effects.sort_by(f64::total_cmp);
        let (q1, m, q3) = (
            quantile(&effects, 0.25),
            quantile(&effects, 0.5),
            quantile(&effects, 0.75),
        );
        // A × |E_M| is the classic floor; E_M is near 0 by construction, so
        // when most zones grow alike (quartile distance 0) the floor is also
        // the effect of a ratio A away from the median at the median size.
        let sizes: Vec<f64> = pairs
            .iter()
            .filter(|(p, n)| *p > 0.0 && *n > 0.0)
            .map(|(p, n)| p.max(*n).powf(s.size_exponent))
            .collect();
        let least = s.min_spread * m.abs().max(median(&sizes).unwrap_or(1.0));
        hb.median_effect = m;
        hb.spread_low = (m - q1).max(least).max(f64::MIN_POSITIVE);
        hb.spread_high = (q3 - m).max(least).max(f64::MIN_POSITIVE);
        Some(hb)
    }

    /// E = s × max(previous, now)^U, with s the centred ratio.
    fn effect(&self, previous: f64, now: f64) -> f64 {
        let r = now.max(f64::MIN_POSITIVE) / previous;
        let centred = if r < self.median_ratio {
            1.0 - self.median_ratio / r
        } else {
            r / self.median_ratio - 1.0
        };
        centred * previous.max(now).powf(self.size_exponent)
    }

    /// How far the effect lies from the median, in bound widths (C quartile
    /// distances): above 1 outside the bounds. 0 when `previous` is not above 0.
    pub fn score(&self, previous: f64, now: f64) -> f64 {
        if previous <= 0.0 {
            return 0.0;
        }
        let e = self.effect(previous, now) - self.median_effect;
        let spread = if e < 0.0 {
            self.spread_low
        } else {
            self.spread_high
        };
        e.abs() / (self.width * spread)
    }

    /// The values of `now` at the bounds, for this zone's `previous`: the
    /// effect grows with `now`, so each end is found by bisection.
    pub fn range(&self, previous: f64) -> Option<(f64, f64)> {
        if previous <= 0.0 {
            return None;
        }
        let low = self.median_effect - self.width * self.spread_low;
        let high = self.median_effect + self.width * self.spread_high;
        Some((self.solve(previous, low), self.solve(previous, high)))
    }

    /// The `now` whose effect is `target` (on a log scale of now / previous).
    fn solve(&self, previous: f64, target: f64) -> f64 {
        let (mut lo, mut hi) = (-30.0_f64, 30.0_f64);
        for _ in 0..80 {
            let mid = (lo + hi) / 2.0;
            if self.effect(previous, previous * mid.exp()) < target {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        previous * ((lo + hi) / 2.0).exp()
    }
}

/// The median (mean of the middle two for an even count); `None` when empty.
pub(super) fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    Some(quantile(&v, 0.5))
}

/// The `p` quantile of sorted values, interpolated between neighbours.
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let at = p * (sorted.len() - 1) as f64;
    let (i, frac) = (at.floor() as usize, at.fract());
    let next = sorted.get(i + 1).copied().unwrap_or(sorted[i]);
    sorted[i] + frac * (next - sorted[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flow_three_times_the_usual_scores_one() {
        let own = Own::new(&[99.0, 99.0, 99.0], false, &OwnSettings::default()).unwrap();
        assert!((own.score(1000.0, 1000.0 + 299.0) - 1.0).abs() < 1e-9);
        assert!((own.score(1000.0, 1_032.333_333_333) - 1.0).abs() < 1e-6);
        assert_eq!(own.expected(1000.0), 1099.0);
        let (lo, hi) = own.range(1000.0);
        assert!((lo - 1_032.333_333).abs() < 1e-3 && (hi - 1299.0).abs() < 1e-9);
        // A cumulative copied from last quarter: flow 0 against a usual 99.
        assert!((own.score(1000.0, 1000.0) - 100f64.ln() / 3f64.ln()).abs() < 1e-9);
    }

    #[test]
    fn hb_flags_the_zone_that_grew_tenfold_and_its_range_holds_the_others() {
        let pairs: Vec<(f64, f64)> = [100.0, 200.0, 400.0, 800.0, 1600.0, 150.0]
            .iter()
            .map(|p| (*p, p * 1.1))
            .chain([(300.0, 300.0 * 1.2), (500.0, 5000.0)])
            .collect();
        let hb = Hb::new(&pairs, &HbSettings::default()).unwrap();
        assert!((hb.median_ratio - 1.1).abs() < 1e-9);
        assert!(hb.score(500.0, 5000.0) > 1.0);
        assert!(hb.score(300.0, 330.0) < 1.0);
        let (lo, hi) = hb.range(500.0).unwrap();
        assert!(lo < 550.0 && 550.0 < hi && hi < 5000.0, "{lo} {hi}");
        assert!((hb.score(500.0, hi) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn one_measured_flow_is_no_history() {
        let s = OwnSettings::default();
        assert!(Own::new(&[14.0], false, &s).is_none());
        assert_eq!(Own::new(&[14.0, 16.0], false, &s).unwrap().usual, 15.0);
        // At most `quarters` recent flows, latest first.
        let own = Own::new(&[1.0, 2.0, 3.0, 4.0, 100.0], false, &s).unwrap();
        assert_eq!((own.usual, own.quarters), (2.5, 4));
    }

    #[test]
    fn too_few_zones_give_no_bounds() {
        assert!(Hb::new(
            &[(1.0, 2.0), (2.0, 3.0), (3.0, 4.0)],
            &HbSettings::default()
        )
        .is_none());
        assert_eq!(median(&[3.0, 1.0, 2.0, 10.0]), Some(2.5));
    }
}
