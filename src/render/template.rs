//! Zone return templates (季度报表模板): one workbook per zone and quarter,
//! laid out exactly as the return form (docs/return-form.md §3) so the reader reads
//! it like any other return, with drop-down lists, input checks, locked
//! labels, last quarter's lists prefilled, and a hidden `模板信息` sheet
//! naming the template version, the zone and the quarter (docs/return-form.md §3.13).
//!
//! Sheet names, labels, field order, enumerations, indicators and rules all
//! come from the configuration: a label changed in form.toml changes the
//! template with it. Clerks type only into white (unlocked) cells; every
//! other cell is locked, and the locked cells that hold data are grey.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign,
    Formula, ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use super::palette;
use super::xlsx::{self, excel_date, text_units, with_error, with_prompt, Num, Res, Wrap};
use crate::config::{
    Config, FieldSpec, FieldType, Indicator, IndicatorKind, SheetSpec, Zone, KNOWN_RULES,
};
use crate::model::draft::Draft;
use crate::model::{column_letters, Period, PlatformRow, ProjectRow, Return, Severity, Verdict};

mod given;
use given::{keyed, Given, Row};

/// The layout version written into the hidden sheet.
pub const TEMPLATE_VERSION: &str = "1";

/// The hidden sheet that names the template (docs/return-form.md §3.13).
pub const INFO_SHEET: &str = "模板信息";

const INSTRUCTIONS_SHEET: &str = "填表说明";
pub use crate::config::REFERENCE_HEADER;
/// Empty input rows after the prefilled ones on 项目清单 and 平台清单.
const EMPTY_LIST_ROWS: u32 = 60;
/// Input rows on 情况说明.
const EXPLANATION_ROWS: u32 = 20;
/// Where the drop-down sources start on the hidden sheet (0-based row of the
/// list headers), below the template stamp.
const LIST_HEADER_ROW: u32 = 11;

/// One zone's return workbook for `period`, laid out exactly as docs/return-form.md §3,
/// prefilled from `last` (the zone's last accepted return), or empty.
///
/// Prefilled: 高新区名称 and 报告期 (locked); 填报单位, 填报人, 联系电话
/// and the 五个一 fields (open, to overwrite); last quarter's 累计值 as a
/// grey reference column; every project and platform listed last quarter.
/// Left for the clerk: 填报日期, every 本季度新增 and 累计值, new list rows
/// and 情况说明.
pub fn write_template(
    config: &Config,
    zone: &Zone,
    period: Period,
    last: Option<&Return>,
) -> Result<Vec<u8>, XlsxError> {
    build(config, zone, period, Prefill::Last(last))
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
    build(
        config,
        zone,
        period,
        Prefill::Given(Given::from_return(values)),
    )
}

/// The same workbook with every input cell taken from a draft, raw as the
/// clerk typed it (text with units, full-width digits, formulas): how the
/// sample returns are written.
pub fn write_draft(
    config: &Config,
    zone: &Zone,
    period: Period,
    draft: &Draft,
) -> Result<Vec<u8>, XlsxError> {
    build(
        config,
        zone,
        period,
        Prefill::Given(Given::from_draft(config, draft)),
    )
}

/// What the workbook is prefilled with.
enum Prefill<'a> {
    /// The zone's last accepted return, if any: lists, 五个一, reference
    /// column.
    Last(Option<&'a Return>),
    /// Every input cell.
    Given(Given),
}

/// A cell's content.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    /// A formula and the result Excel would have cached.
    Formula(String, f64),
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
            Value::Text(t) => text_units(t),
            Value::Number(v) => text_units(&crate::format::group_thousands(*v)) + 3.0,
            Value::Date(_) => 10.0,
            Value::Formula(_, v) => text_units(&crate::format::group_thousands(*v)) + 3.0,
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

/// The template's formats: ruled cells, grey where locked, white where the
/// clerk types.
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

impl Styles {
    fn new() -> Styles {
        let cell = xlsx::body_cell;
        let locked = || cell().set_background_color(Color::RGB(palette::LOCKED));
        let input = || cell().set_unlocked();
        Styles {
            title: xlsx::title_centred(),
            note: xlsx::note_text()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            section: xlsx::section(),
            header: xlsx::header_light_blue(),
            hint: cell()
                .set_font_color(Color::RGB(xlsx::NOTE_GREY))
                .set_text_wrap(),
            locked: locked(),
            locked_wrap: locked().set_text_wrap(),
            locked_center: locked().set_align(FormatAlign::Center),
            locked_count: locked().set_num_format(Num::Count.code()),
            locked_amount: locked().set_num_format(Num::Amount.code()),
            input: input(),
            input_literal: input().set_num_format(xlsx::TEXT),
            input_center: input().set_align(FormatAlign::Center),
            input_date: input()
                .set_num_format(xlsx::DATE)
                .set_align(FormatAlign::Center),
            input_amount: input().set_num_format(Num::Amount.code()),
            input_count: input().set_num_format(Num::Count.code()),
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

/// `dv` with its prompt (`message`) and its error (`error`), both titled by
/// the field's `label`.
fn with_messages(
    dv: DataValidation,
    label: &str,
    message: &str,
    error: &str,
) -> Res<DataValidation> {
    let dv = with_prompt(dv, label, message)?;
    with_error(dv, &format!("{label}填写有误"), error)
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
    fill: Prefill<'a>,
    st: Styles,
    lists: Lists,
    title: String,
}

fn build(config: &Config, zone: &Zone, period: Period, fill: Prefill) -> Res<Vec<u8>> {
    let sample = match &fill {
        Prefill::Last(r) => r.is_some_and(|r| r.is_sample),
        Prefill::Given(g) => g.sample,
    };
    let programme = &config.calendar.stage_at(period).programme;
    let title = format!(
        "{programme}季度报表 · {} · {}{}",
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
    // Dated by the quarter's first day, never the clock.
    let props = xlsx::properties(
        format!("{}（模板 v{TEMPLATE_VERSION}）", book.title),
        format!("{programme}季度报表"),
        "江苏省科技厅 区域创新与成果转化处",
        period.start(),
    )?;
    wb.set_properties(&props.set_company("shuanggao"));
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
    /// The day the zone's 累计 counts from: its cohort's start.
    fn start(&self) -> chrono::NaiveDate {
        self.config.calendar.cohort(self.zone.cohort).start
    }

    /// `试点以来` for a pilot zone, `加入以来` for a later cohort's.
    fn since(&self) -> &'static str {
        if self.start() == self.config.calendar.pilot_start {
            "试点以来"
        } else {
            "加入以来"
        }
    }

    /// The last accepted return the template is prefilled from.
    fn last(&self) -> Option<&Return> {
        match self.fill {
            Prefill::Last(r) => r,
            Prefill::Given(_) => None,
        }
    }

    /// Every input cell, when given.
    fn given(&self) -> Option<&Given> {
        match &self.fill {
            Prefill::Given(g) => Some(g),
            Prefill::Last(_) => None,
        }
    }

    /// A given 基本信息 cell.
    fn given_basic(&self, key: &str) -> Option<Value> {
        self.given().and_then(|g| g.basic.get(key)).cloned()
    }

    fn sheet_title(&self, sheet: &str) -> String {
        format!("{} · {sheet}", self.title)
    }

    /// An empty sheet, printed on A4.
    fn new_sheet(&self, name: &str) -> Res<Worksheet> {
        let mut ws = Worksheet::new();
        ws.set_name(name)?;
        xlsx::a4(&mut ws);
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
        ws.set_row_height(row, Wrap::FORM.height(Wrap::FORM.lines(text, width)))?;
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
            Value::Formula(f, v) => {
                let formula = Formula::new(f).set_result(crate::format::format_number(*v));
                ws.write_formula_with_format(row, col, formula, format)?
            }
        };
        Ok(())
    }

    // ---- input checks ------------------------------------------------------

    /// The input check of a field's column, or `None` for free text.
    fn validation(&self, field: &FieldSpec, hint: &str) -> Res<Option<DataValidation>> {
        let label = &field.label;
        let need = if field.required { "必填" } else { "选填" };
        let dv = match field.kind {
            FieldType::Universities => return self.universities_check(label, need),
            FieldType::Enum => return self.enum_check(field, need),
            FieldType::Date => Some(self.date_check(label, need, hint)?),
            FieldType::Amount | FieldType::Number => Some(with_messages(
                DataValidation::new()
                    .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
                label,
                &format!("{need}。只填数字，不小于 0，可有小数。{hint}"),
                "请填写不小于 0 的数字，不要带单位或文字。",
            )?),
            FieldType::Count => Some(with_messages(
                DataValidation::new()
                    .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
                label,
                &format!("{need}。填写不小于 0 的整数。{hint}"),
                "请填写不小于 0 的整数。",
            )?),
            _ if !hint.is_empty() => Some(with_prompt(
                DataValidation::new().allow_any_value(),
                label,
                &format!("{need}。{hint}"),
            )?),
            _ => None,
        };
        Ok(dv)
    }

    /// Universities from the drop-down (paired ones first), or typed: several
    /// joined by `、`, or one not in the registry, are let through after a
    /// question.
    fn universities_check(&self, label: &str, need: &str) -> Res<Option<DataValidation>> {
        let Some(list) = self.lists.formula("universities") else {
            return Ok(None);
        };
        let paired = self.config.registry.paired_universities(&self.zone.name);
        let paired = if paired.is_empty() {
            String::new()
        } else {
            format!("本区结对高校：{}。", paired.join("、"))
        };
        let dv = with_messages(
            DataValidation::new().allow_list_formula(list),
            label,
            &format!(
                "{need}。可从下拉列表选择（结对高校在前）；多所高校用“、”分隔，如“A大学、B大学”。{paired}"
            ),
            "该内容不在高校下拉列表中。多所高校（用“、”分隔）或名录外的高校可点“确定”保留，请写高校全称；否则点“取消”后从列表选择。",
        )?;
        Ok(Some(
            dv.set_error_style(DataValidationErrorStyle::Information),
        ))
    }

    /// One of an enumeration's values, from the drop-down.
    fn enum_check(&self, field: &FieldSpec, need: &str) -> Res<Option<DataValidation>> {
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
        Ok(Some(with_messages(
            DataValidation::new().allow_list_formula(list),
            &field.label,
            &format!("{need}。请从下拉列表选择：{values}。{blank}"),
            &format!("请从下拉列表中选择：{values}。"),
        )?))
    }

    /// A date from the pilot's start to the quarter's end; outside, a warning
    /// the clerk may override (the checks decide what it means).
    fn date_check(&self, label: &str, need: &str, hint: &str) -> Res<DataValidation> {
        let pilot = self.start();
        let end = self.period.end();
        let dv = with_messages(
            DataValidation::new().allow_date(DataValidationRule::Between(
                excel_date(pilot)?,
                excel_date(end)?,
            )),
            label,
            &format!("{need}。请按 2025-10-08 的格式填写日期。{hint}"),
            &format!(
                "日期应在 {pilot} 至 {end}（报告期末）之间，格式如 2025-10-08。早于本区{}（{pilot}）的将提示警告；晚于报告期末的为错误，报表会被退回。确认无误可点“是”保留。",
                self.config.calendar.cohort(self.zone.cohort).start_name
            ),
        )?;
        Ok(dv.set_error_style(DataValidationErrorStyle::Warning))
    }

    // ---- 基本信息 ----------------------------------------------------------

    /// 基本信息: one row per field (label, value, hint), the zone and the
    /// quarter locked, the 五个一 prefilled; a note below.
    fn basic(&self, spec: &SheetSpec) -> Res<Worksheet> {
        let st = &self.st;
        let mut ws = self.new_sheet(&spec.name)?;
        let mut widths = Widths::new(3, 14.0);
        widths.0[1] = 40.0;
        widths.0[2] = 52.0;
        self.title_row(&mut ws, 0, 2, &self.sheet_title(&spec.name))?;
        for (col, h) in ["填报项目", "填报内容", "填写说明"].iter().enumerate() {
            ws.write_string_with_format(1, col as u16, *h, &st.header)?;
        }
        let mut row = 2;
        for field in &spec.fields {
            let (value, kind, what) = self.basic_field(field);
            ws.write_string_with_format(row, 0, &field.label, &st.locked)?;
            let hint = match kind {
                None => {
                    self.put(&mut ws, row, 1, &value, &st.locked)?;
                    what
                }
                Some(kind) => {
                    self.put(&mut ws, row, 1, &value, st.input(kind))?;
                    let need = if field.required { "必填" } else { "选填" };
                    let hint = format!("{need}。{what}");
                    let dv = if field.key == "fill_date" {
                        Some(self.fill_date_check(&field.label, &hint)?)
                    } else {
                        self.validation(field, &what)?
                    };
                    if let Some(dv) = dv {
                        ws.add_data_validation(row, 1, row, 1, &dv)?;
                    }
                    hint
                }
            };
            ws.write_string_with_format(row, 2, &hint, &st.hint)?;
            widths.fit(0, text_units(&field.label));
            widths.fit(1, value.units());
            let lines = Wrap::FORM
                .lines(&hint, widths.0[2])
                .max(Wrap::FORM.lines(&value_text(&value), widths.0[1]));
            ws.set_row_height(row, Wrap::FORM.height(lines).max(20.0))?;
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
        xlsx::freeze_top(&mut ws, 2, 0)?;
        xlsx::fit_width(&mut ws, false);
        Self::protect(&mut ws, false);
        Ok(ws)
    }

    /// A 基本信息 field: its value, how it is typed (`None`: locked, not
    /// typed) and what to write (the hint beside it, without 必填/选填,
    /// which [`Book::basic`] and the cell's prompt put in front).
    fn basic_field(&self, field: &FieldSpec) -> (Value, Option<Kind>, String) {
        let deadline = self.config.calendar.deadline(self.period);
        match field.key.as_str() {
            "zone" => (
                self.given_basic("zone")
                    .unwrap_or_else(|| Value::Text(self.zone.name.clone())),
                None,
                "已预填，不可修改".to_string(),
            ),
            "period" => (
                self.given_basic("period")
                    .unwrap_or_else(|| Value::Text(self.period.to_string())),
                None,
                format!("已预填（{}），不可修改", self.period.label_zh()),
            ),
            "unit" => self.contact_field(
                "unit",
                Kind::Text,
                format!("如“{}管委会科技创新局”", self.zone.name),
            ),
            "filler" => self.contact_field("filler", Kind::Text, "填报人姓名。".to_string()),
            "phone" => self.contact_field(
                "phone",
                Kind::Literal,
                "按文本保存，区号前的 0 不会丢失。".to_string(),
            ),
            "fill_date" => (
                self.given_basic("fill_date").unwrap_or(Value::Empty),
                Some(Kind::Date),
                format!(
                    "格式如 2025-10-08；应在 {} 至本期报送截止日 {deadline} 之间",
                    self.period.start()
                ),
            ),
            key @ ("industry" | "platform" | "talent" | "fund_name" | "fund_size") => {
                self.five_one_field(key)
            }
            _ => (Value::Empty, Some(Kind::of(field)), String::new()),
        }
    }

    /// 填报单位, 填报人 or 联系电话 (`key`): given, or prefilled from the
    /// last accepted return (the clerk may overwrite it; the hint says so).
    /// `what` says what to write: a sentence ending `。`, or else an example,
    /// which a prefilled value makes unnecessary.
    fn contact_field(&self, key: &str, kind: Kind, what: String) -> (Value, Option<Kind>, String) {
        let value = match (self.given(), self.last()) {
            (Some(_), _) => self.given_basic(key).unwrap_or(Value::Empty),
            (None, Some(r)) => Value::text(contact_value(r, key)),
            (None, None) => Value::Empty,
        };
        let prefilled = self.prefilled_note(&value);
        let hint = match (what.strip_suffix('。'), prefilled.is_empty()) {
            (Some(sentence), true) => sentence.to_string(),
            (Some(sentence), false) => format!("{sentence}；{prefilled}"),
            (None, true) => what,
            (None, false) => prefilled,
        };
        (value, Some(kind), hint)
    }

    /// `已按 2026Q3 报表预填，如有变化请修改` for a value prefilled from the
    /// last accepted return; nothing otherwise.
    fn prefilled_note(&self, value: &Value) -> String {
        match self.last().and_then(Return::period) {
            Some(p) if *value != Value::Empty => format!("已按 {p} 报表预填，如有变化请修改"),
            _ => String::new(),
        }
    }

    /// A 五个一 field of 基本信息: given, or prefilled from the last accepted
    /// return (the hint says so).
    fn five_one_field(&self, key: &str) -> (Value, Option<Kind>, String) {
        let value = match self.given() {
            Some(_) => self.given_basic(key).unwrap_or(Value::Empty),
            None => self.last().map_or(Value::Empty, |r| five_one_value(r, key)),
        };
        let (kind, what) = match key {
            "fund_size" => (Kind::Amount, "五个一④的基金规模，单位：万元"),
            "industry" => (Kind::Text, "五个一①：一个产业方向"),
            "platform" => (Kind::Text, "五个一②：一个依托的科创平台"),
            "talent" => (Kind::Text, "五个一③：一位领军人才（团队）"),
            _ => (Kind::Text, "五个一④：一支成果转化基金"),
        };
        let prefilled = self.prefilled_note(&value);
        let hint = if prefilled.is_empty() {
            what.to_string()
        } else {
            format!("{what}（{prefilled}）")
        };
        (value, Some(kind), hint)
    }

    /// 填报日期: a day from the quarter's first day to its deadline
    /// (docs/return-form.md §3.13). Outside it the check asks, and the clerk
    /// may keep the date: a return filled before the quarter began is a
    /// warning (T04), one after the deadline is late (T03) but accepted.
    fn fill_date_check(&self, label: &str, hint: &str) -> Res<DataValidation> {
        let (start, deadline) = (
            self.period.start(),
            self.config.calendar.deadline(self.period),
        );
        let dv = DataValidation::new().allow_date(DataValidationRule::Between(
            excel_date(start)?,
            excel_date(deadline)?,
        ));
        let dv = with_messages(
            dv,
            label,
            hint,
            &format!(
                "填报日期应在 {start}（报告期首日）至 {deadline}（本期报送截止日）之间，格式如 2025-10-08。早于报告期首日将提示警告（规则 T04），请核对年份；晚于截止日为迟报（规则 T03），报表仍会采用。确认日期无误可点“是”保留。"
            ),
        )?;
        Ok(dv.set_error_style(DataValidationErrorStyle::Warning))
    }

    // ---- 核心指标 ----------------------------------------------------------

    /// 核心指标: one row per indicator, its figures typed in white cells, last
    /// quarter's 累计值 beside them for reference; a note above.
    fn indicators(&self, spec: &SheetSpec) -> Res<Worksheet> {
        let st = &self.st;
        let mut ws = self.new_sheet(&spec.name)?;
        let header_row = 2;
        let reference_col = spec.fields.len() as u16;
        let last_col = reference_col;
        let mut widths = Widths::new(spec.fields.len() + 1, 10.0);
        let reference = self.last();
        for (c, f) in spec.fields.iter().enumerate() {
            ws.write_string_with_format(header_row, c as u16, &f.label, &st.header)?;
            widths.fit(c, text_units(&f.label));
        }
        ws.write_string_with_format(header_row, reference_col, REFERENCE_HEADER, &st.header)?;
        widths.fit(usize::from(reference_col), text_units(REFERENCE_HEADER));
        for (row, ind) in (header_row + 1..).zip(&self.config.indicators.all) {
            self.indicator_row(&mut ws, &mut widths, spec, row, ind)?;
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
        let note = self.indicators_note(reference);
        self.note_row(&mut ws, &widths, 1, last_col, &note, &st.note)?;
        ws.set_row_height(header_row, 34.0)?;
        xlsx::freeze_top(&mut ws, header_row + 1, 2)?;
        xlsx::fit_width(&mut ws, true);
        Self::protect(&mut ws, false);
        Ok(ws)
    }

    /// An indicator's row of 核心指标 (without the reference column): code,
    /// name and unit locked; 本季度新增 and 累计值 typed and checked.
    fn indicator_row(
        &self,
        ws: &mut Worksheet,
        widths: &mut Widths,
        spec: &SheetSpec,
        row: u32,
        ind: &Indicator,
    ) -> Res {
        let st = &self.st;
        let kind = if ind.is_amount() {
            Kind::Amount
        } else {
            Kind::Count
        };
        let given = self.given().and_then(|g| g.indicators.get(&ind.code));
        let given = |key: &str| given.and_then(|row| row.get(key)).cloned();
        for (c, f) in spec.fields.iter().enumerate() {
            let c16 = c as u16;
            match f.key.as_str() {
                "code" => {
                    ws.write_string_with_format(row, c16, &ind.code, &st.locked_center)?;
                    widths.fit(c, text_units(&ind.code));
                }
                "name" => {
                    ws.write_string_with_format(row, c16, &ind.name, &st.locked)?;
                    widths.fit(c, text_units(&ind.name));
                }
                "unit" => {
                    ws.write_string_with_format(row, c16, &ind.unit, &st.locked_center)?;
                }
                key @ ("new" | "cumulative") => {
                    let value = given(key).unwrap_or(Value::Empty);
                    self.put(ws, row, c16, &value, st.input(kind))?;
                    widths.fit(c, value.units());
                    let dv = self.indicator_check(ind, key, &f.label)?;
                    ws.add_data_validation(row, c16, row, c16, &dv)?;
                }
                key => {
                    let value = given(key).unwrap_or(Value::Empty);
                    self.put(ws, row, c16, &value, &st.input)?;
                }
            }
        }
        Ok(())
    }

    /// The check of an indicator's 本季度新增 (`key` "new") or 累计值: a
    /// number ≥ 0 (whole unless an amount), the prompt saying what the
    /// figure means for this kind of indicator and how it ties to others.
    fn indicator_check(&self, ind: &Indicator, key: &str, label: &str) -> Res<DataValidation> {
        let flow = ind.kind == IndicatorKind::Flow;
        let (cell_rule, check, error) = if ind.is_amount() {
            (
                format!("单位：{}，可有小数", ind.unit),
                DataValidation::new()
                    .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
                format!(
                    "请填写不小于 0 的数字（单位：{}），不要带单位或文字。",
                    ind.unit
                ),
            )
        } else {
            (
                format!("单位：{}，填整数", ind.unit),
                DataValidation::new()
                    .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
                format!("请填写不小于 0 的整数（单位：{}）。", ind.unit),
            )
        };
        let ties = ind
            .ties
            .as_deref()
            .map(|t| format!("勾稽：{t}。"))
            .unwrap_or_default();
        let meaning = match (key, flow) {
            ("new", true) => "必填。本季度新增 = 累计值 − 上季度累计值。".to_string(),
            ("new", false) => "时点指标，可不填。".to_string(),
            (_, true) => format!("必填。{}（{} 起）的累计总数。", self.since(), self.start()),
            (_, false) => "必填。季度末的时点数。".to_string(),
        };
        let message = format!("{meaning}{cell_rule}。{ties}{}", ind.description);
        let title = format!("{} {}", ind.code, ind.name);
        let dv = with_prompt(check, &title, &message)?;
        with_error(dv, &format!("{label}填写有误"), &error)
    }

    /// The note atop 核心指标: how to fill it, what 累计值 means for flow and
    /// stock indicators, and where the reference column comes from.
    fn indicators_note(&self, reference: Option<&Return>) -> String {
        let config = self.config;
        let source = match reference.and_then(Return::period) {
            Some(p) => {
                format!("“{REFERENCE_HEADER}”取自本区 {p} 已采用的报表，仅供核对，不会被读取。")
            }
            None if reference.is_some() => {
                format!("“{REFERENCE_HEADER}”取自本区上次已采用的报表，仅供核对，不会被读取。")
            }
            None if self.given().is_some() => format!("“{REFERENCE_HEADER}”仅供核对，不会被读取。"),
            None => format!("“{REFERENCE_HEADER}”仅供核对（本区尚无已采用的报表）。"),
        };
        format!(
            "白色单元格填写，灰色单元格不可修改；金额单位为万元。\n累计值：累计（流量）指标为{}（{} 起）的总数，时点指标（{}）为季度末的时点数。\n本季度新增 = 累计值 − 上季度累计值（时点指标可不填）。\n{source}",
            self.since(),
            self.start(),
            config
                .indicators
                .all
                .iter()
                .filter(|i| i.kind == IndicatorKind::Stock)
                .map(|i| i.code.as_str())
                .collect::<Vec<_>>()
                .join("、"),
        )
    }

    // ---- 项目清单 / 平台清单 -------------------------------------------------

    fn projects(&self, spec: &SheetSpec) -> Res<Worksheet> {
        let rows: Vec<Row> = match (self.given(), self.last()) {
            (Some(g), _) => g.projects.clone(),
            (None, Some(r)) => r
                .projects
                .iter()
                .map(|p| keyed(project_values(p)))
                .collect(),
            (None, None) => Vec::new(),
        };
        self.list(spec, &rows, Item::PROJECT)
    }

    fn platforms(&self, spec: &SheetSpec) -> Res<Worksheet> {
        let rows: Vec<Row> = match (self.given(), self.last()) {
            (Some(g), _) => g.platforms.clone(),
            (None, Some(r)) => r
                .platforms
                .iter()
                .map(|p| keyed(platform_values(p)))
                .collect(),
            (None, None) => Vec::new(),
        };
        self.list(spec, &rows, Item::PLATFORM)
    }

    /// A list sheet: title, note, header (required fields marked `*`), the
    /// prefilled rows, then empty input rows; every data cell unlocked.
    fn list(&self, spec: &SheetSpec, rows: &[Row], item: Item) -> Res<Worksheet> {
        let mut ws = self.new_sheet(&spec.name)?;
        let header_row = 2;
        let first = header_row + 1;
        let last = first + rows.len() as u32 + EMPTY_LIST_ROWS - 1;
        let cols = spec.fields.len();
        let last_col = (cols.max(1) - 1) as u16;
        let mut widths = Widths::new(cols, 8.0);
        for (c, f) in spec.fields.iter().enumerate() {
            self.list_column(&mut ws, &mut widths, (header_row, last), c, f, rows)?;
        }
        widths.apply(&mut ws, 44.0)?;
        self.title_row(&mut ws, 0, last_col, &self.sheet_title(&spec.name))?;
        let note = self.list_note(rows.len(), item);
        self.note_row(&mut ws, &widths, 1, last_col, &note, &self.st.note)?;
        ws.set_row_height(header_row, 34.0)?;
        xlsx::freeze_top(&mut ws, first, 2)?;
        xlsx::fit_width(&mut ws, true);
        Self::protect(&mut ws, true);
        Ok(ws)
    }

    /// Column `c` of a list sheet: its header in `header_row`, its cells
    /// below down to `last` (prefilled, else empty; 序号 numbered) and their
    /// check.
    fn list_column(
        &self,
        ws: &mut Worksheet,
        widths: &mut Widths,
        (header_row, last): (u32, u32),
        c: usize,
        f: &FieldSpec,
        rows: &[Row],
    ) -> Res {
        let st = &self.st;
        let first = header_row + 1;
        let c16 = c as u16;
        let header = if f.required {
            format!("{}*", f.label)
        } else {
            f.label.clone()
        };
        ws.write_string_with_format(header_row, c16, &header, &st.header)?;
        widths.fit(c, text_units(&header).min(14.0));
        let kind = if f.key == "seq" {
            Kind::Center
        } else {
            Kind::of(f)
        };
        // Room for what clerks usually type, even in an empty template.
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
            self.put(ws, r, c16, &value, st.input(kind))?;
        }
        let hint = match f.kind {
            FieldType::Amount => "单位：万元。".to_string(),
            FieldType::Date => format!(
                "不得晚于报告期末 {}；早于 {} 的将提示警告。",
                self.period.end(),
                self.start()
            ),
            _ => String::new(),
        };
        if let Some(dv) = self.validation(f, &hint)? {
            ws.add_data_validation(first, c16, last, c16, &dv)?;
        }
        Ok(())
    }

    /// The note atop a list sheet: what is prefilled (`count` rows) and how
    /// to go on.
    fn list_note(&self, count: usize, item: Item) -> String {
        let Item { noun, updates } = item;
        let prefilled = match (&self.fill, self.last()) {
            (_, Some(r)) if count > 0 => format!(
                "已预填本区{}已采用报表中的 {count} 个{noun}：请逐项核对、更新（如{updates}），\n不要删除——清单应保留{}的全部{noun}。",
                r.period().map(|p| format!(" {p} ")).unwrap_or_default(),
                self.since()
            ),
            (Prefill::Given(_), _) => format!("本表列出 {count} 个{noun}。"),
            _ => format!("请列出{}（{} 起）的全部{noun}，每行一个。", self.since(), self.start()),
        };
        format!(
            "{prefilled}\n本季度新增的{noun}接着往下填；中间不要留空行（空行以下的内容不会被读取），需要时可插入或删除整行。\n带 * 的列必填；可从下拉列表选择；高校可写多所，用“、”分隔；金额单位为万元，日期格式如 2025-10-08。"
        )
    }

    // ---- 情况说明 ----------------------------------------------------------

    /// 情况说明: rows to explain warnings (rule, place, text), with two notes
    /// above: how to fill it, and an example.
    fn explanations(&self, spec: &SheetSpec) -> Res<Worksheet> {
        let st = &self.st;
        let mut ws = self.new_sheet(&spec.name)?;
        let header_row = 3;
        let first = header_row + 1;
        let given: &[Row] = self.given().map_or(&[], |g| &g.explanations);
        let rows = (given.len() as u32).max(EXPLANATION_ROWS);
        let cols = spec.fields.len();
        let last_col = (cols.max(1) - 1) as u16;
        let mut widths = Widths::new(cols, 12.0);
        for (c, f) in spec.fields.iter().enumerate() {
            let c16 = c as u16;
            ws.write_string_with_format(header_row, c16, &f.label, &st.header)?;
            let format = match f.key.as_str() {
                "text" => st.input.clone().set_text_wrap(),
                "rule" => st.input(Kind::Center).clone(),
                _ => st.input(Kind::Text).clone(),
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
                let value = given
                    .get(r as usize)
                    .and_then(|g| g.get(f.key.as_str()))
                    .cloned()
                    .unwrap_or(Value::Empty);
                self.put(&mut ws, first + r, c16, &value, &format)?;
            }
            if let Some(dv) = self.explanation_check(f)? {
                ws.add_data_validation(first, c16, first + rows - 1, c16, &dv)?;
            }
        }
        widths.apply(&mut ws, 64.0)?;
        self.title_row(&mut ws, 0, last_col, &self.sheet_title(&spec.name))?;
        self.explanations_notes(&mut ws, &widths, last_col)?;
        xlsx::freeze_top(&mut ws, first, 0)?;
        xlsx::fit_width(&mut ws, false);
        Self::protect(&mut ws, true);
        Ok(ws)
    }

    /// The check of a 情况说明 column: a rule number from the drop-down
    /// (others let through after a question), a prompt for the place.
    fn explanation_check(&self, f: &FieldSpec) -> Res<Option<DataValidation>> {
        let dv = match f.key.as_str() {
            "rule" => match self.lists.formula("rules") {
                Some(list) => {
                    let dv = with_prompt(
                        DataValidation::new().allow_list_formula(list),
                        &f.label,
                        "填写校验结果中需要说明的警告的规则编号，如 X08。可从下拉列表选择。",
                    )?;
                    let dv = with_error(
                        dv,
                        "规则编号",
                        "该编号不在常见警告规则中。错误不能以说明代替，请先更正；确认无误可点“确定”保留。",
                    )?;
                    Some(dv.set_error_style(DataValidationErrorStyle::Information))
                }
                None => None,
            },
            "location" => Some(with_prompt(
                DataValidation::new().allow_any_value(),
                &f.label,
                "警告所在的位置：单元格（如 核心指标!E7）、指标代码（如 SG04）或项目/平台名称。",
            )?),
            _ => None,
        };
        Ok(dv)
    }

    /// The two notes atop 情况说明: how to explain, and an example row (on
    /// grey, so it is not taken for data).
    fn explanations_notes(&self, ws: &mut Worksheet, widths: &Widths, last_col: u16) -> Res {
        let st = &self.st;
        self.note_row(
            ws,
            widths,
            1,
            last_col,
            "对校验结果中的警告逐条说明原因，每条一行；错误不能以说明代替，须更正后重新报送。\n规则编号见“填表说明”；位置可写单元格（如 核心指标!E7）、\n指标代码（如 SG04）或项目、平台名称。",
            &st.note,
        )?;
        self.note_row(
            ws,
            widths,
            2,
            last_col,
            "示例（不是数据行）：规则编号 X08 ｜ 位置 SG09 ｜\n说明 本季度举办校地技术需求对接会，集中发布企业技术需求 90 项。",
            &st.note.clone().set_background_color(Color::RGB(palette::LOCKED)),
        )
    }

    // ---- 填表说明 ----------------------------------------------------------

    /// 填表说明: five sections of instructions, tables of the indicators, the
    /// drop-down values and the rules among them.
    fn instructions(&self) -> Res<Worksheet> {
        let mut ws = self.new_sheet(INSTRUCTIONS_SHEET)?;
        let mut widths = Widths(vec![10.0, 24.0, 10.0, 12.0, 62.0]);
        widths.apply(&mut ws, 80.0)?;
        let title = format!("{} · {INSTRUCTIONS_SHEET}", self.title);
        self.title_row(&mut ws, 0, Instructions::LAST_COL, &title)?;
        let mut page = Instructions {
            book: self,
            ws,
            widths,
            row: 2,
        };
        page.basics()?;
        page.indicators()?;
        page.choices()?;
        page.rules()?;
        page.writing()?;
        let mut ws = page.ws;
        xlsx::fit_width(&mut ws, false);
        Self::protect(&mut ws, false);
        Ok(ws)
    }

    // ---- 模板信息 (hidden) --------------------------------------------------

    /// 模板信息, hidden: the template's stamp, then the drop-down sources.
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
            widths.fit(c, text_units(header));
            for (r, v) in (LIST_HEADER_ROW + 1..).zip(values) {
                ws.write_string(r, c as u16, v)?;
                widths.fit(c, text_units(v));
            }
        }
        widths.apply(&mut ws, 40.0)?;
        ws.set_hidden(true);
        ws.protect();
        Ok(ws)
    }
}

/// What a list sheet lists: the noun, and what usually changes in a
/// prefilled row (the note atop the sheet names it).
#[derive(Debug, Clone, Copy)]
struct Item {
    noun: &'static str,
    updates: &'static str,
}

impl Item {
    const PROJECT: Item = Item {
        noun: "项目",
        updates: "项目状态、累计到位经费",
    };
    const PLATFORM: Item = Item {
        noun: "平台",
        updates: "平台级别、累计投入",
    };
}

/// 填表说明 being written: paragraphs and tables down one sheet, `row` the
/// next free row.
struct Instructions<'b> {
    book: &'b Book<'b>,
    ws: Worksheet,
    widths: Widths,
    row: u32,
}

impl Instructions<'_> {
    /// Paragraphs span the sheet up to this column.
    const LAST_COL: u16 = 4;

    /// A section title.
    fn section(&mut self, text: &str) -> Res {
        let st = &self.book.st;
        self.ws
            .write_string_with_format(self.row, 0, text, &st.section)?;
        self.ws.set_row_height(self.row, 22.0)?;
        self.row += 1;
        Ok(())
    }

    /// A paragraph across the sheet, its row as tall as its wrapped text.
    fn paragraph(&mut self, text: &str) -> Res {
        let plain = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        self.book.note_row(
            &mut self.ws,
            &self.widths,
            self.row,
            Self::LAST_COL,
            text,
            &plain,
        )?;
        self.row += 1;
        Ok(())
    }

    /// A table's header row; the last header spans to the last column when
    /// there are fewer headers than columns.
    fn header_row(&mut self, headers: &[&str]) -> Res {
        let st = &self.book.st;
        let last = headers.len() - 1;
        for (c, h) in headers.iter().enumerate() {
            if c == last && c < usize::from(Self::LAST_COL) {
                self.ws
                    .merge_range(self.row, c as u16, self.row, Self::LAST_COL, h, &st.header)?;
            } else {
                self.ws
                    .write_string_with_format(self.row, c as u16, *h, &st.header)?;
            }
        }
        self.row += 1;
        Ok(())
    }

    /// The name of a form sheet by its key.
    fn sheet_name(&self, key: &str) -> String {
        let form = &self.book.config.form;
        form.sheet(key).map_or(key.to_string(), |s| s.name.clone())
    }

    /// 一、基本要求: who fills what, units, dates, deadline, lists, pairs,
    /// explanations, the hidden stamp.
    fn basics(&mut self) -> Res {
        let book = self.book;
        let config = book.config;
        let paired = config.registry.paired_universities(&book.zone.name);
        let deadline = config.calendar.deadline(book.period);
        let (pilot, since) = (book.start(), book.since());
        let (projects, platforms) = (self.sheet_name("projects"), self.sheet_name("platforms"));
        let rules_sheet = self.sheet_name("explanations");
        self.section("一、基本要求")?;
        for text in [
            format!(
                "1. 本表为{}{}（{}）{}季度报表，按省统一格式生成（模板版本 {TEMPLATE_VERSION}）。请只在白色单元格中填写；灰色单元格为预填内容或说明，已锁定，不可修改。",
                book.zone.name,
                book.period.label_zh(),
                book.period,
                config.calendar.stage_at(book.period).programme
            ),
            format!(
                "2. 请勿修改工作表名称和表头文字，勿插入或删除列；可调整列宽、行高。{projects}和{platforms}可插入或删除整行。"
            ),
            "3. 金额单位一律为万元，只填数字，不要写“万元”“元”等单位；个数、人数等填整数。数字不能为负。".to_string(),
            format!(
                "4. 日期按 2025-10-08（年-月-日）格式填写，如 2025-10-08、2026-01-15。立项日期、建成日期不得晚于报告期末 {}。",
                book.period.end()
            ),
            format!(
                "5. 本期报送截止日：{deadline}。填报日期应在 {}（报告期首日）至截止日之间：晚于截止日为迟报（规则 T03），早于报告期首日将提示警告（规则 T04）。",
                book.period.start()
            ),
            format!(
                "6. {projects}和{platforms}应列出{since}（{pilot} 起）的全部项目和平台，已按本区上次已采用的报表预填：请逐项更新（如{projects}的{}，{platforms}的{}），新增条目接在后面；中间不要留空行，空行以下的内容不会被读取。",
                Item::PROJECT.updates,
                Item::PLATFORM.updates
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
            self.paragraph(&text)?;
        }
        self.row += 1;
        Ok(())
    }

    /// 二、核心指标: a table of the indicators (code, name, unit, kind,
    /// meaning and ties), then what flow and stock mean.
    fn indicators(&mut self) -> Res {
        let book = self.book;
        let st = &book.st;
        self.section(&format!("二、{}", self.sheet_name("indicators")))?;
        self.header_row(&["指标代码", "指标名称", "计量单位", "类型", "含义与勾稽关系"])?;
        for ind in &book.config.indicators.all {
            let kind = match ind.kind {
                IndicatorKind::Flow => "累计（流量）",
                IndicatorKind::Stock => "时点（存量）",
            };
            let mut meaning = ind.description.clone();
            if let Some(t) = &ind.ties {
                meaning.push_str(&format!("勾稽：{t}。"));
            }
            let (ws, row) = (&mut self.ws, self.row);
            ws.write_string_with_format(row, 0, &ind.code, &st.locked_center)?;
            ws.write_string_with_format(row, 1, &ind.name, &st.locked_wrap)?;
            ws.write_string_with_format(row, 2, &ind.unit, &st.locked_center)?;
            ws.write_string_with_format(row, 3, kind, &st.locked_center)?;
            ws.write_string_with_format(row, 4, &meaning, &st.locked_wrap)?;
            let lines = Wrap::FORM
                .lines(&meaning, self.widths.0[4])
                .max(Wrap::FORM.lines(&ind.name, self.widths.0[1]));
            ws.set_row_height(row, Wrap::FORM.height(lines))?;
            self.row += 1;
        }
        let (pilot, since) = (book.start(), book.since());
        self.paragraph(&format!(
            "累计（流量）指标：累计值为{since}（{pilot} 起）的总数，不应比上季度少；本季度新增 = 累计值 − 上季度累计值。时点（存量）指标：累计值为季度末的时点数，本季度新增可不填。"
        ))?;
        self.row += 1;
        Ok(())
    }

    /// 三、清单的可选值: every field with a drop-down, and its values.
    fn choices(&mut self) -> Res {
        let book = self.book;
        let st = &book.st;
        let form = &book.config.form;
        self.section("三、清单的可选值")?;
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
                let (ws, row) = (&mut self.ws, self.row);
                ws.write_string_with_format(row, 0, &sheet.name, &st.locked)?;
                ws.write_string_with_format(row, 1, &f.label, &st.locked)?;
                ws.merge_range(
                    row,
                    2,
                    row,
                    Self::LAST_COL,
                    &format!("{}{blank}", e.values.join("、")),
                    &st.locked_wrap,
                )?;
                ws.set_row_height(row, 20.0)?;
                self.row += 1;
            }
        }
        self.row += 1;
        Ok(())
    }

    /// 四、校验规则: what errors, warnings and notices mean, then every rule
    /// with its severities and what each asks of the clerk.
    fn rules(&mut self) -> Res {
        let book = self.book;
        let st = &book.st;
        self.section("四、校验规则")?;
        self.paragraph(
            "报送后系统逐项校验。错误：报表退回修改，本期数据不予采用；警告：数据采用，但须在“情况说明”中说明；提示：已自动规范化（如全角数字、带单位的金额），无需处理。",
        )?;
        self.header_row(&["规则编号", "规则", "程度", "处理"])?;
        for (id, _) in KNOWN_RULES {
            let Some(rule) = book.config.rules.rule.get(*id) else {
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
            let (label, action) = severity_texts(&severities);
            let (ws, row) = (&mut self.ws, self.row);
            ws.write_string_with_format(row, 0, *id, &st.locked_center)?;
            ws.write_string_with_format(row, 1, &rule.title, &st.locked)?;
            ws.write_string_with_format(row, 2, &label, &st.locked_center)?;
            ws.merge_range(row, 3, row, Self::LAST_COL, &action, &st.locked)?;
            ws.set_row_height(row, 20.0)?;
            self.row += 1;
        }
        self.row += 1;
        Ok(())
    }

    /// 五、日期与数字的写法: dates and amounts as the reader takes them.
    fn writing(&mut self) -> Res {
        self.section("五、日期与数字的写法")?;
        for text in [
            "日期：2025-10-08（推荐）。表中日期单元格已设为“年-月-日”格式，直接输入 2025-10-08 或 2025/10/8 即可。",
            "金额：1200 表示 1,200 万元；0.35 亿元请写作 3500。不要写“1200万元”“1.2亿”。",
            "报告期、高新区名称已预填，请勿改动；如模板与本区或本期不符，请联系省科技厅重新获取模板。",
        ] {
            self.paragraph(text)?;
        }
        Ok(())
    }
}

/// A rule's severities as 程度 (`错误/警告`) and what each asks of the clerk
/// (处理).
fn severity_texts(severities: &[Severity]) -> (String, String) {
    let label = severities
        .iter()
        .map(|s| s.label_zh())
        .collect::<Vec<_>>()
        .join("/");
    let action = severities
        .iter()
        .map(|s| match s {
            Severity::Error => Verdict::SentBack.label_zh(),
            Severity::Warning => "须在情况说明中说明",
            Severity::Info => "无需处理",
        })
        .collect::<Vec<_>>()
        .join("；部分情形");
    (label, action)
}

/// 填报单位, 填报人 or 联系电话 of a return, by field key.
fn contact_value<'r>(r: &'r Return, key: &str) -> Option<&'r str> {
    let i = &r.info;
    match key {
        "unit" => i.unit.as_deref(),
        "filler" => i.filler.as_deref(),
        _ => i.phone.as_deref(),
    }
}

/// A 五个一 field of a return, by field key.
fn five_one_value(r: &Return, key: &str) -> Value {
    let i = &r.info;
    match key {
        "fund_size" => Value::number(i.fund_size.as_ref().map(|l| l.value)),
        "industry" => Value::text(i.industry.as_deref()),
        "platform" => Value::text(i.platform.as_deref()),
        "talent" => Value::text(i.talent.as_deref()),
        _ => Value::text(i.fund_name.as_deref()),
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
