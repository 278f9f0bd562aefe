//! `location-condition`: a policy that reaches the Jamf Connect sign-in with
//! a location condition that restricts, and blocks or demands a device
//! state: users off the listed networks cannot log in to their Mac.

use super::{PerPolicy, no_alternative, per_policy};
use crate::evidence::policies::PolicyEvidence;
use crate::findings::{Finding, FindingId, Severity};

/// Raises `location-condition` (warning; info when report-only).
pub(crate) fn detect(evidence: &PolicyEvidence) -> Vec<Finding> {
    let summary = |policy: &crate::tenant::entra::policies::Policy, enforced: bool| {
        format!(
            "\"{}\" {} the Jamf Connect login by location: users off the listed networks {} log in to their Mac",
            policy.name,
            if enforced {
                "limits"
            } else {
                "would limit, once enforced,"
            },
            if enforced { "cannot" } else { "could not" }
        )
    };
    per_policy(
        evidence,
        |policy, reach| {
            reach.restricting_location
                && (policy
                    .controls
                    .iter()
                    .any(|c| c.eq_ignore_ascii_case("block"))
                    || no_alternative(policy, &["compliantDevice", "domainJoinedDevice"]))
        },
        &PerPolicy {
            id: FindingId::LocationCondition,
            severity: Severity::Warning,
            summary: &summary,
            remediation: &[
                "Exclude the Jamf Connect app from this policy: a Mac's login happens wherever the user is, before any VPN.",
                "If the location rule must stay, pair it with MFA rather than a block, so that users away from the office can still log in.",
            ],
        },
    )
}
