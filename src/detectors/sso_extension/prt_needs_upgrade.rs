//! `prt-needs-upgrade`: the SSO extension found its Primary Refresh Token
//! older than the device's registration ("PRT needs upgrade as device
//! registration state has changed") and acquired a new one. Once after a
//! registration is normal; again and again means the registration keeps
//! changing.

use super::super::Context;
use crate::findings::{Finding, FindingId, Severity};
use crate::mac::log::SignatureId;
use crate::util::text::count;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::PrtNeedsUpgrade;

/// Upgrades in the window from which the registration is said to keep
/// changing.
const REPEATED: u64 = 3;

/// Raises `prt-needs-upgrade`: info for one or two upgrades, a warning from
/// [`REPEATED`] on.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(stats) = context.observations.get(SignatureId::PrtNeedsUpgrade) else {
        return Vec::new();
    };
    let repeated = stats.count >= REPEATED;
    let mut remediation = Vec::new();
    if repeated {
        remediation.push("Look for what keeps changing the registration: a repair or a re-registration (Company Portal, Platform SSO's Repair), a second registration of another tenant, or a script that removes the Workplace Join keychain items.".to_string());
        remediation.push("Each repair makes a new device ID: check that Entra ID and Jamf Pro follow the newest one (`ca-doctor device`).".to_string());
    } else {
        remediation.push(
            "Nothing to do: after a registration the SSO extension upgrades its PRT once."
                .to_string(),
        );
    }
    vec![Finding {
        id: ID,
        subject: None,
        severity: if repeated {
            Severity::Warning
        } else {
            Severity::Info
        },
        summary: format!(
            "The SSO extension found its PRT older than the device registration and acquired a new one {}",
            count(stats.count, "time", "times")
        ),
        evidence: context.stats_evidence(stats),
        remediation,
    }]
}
