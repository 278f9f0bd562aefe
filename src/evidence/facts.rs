//! The facts of one user's analysis: the account, what its preferences say,
//! what the log reading saw, and the values derived from them (the last
//! success). Detectors and renderers read them; nothing is copied twice.

use super::chain::DeviceChain;
use super::device::{DeviceIdentity, KnownTenant};
use super::observations::{Observations, Window};
use super::policies::PolicyEvidence;
use super::signins::{MatchedSignIn, SignInEvidence};
use super::store::EvidenceStore;
use crate::inputs::{InputRecord, InputState, LOG_INPUT};
use crate::mac::accounts::Account;
use crate::mac::jamf_connect::JamfConnect;
use crate::mac::log::SignatureId;
use crate::mac::prefs::{PrefsFacts, integration_name};
use crate::mac::registration::Registration;
use crate::mac::sso_logs::FileLogFacts;
use chrono::{DateTime, FixedOffset};
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
    /// The device the Mac presents to Entra ID, when the registration
    /// evidence names one.
    pub(crate) device: Option<DeviceIdentity>,
    /// With device exports: what the tenant's records say of that device.
    pub(crate) device_chain: Option<DeviceChain>,
    /// With device exports: how the chain was found when not by the Mac's
    /// own device ID, or why there is none.
    pub(crate) device_chain_note: Option<String>,
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
    /// Matched log entries dated before the window.
    pub(crate) entries_before_window: u64,
    /// Matched log entries in the window, any account's.
    pub(crate) entries_in_window: u64,
    /// Where the analysis clock came from, when not from `--now`.
    pub(crate) clock_note: Option<String>,
    /// The bundle analysed, when the evidence is a bundle's.
    pub(crate) bundle_note: Option<String>,
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
    /// What the account's SSO extension and Company Portal log files say
    /// besides their signatures (versions, the device they name).
    pub(crate) file_logs: FileLogFacts,
}

/// What was read of the Mac for one account before judging: the account,
/// its preferences, Jamf Connect's settings, the registration evidence and
/// every input looked at (in the order read).
#[derive(Clone, Debug)]
pub(crate) struct MacInputs {
    /// The macOS account analysed.
    pub(crate) account: Account,
    /// What the preference and bundle plists say.
    pub(crate) prefs: PrefsFacts,
    /// Preferences were looked for (false when only a log export was given).
    pub(crate) prefs_looked_for: bool,
    /// Jamf Connect's configuration; `None` when it is not in use.
    pub(crate) jamf_connect: Option<JamfConnect>,
    /// Registration evidence (live checks, or stored by a tick or a bundle).
    pub(crate) registration: Option<Registration>,
    /// The inputs read for this account (preferences, Jamf Connect).
    pub(crate) inputs: Vec<InputRecord>,
    /// The tenant whose registration is judged, when known (`--tenant-id`,
    /// Jamf Pro's integration, the exports).
    pub(crate) tenant: Option<KnownTenant>,
    /// What the account's Microsoft log files say besides their signatures.
    pub(crate) file_logs: FileLogFacts,
    /// The signature lines of those files, the account's own.
    pub(crate) file_evidence: EvidenceStore,
}

impl MacInputs {
    /// The device the Mac presents in the tenant judged (see
    /// [`DeviceIdentity::for_tenant`]).
    pub(crate) fn identity(&self) -> Option<DeviceIdentity> {
        self.registration
            .as_ref()
            .and_then(|r| DeviceIdentity::for_tenant(r, self.tenant.as_ref()))
    }
}

/// What the tenant's exports say of one account (`--signins`,
/// `--policies`); all empty without exports.
#[derive(Clone, Debug, Default)]
pub(crate) struct TenantFacts {
    /// Sign-ins whose correlation IDs this account's `invalid_grant` lines carry.
    pub(crate) correlated_sign_ins: Option<Vec<MatchedSignIn>>,
    /// The sign-ins of the account's Jamf Connect UPN in the window.
    pub(crate) own_sign_ins: Option<(String, SignInEvidence)>,
    /// The policies judged for the account's Jamf Connect.
    pub(crate) policies: Option<PolicyEvidence>,
    /// Why the policies were not audited for this account.
    pub(crate) policies_not_audited: Option<String>,
    /// With device exports: the chain of the Mac's device ID.
    pub(crate) device_chain: Option<DeviceChain>,
    /// How the chain was found when not by the Mac's device ID, or why
    /// there is none.
    pub(crate) device_chain_note: Option<String>,
    /// The exports read and what became of them (policies, then sign-ins,
    /// then the device records).
    pub(crate) inputs: Vec<InputRecord>,
}

/// What the run itself says about its evidence: why a saved state was not
/// used, and where the clock came from when no `--now` set it.
#[derive(Clone, Debug, Default)]
pub(crate) struct RunNotes {
    /// Why a saved state was not used, if it was not.
    pub(crate) state: Option<String>,
    /// Where the analysis clock came from (the log's last entry, a bundle).
    pub(crate) clock: Option<String>,
    /// The bundle analysed: its file, host and collection time.
    pub(crate) bundle: Option<String>,
}

/// How far after the clock a time may be before it counts as clock skew.
const SKEW_TOLERANCE: chrono::Duration = chrono::Duration::minutes(5);

impl Facts {
    /// The one way facts are made: what was read of the Mac for one account,
    /// what the tenant's exports say of it, the log totals and the
    /// observations of the window. The log's input records come first.
    pub(crate) fn new(
        mac: MacInputs,
        tenant: TenantFacts,
        mut log: LogTotals,
        observations: &Observations,
        window: Window,
        notes: RunNotes,
    ) -> Self {
        let device = mac.identity();
        let prefs = mac.prefs;
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
        let mut inputs = std::mem::take(&mut log.inputs);
        inputs.extend(mac.inputs);
        inputs.extend(tenant.inputs);
        Facts {
            account: mac.account,
            prefs,
            prefs_looked_for: mac.prefs_looked_for,
            last_success,
            last_success_source,
            window,
            log,
            device,
            device_chain: tenant.device_chain,
            device_chain_note: tenant.device_chain_note,
            registration: mac.registration,
            state_note: notes.state,
            clock_note: notes.clock,
            bundle_note: notes.bundle,
            inputs,
            other_accounts: observations.other_accounts.clone(),
            private_name_lines: observations.private_accounts,
            token_after_clock,
            entries_after_clock: observations.after_clock,
            entries_before_window: observations
                .outside_window
                .saturating_sub(observations.after_clock),
            entries_in_window: observations
                .signatures
                .values()
                .map(|stats| stats.count)
                .sum::<u64>()
                .saturating_add(observations.other_accounts.values().sum::<u64>()),
            correlated_sign_ins: tenant.correlated_sign_ins,
            jamf_connect: mac.jamf_connect,
            tenant_policies: tenant.policies,
            own_sign_ins: tenant.own_sign_ins,
            policies_not_audited: tenant.policies_not_audited,
            file_logs: mac.file_logs,
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

    /// Whether the log's matching entries all lie before the window: it
    /// says nothing of the Mac now.
    pub(crate) fn log_only_before_window(&self) -> bool {
        self.entries_in_window == 0 && self.entries_before_window > 0
    }

    /// Whether the user's agent preferences exist but could not be read.
    pub(crate) fn agent_prefs_unreadable(&self) -> bool {
        self.inputs.iter().any(|input| {
            input.what == crate::mac::prefs::USER_PREFS_INPUT
                && input.state == InputState::Unreadable
        })
    }

    /// Whether a registration check (Platform SSO, the agent's status, a
    /// keychain certificate) says the device is registered.
    pub(crate) fn registered(&self) -> bool {
        self.registration
            .as_ref()
            .is_some_and(|registration| registration.any_registered())
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
