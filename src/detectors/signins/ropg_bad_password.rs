//! `ropg-bad-password`: Jamf Connect password checks refused with a wrong
//! password.

use super::{PerUser, per_user};
use crate::entra::signins::outcome::{AppRole, Outcome};
use crate::evidence::signins::SignInEvidence;
use crate::findings::{Finding, FindingId, Severity};
use crate::util::text::count;

/// What the finding says.
const WHAT: PerUser = PerUser {
    id: FindingId::RopgBadPassword,
    severity: Severity::Warning,
    role: Some(AppRole::JamfConnect),
    outcomes: &[Outcome::BadPassword],
    summary: |users, sign_ins| {
        format!(
            "Jamf Connect password checks were refused {} for {}: the Mac's password and the Entra password differ, or the user mistyped",
            count(sign_ins, "time", "times"),
            count(users as u64, "user", "users")
        )
    },
    remediation: &[
        "Ask each user whether they changed their Entra password elsewhere: Jamf Connect then asks them to sync the local password at the next check.",
        "If the count keeps growing for one user, check the account for password-spray attempts in Entra ID (Users, the user, Sign-in logs).",
    ],
};

/// Raises `ropg-bad-password` (warning) when any user shows it.
pub(crate) fn detect(evidence: &SignInEvidence) -> Vec<Finding> {
    per_user(evidence, &WHAT)
}
