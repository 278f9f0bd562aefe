//! The terminal report for a help-desk person: the verdict first, then each
//! finding with its evidence and numbered next steps, then the facts. The
//! text carries ANSI styles; the output stream drops them off a terminal or
//! when `NO_COLOR` is set (see [`super::print`]), and [`super::render_file`]
//! drops them for files.

use super::rows::chain_rows;
use super::view::{ReportView, ShownFinding, TenantEvidence, TenantView, TickView, UserView};
use crate::attribute::status_value;
use crate::evidence::chain::DeviceEvidence;
use crate::evidence::policies::PolicyEvidence;
use crate::evidence::signins::SignInEvidence;
use crate::findings::Severity;
use crate::inputs::{exports_looked_at, left_aside};
use crate::tenant::entra::policies::PolicyState;
use crate::tenant::entra::signins::outcome::{AppRole, Outcome, RoleFrom};
use crate::util::text::{count, cut_at_word};
use crate::verdict::Status;
use anstyle::{AnsiColor, Style};
use std::collections::BTreeMap;
use std::fmt::Write;

fn bold(color: AnsiColor) -> Style {
    Style::new().bold().fg_color(Some(color.into()))
}

fn paint(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

fn severity(severity: Severity) -> String {
    let color = match severity {
        Severity::Critical => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::Cyan,
    };
    paint(bold(color), severity.name())
}

fn status(status: Status) -> String {
    let color = match status {
        Status::Healthy => AnsiColor::Green,
        Status::AtRisk => AnsiColor::Yellow,
        Status::Deactivated | Status::NotRegistered | Status::NotCompliant => AnsiColor::Red,
        Status::Unknown => AnsiColor::Magenta,
    };
    paint(bold(color), &status.token().to_uppercase())
}

/// Renders every user's report of a Mac, one after the other, with styles.
pub(crate) fn render(view: &ReportView) -> String {
    let mut out = String::new();
    for (n, user) in view.users.iter().enumerate() {
        if n > 0 {
            out.push_str(&"─".repeat(72));
            out.push_str("\n\n");
        }
        render_user(&mut out, user, view.verbose);
    }
    out
}

/// Renders a tenant report (sign-ins, policies), with styles.
pub(crate) fn render_tenant(view: &TenantView) -> String {
    match view.evidence {
        TenantEvidence::SignIns(evidence) => render_sign_ins(view, evidence),
        TenantEvidence::Policies(evidence) => render_policies(view, evidence),
        TenantEvidence::Device(evidence) => render_device(view, evidence),
    }
}

/// One device's chain for a person: the status and the link that broke,
/// what each link says, then each finding.
fn render_device(view: &TenantView, evidence: &DeviceEvidence) -> String {
    let mut out = String::new();
    let headline = match view.primary_cause {
        Some(cause) => format!(
            "{} (primary cause: {cause})",
            view.status.token().to_uppercase()
        ),
        None => view.status.token().to_uppercase(),
    };
    let _ = writeln!(out, "ca-doctor device: {headline}");
    if let Some(line) = left_aside(&evidence.inputs) {
        let _ = writeln!(out, "{line}");
    }
    match (&evidence.chain, &evidence.not_found) {
        (Some(chain), _) => {
            let _ = writeln!(out, "{}: device ID {}", evidence.query, chain.device_id);
            let _ = writeln!(out);
            for (label, value) in chain_rows(chain, evidence.offset) {
                let _ = writeln!(out, "  {label:<26} {value}");
            }
        }
        (None, why) => {
            let _ = writeln!(
                out,
                "{}: {}",
                evidence.query,
                why.as_deref().unwrap_or("no device found")
            );
        }
    }
    let _ = writeln!(out);
    render_tenant_findings(&mut out, view);
    out
}

/// The sign-ins report for a person: the status, the counts by app role
/// and outcome, then each finding.
fn render_sign_ins(view: &TenantView, evidence: &SignInEvidence) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "ca-doctor signins: {}",
        view.status.token().to_uppercase()
    );
    let _ = writeln!(
        out,
        "{} read from {}{}",
        count(evidence.records, "sign-in", "sign-ins"),
        count(exports_looked_at(&evidence.inputs), "export", "exports"),
        if evidence.skipped > 0 {
            format!(" ({} skipped)", evidence.skipped)
        } else {
            String::new()
        }
    );
    if let Some(line) = left_aside(&evidence.inputs) {
        let _ = writeln!(out, "{line}");
    }
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
    let guessed: Vec<String> = evidence
        .by_app
        .values()
        .filter(|a| a.role_from.guessed())
        .map(|a| format!("{} ({})", app_label(a), a.role_from.describe()))
        .collect();
    if !guessed.is_empty() {
        let _ = writeln!(
            out,
            "Jamf Connect guessed by protocol or name: {}; give --jamf-connect-app APP_ID to be sure",
            guessed.join(", ")
        );
    }
    let microsoft: Vec<String> = evidence
        .by_app
        .values()
        .filter(|a| a.role_from == RoleFrom::FirstParty)
        .map(app_label)
        .collect();
    if !microsoft.is_empty() {
        let _ = writeln!(
            out,
            "Microsoft's own apps, never Jamf Connect: {}",
            microsoft.join(", ")
        );
    }
    let _ = writeln!(out);
    render_tenant_findings(&mut out, view);
    out
}

/// An app as a report names it: its name and ID, or its ID.
fn app_label(app: &crate::evidence::signins::AppStats) -> String {
    if app.name.is_empty() {
        app.app_id.clone()
    } else {
        format!("{} ({})", app.name, app.app_id)
    }
}

/// The policy audit for a person: the status, how many policies reach the
/// Jamf Connect sign-in, then each finding.
fn render_policies(view: &TenantView, evidence: &PolicyEvidence) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "ca-doctor policies: {}",
        view.status.token().to_uppercase()
    );
    let reaching = evidence.policies.iter().filter(|(_, r)| r.reaches).count();
    let _ = writeln!(
        out,
        "{} read ({} enabled, {} report-only, {} disabled); {} the Jamf Connect sign-in",
        count(evidence.policies.len() as u64, "policy", "policies"),
        evidence.count_in_state(PolicyState::Enabled),
        evidence.count_in_state(PolicyState::ReportOnly),
        evidence.count_in_state(PolicyState::Disabled),
        count(reaching as u64, "reaches", "reach")
    );
    if let Some(line) = left_aside(&evidence.inputs) {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out);
    render_tenant_findings(&mut out, view);
    out
}

/// A tenant report's findings, or the line that says there are none.
fn render_tenant_findings(out: &mut String, view: &TenantView) {
    if view.shown.is_empty() {
        let _ = writeln!(out, "No findings.");
    }
    for shown in &view.shown {
        render_finding(out, shown);
    }
}

/// Renders what a tick did: one line with its time (the log launchd keeps
/// reads as a history), the note on the state, then each user's EA value.
pub(crate) fn render_tick(tick: &TickView) -> String {
    let outcome = tick.outcome;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} tick: read {} entries ({} matched, {:+} records), {}",
        outcome.report_time.format("%Y-%m-%d %H:%M:%S%:z"),
        outcome.entries_read,
        outcome.entries_matched,
        outcome.records_added,
        match &outcome.written {
            Ok(()) => format!("state saved to {}", outcome.state_path.display()),
            Err(e) => format!("state NOT saved: {e}"),
        }
    );
    if let Some(note) = &outcome.state_note {
        let _ = writeln!(out, "  {note}");
    }
    for user in &tick.report.users {
        let _ = writeln!(out, "  {}: {}", user.user(), status_value(user.verdict));
    }
    out
}

fn render_user(out: &mut String, user: &UserView, verbose: bool) {
    let headline = match user.primary_cause() {
        Some(cause) => format!("{} (primary cause: {cause})", status(user.status())),
        None => status(user.status()),
    };
    let _ = writeln!(out, "ca-doctor: {headline}");
    let _ = writeln!(out, "{}", user.headline);
    if let Some(note) = &user.facts().device_chain_note {
        let _ = writeln!(out, "{note}");
    }
    if let Some(step) = &user.do_this_first {
        let _ = writeln!(
            out,
            "{} {step}",
            paint(Style::new().bold(), "Do this first:")
        );
    }
    let _ = writeln!(out);
    if let Some(text) = user.unknown_text() {
        let _ = writeln!(out, "{text}");
        let _ = writeln!(out);
    } else if user.shown.is_empty() {
        let _ = writeln!(out, "No findings.");
        let _ = writeln!(out);
    }
    // One screen: the primary cause whole (its first step is "Do this
    // first" above), every other finding as its summary line; `--verbose`
    // shows each whole.
    let primary = user.primary_cause().filter(|_| !verbose);
    let mut summarised = 0;
    for finding in &user.shown {
        match primary {
            Some(cause) if cause != finding.id => {
                let head = format!("{}[{}]: ", finding.severity.name(), finding.id);
                let room = ONE_LINE.saturating_sub(head.chars().count()).max(20);
                let _ = writeln!(
                    out,
                    "{}[{}]: {}",
                    severity(finding.severity),
                    finding.id,
                    cut_at_word(&finding.summary, room)
                );
                summarised += 1;
            }
            Some(_) => {
                let mut compact = finding.clone();
                if compact.steps.first() == user.do_this_first.as_ref() {
                    compact.steps[0] = "Do this first, above.".to_string();
                }
                for row in &mut compact.evidence {
                    for item in &mut row.items {
                        *item = cut_at_word(item, ONE_LINE - 6);
                    }
                }
                render_finding(out, &compact);
            }
            None => render_finding(out, finding),
        }
    }
    if summarised > 0 {
        let _ = writeln!(
            out,
            "  (--verbose shows the evidence and next steps of every finding)"
        );
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "Facts");
    for (label, value) in &user.fact_rows {
        // Inputs read as expected, what the headline already says, and the
        // rows the compliance path sums up are only listed with --verbose.
        if !verbose
            && (value.starts_with("read: ")
                || label == "user"
                || label == "integration"
                || label == "microsoftCAEnabled")
        {
            continue;
        }
        let _ = writeln!(out, "  {label:<26} {value}");
    }
}

/// The width a line of the one-screen report keeps to: a summary of a
/// finding other than the primary cause, a sample line.
const ONE_LINE: usize = 96;

/// Wraps every line of `text` longer than `width` visible characters at
/// spaces, continuation lines indented under the line's own indent.
pub(crate) fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let visible = |s: &str| anstream::adapter::strip_str(s).to_string().chars().count();
        if visible(body) <= width {
            out.push_str(line);
            continue;
        }
        let indent = body.len() - body.trim_start().len();
        let continuation = " ".repeat((indent + 4).min(width / 2));
        let mut current = String::new();
        for word in body.trim_start().split(' ') {
            let candidate = if current.is_empty() {
                format!("{}{word}", &body[..indent])
            } else {
                format!("{current} {word}")
            };
            if visible(&candidate) > width && !current.trim().is_empty() {
                out.push_str(&current);
                out.push('\n');
                current = format!("{continuation}{word}");
            } else {
                current = candidate;
            }
        }
        out.push_str(&current);
        out.push_str(end);
    }
    out
}

pub(crate) fn render_finding(out: &mut String, finding: &ShownFinding) {
    let _ = writeln!(
        out,
        "{}[{}]: {}",
        severity(finding.severity),
        finding.id,
        finding.summary
    );
    if let Some(subject) = &finding.subject {
        let _ = writeln!(out, "  about: {subject}");
    }
    let mut rows = finding.evidence.iter().peekable();
    while let Some(evidence) = rows.next() {
        // "first seen" and "last seen" on one line.
        if evidence.label == "first seen"
            && let Some(last) = rows.peek().filter(|r| r.label == "last seen")
        {
            let _ = writeln!(out, "  = seen: {} to {}", evidence.value, last.value);
            rows.next();
            continue;
        }
        let _ = writeln!(out, "  = {}: {}", evidence.label, evidence.value);
        for item in &evidence.items {
            let _ = writeln!(out, "      {item}");
        }
        if evidence.hidden > 0 {
            let _ = writeln!(
                out,
                "      … {} more (--verbose shows them)",
                evidence.hidden
            );
        }
    }
    if !finding.steps.is_empty() {
        let _ = writeln!(out, "  {}", paint(Style::new().bold(), "next steps:"));
        for (n, step) in finding.steps.iter().enumerate() {
            let _ = writeln!(out, "    {}. {step}", n + 1);
        }
    }
    let _ = writeln!(out);
}
