//! What the policy audit adds to the sign-in findings (`signins
//! --policies`): the policies that explain the "MFA required" answers, and
//! for every other finding the failing policies the audit flagged.

use crate::findings::{EvidenceRow, Finding, FindingId};

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
    for finding in findings.iter_mut() {
        if finding.id == FindingId::RopgMfaRequired && !mfa.is_empty() {
            finding.evidence.push(
                EvidenceRow::count("explained by", mfa.len() as u64).with_items(
                    mfa.iter()
                        .map(|name| format!("{name} (mfa-policy-hits-ropg)"))
                        .collect(),
                ),
            );
        }
        let failing: Vec<String> = finding
            .evidence
            .iter()
            .filter(|e| e.label == "policies that failed")
            .flat_map(|e| e.items.iter())
            .filter_map(|item| item.rsplit_once(": ").map(|(name, _)| name.to_string()))
            .collect();
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
