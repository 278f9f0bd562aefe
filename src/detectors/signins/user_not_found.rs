//! `user-not-found`: sign-ins of users Entra ID does not know (50034, 50020).

use super::{PerUser, per_user};
use crate::entra::signins::outcome::Outcome;
use crate::evidence::signins::SignInEvidence;
use crate::findings::{Finding, FindingId, Severity};
use crate::util::text::count;

/// What the finding says.
const WHAT: PerUser = PerUser {
    id: FindingId::UserNotFound,
    severity: Severity::Warning,
    role: None,
    outcomes: &[Outcome::UserNotFound],
    summary: |users, sign_ins| {
        format!(
            "{} not found in the tenant ({})",
            count(users as u64, "user was", "users were"),
            count(sign_ins, "sign-in", "sign-ins")
        )
    },
    remediation: &[
        "Check the user name the Mac sends (Jamf Connect uses the UPN it was given, e.g. an old alias or a typo).",
        "A guest from another identity provider (50020) needs to be invited to this tenant, or to sign in with a home-tenant account.",
    ],
};

/// Raises `user-not-found` (warning) when any user shows it.
pub(crate) fn detect(evidence: &SignInEvidence) -> Vec<Finding> {
    per_user(evidence, &WHAT)
}
