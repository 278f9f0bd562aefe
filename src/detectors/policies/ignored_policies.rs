//! `ignored-policies`: the disabled policies, listed by name, so that the
//! report says what it did not judge.

use crate::evidence::policies::PolicyEvidence;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::tenant::entra::policies::PolicyState;
use crate::util::text::count;

/// Raises `ignored-policies` (info) when any policy is disabled.
pub(crate) fn detect(evidence: &PolicyEvidence) -> Vec<Finding> {
    let disabled: Vec<String> = evidence
        .policies
        .iter()
        .filter(|(policy, _)| policy.state == Some(PolicyState::Disabled))
        .map(|(policy, _)| policy.name.clone())
        .collect();
    if disabled.is_empty() {
        return Vec::new();
    }
    vec![Finding {
        id: FindingId::IgnoredPolicies,
        subject: None,
        severity: Severity::Info,
        summary: format!(
            "{} disabled: not judged",
            count(disabled.len() as u64, "policy is", "policies are")
        ),
        evidence: vec![EvidenceRow::count("disabled", disabled.len() as u64).with_items(disabled)],
        remediation: vec!["Nothing to do; enabling one of them would make it count.".to_string()],
    }]
}
