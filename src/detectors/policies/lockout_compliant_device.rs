//! `lockout-compliant-device`: a policy that reaches the Jamf Connect sign-in
//! on macOS and can only be met with a compliant or domain-joined device: a
//! Mac that falls out of compliance locks its user out of the login that
//! would fix it.

use super::{PerPolicy, no_alternative_for_jamf_connect, offers_app_controls, per_policy};
use crate::evidence::policies::PolicyEvidence;
use crate::findings::{Finding, FindingId, Severity};

/// Raises `lockout-compliant-device` (critical; info when report-only).
pub(crate) fn detect(evidence: &PolicyEvidence) -> Vec<Finding> {
    let summary = |policy: &crate::tenant::entra::policies::Policy, enforced: bool| {
        format!(
            "\"{}\" {} a compliant or joined device for the Jamf Connect login{}: a Mac out of compliance {} its user out",
            policy.name,
            if enforced {
                "requires"
            } else {
                "would require, once enforced,"
            },
            if offers_app_controls(policy) {
                " (its other option, an approved client app or app protection policy, Jamf Connect cannot meet)"
            } else {
                ""
            },
            if enforced { "locks" } else { "would lock" }
        )
    };
    per_policy(
        evidence,
        |policy, _| {
            no_alternative_for_jamf_connect(policy, &["compliantDevice", "domainJoinedDevice"])
        },
        &PerPolicy {
            id: FindingId::LockoutCompliantDevice,
            severity: Severity::Critical,
            summary: &summary,
            remediation: &[
                "Exclude the Jamf Connect app (and its custom API app) from this policy, or make the grant an OR with a control the login window can satisfy (MFA).",
                "Keep device-compliance requirements on the apps users open after login, not on the Mac's own login.",
            ],
        },
    )
}
