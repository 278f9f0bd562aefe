//! `account-disabled`: sign-ins of disabled accounts (50057).

use super::{PerUser, per_user};
use crate::entra::signins::outcome::Outcome;
use crate::evidence::signins::SignInEvidence;
use crate::findings::{Finding, FindingId, Severity};
use crate::util::text::count;

/// What the finding says.
const WHAT: PerUser = PerUser {
    id: FindingId::AccountDisabled,
    severity: Severity::Critical,
    role: None,
    outcomes: &[Outcome::Disabled],
    summary: |users, sign_ins| {
        format!(
            "{} disabled in Entra ID ({})",
            count(users as u64, "account is", "accounts are"),
            count(sign_ins, "sign-in", "sign-ins")
        )
    },
    remediation: &[
        "If the user has left, remove the Mac from scope (Jamf Connect and the Conditional Access integration keep trying).",
        "If not, enable the account in Entra ID (Users, the user, Account enabled).",
    ],
};

/// Raises `account-disabled` (critical) when any user shows it.
pub(crate) fn detect(evidence: &SignInEvidence) -> Vec<Finding> {
    per_user(evidence, &WHAT)
}
