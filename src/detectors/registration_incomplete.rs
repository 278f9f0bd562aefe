//! `registration-incomplete`: the Workplace Join key (`MS-ORGANIZATION-ACCESS`)
//! is in the user's login keychain but the agent has no preferences for the
//! user: Company Portal registered the device, the agent's part never ran.

use super::{Context, Evidence, Finding, Severity};
use crate::sources::InputState;

/// Finding ID.
pub const ID: &str = "registration-incomplete";

/// Whether the case applies.
pub fn applies(context: &Context) -> bool {
    let facts = context.facts;
    let prefs_unreadable = facts.inputs.iter().any(|i| {
        i.what == crate::sources::prefs::USER_PREFS_INPUT && i.state == InputState::Unreadable
    });
    !facts.user_prefs_present
        && !prefs_unreadable
        && facts
            .registration
            .as_ref()
            .is_some_and(|r| r.workplace_join_certificate == Some(true))
}

/// Raises `registration-incomplete` (warning).
pub fn detect(context: &Context) -> Vec<Finding> {
    if !applies(context) {
        return Vec::new();
    }
    let facts = context.facts;
    vec![Finding {
        id: ID,
        severity: Severity::Warning,
        summary: "The Workplace Join key is present but the agent has no preferences for the user: registration did not finish".to_string(),
        evidence: vec![
            Evidence::new("Workplace Join certificate", "MS-ORGANIZATION-ACCESS found in the login keychain"),
            Evidence::new("user agent preferences", format!("no com.jamf.management.jamfAAD.plist in {}/Library/Preferences", facts.home)),
        ],
        remediation: vec![
            format!("Run the agent's sign-in as {} while they are logged in: {}", facts.user, context.agent_command("gatherAADInfo")),
            "If that fails, re-run the \"Register with Entra ID\" policy from Self Service (registerWithIntune).".to_string(),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;
    use crate::sources::registration::Registration;

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
