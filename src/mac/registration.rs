//! Registration evidence beyond the agent's preferences, each optional:
//! Platform SSO (`app-sso platform -s`, run as the user), the agent's own
//! `getPSSOStatus` (Jamf Pro 11.21.1 and later), and the legacy Workplace
//! Join certificate `MS-ORGANIZATION-ACCESS` in the user's login keychain.
//! A failing or missing command is recorded, never fatal.

use super::accounts::Account;
use super::runner::{CommandRunner, MacCommand, RunOptions, args};
use crate::util::version::Version;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Jamf Pro version that added the agent's `getPSSOStatus` verb.
pub(crate) const JAMF_PSSO_STATUS_VERB: Version = Version::new(11, 21, 1);
/// Time limit of each registration check.
const CHECK_TIMEOUT: Duration = Duration::from_secs(15);

/// One check and how it went.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct CheckRecord {
    /// What was checked.
    pub(crate) check: String,
    /// `true`/`false` when it answered.
    pub(crate) registered: Option<bool>,
    /// How it ran (`ok`, or why it failed).
    pub(crate) outcome: String,
    /// What the command printed (for diagnostic bundles; not kept in the state).
    #[serde(skip)]
    pub(crate) output: String,
}

/// What the registration checks found.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Registration {
    /// Platform SSO registration (`app-sso platform -s`).
    pub(crate) platform_sso: Option<bool>,
    /// The agent's `getPSSOStatus` says the device is registered.
    pub(crate) agent_psso_status: Option<bool>,
    /// `MS-ORGANIZATION-ACCESS` certificate in the login keychain.
    pub(crate) workplace_join_certificate: Option<bool>,
    /// Every check run.
    pub(crate) checks: Vec<CheckRecord>,
}

impl Registration {
    /// Whether any check says the device is registered with Entra ID.
    pub(crate) fn any_registered(&self) -> bool {
        [
            self.platform_sso,
            self.agent_psso_status,
            self.workplace_join_certificate,
        ]
        .contains(&Some(true))
    }
}

/// Runs the checks for `account`.
pub(crate) fn check(
    runner: &CommandRunner,
    account: &Account,
    jamf_version: Option<Version>,
) -> Registration {
    let as_user = match (account.uid, account.gid) {
        (Some(uid), Some(gid)) => Some((uid, gid)),
        _ => None,
    };
    let mut registration = Registration::default();

    let options = RunOptions {
        as_user,
        ..RunOptions::with_timeout(CHECK_TIMEOUT)
    };
    let outcome = runner.run(MacCommand::AppSso, &args(&["platform", "-s"]), &options);
    registration.platform_sso = outcome
        .succeeded()
        .then(|| parse_platform_sso(&outcome.stdout_text()))
        .flatten();
    registration.checks.push(CheckRecord {
        check: "Platform SSO (app-sso platform -s)".to_string(),
        registered: registration.platform_sso,
        outcome: outcome.describe(),
        output: outcome.stdout_text() + &outcome.stderr,
    });

    if jamf_version.is_some_and(|v| v >= JAMF_PSSO_STATUS_VERB) {
        let outcome = runner.run(MacCommand::Agent, &args(&["getPSSOStatus"]), &options);
        registration.agent_psso_status = outcome.succeeded().then(|| {
            outcome
                .stdout_text()
                .contains("primary_registration_metadata_device_id")
        });
        registration.checks.push(CheckRecord {
            check: "agent getPSSOStatus".to_string(),
            registered: registration.agent_psso_status,
            outcome: outcome.describe(),
            output: outcome.stdout_text() + &outcome.stderr,
        });
    }

    let keychain = account.home.join("Library/Keychains/login.keychain-db");
    let outcome = runner.run(
        MacCommand::Security,
        &[
            "find-certificate".into(),
            "-c".into(),
            "MS-ORGANIZATION-ACCESS".into(),
            keychain.into_os_string(),
        ],
        &RunOptions::with_timeout(CHECK_TIMEOUT),
    );
    registration.workplace_join_certificate = if outcome.succeeded() {
        Some(outcome.stdout_text().contains("MS-ORGANIZATION-ACCESS"))
    } else if outcome.status == Some(44) {
        // security's "item not found".
        Some(false)
    } else {
        None
    };
    registration.checks.push(CheckRecord {
        check: "Workplace Join certificate (MS-ORGANIZATION-ACCESS)".to_string(),
        registered: registration.workplace_join_certificate,
        outcome: if outcome.status == Some(44) {
            "ok (not found)".to_string()
        } else {
            outcome.describe()
        },
        output: outcome.stdout_text() + &outcome.stderr,
    });
    registration
}

/// Reads the registration state from `app-sso platform -s`: the first line
/// naming a registration with a `true`/`false` value (the exact key varies
/// between macOS versions).
pub(crate) fn parse_platform_sso(output: &str) -> Option<bool> {
    output
        .lines()
        .filter(|line| line.to_ascii_lowercase().contains("registration"))
        .find_map(|line| {
            let lower = line.to_ascii_lowercase();
            let value = lower
                .rsplit([':', '='])
                .next()?
                .trim()
                .trim_end_matches([',', ';'])
                .trim_matches('"');
            match value {
                "true" | "yes" | "1" => Some(true),
                "false" | "no" | "0" => Some(false),
                _ => None,
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_sso_output_forms() {
        assert_eq!(
            parse_platform_sso("Device Configuration:\n  registrationCompleted : true\n"),
            Some(true)
        );
        assert_eq!(
            parse_platform_sso("{\n \"registrationCompleted\" : false,\n}"),
            Some(false)
        );
        assert_eq!(parse_platform_sso("registration = 1;"), Some(true));
        assert_eq!(parse_platform_sso("nothing here"), None);
    }
}
