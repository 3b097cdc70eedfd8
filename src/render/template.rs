//! Zone return templates (季度报表模板): one workbook per zone and quarter,
//! laid out exactly as the return form (spec section 2) so the reader reads
//! it like any other return, with drop-down lists, input checks, locked
//! labels, last quarter's lists prefilled, and a hidden `模板信息` sheet
//! naming the template version, the zone and the quarter (spec section 2.6).
//!
//! Sheet names, labels, field order, enumerations, indicators and rules all
//! come from the configuration: a label changed in form.toml changes the
//! template with it. Clerks type only into white (unlocked) cells; every
//! other cell is locked, and the locked cells that hold data are grey.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, ProtectionOptions, Workbook,
    Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

use crate::config::{Config, FieldSpec, FieldType, IndicatorKind, SheetSpec, Zone, KNOWN_RULES};
use crate::model::{column_letters, Period, PlatformRow, ProjectRow, Return, Severity};

/// The layout version written into the hidden sheet.
pub const TEMPLATE_VERSION: &str = "1";

/// The hidden sheet that names the template (spec section 2.6).
pub const INFO_SHEET: &str = "模板信息";

const INSTRUCTIONS_SHEET: &str = "填表说明";
/// The 核心指标 column that shows last quarter's 累计值. Its header must not
/// read as 累计值 (headers match whole, so this one does not).
pub const REFERENCE_HEADER: &str = "上季度累计值（参考）";
/// Empty input rows after the prefilled ones on 项目清单 and 平台清单.
const EMPTY_LIST_ROWS: u32 = 60;
/// Input rows on 情况说明.
const EXPLANATION_ROWS: u32 = 20;
/// Where the drop-down sources start on the hidden sheet (0-based row of the
/// list headers), below the template stamp.
const LIST_HEADER_ROW: u32 = 11;

type Res<T = ()> = Result<T, XlsxError>;

/// One zone's return workbook for `period`, laid out exactly as the spec,
/// prefilled from `last` (the zone's last accepted return), or empty.
///
/// Prefilled: 高新区名称 and 报告期 (locked); the 五个一 fields; last
/// quarter's 累计值 as a grey reference column; every project and platform
/// listed last quarter. Left for the clerk: 填报单位, 填报人, 联系电话,
/// 填报日期, every 本季度新增 and 累计值, new list rows and 情况说明.
pub fn write_template(
    config: &Config,
    zone: &Zone,
    period: Period,
    last: Option<&Return>,
) -> Result<Vec<u8>, XlsxError> {
    build(config, zone, period, last.map(Fill::Last))
}

/// The same workbook as [`write_template`], with every input cell filled from
/// `values` (填报单位, 填报人, 联系电话, 填报日期, 本季度新增, 累计值, the
/// lists and 情况说明), as a clerk would return it: for tests and demos.
/// The reference column stays empty (there is no earlier return here).
pub fn write_filled(
    config: &Config,
    zone: &Zone,
    period: Period,
    values: &Return,
) -> Result<Vec<u8>, XlsxError> {
    build(config, zone, period, Some(Fill::All(values)))
}

/// What the workbook is prefilled with.
#[derive(Clone, Copy)]
enum Fill<'a> {
    /// The zone's last accepted return: lists, 五个一, reference column.
    Last(&'a Return),
    /// A whole return: every input cell.
    All(&'a Return),
}

impl<'a> Fill<'a> {
    fn ret(self) -> &'a Return {
        match self {
            Fill::Last(r) | Fill::All(r) => r,
        }
    }

    fn all(fill: Option<Fill<'a>>) -> Option<&'a Return> {
        match fill {
            Some(Fill::All(r)) => Some(r),
            _ => None,
        }
    }
}

/// A cell's content.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl Value {
    fn text(s: Option<&str>) -> Value {
        match s {
            Some(s) if !s.is_empty() => Value::Text(s.to_string()),
            _ => Value::Empty,
        }
    }

    fn number(v: Option<f64>) -> Value {
        v.map_or(Value::Empty, Value::Number)
    }

    fn date(d: Option<NaiveDate>) -> Value {
        d.map_or(Value::Empty, Value::Date)
    }

    /// Roughly how wide it shows, in Excel character units.
    fn units(&self) -> f64 {
        match self {
            Value::Empty => 0.0,
            Value::Text(t) => units(t),
            Value::Number(v) => units(&crate::format::group_thousands(*v)) + 3.0,
            Value::Date(_) => 10.0,
        }
    }
}

/// How a value cell is written and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    /// Text kept as typed (`@`): phone numbers.
    Literal,
    Center,
    Date,
    /// 万元, decimals allowed.
    Amount,
    /// Any number ≥ 0 (decimals allowed).
    Number,
    /// A whole number ≥ 0.
    Count,
}

impl Kind {
    fn of(field: &FieldSpec) -> Kind {
        match field.kind {
            FieldType::Date => Kind::Date,
            FieldType::Amount => Kind::Amount,
            FieldType::Number => Kind::Number,
            FieldType::Count => Kind::Count,
            FieldType::Enum | FieldType::Period | FieldType::Indicator => Kind::Center,
            FieldType::Text | FieldType::Zone | FieldType::Universities => Kind::Text,
        }
    }
}

struct Styles {
    title: Format,
    note: Format,
    section: Format,
    header: Format,
    hint: Format,
    locked: Format,
    locked_wrap: Format,
    locked_center: Format,
    locked_count: Format,
    locked_amount: Format,
    input: Format,
    input_literal: Format,
    input_center: Format,
    input_date: Format,
    input_amount: Format,
    input_count: Format,
}

const GREY: u32 = 0xEDEDED;
const BORDER: u32 = 0xBFBFBF;

impl Styles {
    fn new() -> Styles {
        let cell = || {
            Format::new()
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(BORDER))
                .set_align(FormatAlign::VerticalCenter)
        };
        let locked = || cell().set_background_color(Color::RGB(GREY));
        let input = || cell().set_unlocked();
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            note: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x7F7F7F))
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            section: crate::render::section_format(),
            header: crate::render::header_format(),
            hint: cell().set_font_color(Color::RGB(0x7F7F7F)).set_text_wrap(),
            locked: locked(),
            locked_wrap: locked().set_text_wrap(),
            locked_center: locked().set_align(FormatAlign::Center),
            locked_count: locked().set_num_format("#,##0"),
            locked_amount: locked().set_num_format("#,##0.00"),
            input: input(),
            input_literal: input().set_num_format("@"),
            input_center: input().set_align(FormatAlign::Center),
            input_date: input()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Center),
            input_amount: input().set_num_format("#,##0.00"),
            input_count: input().set_num_format("#,##0"),
        }
    }

    fn input(&self, kind: Kind) -> &Format {
        match kind {
            Kind::Text => &self.input,
            Kind::Literal => &self.input_literal,
            Kind::Center => &self.input_center,
            Kind::Date => &self.input_date,
            Kind::Amount => &self.input_amount,
            Kind::Number => &self.input,
            Kind::Count => &self.input_count,
        }
    }
}

/// Display width of text in Excel character units (a CJK character, width 2,
/// is about 2.1 units); the widest line of several.
fn units(text: &str) -> f64 {
    text.split('\n')
        .map(|l| UnicodeWidthStr::width(l) as f64 * 1.05)
        .fold(0.0, f64::max)
}

/// Lines a wrapped text takes in a column `width` units wide.
fn lines_in(text: &str, width: f64) -> u32 {
    let room = (width - 1.5).max(1.0);
    text.split('\n')
        .map(|l| ((UnicodeWidthStr::width(l) as f64 * 1.05 / room).ceil() as u32).max(1))
        .sum()
}

/// Row height (points) for `lines` lines of 11-point CJK text.
fn height(lines: u32) -> f64 {
    16.0 * f64::from(lines.max(1)) + 4.0
}

/// Cuts `text` to at most `max` UTF-16 units (Excel's limits on validation
/// titles and messages), ending with `…` when cut.
fn clip(text: &str, max: usize) -> String {
    if text.encode_utf16().count() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 1;
    for c in text.chars() {
        used += c.len_utf16();
        if used > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

fn excel_date(d: NaiveDate) -> Res<ExcelDateTime> {
    let year = u16::try_from(d.year()).map_err(|_| XlsxError::ParameterError(d.to_string()))?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)
}

fn missing(what: &str) -> XlsxError {
    XlsxError::ParameterError(format!("配置中缺少{what}"))
}

/// A column's width: the widest content, within bounds.
struct Widths(Vec<f64>);

impl Widths {
    fn new(cols: usize, min: f64) -> Widths {
        Widths(vec![min; cols])
    }

    fn fit(&mut self, col: usize, units: f64) {
        if let Some(w) = self.0.get_mut(col) {
            *w = w.max(units + 2.0);
        }
    }

    fn apply(&mut self, ws: &mut Worksheet, max: f64) -> Res {
        for (col, w) in (0u16..).zip(self.0.iter_mut()) {
            *w = w.min(max);
            ws.set_column_width(col, *w)?;
        }
        Ok(())
    }

    fn total(&self, from: usize, to: usize) -> f64 {
        self.0.iter().skip(from).take(to + 1 - from).sum()
    }
}

/// The drop-down sources on the hidden sheet, and the formulas that point at
/// them.
struct Lists {
    /// (header, values), one column each.
    columns: Vec<(String, Vec<String>)>,
    /// List key → column.
    index: BTreeMap<String, usize>,
}

impl Lists {
    fn new(config: &Config, zone: &Zone) -> Lists {
        let mut columns = Vec::new();
        let mut index = BTreeMap::new();
        let paired = config.registry.paired_universities(&zone.name);
        let universities: Vec<String> = paired
            .iter()
            .map(|u| u.to_string())
            .chain(
                config
                    .registry
                    .universities
                    .iter()
                    .map(|u| u.name.clone())
                    .filter(|u| !paired.contains(&u.as_str())),
            )
            .collect();
        index.insert("universities".to_string(), columns.len());
        columns.push(("高校（结对高校在前）".to_string(), universities));
        for sheet in &config.form.sheet {
            for field in &sheet.fields {
                let Some(name) = field.enumeration.as_deref() else {
                    continue;
                };
                let key = format!("enum:{name}");
                if index.contains_key(&key) {
                    continue;
                }
                if let Some(e) = config.form.enumeration(name) {
                    index.insert(key, columns.len());
                    columns.push((e.label.clone(), e.values.clone()));
                }
            }
        }
        index.insert("rules".to_string(), columns.len());
        columns.push(("规则编号（警告）".to_string(), explainable_rules(config)));
        Lists { columns, index }
    }

    /// `='模板信息'!$A$13:$A$51` for a list.
    fn formula(&self, key: &str) -> Option<Formula> {
        let col = *self.index.get(key)?;
        let (_, values) = &self.columns[col];
        let letters = column_letters(col as u32);
        let first = LIST_HEADER_ROW + 2;
        let last = LIST_HEADER_ROW + 1 + (values.len().max(1) as u32);
        Some(Formula::new(format!(
            "='{INFO_SHEET}'!${letters}${first}:${letters}${last}"
        )))
    }
}

/// Rules whose findings may be warnings: what 情况说明 explains.
fn explainable_rules(config: &Config) -> Vec<String> {
    KNOWN_RULES
        .iter()
        .filter(|(id, _)| {
            config.rules.rule.get(*id).is_some_and(|r| {
                r.severity == Severity::Warning
                    || r.variants
                        .values()
                        .any(|v| v.severity == Some(Severity::Warning))
            })
        })
        .map(|(id, _)| id.to_string())
        .collect()
}

/// Everything the sheets share.
struct Book<'a> {
    config: &'a Config,
    zone: &'a Zone,
    period: Period,
    fill: Option<Fill<'a>>,
    st: Styles,
    lists: Lists,
    title: String,
}

fn build(config: &Config, zone: &Zone, period: Period, fill: Option<Fill>) -> Res<Vec<u8>> {
    let sample = fill.is_some_and(|f| f.ret().is_sample);
    let title = format!(
        "双高协同试点季度报表 · {} · {}{}",
        zone.name,
        period.label_zh(),
        if sample {
            format!("（{}）", config.form.reading.sample_marker)
        } else {
            String::new()
        }
    );
    let book = Book {
        config,
        zone,
        period,
        fill,
        st: Styles::new(),
        lists: Lists::new(config, zone),
        title,
    };
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{}（模板 v{TEMPLATE_VERSION}）", book.title))
            .set_subject("双高协同试点季度报表")
            .set_author("江苏省科技厅 区域创新与成果转化处")
            .set_company("shuanggao")
            .set_creation_datetime(&excel_date(period.start())?),
    );
    let form = &config.form;
    let spec = |key: &str| {
        form.sheet(key)
            .ok_or_else(|| missing(&format!("工作表 key = \"{key}\"")))
    };
    let mut sheets = vec![
        book.instructions()?,
        book.basic(spec("basic")?)?,
        book.indicators(spec("indicators")?)?,
        book.projects(spec("projects")?)?,
        book.platforms(spec("platforms")?)?,
    ];
    if let Some(s) = form.sheet("explanations") {
        sheets.push(book.explanations(s)?);
    }
    sheets.push(book.info()?);
    // Open on 基本信息, with 填表说明 one tab to the left.
    sheets[1].set_active(true);
    for ws in sheets {
        wb.push_worksheet(ws);
    }
    wb.save_to_buffer()
}

impl Book<'_> {
    fn sheet_title(&self, sheet: &str) -> String {
        format!("{} · {sheet}", self.title)
    }

    fn new_sheet(&self, name: &str) -> Res<Worksheet> {
        let mut ws = Worksheet::new();
        ws.set_name(name)?;
        ws.set_paper_size(9);
        Ok(ws)
    }

    /// A merged title row.
    fn title_row(&self, ws: &mut Worksheet, row: u32, last_col: u16, text: &str) -> Res {
        ws.merge_range(row, 0, row, last_col, text, &self.st.title)?;
        ws.set_row_height(row, 26.0)?;
        Ok(())
    }

    /// A merged, wrapped note row sized to its text.
    fn note_row(
        &self,
        ws: &mut Worksheet,
        widths: &Widths,
        row: u32,
        last_col: u16,
        text: &str,
        format: &Format,
    ) -> Res {
        ws.merge_range(row, 0, row, last_col, text, format)?;
        // Renderers differ in how wide CJK text runs: leave some room.
        let width = widths.total(0, usize::from(last_col)) * 0.9;
        ws.set_row_height(row, height(lines_in(text, width)))?;
        Ok(())
    }

    /// Protects a sheet without a password; columns and rows may be resized,
    /// and list rows inserted and deleted.
    fn protect(ws: &mut Worksheet, rows: bool) {
        ws.protect_with_options(&ProtectionOptions {
            format_columns: true,
            format_rows: true,
            insert_rows: rows,
            delete_rows: rows,
            ..ProtectionOptions::new()
        });
    }

    /// Writes a value cell.
    fn put(&self, ws: &mut Worksheet, row: u32, col: u16, value: &Value, format: &Format) -> Res {
        match value {
            Value::Empty => ws.write_blank(row, col, format)?,
            Value::Text(t) => ws.write_string_with_format(row, col, t, format)?,
            Value::Number(v) => ws.write_number_with_format(row, col, *v, format)?,
            Value::Date(d) => ws.write_datetime_with_format(row, col, excel_date(*d)?, format)?,
        };
        Ok(())
    }

    /// The input check of a field's column, or `None` for free text.
    fn validation(&self, field: &FieldSpec, hint: &str) -> Res<Option<DataValidation>> {
        let label = &field.label;
        let with_messages =
            |dv: DataValidation, message: &str, error: &str| -> Res<DataValidation> {
                dv.set_input_title(clip(label, 32))?
                    .set_input_message(clip(message, 255))?
                    .set_error_title(clip(&format!("{label}填写有误"), 32))?
                    .set_error_message(clip(error, 255))
            };
        let need = if field.required { "必填" } else { "选填" };
        let pilot = self.config.calendar.pilot_start;
        let dv = match field.kind {
            FieldType::Universities => {
                let Some(list) = self.lists.formula("universities") else {
                    return Ok(None);
                };
                let paired = self.config.registry.paired_universities(&self.zone.name);
                let paired = if paired.is_empty() {
                    String::new()
                } else {
                    format!("本区结对高校：{}。", paired.join("、"))
                };
                Some(
                    with_messages(
                        DataValidation::new().allow_list_formula(list),
                        &format!(
                            "{need}。可从下拉列表选择（结对高校在前）；多所高校用“、”分隔，如“A大学、B大学”。{paired}"
                        ),
                        "该内容不在高校下拉列表中。多所高校（用“、”分隔）或名录外的高校可点“确定”保留，请写高校全称；否则点“取消”后从列表选择。",
                    )?
                    .set_error_style(DataValidationErrorStyle::Information),
                )
            }
            FieldType::Enum => {
                let key = format!("enum:{}", field.enumeration.as_deref().unwrap_or_default());
                let (Some(list), Some(e)) = (
                    self.lists.formula(&key),
                    field
                        .enumeration
                        .as_deref()
                        .and_then(|n| self.config.form.enumeration(n)),
                ) else {
                    return Ok(None);
                };
                let blank = e
                    .blank
                    .as_deref()
                    .map(|b| format!("不填视为“{b}”。"))
                    .unwrap_or_default();
                let values = e.values.join("、");
                Some(with_messages(
                    DataValidation::new().allow_list_formula(list),
                    &format!("{need}。请从下拉列表选择：{values}。{blank}"),
                    &format!("请从下拉列表中选择：{values}。"),
                )?)
            }
            FieldType::Date => {
                let end = self.period.end();
                Some(
                    with_messages(
                        DataValidation::new().allow_date(DataValidationRule::Between(
                            excel_date(pilot)?,
                            excel_date(end)?,
                        )),
                        &format!("{need}。请按 2025-10-08 的格式填写日期。{hint}"),
                        &format!(
                            "日期应在 {pilot} 至 {end}（报告期末）之间，格式如 2025-10-08。早于试点开始的将提示警告；晚于报告期末的为错误，报表会被退回。确认无误可点“是”保留。"
                        ),
                    )?
                    .set_error_style(DataValidationErrorStyle::Warning),
                )
            }
            FieldType::Amount | FieldType::Number => Some(with_messages(
                DataValidation::new()
                    .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
                &format!("{need}。只填数字，不小于 0，可有小数。{hint}"),
                "请填写不小于 0 的数字，不要带单位或文字。",
            )?),
            FieldType::Count => Some(with_messages(
                DataValidation::new()
                    .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
                &format!("{need}。填写不小于 0 的整数。{hint}"),
                "请填写不小于 0 的整数。",
            )?),
            _ if !hint.is_empty() => Some(
                DataValidation::new()
                    .allow_any_value()
                    .set_input_title(clip(label, 32))?
                    .set_input_message(clip(&format!("{need}。{hint}"), 255))?,
            ),
            _ => None,
        };
        Ok(dv)
    }

    // ---- 基本信息 ----------------------------------------------------------

    fn basic(&self, spec: &SheetSpec) -> Res<Worksheet> {
        let st = &self.st;
        let mut ws = self.new_sheet(&spec.name)?;
        let info = self.fill.map(|f| &f.ret().info);
        let all = Fill::all(self.fill).map(|r| &r.info);
        let deadline = self.config.calendar.deadline(self.period);
        let mut widths = Widths::new(3, 14.0);
        widths.0[1] = 40.0;
        widths.0[2] = 52.0;
        let last_period = match self.fill {
            Some(Fill::Last(r)) => r.period(),
            _ => None,
        };
        self.title_row(&mut ws, 0, 2, &self.sheet_title(&spec.name))?;
        for (col, h) in ["填报项目", "填报内容", "填写说明"].iter().enumerate() {
            ws.write_string_with_format(1, col as u16, *h, &st.header)?;
        }
        let mut row = 2;
        for field in &spec.fields {
            let need = if field.required { "必填" } else { "选填" };
            let prefilled = |present: bool| match last_period {
                Some(p) if present => format!("（已按 {p} 报表预填，如有变化请修改）"),
                _ => String::new(),
            };
            let (value, kind, hint) = match field.key.as_str() {
                "zone" => (
                    Value::Text(self.zone.name.clone()),
                    None,
                    "已预填，不可修改".to_string(),
                ),
                "period" => (
                    Value::Text(self.period.to_string()),
                    None,
                    format!("已预填（{}），不可修改", self.period.label_zh()),
                ),
                "unit" => (
                    Value::text(all.and_then(|i| i.unit.as_deref())),
                    Some(Kind::Text),
                    format!("{need}。如“{}管委会科技创新局”", self.zone.name),
                ),
                "filler" => (
                    Value::text(all.and_then(|i| i.filler.as_deref())),
                    Some(Kind::Text),
                    format!("{need}。填报人姓名"),
                ),
                "phone" => (
                    Value::text(all.and_then(|i| i.phone.as_deref())),
                    Some(Kind::Literal),
                    format!("{need}。按文本保存，区号前的 0 不会丢失"),
                ),
                "fill_date" => (
                    Value::date(all.and_then(|i| i.fill_date.as_ref()).map(|d| d.value)),
                    Some(Kind::Date),
                    format!("{need}。格式如 2025-10-08；本期报送截止日 {deadline}"),
                ),
                key @ ("industry" | "platform" | "talent" | "fund_name") => {
                    let (v, what) = match key {
                        "industry" => (
                            info.and_then(|i| i.industry.as_ref()),
                            "五个一①：一个产业方向",
                        ),
                        "platform" => (
                            info.and_then(|i| i.platform.as_ref()),
                            "五个一②：一个依托的科创平台",
                        ),
                        "talent" => (
                            info.and_then(|i| i.talent.as_ref()),
                            "五个一③：一位领军人才（团队）",
                        ),
                        _ => (
                            info.and_then(|i| i.fund_name.as_ref()),
                            "五个一④：一支成果转化基金",
                        ),
                    };
                    (
                        Value::text(v.map(String::as_str)),
                        Some(Kind::Text),
                        format!("{need}。{what}{}", prefilled(v.is_some())),
                    )
                }
                "fund_size" => {
                    let v = info.and_then(|i| i.fund_size.as_ref()).map(|l| l.value);
                    (
                        Value::number(v),
                        Some(Kind::Amount),
                        format!("{need}。单位：万元，只填数字{}", prefilled(v.is_some())),
                    )
                }
                _ => (Value::Empty, Some(Kind::of(field)), need.to_string()),
            };
            ws.write_string_with_format(row, 0, &field.label, &st.locked)?;
            match kind {
                None => self.put(&mut ws, row, 1, &value, &st.locked)?,
                Some(kind) => {
                    self.put(&mut ws, row, 1, &value, st.input(kind))?;
                    let dv = if field.key == "fill_date" {
                        // Any day from the pilot's start: a late return is a
                        // warning (T03), not a wrong date.
                        Some(
                            DataValidation::new()
                                .allow_date(DataValidationRule::Between(
                                    excel_date(self.config.calendar.pilot_start)?,
                                    ExcelDateTime::from_ymd(2099, 12, 31)?,
                                ))
                                .set_input_title(clip(&field.label, 32))?
                                .set_input_message(clip(&hint, 255))?
                                .set_error_title(clip(&format!("{}填写有误", field.label), 32))?
                                .set_error_message(format!(
                                    "请填写 {} 之后的日期，格式如 2025-10-08。",
                                    self.config.calendar.pilot_start
                                ))?,
                        )
                    } else {
                        self.validation(field, &hint)?
                    };
                    if let Some(dv) = dv {
                        ws.add_data_validation(row, 1, row, 1, &dv)?;
                    }
                }
            }
            ws.write_string_with_format(row, 2, &hint, &st.hint)?;
            widths.fit(0, units(&field.label));
            widths.fit(1, value.units());
            let lines =
                lines_in(&hint, widths.0[2]).max(lines_in(&value_text(&value), widths.0[1]));
            ws.set_row_height(row, height(lines).max(20.0))?;
            row += 1;
        }
        widths.apply(&mut ws, 52.0)?;
        row += 1;
        self.note_row(
            &mut ws,
            &widths,
            row,
            2,
            "注：五个一⑤“一批标杆项目”按项目清单中“标杆项目”为“是”的行数统计，\n无需在本表填写。白色单元格由高新区填写，灰色单元格已预填，不可修改。",
            &st.note,
        )?;
        ws.set_freeze_panes(2, 0)?;
        ws.set_repeat_rows(0, 1)?;
        ws.set_print_fit_to_pages(1, 0);
        Self::protect(&mut ws, false);
        Ok(ws)
    }

    // ---- 核心指标 ----------------------------------------------------------

    fn indicators(&self, spec: &SheetSpec) -> Res<Worksheet> {
        let st = &self.st;
        let config = self.config;
        let mut ws = self.new_sheet(&spec.name)?;
        let header_row = 2;
        let cols = spec.fields.len() + 1;
        let reference_col = spec.fields.len() as u16;
        let last_col = reference_col;
        let mut widths = Widths::new(cols, 10.0);
        let reference = match self.fill {
            Some(Fill::Last(r)) => Some(r),
            _ => None,
        };
        let values = Fill::all(self.fill);
        for (c, f) in spec.fields.iter().enumerate() {
            ws.write_string_with_format(header_row, c as u16, &f.label, &st.header)?;
            widths.fit(c, units(&f.label));
        }
        ws.write_string_with_format(header_row, reference_col, REFERENCE_HEADER, &st.header)?;
        widths.fit(usize::from(reference_col), units(REFERENCE_HEADER));
        for (row, ind) in (header_row + 1..).zip(&config.indicators.all) {
            let kind = if ind.is_amount() {
                Kind::Amount
            } else {
                Kind::Count
            };
            let flow = ind.kind == IndicatorKind::Flow;
            let (cell_rule, check) = if ind.is_amount() {
                (
                    format!("单位：{}，可有小数", ind.unit),
                    DataValidation::new()
                        .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
                )
            } else {
                (
                    format!("单位：{}，填整数", ind.unit),
                    DataValidation::new()
                        .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
                )
            };
            let ties = ind
                .ties
                .as_deref()
                .map(|t| format!("勾稽：{t}。"))
                .unwrap_or_default();
            let title = clip(&format!("{} {}", ind.code, ind.name), 32);
            let error = if ind.is_amount() {
                format!(
                    "请填写不小于 0 的数字（单位：{}），不要带单位或文字。",
                    ind.unit
                )
            } else {
                format!("请填写不小于 0 的整数（单位：{}）。", ind.unit)
            };
            for (c, f) in spec.fields.iter().enumerate() {
                let c16 = c as u16;
                let got = values.and_then(|r| r.indicators.get(&ind.code));
                match f.key.as_str() {
                    "code" => {
                        ws.write_string_with_format(row, c16, &ind.code, &st.locked_center)?;
                        widths.fit(c, units(&ind.code));
                    }
                    "name" => {
                        ws.write_string_with_format(row, c16, &ind.name, &st.locked)?;
                        widths.fit(c, units(&ind.name));
                    }
                    "unit" => {
                        ws.write_string_with_format(row, c16, &ind.unit, &st.locked_center)?;
                    }
                    key @ ("new" | "cumulative") => {
                        let v = got.and_then(|g| {
                            if key == "new" {
                                g.new.as_ref()
                            } else {
                                g.cumulative.as_ref()
                            }
                        });
                        let value = Value::number(v.map(|l| l.value));
                        self.put(&mut ws, row, c16, &value, st.input(kind))?;
                        widths.fit(c, value.units());
                        let meaning = match (key, flow) {
                            ("new", true) => {
                                "必填。本季度新增 = 累计值 − 上季度累计值。".to_string()
                            }
                            ("new", false) => "时点指标，可不填。".to_string(),
                            (_, true) => format!(
                                "必填。试点以来（{} 起）的累计总数。",
                                config.calendar.pilot_start
                            ),
                            (_, false) => "必填。季度末的时点数。".to_string(),
                        };
                        let message = format!("{meaning}{cell_rule}。{ties}{}", ind.description);
                        let dv = check
                            .clone()
                            .set_input_title(title.clone())?
                            .set_input_message(clip(&message, 255))?
                            .set_error_title(clip(&format!("{}填写有误", f.label), 32))?
                            .set_error_message(clip(&error, 255))?;
                        ws.add_data_validation(row, c16, row, c16, &dv)?;
                    }
                    _ => {
                        self.put(&mut ws, row, c16, &Value::Empty, &st.input)?;
                    }
                }
            }
            let previous = reference.and_then(|r| r.cumulative(&ind.code));
            let reference_format = if ind.is_amount() {
                &st.locked_amount
            } else {
                &st.locked_count
            };
            self.put(
                &mut ws,
                row,
                reference_col,
                &Value::number(previous),
                reference_format,
            )?;
            ws.set_row_height(row, 20.0)?;
        }
        if let Some(c) = spec.fields.iter().position(|f| f.key == "note") {
            widths.fit(c, 20.0);
        }
        widths.apply(&mut ws, 40.0)?;
        self.title_row(&mut ws, 0, last_col, &self.sheet_title(&spec.name))?;
        let source = match reference.and_then(Return::period) {
            Some(p) => {
                format!("“{REFERENCE_HEADER}”取自本区 {p} 已采用的报表，仅供核对，不会被读取。")
            }
            None if reference.is_some() => {
                format!("“{REFERENCE_HEADER}”取自本区上次已采用的报表，仅供核对，不会被读取。")
            }
            None => format!("“{REFERENCE_HEADER}”仅供核对（本区尚无已采用的报表）。"),
        };
        let note = format!(
            "白色单元格填写，灰色单元格不可修改；金额单位为万元。\n累计值：累计（流量）指标为试点以来（{} 起）的总数，时点指标（{}）为季度末的时点数。\n本季度新增 = 累计值 − 上季度累计值（时点指标可不填）。\n{source}",
            config.calendar.pilot_start,
            config
                .indicators
                .all
                .iter()
                .filter(|i| i.kind == IndicatorKind::Stock)
                .map(|i| i.code.as_str())
                .collect::<Vec<_>>()
                .join("、"),
        );
        self.note_row(&mut ws, &widths, 1, last_col, &note, &st.note)?;
        ws.set_row_height(header_row, 34.0)?;
        ws.set_freeze_panes(header_row + 1, 2)?;
        ws.set_repeat_rows(0, header_row)?;
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        Self::protect(&mut ws, false);
        Ok(ws)
    }

    // ---- 项目清单 / 平台清单 -------------------------------------------------

    fn projects(&self, spec: &SheetSpec) -> Res<Worksheet> {
        let rows: Vec<BTreeMap<&str, Value>> = self
            .fill
            .map(|f| f.ret().projects.iter().map(project_values).collect())
            .unwrap_or_default();
        self.list(spec, &rows, "项目")
    }

    fn platforms(&self, spec: &SheetSpec) -> Res<Worksheet> {
        let rows: Vec<BTreeMap<&str, Value>> = self
            .fill
            .map(|f| f.ret().platforms.iter().map(platform_values).collect())
            .unwrap_or_default();
        self.list(spec, &rows, "平台")
    }

    /// A list sheet: title, note, header (required fields marked `*`), the
    /// prefilled rows, then empty input rows; every data cell unlocked.
    fn list(&self, spec: &SheetSpec, rows: &[BTreeMap<&str, Value>], item: &str) -> Res<Worksheet> {
        let st = &self.st;
        let mut ws = self.new_sheet(&spec.name)?;
        let header_row = 2;
        let first = header_row + 1;
        let count = rows.len() as u32;
        let last = first + count + EMPTY_LIST_ROWS - 1;
        let cols = spec.fields.len();
        let last_col = (cols.max(1) - 1) as u16;
        let mut widths = Widths::new(cols, 8.0);
        for (c, f) in spec.fields.iter().enumerate() {
            let c16 = c as u16;
            let header = if f.required {
                format!("{}*", f.label)
            } else {
                f.label.clone()
            };
            ws.write_string_with_format(header_row, c16, &header, &st.header)?;
            widths.fit(c, units(&header).min(14.0));
            let kind = if f.key == "seq" {
                Kind::Center
            } else {
                Kind::of(f)
            };
            widths.fit(
                c,
                match (f.key.as_str(), f.kind) {
                    ("name", _) => 26.0,
                    ("enterprise", _) | (_, FieldType::Universities) => 20.0,
                    (_, FieldType::Date) => 10.0,
                    (_, FieldType::Amount | FieldType::Number) => 10.0,
                    _ => 0.0,
                },
            );
            for r in first..=last {
                let i = (r - first) as usize;
                let value = match rows.get(i).and_then(|row| row.get(f.key.as_str())) {
                    Some(v) => v.clone(),
                    None if f.key == "seq" => Value::Number((i + 1) as f64),
                    None => Value::Empty,
                };
                widths.fit(c, value.units());
                self.put(&mut ws, r, c16, &value, st.input(kind))?;
            }
            let hint = match f.kind {
                FieldType::Amount => "单位：万元。".to_string(),
                FieldType::Date => format!(
                    "不得晚于报告期末 {}；早于 {} 的将提示警告。",
                    self.period.end(),
                    self.config.calendar.pilot_start
                ),
                _ => String::new(),
            };
            if let Some(dv) = self.validation(f, &hint)? {
                ws.add_data_validation(first, c16, last, c16, &dv)?;
            }
        }
        widths.apply(&mut ws, 44.0)?;
        self.title_row(&mut ws, 0, last_col, &self.sheet_title(&spec.name))?;
        let prefilled = match self.fill {
            Some(Fill::Last(r)) if !rows.is_empty() => format!(
                "已预填本区{}已采用报表中的 {count} 个{item}：请逐项核对、更新（如项目状态、累计到位经费），\n不要删除——清单应保留试点以来的全部{item}。",
                r.period().map(|p| format!(" {p} ")).unwrap_or_default()
            ),
            Some(Fill::All(_)) => format!("本表列出 {count} 个{item}。"),
            _ => format!("请列出试点以来（{} 起）的全部{item}，每行一个。", self.config.calendar.pilot_start),
        };
        let note = format!(
            "{prefilled}\n本季度新增的{item}接着往下填；中间不要留空行（空行以下的内容不会被读取），需要时可插入或删除整行。\n带 * 的列必填；可从下拉列表选择；高校可写多所，用“、”分隔；金额单位为万元，日期格式如 2025-10-08。"
        );
        self.note_row(&mut ws, &widths, 1, last_col, &note, &st.note)?;
        ws.set_row_height(header_row, 34.0)?;
        ws.set_freeze_panes(first, 2)?;
        ws.set_repeat_rows(0, header_row)?;
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        Self::protect(&mut ws, true);
        Ok(ws)
    }

    // ---- 情况说明 ----------------------------------------------------------

    fn explanations(&self, spec: &SheetSpec) -> Res<Worksheet> {
        let st = &self.st;
        let mut ws = self.new_sheet(&spec.name)?;
        let header_row = 3;
        let first = header_row + 1;
        let given: Vec<[String; 3]> = Fill::all(self.fill)
            .map(|r| {
                r.explanations
                    .iter()
                    .map(|e| [e.rule.clone(), e.location.clone(), e.text.clone()])
                    .collect()
            })
            .unwrap_or_default();
        let rows = (given.len() as u32).max(EXPLANATION_ROWS);
        let cols = spec.fields.len();
        let last_col = (cols.max(1) - 1) as u16;
        let mut widths = Widths::new(cols, 12.0);
        for (c, f) in spec.fields.iter().enumerate() {
            let c16 = c as u16;
            ws.write_string_with_format(header_row, c16, &f.label, &st.header)?;
            let kind = match f.key.as_str() {
                "rule" => Kind::Center,
                _ => Kind::Text,
            };
            let format = if f.key == "text" {
                st.input.clone().set_text_wrap()
            } else {
                st.input(kind).clone()
            };
            widths.fit(
                c,
                match f.key.as_str() {
                    "location" => 22.0,
                    "text" => 60.0,
                    _ => 8.0,
                },
            );
            for r in 0..rows {
                let i = match f.key.as_str() {
                    "rule" => 0,
                    "location" => 1,
                    _ => 2,
                };
                let value = Value::text(given.get(r as usize).map(|g| g[i].as_str()));
                self.put(&mut ws, first + r, c16, &value, &format)?;
            }
            let dv = match f.key.as_str() {
                "rule" => match self.lists.formula("rules") {
                    Some(list) => Some(
                        DataValidation::new()
                            .allow_list_formula(list)
                            .set_input_title(clip(&f.label, 32))?
                            .set_input_message(
                                "填写校验结果中需要说明的警告的规则编号，如 X08。可从下拉列表选择。",
                            )?
                            .set_error_title("规则编号")?
                            .set_error_message(
                                "该编号不在常见警告规则中。错误不能以说明代替，请先更正；确认无误可点“确定”保留。",
                            )?
                            .set_error_style(DataValidationErrorStyle::Information),
                    ),
                    None => None,
                },
                "location" => Some(
                    DataValidation::new()
                        .allow_any_value()
                        .set_input_title(clip(&f.label, 32))?
                        .set_input_message(
                            "警告所在的位置：单元格（如 核心指标!E7）、指标代码（如 SG04）或项目/平台名称。",
                        )?,
                ),
                _ => None,
            };
            if let Some(dv) = dv {
                ws.add_data_validation(first, c16, first + rows - 1, c16, &dv)?;
            }
        }
        widths.apply(&mut ws, 64.0)?;
        self.title_row(&mut ws, 0, last_col, &self.sheet_title(&spec.name))?;
        self.note_row(
            &mut ws,
            &widths,
            1,
            last_col,
            "对校验结果中的警告逐条说明原因，每条一行；错误不能以说明代替，须更正后重新报送。\n规则编号见“填表说明”；位置可写单元格（如 核心指标!E7）、\n指标代码（如 SG04）或项目、平台名称。",
            &st.note,
        )?;
        self.note_row(
            &mut ws,
            &widths,
            2,
            last_col,
            "示例（不是数据行）：规则编号 X08 ｜ 位置 SG09 ｜\n说明 本季度举办校地技术需求对接会，集中发布企业技术需求 90 项。",
            &st.note.clone().set_background_color(Color::RGB(GREY)),
        )?;
        ws.set_freeze_panes(first, 0)?;
        ws.set_repeat_rows(0, header_row)?;
        ws.set_print_fit_to_pages(1, 0);
        Self::protect(&mut ws, true);
        Ok(ws)
    }

    // ---- 填表说明 ----------------------------------------------------------

    fn instructions(&self) -> Res<Worksheet> {
        let st = &self.st;
        let config = self.config;
        let mut ws = self.new_sheet(INSTRUCTIONS_SHEET)?;
        let mut widths = Widths(vec![10.0, 24.0, 10.0, 12.0, 62.0]);
        widths.apply(&mut ws, 80.0)?;
        let last_col = 4;
        let mut row = 0;
        self.title_row(
            &mut ws,
            row,
            last_col,
            &format!("{} · {INSTRUCTIONS_SHEET}", self.title),
        )?;
        row += 2;
        let form = &config.form;
        let name = |key: &str| form.sheet(key).map_or(key.to_string(), |s| s.name.clone());
        let paired = config.registry.paired_universities(&self.zone.name);
        let deadline = config.calendar.deadline(self.period);
        let pilot = config.calendar.pilot_start;
        let section = |ws: &mut Worksheet, row: &mut u32, text: &str| -> Res {
            ws.write_string_with_format(*row, 0, text, &st.section)?;
            ws.set_row_height(*row, 22.0)?;
            *row += 1;
            Ok(())
        };
        let paragraph = |ws: &mut Worksheet, row: &mut u32, text: &str| -> Res {
            let plain = Format::new().set_text_wrap().set_align(FormatAlign::Top);
            self.note_row(ws, &widths, *row, last_col, text, &plain)?;
            *row += 1;
            Ok(())
        };

        section(&mut ws, &mut row, "一、基本要求")?;
        let rules_sheet = name("explanations");
        for text in [
            format!(
                "1. 本表为{}{}（{}）双高协同试点季度报表，按省统一格式生成（模板版本 {TEMPLATE_VERSION}）。请只在白色单元格中填写；灰色单元格为预填内容或说明，已锁定，不可修改。",
                self.zone.name,
                self.period.label_zh(),
                self.period
            ),
            format!(
                "2. 请勿修改工作表名称和表头文字，勿插入或删除列；可调整列宽、行高。{}和{}可插入或删除整行。",
                name("projects"),
                name("platforms")
            ),
            "3. 金额单位一律为万元，只填数字，不要写“万元”“元”等单位；个数、人数等填整数。数字不能为负。".to_string(),
            format!(
                "4. 日期按 2025-10-08（年-月-日）格式填写，如 2025-10-08、2026-01-15。立项日期、建成日期不得晚于报告期末 {}。",
                self.period.end()
            ),
            format!(
                "5. 本期报送截止日：{deadline}。填报日期晚于截止日为迟报（规则 T03）。"
            ),
            format!(
                "6. {}和{}应列出试点以来（{pilot} 起）的全部项目和平台，已按本区上次已采用的报表预填：请逐项更新（如项目状态、累计到位经费），新增条目接在后面；中间不要留空行，空行以下的内容不会被读取。",
                name("projects"),
                name("platforms")
            ),
            format!(
                "7. 合作高校、共建高校可从下拉列表选择（结对高校在前），多所高校用“、”分隔，请写高校全称。本区结对高校：{}。",
                if paired.is_empty() {
                    "（名录暂无已确认的结对高校）".to_string()
                } else {
                    paired.join("、")
                }
            ),
            format!(
                "8. 校验出的警告须在“{rules_sheet}”表中逐条说明（规则编号、位置、说明）；错误不能以说明代替，报表将被退回修改。"
            ),
            format!(
                "9. 隐藏的“{INFO_SHEET}”工作表记录模板版本、高新区代码和报告期，用于核对，请勿修改或删除。"
            ),
        ] {
            paragraph(&mut ws, &mut row, &text)?;
        }
        row += 1;

        section(&mut ws, &mut row, &format!("二、{}", name("indicators")))?;
        for (c, h) in ["指标代码", "指标名称", "计量单位", "类型", "含义与勾稽关系"]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(row, c as u16, *h, &st.header)?;
        }
        row += 1;
        for ind in &config.indicators.all {
            let kind = match ind.kind {
                IndicatorKind::Flow => "累计（流量）",
                IndicatorKind::Stock => "时点（存量）",
            };
            let mut meaning = ind.description.clone();
            if let Some(t) = &ind.ties {
                meaning.push_str(&format!("勾稽：{t}。"));
            }
            ws.write_string_with_format(row, 0, &ind.code, &st.locked_center)?;
            ws.write_string_with_format(row, 1, &ind.name, &st.locked_wrap)?;
            ws.write_string_with_format(row, 2, &ind.unit, &st.locked_center)?;
            ws.write_string_with_format(row, 3, kind, &st.locked_center)?;
            ws.write_string_with_format(row, 4, &meaning, &st.locked_wrap)?;
            let lines = lines_in(&meaning, widths.0[4]).max(lines_in(&ind.name, widths.0[1]));
            ws.set_row_height(row, height(lines))?;
            row += 1;
        }
        paragraph(
            &mut ws,
            &mut row,
            &format!(
                "累计（流量）指标：累计值为试点以来（{pilot} 起）的总数，不应比上季度少；本季度新增 = 累计值 − 上季度累计值。时点（存量）指标：累计值为季度末的时点数，本季度新增可不填。"
            ),
        )?;
        row += 1;

        section(&mut ws, &mut row, "三、清单的可选值")?;
        for sheet in &form.sheet {
            for f in sheet.fields.iter() {
                let Some(e) = f.enumeration.as_deref().and_then(|n| form.enumeration(n)) else {
                    continue;
                };
                let blank = e
                    .blank
                    .as_deref()
                    .map(|b| format!("（不填视为“{b}”）"))
                    .unwrap_or_default();
                ws.write_string_with_format(row, 0, &sheet.name, &st.locked)?;
                ws.write_string_with_format(row, 1, &f.label, &st.locked)?;
                ws.merge_range(
                    row,
                    2,
                    row,
                    last_col,
                    &format!("{}{blank}", e.values.join("、")),
                    &st.locked_wrap,
                )?;
                ws.set_row_height(row, 20.0)?;
                row += 1;
            }
        }
        row += 1;

        section(&mut ws, &mut row, "四、校验规则")?;
        paragraph(
            &mut ws,
            &mut row,
            "报送后系统逐项校验。错误：报表退回修改，本期数据不予采用；警告：数据采用，但须在“情况说明”中说明；提示：已自动规范化（如全角数字、带单位的金额），无需处理。",
        )?;
        for (c, h) in ["规则编号", "规则", "程度", "处理"].iter().enumerate() {
            if c == 3 {
                ws.merge_range(row, 3, row, last_col, h, &st.header)?;
            } else {
                ws.write_string_with_format(row, c as u16, *h, &st.header)?;
            }
        }
        row += 1;
        for (id, _) in KNOWN_RULES {
            let Some(rule) = config.rules.rule.get(*id) else {
                continue;
            };
            let mut severities = vec![rule.severity];
            for v in rule.variants.values() {
                if let Some(s) = v.severity {
                    if !severities.contains(&s) {
                        severities.push(s);
                    }
                }
            }
            let label = severities
                .iter()
                .map(|s| s.label_zh())
                .collect::<Vec<_>>()
                .join("/");
            let action = severities
                .iter()
                .map(|s| match s {
                    Severity::Error => "退回修改",
                    Severity::Warning => "须在情况说明中说明",
                    Severity::Info => "无需处理",
                })
                .collect::<Vec<_>>()
                .join("；部分情形");
            ws.write_string_with_format(row, 0, *id, &st.locked_center)?;
            ws.write_string_with_format(row, 1, &rule.title, &st.locked)?;
            ws.write_string_with_format(row, 2, &label, &st.locked_center)?;
            ws.merge_range(row, 3, row, last_col, &action, &st.locked)?;
            ws.set_row_height(row, 20.0)?;
            row += 1;
        }
        row += 1;

        section(&mut ws, &mut row, "五、日期与数字的写法")?;
        for text in [
            "日期：2025-10-08（推荐）。表中日期单元格已设为“年-月-日”格式，直接输入 2025-10-08 或 2025/10/8 即可。",
            "金额：1200 表示 1,200 万元；0.35 亿元请写作 3500。不要写“1200万元”“1.2亿”。",
            "报告期、高新区名称已预填，请勿改动；如模板与本区或本期不符，请联系省科技厅重新获取模板。",
        ] {
            paragraph(&mut ws, &mut row, text)?;
        }
        ws.set_print_fit_to_pages(1, 0);
        Self::protect(&mut ws, false);
        Ok(ws)
    }

    // ---- 模板信息 (hidden) --------------------------------------------------

    fn info(&self) -> Res<Worksheet> {
        let st = &self.st;
        let mut ws = self.new_sheet(INFO_SHEET)?;
        let stamp = [
            ("模板版本", TEMPLATE_VERSION.to_string()),
            ("高新区代码", self.zone.code.to_string()),
            ("报告期", self.period.to_string()),
            ("高新区名称", self.zone.name.clone()),
        ];
        for (r, (label, value)) in (0u32..).zip(stamp) {
            ws.write_string(r, 0, label)?;
            ws.write_string(r, 1, value)?;
        }
        ws.write_string(
            LIST_HEADER_ROW - 1,
            0,
            "以下为下拉列表的选项（数据验证引用），请勿修改。",
        )?;
        let mut widths = Widths::new(self.lists.columns.len().max(2), 12.0);
        for (c, (header, values)) in self.lists.columns.iter().enumerate() {
            ws.write_string_with_format(LIST_HEADER_ROW, c as u16, header, &st.header)?;
            widths.fit(c, units(header));
            for (r, v) in (LIST_HEADER_ROW + 1..).zip(values) {
                ws.write_string(r, c as u16, v)?;
                widths.fit(c, units(v));
            }
        }
        widths.apply(&mut ws, 40.0)?;
        ws.set_hidden(true);
        ws.protect();
        Ok(ws)
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Text(t) => t.clone(),
        _ => String::new(),
    }
}

fn yes_no(flag: bool) -> Value {
    Value::Text(if flag { "是" } else { "否" }.to_string())
}

/// A project row's cells by form field key.
fn project_values(p: &ProjectRow) -> BTreeMap<&'static str, Value> {
    BTreeMap::from([
        ("name", Value::Text(p.name.value.clone())),
        (
            "universities",
            Value::text(Some(p.universities.join("、").as_str())),
        ),
        ("enterprise", Value::text(Some(&p.enterprise))),
        ("field", Value::text(p.field.as_deref())),
        ("category", Value::text(p.category.as_deref())),
        ("start_date", Value::date(p.start_date)),
        ("contract", Value::number(p.contract)),
        ("funded", Value::number(p.funded.as_ref().map(|l| l.value))),
        ("status", Value::text(p.status.as_deref())),
        ("benchmark", yes_no(p.benchmark)),
    ])
}

/// A platform row's cells by form field key.
fn platform_values(p: &PlatformRow) -> BTreeMap<&'static str, Value> {
    BTreeMap::from([
        ("name", Value::Text(p.name.value.clone())),
        ("type", Value::text(p.kind.as_deref())),
        ("level", Value::text(p.level.as_deref())),
        (
            "universities",
            Value::text(Some(p.universities.join("、").as_str())),
        ),
        ("built_date", Value::date(p.built_date)),
        ("area", Value::number(p.area)),
        ("investment", Value::number(p.investment)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_counts_utf16_units() {
        assert_eq!(clip("短", 32), "短");
        let long = "很".repeat(40);
        let cut = clip(&long, 32);
        assert_eq!(cut.encode_utf16().count(), 32);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn chinese_is_about_two_units_wide() {
        assert!((units("项目名称") - 8.4).abs() < 1e-9);
        assert_eq!(lines_in("项目名称", 5.0), 3);
        assert_eq!(lines_in("a\nb", 10.0), 2);
    }
}
