//! A component's values as shares in [0, 1] (docs/scorecard.md §2).

use crate::config::{Direction, Normalise};

/// How one component's values are normalised this quarter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Rule {
    pub method: Normalise,
    pub direction: Direction,
    pub cap: f64,
}

/// The reference figures of the zones scored, and the share of each value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Reference {
    rule: Rule,
    mean: f64,
    min: f64,
    max: f64,
    /// The values separate the zones (a mean above 0 for ratio_to_mean, a
    /// spread for min_max); otherwise every zone's share is 0.
    pub separates: bool,
}

impl Reference {
    /// The reference over the zones' values (`None`: the zone has none).
    pub(super) fn new(rule: Rule, values: &[Option<f64>]) -> Reference {
        let present: Vec<f64> = values.iter().flatten().copied().collect();
        let n = present.len() as f64;
        let mean = if present.is_empty() {
            0.0
        } else {
            present.iter().sum::<f64>() / n
        };
        let min = present.iter().copied().fold(f64::INFINITY, f64::min);
        let max = present.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let separates = match rule.method {
            Normalise::RatioToMean => mean > 0.0,
            Normalise::MinMax => !present.is_empty() && max > min,
        };
        Reference {
            rule,
            mean,
            min,
            max,
            separates,
        }
    }

    /// The share of a value: 0 to 1, 1 the best.
    pub(super) fn share(&self, value: f64) -> f64 {
        if !self.separates {
            return 0.0;
        }
        let cap = self.rule.cap;
        match (self.rule.method, self.rule.direction) {
            (Normalise::RatioToMean, Direction::Higher) => {
                (value / self.mean).clamp(0.0, cap) / cap
            }
            (Normalise::RatioToMean, Direction::Lower) => {
                (cap - (value / self.mean).clamp(0.0, cap)) / cap
            }
            (Normalise::MinMax, Direction::Higher) => (value - self.min) / (self.max - self.min),
            (Normalise::MinMax, Direction::Lower) => (self.max - value) / (self.max - self.min),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(method: Normalise, direction: Direction) -> Rule {
        Rule {
            method,
            direction,
            cap: 2.0,
        }
    }

    #[test]
    fn ratio_to_mean_is_capped_and_lower_is_mirrored() {
        // Mean of 1, 3 and 8 is 4.
        let values = [Some(1.0), Some(3.0), Some(8.0), None];
        let up = Reference::new(rule(Normalise::RatioToMean, Direction::Higher), &values);
        assert_eq!(up.share(1.0), 0.125);
        assert_eq!(up.share(4.0), 0.5);
        assert_eq!(up.share(8.0), 1.0);
        assert_eq!(up.share(12.0), 1.0, "capped at twice the mean");
        let down = Reference::new(rule(Normalise::RatioToMean, Direction::Lower), &values);
        assert_eq!(down.share(1.0), 0.875);
        assert_eq!(down.share(8.0), 0.0);
    }

    #[test]
    fn min_max_spans_the_values() {
        let values = [Some(2.0), Some(4.0), Some(10.0)];
        let up = Reference::new(rule(Normalise::MinMax, Direction::Higher), &values);
        assert_eq!(up.share(2.0), 0.0);
        assert_eq!(up.share(4.0), 0.25);
        assert_eq!(up.share(10.0), 1.0);
        let down = Reference::new(rule(Normalise::MinMax, Direction::Lower), &values);
        assert_eq!(down.share(4.0), 0.75);
    }

    #[test]
    fn values_that_do_not_separate_score_nothing() {
        let same = [Some(5.0), Some(5.0)];
        let r = Reference::new(rule(Normalise::MinMax, Direction::Higher), &same);
        assert!(!r.separates);
        assert_eq!(r.share(5.0), 0.0);
        let zeros = [Some(0.0), Some(0.0), None];
        let r = Reference::new(rule(Normalise::RatioToMean, Direction::Higher), &zeros);
        assert!(!r.separates);
        assert_eq!(r.share(0.0), 0.0);
    }
}
