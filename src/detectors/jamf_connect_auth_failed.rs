//! `jamf-connect-auth-failed`: Jamf Connect logged failed authentications,
//! missing saved credentials or a refused password change, counted per day:
//! the user's password check or sign-in fails on this Mac.

use super::Context;
use crate::findings::{Finding, FindingId, Severity};
use crate::mac::log::SignatureId;
use crate::util::text::count;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::JamfConnectAuthFailed;

/// Raises `jamf-connect-auth-failed` (warning).
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(stats) = context.observations.get(SignatureId::JamfConnectAuthFailed) else {
        return Vec::new();
    };
    let evidence = context.stats_evidence_with_messages(stats);
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Warning,
        summary: format!(
            "Jamf Connect failed to authenticate the user {} on {}",
            count(stats.count, "time", "times"),
            count(stats.per_day.len() as u64, "day", "days")
        ),
        evidence,
        remediation: vec![
            "Have the user sign in from the Jamf Connect menu bar with the current Entra ID password; \"no saved credentials\" means the keychain item is gone and one sign-in stores it again.".to_string(),
            "If the tenant answers these checks with MFA, the failures are false: see `ca-doctor signins` (ropg-mfa-required) and `ca-doctor policies`.".to_string(),
        ],
    }]
}
