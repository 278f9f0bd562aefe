//! The registration evidence gathered: each check run as its account with
//! its time limit (or its answer read from a bundle's copy), and every
//! answer read into one registration.

use super::{agent_status, certificate, platform_sso};
use crate::mac::accounts::Account;
use crate::mac::runner::{CommandRunner, MacCommand, RunOptions, args};
use crate::util::version::Version;
use agent_status::AgentPssoStatus;
use certificate::DeviceCertificate;
use platform_sso::PlatformSso;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Jamf Pro version that added the agent's `getPSSOStatus` verb.
pub(crate) const JAMF_PSSO_STATUS_VERB: Version = Version::new(11, 21, 1);
/// Time limit of each registration check.
const CHECK_TIMEOUT: Duration = Duration::from_secs(15);
/// `security`'s exit status for "item not found".
const SECURITY_NOT_FOUND: i32 = 44;

/// Which registration command a check ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum CheckKind {
    /// `app-sso platform -s`.
    PlatformSso,
    /// The agent's `getPSSOStatus`.
    AgentStatus,
    /// `security find-certificate -a -p` of the login keychain.
    Keychain,
}

impl CheckKind {
    /// The check's name in reports and bundles.
    pub(crate) const fn label(self) -> &'static str {
        match self {
            CheckKind::PlatformSso => "Platform SSO (app-sso platform -s)",
            CheckKind::AgentStatus => "agent getPSSOStatus",
            CheckKind::Keychain => "login keychain certificates",
        }
    }

    /// The file a bundle keeps the check's answer in.
    pub(crate) const fn bundle_file(self) -> &'static str {
        match self {
            CheckKind::PlatformSso => "platform-sso.txt",
            CheckKind::AgentStatus => "agent-psso-status.txt",
            CheckKind::Keychain => "device-certificates.pem",
        }
    }
}

/// One check and how it went.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct CheckRecord {
    /// What was checked.
    pub(crate) check: String,
    /// Which command it was (absent in older states and bundles).
    #[serde(default)]
    pub(crate) kind: Option<CheckKind>,
    /// `true`/`false` when it answered.
    pub(crate) registered: Option<bool>,
    /// How it ran (`ok`, or why it failed).
    pub(crate) outcome: String,
    /// What the command printed (for diagnostic bundles; not kept in the state).
    #[serde(skip)]
    pub(crate) output: String,
}

impl CheckRecord {
    /// Whether the command answered (its output means something).
    pub(crate) fn answered(&self) -> bool {
        self.outcome.starts_with("ok")
    }
}

/// What the registration checks found.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Registration {
    /// Platform SSO registration (`app-sso platform -s`).
    pub(crate) platform_sso: Option<bool>,
    /// The agent's `getPSSOStatus` says the device is registered.
    pub(crate) agent_psso_status: Option<bool>,
    /// A device certificate (`MS-Organization-Access`) in the login keychain.
    pub(crate) workplace_join_certificate: Option<bool>,
    /// Platform SSO's state, read.
    #[serde(default)]
    pub(crate) platform_sso_state: Option<PlatformSso>,
    /// The agent's status, read.
    #[serde(default)]
    pub(crate) agent_status: Option<AgentPssoStatus>,
    /// The device certificates of the login keychain, newest first.
    #[serde(default)]
    pub(crate) keychain_certificates: Vec<DeviceCertificate>,
    /// The same, as PEM blocks (public certificates, for bundles).
    #[serde(skip)]
    pub(crate) keychain_pem: Vec<String>,
    /// Keychain entries that could not be read as certificates.
    #[serde(default)]
    pub(crate) keychain_problems: Vec<String>,
    /// Every check run.
    pub(crate) checks: Vec<CheckRecord>,
    /// The device the SSO extension's own log last named in the window
    /// (read with the account's log files, not by a check).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) logged_device: Option<crate::mac::sso_logs::LoggedDevice>,
}

impl Registration {
    /// Whether any check, or the SSO extension's own log, says the device
    /// is registered with Entra ID.
    pub(crate) fn any_registered(&self) -> bool {
        [
            self.platform_sso,
            self.agent_psso_status,
            self.workplace_join_certificate,
        ]
        .contains(&Some(true))
            || self.logged_device.is_some()
    }

    /// Reads the answers of `checks` (each with its output): the one
    /// reading of the registration commands, on the Mac and from a bundle.
    pub(crate) fn from_checks(mut checks: Vec<CheckRecord>) -> Registration {
        let mut registration = Registration::default();
        for check in &mut checks {
            let Some(kind) = check.kind else { continue };
            if !check.answered() {
                continue;
            }
            match kind {
                CheckKind::PlatformSso => {
                    let state = platform_sso::parse(&check.output);
                    if state.recognised {
                        registration.platform_sso = Some(state.registered());
                        registration.platform_sso_state = Some(state);
                    }
                    check.registered = registration.platform_sso;
                }
                CheckKind::AgentStatus => {
                    let status = agent_status::parse(&check.output);
                    registration.agent_psso_status = Some(status.registered());
                    registration.agent_status = Some(status);
                    check.registered = registration.agent_psso_status;
                }
                CheckKind::Keychain => {
                    let listing = certificate::from_pem_listing(&check.output);
                    registration.workplace_join_certificate = Some(!listing.device.is_empty());
                    registration.keychain_certificates = listing.device;
                    registration.keychain_pem = listing.pem;
                    registration.keychain_problems = listing.unreadable;
                    check.registered = registration.workplace_join_certificate;
                }
            }
        }
        registration.checks = checks;
        registration
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
    let options = RunOptions {
        as_user,
        ..RunOptions::with_timeout(CHECK_TIMEOUT)
    };
    let record = |kind: CheckKind, outcome: crate::mac::runner::CommandOutcome| {
        // `security` says "not found" with its own status: an answer.
        let not_found = kind == CheckKind::Keychain && outcome.status == Some(SECURITY_NOT_FOUND);
        CheckRecord {
            check: kind.label().to_string(),
            kind: Some(kind),
            registered: None,
            outcome: if not_found {
                "ok (not found)".to_string()
            } else {
                outcome.describe()
            },
            output: if not_found {
                String::new()
            } else {
                outcome.stdout_text() + &outcome.stderr
            },
        }
    };
    let mut checks = vec![record(
        CheckKind::PlatformSso,
        runner.run(MacCommand::AppSso, &args(&["platform", "-s"]), &options),
    )];
    if jamf_version.is_some_and(|v| v >= JAMF_PSSO_STATUS_VERB) {
        checks.push(record(
            CheckKind::AgentStatus,
            runner.run(MacCommand::Agent, &args(&["getPSSOStatus"]), &options),
        ));
    }
    let keychain = account.home.join("Library/Keychains/login.keychain-db");
    checks.push(record(
        CheckKind::Keychain,
        runner.run(
            MacCommand::Security,
            &[
                "find-certificate".into(),
                "-a".into(),
                "-p".into(),
                keychain.into_os_string(),
            ],
            &RunOptions::with_timeout(CHECK_TIMEOUT),
        ),
    ));
    Registration::from_checks(checks)
}
