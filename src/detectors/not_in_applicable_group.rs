//! `not-in-applicable-group`: `microsoftCAEnabled` is false in the
//! computer-level Jamf settings while the Mac is set up for an integration
//! (its app ID, Platform SSO, or an account that registered): Jamf Pro
//! clears the flag for Macs outside the integration's Applicable group, and
//! the registration then "bails out after Company Portal closes".

use super::Context;
use crate::evidence::path::CompliancePath;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::NotInApplicableGroup;

/// Raises `not-in-applicable-group`: critical when the account registered
/// or tried to, a warning when only the Mac's settings name the integration.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let facts = context.facts;
    if facts.prefs.microsoft_ca_enabled != Some(false) {
        return Vec::new();
    }
    let reading = facts.compliance_path();
    let registered = facts.registered();
    let tried = facts.prefs.user_prefs_present || registered;
    if reading.path == CompliancePath::None && !tried {
        return Vec::new();
    }
    let mut evidence = vec![
        EvidenceRow::new(
            "microsoftCAEnabled",
            "false in /Library/Preferences/com.jamfsoftware.jamf.plist",
        ),
        EvidenceRow::new("path", reading.path.describe()).with_items(reading.grounds),
    ];
    if facts.prefs.user_prefs_present {
        evidence.push(EvidenceRow::new(
            "user agent preferences",
            format!("{} has them: the agent ran for this account", facts.user()),
        ));
    }
    if registered {
        evidence.push(EvidenceRow::new(
            "registration",
            "a registration check says the device is registered",
        ));
    }
    let (severity, summary) = if tried {
        (
            Severity::Critical,
            "The Mac is outside the integration's Applicable group (microsoftCAEnabled false): its registration bails out and Jamf Pro sends no compliance for it",
        )
    } else {
        (
            Severity::Warning,
            "The Mac is outside the integration's Applicable group (microsoftCAEnabled false): it cannot register while it stays outside",
        )
    };
    vec![Finding {
        id: ID,
        subject: None,
        severity,
        summary: summary.to_string(),
        evidence,
        remediation: vec![
            "In Jamf Pro, Settings > Global > Device Compliance (or Conditional Access): check the Applicable smart group and add this Mac to it if it should be registered.".to_string(),
            "On the Mac, refresh Jamf's settings: `sudo jamf manage` (microsoftCAEnabled turns true once the Mac is in scope).".to_string(),
            "Then have the user run the \"Register with Entra ID\" policy in Self Service again.".to_string(),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;

    #[test]
    fn critical_once_the_account_registered_a_warning_before() {
        let mut scenario = Scenario::registered();
        scenario.prefs.microsoft_ca_enabled = Some(false);
        let found = scenario.run(detect);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Critical);
        scenario.prefs.user_prefs_present = false;
        scenario.prefs.integration_app_id = Some("b03c10a8-71c7-45f9-b44a-3335ab76e970".into());
        assert_eq!(scenario.run(detect)[0].severity, Severity::Warning);
        // Near misses: enabled; or nothing on the Mac names an integration.
        scenario.prefs.microsoft_ca_enabled = Some(true);
        assert!(scenario.run(detect).is_empty());
        scenario.prefs.microsoft_ca_enabled = Some(false);
        scenario.prefs.integration_app_id = None;
        assert!(scenario.run(detect).is_empty());
    }
}
