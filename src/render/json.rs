//! The JSON report: one document with a schema version, the status, the
//! findings and the facts. Field names are part of the interface.

use crate::verdict::Verdict;
use serde::Serialize;

/// Version of the JSON document's shape; raised on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    tool: &'static str,
    tool_version: &'static str,
    status: &'static str,
    primary_cause: Option<&'static str>,
    findings: &'a [crate::detectors::Finding],
    facts: &'a crate::facts::Facts,
}

/// Renders the verdict as pretty JSON.
pub fn render(verdict: &Verdict) -> String {
    let document = Document {
        schema_version: SCHEMA_VERSION,
        tool: "ca-doctor",
        tool_version: env!("CARGO_PKG_VERSION"),
        status: verdict.status.token(),
        primary_cause: verdict.primary_cause,
        findings: &verdict.findings,
        facts: &verdict.facts,
    };
    serde_json::to_string_pretty(&document).unwrap_or_else(|e| {
        format!(
            "{{\"schema_version\":{SCHEMA_VERSION},\"status\":\"unknown\",\"error\":{:?}}}",
            e.to_string()
        )
    })
}
