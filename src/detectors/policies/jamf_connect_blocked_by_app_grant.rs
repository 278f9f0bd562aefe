//! `jamf-connect-blocked-by-app-grant`: a policy that reaches the Jamf
//! Connect sign-in and can only be met by an approved client app or an app
//! protection policy: Jamf Connect is neither, so every sign-in is blocked.

use super::{APP_CONTROLS, PerPolicy, no_alternative, per_policy};
use crate::evidence::policies::PolicyEvidence;
use crate::findings::{Finding, FindingId, Severity};

/// Raises `jamf-connect-blocked-by-app-grant` (critical; info when report-only).
pub(crate) fn detect(evidence: &PolicyEvidence) -> Vec<Finding> {
    let summary = |policy: &crate::tenant::entra::policies::Policy, enforced: bool| {
        format!(
            "\"{}\" {} an approved client app or app protection policy: Jamf Connect is neither, so its sign-ins {} blocked",
            policy.name,
            if enforced {
                "requires"
            } else {
                "would require, once enforced,"
            },
            if enforced { "are" } else { "would be" }
        )
    };
    per_policy(
        evidence,
        |policy, _| no_alternative(policy, &APP_CONTROLS),
        &PerPolicy {
            id: FindingId::JamfConnectBlockedByAppGrant,
            severity: Severity::Critical,
            summary: &summary,
            remediation: &[
                "Exclude the Jamf Connect app from this policy, or restrict the policy to mobile platforms (iOS, Android) where approved apps exist.",
            ],
        },
    )
}
