//! The facts of an analysis: what was read from preferences and the log,
//! combined into the values the detectors and the report use.

use crate::log::SignatureId;
use crate::observations::{Observations, Window};
use crate::sources::prefs::{PrefsFacts, integration_name};
use crate::sources::registration::Registration;
use crate::sources::{InputRecord, InputState};
use crate::version::Version;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;

/// Who is analysed and where their files are, for the facts.
#[derive(Clone, Debug, Default)]
pub struct AccountFacts {
    /// Short name.
    pub user: String,
    /// How it was chosen.
    pub chosen_by: String,
    /// Home folder as the Mac sees it.
    pub home: String,
    /// Where the home folder came from.
    pub home_source: String,
}

impl AccountFacts {
    /// An account named on the command line, home assumed `/Users/<name>`.
    pub fn assumed(user: &str) -> Self {
        AccountFacts {
            user: user.to_string(),
            chosen_by: "--user".to_string(),
            home: format!("/Users/{user}"),
            home_source: "assumed".to_string(),
        }
    }
}

/// Where the last successful authentication was learnt from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuccessSource {
    /// `last_aad_token_timestamp` in the user's agent preferences.
    Preferences,
    /// An "AAD ID acquired" line in the unified log.
    Log,
}

/// The facts shown with every verdict.
#[derive(Clone, Debug, Serialize)]
pub struct Facts {
    /// The macOS account analysed.
    pub user: String,
    /// How that account was chosen (`--user`, console user, last user, all users).
    pub user_chosen_by: String,
    /// The account's home folder, as the Mac sees it.
    pub home: String,
    /// Where the home folder came from.
    pub home_source: String,
    /// The user's agent preferences exist and were read.
    pub user_prefs_present: bool,
    /// Preferences were looked for (false when only a log export was given).
    pub prefs_looked_for: bool,
    /// `have_an_Azure_id` from the user's agent preferences.
    pub have_an_azure_id: Option<bool>,
    /// Latest successful authentication known from any source.
    pub last_success: Option<DateTime<FixedOffset>>,
    /// Where `last_success` came from.
    pub last_success_source: Option<SuccessSource>,
    /// `last_aad_token_timestamp`, when it holds a real time.
    pub last_token_timestamp: Option<DateTime<FixedOffset>>,
    /// Jamf Pro (framework) version as written.
    pub jamf_pro_version: Option<String>,
    /// macOS version as written.
    pub macos_version: Option<String>,
    /// Whether the Microsoft CA integration is switched on for the computer.
    pub microsoft_ca_enabled: Option<bool>,
    /// Entra app the agent authenticates against.
    pub integration_app_id: Option<String>,
    /// The integration that app ID means.
    pub integration: Option<String>,
    /// Managed preferences of the agent, as text.
    pub managed_agent_prefs: std::collections::BTreeMap<String, String>,
    /// The window of log time analysed.
    pub window: Window,
    /// Log entries read (all of them, matched or not).
    pub entries_read: u64,
    /// Log entries that matched a signature.
    pub entries_matched: u64,
    /// Bytes of log read.
    pub log_bytes: u64,
    /// Styles of the log inputs, in input order.
    pub log_styles: Vec<String>,
    /// Where the log evidence came from: `log files`, `live log`, `state` or `none`.
    pub log_source: String,
    /// Why the log read was incomplete, if it was.
    pub log_problems: Vec<String>,
    /// Registration evidence (live checks only).
    pub registration: Option<Registration>,
    /// Why a saved state was not used, if it was not.
    pub state_note: Option<String>,
    /// Every input looked at and what became of it.
    pub inputs: Vec<InputRecord>,
    #[serde(skip)]
    jamf_version: Option<Version>,
    #[serde(skip)]
    macos: Option<Version>,
}

/// Totals of the log inputs read.
#[derive(Clone, Debug, Default)]
pub struct LogTotals {
    /// Where the log came from (see [`Facts::log_source`]).
    pub source: String,
    /// Why the read was incomplete.
    pub problems: Vec<String>,
    /// Entries framed.
    pub entries: u64,
    /// Entries with a signature.
    pub matched: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Style of each input.
    pub styles: Vec<String>,
    /// One record per log input.
    pub inputs: Vec<InputRecord>,
}

impl Facts {
    /// Combines preference facts, log totals and observations.
    pub fn new(
        account: &AccountFacts,
        prefs: PrefsFacts,
        log: LogTotals,
        observations: &Observations,
        window: Window,
        inputs: Vec<InputRecord>,
    ) -> Self {
        let offset = window.end.timezone();
        let token_time = prefs.last_token_time.map(|t| t.with_timezone(&offset));
        let from_log = observations.last(SignatureId::AadIdAcquired);
        let (last_success, last_success_source) = match (token_time, from_log) {
            (Some(p), Some(l)) if l > p => (Some(l), Some(SuccessSource::Log)),
            (Some(p), _) => (Some(p), Some(SuccessSource::Preferences)),
            (None, Some(l)) => (Some(l), Some(SuccessSource::Log)),
            (None, None) => (None, None),
        };
        let integration = prefs
            .integration_app_id
            .as_deref()
            .map(|id| integration_name(id).unwrap_or("unknown app ID").to_string());
        Facts {
            user: account.user.clone(),
            user_chosen_by: account.chosen_by.clone(),
            home: account.home.clone(),
            home_source: account.home_source.clone(),
            user_prefs_present: prefs.user_prefs_present,
            prefs_looked_for: true,
            have_an_azure_id: prefs.have_an_azure_id,
            last_success,
            last_success_source,
            last_token_timestamp: token_time,
            jamf_pro_version: prefs.jamf_pro_version_text,
            macos_version: prefs.macos_version_text,
            microsoft_ca_enabled: prefs.microsoft_ca_enabled,
            integration_app_id: prefs.integration_app_id,
            integration,
            managed_agent_prefs: prefs.managed_agent_prefs,
            window,
            entries_read: log.entries,
            entries_matched: log.matched,
            log_bytes: log.bytes,
            log_styles: log.styles,
            log_source: if log.source.is_empty() {
                "none".to_string()
            } else {
                log.source
            },
            log_problems: log.problems,
            registration: None,
            state_note: None,
            inputs,
            jamf_version: prefs.jamf_pro_version,
            macos: prefs.macos_version,
        }
    }

    /// Parsed Jamf Pro version.
    pub fn jamf_version(&self) -> Option<Version> {
        self.jamf_version
    }

    /// Parsed macOS version.
    pub fn macos(&self) -> Option<Version> {
        self.macos
    }

    /// Inputs that exist but could not be read.
    pub fn unreadable_inputs(&self) -> impl Iterator<Item = &InputRecord> {
        self.inputs
            .iter()
            .filter(|i| i.state == InputState::Unreadable)
    }

    /// Whether anything usable was read at all: preferences, Jamf files, or
    /// log entries.
    pub fn anything_usable(&self) -> bool {
        self.entries_read > 0
            || self
                .inputs
                .iter()
                .any(|i| i.state == InputState::Read && i.what != crate::analysis::LOG_INPUT)
    }
}
