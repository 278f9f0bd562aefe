//! `jamf-connect-password-out-of-sync`: Jamf Connect's state says the
//! user's local password no longer matches the Entra ID password
//! (`PasswordCurrent` false): its checks fail until the user syncs.

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::JamfConnectPasswordOutOfSync;

/// Raises `jamf-connect-password-out-of-sync` (warning).
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(config) = &context.facts.jamf_connect else {
        return Vec::new();
    };
    if config.password_current != Some(false) {
        return Vec::new();
    }
    vec![Finding {
        id: ID,
        subject: config.upn.clone(),
        severity: Severity::Warning,
        summary: format!(
            "{}'s local password no longer matches Entra ID (Jamf Connect's PasswordCurrent is false)",
            context.facts.user()
        ),
        evidence: vec![EvidenceRow::new(
            "PasswordCurrent",
            "false in ~/Library/Preferences/com.jamf.connect.state.plist",
        )],
        remediation: vec![
            "Have the user choose \"Sync password\" (or sign in) from the Jamf Connect menu bar, with the current Entra ID password.".to_string(),
            "Until then every background password check is logged as a failed sign-in in Entra ID.".to_string(),
        ],
    }]
}
