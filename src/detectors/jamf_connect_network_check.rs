//! `jamf-connect-network-check`: how often the menu bar re-checks the
//! user's password against Entra ID (each check is an ROPG sign-in, and a
//! logged failure when MFA is demanded). Jamf support's advice: 30 to 60
//! minutes, and no check on every network change.

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::JamfConnectNetworkCheck;

/// Hours of use a day the estimate assumes.
const HOURS_OF_USE: i64 = 8;

/// Raises `jamf-connect-network-check` (info) for an Entra ID menu bar that
/// checks more often than Jamf support advises; within the advice the
/// interval is only a fact.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(config) = context.facts.jamf_connect.as_ref().filter(|c| c.is_entra()) else {
        return Vec::new();
    };
    if config.menu_provider.is_none() && config.network_check.is_none() {
        return Vec::new();
    }
    // Absent key: Self Service+ (3.x) checks every 60 minutes, 2.x every 15.
    let (minutes, assumed) = match config.network_check {
        Some(minutes) => (minutes, None),
        None if config.version_3.is_some() => (60, Some("60 (Self Service+'s default)")),
        None => (15, Some("15 (Jamf Connect 2.x's default)")),
    };
    if minutes <= 0 {
        return Vec::new();
    }
    let per_day = HOURS_OF_USE * 60 / minutes;
    let on_change = config.check_on_network_change == Some(true);
    let mut evidence = vec![EvidenceRow::new(
        "NetworkCheck",
        match assumed {
            Some(default) => format!("not set: {default} assumed"),
            None => format!("{minutes} minutes"),
        },
    )];
    evidence.push(EvidenceRow::new(
        "CheckOnNetworkChange",
        config
            .check_on_network_change
            .map_or("not set".to_string(), |b| b.to_string()),
    ));
    if minutes >= 30 && !on_change {
        return Vec::new();
    }
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Info,
        summary: format!(
            "The menu bar checks the password every {minutes} minutes{}: about {per_day} ROPG sign-ins per user per day",
            if on_change {
                " and on every network change"
            } else {
                ""
            }
        ),
        evidence,
        remediation: vec!["When the tenant's sign-in logs show ROPG MFA noise, set `PasswordPolicies` → `NetworkCheck` to 30-60 minutes and `CheckOnNetworkChange` to false.".to_string()],
    }]
}
