//! `deactivated`: the agent gave up on the user. `have_an_Azure_id` is false,
//! or the log says "No AAD ID found" after the last success. Silent and
//! interactive sign-in both failed, an empty token went to Jamf Pro and the
//! Mac is non-compliant until someone runs `gatherAADInfo` as the user.

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::mac::log::SignatureId;
use crate::util::text::count;
use crate::util::version::JAMF_RECURRING_REMOVED;
use chrono::{DateTime, FixedOffset};

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::Deactivated;

/// Why the Mac counts as deactivated.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Deactivation {
    /// `have_an_Azure_id` is false.
    pub(crate) flag_false: bool,
    /// Latest "No AAD ID found" after the last success, if any.
    pub(crate) logged_at: Option<DateTime<FixedOffset>>,
}

/// Decides whether the Mac is deactivated; shared with the detectors whose
/// severity depends on it.
pub(crate) fn deactivation(context: &Context) -> Option<Deactivation> {
    let facts = context.facts;
    let flag_false = facts.prefs.have_an_azure_id == Some(false)
        && !super::aad_id_not_acquired::applies(context);
    let logged_at = context
        .observations
        .last(SignatureId::NoAadIdFound)
        .filter(|at| facts.last_success.is_none_or(|success| *at > success));
    (flag_false || logged_at.is_some()).then_some(Deactivation {
        flag_false,
        logged_at,
    })
}

/// Raises `deactivated` (critical).
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(deactivation) = deactivation(context) else {
        return Vec::new();
    };
    let facts = context.facts;
    let mut evidence = Vec::new();
    if deactivation.flag_false {
        let recurring_removed = facts
            .prefs
            .jamf_pro_version
            .is_some_and(|v| v >= JAMF_RECURRING_REMOVED);
        evidence.push(EvidenceRow::new(
            "have_an_Azure_id",
            if recurring_removed {
                "false in the user's com.jamf.management.jamfAAD.plist: the agent will not sign in again until gatherAADInfo runs as the user"
            } else {
                "false in the user's com.jamf.management.jamfAAD.plist: the recurring sign-in has stopped trying"
            },
        ));
    }
    if let Some(at) = deactivation.logged_at {
        let count = context.observations.count(SignatureId::NoAadIdFound);
        evidence.push(EvidenceRow::new(
            "\"No AAD ID found\"",
            format!("last logged {} ({count} in the window)", context.time(at)),
        ));
    } else if deactivation.flag_false {
        evidence.push(EvidenceRow::new(
            "log",
            "no \"No AAD ID found\" line in the analysed window: the deactivation is older, or the log rolled over before it was read",
        ));
    }
    if deactivation.logged_at.is_some() && facts.private_name_lines > 0 {
        evidence.push(EvidenceRow::new(
            "attribution",
            format!(
                "{} the account <private>: the OS hid the name, so they are counted for {}",
                count(facts.private_name_lines, "line names", "lines name"),
                facts.user()
            ),
        ));
    }
    if facts.lines_of_other_accounts() > 0 {
        evidence.push(EvidenceRow::new(
            "other accounts",
            format!(
                "{} naming other accounts set aside",
                count(facts.lines_of_other_accounts(), "line", "lines")
            ),
        ));
    }
    evidence.push(EvidenceRow::new(
        "last success",
        facts
            .last_success
            .map_or_else(|| "none known".to_string(), |t| context.time(t)),
    ));
    let summary = match deactivation.logged_at {
        Some(at) => format!("The Mac is deactivated: no AAD ID since {}; it reports non-compliant in Entra ID", context.time(at)),
        None => "The Mac is deactivated (have_an_Azure_id is false); it reports non-compliant in Entra ID".to_string(),
    };
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Critical,
        summary,
        evidence,
        remediation: vec![
            format!(
                "Reactivate while {} is logged in, by a Jamf Pro policy that runs gatherAADInfo as the user or in Terminal: {}",
                facts.user(),
                context.agent_command("gatherAADInfo")
            ),
            "If this report names what made the silent and then the interactive sign-in fail (AppSSO -9, invalid_grant, duplicate MSAL accounts, the token cache), fix that first, or the Mac will be deactivated again at the next failed prompt.".to_string(),
            format!(
                "Have the user complete the sign-in prompt, then {}: have_an_Azure_id should be true and the status healthy.",
                context.run_again()
            ),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;

    #[test]
    fn flag_false_is_deactivated_and_says_log_may_have_rolled() {
        let mut scenario = Scenario::registered();
        scenario.prefs.have_an_azure_id = Some(false);
        let findings = scenario.run(detect);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].severity, Severity::Critical);
        assert!(
            findings[0]
                .evidence
                .iter()
                .any(|e| e.value.contains("rolled over"))
        );
    }

    #[test]
    fn no_aad_id_after_last_success_is_deactivated() {
        let mut scenario = Scenario::registered().agent(
            "2026-11-20T11:00:00-05:00",
            SignatureId::NoAadIdFound,
            "No AAD ID found for macOS user account <private>",
        );
        scenario.prefs.last_token_time = None;
        assert_eq!(scenario.run(detect).len(), 1);
    }

    #[test]
    fn no_aad_id_followed_by_success_is_not() {
        let scenario = Scenario::registered()
            .agent(
                "2026-11-19T09:00:00-05:00",
                SignatureId::NoAadIdFound,
                "No AAD ID found for macOS user account test.user",
            )
            .agent(
                "2026-11-19T10:00:00-05:00",
                SignatureId::AadIdAcquired,
                "AAD ID acquired for macOS user account test.user",
            );
        assert!(scenario.run(detect).is_empty());
    }
}
