//! `registered-outside-jamf`: Company Portal answered `AccountNotOnboarded`:
//! the user registered in Company Portal directly rather than through
//! Jamf's "Register with Entra ID" policy, which Jamf's Device Compliance
//! does not support.

use super::super::Context;
use crate::findings::{Finding, FindingId, Severity};
use crate::mac::log::SignatureId;
use crate::util::text::count;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::RegisteredOutsideJamf;

/// Raises `registered-outside-jamf` (critical).
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(stats) = context.observations.get(SignatureId::AccountNotOnboarded) else {
        return Vec::new();
    };
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Critical,
        summary: format!(
            "Company Portal answered AccountNotOnboarded {}: the user registered in Company Portal directly, not through Jamf's registration",
            count(stats.count, "time", "times")
        ),
        evidence: context.stats_evidence(stats),
        remediation: vec![
            "Tell the user not to sign in to Company Portal themselves: Jamf's Device Compliance registers through the \"Register with Entra ID\" policy in Self Service, which opens Company Portal for them.".to_string(),
            "Have the user run that policy (the Mac must be in the Device Compliance Applicable group).".to_string(),
            format!("Then {}.", context.run_again()),
        ],
    }]
}
