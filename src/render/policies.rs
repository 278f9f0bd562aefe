//! The policies report: for a person, the status, how many policies reach
//! the Jamf Connect sign-in, then each finding; for a program, one JSON
//! document with a `summary` of every policy's reach.

use super::human::render_finding;
use super::view::ShownFinding;
use crate::entra::policies::PolicyState;
use crate::inputs::InputRecord;
use crate::util::text::count;
use crate::verdict::PoliciesReport;
use serde::Serialize;
use std::fmt::Write;

#[derive(Serialize)]
struct PolicyDocument<'a> {
    id: &'a str,
    name: &'a str,
    state: Option<PolicyState>,
    reaches_jamf_connect: bool,
    why_not: Option<&'a str>,
}

#[derive(Serialize)]
struct Summary<'a> {
    policies: usize,
    enabled: usize,
    report_only: usize,
    disabled: usize,
    files: &'a [InputRecord],
    jamf_connect_apps: &'a [String],
    jamf_connect_default_scopes_only: bool,
    by_policy: Vec<PolicyDocument<'a>>,
}

fn counted(report: &PoliciesReport, state: PolicyState) -> usize {
    report
        .evidence
        .policies
        .iter()
        .filter(|(p, _)| p.state == Some(state))
        .count()
}

/// The report as one JSON document.
pub(crate) fn render_json(report: &PoliciesReport) -> String {
    let evidence = &report.evidence;
    let summary = Summary {
        policies: evidence.policies.len(),
        enabled: counted(report, PolicyState::Enabled),
        report_only: counted(report, PolicyState::ReportOnly),
        disabled: counted(report, PolicyState::Disabled),
        files: &evidence.inputs,
        jamf_connect_apps: &evidence.jamf_connect_apps,
        jamf_connect_default_scopes_only: evidence.default_scopes_only,
        by_policy: evidence
            .policies
            .iter()
            .map(|(policy, reach)| PolicyDocument {
                id: &policy.id,
                name: &policy.name,
                state: policy.state,
                reaches_jamf_connect: reach.reaches,
                why_not: reach.why_not.as_deref(),
            })
            .collect(),
    };
    super::json::tenant_document(report.status, &report.findings, summary)
}

/// The report for a person.
pub(crate) fn render_human(report: &PoliciesReport, verbose: bool) -> String {
    let evidence = &report.evidence;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "ca-doctor policies: {}",
        report.status.token().to_uppercase()
    );
    let reaching = evidence.policies.iter().filter(|(_, r)| r.reaches).count();
    let _ = writeln!(
        out,
        "{} read ({} enabled, {} report-only, {} disabled); {} the Jamf Connect sign-in",
        count(evidence.policies.len() as u64, "policy", "policies"),
        counted(report, PolicyState::Enabled),
        counted(report, PolicyState::ReportOnly),
        counted(report, PolicyState::Disabled),
        count(reaching as u64, "reaches", "reach")
    );
    let _ = writeln!(out);
    if report.findings.is_empty() {
        let _ = writeln!(out, "No findings.");
    }
    let mut commands = Vec::new();
    for finding in &report.findings {
        render_finding(&mut out, &ShownFinding::of(finding, verbose, &mut commands));
    }
    out
}
