//! Stage 5, report: everything the outputs show, computed once from the
//! stages' results. Renderers (workbook, data files, charts, brief, feedback)
//! lay out this model and never compute a figure, so every output agrees
//! with every other. See docs/architecture.md.
//!
//! One file per part of the report, each with the types it fills and the
//! function that fills them.

mod attention;
mod change;
mod cities;
mod cohorts;
mod counts;
mod feedback;
mod findings;
mod five_ones;
mod flows;
mod headlines;
mod indicators;
pub mod narrative;
mod pages;
mod pairs;
pub mod rank;
mod registry_gaps;
mod review;
mod revisions;
mod scorecard;
mod sources;
mod submissions;
mod tallies;
mod trend;
mod universities;
mod zones;

use std::collections::BTreeMap;

use serde::Serialize;

pub use crate::aggregate::Fact;
pub use crate::model::{Basis, Tone, Verdict};
pub use crate::targets::{Scope, TargetProgress, TargetStatus, ValueBasis};
pub use attention::Attention;
pub use change::Change;
pub use cities::CityRow;
pub use cohorts::{CohortCount, Joining};
pub use counts::{Counts, Participation};
pub use feedback::{
    feedback_book, feedback_books, file_name, file_names, file_stem, Accepted, Conclusion,
    FeedbackBook, Reference, SET_ASIDE_STATUS,
};
pub use findings::{ExplanationStatus, ListedFinding};
pub use five_ones::FiveOnes;
pub use flows::{
    Comparison, Entered, FlowBasis, FlowMeasure, FlowRules, Flows, LeftOut, Level, NoRate, Panels,
};
pub use headlines::Headline;
pub use indicators::{DisplayUnit, IndicatorInfo, Role};
pub use narrative::Narrative;
pub use pages::{Area, AreaPage, AreaRow};
pub use pairs::PairRow;
pub use registry_gaps::{IdlePair, RegistryGaps, UnpairedZone};
pub use review::ReviewItem;
pub use revisions::{PublishedFact, PublishedFacts, Revision};
pub use scorecard::{Movement, ScoreComponent, Scorecard, ScoredZone, SubScore};
pub use sources::{sources, ConfigFile, Source};
pub use submissions::{
    counted_and_shown, status_and_reason, QuarterState, ReportingStatus, SubmissionStatus,
};
pub use tallies::Tally;
pub use trend::{Projection, TrendRow};
pub use universities::{UniversityRow, UnverifiedUniversity};
pub use zones::{RankedZone, Ranking, ZoneRow};

use crate::aggregate::Figures;
use crate::config::Config;
use crate::model::{Period, ZoneCode};
use crate::validate::PeriodCheck;

/// The whole quarter, computed.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub period: Period,
    /// 数据截至: the latest 填报日期 of the quarter's returns (or the deadline);
    /// dates the brief and the documents without reading the clock.
    pub as_of: chrono::NaiveDate,
    /// The quarter's 报送截止日.
    pub deadline: chrono::NaiveDate,
    /// The first day of the pilot (累计 counts from it).
    pub pilot_start: chrono::NaiveDate,
    /// The latest due date of the targets: projections run to it.
    pub horizon: Period,
    pub tool_version: String,
    /// Some figure comes from a sample workbook (示例数据).
    pub is_sample: bool,
    /// The run's parameters, as shown on 数据来源.
    pub settings: BTreeMap<String, String>,
    /// The indicator catalogue with each indicator's roles and display unit.
    pub indicators: Vec<IndicatorInfo>,
    /// Every indicator's province figure, in catalogue order.
    pub headlines: Vec<Headline>,
    /// Who the province's 环比 and 同比 leave out this quarter, and why.
    pub panels: Panels,
    /// The programme's stage at the quarter: how the outputs word it.
    pub stage: crate::config::Stage,
    /// The cohorts taking part by the quarter.
    pub cohorts: Vec<CohortCount>,
    /// Quarters in which zones joined after the programme's first.
    pub joinings: Vec<Joining>,
    pub participation: Participation,
    pub counts: Counts,
    pub targets: Vec<TargetProgress>,
    pub projections: Vec<Projection>,
    pub attention: Vec<Attention>,
    pub zones: Vec<ZoneRow>,
    /// The zones ranked by each indicator that orders zones (`rank`,
    /// `zone_chart`): the one order every table and chart uses.
    pub rankings: Vec<Ranking>,
    pub cities: Vec<CityRow>,
    /// 综合评价: the zones' composite index, scores, ranks and sub-scores.
    pub scorecard: Scorecard,
    pub universities: Vec<UniversityRow>,
    pub pairs: Vec<PairRow>,
    pub five_ones: Vec<FiveOnes>,
    pub trend: Vec<TrendRow>,
    pub projects_by_category: Vec<Tally>,
    pub projects_by_status: Vec<Tally>,
    pub platforms_by_type: Vec<Tally>,
    pub platforms_by_level: Vec<Tally>,
    pub submissions: Vec<SubmissionStatus>,
    pub findings: Vec<ListedFinding>,
    /// 核查优先清单: every accepted value of the quarter, scored, the
    /// highest first (docs/review.md).
    pub review: Vec<ReviewItem>,
    /// How many of them the outputs list (`review.toml [output] top`).
    pub review_shown: usize,
    /// 数据修订: figures of earlier quarters that differ from the latest
    /// earlier published report.
    pub revisions: Vec<Revision>,
    /// The published report they were compared with (`None`: none found).
    pub revisions_base: Option<Period>,
    /// 登记核对: what the registry lacks.
    pub registry_gaps: RegistryGaps,
    pub sources: Vec<Source>,
    pub config_files: Vec<ConfigFile>,
    pub facts: Vec<Fact>,
    /// What flows are measured and compared with (entry quarters, least bases).
    #[serde(skip)]
    pub flow_rules: FlowRules,
    /// The brief's masthead: title, issuer, 第 N 期.
    pub masthead: MastheadLine,
    /// 报送 / 抄送.
    pub distribution: crate::config::Distribution,
    /// 文字综述: the brief's (and 总览's) generated text.
    pub narrative: Narrative,
    /// A page for each city, then each zone (分市简报, 分区简报).
    #[serde(skip)]
    pub pages: Vec<AreaPage>,
    /// One feedback workbook per file with findings or corrected cells.
    #[serde(skip)]
    pub feedback: Vec<FeedbackBook>,
}

impl Report {
    /// The province figure of an indicator.
    pub fn headline(&self, code: &str) -> Option<&Headline> {
        self.headlines.iter().find(|h| h.code == code)
    }

    pub fn indicator(&self, code: &str) -> Option<&IndicatorInfo> {
        self.indicators.iter().find(|i| i.code == code)
    }

    /// The indicators with a role, in catalogue order.
    pub fn with_role(&self, role: Role) -> impl Iterator<Item = &IndicatorInfo> {
        self.indicators.iter().filter(move |i| i.has(role))
    }

    /// The indicator that orders the zones, if one does.
    pub fn rank_indicator(&self) -> Option<&IndicatorInfo> {
        self.with_role(Role::Rank).next()
    }

    /// The one-line statement of the projection method and of what 当前值
    /// and 已达成 mean, to print under every table of the targets
    /// (docs/return-form.md §8.4).
    pub fn targets_note(&self) -> String {
        crate::targets::targets_note(&self.targets)
    }

    /// The first of the 核查优先清单, as many as the outputs list.
    pub fn review_top(&self) -> &[ReviewItem] {
        &self.review[..self.review.len().min(self.review_shown)]
    }
}

/// What the report is computed from: the stages' results for the quarter.
pub struct Inputs<'a> {
    pub config: &'a Config,
    /// The reported quarter, checked (its files keep their cells).
    pub check: &'a PeriodCheck,
    pub figures: &'a Figures,
    pub targets: Vec<TargetProgress>,
    /// Every file of every quarter read, with its verdict.
    pub sources: Vec<Source>,
    pub settings: BTreeMap<String, String>,
    /// Earlier reports' fact tables as published (their `facts.csv`), for
    /// 数据修订; empty when none was found.
    pub published: Vec<PublishedFacts>,
}

/// Computes the report.
pub fn build(inputs: Inputs) -> Report {
    let wording = inputs.config.brief.wording.clone();
    let mut report = figures(inputs);
    // The text and the pages are written from the computed figures alone,
    // so every number they print is one the tables show.
    report.narrative = narrative::narrative(&report, &wording);
    report.pages = report.city_pages(&wording);
    report.pages.extend(report.zone_pages(&wording));
    report
}

/// The brief's masthead, resolved for the quarter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MastheadLine {
    pub title: String,
    pub issuer: String,
    /// 第 N 期.
    pub issue: u32,
}

/// Every figure and table of the report (all but the text and pages).
fn figures(inputs: Inputs) -> Report {
    let flow_rules = FlowRules::new(inputs.config);
    let q = Quarter::new(&inputs, &flow_rules);
    let m = &q.config.brief.masthead;
    let submissions = submissions::submissions(&q);
    let attention = attention::attention(&q, &submissions, &inputs.targets);
    let universities = universities::universities(&q);
    let participation = counts::participation(&q, &universities);
    let pairs = pairs::pairs(&q);
    let registry_gaps =
        registry_gaps::registry_gaps(&q, &pairs, &participation.unverified_universities);
    let zones = zones::zones(&q);
    let findings = findings::listed(q.config, q.check);
    let review = review::review(&q, &findings, &inputs.targets);
    let accepted = Accepted::from_figures(q.config, q.figures, q.period);
    let feedback = review::with_verify(
        q.config,
        feedback::feedback_books(q.config, q.check, &accepted),
        &review,
    );
    Report {
        period: q.period,
        as_of: as_of(&q),
        deadline: q.config.calendar.deadline(q.period),
        pilot_start: q.config.calendar.pilot_start,
        horizon: trend::horizon(q.config, q.period),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        is_sample: is_sample(&q),
        settings: inputs.settings.clone(),
        indicators: indicators::catalogue(q.config),
        headlines: headlines::headlines(&q),
        panels: flows::panels(&q),
        stage: q.config.calendar.stage_at(q.period).clone(),
        cohorts: cohorts::cohorts(&q),
        joinings: cohorts::joinings(&q),
        participation,
        counts: counts::counts(&q),
        projections: trend::projections(&q),
        attention,
        rankings: zones::rankings(&q, &zones),
        zones,
        cities: cities::cities(&q),
        scorecard: scorecard::scorecard(&q),
        universities,
        pairs,
        five_ones: five_ones::five_ones(&q),
        trend: trend::trend(&q),
        projects_by_category: tallies::projects_by_category(&q),
        projects_by_status: tallies::projects_by_status(&q),
        platforms_by_type: tallies::platforms_by_type(&q),
        platforms_by_level: tallies::platforms_by_level(&q),
        submissions,
        findings,
        review,
        review_shown: q.config.review.output.top,
        revisions: revisions::revisions(q.config, q.period, &q.figures.facts, &inputs.published),
        revisions_base: revisions::base(q.period, &inputs.published).map(|p| p.period),
        registry_gaps,
        config_files: sources::config_files(q.config),
        facts: q.figures.facts.clone(),
        flow_rules: q.flow_rules.clone(),
        masthead: MastheadLine {
            title: (q.config.calendar.stage_at(q.period).title.clone())
                .unwrap_or_else(|| m.title.clone()),
            issuer: m.issuer.clone(),
            issue: m.issue(q.period, q.config.calendar.first_period),
        },
        distribution: distribution(&q),
        narrative: Narrative::default(),
        pages: Vec::new(),
        feedback,
        targets: inputs.targets,
        sources: inputs.sources,
    }
}

/// 报送 / 抄送: the brief's, with the stage's own 抄送 when it has one.
fn distribution(q: &Quarter) -> crate::config::Distribution {
    let mut d = q.config.brief.distribution.clone();
    if let Some(copy) = &q.config.calendar.stage_at(q.period).copy {
        d.copy = copy.clone();
    }
    d
}

/// The quarter being reported, with the lookups every part needs.
pub(crate) struct Quarter<'a> {
    pub config: &'a Config,
    pub check: &'a PeriodCheck,
    pub figures: &'a Figures,
    pub period: Period,
    /// Last quarter, when it was aggregated.
    pub previous: Option<Period>,
    /// When the programme and each zone began, and the least bases.
    pub flow_rules: &'a FlowRules,
    /// The fact table by indicator, for the quarter's flows.
    facts: flows::FactIndex<'a>,
}

impl<'a> Quarter<'a> {
    fn new(inputs: &Inputs<'a>, flow_rules: &'a FlowRules) -> Quarter<'a> {
        let period = inputs.check.period;
        Quarter {
            flow_rules,
            config: inputs.config,
            check: inputs.check,
            figures: inputs.figures,
            period,
            previous: inputs.figures.periods().find(|p| *p == period.prev()),
            facts: flows::FactIndex::new(&inputs.figures.facts, flow_rules),
        }
    }

    /// The quarter's flows of one indicator at one level.
    pub fn flows(&self, level: Level, code: &str) -> Flows {
        self.facts.flows(self.period, level, code)
    }

    /// A figure this quarter beside last quarter's.
    pub fn change(&self, value: impl Fn(Period) -> f64) -> Change {
        Change {
            value: value(self.period),
            previous: self.previous.map(value),
        }
    }

    /// Where a zone's figures come from in a quarter.
    pub fn basis(&self, zone: &ZoneCode, p: Period) -> (Basis, Option<Period>) {
        self.figures.basis(p, zone)
    }

    /// A zone's registry name (its code if it has none).
    pub fn zone_name(&self, code: &str) -> String {
        self.config
            .registry
            .zone(code)
            .map_or(code.to_string(), |z| z.name.clone())
    }

    /// Indicator codes, in catalogue order.
    pub fn codes(&self) -> impl Iterator<Item = &'a str> {
        self.config.indicators.all.iter().map(|i| i.code.as_str())
    }
}

/// 数据截至: the latest 填报日期 after the quarter's end, or the deadline.
fn as_of(q: &Quarter) -> chrono::NaiveDate {
    data_as_of(q.config, q.check)
}

/// 数据截至 of a checked quarter (docs/return-form.md §7.3); also the date of
/// its feedback workbooks.
pub(crate) fn data_as_of(config: &Config, check: &PeriodCheck) -> chrono::NaiveDate {
    check
        .submissions
        .iter()
        .filter_map(|s| s.ret.as_ref())
        .filter_map(|r| r.fill_date())
        .filter(|d| *d > check.period.end())
        .max()
        .unwrap_or_else(|| config.calendar.deadline(check.period))
}

/// Some return read this quarter, or some figure used, is sample data.
fn is_sample(q: &Quarter) -> bool {
    q.check
        .submissions
        .iter()
        .filter_map(|s| s.ret.as_ref())
        .any(|r| r.is_sample)
        || q.figures.lists.used.values().any(|r| r.is_sample)
}
