//! The facts of one user's analysis: the account, what its preferences say,
//! what the log reading saw, and the values derived from them (the last
//! success). Detectors and renderers read them; nothing is copied twice.

use super::observations::{Observations, Window};
use super::policies::PolicyEvidence;
use super::signins::{MatchedSignIn, SignInEvidence};
use crate::inputs::{InputRecord, InputState, LOG_INPUT};
use crate::mac::accounts::Account;
use crate::mac::jamf_connect::JamfConnect;
use crate::mac::log::SignatureId;
use crate::mac::prefs::{PrefsFacts, integration_name};
use crate::mac::registration::Registration;
use chrono::{DateTime, FixedOffset};
use serde::ser::{Serialize, SerializeStruct, Serializer};
use std::collections::BTreeMap;

/// Where the last successful authentication was learnt from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum SuccessSource {
    /// `last_aad_token_timestamp` in the user's agent preferences.
    Preferences,
    /// An "AAD ID acquired" line in the unified log.
    Log,
}

/// Totals of the log inputs read.
#[derive(Clone, Debug, Default)]
pub(crate) struct LogTotals {
    /// Where the log came from: `log files`, `live log`, `state`, or empty.
    pub(crate) source: String,
    /// Why the read was incomplete.
    pub(crate) problems: Vec<String>,
    /// Entries framed.
    pub(crate) entries: u64,
    /// Entries with a signature.
    pub(crate) matched: u64,
    /// Bytes read.
    pub(crate) bytes: u64,
    /// Style of each input.
    pub(crate) styles: Vec<String>,
    /// One record per log input.
    pub(crate) inputs: Vec<InputRecord>,
    /// The live `log show` was stopped at its time limit (seconds).
    pub(crate) time_limit_hit: Option<u64>,
    /// Inputs that hold bytes but no entry in any `log show` style.
    pub(crate) unrecognised: Vec<String>,
}

impl LogTotals {
    /// Whether the log could not be used: `log show` failed or was cut, or
    /// no input was in a known style.
    pub(crate) fn unusable(&self) -> bool {
        !self.problems.is_empty() || (!self.unrecognised.is_empty() && self.entries == 0)
    }

    /// Where the log evidence came from, `none` when no log was read.
    pub(crate) fn source_name(&self) -> &str {
        if self.source.is_empty() {
            "none"
        } else {
            &self.source
        }
    }
}

/// The facts shown with every verdict.
#[derive(Clone, Debug)]
pub(crate) struct Facts {
    /// The macOS account analysed.
    pub(crate) account: Account,
    /// What the preference and bundle plists say.
    pub(crate) prefs: PrefsFacts,
    /// Preferences were looked for (false when only a log export was given).
    pub(crate) prefs_looked_for: bool,
    /// Latest successful authentication known from any source.
    pub(crate) last_success: Option<DateTime<FixedOffset>>,
    /// Where `last_success` came from.
    pub(crate) last_success_source: Option<SuccessSource>,
    /// The window of log time analysed.
    pub(crate) window: Window,
    /// What the log reading saw (its input records are in `inputs`).
    pub(crate) log: LogTotals,
    /// Registration evidence (live checks, or stored by a tick or a bundle).
    pub(crate) registration: Option<Registration>,
    /// Why a saved state was not used, if it was not.
    pub(crate) state_note: Option<String>,
    /// Every input looked at and what became of it, the log's first.
    pub(crate) inputs: Vec<InputRecord>,
    /// Log lines naming another macOS account, set aside, by account.
    pub(crate) other_accounts: BTreeMap<String, u64>,
    /// Log lines naming a `<private>` account, counted for this user.
    pub(crate) private_name_lines: u64,
    /// `last_aad_token_timestamp` when it is after the analysis clock.
    pub(crate) token_after_clock: Option<DateTime<FixedOffset>>,
    /// Matched log entries dated after the analysis clock.
    pub(crate) entries_after_clock: u64,
    /// Sign-ins (from `--signins` exports) whose correlation IDs the Mac
    /// logged with `invalid_grant`; `None` when no export was given.
    pub(crate) correlated_sign_ins: Option<Vec<MatchedSignIn>>,
    /// Jamf Connect's configuration; `None` when it is not in use.
    pub(crate) jamf_connect: Option<JamfConnect>,
    /// With `--signins` and Jamf Connect's UPN: that user's sign-ins in the
    /// window (the UPN, and the evidence folded from them).
    pub(crate) own_sign_ins: Option<(String, SignInEvidence)>,
    /// With `--policies`: the tenant's policies judged for this user's Jamf
    /// Connect; `None` without exports or without Jamf Connect.
    pub(crate) tenant_policies: Option<PolicyEvidence>,
    /// With `--policies`: why they were not audited for this user.
    pub(crate) policies_not_audited: Option<String>,
}

/// How far after the clock a time may be before it counts as clock skew.
const SKEW_TOLERANCE: chrono::Duration = chrono::Duration::minutes(5);

impl Facts {
    /// Combines the account, its preferences, the log totals and the
    /// observations; `inputs` are the non-log inputs read for this user.
    pub(crate) fn new(
        account: Account,
        prefs: PrefsFacts,
        mut log: LogTotals,
        observations: &Observations,
        window: Window,
        inputs: Vec<InputRecord>,
    ) -> Self {
        let token_time = prefs
            .last_token_time
            .map(|t| t.with_timezone(&window.end.timezone()));
        // A token time after the clock is clock skew, not a recent sign-in.
        let token_after_clock = token_time.filter(|t| *t > window.end + SKEW_TOLERANCE);
        let token_time = token_time.filter(|_| token_after_clock.is_none());
        let from_log = observations.last(SignatureId::AadIdAcquired);
        let (last_success, last_success_source) = match (token_time, from_log) {
            (Some(p), Some(l)) if l > p => (Some(l), Some(SuccessSource::Log)),
            (Some(p), _) => (Some(p), Some(SuccessSource::Preferences)),
            (None, Some(l)) => (Some(l), Some(SuccessSource::Log)),
            (None, None) => (None, None),
        };
        let mut all_inputs = std::mem::take(&mut log.inputs);
        all_inputs.extend(inputs);
        Facts {
            account,
            prefs,
            prefs_looked_for: true,
            last_success,
            last_success_source,
            window,
            log,
            registration: None,
            state_note: None,
            inputs: all_inputs,
            other_accounts: observations.other_accounts.clone(),
            private_name_lines: observations.private_accounts,
            token_after_clock,
            entries_after_clock: observations.after_clock,
            correlated_sign_ins: None,
            jamf_connect: None,
            tenant_policies: None,
            own_sign_ins: None,
            policies_not_audited: None,
        }
    }

    /// Log lines set aside because they name another account.
    pub(crate) fn lines_of_other_accounts(&self) -> u64 {
        self.other_accounts.values().sum()
    }

    /// The account's short name.
    pub(crate) fn user(&self) -> &str {
        self.account.name.as_str()
    }

    /// `last_aad_token_timestamp`, in the analysis clock's offset, unless it
    /// is after the clock (see `token_after_clock`).
    pub(crate) fn last_token_timestamp(&self) -> Option<DateTime<FixedOffset>> {
        self.prefs
            .last_token_time
            .map(|t| t.with_timezone(&self.window.end.timezone()))
            .filter(|_| self.token_after_clock.is_none())
    }

    /// The integration the configured Entra app ID means.
    pub(crate) fn integration(&self) -> Option<&'static str> {
        self.prefs
            .integration_app_id
            .as_deref()
            .map(|id| integration_name(id).unwrap_or("unknown app ID"))
    }

    /// Inputs that exist but could not be read.
    pub(crate) fn unreadable_inputs(&self) -> impl Iterator<Item = &InputRecord> {
        self.inputs
            .iter()
            .filter(|i| i.state == InputState::Unreadable)
    }

    /// Whether anything usable was read at all: preferences, Jamf files, or
    /// log entries.
    pub(crate) fn anything_usable(&self) -> bool {
        self.log.entries > 0
            || self
                .inputs
                .iter()
                .any(|i| i.state == InputState::Read && i.what != LOG_INPUT)
    }
}

/// The `facts` object of the JSON report: its field names and order are part
/// of the interface.
impl Serialize for Facts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let prefs = &self.prefs;
        let mut out = serializer.serialize_struct("Facts", 29)?;
        out.serialize_field("user", self.user())?;
        out.serialize_field("user_chosen_by", self.account.chosen_by.describe())?;
        out.serialize_field("home", &self.account.home.display().to_string())?;
        out.serialize_field("home_source", &self.account.home_source)?;
        out.serialize_field("user_prefs_present", &prefs.user_prefs_present)?;
        out.serialize_field("prefs_looked_for", &self.prefs_looked_for)?;
        out.serialize_field("have_an_azure_id", &prefs.have_an_azure_id)?;
        out.serialize_field("last_success", &self.last_success)?;
        out.serialize_field("last_success_source", &self.last_success_source)?;
        out.serialize_field("last_token_timestamp", &self.last_token_timestamp())?;
        out.serialize_field("jamf_pro_version", &prefs.jamf_pro_version_text)?;
        out.serialize_field("macos_version", &prefs.macos_version_text)?;
        out.serialize_field("microsoft_ca_enabled", &prefs.microsoft_ca_enabled)?;
        out.serialize_field("integration_app_id", &prefs.integration_app_id)?;
        out.serialize_field("integration", &self.integration())?;
        out.serialize_field("managed_agent_prefs", &prefs.managed_agent_prefs)?;
        out.serialize_field("window", &self.window)?;
        out.serialize_field("entries_read", &self.log.entries)?;
        out.serialize_field("entries_matched", &self.log.matched)?;
        out.serialize_field("log_bytes", &self.log.bytes)?;
        out.serialize_field("log_styles", &self.log.styles)?;
        out.serialize_field("log_source", self.log.source_name())?;
        out.serialize_field("log_problems", &self.log.problems)?;
        out.serialize_field("registration", &self.registration)?;
        out.serialize_field("state_note", &self.state_note)?;
        out.serialize_field("inputs", &self.inputs)?;
        out.serialize_field("lines_of_other_accounts", &self.lines_of_other_accounts())?;
        out.serialize_field("other_accounts", &self.other_accounts)?;
        out.serialize_field("private_name_lines", &self.private_name_lines)?;
        out.serialize_field("token_after_clock", &self.token_after_clock)?;
        out.serialize_field("entries_after_clock", &self.entries_after_clock)?;
        if let Some(matched) = &self.correlated_sign_ins {
            out.serialize_field("correlated_sign_ins", matched)?;
        }
        if let Some(jamf_connect) = &self.jamf_connect {
            out.serialize_field("jamf_connect", jamf_connect)?;
        }
        if let Some((upn, evidence)) = &self.own_sign_ins {
            out.serialize_field(
                "own_sign_ins",
                &OwnSignIns {
                    upn,
                    records: evidence.records,
                    outcomes: evidence
                        .outcomes
                        .iter()
                        .map(|(outcome, n)| (outcome.name(), *n))
                        .collect(),
                },
            )?;
        }
        if let Some(policies) = &self.tenant_policies {
            out.serialize_field("tenant_policies", &PoliciesSummary::of(policies))?;
        } else if let Some(why) = &self.policies_not_audited {
            out.serialize_field("tenant_policies", &PoliciesSummary::skipped(why))?;
        }
        out.end()
    }
}

/// The user's own sign-ins in the facts: how many and their outcomes.
#[derive(serde::Serialize)]
struct OwnSignIns<'a> {
    upn: &'a str,
    records: u64,
    outcomes: BTreeMap<&'static str, u64>,
}

/// The policy audit in the facts: what was read and what reaches Jamf Connect.
#[derive(serde::Serialize)]
struct PoliciesSummary<'a> {
    audited: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_audited_because: Option<&'a str>,
    policies_read: usize,
    reaching_jamf_connect: Vec<&'a str>,
    jamf_connect_apps: &'a [String],
    default_scopes_only: bool,
}

impl<'a> PoliciesSummary<'a> {
    fn of(evidence: &'a PolicyEvidence) -> Self {
        PoliciesSummary {
            audited: true,
            not_audited_because: None,
            policies_read: evidence.policies.len(),
            reaching_jamf_connect: evidence
                .policies
                .iter()
                .filter(|(_, reach)| reach.reaches)
                .map(|(policy, _)| policy.name.as_str())
                .collect(),
            jamf_connect_apps: &evidence.jamf_connect_apps,
            default_scopes_only: evidence.default_scopes_only,
        }
    }

    fn skipped(why: &'a str) -> Self {
        PoliciesSummary {
            audited: false,
            not_audited_because: Some(why),
            policies_read: 0,
            reaching_jamf_connect: Vec::new(),
            jamf_connect_apps: &[],
            default_scopes_only: false,
        }
    }
}
