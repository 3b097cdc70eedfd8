//! Data files for analysts: the fact table (CSV, UTF-8 with BOM so Excel
//! opens it), the findings (the same JSON as `check --format json`) and the
//! run manifest (inputs with SHA-256, counts, timings).

use serde_json::json;

use crate::format::format_number;
use crate::model::Period;
use crate::report::{PublishedFact, PublishedFacts, Report};

/// `facts.csv`: one row per quarter × zone × indicator.
pub fn facts_csv(report: &Report) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::from("\u{FEFF}".as_bytes());
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record([
            "period",
            "zone_code",
            "zone",
            "city",
            "indicator",
            "indicator_name",
            "value",
            "basis",
            "source_period",
            "file",
            "sheet",
            "cell",
        ])?;
        for f in &report.facts {
            let name = report
                .indicator(&f.indicator)
                .map_or("", |i| i.name.as_str());
            w.write_record([
                f.period.to_string().as_str(),
                f.zone_code.as_str(),
                &f.zone,
                &f.city,
                &f.indicator,
                name,
                &format_number(f.value),
                f.basis.label_zh(),
                &f.source_period.to_string(),
                &f.file,
                &f.sheet,
                &f.cell,
            ])?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// A published `facts.csv` read back (as [`facts_csv`] writes it): the
/// figures an earlier report said, for 数据修订. Rows that do not parse
/// make the whole file an error, so a revision is never made up.
pub fn parse_facts_csv(period: Period, bytes: &[u8]) -> Result<PublishedFacts, String> {
    let bytes = bytes.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(bytes);
    let mut r = csv::Reader::from_reader(bytes);
    let headers = r.headers().map_err(|e| e.to_string())?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("缺少列 {name}"))
    };
    let (p, z, i, v, f) = (
        col("period")?,
        col("zone_code")?,
        col("indicator")?,
        col("value")?,
        col("file")?,
    );
    let mut facts = Vec::new();
    for (n, record) in r.records().enumerate() {
        let rec = record.map_err(|e| e.to_string())?;
        let field = |c: usize| rec.get(c).unwrap_or_default();
        let bad = || format!("第 {} 行无法读取", n + 2);
        facts.push(PublishedFact {
            period: Period::parse(field(p)).ok_or_else(bad)?,
            zone_code: field(z).to_string(),
            indicator: field(i).to_string(),
            value: field(v).parse().map_err(|_| bad())?,
            file: field(f).to_string(),
        });
    }
    Ok(PublishedFacts { period, facts })
}

/// `findings.json`: the quarter's findings, as `check --format json` prints them.
pub fn findings_json(report: &Report) -> serde_json::Result<Vec<u8>> {
    let findings: Vec<&crate::model::Finding> =
        report.findings.iter().map(|l| &l.finding).collect();
    let mut out = serde_json::to_vec_pretty(&findings)?;
    out.push(b'\n');
    Ok(out)
}

/// `manifest.json`: what went in, what came out, how long it took.
pub fn manifest_json(
    report: &Report,
    outputs: &[(String, String)],
    timings: &[(String, f64)],
) -> serde_json::Result<Vec<u8>> {
    let c = &report.counts;
    let manifest = json!({
        "tool": "shuanggao",
        "version": report.tool_version,
        "period": report.period,
        "sample_data": report.is_sample,
        "settings": report.settings,
        "inputs": {
            "returns": report.sources,
            "config": report.config_files,
        },
        "counts": c,
        "revisions": report.revisions,
        "rows_balance": format!(
            "rows_read {} = rows_accepted {} + rows_rejected {} (of which superseded {})",
            c.rows_read, c.rows_accepted, c.rows_rejected, c.rows_superseded
        ),
        "outputs": outputs.iter().map(|(f, s)| json!({"file": f, "sha256": s})).collect::<Vec<_>>(),
        "timings_seconds": timings.iter().map(|(k, v)| json!({"stage": k, "seconds": v})).collect::<Vec<_>>(),
    });
    let mut out = serde_json::to_vec_pretty(&manifest)?;
    out.push(b'\n');
    Ok(out)
}
