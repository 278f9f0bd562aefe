//! The tenant's Conditional Access policies (`--policies`) that reach this
//! user's Jamf Connect sign-in: the policy audit's findings, judged with
//! this Mac's Jamf Connect app IDs and scopes, in the Mac's own report;
//! and, on the Device Compliance path, the policies that block its
//! registration since baseline scopes are enforced.

use super::Context;
use super::policies::run_all;
use crate::evidence::path::CompliancePath;
use crate::findings::{EvidenceRow, Finding, FindingId};

/// Raises the policy audit's findings (not the list of ignored policies; an
/// unreadable export is among the Mac's own `input-unreadable` inputs).
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(evidence) = &context.facts.tenant_policies else {
        return Vec::new();
    };
    let apps = if evidence.jamf_connect_apps.is_empty() {
        "none configured".to_string()
    } else {
        evidence.jamf_connect_apps.join(", ")
    };
    // The baseline-scope policies block Device Compliance's registration:
    // this Mac's concern only on that path.
    let on_device_compliance = matches!(
        context.facts.compliance_path().path,
        CompliancePath::DeviceCompliance | CompliancePath::DeviceCompliancePlatformSso
    );
    // Without Jamf Connect the audit of its sign-in says nothing.
    let for_jamf_connect = context.facts.policies_not_audited.is_none();
    run_all(evidence)
        .into_iter()
        .filter(|f| match f.id {
            FindingId::IgnoredPolicies | FindingId::InputUnreadable => false,
            FindingId::BaselineScopesEnforced => on_device_compliance,
            _ => for_jamf_connect,
        })
        .map(|mut finding| {
            if finding.id != FindingId::BaselineScopesEnforced {
                finding.evidence.push(EvidenceRow::new(
                    "judged for this Mac's Jamf Connect apps",
                    apps.clone(),
                ));
            }
            finding
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;
    use crate::evidence::policies::{JamfConnectTarget, PolicyEvidence};
    use crate::findings::Severity;
    use crate::tenant::entra::policies::{Policy, PolicyState};

    fn mfa_on_all(state: PolicyState) -> Policy {
        Policy {
            name: "Require MFA for all users".into(),
            id: "p-1".into(),
            state: Some(state),
            include_apps: vec!["All".into()],
            controls: vec!["mfa".into()],
            ..Policy::default()
        }
    }

    #[test]
    fn policies_reaching_jamf_connect_are_raised_and_ignored_ones_are_not() {
        let evidence = PolicyEvidence::of(
            vec![
                mfa_on_all(PolicyState::Enabled),
                Policy {
                    name: "Old".into(),
                    ..mfa_on_all(PolicyState::Disabled)
                },
            ],
            Vec::new(),
            JamfConnectTarget {
                apps: vec!["c0ffee".into()],
                default_scopes_only: true,
            },
        );
        let scenario = Scenario::registered();
        let (mut facts, observations) = scenario.facts();
        facts.tenant_policies = Some(evidence);
        let findings = detect(&Context {
            facts: &facts,
            observations: &observations,
            now: scenario.now,
            from_a_bundle: false,
        });
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].id, FindingId::MfaPolicyHitsRopg);
        assert_eq!(findings[0].severity, Severity::Warning);
        assert_eq!(
            findings[0].subject.as_deref(),
            Some("Require MFA for all users")
        );
        assert_eq!(
            findings[0].evidence.last().map(|e| e.value.as_str()),
            Some("c0ffee")
        );
        // Without exports nothing is said.
        assert!(Scenario::registered().run(detect).is_empty());
    }

    #[test]
    fn baseline_scope_policies_only_on_the_device_compliance_path() {
        let baseline = Policy {
            name: "Compliant devices but Office".into(),
            id: "p-2".into(),
            state: Some(PolicyState::Enabled),
            include_apps: vec!["All".into()],
            exclude_apps: vec!["Office365".into()],
            operator: Some("OR".into()),
            controls: vec!["compliantDevice".into()],
            ..Policy::default()
        };
        let found = |app: &str| {
            let mut scenario = Scenario::registered();
            scenario.prefs.integration_app_id = Some(app.into());
            let (mut facts, observations) = scenario.facts();
            facts.tenant_policies = Some(PolicyEvidence::of(
                vec![baseline.clone()],
                Vec::new(),
                JamfConnectTarget::default(),
            ));
            detect(&Context {
                facts: &facts,
                observations: &observations,
                now: scenario.now,
                from_a_bundle: false,
            })
            .into_iter()
            .filter(|f| f.id == FindingId::BaselineScopesEnforced)
            .count()
        };
        assert_eq!(found("b03c10a8-71c7-45f9-b44a-3335ab76e970"), 1);
        assert_eq!(found("dd4f1d11-1200-4a1c-bccf-cb13e27467e6"), 0);
    }
}
