//! `password-expired`: sign-ins refused because the password expired (50055,
//! 50144).

use super::{PerUser, per_user};
use crate::entra::signins::outcome::Outcome;
use crate::evidence::signins::SignInEvidence;
use crate::findings::{Finding, FindingId, Severity};
use crate::util::text::count;

/// What the finding says.
const WHAT: PerUser = PerUser {
    id: FindingId::PasswordExpired,
    severity: Severity::Warning,
    role: None,
    outcomes: &[Outcome::PasswordExpired],
    summary: |users, sign_ins| {
        format!(
            "{} expired ({})",
            count(users as u64, "user's password", "users' passwords"),
            count(sign_ins, "sign-in", "sign-ins")
        )
    },
    remediation: &[
        "Have each user change their password (at the Jamf Connect login window or in the menu bar), then sign in again.",
        "If passwords should not expire, check the password policy of the tenant (and of on-premises AD for synced users: 50144).",
    ],
};

/// Raises `password-expired` (warning) when any user shows it.
pub(crate) fn detect(evidence: &SignInEvidence) -> Vec<Finding> {
    per_user(evidence, &WHAT)
}
