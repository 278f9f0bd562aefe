//! The one view model every renderer prints from: per user the status, the
//! primary cause, a headline, the findings and the facts as labelled rows,
//! plus the report's overall status and timeline. Renderers only lay it out.

use crate::evidence::facts::Facts;
use crate::evidence::timeline::Timeline;
use crate::findings::{Finding, FindingId, Severity};
use crate::inputs::InputState;
use crate::util::time::{describe_age, format_local};
use crate::verdict::{Report, Status, Verdict};

/// A whole report, ready to print.
pub(crate) struct ReportView<'a> {
    /// The overall status: the worst of the users'.
    pub(crate) status: Status,
    /// One per user, in the order analysed.
    pub(crate) users: Vec<UserView<'a>>,
    /// The log evidence over time.
    pub(crate) timeline: &'a Timeline,
}

/// One user's verdict, ready to print.
pub(crate) struct UserView<'a> {
    /// The verdict itself (the EA and JSON read its fields).
    pub(crate) verdict: &'a Verdict,
    /// `user … · Jamf Pro … · macOS … · last success …`.
    pub(crate) headline: String,
    /// One sentence: the first problem's summary, or why there is none.
    pub(crate) summary: String,
    /// The facts as label and value rows.
    pub(crate) fact_rows: Vec<(String, String)>,
}

impl<'a> ReportView<'a> {
    /// The view of `report`.
    pub(crate) fn of(report: &'a Report) -> Self {
        ReportView {
            status: report.status(),
            users: report.verdicts.iter().map(UserView::of).collect(),
            timeline: &report.timeline,
        }
    }
}

impl<'a> UserView<'a> {
    /// The view of one verdict.
    pub(crate) fn of(verdict: &'a Verdict) -> Self {
        UserView {
            verdict,
            headline: headline(&verdict.facts),
            summary: summary(verdict),
            fact_rows: fact_rows(&verdict.facts),
        }
    }

    /// The status.
    pub(crate) fn status(&self) -> Status {
        self.verdict.status
    }

    /// The finding to fix first.
    pub(crate) fn primary_cause(&self) -> Option<FindingId> {
        self.verdict.primary_cause
    }

    /// The findings, in report order.
    pub(crate) fn findings(&self) -> &'a [Finding] {
        &self.verdict.findings
    }

    /// The facts.
    pub(crate) fn facts(&self) -> &'a Facts {
        &self.verdict.facts
    }

    /// The analysed user's short name.
    pub(crate) fn user(&self) -> &'a str {
        self.verdict.facts.user()
    }
}

impl UserView<'_> {
    /// What an `unknown` verdict says instead of a diagnosis.
    pub(crate) fn unknown_text(&self) -> Option<String> {
        let reason = self.verdict.unknown_reason.as_deref()?;
        Some(format!(
            "Nothing can be said of this Mac for {}: {reason}.",
            self.user()
        ))
    }
}

fn headline(facts: &Facts) -> String {
    let offset = facts.window.end.timezone();
    let last = facts.last_success.map_or_else(
        || "none known".to_string(),
        |t| {
            format!(
                "{} ({})",
                format_local(t, offset),
                describe_age(t, facts.window.end)
            )
        },
    );
    format!(
        "user {} · Jamf Pro {} · macOS {} · last success {}",
        facts.user(),
        facts
            .prefs
            .jamf_pro_version_text
            .as_deref()
            .unwrap_or("unknown"),
        facts
            .prefs
            .macos_version_text
            .as_deref()
            .unwrap_or("unknown"),
        last
    )
}

fn summary(verdict: &Verdict) -> String {
    match verdict
        .findings
        .iter()
        .find(|f| f.severity >= Severity::Warning)
    {
        Some(finding) => finding.summary.clone(),
        None if verdict.status == Status::Unknown => format!(
            "Nothing can be said: {}.",
            verdict
                .unknown_reason
                .as_deref()
                .unwrap_or("nothing usable could be read")
        ),
        None => "No problem found.".to_string(),
    }
}

fn fact_rows(facts: &Facts) -> Vec<(String, String)> {
    let offset = facts.window.end.timezone();
    let unknown = || "unknown".to_string();
    let flag = |value: Option<bool>| value.map_or_else(unknown, |b| b.to_string());
    let mut rows: Vec<(String, String)> = vec![
        (
            "user".into(),
            format!(
                "{} ({}; home {}, {})",
                facts.user(),
                facts.account.chosen_by.describe(),
                facts.account.home.display(),
                facts.account.home_source
            ),
        ),
        (
            "have_an_Azure_id".into(),
            flag(facts.prefs.have_an_azure_id),
        ),
        (
            "last_aad_token_timestamp".into(),
            facts
                .last_token_timestamp()
                .map_or_else(|| "none".to_string(), |t| format_local(t, offset)),
        ),
        (
            "integration".into(),
            match (facts.integration(), &facts.prefs.integration_app_id) {
                (Some(name), Some(id)) => format!("{name} ({id})"),
                _ => unknown(),
            },
        ),
        (
            "microsoftCAEnabled".into(),
            flag(facts.prefs.microsoft_ca_enabled),
        ),
        (
            "window".into(),
            format!(
                "{} to {}",
                format_local(facts.window.start, offset),
                format_local(facts.window.end, offset)
            ),
        ),
        (
            "log".into(),
            format!(
                "{} entries read, {} matched, {} bytes ({}; {})",
                facts.log.entries,
                facts.log.matched,
                facts.log.bytes,
                facts.log.source_name(),
                if facts.log.styles.is_empty() {
                    "no log given".to_string()
                } else {
                    facts.log.styles.join(", ")
                }
            ),
        ),
    ];
    let set_aside = facts.lines_of_other_accounts();
    if set_aside > 0 {
        let accounts: Vec<String> = facts
            .other_accounts
            .iter()
            .map(|(name, count)| format!("{name}: {count}"))
            .collect();
        rows.push((
            "other accounts' lines".into(),
            format!("{set_aside} set aside ({})", accounts.join(", ")),
        ));
    }
    if facts.private_name_lines > 0 {
        rows.push((
            "<private> account lines".into(),
            format!(
                "{} counted for {} (the OS hid the account name)",
                facts.private_name_lines,
                facts.user()
            ),
        ));
    }
    if let Some(registration) = &facts.registration {
        for check in &registration.checks {
            let answer = match check.registered {
                Some(true) => "registered".to_string(),
                Some(false) => "not registered".to_string(),
                None => format!("no answer ({})", check.outcome),
            };
            rows.push((check.check.clone(), answer));
        }
    }
    for (key, value) in &facts.prefs.managed_agent_prefs {
        rows.push((key.clone(), format!("{value} (managed)")));
    }
    for input in &facts.inputs {
        let state = match input.state {
            InputState::Unreadable => "UNREADABLE",
            other => other.name(),
        };
        let reason = input
            .reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        rows.push((
            input.what.clone(),
            format!("{state}: {}{reason}", input.path),
        ));
    }
    rows
}
