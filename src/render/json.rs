//! The JSON report: one document with a schema version, the status, the
//! findings and the facts. Field names are part of the interface.

use crate::analysis::Report;
use crate::incremental::TickOutcome;
use crate::verdict::Verdict;
use serde::Serialize;

/// Version of the JSON document's shape; raised on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct UserDocument<'a> {
    status: &'static str,
    primary_cause: Option<&'static str>,
    findings: &'a [crate::detectors::Finding],
    facts: &'a crate::facts::Facts,
}

impl<'a> UserDocument<'a> {
    fn of(verdict: &'a Verdict) -> Self {
        UserDocument {
            status: verdict.status.token(),
            primary_cause: verdict.primary_cause,
            findings: &verdict.findings,
            facts: &verdict.facts,
        }
    }
}

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    tool: &'static str,
    tool_version: &'static str,
    #[serde(flatten)]
    user: UserDocument<'a>,
}

#[derive(Serialize)]
struct ManyUsers<'a> {
    schema_version: u32,
    tool: &'static str,
    tool_version: &'static str,
    status: &'static str,
    users: Vec<UserDocument<'a>>,
}

#[derive(Serialize)]
struct TickDocument<'a> {
    schema_version: u32,
    tool: &'static str,
    tool_version: &'static str,
    entries_read: u64,
    entries_matched: u64,
    records_added: i64,
    state: String,
    state_saved: bool,
    state_error: Option<&'a str>,
    state_note: Option<&'a str>,
    status: &'static str,
    users: Vec<UserDocument<'a>>,
}

fn pretty(value: &impl Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| {
        format!(
            "{{\"schema_version\":{SCHEMA_VERSION},\"status\":\"unknown\",\"error\":{:?}}}",
            e.to_string()
        )
    })
}

/// Renders one verdict as pretty JSON.
pub fn render(verdict: &Verdict) -> String {
    pretty(&Document {
        schema_version: SCHEMA_VERSION,
        tool: "ca-doctor",
        tool_version: env!("CARGO_PKG_VERSION"),
        user: UserDocument::of(verdict),
    })
}

/// Renders a report: one user's document, or for several users the overall
/// status and a `users` array.
pub fn render_report(report: &Report) -> String {
    match report.verdicts.as_slice() {
        [only] => render(only),
        many => pretty(&ManyUsers {
            schema_version: SCHEMA_VERSION,
            tool: "ca-doctor",
            tool_version: env!("CARGO_PKG_VERSION"),
            status: report.status().token(),
            users: many.iter().map(UserDocument::of).collect(),
        }),
    }
}

/// Renders what a tick did.
pub fn render_tick(outcome: &TickOutcome) -> String {
    pretty(&TickDocument {
        schema_version: SCHEMA_VERSION,
        tool: "ca-doctor",
        tool_version: env!("CARGO_PKG_VERSION"),
        entries_read: outcome.entries_read,
        entries_matched: outcome.entries_matched,
        records_added: outcome.records_added,
        state: outcome.state_path.display().to_string(),
        state_saved: outcome.written.is_ok(),
        state_error: outcome.written.as_ref().err().map(String::as_str),
        state_note: outcome.state_note.as_deref(),
        status: outcome.report.status().token(),
        users: outcome
            .report
            .verdicts
            .iter()
            .map(UserDocument::of)
            .collect(),
    })
}
