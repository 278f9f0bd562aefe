//! `wrong-registration-app`: the agent signs in to an Entra app that is no
//! Jamf integration's (`microsoftCANativeClientAppId` in the computer-level
//! Jamf settings): neither Device Compliance's "User registration app"
//! (or its GCC High twin) nor a legacy Conditional Access app, so the
//! registration's sign-ins go to the wrong app.

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::mac::prefs::{INTEGRATION_APPS, integration_of};

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::WrongRegistrationApp;

/// Raises `wrong-registration-app` (critical) for an unknown app ID.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let facts = context.facts;
    let Some(app_id) = facts.prefs.integration_app_id.as_deref() else {
        return Vec::new();
    };
    if integration_of(app_id).is_some() {
        return Vec::new();
    }
    let known = INTEGRATION_APPS
        .iter()
        .map(|(id, _, name)| format!("{id} ({name})"))
        .collect();
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Critical,
        summary: format!(
            "The agent signs in to Entra app {app_id}, which belongs to no Jamf integration: the registration cannot complete"
        ),
        evidence: vec![
            EvidenceRow::new("microsoftCANativeClientAppId", app_id.to_string()),
            EvidenceRow::new("known apps", "Device Compliance: b03c10a8-71c7-45f9-b44a-3335ab76e970 (GCC High: dcf07df3-346f-4f0e-b803-c1f0ea0fb5ae)")
                .with_items(known),
        ],
        remediation: vec![
            "In Jamf Pro, Settings > Global > Device Compliance: check that the integration is connected to the right tenant (Jamf Pro writes the app ID to every Mac in scope).".to_string(),
            "Refresh the Mac's copy of the settings: `sudo jamf manage`, then check `microsoftCANativeClientAppId` in /Library/Preferences/com.jamfsoftware.jamf.plist.".to_string(),
            format!("Then {}.", context.run_again()),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;

    #[test]
    fn only_an_app_of_no_integration() {
        let mut scenario = Scenario::registered();
        scenario.prefs.integration_app_id = Some("11111111-2222-4333-8444-555555555555".into());
        let found = scenario.run(detect);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Critical);
        // Near misses: Device Compliance's app in upper case, a legacy app, none.
        for id in [
            Some("B03C10A8-71C7-45F9-B44A-3335AB76E970"),
            Some("dd4f1d11-1200-4a1c-bccf-cb13e27467e6"),
            None,
        ] {
            scenario.prefs.integration_app_id = id.map(String::from);
            assert!(scenario.run(detect).is_empty(), "{id:?}");
        }
    }
}
