//! `jamf-connect-auth-failed`: Jamf Connect logged failed authentications,
//! a failed MFA at the login window, missing saved credentials or a refused
//! password change, counted per day: the user's password check or sign-in
//! fails on this Mac. A refused password change that a later change of the
//! same password ended (`Successfully changed password for:`) is only
//! information.

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::mac::log::SignatureId;
use crate::util::text::count;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::JamfConnectAuthFailed;

/// The detail of a refused password change (see `mac::log::details`).
const REFUSED_CHANGE: &str = "password change refused";

/// Raises `jamf-connect-auth-failed`: a warning, or information when the
/// only failures were refused password changes that a later change ended.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(stats) = context.observations.get(SignatureId::JamfConnectAuthFailed) else {
        return Vec::new();
    };
    let mut evidence = context.stats_evidence_with_messages(stats);
    let changed_later = context
        .observations
        .get(SignatureId::JamfConnectPasswordChanged)
        .map(|changed| changed.last);
    let only_refused_changes = stats.details.keys().all(|d| d == REFUSED_CHANGE);
    let ended = match (changed_later, stats.details.get(REFUSED_CHANGE)) {
        (Some(changed), Some(refused)) => changed > refused.last,
        _ => false,
    };
    if let Some(changed) = changed_later.filter(|_| ended) {
        evidence.push(EvidenceRow::new(
            "password changed later",
            context.time(changed),
        ));
    }
    let (severity, summary) = if ended && only_refused_changes {
        (
            Severity::Info,
            format!(
                "Jamf Connect refused a password change {} and then changed the password: the failure ended",
                count(stats.count, "time", "times")
            ),
        )
    } else {
        (
            Severity::Warning,
            format!(
                "Jamf Connect failed to authenticate the user {} on {}",
                count(stats.count, "time", "times"),
                count(stats.per_day.len() as u64, "day", "days")
            ),
        )
    };
    vec![Finding {
        id: ID,
        subject: None,
        severity,
        summary,
        evidence,
        remediation: vec![
            "Have the user sign in from the Jamf Connect menu bar with the current Entra ID password; \"no saved credentials\" means the keychain item is gone and one sign-in stores it again.".to_string(),
            "A failed MFA at the login window (completeAuthFailed): check the user's authentication methods in Entra ID and the Mac's clock (TOTP codes need it right).".to_string(),
            "If the tenant answers these checks with MFA, the failures are false: see `ca-doctor signins` (ropg-mfa-required) and `ca-doctor policies`.".to_string(),
        ],
    }]
}
