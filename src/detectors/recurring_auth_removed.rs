//! `recurring-auth-removed`: Jamf Pro 11.5 removed the recurring
//! `gatherAADInfo`; advice about the 2-hour cycle and stale timestamps does
//! not apply. Info only.

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::util::version::JAMF_RECURRING_REMOVED;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::RecurringAuthRemoved;

/// Raises `recurring-auth-removed` (info) on Jamf Pro 11.5 or later.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(version) = context
        .facts
        .prefs
        .jamf_pro_version
        .filter(|v| *v >= JAMF_RECURRING_REMOVED)
    else {
        return Vec::new();
    };
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Info,
        summary: format!("Jamf Pro {version} no longer runs the recurring sign-in every 2 hours"),
        evidence: vec![EvidenceRow::new(
            "Jamf Pro",
            format!("{} (11.5 removed the recurring gatherAADInfo)", context.facts.prefs.jamf_pro_version_text.as_deref().unwrap_or("")),
        )],
        remediation: vec![
            "An old last_aad_token_timestamp is expected and not a problem by itself.".to_string(),
            "Guides written for older versions (the 2-hour cycle, the recurring LaunchAgent) do not apply to this Mac.".to_string(),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;

    #[test]
    fn from_11_5_only() {
        assert_eq!(Scenario::registered().jamf("11.5.0").run(detect).len(), 1);
        assert!(Scenario::registered().jamf("11.4.1").run(detect).is_empty());
        let mut unknown = Scenario::registered();
        unknown.prefs.jamf_pro_version = None;
        assert!(unknown.run(detect).is_empty());
    }
}
