//! The Platform SSO detectors: one cell each of the account's state
//! matrix (Apple's user state, `registrationCompleted`, the agent's
//! `getPSSOStatus`, whether the agent ran), and what they share: the row as
//! evidence and the steps that bring the registration prompt back.

pub(crate) mod compliance_not_sent;
pub(crate) mod needs_new_keys;
pub(crate) mod needs_repair;
pub(crate) mod registration_pending;

use super::Context;
use crate::evidence::path::{AccountRow, agent_status_name};
use crate::findings::EvidenceRow;

/// The account's row as evidence: each source that said something.
pub(crate) fn row_evidence(row: &AccountRow) -> Vec<EvidenceRow> {
    let mut evidence = Vec::new();
    if let Some(state) = row.user_state {
        evidence.push(EvidenceRow::new(
            "Apple user state (app-sso platform -s)",
            state.apple_name(),
        ));
    }
    if let Some(completed) = row.registration_completed {
        evidence.push(EvidenceRow::new(
            "registrationCompleted",
            completed.to_string(),
        ));
    }
    if let Some(code) = row.agent_status {
        evidence.push(EvidenceRow::new(
            "agent getPSSOStatus",
            agent_status_name(code),
        ));
    }
    evidence
}

/// How the user brings the registration prompt back and completes it.
pub(crate) fn register_steps(context: &Context) -> Vec<String> {
    let user = context.facts.user();
    vec![
        format!("Have {user} click the \"Registration required\" notification and sign in. With a Focus mode on, the notification is hidden: turn Focus off first (its assertions are in ~/Library/DoNotDisturb/DB/Assertions.json)."),
        format!("No notification: as {user}, `pkill AppSSOAgent; app-sso -l` brings it back, or System Settings > Users & Groups > Network Account Server > Register."),
    ]
}
