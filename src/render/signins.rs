//! The sign-ins report: for a person, the status, the counts by app role
//! and outcome, then each finding (users, sign-ins, policies, next steps);
//! for a program, one JSON document with a `summary` whose `outcomes` list
//! every outcome, zeros included.

use super::human::render_finding;
use super::view::ShownFinding;
use crate::entra::signins::outcome::{AppRole, Outcome};
use crate::evidence::signins::SignInEvidence;
use crate::inputs::InputRecord;
use crate::util::text::count;
use crate::verdict::SignInsReport;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Serialize)]
struct AppDocument<'a> {
    app_id: &'a str,
    name: &'a str,
    role: AppRole,
    outcomes: BTreeMap<&'static str, u64>,
}

#[derive(Serialize)]
struct Summary<'a> {
    records: u64,
    skipped: u64,
    files: &'a [InputRecord],
    outcomes: BTreeMap<&'static str, u64>,
    by_app: Vec<AppDocument<'a>>,
}

/// Every outcome's count, zeros included.
fn all_outcomes(counts: &BTreeMap<Outcome, u64>) -> BTreeMap<&'static str, u64> {
    Outcome::ALL
        .iter()
        .map(|o| (o.name(), counts.get(o).copied().unwrap_or(0)))
        .collect()
}

/// The report as one JSON document.
pub(crate) fn render_json(report: &SignInsReport) -> String {
    let evidence = &report.evidence;
    let summary = Summary {
        records: evidence.records,
        skipped: evidence.skipped,
        files: &evidence.inputs,
        outcomes: all_outcomes(&evidence.outcomes),
        by_app: evidence
            .by_app
            .values()
            .map(|app| AppDocument {
                app_id: &app.app_id,
                name: &app.name,
                role: app.role,
                outcomes: all_outcomes(&app.outcomes),
            })
            .collect(),
    };
    super::json::tenant_document(report.status, &report.findings, summary)
}

/// The report for a person: status, counts per app role, then findings.
pub(crate) fn render_human(report: &SignInsReport, verbose: bool) -> String {
    let evidence: &SignInEvidence = &report.evidence;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "ca-doctor signins: {}",
        report.status.token().to_uppercase()
    );
    let _ = writeln!(
        out,
        "{} read from {}{}",
        count(evidence.records, "sign-in", "sign-ins"),
        count(evidence.inputs.len() as u64, "export", "exports"),
        if evidence.skipped > 0 {
            format!(" ({} skipped)", evidence.skipped)
        } else {
            String::new()
        }
    );
    let _ = writeln!(out);
    for role in [
        AppRole::JamfConnect,
        AppRole::DeviceCompliance,
        AppRole::Other,
    ] {
        let apps: Vec<_> = evidence
            .by_app
            .values()
            .filter(|a| a.role == role)
            .collect();
        if apps.is_empty() {
            continue;
        }
        let mut outcomes: BTreeMap<Outcome, u64> = BTreeMap::new();
        for app in &apps {
            for (outcome, n) in &app.outcomes {
                *outcomes.entry(*outcome).or_default() += n;
            }
        }
        let names: Vec<&str> = apps
            .iter()
            .map(|a| {
                if a.name.is_empty() {
                    a.app_id.as_str()
                } else {
                    a.name.as_str()
                }
            })
            .collect();
        let counts: Vec<String> = outcomes
            .iter()
            .map(|(outcome, n)| format!("{} {n}", outcome.name()))
            .collect();
        let _ = writeln!(
            out,
            "{:<18} {} · {}",
            role.name(),
            counts.join(", "),
            names.join(", ")
        );
    }
    let _ = writeln!(out);
    if report.findings.is_empty() {
        let _ = writeln!(out, "No findings.");
    }
    let mut commands = Vec::new();
    for finding in &report.findings {
        let shown = ShownFinding::of(finding, verbose, &mut commands);
        render_finding(&mut out, &shown);
    }
    out
}
