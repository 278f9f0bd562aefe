//! `psso-needs-repair`: the agent's `getPSSOStatus` answers 3
//! (`MSALPlatformSSORegistrationNeedsRepair`): the Platform SSO
//! registration is broken. A repair registers the Mac again under a new
//! device ID, which Jamf Pro 11.9 and later follow.

use super::super::Context;
use super::row_evidence;
use crate::findings::{Finding, FindingId, Severity};
use crate::util::version::Version;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::PssoNeedsRepair;

/// Jamf Pro version that follows a Platform SSO re-registration to its new
/// device ID.
const FOLLOWS_NEW_DEVICE_ID: Version = Version::new(11, 9, 0);

/// Whether the case applies: the agent answers 3 (NeedsRepair).
pub(crate) fn applies(context: &Context) -> bool {
    context.facts.agent_status_code() == Some(3)
}

/// Raises `psso-needs-repair` (critical).
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    if !applies(context) {
        return Vec::new();
    }
    let facts = context.facts;
    let row = facts.account_row();
    let user = facts.user();
    let mut remediation = vec![
        format!("As {user}: System Settings > Users & Groups > Network Account Server > Repair (next to the SSO extension), and sign in."),
        "The repair registers the Mac under a new device ID: the old Entra record stays behind (disable it, then delete it, once the new one is compliant).".to_string(),
    ];
    match facts.prefs.jamf_pro_version {
        Some(version) if version >= FOLLOWS_NEW_DEVICE_ID => remediation.push(format!(
            "Jamf Pro {version} follows the new device ID; to hurry it: {}",
            context.agent_command("gatherAADInfo")
        )),
        _ => remediation.push(format!(
            "Before Jamf Pro 11.9 the agent keeps the old device ID: run {} after the repair",
            context.agent_command("gatherAADInfo")
        )),
    }
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Critical,
        summary: "The agent says the Platform SSO registration needs a repair: device compliance cannot be sent until it is repaired".to_string(),
        evidence: row_evidence(&row),
        remediation,
    }]
}
