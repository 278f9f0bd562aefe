//! `ropg-mfa-required`: Jamf Connect password checks (ROPG) answered "MFA
//! required": the password was right, but the portal shows failures and they
//! can raise the users' risk.

use super::{PerUser, per_user};
use crate::entra::signins::outcome::{AppRole, Outcome};
use crate::evidence::signins::SignInEvidence;
use crate::findings::{Finding, FindingId, Severity};
use crate::util::text::count;

/// What the finding says.
const WHAT: PerUser = PerUser {
    id: FindingId::RopgMfaRequired,
    severity: Severity::Warning,
    role: Some(AppRole::JamfConnect),
    outcomes: &[Outcome::MfaRequired],
    summary: |users, sign_ins| {
        format!(
            "{} answered \"MFA required\" for {}: the password was right; these are not real failures",
            count(
                sign_ins,
                "Jamf Connect password check was",
                "Jamf Connect password checks were"
            ),
            count(users as u64, "user", "users")
        )
    },
    remediation: &[
        "Use a custom API scope for the ROPG check: expose `api://<app id>/jamfconnect` on a \"Conditional Access Policy API\" app registration, set it as the ROPG scope in Jamf Connect, and exclude that API app from the MFA policy (the policies named above).",
        "Or exempt the app with a custom security attribute and an application filter in the MFA policy.",
        "Until then, check the password less often from the menu bar: `PasswordPolicies` → `NetworkCheck` 30 to 60 minutes and `CheckOnNetworkChange` false, so that fewer false failures are logged.",
    ],
};

/// Raises `ropg-mfa-required` (warning) when any user shows it.
pub(crate) fn detect(evidence: &SignInEvidence) -> Vec<Finding> {
    per_user(evidence, &WHAT)
}
