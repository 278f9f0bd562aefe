//! The JSON report: one document with a schema version, the status, the
//! findings and the facts. Field names are part of the interface.

use super::view::{ReportView, UserView};
use crate::evidence::facts::Facts;
use crate::findings::{Finding, FindingId};
use crate::incremental::TickOutcome;
use crate::verdict::Status;
use serde::Serialize;

/// Version of the JSON document's shape; raised on incompatible changes.
pub(crate) const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct UserDocument<'a> {
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    unknown_reason: Option<&'a str>,
    primary_cause: Option<FindingId>,
    findings: &'a [Finding],
    facts: &'a Facts,
}

impl<'a> UserDocument<'a> {
    fn of(user: &UserView<'a>) -> Self {
        UserDocument {
            status: user.status(),
            unknown_reason: user.verdict.unknown_reason.as_deref(),
            primary_cause: user.primary_cause(),
            findings: user.findings(),
            facts: user.facts(),
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
    status: Status,
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
    status: Status,
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

/// Renders a report: one user's document, or for several users the overall
/// status and a `users` array.
pub(crate) fn render(view: &ReportView) -> String {
    match view.users.as_slice() {
        [only] => pretty(&Document {
            schema_version: SCHEMA_VERSION,
            tool: "ca-doctor",
            tool_version: env!("CARGO_PKG_VERSION"),
            user: UserDocument::of(only),
        }),
        many => pretty(&ManyUsers {
            schema_version: SCHEMA_VERSION,
            tool: "ca-doctor",
            tool_version: env!("CARGO_PKG_VERSION"),
            status: view.status,
            users: many.iter().map(UserDocument::of).collect(),
        }),
    }
}

/// Renders what a tick did.
pub(crate) fn render_tick(outcome: &TickOutcome) -> String {
    let view = ReportView::of(&outcome.report, true);
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
        status: view.status,
        users: view.users.iter().map(UserDocument::of).collect(),
    })
}

/// A tenant report (sign-ins, policies) as one JSON document: the common
/// header, the status, the findings and the report's own `summary`.
pub(crate) fn tenant_document<S: serde::Serialize>(
    status: crate::verdict::Status,
    findings: &[crate::findings::Finding],
    summary: S,
) -> String {
    #[derive(serde::Serialize)]
    struct Document<'a, S> {
        schema_version: u32,
        tool: &'static str,
        tool_version: &'static str,
        status: crate::verdict::Status,
        findings: &'a [crate::findings::Finding],
        summary: S,
    }
    let document = Document {
        schema_version: SCHEMA_VERSION,
        tool: "ca-doctor",
        tool_version: env!("CARGO_PKG_VERSION"),
        status,
        findings,
        summary,
    };
    serde_json::to_string_pretty(&document)
        .unwrap_or_else(|e| format!("{{\"status\":\"unknown\",\"error\":{:?}}}", e.to_string()))
}
