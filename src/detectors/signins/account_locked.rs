//! `account-locked`: sign-ins refused because the account is locked (50053).

use super::{PerUser, per_user};
use crate::entra::signins::outcome::Outcome;
use crate::evidence::signins::SignInEvidence;
use crate::findings::{Finding, FindingId, Severity};
use crate::util::text::count;

/// What the finding says.
const WHAT: PerUser = PerUser {
    id: FindingId::AccountLocked,
    severity: Severity::Critical,
    role: None,
    outcomes: &[Outcome::Locked],
    summary: |users, sign_ins| {
        format!(
            "{} locked ({}): they cannot sign in anywhere until unlocked",
            count(users as u64, "account is", "accounts are"),
            count(sign_ins, "refused sign-in", "refused sign-ins")
        )
    },
    remediation: &[
        "Check the sign-in logs of these users for attempts from unknown IP addresses: Smart Lockout also locks on sign-ins from malicious addresses.",
        "Unlock the account (or wait for the lockout to end) and have the user sign in again; on the Mac, Jamf Connect will ask for the password at the next check.",
    ],
};

/// Raises `account-locked` (critical) when any user shows it.
pub(crate) fn detect(evidence: &SignInEvidence) -> Vec<Finding> {
    per_user(evidence, &WHAT)
}
