//! The terminal report for a help-desk person: the verdict first, then each
//! finding with its evidence and numbered next steps, then the facts.
//! Colour only on a terminal, and never when `NO_COLOR` is set.

use crate::detectors::{Finding, Severity};
use crate::timeutil::{describe_age, format_local};
use crate::verdict::{Status, Verdict};
use std::fmt::Write;

/// Whether to colour the output.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
}

impl Style {
    /// Colour when stdout is a terminal and `NO_COLOR` is unset or empty.
    pub fn detect() -> Self {
        use std::io::IsTerminal;
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            color: !no_color && std::io::stdout().is_terminal(),
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(&self, severity: Severity) -> String {
        let code = match severity {
            Severity::Critical => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.paint(code, severity.name())
    }

    fn status(&self, status: Status) -> String {
        let code = match status {
            Status::Healthy => "1;32",
            Status::AtRisk => "1;33",
            Status::Deactivated | Status::NotRegistered => "1;31",
            Status::Unknown => "1;35",
        };
        self.paint(code, &status.token().to_uppercase())
    }
}

/// Renders every user's report, one after the other.
pub fn render_report(report: &crate::analysis::Report, style: Style) -> String {
    let mut out = String::new();
    for (n, verdict) in report.verdicts.iter().enumerate() {
        if n > 0 {
            out.push_str(&"─".repeat(72));
            out.push_str("\n\n");
        }
        out.push_str(&render(verdict, style));
    }
    out
}

/// Renders the full report of one user.
pub fn render(verdict: &Verdict, style: Style) -> String {
    let mut out = String::new();
    let facts = &verdict.facts;
    let offset = facts.window.end.timezone();
    let now = facts.window.end;
    let headline = match verdict.primary_cause {
        Some(cause) => format!("{} (primary cause: {cause})", style.status(verdict.status)),
        None => style.status(verdict.status),
    };
    let _ = writeln!(out, "ca-doctor: {headline}");
    let last = facts.last_success.map_or_else(
        || "none known".to_string(),
        |t| format!("{} ({})", format_local(t, offset), describe_age(t, now)),
    );
    let _ = writeln!(
        out,
        "user {} · Jamf Pro {} · macOS {} · last success {}",
        facts.user,
        facts.jamf_pro_version.as_deref().unwrap_or("unknown"),
        facts.macos_version.as_deref().unwrap_or("unknown"),
        last
    );
    let _ = writeln!(out);
    if verdict.status == Status::Unknown {
        let _ = writeln!(
            out,
            "Nothing usable could be read: no agent preferences, no Jamf files and no log entries. Check --root, --user and --log (and run as root on a Mac)."
        );
        let _ = writeln!(out);
    } else if verdict.findings.is_empty() {
        let _ = writeln!(out, "No findings.");
        let _ = writeln!(out);
    }
    for finding in &verdict.findings {
        render_finding(&mut out, finding, style);
    }
    render_facts(&mut out, verdict);
    out
}

fn render_finding(out: &mut String, finding: &Finding, style: Style) {
    let _ = writeln!(
        out,
        "{}[{}]: {}",
        style.severity(finding.severity),
        finding.id,
        finding.summary
    );
    for evidence in &finding.evidence {
        let _ = writeln!(out, "  = {}: {}", evidence.label, evidence.value);
        for item in &evidence.items {
            let _ = writeln!(out, "      {item}");
        }
    }
    if !finding.remediation.is_empty() {
        let _ = writeln!(out, "  {}", style.paint("1", "next steps:"));
        for (n, step) in finding.remediation.iter().enumerate() {
            let _ = writeln!(out, "    {}. {step}", n + 1);
        }
    }
    let _ = writeln!(out);
}

fn render_facts(out: &mut String, verdict: &Verdict) {
    let facts = &verdict.facts;
    let offset = facts.window.end.timezone();
    let unknown = || "unknown".to_string();
    let _ = writeln!(out, "Facts");
    let rows: Vec<(&str, String)> = vec![
        (
            "have_an_Azure_id",
            facts
                .have_an_azure_id
                .map_or_else(unknown, |b| b.to_string()),
        ),
        (
            "last_aad_token_timestamp",
            facts
                .last_token_timestamp
                .map_or_else(|| "none".to_string(), |t| format_local(t, offset)),
        ),
        (
            "integration",
            match (&facts.integration, &facts.integration_app_id) {
                (Some(name), Some(id)) => format!("{name} ({id})"),
                _ => unknown(),
            },
        ),
        (
            "microsoftCAEnabled",
            facts
                .microsoft_ca_enabled
                .map_or_else(unknown, |b| b.to_string()),
        ),
        (
            "window",
            format!(
                "{} to {}",
                format_local(facts.window.start, offset),
                format_local(facts.window.end, offset)
            ),
        ),
        (
            "log",
            format!(
                "{} entries read, {} matched, {} bytes ({}; {})",
                facts.entries_read,
                facts.entries_matched,
                facts.log_bytes,
                facts.log_source,
                if facts.log_styles.is_empty() {
                    "no log given".to_string()
                } else {
                    facts.log_styles.join(", ")
                }
            ),
        ),
    ];
    for (label, value) in rows {
        let _ = writeln!(out, "  {label:<26} {value}");
    }
    if let Some(registration) = &facts.registration {
        for check in &registration.checks {
            let answer = match check.registered {
                Some(true) => "registered".to_string(),
                Some(false) => "not registered".to_string(),
                None => format!("no answer ({})", check.outcome),
            };
            let _ = writeln!(out, "  {:<26} {answer}", check.check);
        }
    }
    for (key, value) in &facts.managed_agent_prefs {
        let _ = writeln!(out, "  {:<26} {value} (managed)", key);
    }
    for input in &facts.inputs {
        let state = match input.state {
            crate::sources::InputState::Read => "read",
            crate::sources::InputState::Missing => "missing",
            crate::sources::InputState::Unreadable => "UNREADABLE",
        };
        let reason = input
            .reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        let _ = writeln!(out, "  {:<26} {state}: {}{reason}", input.what, input.path);
    }
}
