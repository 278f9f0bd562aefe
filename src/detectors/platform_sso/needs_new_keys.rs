//! `psso-needs-new-keys`: Apple's user state is `POUserStateNeedsNewKeys`:
//! the account's Platform SSO keys are gone (typically a password reset
//! from FileVault recovery or by MDM) and the user must register again.

use super::super::Context;
use super::{register_steps, row_evidence};
use crate::evidence::path::UserState;
use crate::findings::{Finding, FindingId, Severity};

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::PssoNeedsNewKeys;

/// Whether the case applies (a repair, when needed, comes first).
pub(crate) fn applies(context: &Context) -> bool {
    let row = context.facts.account_row();
    row.user_state == Some(UserState::NeedsNewKeys) && row.agent_status != Some(3)
}

/// Raises `psso-needs-new-keys` (critical).
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    if !applies(context) {
        return Vec::new();
    }
    let facts = context.facts;
    let row = facts.account_row();
    let mut remediation = vec![format!(
        "Platform SSO needs new keys for {}: a password reset from FileVault recovery or by MDM discards them.",
        facts.user()
    )];
    remediation.extend(register_steps(context));
    remediation.push(format!("Then {}.", context.run_again()));
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Critical,
        summary: format!(
            "Platform SSO lost {}'s keys: single sign-on and device compliance fail until the user registers again",
            facts.user()
        ),
        evidence: row_evidence(&row),
        remediation,
    }]
}
