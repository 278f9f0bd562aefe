//! `workplace-join-required`: MSAL answered `Code=-50001` "Workplace join
//! is required": an app's sign-in needs a registered device and found
//! none.

use super::super::Context;
use crate::findings::{Finding, FindingId, Severity};
use crate::mac::log::SignatureId;
use crate::util::text::count;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::WorkplaceJoinRequired;

/// Raises `workplace-join-required`: critical while no registration check
/// says the device is registered, else a warning.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(stats) = context.observations.get(SignatureId::WorkplaceJoinRequired) else {
        return Vec::new();
    };
    let registered_now = context.facts.registered();
    vec![Finding {
        id: ID,
        subject: None,
        severity: if registered_now {
            Severity::Warning
        } else {
            Severity::Critical
        },
        summary: format!(
            "Sign-ins were refused {} because the app needs a registered device (\"Workplace join is required\")",
            count(stats.count, "time", "times")
        ),
        evidence: context.stats_evidence(stats),
        remediation: vec![
            "Register the Mac: the \"Register with Entra ID\" policy in Self Service (or Platform SSO's registration).".to_string(),
            "Entra's sign-in log of the user at the times above names the app that asked (error 50129 or 530003).".to_string(),
            format!("Then {}.", context.run_again()),
        ],
    }]
}
