//! The path from Conditional Access policy exports to a report: read every
//! path, judge each policy's reach, run the policy detectors, decide.

use crate::detectors::policies::run_all;
use crate::entra::policies::read_paths;
use crate::evidence::policies::{JamfConnectTarget, PolicyEvidence};
use crate::findings::{Evidence, Finding, FindingId, Severity};
use crate::inputs::InputState;
use crate::verdict::PoliciesReport;
use std::path::PathBuf;

/// Reads the policies at `paths` and judges them for the given Jamf Connect
/// sign-in.
pub(crate) fn judge_policies(paths: &[PathBuf], target: JamfConnectTarget) -> PoliciesReport {
    let (policies, inputs) = read_paths(paths);
    let evidence = PolicyEvidence::of(policies, inputs, target);
    let mut findings = run_all(&evidence);
    let unreadable: Vec<Evidence> = evidence
        .inputs
        .iter()
        .filter(|i| i.state != InputState::Read)
        .map(|i| {
            Evidence::new(
                i.path.clone(),
                i.reason.clone().unwrap_or_else(|| "missing".to_string()),
            )
        })
        .collect();
    if !unreadable.is_empty() {
        findings.push(Finding {
            id: FindingId::InputUnreadable,
            subject: None,
            severity: Severity::Warning,
            summary: "Some policy exports could not be read: the others were audited".to_string(),
            evidence: unreadable,
            remediation: vec![
                "Export the policies again (Graph `identity/conditionalAccess/policies`, or `Get-MgIdentityConditionalAccessPolicy | ConvertTo-Json -Depth 10`).".to_string(),
            ],
        });
    }
    PoliciesReport::decide(findings, evidence)
}
