//! An upload: refused at once when it is not this zone's return for the
//! open quarter (nothing is stored), otherwise written atomically into
//! `<returns>/<P>/` under a name the server chooses, logged, and checked
//! with the rest of the quarter.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use super::app::audit_row;
use super::auth::Caller;
use super::fault::Fault;
use super::store::{submissions, Channel};
use super::App;
use crate::config::FindingContext;
use crate::ingest::{self, Format, InputFile, RawReturn};
use crate::model::{Finding, Period, ReviewState, SourceFile};
use crate::validate::Submission;

/// What the caller gets back: the file's verdict and every finding, as
/// `check --format json` gives them for the folder.
#[derive(Debug, Clone, Serialize)]
pub struct Receipt {
    pub submission: i64,
    pub zone: String,
    pub period: Period,
    pub verdict: String,
    pub findings: Vec<Finding>,
}

/// Why an upload was not taken. `findings`: the F01 of a file that could
/// not be read at all.
#[derive(Debug, Clone, Serialize)]
pub struct Refusal {
    pub message: String,
    pub findings: Vec<Finding>,
}

pub enum Outcome {
    Taken(Receipt),
    Refused(Refusal),
}

/// Takes `bytes` from a zone clerk.
pub async fn take(
    app: &App,
    caller: &Caller,
    bytes: Vec<u8>,
    channel: Channel,
) -> Result<Outcome, Fault> {
    let Some(zone) = caller.account.scope.zone().map(str::to_string) else {
        return Err(Fault::Forbidden("只有高新区填报员可以报送报表".into()));
    };
    let limit = app.settings.limits.uploads_per_minute;
    if !app.uploads.admit(&caller.account.username, limit) {
        app.audit(audit_row(
            Some(caller),
            None,
            "upload",
            None,
            "refused: rate",
        ))?;
        return Err(Fault::TooMany(format!(
            "每分钟最多上传 {limit} 次，请稍后再试"
        )));
    }
    let period = app.settings.period;
    let config = app.config.clone();
    let zone_for_gate = zone.clone();
    let size = bytes.len();
    let (bytes, gate) = tokio::task::spawn_blocking(move || {
        let gate = gate(&config, &bytes, &zone_for_gate, period);
        (bytes, gate)
    })
    .await
    .map_err(Fault::internal)?;
    let (format, raw) = match gate {
        Ok(read) => read,
        Err(refusal) => {
            let outcome = format!("refused: {}", refusal.message);
            app.audit(audit_row(
                Some(caller),
                None,
                "upload",
                Some(format!("{size} 字节")),
                outcome,
            ))?;
            return Ok(Outcome::Refused(refusal));
        }
    };
    if let Some(refusal) = locked(app, &zone, period).await? {
        app.audit(audit_row(
            Some(caller),
            None,
            "upload",
            None,
            "refused: locked",
        ))?;
        return Ok(Outcome::Refused(refusal));
    }
    let upload = Upload {
        sha256: crate::digest::sha256_hex(&bytes),
        bytes: &bytes,
        format,
    };
    let id = match duplicate_of(app, &zone, period, &upload.sha256).await? {
        Some(id) => id,
        None => {
            let (id, source) = store(app, caller, &zone, period, &upload, channel)?;
            let mut raw = *raw;
            raw.source = source;
            app.desk.hold(period, raw);
            id
        }
    };
    let logged = app
        .store
        .with(|c| submissions::by_id(c, id))?
        .ok_or(Fault::NotFound)?;
    let check = app.check_with(period, &logged.file).await?;
    let sub = check
        .submissions
        .iter()
        .find(|s| s.source.name == logged.file)
        .ok_or_else(|| Fault::internal(format!("{} 不在校验结果中", logged.file)))?;
    app.audit(audit_row(
        Some(caller),
        None,
        "upload",
        Some(format!("报送 {id}")),
        format!("ok: {}", sub.verdict.label_zh()),
    ))?;
    if let Some(ReviewState::Awaiting(level)) = sub.review {
        super::review::awaiting(app, &zone, id, level, "已通过校验")?;
    }
    Ok(Outcome::Taken(receipt(app, id, sub, period)))
}

/// Why the zone may not upload now: its return is approved and locked
/// until a reviewer reopens it.
async fn locked(app: &App, zone: &str, period: Period) -> Result<Option<Refusal>, Fault> {
    // Every decision refreshes the check, so the last one knows of every
    // approval; an upload need not wait for a new one.
    let check = match app.desk.last(period) {
        Some(check) => check,
        None => app.check(period).await?,
    };
    let quarter = super::state::ZoneQuarter::of(&app.config, &check, zone, app.today());
    Ok(quarter.locked().then(|| Refusal {
        message: "本期报表已审核通过并锁定，不能再上传。如需更正，请联系审核单位重新开放。".into(),
        findings: Vec::new(),
    }))
}

pub fn receipt(app: &App, id: i64, sub: &Submission, period: Period) -> Receipt {
    Receipt {
        submission: id,
        zone: sub
            .zone
            .as_deref()
            .map(|z| app.zone_name(z).to_string())
            .unwrap_or_default(),
        period,
        verdict: sub.verdict.label_zh().to_string(),
        findings: sub.findings.clone(),
    }
}

/// The file is this zone's return for the open quarter, readable: its
/// format and what was read (kept for its check); or why not, in words a
/// clerk understands.
fn gate(
    config: &crate::config::Config,
    bytes: &[u8],
    zone: &str,
    period: Period,
) -> Result<(Format, Box<RawReturn>), Refusal> {
    let refuse = |message: String| Refusal {
        message,
        findings: Vec::new(),
    };
    let max = config.form.limits.max_file_bytes;
    if bytes.len() as u64 > max {
        return Err(refuse(format!(
            "文件大小 {:.1} MB 超过上限 {:.0} MB",
            bytes.len() as f64 / 1e6,
            max as f64 / 1e6
        )));
    }
    let source = SourceFile {
        name: "上传的文件".into(),
        path: Default::default(),
        sha256: String::new(),
        bytes: bytes.len() as u64,
        modified: 0,
    };
    let read = crate::guard::contain(|| {
        let format =
            ingest::sniff(bytes).map_err(|reason| ingest::unreadable(source.clone(), reason))?;
        let raw = ingest::from_bytes(bytes, source.clone(), &config.form)?;
        let (ret, _) = crate::validate::parse(&raw, config, None);
        Ok::<_, Box<ingest::Unreadable>>((format, ret, raw))
    })
    .unwrap_or_else(|panic| {
        Err(ingest::unreadable(
            source.clone(),
            format!("文件结构异常，读取时出错（技术信息：{panic}）"),
        ))
    });
    let (format, ret, raw) = match read {
        Ok(read) => read,
        Err(unreadable) => {
            let ctx = FindingContext {
                zone: config.registry.zone(zone).map(|z| z.name.clone()),
                period: Some(period),
                file: Some(source.name.clone()),
            };
            let finding = config.rules.render(&unreadable.issue, &ctx);
            return Err(Refusal {
                message: format!(
                    "无法读取这个文件，未予接收：{}",
                    finding.message.clone().unwrap_or_default()
                ),
                findings: vec![finding],
            });
        }
    };
    let own = config
        .registry
        .zone(zone)
        .map(|z| z.name.as_str())
        .unwrap_or(zone);
    let written = ret.info.zone_text.as_ref().map(|z| z.value.clone());
    match (&ret.zone, written) {
        (Some(z), _) if &**z == zone => {}
        (Some(z), Some(text)) => {
            let other = config.registry.zone(z).map(|z| z.name.as_str()).unwrap_or(&text);
            return Err(refuse(format!(
                "这份报表是{other}的（“基本信息”表的高新区名称填写为“{text}”），您只能报送{own}的报表。请选择本区的报表文件。"
            )));
        }
        (_, Some(text)) => {
            return Err(refuse(format!(
                "“基本信息”表的高新区名称“{text}”不是登记的高新区名称，无法确认是{own}的报表。请填写“{own}”后重新上传。"
            )))
        }
        (_, None) => {
            return Err(refuse(format!(
                "报表中没有找到高新区名称（“基本信息”表），无法确认是{own}的报表。请使用本季度的报表模板填写后上传。"
            )))
        }
    }
    match ret.info.period.as_ref().map(|p| p.value) {
        Some(p) if p == period => Ok((format, Box::new(raw))),
        Some(p) => Err(refuse(format!(
            "这份报表的报告期是 {p}（{}），现在收取的是 {period}（{}）的报表。请选择本季度的报表文件。",
            p.label_zh(),
            period.label_zh()
        ))),
        None => Err(refuse(format!(
            "报表中没有可识别的报告期（“基本信息”表），现在收取的是 {period}（{}）的报表。请填写报告期后重新上传。",
            period.label_zh()
        ))),
    }
}

/// A file with the same bytes already in the quarter's folder for the zone
/// (a double click, a retry): its submission, so nothing is stored twice.
async fn duplicate_of(
    app: &App,
    zone: &str,
    period: Period,
    sha: &str,
) -> Result<Option<i64>, Fault> {
    let period = period.to_string();
    let found = app.store.with(|c| {
        c.query_row(
            "SELECT id FROM submission WHERE zone = ?1 AND period = ?2 AND sha256 = ?3 AND present = 1
             ORDER BY id LIMIT 1",
            (zone, &period, sha),
            |r| r.get::<_, i64>(0),
        )
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })
    })?;
    Ok(found)
}

/// An upload that passed the gate: its bytes, their digest and format.
struct Upload<'a> {
    bytes: &'a [u8],
    sha256: String,
    format: Format,
}

/// Writes the file under a name of our own and logs it: its submission
/// and the file as the check will find it.
fn store(
    app: &App,
    caller: &Caller,
    zone: &str,
    period: Period,
    upload: &Upload,
    channel: Channel,
) -> Result<(i64, SourceFile), Fault> {
    let Upload {
        bytes,
        sha256,
        format,
    } = upload;
    let dir = app.settings.returns.join(period.to_string());
    let received = super::store::now();
    let (name, path) = loop {
        let name = file_name(app.zone_name(zone), period, *format);
        let path = dir.join(&name);
        if !path.exists() {
            break (name, path);
        }
    };
    carry_notes(app, zone, period, &path)?;
    crate::output::write_atomic(&path, bytes)?;
    let file = InputFile {
        path,
        name: format!("{period}/{name}"),
    };
    let id = app.store.with(|c| {
        submissions::insert(
            c,
            &submissions::Arrival {
                period: &period.to_string(),
                zone: Some(zone),
                file: &file.name,
                sha256,
                bytes: bytes.len() as u64,
                channel,
                account_id: Some(caller.account.id),
                received_at: received,
            },
        )
    })?;
    Ok((id, ingest::describe(&file, bytes, sha256.clone())))
}

/// The 情况说明 typed for the zone's earlier files of the quarter go with
/// the new file (written before it, so its first check has them): a
/// correction need not be explained again where its warnings are the same.
fn carry_notes(app: &App, zone: &str, period: Period, path: &std::path::Path) -> Result<(), Fault> {
    let earlier = app.store.with(|c| submissions::of_zone(c, zone))?;
    let notes: Vec<_> = earlier
        .iter()
        .filter(|s| s.period == period.to_string() && s.present)
        .rev()
        .flat_map(|s| ingest::notes::notes_beside(&app.settings.returns.join(&s.file)))
        .collect();
    if notes.is_empty() {
        return Ok(());
    }
    super::explain::store(path, notes)
}

/// `<高新区>_<P>_网上报送_<年月日-时分秒毫秒>-<n>.<ext>`: the time and a
/// counter put a zone's files in the order they came (F02 breaks a tie of
/// 填报日期 by modification time, then by name); the extension comes from
/// the content, never from the name the client sent.
fn file_name(zone: &str, period: Period, format: Format) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed) % 10_000;
    let ext = match format {
        Format::Xlsx => "xlsx",
        Format::Xlsb => "xlsb",
        Format::Ods => "ods",
        Format::FlatOds => "fods",
        Format::Compound => "xls",
    };
    format!(
        "{zone}_{period}_网上报送_{}-{n:04}.{ext}",
        chrono::Local::now().format("%Y%m%d-%H%M%S%3f")
    )
}
