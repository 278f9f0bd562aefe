//! `not-registered`: the user has no agent preferences and the log shows no
//! successful sign-in, so this Mac was never registered for this user (or
//! the registration was cleaned). Not raised when the log could not be read:
//! then nothing is known of the sign-ins.

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::mac::log::SignatureId;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::NotRegistered;

/// Raises `not-registered` (warning) when nothing says the user registered.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let facts = context.facts;
    if facts.prefs.user_prefs_present
        || !facts.prefs_looked_for
        || facts.agent_prefs_unreadable()
        || super::registration_incomplete::applies(context)
        // A registration the checks name (a Secure Enclave key leaves no
        // certificate in the keychain), and Platform SSO's own cells.
        || facts.registered()
        || super::platform_sso::registration_pending::applies(context)
        || super::platform_sso::compliance_not_sent::applies(context)
        || super::platform_sso::needs_new_keys::applies(context)
        || super::platform_sso::needs_repair::applies(context)
        || context.observations.count(SignatureId::AadIdAcquired) > 0
        || !facts.anything_usable()
        // "No successful sign-in" needs a log that could be read.
        || facts.log.unusable()
    {
        return Vec::new();
    }
    let mut evidence = vec![
        EvidenceRow::new(
            "user agent preferences",
            format!(
                "no com.jamf.management.jamfAAD.plist in {}'s Library/Preferences",
                facts.user()
            ),
        ),
        EvidenceRow::new(
            "log",
            format!(
                "no \"AAD ID acquired\" line in {} entries read",
                facts.log.entries
            ),
        ),
    ];
    if let Some(enabled) = facts.prefs.microsoft_ca_enabled {
        evidence.push(EvidenceRow::new("microsoftCAEnabled", enabled.to_string()));
    }
    let mut remediation = Vec::new();
    if facts.prefs.microsoft_ca_enabled == Some(false) {
        remediation.push("microsoftCAEnabled is false in com.jamfsoftware.jamf.plist: check that the Intune integration is enabled in Jamf Pro and run `sudo jamf manage` on the Mac.".to_string());
    }
    remediation.push(format!(
        "Check that {} is the user who should be registered (the agent's state is per user).",
        facts.user()
    ));
    remediation.push("Have the user run the \"Register with Entra ID\" policy in Self Service (it runs registerWithIntune, opens Company Portal, then gatherAADInfo).".to_string());
    remediation.push(format!(
        "Or run it as the logged-in user: {}",
        context.agent_command("registerWithIntune")
    ));
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Warning,
        summary: format!(
            "{} has never registered this Mac with Entra ID (no agent preferences, no successful sign-in)",
            facts.user()
        ),
        evidence,
        remediation,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;
    use crate::inputs::{InputRecord, InputState};

    fn unregistered() -> Scenario {
        let mut scenario = Scenario::registered();
        scenario.prefs.user_prefs_present = false;
        scenario.prefs.have_an_azure_id = None;
        scenario.prefs.last_token_time = None;
        scenario
    }

    #[test]
    fn fires_without_prefs_or_success() {
        assert_eq!(unregistered().run(detect).len(), 1);
    }

    #[test]
    fn a_logged_success_means_registered() {
        let scenario = unregistered().agent(
            "2026-11-20T09:00:00-05:00",
            SignatureId::AadIdAcquired,
            "AAD ID acquired for macOS user account test.user",
        );
        assert!(scenario.run(detect).is_empty());
    }

    #[test]
    fn unreadable_prefs_are_not_absent_prefs() {
        let mut scenario = unregistered();
        scenario.inputs.push(InputRecord {
            what: "user agent preferences".into(),
            path: "x".into(),
            state: InputState::Unreadable,
            reason: Some("bad".into()),
        });
        assert!(scenario.run(detect).is_empty());
    }
}
