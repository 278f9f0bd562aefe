//! `aad-id-not-acquired`: the device is registered with Entra ID (Platform
//! SSO, the agent's PSSO status, or a Workplace Join certificate) but the
//! agent never acquired an AAD ID for the user: `have_an_Azure_id` is false
//! and no sign-in ever succeeded.
//!
//! Rule: when there is any sign of an earlier success (a
//! `last_aad_token_timestamp`, or "AAD ID acquired" in the log), the same
//! state is a deactivation and is reported as `deactivated` instead.

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::mac::log::SignatureId;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::AadIdNotAcquired;

/// Whether the registered-but-never-acquired case applies.
pub(crate) fn applies(context: &Context) -> bool {
    let facts = context.facts;
    facts.prefs.have_an_azure_id == Some(false)
        && facts.registered()
        && facts.last_token_timestamp().is_none()
        && context.observations.count(SignatureId::AadIdAcquired) == 0
}

/// Raises `aad-id-not-acquired` (critical).
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    if !applies(context) {
        return Vec::new();
    }
    let facts = context.facts;
    let mut evidence = vec![EvidenceRow::new(
        "have_an_Azure_id",
        "false, and no successful sign-in was ever recorded",
    )];
    if let Some(registration) = &facts.registration {
        for check in registration
            .checks
            .iter()
            .filter(|c| c.registered == Some(true))
        {
            evidence.push(EvidenceRow::new(check.check.clone(), "registered"));
        }
    }
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Critical,
        summary: "The Mac is registered with Entra ID but the agent never acquired an AAD ID for the user: Jamf Pro cannot report it compliant".to_string(),
        evidence,
        remediation: vec![
            format!("Run the agent's sign-in as {} while they are logged in: {}", facts.user(), context.agent_command("gatherAADInfo")),
            "If the prompt fails, look for the reason in this report's other findings (AppSSO -9, invalid_grant) and in the user's Entra sign-in logs.".to_string(),
            "If it keeps failing, re-run the \"Register with Entra ID\" policy from Self Service (registerWithIntune).".to_string(),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;
    use crate::mac::registration::Registration;

    fn registered_never_acquired() -> Scenario {
        let mut scenario = Scenario::registered();
        scenario.prefs.have_an_azure_id = Some(false);
        scenario.prefs.last_token_time = None;
        scenario.registration = Some(Registration {
            workplace_join_certificate: Some(true),
            ..Registration::default()
        });
        scenario
    }

    #[test]
    fn fires_when_registered_but_never_acquired() {
        assert_eq!(registered_never_acquired().run(detect).len(), 1);
        assert!(
            registered_never_acquired()
                .run(crate::detectors::deactivated::detect)
                .is_empty()
        );
    }

    #[test]
    fn an_earlier_success_makes_it_a_deactivation() {
        let scenario = registered_never_acquired().agent(
            "2026-11-18T09:00:00-05:00",
            SignatureId::AadIdAcquired,
            "AAD ID acquired for macOS user account test.user",
        );
        assert!(scenario.run(detect).is_empty());
        assert_eq!(scenario.run(crate::detectors::deactivated::detect).len(), 1);
    }
}
