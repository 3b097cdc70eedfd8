//! From cells to a typed return: every cell-level rule (V01–V08, I01–I04,
//! T01–T04) and the checks inside one return (S03, X01–X04, X09, D01, D02).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;

use super::normalize::{self, is_blank, Measure, Problem, Read};
use crate::config::{Config, FieldSpec, IndicatorKind};
use crate::ingest::{RawCell, RawReturn, RawRow, RawSheet};
use crate::model::{
    BasicInfo, Explanation, IndicatorValue, Issue, Located, Period, PlatformRow, ProjectRow, Return,
};
use crate::text::label_key;

/// Differences below this are rounding, not disagreement (万元 to 4 decimals).
pub const TOLERANCE: f64 = 1e-4;

/// Types one return. `period` is the quarter being processed, when known.
pub fn parse(raw: &RawReturn, config: &Config, period: Option<Period>) -> (Return, Vec<Issue>) {
    let mut p = Parser {
        config,
        issues: raw.issues.clone(),
    };
    let basic = raw.sheet("basic");
    let info = basic.map(|s| p.basic(&s, period)).unwrap_or_default();
    let zone = info
        .zone_text
        .as_ref()
        .and_then(|z| config.registry.zone_by_text(&z.value))
        .map(|z| z.code.clone());
    let zone_name = zone
        .as_deref()
        .and_then(|c| config.registry.zone(c))
        .map(|z| z.name.clone());
    let return_period = period.or(info.period.as_ref().map(|p| p.value));
    if let Some(stamp) = &raw.template {
        p.template_stamp(stamp, &info, zone.as_deref());
    }

    let indicators = raw
        .sheet("indicators")
        .map(|s| p.indicators(&s))
        .unwrap_or_default();
    let projects = raw
        .sheet("projects")
        .map(|s| p.projects(&s, zone_name.as_deref(), return_period))
        .unwrap_or_default();
    let platforms = raw
        .sheet("platforms")
        .map(|s| p.platforms(&s, zone_name.as_deref(), return_period))
        .unwrap_or_default();
    let explanations = raw
        .sheet("explanations")
        .map(|s| p.explanations(&s))
        .unwrap_or_default();
    let rows_read = ["indicators", "projects", "platforms"]
        .iter()
        .filter_map(|k| raw.sheet(k))
        .map(|s| s.row_count())
        .sum();

    let ret = Return {
        source: raw.source.clone(),
        zone,
        info,
        indicators,
        projects,
        platforms,
        explanations,
        sheets: raw
            .sheets
            .iter()
            .map(|(k, s)| (k.clone(), s.name.to_string()))
            .collect(),
        rows_read,
        is_sample: raw.is_sample,
    };
    let mut issues = p.issues;
    cross_checks(&ret, raw, &mut issues);
    (ret, issues)
}

/// The 报告期 a file states, read without checking anything else.
pub fn stated_period(raw: &RawReturn, config: &Config) -> Option<Period> {
    let key = &field(config, "basic", "period").key;
    let cell = raw.sheet("basic")?.rows().next()?.get(key)?;
    Period::parse(&cell.value.display())
}

/// A number as a clerk writes it, formatted only when a message shows it.
struct Shown(f64);

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&normalize::show(self.0))
    }
}

/// A field the code reads; `Config::load` checked that each one exists.
fn field<'c>(config: &'c Config, sheet: &str, key: &str) -> &'c FieldSpec {
    config
        .form
        .sheet(sheet)
        .and_then(|s| s.field(key))
        .expect("form.toml was checked at load")
}

struct Parser<'a> {
    config: &'a Config,
    issues: Vec<Issue>,
}

impl Parser<'_> {
    /// The cell of a field, or `None` when its column is missing (S02 said so)
    /// or it is blank (V01 when required).
    fn present<'r>(
        &mut self,
        sheet: &RawSheet,
        row: RawRow<'r>,
        field: &FieldSpec,
        required: bool,
    ) -> Option<RawCell<'r>> {
        let cell = row.get(&field.key)?;
        if is_blank(cell.value) {
            if required {
                let what = match field.kind {
                    crate::config::FieldType::Enum => "可选值之一",
                    crate::config::FieldType::Date => "日期",
                    crate::config::FieldType::Amount
                    | crate::config::FieldType::Count
                    | crate::config::FieldType::Number => "数值（没有请填 0）",
                    _ => "内容",
                };
                self.issues.push(
                    Issue::new("V01")
                        .at(sheet.name, cell.pos)
                        .expected(what)
                        .arg("field", &field.label),
                );
            }
            return None;
        }
        Some(cell)
    }

    fn problem(&mut self, sheet: &RawSheet, cell: RawCell, field: &FieldSpec, problem: Problem) {
        let seen = cell.value.display();
        let issue = match problem {
            Problem::NotNumber(expected) => Issue::new("V02").expected(expected),
            Problem::NotDate => Issue::new("V05").expected("日期，如 2025-10-08"),
            Problem::FormulaError => Issue::new("V06").expected("数值"),
            Problem::NotAllowed(closest) => {
                let allowed = field
                    .enumeration
                    .as_deref()
                    .and_then(|e| self.config.form.enumeration(e))
                    .map(|e| e.values.join("/"))
                    .unwrap_or_default();
                Issue::new("V04")
                    .expected(allowed)
                    .arg("suggestion", closest)
            }
        };
        self.issues.push(
            issue
                .at(sheet.name, cell.pos)
                .value(seen)
                .arg("field", &field.label),
        );
    }

    fn noted<T: ToString>(
        &mut self,
        sheet: &RawSheet,
        cell: RawCell,
        field: &FieldSpec,
        read: &Read<T>,
    ) {
        if !read.notes.is_empty() && !read.from_yuan {
            self.issues.push(
                Issue::new("V07")
                    .at(sheet.name, cell.pos)
                    .value(cell.value.display())
                    .expected(read.value.to_string())
                    .arg("field", &field.label)
                    .arg("reason", read.notes.join("、")),
            );
        }
    }

    fn number(
        &mut self,
        sheet: &RawSheet,
        row: RawRow,
        field: &FieldSpec,
        measure: Measure,
        required: bool,
    ) -> Option<Located<f64>> {
        let cell = self.present(sheet, row, field, required)?;
        match normalize::number(cell.value, measure) {
            Ok(read) => {
                if read.value < 0.0 {
                    self.issues.push(
                        Issue::new("V03")
                            .at(sheet.name, cell.pos)
                            .value(normalize::show(read.value))
                            .expected("≥ 0")
                            .arg("field", &field.label),
                    );
                    return None;
                }
                if read.from_yuan {
                    self.issues.push(
                        Issue::new("V08")
                            .variant("yuan_unit")
                            .at(sheet.name, cell.pos)
                            .value(cell.value.display())
                            .expected(normalize::show(read.value))
                            .arg("field", &field.label),
                    );
                }
                let value = read.value;
                let shown = Read {
                    value: Shown(value),
                    notes: read.notes,
                    from_yuan: read.from_yuan,
                };
                self.noted(sheet, cell, field, &shown);
                Some(Located {
                    value,
                    sheet: Arc::clone(sheet.name),
                    cell: cell.pos,
                })
            }
            Err(problem) => {
                self.problem(sheet, cell, field, problem);
                None
            }
        }
    }

    /// An amount in 万元, with the "written in 元" magnitude check.
    fn amount(
        &mut self,
        sheet: &RawSheet,
        row: RawRow,
        field: &FieldSpec,
        required: bool,
    ) -> Option<Located<f64>> {
        let v = self.number(sheet, row, field, Measure::Amount, required)?;
        self.magnitude(field, &v);
        Some(v)
    }

    fn magnitude(&mut self, field: &FieldSpec, v: &Located<f64>) {
        if v.value >= self.config.rules.thresholds.wan_yuan_suspect {
            self.issues.push(
                Issue::new("V08")
                    .at(&v.sheet, v.cell)
                    .value(normalize::show(v.value))
                    .expected(format!(
                        "< {}",
                        normalize::show(self.config.rules.thresholds.wan_yuan_suspect)
                    ))
                    .arg("field", &field.label),
            );
        }
    }

    fn date(
        &mut self,
        sheet: &RawSheet,
        row: RawRow,
        field: &FieldSpec,
        required: bool,
    ) -> Option<Located<NaiveDate>> {
        let cell = self.present(sheet, row, field, required)?;
        match normalize::date(cell.value) {
            Ok(read) => {
                self.noted(sheet, cell, field, &read);
                Some(Located {
                    value: read.value,
                    sheet: Arc::clone(sheet.name),
                    cell: cell.pos,
                })
            }
            Err(problem) => {
                self.problem(sheet, cell, field, problem);
                None
            }
        }
    }

    fn text(
        &mut self,
        sheet: &RawSheet,
        row: RawRow,
        field: &FieldSpec,
    ) -> Option<Located<String>> {
        let cell = self.present(sheet, row, field, field.required)?;
        match normalize::text(cell.value) {
            Ok(t) => Some(Located {
                value: t,
                sheet: Arc::clone(sheet.name),
                cell: cell.pos,
            }),
            Err(problem) => {
                self.problem(sheet, cell, field, problem);
                None
            }
        }
    }

    fn choice(&mut self, sheet: &RawSheet, row: RawRow, field: &FieldSpec) -> Option<String> {
        let e = self
            .config
            .form
            .enumeration(field.enumeration.as_deref().unwrap_or_default())?;
        let required = field.required && e.blank.is_none();
        let Some(cell) = self.present(sheet, row, field, required) else {
            return e.blank.clone();
        };
        match normalize::enumeration(cell.value, e) {
            Ok(read) => {
                self.noted(sheet, cell, field, &read);
                Some(read.value)
            }
            Err(problem) => {
                self.problem(sheet, cell, field, problem);
                None
            }
        }
    }

    /// A generated template names its zone and quarter; the clerk's 基本信息
    /// must agree (a template passed on to the wrong zone is caught here).
    fn template_stamp(
        &mut self,
        stamp: &crate::ingest::TemplateStamp,
        info: &BasicInfo,
        zone: Option<&str>,
    ) {
        if let (Some(meant), Some(written)) =
            (self.config.registry.zone(&stamp.zone_code), &info.zone_text)
        {
            if zone.is_some_and(|z| meant.code != z) {
                self.issues.push(
                    Issue::new("I01")
                        .variant("template")
                        .at(&written.sheet, written.cell)
                        .value(&written.value)
                        .expected(&meant.name),
                );
            }
        }
        if let (Some(meant), Some(written)) = (Period::parse(&stamp.period), &info.period) {
            if meant != written.value {
                self.issues.push(
                    Issue::new("I04")
                        .variant("template")
                        .at(&written.sheet, written.cell)
                        .value(written.value)
                        .expected(meant),
                );
            }
        }
    }

    fn basic(&mut self, sheet: &RawSheet, period: Option<Period>) -> BasicInfo {
        let Some(row) = sheet.rows().next() else {
            return BasicInfo::default();
        };
        let config = self.config;
        let f = |k| field(config, "basic", k);
        let info = BasicInfo {
            zone_text: self.zone_name(sheet, row, f("zone")),
            period: self.stated_period(sheet, row, f("period"), period),
            unit: self.text(sheet, row, f("unit")).map(|l| l.value),
            filler: self.text(sheet, row, f("filler")).map(|l| l.value),
            phone: self.text(sheet, row, f("phone")).map(|l| l.value),
            fill_date: self.date(sheet, row, f("fill_date"), true),
            industry: self.text(sheet, row, f("industry")).map(|l| l.value),
            platform: self.text(sheet, row, f("platform")).map(|l| l.value),
            talent: self.text(sheet, row, f("talent")).map(|l| l.value),
            fund_name: self.text(sheet, row, f("fund_name")).map(|l| l.value),
            fund_size: self.amount(sheet, row, f("fund_size"), true),
        };
        let quarter = period.or(info.period.as_ref().map(|p| p.value));
        if let (Some(d), Some(p)) = (&info.fill_date, quarter) {
            self.fill_date_in_time(d, p);
        }
        info
    }

    /// T03: 填报日期 after the quarter's deadline; T04: before the quarter
    /// began (a year typed wrong, an old file sent again).
    fn fill_date_in_time(&mut self, d: &Located<NaiveDate>, p: Period) {
        let deadline = self.config.calendar.deadline(p);
        if d.value > deadline {
            self.issues.push(
                Issue::new("T03")
                    .at(&d.sheet, d.cell)
                    .value(d.value)
                    .expected(deadline),
            );
        }
        if d.value < p.start() {
            self.issues.push(
                Issue::new("T04")
                    .at(&d.sheet, d.cell)
                    .value(d.value)
                    .expected(p.start()),
            );
        }
    }

    /// 高新区名称 as written: V07 for an alias, I01 for a name not in the registry.
    fn zone_name(
        &mut self,
        sheet: &RawSheet,
        row: RawRow,
        spec: &FieldSpec,
    ) -> Option<Located<String>> {
        let zone = self.text(sheet, row, spec)?;
        match self.config.registry.zone_by_text(&zone.value) {
            Some(z) if z.name != zone.value => self.issues.push(
                Issue::new("V07")
                    .at(sheet.name, zone.cell)
                    .value(&zone.value)
                    .expected(&z.name)
                    .arg("field", &spec.label)
                    .arg("reason", "别名换为规范名称"),
            ),
            Some(_) => {}
            None => self.issues.push(
                Issue::new("I01")
                    .at(sheet.name, zone.cell)
                    .value(&zone.value)
                    .expected("高新区名单中的名称")
                    .arg("suggestion", self.config.registry.closest_zone(&zone.value)),
            ),
        }
        Some(zone)
    }

    /// 报告期 as written: I04 when unreadable or not the quarter checked.
    fn stated_period(
        &mut self,
        sheet: &RawSheet,
        row: RawRow,
        spec: &FieldSpec,
        period: Option<Period>,
    ) -> Option<Located<Period>> {
        let cell = self.present(sheet, row, spec, true)?;
        let shown = cell.value.display();
        let Some(p) = Period::parse(&shown) else {
            self.issues.push(
                Issue::new("I04")
                    .variant("unreadable")
                    .at(sheet.name, cell.pos)
                    .value(shown)
                    .expected(period.map_or("2026Q3".to_string(), |p| p.to_string())),
            );
            return None;
        };
        if let Some(expected) = period.filter(|e| *e != p) {
            self.issues.push(
                Issue::new("I04")
                    .at(sheet.name, cell.pos)
                    .value(p)
                    .expected(expected),
            );
        }
        Some(Located {
            value: p,
            sheet: Arc::clone(sheet.name),
            cell: cell.pos,
        })
    }

    fn indicators(&mut self, sheet: &RawSheet) -> BTreeMap<String, IndicatorValue> {
        let code_field = field(self.config, "indicators", "code");
        let new_field = field(self.config, "indicators", "new");
        let cum_field = field(self.config, "indicators", "cumulative");
        let mut out: BTreeMap<String, IndicatorValue> = BTreeMap::new();
        let mut first_row: HashMap<String, String> = HashMap::new();
        for row in sheet.rows() {
            let Some(code_cell) = self.present(sheet, row, code_field, true) else {
                continue;
            };
            let written = code_cell.value.display();
            let code = label_key(&written).to_uppercase();
            let Some(indicator) = self.config.indicators.get(&code) else {
                self.issues.push(
                    Issue::new("S03")
                        .variant("unknown")
                        .at(sheet.name, code_cell.pos)
                        .value(&written)
                        .expected(self.config.indicators.code_range()),
                );
                continue;
            };
            if let Some(first) = first_row.get(&code) {
                self.issues.push(
                    Issue::new("S03")
                        .variant("duplicate")
                        .at(sheet.name, code_cell.pos)
                        .value(&code)
                        .arg("other", first),
                );
                continue;
            }
            first_row.insert(code.clone(), code_cell.pos.a1());
            if code != written {
                self.issues.push(
                    Issue::new("V07")
                        .at(sheet.name, code_cell.pos)
                        .value(&written)
                        .expected(&code)
                        .arg("field", &code_field.label)
                        .arg("reason", "指标代码规范化"),
                );
            }
            let measure = if indicator.is_amount() {
                Measure::Amount
            } else {
                Measure::Count(&indicator.unit)
            };
            let flow = indicator.kind == IndicatorKind::Flow;
            let new = self.number(sheet, row, new_field, measure, flow);
            let cumulative = self.number(sheet, row, cum_field, measure, true);
            if indicator.is_amount() {
                if let Some(c) = &cumulative {
                    self.magnitude(cum_field, c);
                }
            }
            out.insert(
                code.clone(),
                IndicatorValue {
                    code,
                    new,
                    cumulative,
                },
            );
        }
        for indicator in &self.config.indicators.all {
            if !first_row.contains_key(&indicator.code) {
                self.issues.push(
                    Issue::new("S03")
                        .sheet(&**sheet.name)
                        .expected(&indicator.code)
                        .arg("indicator", &indicator.name),
                );
            }
        }
        out
    }

    /// A 合作高校 / 共建高校 cell: registry names, I02 for unknown ones,
    /// I03 for known ones not paired with the zone.
    fn universities(
        &mut self,
        sheet: &RawSheet,
        row: RawRow,
        field: &FieldSpec,
        zone: Option<&str>,
    ) -> Vec<String> {
        let Some(cell) = self.present(sheet, row, field, true) else {
            return Vec::new();
        };
        let text = cell.value.display();
        let mut names = Vec::new();
        let mut aliased = false;
        let paired = zone.map(|z| self.config.registry.paired_universities(z));
        for written in normalize::names(&text) {
            match self.config.registry.university_by_text(&written) {
                Some(u) => {
                    aliased |= u.name != written;
                    if let Some(paired) = &paired {
                        if !paired.is_empty() && !paired.contains(&u.name.as_str()) {
                            self.issues.push(
                                Issue::new("I03")
                                    .at(sheet.name, cell.pos)
                                    .value(&u.name)
                                    .expected(paired.join("、")),
                            );
                        }
                    }
                    names.push(u.name.clone());
                }
                None => {
                    let mut issue = Issue::new("I02")
                        .at(sheet.name, cell.pos)
                        .value(&written)
                        .expected("高校名录中的高校全称");
                    if let Some(likely) = self.config.registry.likely_university(&written) {
                        issue = issue.variant("similar").arg("suggestion", likely);
                    }
                    self.issues.push(issue);
                    names.push(written.to_string());
                }
            }
        }
        if aliased {
            self.issues.push(
                Issue::new("V07")
                    .at(sheet.name, cell.pos)
                    .value(&text)
                    .expected(names.join("、"))
                    .arg("field", &field.label)
                    .arg("reason", "高校简称换为全称"),
            );
        }
        names
    }

    /// T01 / T02 on a 立项日期 or 建成日期.
    fn date_in_pilot(
        &mut self,
        d: &Located<NaiveDate>,
        field: &FieldSpec,
        (period, zone): (Option<Period>, Option<&str>),
        item_kind: &str,
    ) {
        if let Some(p) = period {
            if d.value > p.end() {
                self.issues.push(
                    Issue::new("T01")
                        .at(&d.sheet, d.cell)
                        .value(d.value)
                        .expected(p.end())
                        .arg("field", &field.label),
                );
            }
        }
        // The zone's 累计 counts from its cohort's start (the pilots': the
        // programme's); a return naming no known zone is held to the latter.
        let cohort = zone
            .and_then(|z| self.config.registry.zone_by_text(z))
            .map(|z| self.config.calendar.cohort(z.cohort));
        let (start, start_name) = cohort.map_or(
            (self.config.calendar.pilot_start, "试点开始日".to_string()),
            |c| (c.start, c.start_name),
        );
        if d.value < start {
            self.issues.push(
                Issue::new("T02")
                    .at(&d.sheet, d.cell)
                    .value(d.value)
                    .expected(start)
                    .arg("field", &field.label)
                    .arg("item_kind", item_kind)
                    .arg("start_name", &start_name),
            );
        }
    }

    fn projects(
        &mut self,
        sheet: &RawSheet,
        zone: Option<&str>,
        period: Option<Period>,
    ) -> Vec<ProjectRow> {
        let fields = ProjectFields::new(self.config);
        let mut out = Vec::new();
        for row in sheet.rows() {
            let name = self.text(sheet, row, fields.name);
            let universities = self.universities(sheet, row, fields.universities, zone);
            let enterprise = self.text(sheet, row, fields.enterprise);
            let field = self.text(sheet, row, fields.field);
            let category = self.choice(sheet, row, fields.category);
            let start = self.date(sheet, row, fields.start_date, true);
            if let Some(d) = &start {
                self.date_in_pilot(d, fields.start_date, (period, zone), "项目");
            }
            let contract = self.amount(sheet, row, fields.contract, true);
            let funded = self.amount(sheet, row, fields.funded, true);
            let status = self.choice(sheet, row, fields.status);
            let benchmark = self.choice(sheet, row, fields.benchmark);
            let name = name.unwrap_or_else(|| Located {
                value: String::new(),
                sheet: Arc::clone(sheet.name),
                cell: row.get("name").map_or(
                    crate::model::CellPos::new(row.row.saturating_sub(1), 0),
                    |c| c.pos,
                ),
            });
            self.project_amounts(&fields, &name.value, contract.as_ref(), funded.as_ref());
            let match_key = project_key(&name.value, enterprise.as_ref().map_or("", |e| &e.value));
            out.push(ProjectRow {
                row: row.row,
                sheet: Arc::clone(sheet.name),
                name,
                universities,
                enterprise: enterprise.map(|e| e.value).unwrap_or_default(),
                field: field.map(|f| f.value),
                category,
                start_date: start.map(|d| d.value),
                contract: contract.map(|c| c.value),
                funded,
                status,
                benchmark: benchmark.as_deref() == Some("是"),
                match_key,
            });
        }
        duplicates(
            "D01",
            &out.iter().map(|p| &p.name).collect::<Vec<_>>(),
            &mut self.issues,
        );
        out
    }

    /// V08 for a contract beyond the plausible, X04 for funding beyond the
    /// contract.
    fn project_amounts(
        &mut self,
        fields: &ProjectFields,
        name: &str,
        contract: Option<&Located<f64>>,
        funded: Option<&Located<f64>>,
    ) {
        let t = &self.config.rules.thresholds;
        if let Some(c) = contract {
            let max = t.project_contract_max;
            if c.value > max && c.value < t.wan_yuan_suspect {
                self.issues.push(
                    Issue::new("V08")
                        .variant("project_contract")
                        .at(&c.sheet, c.cell)
                        .value(normalize::show(c.value))
                        .expected(format!("≤ {}", normalize::show(max)))
                        .arg("field", &fields.contract.label)
                        .arg("item", name)
                        .arg("limit", normalize::show(max)),
                );
            }
        }
        if let (Some(c), Some(fu)) = (contract, funded) {
            if fu.value > c.value + TOLERANCE {
                self.issues.push(
                    Issue::new("X04")
                        .at(&fu.sheet, fu.cell)
                        .value(normalize::show(fu.value))
                        .expected(normalize::show(c.value))
                        .arg("item", name),
                );
            }
        }
    }

    fn platforms(
        &mut self,
        sheet: &RawSheet,
        zone: Option<&str>,
        period: Option<Period>,
    ) -> Vec<PlatformRow> {
        let config = self.config;
        // The fields, looked up once for all the rows.
        struct Fields<'c> {
            name: &'c FieldSpec,
            kind: &'c FieldSpec,
            level: &'c FieldSpec,
            universities: &'c FieldSpec,
            built_date: &'c FieldSpec,
            area: &'c FieldSpec,
            investment: &'c FieldSpec,
        }
        let fields = Fields {
            name: field(config, "platforms", "name"),
            kind: field(config, "platforms", "type"),
            level: field(config, "platforms", "level"),
            universities: field(config, "platforms", "universities"),
            built_date: field(config, "platforms", "built_date"),
            area: field(config, "platforms", "area"),
            investment: field(config, "platforms", "investment"),
        };
        let mut out = Vec::new();
        for row in sheet.rows() {
            let name = self.text(sheet, row, fields.name);
            let kind = self.choice(sheet, row, fields.kind);
            let level = self.choice(sheet, row, fields.level);
            let universities = self.universities(sheet, row, fields.universities, zone);
            let built = self.date(sheet, row, fields.built_date, true);
            if let Some(d) = &built {
                self.date_in_pilot(d, fields.built_date, (period, zone), "平台");
            }
            let area = self.number(sheet, row, fields.area, Measure::Number("平方米"), false);
            let investment = self.amount(sheet, row, fields.investment, false);
            let name = name.unwrap_or_else(|| Located {
                value: String::new(),
                sheet: Arc::clone(sheet.name),
                cell: row.get("name").map_or(
                    crate::model::CellPos::new(row.row.saturating_sub(1), 0),
                    |c| c.pos,
                ),
            });
            out.push(PlatformRow {
                row: row.row,
                sheet: Arc::clone(sheet.name),
                name,
                kind,
                level,
                universities,
                built_date: built.map(|d| d.value),
                area: area.map(|a| a.value),
                investment: investment.map(|i| i.value),
            });
        }
        duplicates(
            "D02",
            &out.iter().map(|p| &p.name).collect::<Vec<_>>(),
            &mut self.issues,
        );
        out
    }

    fn explanations(&mut self, sheet: &RawSheet) -> Vec<Explanation> {
        let mut out = Vec::new();
        for row in sheet.rows() {
            let get = |k: &str| {
                row.get(k)
                    .map(|c| c.value.display().trim().to_string())
                    .unwrap_or_default()
            };
            let (rule, location, text) = (get("rule"), get("location"), get("text"));
            if rule.is_empty() && text.is_empty() {
                continue;
            }
            out.push(Explanation {
                row: row.row,
                rule: label_key(&rule).to_uppercase(),
                location,
                text,
            });
        }
        out
    }
}

/// The hash two zones' rows share when they list the same project: name and
/// enterprise as compared (folded). 0 for a row without a name.
pub(super) fn project_key(name: &str, enterprise: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let name = label_key(name);
    if name.is_empty() {
        return 0;
    }
    let mut h = rustc_hash::FxHasher::default();
    (name.as_ref(), label_key(enterprise).as_ref()).hash(&mut h);
    h.finish().max(1)
}

/// D01 / D02: the same name twice in one list (reported on the later row).
fn duplicates(rule: &'static str, names: &[&Located<String>], issues: &mut Vec<Issue>) {
    let mut first: HashMap<std::borrow::Cow<str>, &Located<String>> = HashMap::new();
    for name in names {
        let key = label_key(&name.value);
        if key.is_empty() {
            continue;
        }
        match first.get(&key) {
            Some(earlier) => issues.push(
                Issue::new(rule)
                    .at(&name.sheet, name.cell)
                    .value(&name.value)
                    .expected("名称唯一")
                    .arg("other", format!("第 {} 行", earlier.cell.row + 1)),
            ),
            None => {
                first.insert(key, name);
            }
        }
    }
}

/// X01–X04 (SG13), X09: the return against itself.
fn cross_checks(ret: &Return, raw: &RawReturn, issues: &mut Vec<Issue>) {
    let cum = |code: &str| ret.indicators.get(code).and_then(|i| i.cumulative.as_ref());
    let mut flag =
        |rule: &'static str, variant: Option<&'static str>, at: &Located<f64>, expected: f64| {
            let mut issue = Issue::new(rule)
                .at(&at.sheet, at.cell)
                .value(normalize::show(at.value))
                .expected(normalize::show(expected));
            issue.variant = variant;
            issues.push(issue);
        };
    if raw.sheets.contains_key("projects") {
        let rows = ret.projects.len() as f64;
        if let Some(sg01) = cum("SG01").filter(|v| (v.value - rows).abs() > TOLERANCE) {
            flag("X01", None, sg01, rows);
        }
        let funded: f64 = ret
            .projects
            .iter()
            .filter_map(|p| p.funded.as_ref())
            .map(|f| f.value)
            .sum();
        if let Some(sg05) = cum("SG05").filter(|v| v.value + TOLERANCE < funded) {
            flag("X03", None, sg05, funded);
        }
    }
    if raw.sheets.contains_key("platforms") {
        let rows = ret.platforms.len() as f64;
        if let Some(sg02) = cum("SG02").filter(|v| (v.value - rows).abs() > TOLERANCE) {
            flag("X02", None, sg02, rows);
        }
        let unions = ret
            .platforms
            .iter()
            .filter(|p| p.kind.as_deref() == Some("创新联合体"))
            .count() as f64;
        if let Some(sg16) = cum("SG16").filter(|v| v.value + TOLERANCE < unions) {
            flag("X09", None, sg16, unions);
        }
    }
    if let (Some(sg12), Some(sg13)) = (cum("SG12"), cum("SG13")) {
        if sg13.value > sg12.value + TOLERANCE {
            flag("X04", Some("sg13"), sg13, sg12.value);
        }
    }
}

/// The 项目清单 fields, looked up once for all the rows.
struct ProjectFields<'c> {
    name: &'c FieldSpec,
    universities: &'c FieldSpec,
    enterprise: &'c FieldSpec,
    field: &'c FieldSpec,
    category: &'c FieldSpec,
    start_date: &'c FieldSpec,
    contract: &'c FieldSpec,
    funded: &'c FieldSpec,
    status: &'c FieldSpec,
    benchmark: &'c FieldSpec,
}

impl<'c> ProjectFields<'c> {
    fn new(config: &'c Config) -> ProjectFields<'c> {
        let f = |key: &str| field(config, "projects", key);
        ProjectFields {
            name: f("name"),
            universities: f("universities"),
            enterprise: f("enterprise"),
            field: f("field"),
            category: f("category"),
            start_date: f("start_date"),
            contract: f("contract"),
            funded: f("funded"),
            status: f("status"),
            benchmark: f("benchmark"),
        }
    }
}
