//! How much one caller may ask for: uploads and logins per minute, and the
//! session and lockout times (docs/security.md).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Limits {
    /// Uploads one account may make in a minute (then 429).
    pub uploads_per_minute: usize,
    /// Login attempts from one address in a minute (then 429).
    pub logins_per_minute: usize,
    /// Failed logins that lock an account.
    pub failures_to_lock: u32,
    /// How long a locked account stays locked.
    pub lockout: Duration,
    /// A session ends after this long without a request.
    pub idle: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            uploads_per_minute: 10,
            logins_per_minute: 30,
            failures_to_lock: 5,
            lockout: Duration::from_secs(15 * 60),
            idle: Duration::from_secs(30 * 60),
        }
    }
}

/// A sliding one-minute window of events per key.
#[derive(Default)]
pub struct Window {
    events: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Window {
    /// Counts an event for `key`; false when `limit` events already happened
    /// in the last minute (the refused attempt is not counted).
    pub fn admit(&self, key: &str, limit: usize) -> bool {
        let now = Instant::now();
        let Ok(mut events) = self.events.lock() else {
            return false;
        };
        // Forget keys whose window is over, so the map stays small.
        events.retain(|_, q| {
            while q.front().is_some_and(|t| now.duration_since(*t) >= MINUTE) {
                q.pop_front();
            }
            !q.is_empty()
        });
        let q = events.entry(key.to_string()).or_default();
        if q.len() >= limit {
            return false;
        }
        q.push_back(now);
        true
    }
}

const MINUTE: Duration = Duration::from_secs(60);
