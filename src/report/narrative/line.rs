//! Building sentences from text and figures, and the wording of a change.

use super::{Figure, FigureOf, Form, Paragraph, Piece};
use crate::config::Wording;

/// A paragraph being written.
#[derive(Default)]
pub(super) struct Line {
    pieces: Vec<Piece>,
}

impl Line {
    pub fn new() -> Line {
        Line::default()
    }

    pub fn text(&mut self, text: &str) -> &mut Line {
        if let Some(Piece::Text(last)) = self.pieces.last_mut() {
            last.push_str(text);
        } else if !text.is_empty() {
            self.pieces.push(Piece::Text(text.to_string()));
        }
        self
    }

    /// A number: `value`'s magnitude printed in `form`.
    pub fn figure(&mut self, of: FigureOf, form: Form, value: f64) -> &mut Line {
        let text = form.print(value);
        self.pieces.push(Piece::Figure(Figure { text, of, form }));
        self
    }

    /// A date or quarter, printed as given.
    pub fn calendar(&mut self, of: FigureOf, text: String) -> &mut Line {
        self.pieces.push(Piece::Figure(Figure {
            text,
            of,
            form: Form::Calendar,
        }));
        self
    }

    /// Names joined with 、 (no figures).
    pub fn names(&mut self, names: &[String]) -> &mut Line {
        self.text(&names.join("、"))
    }

    pub fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    pub fn finish(self) -> Paragraph {
        Paragraph {
            pieces: self.pieces,
        }
    }
}

/// How a growth ratio reads against the wording rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Trend {
    Surge,
    Rise,
    Flat,
    Fall,
}

pub(super) fn trend(ratio: f64, w: &Wording) -> Trend {
    if ratio.abs() <= w.flat {
        Trend::Flat
    } else if ratio > w.significant {
        Trend::Surge
    } else if ratio > 0.0 {
        Trend::Rise
    } else {
        Trend::Fall
    }
}

/// `，环比增长12.5%` / `，与上季度基本持平` …: a growth ratio in words.
/// `versus` is 环比 or 同比; `flat_against` what 持平 is against.
pub(super) fn growth(
    line: &mut Line,
    ratio: f64,
    of: FigureOf,
    versus: &str,
    flat_against: &str,
    w: &Wording,
) {
    let word = match trend(ratio, w) {
        Trend::Flat => {
            line.text(&format!("，与{flat_against}基本持平"));
            return;
        }
        Trend::Surge => "大幅增长",
        Trend::Rise => "增长",
        Trend::Fall => "下降",
    };
    line.text(&format!("，{versus}{word}"));
    line.figure(of, Form::Percent(1), ratio);
}

/// Small counts said as words (三个, 另有两项), so every Arabic digit in the
/// text is a checked figure.
pub(super) fn count_words(n: usize) -> String {
    const WORDS: [&str; 11] = [
        "零", "一", "两", "三", "四", "五", "六", "七", "八", "九", "十",
    ];
    WORDS
        .get(n)
        .map_or_else(|| "多".to_string(), |w| w.to_string())
}
