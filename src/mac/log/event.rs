//! One unified-log entry, as the detectors see it.

use super::signatures::{Scope, SignatureSet};
use chrono::{DateTime, FixedOffset};
use serde::Serialize;

/// The `log show --style` an input was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogStyle {
    /// `--style default`: column header, hex thread IDs, footer totals.
    Default,
    /// `--style compact`: local times, short type codes.
    Compact,
    /// `--style syslog`: host name before `process[pid]:`.
    Syslog,
    /// `--style json`: one array of objects.
    Json,
    /// `--style ndjson`: one object a line, then a trailer.
    Ndjson,
    /// Not `log show`'s: the SSO extension's or Company Portal's own log
    /// file (`YYYY-MM-DD hh:mm:ss:mmm | I | …`).
    Microsoft,
}

impl LogStyle {
    /// The style's name as `log show --style` spells it.
    pub fn name(self) -> &'static str {
        match self {
            LogStyle::Default => "default",
            LogStyle::Compact => "compact",
            LogStyle::Syslog => "syslog",
            LogStyle::Json => "json",
            LogStyle::Ndjson => "ndjson",
            LogStyle::Microsoft => "microsoft",
        }
    }
}

/// The message type of an entry, normalised across styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum EntryType {
    /// `Default` / `Df`.
    #[default]
    Default,
    /// `Info` / `In`.
    Info,
    /// `Debug` / `Db`.
    Debug,
    /// `Error` / `E` / `Er`.
    Error,
    /// `Fault` / `F` / `Ft`.
    Fault,
    /// Activity and other non-log entries (`A`, `activityCreateEvent`...).
    Activity,
    /// A type ca-doctor does not know.
    Other,
}

impl EntryType {
    /// Reads a type word or code from any style (`Default`, `Df`, `E`...).
    pub fn parse(text: &str) -> Self {
        match text.trim().to_ascii_lowercase().as_str() {
            "default" | "df" | "notice" => EntryType::Default,
            "info" | "in" => EntryType::Info,
            "debug" | "db" => EntryType::Debug,
            "error" | "e" | "er" | "err" => EntryType::Error,
            "fault" | "f" | "ft" => EntryType::Fault,
            "a" | "activity" | "activitycreateevent" | "activitytransitionevent" => {
                EntryType::Activity
            }
            _ => EntryType::Other,
        }
    }
}

/// One log entry with its matched signatures.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Event {
    /// When it was logged; `None` if the entry's time could not be read.
    pub time: Option<DateTime<FixedOffset>>,
    /// The time had no UTC offset (compact style) and was placed in the
    /// analysis clock's offset.
    pub local_time: bool,
    /// Message type.
    pub entry_type: EntryType,
    /// Process name (e.g. `Jamf Conditional Access`, `Microsoft Teams`).
    pub process: String,
    /// Process ID, when given.
    pub pid: Option<u32>,
    /// Subsystem, e.g. `com.jamf.management.jamfAAD`.
    pub subsystem: String,
    /// Category, e.g. `workflow`.
    pub category: String,
    /// The message, continuation lines joined with `\n`.
    pub message: String,
    /// Signatures found anywhere in the raw entry.
    pub signatures: SignatureSet,
    /// The entry was longer than ca-doctor keeps; the message is cut.
    pub truncated: bool,
    /// The macOS account whose own log file the entry was read from
    /// (the unified log's entries belong to nobody in particular).
    pub account: Option<String>,
}

impl Event {
    /// Whether this entry's process counts for a signature of `scope`.
    pub(crate) fn admitted_by(&self, scope: Scope) -> bool {
        scope.admits(&self.subsystem, &self.process)
    }

    /// A one-line rendering for evidence: time, process and message start.
    pub(crate) fn sample_line(&self, max_chars: usize) -> String {
        let time = self
            .time
            .map(|t| t.format("%Y-%m-%d %H:%M:%S%z").to_string())
            .unwrap_or_else(|| "(no time)".to_string());
        let message: String = self
            .message
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let mut line = format!("{time} {}: {message}", self.process);
        if line.chars().count() > max_chars {
            line = line.chars().take(max_chars).collect::<String>() + "…";
        }
        line
    }
}
