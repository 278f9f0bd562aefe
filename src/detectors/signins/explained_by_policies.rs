//! What the policy audit adds to the sign-in findings (`signins
//! --policies`): the policies that explain the "MFA required" answers, and
//! for every other finding the failing policies the audit flagged.

use super::per_user::FAILED_POLICIES;
use crate::findings::{EvidenceRow, Finding, FindingId};

/// The names of the policies `finding`'s sign-ins saw fail.
fn failing_policies(finding: &Finding) -> Vec<String> {
    finding
        .evidence
        .iter()
        .filter(|e| e.label == FAILED_POLICIES)
        .flat_map(|e| e.items.iter())
        .filter_map(|item| item.rsplit_once(": ").map(|(name, _)| name.to_string()))
        .collect()
}

/// A refused Device Compliance registration whose failing policy (or, when
/// the export names none, any policy) the audit flagged for baseline
/// scopes: since they are enforced, the registration app's sign-in to
/// Microsoft Graph is judged as directory access by an All-resources
/// policy with resource exclusions; the fix is that policy's "Customize
/// behavior", not an exclusion.
fn explain_baseline_scopes(finding: &mut Finding, baseline: &[String]) {
    let failing = failing_policies(finding);
    let named: Vec<&String> = baseline
        .iter()
        .filter(|name| failing.is_empty() || failing.contains(name))
        .collect();
    if named.is_empty() {
        return;
    }
    finding.evidence.push(
        EvidenceRow::count("explained by", named.len() as u64).with_items(
            named
                .iter()
                .map(|name| format!("{name} (baseline-scopes-enforced)"))
                .collect(),
        ),
    );
    let list = named
        .iter()
        .map(|name| format!("\"{name}\""))
        .collect::<Vec<_>>()
        .join(", ");
    finding.remediation = vec![
        format!("Since baseline scopes are enforced (from 2026-06-15), {list} (All resources, with resource exclusions, requiring a compliant device) judges the registration app's sign-in to Microsoft Graph (openid, profile, User.Read) as directory access: the Mac cannot register before it is compliant."),
        "In each, under the baseline-scope setting, choose \"Customize behavior\" with a placeholder app (Entra documents the steps), or remove the resource exclusions. Excluding Microsoft Graph or the registration app does not help.".to_string(),
        "Then have the user run the registration again from Self Service; check with `sudo ca-doctor check` on the Mac.".to_string(),
    ];
}

/// Adds to the sign-in findings what the policy audit found: the policies
/// that explain the MFA answers, and the failing policies it flagged.
pub(crate) fn explain(findings: &mut [Finding], flagged: &[Finding]) {
    let by_id = |id: FindingId| -> Vec<String> {
        flagged
            .iter()
            .filter(|f| f.id == id)
            .filter_map(|f| f.subject.clone())
            .collect()
    };
    let mfa = by_id(FindingId::MfaPolicyHitsRopg);
    let baseline = by_id(FindingId::BaselineScopesEnforced);
    for finding in findings.iter_mut() {
        if finding.id == FindingId::DeviceRegistrationBlocked {
            explain_baseline_scopes(finding, &baseline);
        }
        if finding.id == FindingId::RopgMfaRequired && !mfa.is_empty() {
            finding.evidence.push(
                EvidenceRow::count("explained by", mfa.len() as u64).with_items(
                    mfa.iter()
                        .map(|name| format!("{name} (mfa-policy-hits-ropg)"))
                        .collect(),
                ),
            );
        }
        let failing = failing_policies(finding);
        let named: Vec<String> = flagged
            .iter()
            .filter_map(|f| {
                let subject = f.subject.as_ref()?;
                failing
                    .contains(subject)
                    .then(|| format!("{subject} ({})", f.id))
            })
            .collect();
        if !named.is_empty() && finding.id != FindingId::RopgMfaRequired {
            finding.evidence.push(
                EvidenceRow::count("flagged by the policy audit", named.len() as u64)
                    .with_items(named),
            );
        }
    }
}
