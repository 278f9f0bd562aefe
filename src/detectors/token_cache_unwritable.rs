//! `token-cache-unwritable`: MSAL could not read or write the agent's tokens
//! in the keychain (`-34018`: no keychain entitlement or access group;
//! `-25308`: the keychain is locked, no user interaction allowed). The agent
//! cannot keep its refresh token, so every run turns interactive: the Mac is
//! at risk while this recurs, even when sign-ins still succeed, and a
//! deactivation that follows has this as its cause.

use super::Context;
use crate::findings::{Finding, FindingId, Severity};
use crate::mac::log::SignatureId;
use crate::util::text::count;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::TokenCacheUnwritable;

/// Raises `token-cache-unwritable` (warning) with the keychain statuses seen.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(stats) = context.observations.get(SignatureId::TokenCacheFailure) else {
        return Vec::new();
    };
    let status = |code: &str| stats.details.keys().any(|d| d.starts_with(code));
    let mut remediation = Vec::new();
    if status("-25308") {
        remediation.push(format!(
            "-25308: the login keychain of {} is locked when the agent runs. Have the user log in at the Mac (not only unlock the screen); if the keychain password no longer matches the login password (after a password change elsewhere), reset it in Keychain Access, Settings, Reset Default Keychains.",
            context.facts.user()
        ));
    }
    if status("-34018") {
        remediation.push("-34018: the agent lacks its keychain entitlement or access group: reinstall the Jamf management framework (`sudo jamf manage`, or re-enrol the Mac) so that the signed agent is intact, and check that no configuration profile restricts keychain access groups.".to_string());
    }
    remediation.push(format!(
        "Then run the agent's sign-in as the user: {}, and {}.",
        context.agent_command("gatherAADInfo"),
        context.run_again()
    ));
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Warning,
        summary: format!(
            "The agent could not keep its tokens in the keychain {} on {}: each sign-in turns interactive",
            count(stats.count, "time", "times"),
            count(stats.per_day.len() as u64, "day", "days")
        ),
        evidence: context.stats_evidence_with_messages(stats),
        remediation,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;

    #[test]
    fn a_locked_keychain_is_named_with_its_fix() {
        let found = Scenario::registered()
            .agent(
                "2026-11-18T09:00:00-05:00",
                SignatureId::TokenCacheFailure,
                "Failed to set item into keychain (status: -25308)",
            )
            .agent(
                "2026-11-18T09:00:01-05:00",
                SignatureId::TokenCacheFailure,
                "Failed to save tokens in cache. Error Error Domain=MSIDKeychainErrorDomain Code=-25308",
            )
            .run(detect);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(
            found[0].remediation[0].starts_with("-25308"),
            "{:?}",
            found[0]
        );
        assert!(
            found[0].evidence[1]
                .value
                .contains("-25308 (keychain locked: no user interaction allowed): 2"),
            "{:?}",
            found[0].evidence
        );
    }

    #[test]
    fn silent_without_keychain_errors() {
        assert!(Scenario::registered().run(detect).is_empty());
    }
}
