//! `psso-registration-pending`: the Mac is on Platform SSO but the account
//! has not registered: Apple's user state is `POUserStateNeedsRegistration`,
//! the device configuration's `registrationCompleted` is false, or the
//! agent's `getPSSOStatus` says enabled but not registered. The user must
//! complete the registration; nothing is sent to Entra ID until then.

use super::super::Context;
use super::{register_steps, row_evidence};
use crate::evidence::path::{CompliancePath, UserState};
use crate::findings::{Finding, FindingId, Severity};

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::PssoRegistrationPending;

/// Whether the case applies (the keys and repair cells come first).
pub(crate) fn applies(context: &Context) -> bool {
    let facts = context.facts;
    let row = facts.account_row();
    facts.compliance_path().path == CompliancePath::DeviceCompliancePlatformSso
        && !row.psso_registered()
        && row.agent_status != Some(3)
        && row.user_state != Some(UserState::NeedsNewKeys)
        && (row.user_state == Some(UserState::NeedsRegistration)
            || row.registration_completed == Some(false)
            || row.agent_status == Some(1))
}

/// Raises `psso-registration-pending` (critical).
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    if !applies(context) {
        return Vec::new();
    }
    let facts = context.facts;
    let mut remediation = register_steps(context);
    remediation.push(format!(
        "Once registered, the agent sends compliance: {}",
        context.agent_command("gatherAADInfo")
    ));
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Critical,
        summary: format!(
            "Platform SSO waits for {} to register this Mac: until then Entra ID has no device for the account",
            facts.user()
        ),
        evidence: row_evidence(&facts.account_row()),
        remediation,
    }]
}
