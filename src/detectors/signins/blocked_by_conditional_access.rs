//! `blocked-by-conditional-access`: sign-ins blocked by a Conditional Access
//! policy (53003, 530032, 53002, 530035, 53004, 50131).

use super::{PerUser, per_user};
use crate::entra::signins::outcome::Outcome;
use crate::evidence::signins::SignInEvidence;
use crate::findings::{Finding, FindingId, Severity};
use crate::util::text::count;

/// What the finding says.
const WHAT: PerUser = PerUser {
    id: FindingId::BlockedByConditionalAccess,
    severity: Severity::Warning,
    role: None,
    outcomes: &[Outcome::BlockedByCa],
    summary: |users, sign_ins| {
        format!(
            "Conditional Access blocked {} of {}",
            count(sign_ins, "sign-in", "sign-ins"),
            count(users as u64, "user", "users")
        )
    },
    remediation: &[
        "Open each policy named above in Entra ID (Protection, Conditional Access) and check its grant controls against the apps shown: \"require approved client app\" and \"app protection policy\" block Jamf Connect outright.",
        "Use the What If tool with one of these users and the app to see which policy applies, then exclude the Jamf Connect or Jamf integration app where appropriate.",
    ],
};

/// Raises `blocked-by-conditional-access` (warning) when any user shows it.
pub(crate) fn detect(evidence: &SignInEvidence) -> Vec<Finding> {
    per_user(evidence, &WHAT)
}
