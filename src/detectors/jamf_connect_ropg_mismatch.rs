//! `jamf-connect-ropg-mismatch`: the login window and the menu bar check
//! the password against different apps or tenants: one of them fails, or
//! the tenant sees two apps where one is expected.

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::JamfConnectRopgMismatch;

fn differ(a: &Option<String>, b: &Option<String>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if !a.trim().eq_ignore_ascii_case(b.trim()))
}

/// Raises `jamf-connect-ropg-mismatch` (warning).
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(config) = context.facts.jamf_connect.as_ref().filter(|c| c.is_entra()) else {
        return Vec::new();
    };
    let mut evidence = Vec::new();
    if differ(&config.login_ropg_id, &config.menu_ropg_id) {
        evidence.push(EvidenceRow::new(
            "ROPG app",
            format!(
                "login window {}, menu bar {}",
                config.login_ropg_id.as_deref().unwrap_or("-"),
                config.menu_ropg_id.as_deref().unwrap_or("-")
            ),
        ));
    }
    if differ(&config.login_tenant, &config.menu_tenant) {
        evidence.push(EvidenceRow::new(
            "tenant",
            format!(
                "login window {}, menu bar {}",
                config.login_tenant.as_deref().unwrap_or("-"),
                config.menu_tenant.as_deref().unwrap_or("-")
            ),
        ));
    }
    if evidence.is_empty() {
        return Vec::new();
    }
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Warning,
        summary: "Jamf Connect's login window and menu bar check the password against different apps or tenants".to_string(),
        evidence,
        remediation: vec![
            "Use the same ROPG app ID (`OIDCROPGID` in com.jamf.connect.login, `ROPGID` in com.jamf.connect's IdPSettings) and the same tenant in both profiles.".to_string(),
        ],
    }]
}
