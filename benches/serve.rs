//! `cargo bench --bench serve`: the portal under the deadline-day rush.
//!
//! 61 clients (the province's 61 zones; the registry has 18 pilot zones, so
//! 3–4 clerk accounts share a zone, each sending a file of its own) upload
//! one return each at the same moment to a server on 127.0.0.1, started in
//! a child process so its peak memory is its own. Printed: the time from
//! upload to result (p50, p95, max), the server's peak memory, and as the
//! floor `check` of one file (the command a clerk would otherwise wait
//! for), measured in the same run. Goal: p95 ≤ 3 × the floor; no
//! submission lost or doubled. The load is bounded (61 requests, each with
//! a 120 s timeout) and stops by itself.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use shuanggao::config::Config;
use shuanggao::model::draft::Cell;
use shuanggao::model::Period;
use shuanggao::serve::auth::password;
use shuanggao::serve::store::{accounts, submissions, Scope, Store};

#[path = "serve/deadline_day.rs"]
mod deadline_day;

const CLIENTS: usize = 61;

fn main() {
    if let Ok(job) = std::env::var("SHUANGGAO_BENCH_CHILD") {
        child(&job);
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(&root.join("inputs/config")).expect("config");
    let dir = tempfile::tempdir().expect("temp dir");
    let returns = dir.path().join("returns");
    for q in ["2025Q3", "2025Q4", "2026Q1", "2026Q2"] {
        copy_dir(&root.join("inputs/returns").join(q), &returns.join(q));
    }
    let period = Period::parse("2026Q3").unwrap();
    let uploads = returns_to_send(&config, period);
    let one = dir.path().join("one.xlsx");
    std::fs::write(&one, &uploads[0].1).unwrap();

    println!("shuanggao serve benchmark: {CLIENTS} clients upload at once\n");
    let config_dir = root.join("inputs/config");
    let (floor, floor_kib) = floor_of(&returns, &one, &config_dir, period);
    println!(
        "floor: check of one file (best of 3)        {:>7.3} s   peak {:>4} MB",
        floor,
        floor_kib / 1024
    );

    let data = dir.path().join("data");
    let tokens = accounts_for(&data, &uploads);
    let (mut server, runtime, base) = serving(&returns, &data, &config_dir, period);
    let (latencies, ids, failures) = runtime.block_on(rush(&base, &uploads, &tokens));
    let server_kib = peak_kib(server.id());
    let _ = server.kill();
    let _ = server.wait();

    let mut sorted = latencies.clone();
    sorted.sort_by(f64::total_cmp);
    let pct =
        |p: f64| sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1];
    let p95 = pct(0.95);
    println!(
        "upload → result ({} requests)               p50 {:.3} s   p95 {:.3} s   max {:.3} s",
        latencies.len(),
        pct(0.5),
        p95,
        sorted.last().copied().unwrap_or(0.0)
    );
    println!(
        "server peak memory                           {:>4} MB",
        server_kib / 1024
    );
    println!(
        "p95 / floor                                  {:.2} (goal ≤ 3){}",
        p95 / floor,
        if p95 <= 3.0 * floor {
            ""
        } else {
            "  ✗ over the goal"
        }
    );
    let store = Store::open(&data).expect("database");
    let logged: i64 = store
        .with(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM submission WHERE period = '2026Q3'",
                [],
                |r| r.get(0),
            )
        })
        .unwrap();
    let files = std::fs::read_dir(returns.join("2026Q3"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
        .count();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    println!(
        "submissions: {} answered, {} distinct, {} logged, {} files in the folder, {} failed (goal: {CLIENTS} each, 0 failed)",
        ids.len(),
        unique.len(),
        logged,
        files,
        failures
    );
    let total: i64 = store.with(|c| submissions::count(c)).unwrap();
    assert!(total >= CLIENTS as i64);
    assert_eq!(
        (unique.len(), logged as usize, files, failures),
        (CLIENTS, CLIENTS, CLIENTS, 0),
        "lost or doubled"
    );
    deadline_phase(root);
}

/// `check` of one file, best of three: (seconds, peak KiB).
fn floor_of(returns: &Path, one: &Path, config: &Path, period: Period) -> (f64, u64) {
    (0..3)
        .map(|_| check_one(returns, one, config, period))
        .fold((f64::MAX, 0), |(t, m), (t2, m2)| (t.min(t2), m.max(m2)))
}

/// The deadline day (`deadline_day`), on the 61 zones of the 全面覆盖
/// example in 2027Q2.
fn deadline_phase(root: &Path) {
    use deadline_day::Kind;
    let example = root.join("inputs/examples/全面覆盖");
    let config_dir = example.join("config");
    let config = Config::load(&config_dir).expect("config");
    let period = Period::parse("2027Q2").unwrap();
    let dir = tempfile::tempdir().expect("temp dir");
    let returns = dir.path().join("returns");
    for entry in std::fs::read_dir(example.join("returns"))
        .unwrap()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().to_string();
        if Period::parse(&name).is_some_and(|p| p < period) {
            copy_dir(&entry.path(), &returns.join(&name));
        }
    }
    let days = deadline_day::Returns::new(config.clone(), period);
    let one = dir.path().join("one.xlsx");
    std::fs::write(&one, days.sample(&config.registry.zones[0].code)).unwrap();
    let (floor, _) = floor_of(&returns, &one, &config_dir, period);
    let data = dir.path().join("data");
    let (clerks, reviewers) = deadline_day::accounts(&data, &config);
    println!(
        "\ndeadline day: {} zones and {} city reviewers, the last hour in {:.0} s (2027Q2, 全面覆盖 example)",
        clerks.len(),
        reviewers.len(),
        deadline_day::WINDOW
    );
    println!("floor: check of one file (best of 3)        {floor:>7.3} s");
    let (mut server, runtime, base) = serving(&returns, &data, &config_dir, period);
    let started = Instant::now();
    let tally = runtime.block_on(deadline_day::day(&base, Arc::new(days), clerks, reviewers));
    let took = started.elapsed().as_secs_f64();
    let server_kib = peak_kib(server.id());
    let _ = server.kill();
    let _ = server.wait();
    let pcts = |kind: Option<Kind>| {
        let mut t: Vec<f64> = tally
            .requests
            .iter()
            .filter(|(k, _, _)| kind.is_none_or(|kind| *k == kind))
            .map(|(_, s, _)| *s)
            .collect();
        t.sort_by(f64::total_cmp);
        let at = |p: f64| t[((t.len() as f64 * p).ceil() as usize).clamp(1, t.len()) - 1];
        (t.len(), at(0.5), at(0.95), at(0.99))
    };
    for (label, kind) in [
        ("all requests", None),
        ("pages", Some(Kind::Page)),
        ("uploads", Some(Kind::Upload)),
        ("reviews", Some(Kind::Review)),
        ("explanations", Some(Kind::Explain)),
    ] {
        let (n, p50, p95, p99) = pcts(kind);
        println!("{label:<14} {n:>5} requests   p50 {p50:.3} s   p95 {p95:.3} s   p99 {p99:.3} s");
    }
    let errors = tally
        .requests
        .iter()
        .filter(|(_, _, status)| !(200..400).contains(status))
        .count();
    let (_, _, upload_p95, _) = pcts(Some(Kind::Upload));
    let mut ids = tally.uploaded.clone();
    ids.sort();
    ids.dedup();
    let store = Store::open(&data).expect("database");
    let logged: i64 = store
        .with(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM submission WHERE period = '2027Q2'",
                [],
                |r| r.get(0),
            )
        })
        .unwrap();
    let folder = returns.join("2027Q2");
    let files = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
        .count();
    let kept: usize = std::fs::read_dir(folder.join(shuanggao::ingest::decisions::DECISIONS_DIR))
        .map(|d| {
            d.flatten()
                .map(|e| {
                    let bytes = std::fs::read(e.path()).unwrap();
                    serde_json::from_slice::<Vec<serde_json::Value>>(&bytes)
                        .unwrap()
                        .len()
                })
                .sum()
        })
        .unwrap_or(0);
    println!(
        "took {took:.1} s; server peak memory {} MB; upload p95 / floor {:.2}",
        server_kib / 1024,
        upload_p95 / floor
    );
    println!(
        "error responses {errors} (goal 0); uploads: {} distinct answered, {logged} logged, {files} files (goal: equal); decisions: {} answered, {kept} kept (goal: equal)",
        ids.len(),
        tally.decided
    );
    assert_eq!(errors, 0, "error responses");
    assert_eq!(
        (ids.len(), logged as usize, files),
        (files, files, files),
        "lost or doubled uploads"
    );
    assert_eq!(tally.decided, kept, "lost or doubled decisions");
}

/// One distinct return per client: the zone's sample of the quarter with
/// its own 填报人.
fn returns_to_send(config: &Config, period: Period) -> Vec<(String, Vec<u8>)> {
    (0..CLIENTS)
        .map(|i| {
            let zone = &config.registry.zones[i % config.registry.zones.len()];
            let mut draft =
                shuanggao::sample::sample_draft(config, &zone.code, period).expect("draft");
            for (label, value) in draft.basic.iter_mut() {
                if label == "填报人" {
                    *value = Cell::Text(format!("填报员{i}（示例）"));
                }
            }
            let bytes = shuanggao::render::template::write_draft(config, zone, period, &draft)
                .expect("xlsx");
            (zone.code.to_string(), bytes)
        })
        .collect()
}

/// A clerk account with an API token per client.
fn accounts_for(data: &Path, uploads: &[(String, Vec<u8>)]) -> Vec<String> {
    let store = Store::open(data).expect("database");
    let hash = password::hash("Bench2026load").unwrap();
    uploads
        .iter()
        .enumerate()
        .map(|(i, (zone, _))| {
            let token = password::random_hex();
            store
                .with(|c| {
                    let id = accounts::insert(
                        c,
                        &format!("clerk{i}"),
                        "压测",
                        &Scope::Zone(zone.clone()),
                        &hash,
                        false,
                    )?;
                    accounts::set_password(c, id, &hash, false)?;
                    accounts::set_token(c, id, &password::fingerprint(&token))
                })
                .unwrap();
            token
        })
        .collect()
}

/// The server in a child process on a free port, ready; a runtime for the
/// clients; the base URL.
fn serving(
    returns: &Path,
    data: &Path,
    config: &Path,
    period: Period,
) -> (Child, tokio::runtime::Runtime, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = start_server(returns, data, port, config, period);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    runtime.block_on(wait_ready(&base));
    (server, runtime, base)
}

fn start_server(returns: &Path, data: &Path, port: u16, config: &Path, period: Period) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .env("SHUANGGAO_BENCH_CHILD", "serve")
        .env("SHUANGGAO_BENCH_CONFIG", config)
        .env("SHUANGGAO_BENCH_PERIOD", period.to_string())
        .env("SHUANGGAO_BENCH_RETURNS", returns)
        .env("SHUANGGAO_BENCH_DATA", data)
        .env("SHUANGGAO_BENCH_PORT", port.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("server")
}

async fn wait_ready(base: &str) {
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    while client.get(format!("{base}/login")).send().await.is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Every client uploads at the same moment; (seconds each, ids, failures).
async fn rush(
    base: &str,
    uploads: &[(String, Vec<u8>)],
    tokens: &[String],
) -> (Vec<f64>, Vec<i64>, usize) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap();
    let gate = Arc::new(tokio::sync::Barrier::new(uploads.len()));
    let tasks: Vec<_> = uploads
        .iter()
        .zip(tokens)
        .map(|((_, bytes), token)| {
            let (client, gate, bytes, token) =
                (client.clone(), gate.clone(), bytes.clone(), token.clone());
            let url = format!("{base}/api/v1/returns");
            tokio::spawn(async move {
                let form = reqwest::multipart::Form::new().part(
                    "file",
                    reqwest::multipart::Part::bytes(bytes).file_name("报表.xlsx"),
                );
                gate.wait().await;
                let started = Instant::now();
                let answer = client
                    .post(url)
                    .bearer_auth(token)
                    .multipart(form)
                    .send()
                    .await;
                let secs = started.elapsed().as_secs_f64();
                match answer {
                    Ok(r) if r.status().as_u16() == 201 => {
                        let body: serde_json::Value = r.json().await.unwrap_or_default();
                        (secs, body["submission"].as_i64())
                    }
                    _ => (secs, None),
                }
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut ids = Vec::new();
    let mut failures = 0;
    for t in tasks {
        let (secs, id) = t.await.unwrap();
        latencies.push(secs);
        match id {
            Some(id) => ids.push(id),
            None => failures += 1,
        }
    }
    (latencies, ids, failures)
}

/// `check` of one file, as a clerk would run it: (seconds, peak KiB).
fn check_one(returns: &Path, file: &Path, config: &Path, period: Period) -> (f64, u64) {
    let started = Instant::now();
    let out = Command::new(std::env::current_exe().unwrap())
        .env("SHUANGGAO_BENCH_CHILD", "check")
        .env("SHUANGGAO_BENCH_CONFIG", config)
        .env("SHUANGGAO_BENCH_PERIOD", period.to_string())
        .env("SHUANGGAO_BENCH_RETURNS", returns)
        .env("SHUANGGAO_BENCH_FILE", file)
        .output()
        .expect("check");
    let secs = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let peak = stdout
        .lines()
        .find_map(|l| l.strip_prefix("peak_kib="))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    (secs, peak)
}

fn child(job: &str) {
    let var = |name: &str| PathBuf::from(std::env::var_os(name).expect(name));
    let returns = var("SHUANGGAO_BENCH_RETURNS");
    match job {
        "check" => {
            let file = var("SHUANGGAO_BENCH_FILE");
            let config = var("SHUANGGAO_BENCH_CONFIG");
            let period = std::env::var("SHUANGGAO_BENCH_PERIOD").unwrap();
            let code = shuanggao::cmd::main_with([
                "shuanggao".as_ref(),
                "check".as_ref(),
                "--format".as_ref(),
                "json".as_ref(),
                "--config".as_ref(),
                config.as_os_str(),
                "--period".as_ref(),
                period.as_ref(),
                "--returns".as_ref(),
                returns.as_os_str(),
                file.as_os_str(),
            ]);
            assert!(code <= 1);
            println!("peak_kib={}", peak_kib(std::process::id()));
        }
        _ => {
            let data = var("SHUANGGAO_BENCH_DATA");
            let config = var("SHUANGGAO_BENCH_CONFIG");
            let period = std::env::var("SHUANGGAO_BENCH_PERIOD").unwrap();
            let addr = format!(
                "127.0.0.1:{}",
                std::env::var("SHUANGGAO_BENCH_PORT").unwrap()
            );
            shuanggao::cmd::main_with([
                "shuanggao".as_ref(),
                "serve".as_ref(),
                "--returns".as_ref(),
                returns.as_os_str(),
                "--data".as_ref(),
                data.as_os_str(),
                "--config".as_ref(),
                config.as_os_str(),
                "--period".as_ref(),
                period.as_ref(),
                "--addr".as_ref(),
                addr.as_ref(),
            ]);
        }
    }
}

fn peak_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}
