//! Building sentences from text and figures, and the wording of a change.

use super::{Figure, FigureOf, Form, Measure, Paragraph, Piece};
use crate::config::Wording;
use crate::report::{Comparison, FlowMeasure, Flows, IndicatorInfo, NoRate};

/// A paragraph being written.
#[derive(Default)]
pub(super) struct Line {
    pieces: Vec<Piece>,
    /// The panels whose zones the paragraph has named (环比, 同比), so
    /// the next rate on the same panel says only 同口径.
    panels_said: Vec<(bool, usize)>,
    /// The panel flow the indicator's last comparison said, so that 同比
    /// does not repeat 环比's `同口径本季新增6个`.
    panel_flow_said: Option<f64>,
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

/// How a flow compares with an earlier quarter's, on the like-with-like
/// panel (docs/brief.md §2.3):
/// `，按两季均有本期数据的17个高新区可比口径，环比增长9.3%`;
/// `，与上季度基本持平`; below the least base both numbers,
/// `，上季度新增3个`; nothing without a comparison (no panel, or the
/// launch quarter). `rate` is 环比 or 同比; `of` names a measure of the
/// indicator at the level.
pub(super) fn compared(
    line: &mut Line,
    flows: &Flows,
    rate: FlowMeasure,
    info: &IndicatorInfo,
    of: &dyn Fn(Measure) -> FigureOf,
    w: &Wording,
) {
    let yoy = rate == FlowMeasure::YearOnYear;
    if !yoy {
        // 环比 comes first for each indicator: nothing said of its panel yet.
        line.panel_flow_said = None;
    }
    let Some(c) = flows.comparison(rate).copied() else {
        return;
    };
    if matches!(c.missing, Some(NoRate::LaunchQuarter | NoRate::NoPanel)) {
        return;
    }
    let (versus, earlier) = if yoy {
        ("同比", "上年同季")
    } else {
        ("环比", "上季度")
    };
    let (zones_m, now_m, before_m) = if yoy {
        (
            Measure::PanelZonesYoy,
            Measure::PanelThisQuarterYoy,
            Measure::PanelSameQuarterLastYear,
        )
    } else {
        (
            Measure::PanelZones,
            Measure::PanelThisQuarter,
            Measure::PanelLastQuarter,
        )
    };
    let scale = info.scale();
    let partial = flows.panel_is_partial(&c);
    // What opens the next clause: `，` or, on a panel already named, `，同口径`.
    let mut lead = "，";
    if partial && line.panels_said.contains(&(yoy, c.zones)) {
        lead = "，同口径";
    } else if partial {
        line.text(if yoy {
            "，按两年同季均有本期数据的"
        } else {
            "，按两季均有本期数据的"
        });
        line.figure(of(zones_m), Form::Count, c.zones as f64);
        line.text("个高新区可比口径");
        line.panels_said.push((yoy, c.zones));
    }
    // The panel's own flow, when it is not the one just said (the
    // quarter's, or the same figure on the other comparison's panel).
    if yoy && line.panel_flow_said == Some(c.now) {
        lead = if lead == "，同口径" { "，" } else { lead };
    } else if Some(c.now) != flows.this_quarter {
        line.text(&format!("{lead}本季新增"));
        line.figure(of(now_m), Form::Amount(scale.clone()), c.now);
        line.text(&scale.unit);
        lead = "，";
    }
    line.panel_flow_said = (!yoy).then_some(c.now);
    if c.small_base() && c.before == 0.0 {
        let also = if c.now == 0.0 { "亦" } else { "" };
        line.text(&format!("{lead}{earlier}{also}无新增"));
        return;
    }
    if c.small_base() {
        line.text(&format!("{lead}{earlier}新增"));
        line.figure(of(before_m), Form::Amount(scale.clone()), c.before);
        line.text(&scale.unit);
        return;
    }
    if let Some(ratio) = c.rate {
        growth(
            line,
            lead,
            ratio,
            of(rate_measure(rate)),
            (versus, earlier),
            w,
        );
    }
}

fn rate_measure(rate: FlowMeasure) -> Measure {
    if rate == FlowMeasure::YearOnYear {
        Measure::YearOnYear
    } else {
        Measure::QuarterOnQuarter
    }
}

/// The comparison is made on a panel whose earlier quarter is the launch.
pub(super) fn against_launch(c: &Comparison) -> bool {
    c.missing == Some(NoRate::LaunchQuarter)
}

/// `，环比增长12.5%` / `，与上季度基本持平` …: a growth ratio in words,
/// after `lead` (`，` or `，同口径`). `versus` is 环比 or 同比, with what 持平
/// is against.
pub(super) fn growth(
    line: &mut Line,
    lead: &str,
    ratio: f64,
    of: FigureOf,
    (versus, flat_against): (&str, &str),
    w: &Wording,
) {
    let word = match trend(ratio, w) {
        Trend::Flat => {
            line.text(&format!("{lead}与{flat_against}基本持平"));
            return;
        }
        Trend::Surge => "大幅增长",
        Trend::Rise => "增长",
        Trend::Fall => "下降",
    };
    line.text(&format!("{lead}{versus}{word}"));
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
