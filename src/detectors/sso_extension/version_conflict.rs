//! `sso-extension-version-conflict`: PlugInKit refused Microsoft's SSO
//! extension with Code=16 "other version in use" (seen after Company
//! Portal updates on macOS 15.3): no SSO request is served until the Mac
//! restarts.

use super::super::Context;
use crate::findings::{Finding, FindingId, Severity};
use crate::mac::log::SignatureId;
use crate::util::text::count;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::SsoExtensionVersionConflict;

/// Raises `sso-extension-version-conflict` (warning).
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(stats) = context
        .observations
        .get(SignatureId::SsoExtensionVersionConflict)
    else {
        return Vec::new();
    };
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Warning,
        summary: format!(
            "macOS refused the SSO extension {} (PlugInKit Code=16, \"other version in use\"): sign-ins through it fail until the Mac restarts",
            count(stats.count, "time", "times")
        ),
        evidence: context.stats_evidence_with_messages(stats),
        remediation: vec![
            "Restart the Mac: the old and new versions of the extension (after a Company Portal update) are then no longer both registered.".to_string(),
            format!("Then {}.", context.run_again()),
        ],
    }]
}
