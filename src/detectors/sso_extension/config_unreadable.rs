//! `psso-config-unreadable`: Platform SSO logged `Error deserializing
//! device config` (com.apple.PlatformSSO -1001), a macOS 15.0-15.2 bug that
//! brings the registration prompt back again and again; fixed in 15.3.

use super::super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::mac::log::SignatureId;
use crate::util::text::count;
use crate::util::version::Version;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::PssoConfigUnreadable;

/// The macOS version that fixed the bug.
const FIXED_IN: Version = Version::new(15, 3, 0);

/// Raises `psso-config-unreadable`: critical on a macOS the bug is known in,
/// a warning when the version is unknown or later.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(stats) = context.observations.get(SignatureId::PssoConfigUnreadable) else {
        return Vec::new();
    };
    let macos = context.facts.prefs.macos_version;
    let affected = macos.is_some_and(|v| v >= Version::new(15, 0, 0) && v < FIXED_IN);
    let mut evidence = context.stats_evidence(stats);
    evidence.push(EvidenceRow::new(
        "macOS",
        context
            .facts
            .prefs
            .macos_version_text
            .clone()
            .unwrap_or_else(|| "unknown".to_string()),
    ));
    let written = context.facts.prefs.macos_version_text.as_deref();
    let first = match (affected, written) {
        (true, Some(version)) => format!(
            "Update macOS {version} to 15.3 or later: 15.0 to 15.2 cannot read the device configuration and keep asking the user to register again."
        ),
        _ => "Update macOS to 15.3 or later if it is 15.0 to 15.2 (the known cause); on a later macOS, remove and reinstall the Platform SSO profile.".to_string(),
    };
    vec![Finding {
        id: ID,
        subject: None,
        severity: if affected {
            Severity::Critical
        } else {
            Severity::Warning
        },
        summary: format!(
            "Platform SSO could not read its device configuration {} (\"Error deserializing device config\"): the registration prompt keeps coming back",
            count(stats.count, "time", "times")
        ),
        evidence,
        remediation: vec![
            first,
            format!(
                "Then let the user register once more, and {}.",
                context.run_again()
            ),
        ],
    }]
}
