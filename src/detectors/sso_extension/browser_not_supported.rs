//! `browser-not-supported`: the SSO extension refused a browser by its
//! team ID ("the teamId … is not allowed"): Brave and other Chromium builds
//! cannot use it, so their sign-ins present no device and fail device-based
//! Conditional Access. Only lines that name the refused team count.

use super::super::Context;
use crate::findings::{Finding, FindingId, Severity};
use crate::mac::log::SignatureId;
use crate::util::text::count;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::BrowserNotSupported;

/// Raises `browser-not-supported` (warning).
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(stats) = context.observations.get(SignatureId::BrowserNotSupported) else {
        return Vec::new();
    };
    // Other lines naming a team ID are not refusals.
    let refused: u64 = stats.details.values().map(|tally| tally.count).sum();
    if refused == 0 {
        return Vec::new();
    }
    let teams: Vec<&str> = stats.details.keys().map(String::as_str).collect();
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Warning,
        summary: format!(
            "The SSO extension refused a browser {} (team {}): its sign-ins present no device and fail device-based Conditional Access",
            count(refused, "time", "times"),
            teams.join(", ")
        ),
        evidence: context.stats_evidence_with_messages(stats),
        remediation: vec![
            "Have the user sign in to company apps with Microsoft Edge (work profile), Google Chrome with Microsoft's Single Sign On extension, or Safari: Brave and other Chromium builds cannot use the SSO extension.".to_string(),
        ],
    }]
}
