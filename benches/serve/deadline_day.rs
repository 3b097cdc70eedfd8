//! The deadline day, compressed: the last hour before the deadline played
//! in `WINDOW` seconds against a server in a child process, on the 61
//! zones of the 全面覆盖 example (2027Q2, with its earlier quarters), with
//! their 13 cities' reviewers (city review on).
//!
//! Each zone's clerk starts at its own moment of the window, looks at its
//! page, downloads its template, uploads its return (one in five first sends one with an error and
//! corrects it; one in four sends one dated late, which draws a warning,
//! and explains it; one in ten clicks twice, sending the same bytes twice
//! at once), then keeps looking at its page every second until the hour is
//! over (a return sent back is corrected and sent again). Each city's reviewer
//! looks at its list and approves what waits for it, sending one in eight
//! back with a comment. Bounded: every task has a step limit and every
//! request a timeout, so the load stops by itself.
//!
//! Reported: requests, p50/p95/p99 latency (all requests, and uploads),
//! error responses (goal 0), submissions lost or doubled (goal 0: every
//! answered upload is one row of the log and one file of the folder;
//! every decision answered is one decision beside its return), and the
//! server's peak memory.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use shuanggao::config::Config;
use shuanggao::model::draft::Cell;
use shuanggao::model::Period;
use shuanggao::serve::auth::password;
use shuanggao::serve::store::{accounts, Scope, Store};

/// The compressed hour, in seconds.
pub const WINDOW: f64 = 60.0;
/// How often a clerk or a reviewer looks at its page, in seconds.
const LOOK_EVERY: f64 = 1.0;
/// No task takes more steps than this.
const MAX_STEPS: usize = 90;

/// What one request cost, and what kind it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Page,
    Upload,
    Review,
    Explain,
}

#[derive(Default)]
pub struct Tally {
    /// (kind, seconds, HTTP status)
    pub requests: Vec<(Kind, f64, u16)>,
    /// Submission ids answered to uploads (with repeats for double clicks).
    pub uploaded: Vec<i64>,
    /// Decisions answered 200.
    pub decided: usize,
}

/// A zone's plan for the day.
#[derive(Clone, Copy)]
struct Plan {
    start: f64,
    error_first: bool,
    late: bool,
    double_click: bool,
}

fn plan(i: usize, zones: usize) -> Plan {
    Plan {
        start: WINDOW * 0.8 * i as f64 / zones as f64,
        error_first: i % 5 == 1,
        late: i % 4 == 2,
        double_click: i % 10 == 3,
    }
}

/// The returns of the day: for each zone, a clean file dated within the
/// deadline (the `n`th version carries its own later date), a late one
/// (T03) and one with an error (X01).
pub struct Returns {
    config: Config,
    period: Period,
}

impl Returns {
    pub fn new(config: Config, period: Period) -> Returns {
        Returns { config, period }
    }

    /// The zone's clean return (the floor's file).
    pub fn sample(&self, zone: &str) -> Vec<u8> {
        self.file(zone, 0, false, false)
    }

    fn file(&self, zone: &str, version: u32, late: bool, error: bool) -> Vec<u8> {
        let z = self.config.registry.zone(zone).expect("zone");
        let mut draft =
            shuanggao::sample::sample_draft(&self.config, zone, self.period).expect("draft");
        let deadline = self.config.calendar.deadline(self.period);
        let day = if late {
            deadline + chrono::Duration::days(1 + version as i64)
        } else {
            deadline - chrono::Duration::days(10 - version as i64)
        };
        for (label, value) in draft.basic.iter_mut() {
            if label == "填报日期" {
                *value = Cell::Date(day);
            }
        }
        if error {
            if let Cell::Number(v) = draft.indicators[0][4] {
                draft.indicators[0][4] = Cell::Number(v + 1.0);
            }
        }
        shuanggao::render::template::write_draft(&self.config, z, self.period, &draft)
            .expect("xlsx")
    }
}

/// A clerk per zone and a reviewer per city, each with an API token:
/// (zone code → token, city → token).
/// (name, API token) pairs: zone code or city.
pub type Tokens = Vec<(String, String)>;

pub fn accounts(data: &Path, config: &Config) -> (Tokens, Tokens) {
    let store = Store::open(data).expect("database");
    let hash = password::hash("Bench2026load").unwrap();
    let add = |name: String, scope: Scope| {
        let token = password::random_hex();
        store
            .with(|c| {
                let id = accounts::insert(c, &name, "压测", &scope, &hash, false)?;
                accounts::set_password(c, id, &hash, false)?;
                accounts::set_token(c, id, &password::fingerprint(&token))
            })
            .unwrap();
        token
    };
    let clerks = config
        .registry
        .zones
        .iter()
        .enumerate()
        .map(|(i, z)| {
            let token = add(format!("clerk{i}"), Scope::Zone(z.code.to_string()));
            (z.code.to_string(), token)
        })
        .collect();
    let mut cities: Vec<String> = config
        .registry
        .zones
        .iter()
        .map(|z| z.city.clone())
        .collect();
    cities.sort();
    cities.dedup();
    let reviewers = cities
        .into_iter()
        .enumerate()
        .map(|(i, city)| {
            let token = add(format!("city{i}"), Scope::City(city.clone()));
            (city, token)
        })
        .collect();
    (clerks, reviewers)
}

/// Shared between the tasks: what waits for each city, and each zone's
/// news from its reviewer.
#[derive(Default)]
struct Desk {
    waiting: Mutex<BTreeMap<String, Vec<(String, i64)>>>,
    news: Mutex<HashMap<String, &'static str>>,
    /// Clerks done for the day: reviewers stop when every one is.
    done: std::sync::atomic::AtomicUsize,
}

struct Http {
    client: reqwest::Client,
    base: String,
    tally: Mutex<Tally>,
}

impl Http {
    async fn send(
        &self,
        kind: Kind,
        request: reqwest::RequestBuilder,
    ) -> Option<reqwest::Response> {
        let started = Instant::now();
        let answer = request.send().await;
        let secs = started.elapsed().as_secs_f64();
        let status = answer.as_ref().map(|r| r.status().as_u16()).unwrap_or(0);
        self.tally
            .lock()
            .unwrap()
            .requests
            .push((kind, secs, status));
        answer.ok()
    }

    async fn page(&self, token: &str, path: &str) {
        let url = format!("{}{path}", self.base);
        let _ = self
            .send(Kind::Page, self.client.get(url).bearer_auth(token))
            .await;
    }

    /// Uploads; the submission id and whether it waits for review.
    async fn upload(&self, token: &str, bytes: Vec<u8>) -> Option<(i64, String)> {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("报表.xlsx"),
        );
        let request = self
            .client
            .post(format!("{}/api/v1/returns", self.base))
            .bearer_auth(token)
            .multipart(form);
        let r = self.send(Kind::Upload, request).await?;
        let body: serde_json::Value = r.json().await.ok()?;
        let id = body["submission"].as_i64()?;
        self.tally.lock().unwrap().uploaded.push(id);
        Some((id, body["verdict"].as_str().unwrap_or_default().to_string()))
    }
}

pub async fn day(
    base: &str,
    returns: Arc<Returns>,
    clerks: Vec<(String, String)>,
    reviewers: Vec<(String, String)>,
) -> Tally {
    let http = Arc::new(Http {
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(120))
            .build()
            .unwrap(),
        base: base.to_string(),
        tally: Mutex::new(Tally::default()),
    });
    let desk = Arc::new(Desk::default());
    let started = Instant::now();
    let zones = clerks.len();
    let mut tasks = Vec::new();
    for (i, (zone, token)) in clerks.into_iter().enumerate() {
        let city = returns.config.registry.zone(&zone).unwrap().city.clone();
        let (http, desk, returns) = (http.clone(), desk.clone(), returns.clone());
        tasks.push(tokio::spawn(async move {
            clerk(
                &http,
                &desk,
                &returns,
                &zone,
                &city,
                &token,
                plan(i, zones),
                started,
            )
            .await;
            desk.done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }));
    }
    for (city, token) in reviewers {
        let (http, desk) = (http.clone(), desk.clone());
        tasks.push(tokio::spawn(async move {
            reviewer(&http, &desk, &city, &token, started, zones).await
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    Arc::try_unwrap(http)
        .ok()
        .expect("every task done")
        .tally
        .into_inner()
        .unwrap()
}

async fn sleep_until(started: Instant, at: f64) {
    let now = started.elapsed().as_secs_f64();
    if at > now {
        tokio::time::sleep(Duration::from_secs_f64(at - now)).await;
    }
}

#[allow(clippy::too_many_arguments)]
async fn clerk(
    http: &Http,
    desk: &Desk,
    returns: &Returns,
    zone: &str,
    city: &str,
    token: &str,
    plan: Plan,
    started: Instant,
) {
    sleep_until(started, plan.start).await;
    http.page(token, "/").await;
    http.page(token, "/template.xlsx").await;
    let mut version = 0;
    let mut error = plan.error_first;
    let mut steps = 0;
    loop {
        let bytes = returns.file(zone, version, plan.late, error);
        version += 1;
        let sent = if plan.double_click && version == 1 {
            let (a, b) = tokio::join!(http.upload(token, bytes.clone()), http.upload(token, bytes));
            a.or(b)
        } else {
            http.upload(token, bytes).await
        };
        let Some((id, verdict)) = sent else { return };
        http.page(token, &format!("/returns/{id}")).await;
        if verdict == "退回修改" {
            error = false;
            continue;
        }
        if verdict == "有警告" {
            explain(http, token, id).await;
        }
        desk.waiting
            .lock()
            .unwrap()
            .entry(city.to_string())
            .or_default()
            .push((zone.to_string(), id));
        // Look at the page until the reviewer decides.
        loop {
            steps += 1;
            if steps > MAX_STEPS {
                return;
            }
            tokio::time::sleep(Duration::from_secs_f64(LOOK_EVERY)).await;
            http.page(token, "/").await;
            let news = desk.news.lock().unwrap().remove(zone);
            match news {
                Some("approved") => {
                    // The clerk still looks now and then until the hour is over.
                    while steps < MAX_STEPS && started.elapsed().as_secs_f64() < WINDOW {
                        steps += 1;
                        tokio::time::sleep(Duration::from_secs_f64(LOOK_EVERY)).await;
                        http.page(token, "/").await;
                    }
                    return;
                }
                Some(_) => break,
                None => {}
            }
        }
    }
}

/// 情况说明 for the late return's one warning (T03 at 基本信息!B8).
async fn explain(http: &Http, token: &str, id: i64) {
    let form = [
        ("rule_0", "T03"),
        ("loc_0", "基本信息!B8"),
        ("text_0", "系统升级延后报送，已报设区市科技局同意"),
    ];
    let request = http
        .client
        .post(format!("{}/returns/{id}/explanations", http.base))
        .bearer_auth(token)
        .form(&form);
    let _ = http.send(Kind::Explain, request).await;
}

async fn reviewer(
    http: &Http,
    desk: &Desk,
    city: &str,
    token: &str,
    started: Instant,
    zones: usize,
) {
    let mut steps = 0;
    let mut decided = 0usize;
    let all_done = || desk.done.load(std::sync::atomic::Ordering::SeqCst) == zones;
    while steps < MAX_STEPS * 2 && !all_done() && started.elapsed().as_secs_f64() < WINDOW * 4.0 {
        steps += 1;
        http.page(token, "/").await;
        let next = desk
            .waiting
            .lock()
            .unwrap()
            .get_mut(city)
            .and_then(|q| q.pop());
        let Some((zone, id)) = next else {
            tokio::time::sleep(Duration::from_secs_f64(LOOK_EVERY)).await;
            continue;
        };
        http.page(token, &format!("/returns/{id}")).await;
        decided += 1;
        let send_back = decided.is_multiple_of(8);
        let body = if send_back {
            serde_json::json!({"action": "return", "comment": "项目清单合作企业名称有误，请核对后重报"})
        } else {
            serde_json::json!({"action": "approve", "comment": ""})
        };
        let request = http
            .client
            .post(format!("{}/api/v1/returns/{id}/review", http.base))
            .bearer_auth(token)
            .json(&body);
        if let Some(r) = http.send(Kind::Review, request).await {
            if r.status().is_success() {
                http.tally.lock().unwrap().decided += 1;
                let news = if send_back { "returned" } else { "approved" };
                desk.news.lock().unwrap().insert(zone, news);
            }
        }
    }
}
