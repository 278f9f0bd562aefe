//! `mfa-policy-hits-ropg`: a policy that reaches the Jamf Connect sign-in
//! and requires MFA (`mfa`, or an authentication strength): every background
//! password check is answered AADSTS50076 and logged as a failure.

use super::{PerPolicy, per_policy};
use crate::evidence::policies::PolicyEvidence;
use crate::findings::{Finding, FindingId, Severity};

/// Raises `mfa-policy-hits-ropg` (warning; info when report-only).
pub(crate) fn detect(evidence: &PolicyEvidence) -> Vec<Finding> {
    let summary = |policy: &crate::tenant::entra::policies::Policy, enforced: bool| {
        format!(
            "\"{}\" {} MFA of Jamf Connect's password check: every check {} answered 50076 and logged as a failure",
            policy.name,
            if enforced {
                "requires"
            } else {
                "would require, once enforced,"
            },
            if enforced { "is" } else { "would be" }
        )
    };
    per_policy(
        evidence,
        |policy, _| {
            policy.authentication_strength
                || policy
                    .controls
                    .iter()
                    .any(|c| c.eq_ignore_ascii_case("mfa"))
        },
        &PerPolicy {
            id: FindingId::MfaPolicyHitsRopg,
            severity: Severity::Warning,
            summary: &summary,
            remediation: &[
                "Use a custom API scope for the ROPG check (`api://<app id>/jamfconnect` on a \"Conditional Access Policy API\" app registration, as Jamf Connect's ROPG scope) and exclude that API app from this policy; or exempt it with a custom security attribute and an application filter.",
                "Excluding an app the sign-in does not target has no effect: with only the default `openid profile email` scopes the check asks for Microsoft's own resources, which \"All cloud apps\" always reaches.",
            ],
        },
    )
}
