//! Notices inside the portal: a zone is told of 退回, 审核通过, 重新开放 and
//! 请核实; a city's reviewers (or the province) that a return waits for
//! them. Each notice is kept in SQLite for the recipient's home page and
//! handed to a [`Sender`], the one place where e-mail or SMS would be
//! added; the default, [`LogSender`], writes a line to the server's log.
//! What is live rather than sent (the deadline, the list of returns
//! waiting for a reviewer) the home pages compute when they are shown.

use super::fault::Fault;
use super::store::{notices, Scope};
use super::{App, LogSink};

/// What a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A reviewer sent the zone's return back.
    Returned,
    /// Every level approved the zone's return.
    Approved,
    /// A reviewer reopened the zone's approved return.
    Reopened,
    /// A return waits for the recipient's review.
    Awaiting,
    /// The province asks the zone to confirm a value (请核实).
    Query,
    /// The zone answered a 请核实.
    Answer,
}

impl Kind {
    pub fn column(self) -> &'static str {
        match self {
            Kind::Returned => "returned",
            Kind::Approved => "approved",
            Kind::Reopened => "reopened",
            Kind::Awaiting => "awaiting",
            Kind::Query => "query",
            Kind::Answer => "answer",
        }
    }

    pub fn label_zh(column: &str) -> &'static str {
        match column {
            "returned" => "退回",
            "approved" => "审核通过",
            "reopened" => "重新开放",
            "awaiting" => "待审核",
            "query" => "请核实",
            "answer" => "核实答复",
            _ => "通知",
        }
    }
}

/// One notice: to whom, about what, and where to look.
#[derive(Debug, Clone)]
pub struct Notice {
    pub to: Scope,
    pub kind: Kind,
    pub text: String,
    pub link: Option<String>,
}

/// Sends a notice outside the portal (e-mail, SMS …). A failure is logged;
/// the notice stays on the recipient's page.
pub trait Sender: Send + Sync {
    fn send(&self, notice: &Notice) -> Result<(), String>;
}

/// The default sender: a line in the server's log.
pub struct LogSender(pub LogSink);

impl Sender for LogSender {
    fn send(&self, notice: &Notice) -> Result<(), String> {
        let (role, scope) = notice.to.columns();
        self.0.line(format!(
            "{} 通知 {role}:{} {}：{}",
            chrono::Local::now().format("%Y-%m-%d %H:%M:%S"),
            scope.unwrap_or("全省"),
            Kind::label_zh(notice.kind.column()),
            notice.text
        ));
        Ok(())
    }
}

impl App {
    /// Keeps the notice for the recipient's page, then sends it.
    pub fn notify(&self, notice: Notice) -> Result<(), Fault> {
        self.store.with(|c| {
            notices::insert(
                c,
                &notice.to,
                notice.kind.column(),
                &notice.text,
                notice.link.as_deref(),
            )
        })?;
        if let Err(e) = self.sender.send(&notice) {
            self.settings.log.line(format!("通知发送失败：{e}"));
        }
        Ok(())
    }
}
