//! `jamf-connect-app-misconfigured`: a Jamf Connect app registration refused
//! by Entra ID: 7000218 needs "Allow public client flows"; 700016 a wrong
//! client ID or tenant; 65001 / 90094 consent; 500011 the custom API app is
//! missing; 50011 the redirect URI.

use super::{PerUser, per_user};
use crate::entra::signins::outcome::{AppRole, Outcome};
use crate::evidence::signins::SignInEvidence;
use crate::findings::{Finding, FindingId, Severity};
use crate::util::text::count;

/// What the finding says.
const WHAT: PerUser = PerUser {
    id: FindingId::JamfConnectAppMisconfigured,
    severity: Severity::Critical,
    role: Some(AppRole::JamfConnect),
    outcomes: &[Outcome::AppMisconfigured],
    summary: |users, sign_ins| {
        format!(
            "Entra ID refused {} to a Jamf Connect app because of its registration ({})",
            count(sign_ins, "sign-in", "sign-ins"),
            count(users as u64, "user", "users")
        )
    },
    remediation: &[
        "7000218: in the app registration, Authentication, set \"Allow public client flows\" to Yes (the ROPG password check needs it).",
        "700016: check `OIDCClientID` / `OIDCROPGID` and `OIDCTenant` in com.jamf.connect.login against the app registration (Jamf's sample profiles ship placeholder IDs).",
        "65001 / 90094: grant admin consent to the app's API permissions.",
        "500011: the custom API app (`api://<app id>/jamfconnect`) is missing or its ID is wrong in the ROPG scope.",
        "50011: set the redirect URI to `https://127.0.0.1/jamfconnect` on both the app registration and `OIDCRedirectURI`.",
    ],
};

/// Raises `jamf-connect-app-misconfigured` (critical) when any user shows it.
pub(crate) fn detect(evidence: &SignInEvidence) -> Vec<Finding> {
    per_user(evidence, &WHAT)
}
