//! Charts for slides, chat and the PDF brief. plotters draws each chart as
//! SVG (for the PDF); resvg rasterises that SVG into the PNG (1600 × 900, for
//! slides and chat) with the embedded Chinese font and proper text shaping,
//! so every machine draws the same pixels.

use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordusize};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use super::fonts::Fonts;
use super::palette::{self, rgb};
use crate::format::{group_thousands, Scale};
use crate::model::{Period, Tone};
use crate::report::rank::Cut;
use crate::report::{
    Basis, Projection, RankedZone, Report, Role, Scope, ScoredZone, TargetProgress,
};

pub const WIDTH: u32 = 1600;
pub const HEIGHT: u32 = 900;

/// The family the charts' font is registered under; SVG text names it, and
/// the PDF brief draws that text with the same embedded font.
const FAMILY: &str = "sans-serif";

const INK: RGBColor = rgb(palette::INK);
const MUTED: RGBColor = rgb(palette::MUTED);
const GRID: RGBColor = rgb(palette::GRID);

/// What a chart shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Each province target's progress against time.
    Targets,
    /// The `trend` indicators by quarter with their projections.
    Trend,
    /// The zones ranked by one indicator (the n-th zone chart).
    Zones { code: String, series: usize },
    /// Projects by 项目类别 and platforms by 平台类型.
    Composition,
    /// The zones by composite score (综合评价), as ranked.
    Scorecard,
}

impl Kind {
    /// The chart goes into the PDF brief (every chart is written as a file).
    /// The composition chart stays in the workbook and the scorecard is a
    /// table of the top and bottom zones there, so the brief keeps to four
    /// pages.
    pub fn in_brief(&self) -> bool {
        !matches!(self, Kind::Composition | Kind::Scorecard)
    }
}

/// A chart to draw: its file stem, title and content.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub stem: String,
    pub title: String,
    pub kind: Kind,
}

/// The charts, in the order the brief shows them: targets, trend, one per
/// `zone_chart` indicator, composition, then the scorecard (which the brief
/// leaves out, see [`Kind::in_brief`]); numbered 图1, 图2 …
pub fn plan(report: &Report) -> Vec<Planned> {
    let mut charts = vec![
        (
            "目标进度".to_string(),
            format!("全省{}年目标完成进度", report.horizon.year),
            Kind::Targets,
        ),
        (
            "季度趋势".to_string(),
            format!("主要指标季度趋势及至{}年底预测", report.horizon.year),
            Kind::Trend,
        ),
    ];
    for (series, i) in report.with_role(Role::ZoneChart).enumerate() {
        let short = i.short_name.clone().unwrap_or_else(|| i.code.clone());
        charts.push((
            format!("分区{short}"),
            format!("各高新区{}", i.label_with_unit()),
            Kind::Zones {
                code: i.code.clone(),
                series,
            },
        ));
    }
    charts.push((
        "项目与平台构成".to_string(),
        "项目类别与平台类型".to_string(),
        Kind::Composition,
    ));
    if report.scorecard.zones.iter().any(|z| z.score.is_some()) {
        charts.push((
            "综合评价".to_string(),
            "各高新区综合评价得分".to_string(),
            Kind::Scorecard,
        ));
    }
    charts
        .into_iter()
        .enumerate()
        .map(|(n, (stem, title, kind))| Planned {
            stem: format!("图{}_{stem}", n + 1),
            title,
            kind,
        })
        .collect()
}

/// A chart drawn both ways.
#[derive(Clone)]
pub struct Drawn {
    pub stem: String,
    pub title: String,
    pub kind: Kind,
    pub png: Vec<u8>,
    pub svg: String,
}

type Drawing = Result<(), String>;

/// Draws every chart of the report (each on its own thread).
pub fn draw_all(report: &Report, fonts: &Fonts) -> Result<Vec<Drawn>, String> {
    use rayon::prelude::*;
    fonts.register_for_charts()?;
    let raster = raster_options(fonts);
    plan(report)
        .into_par_iter()
        .map(|chart| {
            let mut svg = String::new();
            {
                let area = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
                frame(&area, report, &chart)?;
            }
            Ok(Drawn {
                stem: chart.stem,
                title: chart.title,
                kind: chart.kind,
                png: rasterise(&svg, &raster)?,
                svg,
            })
        })
        .collect()
}

/// SVG parsing options whose only fonts are ours, standing in for `sans-serif`.
fn raster_options(fonts: &Fonts) -> resvg::usvg::Options<'static> {
    let mut options = resvg::usvg::Options::default();
    let family = fonts.family();
    let db = options.fontdb_mut();
    for file in &fonts.files {
        db.load_font_source(resvg::usvg::fontdb::Source::Binary(std::sync::Arc::new(
            *file,
        )));
    }
    db.set_sans_serif_family(family.clone());
    options.font_family = family;
    options
}

fn rasterise(svg: &str, options: &resvg::usvg::Options) -> Result<Vec<u8>, String> {
    let tree =
        resvg::usvg::Tree::from_str(svg, options).map_err(|e| format!("图表 SVG 无效：{e}"))?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("图表尺寸无效")?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    encode_png(&pixmap).map_err(|e| format!("PNG 编码失败：{e}"))
}

/// A chart on its white background is opaque: written as RGB with the png
/// crate's fast compression (several times faster than tiny-skia's default,
/// a little larger).
fn encode_png(pixmap: &resvg::tiny_skia::Pixmap) -> Result<Vec<u8>, String> {
    let rgba = pixmap.data();
    if rgba.chunks_exact(4).any(|p| p[3] != 255) {
        return pixmap.encode_png().map_err(|e| e.to_string());
    }
    let rgb: Vec<u8> = rgba
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Balanced);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(&rgb).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// Title, the 示例数据 mark, then the chart itself.
fn frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &Report,
    chart: &Planned,
) -> Drawing {
    area.fill(&WHITE).map_err(err)?;
    let (head, body) = area.split_vertically(96);
    head.draw_text(
        &chart.title,
        &(FAMILY, 46, FontStyle::Bold).into_font().color(&INK),
        (48, 30),
    )
    .map_err(err)?;
    let subtitle = format!(
        "{}{}",
        report.period.label_zh(),
        if report.is_sample {
            " · 示例数据"
        } else {
            ""
        }
    );
    head.draw_text(
        &subtitle,
        &(FAMILY, MIN_TEXT_PX).into_font().color(&MUTED),
        (WIDTH as i32 - 560, 44),
    )
    .map_err(err)?;
    let body = body.margin(8, 24, 24, 40);
    match &chart.kind {
        Kind::Targets => targets(report, &body)?,
        Kind::Trend => trend(report, &body)?,
        Kind::Zones { code, series } => zones(report, &body, code, *series)?,
        Kind::Composition => composition(report, &body)?,
        Kind::Scorecard => scorecard(report, &body)?,
    }
    area.present().map_err(err)
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("绘制图表失败：{e:?}")
}

fn label(size: u32) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&INK)
}

/// Each province target's progress, and a marker where its projection to
/// the due date stands against the target: the measure its status follows
/// from (a milestone has none; it is judged at its date).
fn targets<DB: DrawingBackend>(report: &Report, area: &DrawingArea<DB, Shift>) -> Drawing {
    let rows: Vec<&TargetProgress> = report
        .targets
        .iter()
        .filter(|t| t.scope == Scope::Province)
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    let n = rows.len();
    // Bars and markers run to at most 200 %; a longer one is drawn broken,
    // so every bar and its label stay inside the chart. Room right of the
    // bars for labels.
    let cap = rows
        .iter()
        .flat_map(|t| [Some(t.progress), t.projected_share()])
        .flatten()
        .fold(1.0_f64, f64::max)
        .min(2.0);
    let max = cap * 1.75;
    let mut chart = ChartBuilder::on(area)
        .x_label_area_size(60)
        .y_label_area_size(420)
        .build_cartesian_2d(0.0..max * 100.0, (0..n - 1).into_segmented())
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .x_label_formatter(&|v| format!("{v:.0}%"))
        .y_label_formatter(&|v| match v {
            // First target at the top.
            SegmentValue::CenterOf(i) => rows
                .get(n - 1 - *i)
                .map(|t| t.name.clone())
                .unwrap_or_default(),
            _ => String::new(),
        })
        .label_style(label(28))
        .axis_desc_style(label(26))
        .draw()
        .map_err(err)?;
    for (row, t) in rows.iter().enumerate() {
        let scale = report.scale_of(&t.metric, &t.unit);
        target_bar(&mut chart, n - 1 - row, t, &scale, (cap, max))?;
    }
    // The target itself: 100 %.
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![
                (100.0, SegmentValue::Exact(0)),
                (100.0, SegmentValue::Exact(n)),
            ],
            INK.stroke_width(3),
        )))
        .map_err(err)?;
    area.draw_text(
        "条形：当前完成进度；◆：按近期进度预计到期的位置（达到竖线即目标为正常，达到九成为关注，不足九成为滞后）",
        &label(24).color(&MUTED),
        (40, area.dim_in_pixel().1 as i32 - 28),
    )
    .map_err(err)?;
    Ok(())
}

/// The targets chart: percent across, one segment per target.
type TargetPlot<'a, DB> =
    ChartContext<'a, DB, Cartesian2d<RangedCoordf64, SegmentedCoord<RangedCoordusize>>>;

/// One target in segment `i`: its progress as a bar in its status colour
/// (cut at `cap` and drawn broken beyond it), a diamond at its projection's
/// share of the target, and a label right of both, inside the axis' end `max`.
fn target_bar<DB: DrawingBackend>(
    chart: &mut TargetPlot<DB>,
    i: usize,
    t: &TargetProgress,
    scale: &Scale,
    (cap, max): (f64, f64),
) -> Drawing {
    let colour = rgb(palette::chart(t.status.tone()));
    let (value, broken, label_at) = bar_layout(t.progress, cap, max);
    let mut bar = Rectangle::new(
        [
            (0.0, SegmentValue::Exact(i)),
            (value, SegmentValue::Exact(i + 1)),
        ],
        colour.filled(),
    );
    bar.set_margin(14, 14, 0, 0);
    chart.draw_series(std::iter::once(bar)).map_err(err)?;
    if broken {
        bar_break(chart, i, value)?;
    }
    // Labels start right of the bar, the marker and the target line, so
    // no line runs through them.
    let mut label_at = label_at.max(bar_layout(1.0, cap, max).2);
    if let Some(share) = t.projected_share() {
        let (at, _, after) = bar_layout(share, cap, max);
        label_at = label_at.max(after + max * 2.0);
        let diamond = EmptyElement::at((at, SegmentValue::CenterOf(i)))
            + Polygon::new(vec![(0, -16), (12, 0), (0, 16), (-12, 0)], INK.filled());
        chart.draw_series(std::iter::once(diamond)).map_err(err)?;
    }
    let shown = |v: f64| scale.rounded(v);
    let outlook = if t.is_paced() {
        format!("预计到期{}", shown(t.projection))
    } else {
        "到期时判断".to_string()
    };
    let text = format!(
        "{} {} / {}{} · {} · {}",
        crate::format::percent(t.progress),
        shown(t.value),
        scale.text(t.target),
        scale.unit,
        outlook,
        t.status.label_zh()
    );
    chart
        .draw_series(std::iter::once(Text::new(
            text,
            (label_at, SegmentValue::CenterOf(i)),
            label(26).pos(Pos::new(HPos::Left, VPos::Center)),
        )))
        .map_err(err)?;
    Ok(())
}

/// Where a progress bar ends (percent), whether it is drawn broken (longer
/// than `cap`), and where its label starts: all inside the axis (0 to `max`,
/// as fractions).
fn bar_layout(progress: f64, cap: f64, max: f64) -> (f64, bool, f64) {
    let value = (progress * 100.0).clamp(0.0, cap * 100.0);
    (value, progress > cap, value + max * 1.5)
}

/// A white gap across a bar near its end `value`: the bar is longer than
/// drawn.
fn bar_break<DB: DrawingBackend>(chart: &mut TargetPlot<DB>, i: usize, value: f64) -> Drawing {
    let at = value * 0.9;
    let mut gap = Rectangle::new(
        [
            (at, SegmentValue::Exact(i)),
            (at + value * 0.025, SegmentValue::Exact(i + 1)),
        ],
        WHITE.filled(),
    );
    gap.set_margin(8, 8, 0, 0);
    chart.draw_series(std::iter::once(gap)).map_err(err)?;
    Ok(())
}

/// The `trend` indicators by quarter, one panel each, the projection to the
/// due date dashed; amounts in their display unit (亿元).
fn trend<DB: DrawingBackend>(report: &Report, area: &DrawingArea<DB, Shift>) -> Drawing {
    let panels = area.split_evenly((1, report.projections.len().max(1)));
    for (p, panel) in report.projections.iter().zip(panels.iter()) {
        trend_panel(&Series::new(report, p), panel)?;
    }
    // The method as the model states it, so the caption never drifts from
    // how the line was drawn (docs/return-form.md §8.4).
    let method = report
        .projections
        .first()
        .map_or("", |p| p.method_zh.as_str());
    area.draw_text(
        &format!(
            "实线：实际值；虚线：预测至{}（{method}）",
            report.horizon.label_zh()
        ),
        &label(22).color(&MUTED),
        (40, area.dim_in_pixel().1 as i32 - 26),
    )
    .map_err(err)?;
    Ok(())
}

/// The size of a city's or zone's trend chart on its page.
pub const AREA_SIZE: (u32, u32) = (1000, 420);

/// A city's or zone's trend chart (its ranking indicator by quarter), SVG.
pub fn area_trend_svg(report: &Report, page: &crate::report::AreaPage) -> Result<String, String> {
    let Some(info) = report.rank_indicator() else {
        return Ok(String::new());
    };
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, AREA_SIZE).into_drawing_area();
        area.fill(&WHITE).map_err(err)?;
        let name = format!("{}累计", info.name);
        let carried: Vec<bool> = page
            .trend
            .iter()
            .map(|(q, _)| {
                page.record
                    .iter()
                    .any(|r| r.0 == *q && r.1 == Basis::Carried)
            })
            .collect();
        let mut series = Series::of_area(&name, info.scale(), &page.trend, carried);
        let position = |q: Period| page.trend.iter().position(|t| t.0 == q);
        series.joinings = report
            .joinings_of(|z| page.zones.iter().any(|(name, _)| name == &z.name))
            .into_iter()
            .filter_map(|j| Some((position(j.period)? as f64, j.zones)))
            .collect();
        trend_panel(&series, &area)?;
    }
    Ok(svg)
}

/// One indicator's series as a trend panel plots it: x is the quarter's
/// position, y the value in the display unit.
struct Series<'r> {
    name: &'r str,
    /// The indicator's scale: values are already divided by its divisor.
    scale: Scale,
    quarters: Vec<Period>,
    actual: Vec<(f64, f64)>,
    /// Which actual points are carried figures (沿用上期), not measured.
    carried: Vec<bool>,
    /// Quarters where zones joined (x, how many): a step, not growth.
    joinings: Vec<(f64, usize)>,
    projected: Vec<(f64, f64)>,
    target: Option<f64>,
}

impl<'r> Series<'r> {
    /// A city's or zone's series of one indicator, actual values only.
    fn of_area(
        name: &'r str,
        scale: Scale,
        values: &[(Period, f64)],
        carried: Vec<bool>,
    ) -> Series<'r> {
        Series {
            name,
            carried,
            joinings: Vec::new(),
            quarters: values.iter().map(|v| v.0).collect(),
            actual: values
                .iter()
                .enumerate()
                .map(|(i, (_, v))| (i as f64, scale.of(*v)))
                .collect(),
            projected: Vec::new(),
            target: None,
            scale,
        }
    }

    fn new(report: &'r Report, p: &'r Projection) -> Series<'r> {
        let quarters: Vec<Period> = p
            .actual
            .iter()
            .chain(&p.projected)
            .map(|a| a.0)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let scale = report.scale_of(&p.code, &p.unit);
        let index = |q: Period| quarters.iter().position(|x| *x == q).unwrap_or(0) as f64;
        let points = |values: &[(Period, f64)]| -> Vec<(f64, f64)> {
            values
                .iter()
                .map(|(q, v)| (index(*q), scale.of(*v)))
                .collect()
        };
        Series {
            name: &p.name,
            carried: Vec::new(),
            joinings: report
                .joinings
                .iter()
                .map(|j| (index(j.period), j.zones))
                .collect(),
            actual: points(&p.actual),
            projected: points(&p.projected),
            target: p.target.map(|t| scale.of(t)),
            quarters,
            scale,
        }
    }

    /// The top of the value axis: room above the highest point.
    fn top(&self) -> f64 {
        self.actual
            .iter()
            .chain(&self.projected)
            .map(|a| a.1)
            .chain(self.target)
            .fold(self.scale.of(1.0), f64::max)
            * 1.12
    }

    /// A value as its label shows it.
    fn shown(&self, v: f64) -> String {
        if self.scale.is_converted() {
            format!("{v:.*}", self.scale.decimals)
        } else {
            group_thousands(v.round())
        }
    }

    /// Q4 quarters are labelled on the x axis (every quarter of a short
    /// series).
    fn x_label(&self, x: f64) -> String {
        let i = x.round();
        let every = self.quarters.len() <= 8;
        if (x - i).abs() < 1e-6 && i >= 0.0 {
            self.quarters
                .get(i as usize)
                .filter(|q| every || q.quarter == 4)
                .map(|q| q.short_label_zh())
                .unwrap_or_default()
        } else {
            String::new()
        }
    }
}

type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

fn trend_panel<DB: DrawingBackend>(s: &Series, panel: &DrawingArea<DB, Shift>) -> Drawing {
    let right = s.quarters.len() as f64 - 0.7;
    let mut chart = ChartBuilder::on(panel)
        .caption(format!("{}（{}）", s.name, s.scale.unit), label(30))
        .margin(16)
        .x_label_area_size(70)
        .y_label_area_size(90)
        .build_cartesian_2d(-0.3..right, 0.0..s.top())
        .map_err(err)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .x_labels(s.quarters.len())
        .x_label_formatter(&|x| s.x_label(*x))
        .y_label_formatter(&|v| group_thousands((*v * 10.0).round() / 10.0))
        .label_style(label(22))
        .draw()
        .map_err(err)?;
    if let Some(target) = s.target {
        target_line(&mut chart, target, right)?;
    }
    // A step needs a quarter before it: a zone's own first quarter is no step.
    for &(x, zones) in s.joinings.iter().filter(|(x, _)| *x > 0.0) {
        joining_mark(&mut chart, x, zones, s.top())?;
    }
    let blue = rgb(palette::SERIES[0].0);
    chart
        .draw_series(DashedLineSeries::new(
            s.projected.clone(),
            14,
            10,
            blue.stroke_width(4),
        ))
        .map_err(err)?;
    chart
        .draw_series(LineSeries::new(s.actual.clone(), blue.stroke_width(5)))
        .map_err(err)?;
    // A carried figure is not a measurement: a hollow point, named.
    let is_carried = |i: usize| s.carried.get(i).copied().unwrap_or(false);
    for (i, pt) in s.actual.iter().enumerate() {
        let style = if is_carried(i) {
            WHITE.filled()
        } else {
            blue.filled()
        };
        let point = Circle::new(*pt, 7, style);
        chart.draw_series(std::iter::once(point)).map_err(err)?;
        if is_carried(i) {
            let ring = Circle::new(*pt, 7, blue.stroke_width(3));
            let note = Text::new(
                "沿用上期",
                (pt.0, pt.1 - s.top() * 0.04),
                label(20).pos(Pos::new(HPos::Center, VPos::Top)),
            );
            chart.draw_series(std::iter::once(ring)).map_err(err)?;
            chart.draw_series(std::iter::once(note)).map_err(err)?;
        }
    }
    if let (Some(last), None) = (s.actual.last(), s.projected.last()) {
        let style = label(22).pos(Pos::new(HPos::Center, VPos::Bottom));
        let text = Text::new(s.shown(last.1), (last.0, last.1 + s.top() * 0.03), style);
        chart.draw_series(std::iter::once(text)).map_err(err)?;
    }
    if let (Some(last), Some(end)) = (s.actual.last(), s.projected.last()) {
        let ends = [
            (last, s.shown(last.1)),
            (end, format!("预计 {}", s.shown(end.1))),
        ];
        for (pt, text) in ends {
            let style = label(22).pos(Pos::new(HPos::Right, VPos::Bottom));
            chart
                .draw_series(std::iter::once(Text::new(text, *pt, style)))
                .map_err(err)?;
        }
    }
    Ok(())
}

/// Where zones joined: a dashed line before the quarter, labelled, so the
/// step in the totals reads as an entry, not as growth.
fn joining_mark<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    x: f64,
    zones: usize,
    top: f64,
) -> Drawing {
    let at = x - 0.5;
    chart
        .draw_series(DashedLineSeries::new(
            vec![(at, 0.0), (at, top)],
            8,
            6,
            MUTED.stroke_width(2),
        ))
        .map_err(err)?;
    chart
        .draw_series(std::iter::once(Text::new(
            format!("新加入{zones}个高新区"),
            (at, top * 0.97),
            label(20)
                .color(&MUTED)
                .pos(Pos::new(HPos::Right, VPos::Top)),
        )))
        .map_err(err)?;
    Ok(())
}

/// The target as a dashed line across the panel, labelled at its left end.
fn target_line<DB: DrawingBackend>(chart: &mut Plot<DB>, target: f64, right: f64) -> Drawing {
    let red = rgb(palette::chart(Tone::Bad));
    chart
        .draw_series(DashedLineSeries::new(
            vec![(-0.3, target), (right, target)],
            6,
            6,
            red.stroke_width(3),
        ))
        .map_err(err)?;
    chart
        .draw_series(std::iter::once(Text::new(
            format!("目标 {}", group_thousands(target)),
            (0.0, target * 1.02),
            label(22)
                .color(&red)
                .pos(Pos::new(HPos::Left, VPos::Bottom)),
        )))
        .map_err(err)?;
    Ok(())
}

/// The smallest text on a chart that lists zones, as plotters sizes text
/// (the SVG's `font-size` is this ÷ 1.24, 23.4 pixels): the brief prints
/// the 1600-pixel chart across 84 % of A4's text width (about 0.26 pt a
/// pixel), so this is about 6 pt on paper, and 1/38 of a slide's height.
pub const MIN_TEXT_PX: u32 = 29;

/// The room left of the bars for the zones' names (`12. 南京鼓楼高新区`,
/// `其余41个高新区`).
const NAME_WIDTH: u32 = 300;

/// Zones in the order of their ranking by one indicator (the order every
/// table shows), in its scale, with their places; at more than
/// [`MAX_BARS`](crate::report::rank::MAX_BARS) zones the first and the last
/// ones and the rest as one bar. Carried figures pale and named so; a later
/// cohort's zones named so (their 累计值 count from their joining).
fn zones<DB: DrawingBackend>(
    report: &Report,
    area: &DrawingArea<DB, Shift>,
    code: &str,
    series: usize,
) -> Drawing {
    let (fresh, carried) = palette::SERIES[series % palette::SERIES.len()];
    let (colour, carried_colour) = (rgb(fresh), rgb(carried));
    let (Some(info), Some(ranking)) = (report.indicator(code), report.ranking(code)) else {
        return Ok(());
    };
    let scale = info.scale();
    let shown = |v: f64| scale.text(if scale.is_converted() { v } else { v.round() });
    let bar = |z: &RankedZone| {
        let text = shown(z.value);
        Bar {
            name: format!("{}. {}", z.rank, z.name),
            value: scale.of(z.value),
            colour: if z.basis == Basis::Carried {
                carried_colour
            } else {
                colour
            },
            text: match z.note_zh(report.period) {
                Some(note) => format!("{text}（{note}）"),
                None => text,
            },
        }
    };
    let cut = ranking.cut();
    let bars = cut_bars(&ranking.zones, &cut, bar, |mean| {
        (scale.of(mean), shown(mean))
    });
    let notes: Vec<String> = [cut.note_zh(), ranking.joined_zh()]
        .into_iter()
        .flatten()
        .collect();
    with_notes(area, &notes, |plot| {
        bar_chart(plot, None, &bars, NAME_WIDTH)
    })
}

/// The bars of a ranking as `cut` shows it: the first entries, the rest as
/// one grey bar at their mean (`rest` gives its length and its figure as
/// text), the last entries.
fn cut_bars<T>(
    ranked: &[T],
    cut: &Cut,
    bar: impl Fn(&T) -> Bar,
    rest: impl Fn(f64) -> (f64, String),
) -> Vec<Bar> {
    let mut bars: Vec<Bar> = ranked[..cut.first].iter().map(&bar).collect();
    if let Some(r) = &cut.rest {
        let (value, text) = rest(r.mean);
        bars.push(Bar {
            name: r.label_zh(),
            value,
            colour: rgb(palette::REST_BAR),
            text: format!("{}，平均{text}", r.ranks_zh()),
        });
        bars.extend(ranked[ranked.len() - cut.last..].iter().map(&bar));
    }
    bars
}

/// A chart with its notes beneath, one line each.
fn with_notes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    notes: &[String],
    chart: impl FnOnce(&DrawingArea<DB, Shift>) -> Drawing,
) -> Drawing {
    let line = MIN_TEXT_PX as i32 + 12;
    let height = area.dim_in_pixel().1 as i32 - line * notes.len() as i32;
    let (plot, foot) = area.split_vertically(height.max(0));
    chart(&plot)?;
    for (n, note) in (0..).zip(notes) {
        foot.draw_text(note, &label(MIN_TEXT_PX).color(&MUTED), (40, 8 + n * line))
            .map_err(err)?;
    }
    Ok(())
}

/// The zones by composite score, as ranked (at many zones, cut as the
/// zone charts are); carried zones pale and named so, new ones named so;
/// the method in one line beneath.
fn scorecard<DB: DrawingBackend>(report: &Report, area: &DrawingArea<DB, Shift>) -> Drawing {
    let (fresh, carried) = palette::SERIES[0];
    let card = &report.scorecard;
    let bar = |z: &&ScoredZone| {
        let is_carried = z.basis == Basis::Carried;
        let mut text = format!("{:.2}", z.score.unwrap_or_default());
        if is_carried {
            text = format!("{text}（{}）", z.basis.label_zh());
        } else if z.entry {
            text = format!("{text}（本季新加入）");
        }
        Bar {
            name: format!("{}. {}", z.rank.unwrap_or_default(), z.name),
            value: z.score.unwrap_or_default(),
            colour: rgb(if is_carried { carried } else { fresh }),
            text,
        }
    };
    let (scored, cut) = card.cut();
    let bars = cut_bars(&scored, &cut, bar, |mean| (mean, format!("{mean:.2}")));
    let notes: Vec<String> = [Some(card.method_line_zh()), cut.note_zh()]
        .into_iter()
        .flatten()
        .collect();
    with_notes(area, &notes, |plot| {
        bar_chart(plot, None, &bars, NAME_WIDTH)
    })
}

/// Projects by 项目类别 and platforms by 平台类型.
fn composition<DB: DrawingBackend>(report: &Report, area: &DrawingArea<DB, Shift>) -> Drawing {
    let (left, right) = area.split_horizontally(area.dim_in_pixel().0 * 2 / 5);
    for (panel, title, tallies, colour) in [
        (
            &left,
            "合作研发项目（按项目类别，个）",
            &report.projects_by_category,
            rgb(palette::SERIES[0].0),
        ),
        (
            &right,
            "共建平台（按平台类型，个）",
            &report.platforms_by_type,
            rgb(palette::SERIES[1].0),
        ),
    ] {
        let bars: Vec<Bar> = tallies
            .iter()
            .map(|t| Bar {
                name: t.label.clone(),
                value: t.count as f64,
                colour,
                text: t.count.to_string(),
            })
            .collect();
        bar_chart(panel, Some(title), &bars, 220)?;
    }
    Ok(())
}

/// One horizontal bar: its category, length, colour and the label at its end.
struct Bar {
    name: String,
    value: f64,
    colour: RGBColor,
    text: String,
}

/// Horizontal bars, the first at the top, each labelled at its end.
fn bar_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    caption: Option<&str>,
    bars: &[Bar],
    name_width: u32,
) -> Drawing {
    let n = bars.len();
    if n == 0 {
        return Ok(());
    }
    let plot_width = f64::from(area.dim_in_pixel().0.saturating_sub(name_width + 40).max(1));
    let top = axis_end(bars, plot_width);
    let mut builder = ChartBuilder::on(area);
    if let Some(caption) = caption {
        builder.caption(caption, label(30)).margin(16);
    }
    let mut chart = builder
        .x_label_area_size(36)
        .y_label_area_size(name_width)
        .build_cartesian_2d(0.0..top, (0..n - 1).into_segmented())
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .y_labels(n)
        // Ticks as exact as they are (0.2, 0.4 亿元), so no two read alike.
        .x_label_formatter(&|v| group_thousands(crate::format::round_half_up(*v, 2)))
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => bars
                .get(n - 1 - *i)
                .map(|b| b.name.clone())
                .unwrap_or_default(),
            _ => String::new(),
        })
        .label_style(label(MIN_TEXT_PX))
        .draw()
        .map_err(err)?;
    // Thinner gaps between many bars than between a few.
    let gap = if n > 10 { 4 } else { 8 };
    for (i, b) in bars.iter().enumerate() {
        let slot = n - 1 - i;
        let mut bar = Rectangle::new(
            [
                (0.0, SegmentValue::Exact(slot)),
                (b.value, SegmentValue::Exact(slot + 1)),
            ],
            b.colour.filled(),
        );
        bar.set_margin(gap, gap, 0, 0);
        chart.draw_series(std::iter::once(bar)).map_err(err)?;
        chart
            .draw_series(std::iter::once(Text::new(
                b.text.clone(),
                (b.value + top * 0.01, SegmentValue::CenterOf(slot)),
                label(MIN_TEXT_PX).pos(Pos::new(HPos::Left, VPos::Center)),
            )))
            .map_err(err)?;
    }
    Ok(())
}

/// The end of the value axis: a fifth beyond the longest bar, and as far
/// as every bar's label needs to end inside the plot (`plot_width` pixels).
fn axis_end(bars: &[Bar], plot_width: f64) -> f64 {
    let longest = bars.iter().map(|b| b.value).fold(1.0_f64, f64::max);
    bars.iter()
        .map(|b| {
            let room = 0.97 - text_width(&b.text, MIN_TEXT_PX) / plot_width;
            b.value / room.max(0.3)
        })
        .fold(longest * 1.2, f64::max)
}

/// About how wide a text is at `size` pixels: a Chinese character is as
/// wide as the size, a digit or a Latin letter about half.
fn text_width(text: &str, size: u32) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.55 } else { 1.0 })
        .sum::<f64>()
        * f64::from(size)
}

#[cfg(test)]
mod tests {
    use super::bar_layout;

    /// 809 % on an axis capped at 200 %: the bar stops at 200 %, drawn
    /// broken, and its label starts left of the axis' end with the label room
    /// (55 % of the cap) still ahead of it.
    #[test]
    fn a_bar_past_the_cap_is_broken_and_stays_inside_the_axis() {
        let (cap, max) = (2.0, 2.0 * 1.55);
        let (value, broken, label_at) = bar_layout(8.09, cap, max);
        assert_eq!(value, 200.0);
        assert!(broken);
        assert!(label_at < 210.0 && label_at > 200.0);
        assert!(max * 100.0 - label_at > 100.0, "room for the label");
        let (value, broken, _) = bar_layout(0.82, cap, max);
        assert_eq!(value, 82.0);
        assert!(!broken);
    }
}
