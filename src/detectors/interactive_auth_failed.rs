//! `interactive-auth-failed`: the interactive fallback did not get a token
//! and the agent sent an empty one. One such failure is enough to deactivate
//! the Mac, so it is critical when the deactivation followed.

use super::Context;
use super::deactivated::deactivation;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::mac::log::SignatureId;
use crate::util::text::count;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::InteractiveAuthFailed;

/// Raises `interactive-auth-failed`: critical when the Mac is deactivated and
/// the failure came at or before the deactivation, else warning.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(stats) = context.observations.get(SignatureId::InteractiveAuthFailed) else {
        return Vec::new();
    };
    let followed_by_deactivation = deactivation(context).is_some_and(|d| match d.logged_at {
        Some(at) => stats.first <= at,
        None => d.flag_false,
    });
    let severity = if followed_by_deactivation {
        Severity::Critical
    } else {
        Severity::Warning
    };
    let mut evidence = context.stats_evidence(stats);
    evidence.insert(
        0,
        EvidenceRow::new(
            "followed by deactivation",
            if followed_by_deactivation {
                "yes"
            } else {
                "no: a later sign-in succeeded"
            },
        ),
    );
    vec![Finding {
        id: ID,
        subject: None,
        severity,
        summary: format!(
            "The interactive sign-in failed {} and the agent sent an empty token to Jamf Pro",
            count(stats.count, "time", "times")
        ),
        evidence,
        remediation: vec![
            "Ask the user whether they saw, ignored or cancelled a Microsoft sign-in prompt around the times above: a single unanswered prompt deactivates the Mac.".to_string(),
            "Prompts only appear after a silent sign-in fails: fix the silent failures reported here, and the prompts (and this risk) go away.".to_string(),
            "Tell users to complete the \"Jamf Conditional Access\" sign-in prompt whenever it appears.".to_string(),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;

    const FAIL: &str = "Did not get a token from acquireTokenInteractive, sending an empty token.";

    #[test]
    fn warning_when_recovered() {
        let scenario = Scenario::registered().agent(
            "2026-11-19T09:00:00-05:00",
            SignatureId::InteractiveAuthFailed,
            FAIL,
        );
        let findings = scenario.run(detect);
        assert_eq!(findings[0].severity, Severity::Warning);
    }

    #[test]
    fn critical_when_deactivation_followed() {
        let scenario = Scenario::registered()
            .agent(
                "2026-11-20T11:00:00-05:00",
                SignatureId::InteractiveAuthFailed,
                FAIL,
            )
            .agent(
                "2026-11-20T11:00:01-05:00",
                SignatureId::NoAadIdFound,
                "No AAD ID found for macOS user account test.user",
            );
        let mut scenario = scenario;
        scenario.prefs.have_an_azure_id = Some(false);
        assert_eq!(scenario.run(detect)[0].severity, Severity::Critical);
    }

    #[test]
    fn silent_when_absent() {
        assert!(Scenario::registered().run(detect).is_empty());
    }
}
