//! Data files for analysts: the fact table (CSV, UTF-8 with BOM so Excel
//! opens it), the findings (the same JSON as `check --format json`) and the
//! run manifest (inputs with SHA-256, counts, timings).

use serde_json::json;

use crate::format::format_number;
use crate::report::Report;

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
