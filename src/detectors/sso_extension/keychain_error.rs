//! `workplace-join-keychain-error`: Workplace Join (Company Portal, the SSO
//! extension) could not read or change its items in the login keychain
//! (`-25244`: they belong to another app; `-34018`: no keychain access
//! group), so a registration cannot be made or cleaned up.

use super::super::Context;
use crate::findings::{Finding, FindingId, Severity};
use crate::mac::log::SignatureId;
use crate::util::text::count;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::WorkplaceJoinKeychainError;

/// Raises `workplace-join-keychain-error`: critical while no registration
/// check says the device is registered, else a warning.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(stats) = context
        .observations
        .get(SignatureId::WorkplaceJoinKeychainError)
    else {
        return Vec::new();
    };
    let statuses: Vec<&str> = stats.details.keys().map(String::as_str).collect();
    let severity = if context.facts.registered() {
        Severity::Warning
    } else {
        Severity::Critical
    };
    vec![Finding {
        id: ID,
        subject: None,
        severity,
        summary: format!(
            "Workplace Join could not use its keychain items {} ({})",
            count(stats.count, "time", "times"),
            if statuses.is_empty() {
                "no status".to_string()
            } else {
                statuses.join(", ")
            }
        ),
        evidence: context.stats_evidence(stats),
        remediation: vec![
            "As the user, in Keychain Access (login keychain), remove the Workplace Join items: the passwords named com.microsoft.workplacejoin.*, the identity preference of https://enterpriseregistration.windows.net and the \"Microsoft Workplace Join Key\".".to_string(),
            "Register again at once (the \"Register with Entra ID\" policy in Self Service): with the items gone and no new registration, the agent's next run deactivates the Mac's compliance record. Secure Enclave registrations keep no such items: for them use Company Portal's deregister, or Repair in System Settings > Users & Groups > Network Account Server.".to_string(),
            format!("Then {}.", context.run_again()),
        ],
    }]
}
