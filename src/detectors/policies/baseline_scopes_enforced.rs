//! `baseline-scopes-enforced`: a policy on All resources, with resource
//! exclusions, whose grant can only be met by a compliant or joined device.
//! Since Entra began enforcing Conditional Access on baseline scopes
//! (MC1223829, from 2026-06-15), such a policy also reaches sign-ins that
//! ask only for `openid`, `profile`, `User.Read`… — among them Jamf's "User
//! registration app for Device Compliance", which then fails with 530003
//! before the Mac can become compliant. Whether the tenant chose "Customize
//! behavior" is not in Graph's policy: the finding says what to check.

use super::{PerPolicy, no_alternative, policy_finding};
use crate::evidence::policies::{PolicyEvidence, Reach};
use crate::findings::{Finding, FindingId, Severity};
use crate::mac::prefs::DEVICE_COMPLIANCE_APP;
use crate::tenant::entra::policies::{Policy, PolicyState};

/// Whether `policy` targets All resources with exclusions, on macOS, and
/// demands a compliant or joined device.
pub(crate) fn applies(policy: &Policy) -> bool {
    let all = policy
        .include_apps
        .iter()
        .any(|a| a.eq_ignore_ascii_case("All"));
    let mac = |platforms: &[String]| {
        platforms
            .iter()
            .any(|p| p.eq_ignore_ascii_case("macOS") || p.eq_ignore_ascii_case("all"))
    };
    let on_macs = (policy.include_platforms.is_empty() || mac(&policy.include_platforms))
        && !policy
            .exclude_platforms
            .iter()
            .any(|p| p.eq_ignore_ascii_case("macOS"));
    policy.state != Some(PolicyState::Disabled)
        && all
        && !policy.exclude_apps.is_empty()
        && on_macs
        && no_alternative(policy, &["compliantDevice", "domainJoinedDevice"])
}

/// Raises `baseline-scopes-enforced` (warning; info when report-only).
pub(crate) fn detect(evidence: &PolicyEvidence) -> Vec<Finding> {
    let summary = |policy: &Policy, enforced: bool| {
        format!(
            "\"{}\" targets All resources with resource exclusions and {} a compliant device: with baseline scopes enforced it {} Jamf's Device Compliance registration (530003 on the User registration app)",
            policy.name,
            if enforced {
                "requires"
            } else {
                "would require, once enforced,"
            },
            if enforced { "blocks" } else { "would block" }
        )
    };
    let what = PerPolicy {
        id: FindingId::BaselineScopesEnforced,
        severity: Severity::Warning,
        summary: &summary,
        remediation: &[
            "Check the tenant's baseline-scope setting (Entra admin center, Conditional Access, the resource-exclusions enforcement; https://aka.ms/BaselineScopesSettingsUX): Graph does not say which is chosen.",
            "Choose \"Customize behavior\" with a placeholder app for this policy, so that sign-ins asking only for baseline scopes are judged against the placeholder, not the directory. Do not exclude Microsoft Graph instead.",
            "Then look for 530003 refusals of the User registration app for Device Compliance (b03c10a8-71c7-45f9-b44a-3335ab76e970) in the sign-in log: `ca-doctor signins FILE --policies FILE` explains them.",
        ],
    };
    evidence
        .policies
        .iter()
        .map(|(policy, _)| policy)
        .filter(|policy| applies(policy))
        .map(|policy| {
            let mut finding = policy_finding(policy, &Reach::default(), &what);
            if policy
                .exclude_apps
                .iter()
                .any(|a| a.eq_ignore_ascii_case(DEVICE_COMPLIANCE_APP))
            {
                finding.evidence.push(crate::findings::EvidenceRow::new(
                    "the registration app's exclusion",
                    "no help: baseline scopes are evaluated against the directory whatever is excluded",
                ));
            }
            finding
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(include: &[&str], exclude: &[&str], controls: &[&str]) -> Policy {
        Policy {
            name: "Compliant devices".into(),
            state: Some(PolicyState::Enabled),
            include_apps: include.iter().map(|a| a.to_string()).collect(),
            exclude_apps: exclude.iter().map(|a| a.to_string()).collect(),
            operator: Some("OR".into()),
            controls: controls.iter().map(|c| c.to_string()).collect(),
            ..Policy::default()
        }
    }

    #[test]
    fn all_resources_with_an_exclusion_and_a_device_grant() {
        let office = "00000002-0000-0ff1-ce00-000000000000";
        assert!(applies(&policy(&["All"], &[office], &["compliantDevice"])));
        // Near misses: no exclusion; one app targeted; MFA as another way;
        // disabled; macOS excluded.
        assert!(!applies(&policy(&["All"], &[], &["compliantDevice"])));
        assert!(!applies(&policy(&[office], &[], &["compliantDevice"])));
        assert!(!applies(&policy(
            &["All"],
            &[office],
            &["compliantDevice", "mfa"]
        )));
        let mut disabled = policy(&["All"], &[office], &["compliantDevice"]);
        disabled.state = Some(PolicyState::Disabled);
        assert!(!applies(&disabled));
        let mut not_macs = policy(&["All"], &[office], &["compliantDevice"]);
        not_macs.exclude_platforms = vec!["macOS".into()];
        assert!(!applies(&not_macs));
    }
}
