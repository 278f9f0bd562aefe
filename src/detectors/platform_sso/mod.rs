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
        format!(
            "Have {user} click the \"Registration required\" notification and sign in. With a Focus mode on, the notification is hidden: turn Focus off first (its assertions are in ~/Library/DoNotDisturb/DB/Assertions.json)."
        ),
        format!(
            "No notification: as {user}, `pkill AppSSOAgent; app-sso -l` brings it back, or System Settings > Users & Groups > Network Account Server > Register."
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::super::run_all;
    use super::*;
    use crate::detectors::testing::Scenario;
    use crate::mac::registration::Registration;
    use crate::mac::registration::agent_status::AgentPssoStatus;
    use crate::mac::registration::platform_sso::PlatformSso;
    use crate::mac::sso_payload::MICROSOFT_SSO_EXTENSION;

    /// One account's state: Apple's user state, `registrationCompleted`,
    /// the agent's code, whether the agent ran.
    fn scenario(
        user_state: Option<&str>,
        completed: Option<bool>,
        agent: Option<u8>,
        agent_ran: bool,
    ) -> Scenario {
        let mut scenario = Scenario::registered();
        scenario.prefs.user_prefs_present = agent_ran;
        if !agent_ran {
            scenario.prefs.have_an_azure_id = None;
            scenario.prefs.last_token_time = None;
        }
        scenario.registration = Some(Registration {
            platform_sso: completed,
            platform_sso_state: Some(PlatformSso {
                recognised: true,
                configured: true,
                registration_completed: completed,
                extension_identifier: Some(MICROSOFT_SSO_EXTENSION.into()),
                user_state: user_state.map(String::from),
                ..PlatformSso::default()
            }),
            agent_psso_status: agent.map(|code| code == 2),
            agent_status: agent.map(|code| AgentPssoStatus {
                code: Some(code),
                ..AgentPssoStatus::default()
            }),
            ..Registration::default()
        });
        scenario
    }

    /// The Mac-path findings a scenario raises, by id.
    fn raised(scenario: &Scenario) -> Vec<&'static str> {
        let (facts, observations) = scenario.facts();
        let context = Context {
            facts: &facts,
            observations: &observations,
            now: scenario.now,
            from_a_bundle: false,
        };
        let mut ids: Vec<&'static str> = run_all(&context)
            .iter()
            .map(|f| f.id.as_str())
            .filter(|id| {
                id.starts_with("psso-")
                    || [
                        "compliance-not-sent",
                        "not-registered",
                        "registration-incomplete",
                        "aad-id-not-acquired",
                    ]
                    .contains(id)
            })
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn each_broken_cell_of_the_matrix_raises_its_one_finding() {
        let normal = Some("POUserStateNormal");
        for (user_state, completed, agent, agent_ran, expected) in [
            // Healthy cells raise nothing.
            (normal, Some(true), Some(2), true, vec![]),
            (normal, Some(true), None, true, vec![]),
            // Registered by Platform SSO, the agent never ran.
            (
                normal,
                Some(true),
                Some(2),
                false,
                vec!["compliance-not-sent"],
            ),
            (normal, Some(true), None, false, vec!["compliance-not-sent"]),
            // Waiting for the user.
            (
                Some("POUserStateNeedsRegistration"),
                Some(true),
                None,
                true,
                vec!["psso-registration-pending"],
            ),
            (
                None,
                Some(false),
                None,
                false,
                vec!["psso-registration-pending"],
            ),
            (None, None, Some(1), true, vec!["psso-registration-pending"]),
            // Keys lost; a repair needed (it comes before the rest).
            (
                Some("POUserStateNeedsNewKeys"),
                Some(true),
                Some(2),
                true,
                vec!["psso-needs-new-keys"],
            ),
            (normal, Some(true), Some(3), true, vec!["psso-needs-repair"]),
            (
                Some("POUserStateNeedsNewKeys"),
                Some(true),
                Some(3),
                false,
                vec!["psso-needs-repair"],
            ),
        ] {
            let scenario = scenario(user_state, completed, agent, agent_ran);
            assert_eq!(
                raised(&scenario),
                expected,
                "{user_state:?} {completed:?} {agent:?} ran {agent_ran}"
            );
        }
    }

    #[test]
    fn another_extension_is_no_platform_sso_path() {
        // Near miss: the same states under another SSO extension (and no
        // agent status) are not Microsoft's Platform SSO: nothing from here.
        let mut scenario = scenario(
            Some("POUserStateNeedsRegistration"),
            Some(false),
            None,
            true,
        );
        if let Some(state) = scenario
            .registration
            .as_mut()
            .and_then(|r| r.platform_sso_state.as_mut())
        {
            state.extension_identifier = Some("com.example.sso".into());
        }
        assert!(raised(&scenario).is_empty());
    }

    #[test]
    fn the_row_and_the_register_steps() {
        let scenario = scenario(Some("POUserStateNeedsNewKeys"), Some(true), Some(2), true);
        let (facts, _) = scenario.facts();
        let rows = row_evidence(&facts.account_row());
        assert_eq!(rows[0].value, "POUserStateNeedsNewKeys (1)");
        assert_eq!(rows[2].value, "2 EnabledAndRegistered");
    }
}
