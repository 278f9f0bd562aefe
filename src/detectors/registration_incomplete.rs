//! `registration-incomplete`: a device certificate (issued by
//! `MS-Organization-Access`) is in the user's login keychain but the agent has no preferences for the
//! user: Company Portal registered the device, the agent's part never ran.

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::RegistrationIncomplete;

/// Whether the case applies.
pub(crate) fn applies(context: &Context) -> bool {
    let facts = context.facts;
    !facts.prefs.user_prefs_present
        && !facts.agent_prefs_unreadable()
        // On Platform SSO the same state is `compliance-not-sent`.
        && !super::platform_sso::compliance_not_sent::applies(context)
        && facts
            .registration
            .as_ref()
            .is_some_and(|r| r.workplace_join_certificate == Some(true))
}

/// Raises `registration-incomplete` (warning).
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    if !applies(context) {
        return Vec::new();
    }
    let facts = context.facts;
    let certificate = facts
        .registration
        .as_ref()
        .and_then(|r| r.keychain_certificates.first())
        .map_or_else(
            || "issued by MS-Organization-Access, in the login keychain".to_string(),
            |c| {
                format!(
                    "device {} (issued {}), in the login keychain",
                    c.device_id
                        .map_or_else(|| c.subject.clone(), |id| id.to_string()),
                    c.not_before.format("%Y-%m-%d")
                )
            },
        );
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Warning,
        summary: "The Mac's device certificate is present but the agent has no preferences for the user: registration did not finish".to_string(),
        evidence: vec![
            EvidenceRow::new("device certificate", certificate),
            EvidenceRow::new("user agent preferences", format!("no com.jamf.management.jamfAAD.plist in {}/Library/Preferences", facts.account.home.display())),
        ],
        remediation: vec![
            format!("Run the agent's sign-in as {} while they are logged in: {}", facts.user(), context.agent_command("gatherAADInfo")),
            "If that fails, re-run the \"Register with Entra ID\" policy from Self Service (registerWithIntune).".to_string(),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;
    use crate::mac::registration::Registration;

    #[test]
    fn wpj_without_prefs() {
        let mut scenario = Scenario::registered();
        scenario.prefs.user_prefs_present = false;
        scenario.registration = Some(Registration {
            workplace_join_certificate: Some(true),
            ..Registration::default()
        });
        assert_eq!(scenario.run(detect).len(), 1);
        assert!(
            scenario
                .run(crate::detectors::not_registered::detect)
                .is_empty()
        );
        scenario.prefs.user_prefs_present = true;
        assert!(scenario.run(detect).is_empty());
    }
}
