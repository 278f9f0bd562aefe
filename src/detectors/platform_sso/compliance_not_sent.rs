//! `compliance-not-sent`: Platform SSO registered the Mac for the account
//! but the agent never ran for it (no agent preferences, no "AAD ID
//! acquired"): when Platform SSO comes first, `gatherAADInfo` must still
//! run once as the user, or Jamf Pro never sends the device's compliance.

use super::super::Context;
use super::row_evidence;
use crate::evidence::path::CompliancePath;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::mac::log::SignatureId;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::ComplianceNotSent;

/// Whether the case applies.
pub(crate) fn applies(context: &Context) -> bool {
    let facts = context.facts;
    let row = facts.account_row();
    facts.compliance_path().path == CompliancePath::DeviceCompliancePlatformSso
        && row.psso_registered()
        && row.agent_ran == Some(false)
        && context.observations.count(SignatureId::AadIdAcquired) == 0
}

/// Raises `compliance-not-sent` (critical).
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    if !applies(context) {
        return Vec::new();
    }
    let facts = context.facts;
    let mut evidence = row_evidence(&facts.account_row());
    evidence.push(EvidenceRow::new(
        "user agent preferences",
        format!(
            "no com.jamf.management.jamfAAD.plist in {}/Library/Preferences: the agent never ran for this account",
            facts.account.home.display()
        ),
    ));
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Critical,
        summary: format!(
            "Platform SSO registered this Mac, but the agent never ran for {}: Jamf Pro has sent no compliance for the device",
            facts.user()
        ),
        evidence,
        remediation: vec![
            format!(
                "Run the agent once as {} while they are logged in (never as root): {}",
                facts.user(),
                context.agent_command("gatherAADInfo")
            ),
            "Or have the user run the \"Register with Entra ID\" policy in Self Service."
                .to_string(),
            format!("Then {}.", context.run_again()),
        ],
    }]
}
