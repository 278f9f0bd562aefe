//! `duplicate-msal-accounts`: the MSAL cache holds several accounts and the
//! agent may pick the wrong one, failing silent sign-in. Fixed by Jamf Pro
//! 11.3; otherwise only a keychain reset clears it. On 11.3 and later, with
//! sign-ins that succeed after the last such line and no silent failure
//! after it, the agent picked the right account: information only.

use super::Context;
use crate::findings::{Finding, FindingId, Severity};
use crate::mac::log::SignatureId;
use crate::util::text::count;
use crate::util::version::JAMF_PICKS_RIGHT_ACCOUNT;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::DuplicateMsalAccounts;

/// Raises `duplicate-msal-accounts` (warning), advice by Jamf Pro version.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(stats) = context.observations.get(SignatureId::DuplicateMsalAccounts) else {
        return Vec::new();
    };
    let facts = context.facts;
    let evidence = context.stats_evidence_with_messages(stats);
    let picks_right = facts
        .prefs
        .jamf_pro_version
        .is_some_and(|v| v >= JAMF_PICKS_RIGHT_ACCOUNT);
    let after = |id: SignatureId| {
        context
            .observations
            .get(id)
            .is_some_and(|later| later.last > stats.last)
    };
    let harmless =
        picks_right && after(SignatureId::AadIdAcquired) && !after(SignatureId::SilentAuthFailed);
    let mut remediation = Vec::new();
    match facts.prefs.jamf_pro_version {
        Some(version) if version < JAMF_PICKS_RIGHT_ACCOUNT => remediation.push(format!(
            "Upgrade Jamf Pro: {version} is older than 11.3, which makes the agent pick the right account every time. This is the fix."
        )),
        Some(version) => remediation.push(format!(
            "Jamf Pro {version} already picks the right account; if the cleanup was done recently, the log evidence can stay for up to 5 days. Check that silent sign-ins succeed now."
        )),
        None => remediation.push("Jamf Pro version unknown: if it is older than 11.3, upgrade (11.3 makes the agent pick the right account every time).".to_string()),
    }
    remediation.push("Ask the user whether they sign in with several Entra accounts or were moved to another tenant: that is how the extra accounts get into the MSAL cache.".to_string());
    remediation.push(format!(
        "Last resort, only with the user's consent: delete the user's Local Items keychain (~{}/Library/Keychains/<hardware UUID>) and restart. It loses data stored there, such as SSH keys that may have no backup. The user gets one more sign-in prompt.",
        facts.user()
    ));
    remediation.push("After the cleanup the evidence can remain in the log for up to 5 days: judge by new silent sign-ins, not by old lines.".to_string());
    let (severity, summary) = if harmless {
        (
            Severity::Info,
            format!(
                "Several MSAL accounts were found {}, and sign-ins succeeded after: Jamf Pro 11.3 and later pick the matching account",
                count(stats.count, "time", "times")
            ),
        )
    } else {
        (
            Severity::Warning,
            format!(
                "Several MSAL accounts were found {}: the agent may pick the wrong account and fail silent sign-in",
                count(stats.count, "time", "times")
            ),
        )
    };
    vec![Finding {
        id: ID,
        subject: None,
        severity,
        summary,
        evidence,
        remediation,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;

    const LINE: &str = "More than 1 account, will try to find a matching account.";

    #[test]
    fn upgrade_advice_before_11_3() {
        let scenario = Scenario::registered().jamf("11.2.1").agent(
            "2026-11-18T09:00:00-05:00",
            SignatureId::DuplicateMsalAccounts,
            LINE,
        );
        let findings = scenario.run(detect);
        assert!(findings[0].remediation[0].starts_with("Upgrade Jamf Pro"));
        assert!(
            findings[0]
                .remediation
                .iter()
                .any(|s| s.contains("SSH keys"))
        );
    }

    #[test]
    fn no_upgrade_advice_from_11_3() {
        let scenario = Scenario::registered().jamf("11.3.0").agent(
            "2026-11-18T09:00:00-05:00",
            SignatureId::DuplicateMsalAccounts,
            LINE,
        );
        assert!(scenario.run(detect)[0].remediation[0].contains("already picks"));
    }

    #[test]
    fn other_processes_do_not_count() {
        let scenario = Scenario::registered().log(
            "2026-11-18T09:00:00-05:00",
            SignatureId::DuplicateMsalAccounts,
            "Company Portal",
            LINE,
        );
        assert!(scenario.run(detect).is_empty());
    }
}
