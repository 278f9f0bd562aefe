//! With `--signins` and Jamf Connect's UPN: the sign-in findings about this
//! Mac's user alone (their password checks refused for MFA, a locked or
//! disabled account, an expired password), in the Mac's own report.

use super::Context;
use super::signins::run_all;
use crate::findings::{EvidenceRow, Finding, FindingId};

/// Raises the sign-in findings of the user's own sign-ins.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some((upn, evidence)) = &context.facts.own_sign_ins else {
        return Vec::new();
    };
    run_all(evidence, None)
        .into_iter()
        .filter(|f| f.id != FindingId::InputUnreadable)
        .map(|mut finding| {
            finding.evidence.push(EvidenceRow::new(
                "this Mac's user",
                format!("{upn} (from Jamf Connect's state), sign-ins of the window"),
            ));
            finding
        })
        .collect()
}
