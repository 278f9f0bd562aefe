//! `token-stale`: no successful sign-in for over 24 hours (or none at all
//! while `have_an_Azure_id` is true). Before Jamf Pro 11.5 the agent should
//! have re-authenticated every 2 hours, so this is a warning; from 11.5 the
//! recurring job is gone and an old timestamp is normal (info).

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::util::time::describe_age;
use crate::util::version::JAMF_RECURRING_REMOVED;
use chrono::Duration;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::TokenStale;

/// Raises `token-stale`.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let facts = context.facts;
    let stale_since = match facts.last_success {
        Some(last) if context.now.signed_duration_since(last) > Duration::hours(24) => Some(last),
        Some(_) => return Vec::new(),
        None if facts.prefs.have_an_azure_id == Some(true) => None,
        None => return Vec::new(),
    };
    let recurring_removed = facts
        .prefs
        .jamf_pro_version
        .is_some_and(|v| v >= JAMF_RECURRING_REMOVED);
    let severity = if recurring_removed {
        Severity::Info
    } else {
        Severity::Warning
    };
    let age = stale_since.map_or_else(
        || "never".to_string(),
        |t| format!("{} ({})", context.time(t), describe_age(t, context.now)),
    );
    let mut evidence = vec![EvidenceRow::new("last success", age)];
    evidence.push(EvidenceRow::new(
        "Jamf Pro",
        facts
            .prefs
            .jamf_pro_version_text
            .clone()
            .unwrap_or_else(|| "unknown (Jamf.app Info.plist not read)".to_string()),
    ));
    let remediation = if recurring_removed {
        vec!["Nothing to do for this alone: from Jamf Pro 11.5 the agent no longer re-authenticates every 2 hours, so last_aad_token_timestamp ages normally.".to_string()]
    } else {
        vec![
            format!("Before Jamf Pro 11.5 the recurring LaunchAgent (com.jamf.management.jamfAAD…) should sign in every 2 hours: check that it is loaded for the user with `launchctl print gui/$(id -u {user})` and look for com.jamf.management.jamfAAD.", user = facts.user()),
            "Check the silent sign-in findings in this report: repeated failures keep the timestamp from moving.".to_string(),
            format!("Trigger a sign-in as the user to confirm it works: {}", context.agent_command("gatherAADInfo")),
        ]
    };
    vec![Finding {
        id: ID,
        subject: None,
        severity,
        summary: match stale_since {
            Some(t) => format!(
                "The last successful sign-in was {}",
                describe_age(t, context.now)
            ),
            None => {
                "have_an_Azure_id is true but no successful sign-in time is recorded".to_string()
            }
        },
        evidence,
        remediation,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;
    use crate::util::time::parse_now;

    fn three_days_old(jamf: &str) -> Scenario {
        let mut scenario = Scenario::registered().jamf(jamf);
        scenario.prefs.last_token_time = Some(parse_now("2026-11-17T12:00:00-05:00").unwrap());
        scenario
    }

    #[test]
    fn warning_before_11_5_info_after() {
        assert_eq!(
            three_days_old("11.4.1").run(detect)[0].severity,
            Severity::Warning
        );
        assert_eq!(
            three_days_old("11.5.0").run(detect)[0].severity,
            Severity::Info
        );
    }

    #[test]
    fn recent_success_is_fine() {
        assert!(Scenario::registered().jamf("11.4").run(detect).is_empty());
    }

    #[test]
    fn no_time_while_flag_true() {
        let mut scenario = Scenario::registered().jamf("11.0");
        scenario.prefs.last_token_time = None;
        let findings = scenario.run(detect);
        assert_eq!(findings[0].severity, Severity::Warning);
        assert!(findings[0].summary.contains("no successful sign-in time"));
    }
}
