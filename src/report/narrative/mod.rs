//! 文字综述: the brief's written analysis, generated from the report model
//! by rules (docs/brief.md §2), never typed by hand.
//!
//! Text is built from typed pieces: every number in it is a [`Figure`]
//! that names what it shows ([`FigureOf`]) and how it is printed
//! ([`Form`]), so a test can check each one against the model and find no
//! other digit in the text. Magnitudes are printed; signs are said in words
//! (增长 / 下降). The province text has four sections (总体情况, 主要进展,
//! 存在问题, 下一步工作建议); a city's or zone's page has one paragraph.

mod area;
mod line;
mod province;
mod targets;

use serde::Serialize;

pub use area::{city_paragraph, rank_of, zone_paragraph};
pub use province::narrative;

use crate::format::Scale;
use crate::model::ZoneCode;

/// The province brief's generated text.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Narrative {
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub heading: Heading,
    pub paragraphs: Vec<Paragraph>,
}

/// The four sections of a 工作简报's analysis, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Heading {
    Overall,
    Progress,
    Problems,
    NextSteps,
}

impl Heading {
    pub const ALL: [Heading; 4] = [
        Heading::Overall,
        Heading::Progress,
        Heading::Problems,
        Heading::NextSteps,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            Heading::Overall => "一、总体情况",
            Heading::Progress => "二、主要进展",
            Heading::Problems => "三、存在问题",
            Heading::NextSteps => "四、下一步工作建议",
        }
    }
}

/// One paragraph: text and figures in reading order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Paragraph {
    pub pieces: Vec<Piece>,
}

impl Paragraph {
    /// The paragraph as one string.
    pub fn text(&self) -> String {
        self.pieces.iter().map(Piece::text).collect()
    }

    pub fn figures(&self) -> impl Iterator<Item = &Figure> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Figure(f) => Some(f),
            Piece::Text(_) => None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Piece {
    Text(String),
    Figure(Figure),
}

impl Piece {
    pub fn text(&self) -> &str {
        match self {
            Piece::Text(t) => t,
            Piece::Figure(f) => &f.text,
        }
    }
}

/// A number in the text: what it shows, how it is printed, as printed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub text: String,
    pub of: FigureOf,
    pub form: Form,
}

/// Where in the report model a figure comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum FigureOf {
    /// The reported quarter (`2026年第三季度`).
    Period,
    /// 数据截至.
    AsOf,
    /// The date sent-back zones are asked to resend by (their feedback's
    /// 处理期限).
    ReplyBy,
    /// A count of the quarter's returns or zones.
    Count(CountOf),
    /// An indicator's measure at a level.
    Indicator {
        at: At,
        code: String,
        measure: Measure,
    },
    /// A zone's or city's share of the province 累计值 (0.25 = 25 %).
    Share { at: At, code: String },
    /// A zone's rank by an indicator among the zones with data.
    Rank { at: At, code: String },
    /// A field of a target's progress, by target id.
    Target { id: String, field: TargetField },
}

/// The level an indicator figure is measured at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum At {
    Province,
    City(String),
    Zone(ZoneCode),
}

/// Which measure of an indicator (the flows of `report::Flows`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Measure {
    /// 累计值 (a stock's level).
    Total,
    /// 本季新增 (a stock's change of level).
    ThisQuarter,
    /// 本季新增环比 (a ratio).
    QuarterOnQuarter,
    /// 本季新增同比 (a ratio).
    YearOnYear,
    /// The 环比 panel's flow this quarter (`Flows::qoq.now`).
    PanelThisQuarter,
    /// The 环比 panel's flow last quarter (`Flows::qoq.before`).
    PanelLastQuarter,
    /// The 同比 panel's flow this quarter (`Flows::yoy.now`).
    PanelThisQuarterYoy,
    /// The 同比 panel's flow a year earlier (`Flows::yoy.before`).
    PanelSameQuarterLastYear,
    /// How many zones the 环比 panel has (a count).
    PanelZones,
    /// How many zones the 同比 panel has (a count).
    PanelZonesYoy,
    /// What zones in their entry quarter brought (`Flows::entered`).
    Entered,
    /// How many zones entered this quarter (a count).
    EnteredZones,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CountOf {
    /// Registry zones.
    Zones,
    ZonesFresh,
    ZonesCarried,
    ZonesWithoutData,
    Files,
    ReturnsAccepted,
    ReturnsSentBack,
    /// Files replaced by a later file of the same zone (F02).
    ReturnsSuperseded,
    /// Files that could not be read or tied to a zone.
    FilesUnreadable,
    /// The registry zones of one cohort taking part (`Report::cohorts[i]`).
    CohortZones(usize),
    /// Zones whose quarter is in this state of docs/review-workflow.md
    /// (`SubmissionStatus::state`).
    ZonesInState(crate::report::QuarterState),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TargetField {
    Value,
    Goal,
    /// value / target (a ratio).
    Progress,
    /// The share of the time passed (a ratio).
    Elapsed,
    /// |elapsed − progress|, in 百分点.
    Gap,
    Projection,
    NeededPerQuarter,
    /// The quarters the pace is spread over (`pace_quarters`).
    PaceQuarters,
    /// The due date's year (`2027年`, a calendar figure).
    DueYear,
    /// The due quarter (`2027年第四季度`, a calendar figure).
    Due,
}

/// How a figure is printed; always its magnitude.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Form {
    /// In the measure's scale (万元 as 亿元 with its decimals); a count
    /// (a projection may not be whole) to the unit.
    Amount(Scale),
    /// A ratio as a percentage with this many decimals (`12.5%`).
    Percent(usize),
    /// A difference of two whole percentages in 百分点 (`37`): the
    /// difference of the two as printed, so the three figures add up.
    Points,
    /// A whole count (`18`).
    Count,
    /// A pace per quarter (`format::pace`): a count to a tenth (`8.6`,
    /// `75`), an amount in its scale.
    Pace(Scale),
    /// A date or a quarter, as Chinese text.
    Calendar,
}

impl Form {
    /// The printed magnitude of `value` (a ratio for Percent and Points).
    pub fn print(&self, value: f64) -> String {
        let v = value.abs();
        match self {
            Form::Amount(scale) => scale.rounded(v),
            Form::Percent(0) => crate::format::percent(v),
            Form::Percent(_) => crate::format::percent_fine(v),
            Form::Points => format!("{:.0}", crate::format::round_half_up(v * 100.0, 0)),
            Form::Count => crate::format::group_thousands(v.round()),
            Form::Pace(scale) => crate::format::pace(v, scale),
            Form::Calendar => String::new(),
        }
    }
}
