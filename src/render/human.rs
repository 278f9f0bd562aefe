//! The terminal report for a help-desk person: the verdict first, then each
//! finding with its evidence and numbered next steps, then the facts. The
//! text carries ANSI styles; the output stream drops them off a terminal or
//! when `NO_COLOR` is set (see [`super::print_report`]), and [`plain`] drops
//! them for files.

use super::view::{ReportView, ShownFinding, UserView};
use crate::findings::Severity;
use crate::verdict::Status;
use anstyle::{AnsiColor, Style};
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
        Status::Deactivated | Status::NotRegistered => AnsiColor::Red,
        Status::Unknown => AnsiColor::Magenta,
    };
    paint(bold(color), &status.token().to_uppercase())
}

/// Renders every user's report, one after the other, with styles.
pub(crate) fn render(view: &ReportView) -> String {
    let mut out = String::new();
    for (n, user) in view.users.iter().enumerate() {
        if n > 0 {
            out.push_str(&"─".repeat(72));
            out.push_str("\n\n");
        }
        render_user(&mut out, user);
    }
    out
}

/// [`render`] without styles, for files.
pub(crate) fn plain(view: &ReportView) -> String {
    anstream::adapter::strip_str(&render(view)).to_string()
}

fn render_user(out: &mut String, user: &UserView) {
    let headline = match user.primary_cause() {
        Some(cause) => format!("{} (primary cause: {cause})", status(user.status())),
        None => status(user.status()),
    };
    let _ = writeln!(out, "ca-doctor: {headline}");
    let _ = writeln!(out, "{}", user.headline);
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
    for finding in &user.shown {
        render_finding(out, finding);
    }
    let _ = writeln!(out, "Facts");
    for (label, value) in &user.fact_rows {
        let _ = writeln!(out, "  {label:<26} {value}");
    }
}

/// One finding: severity, ID and summary, its evidence, numbered steps.
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
    for evidence in &finding.evidence {
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
