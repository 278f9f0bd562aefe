//! Detectors: small pure functions from facts and observations to findings.
//! One concern per file; each finding has a typed ID, a severity, evidence
//! and numbered next steps that depend on the Jamf Pro and macOS versions.

pub(crate) mod aad_id_not_acquired;
pub(crate) mod appsso_not_appsso_url;
pub(crate) mod clock_skew;
pub(crate) mod correlated_sign_ins;
pub(crate) mod deactivated;
pub(crate) mod device;
pub(crate) mod device_certificate_expiring;
pub(crate) mod duplicate_msal_accounts;
pub(crate) mod input_unreadable;
pub(crate) mod interactive_auth_failed;
pub(crate) mod invalid_grant;
pub(crate) mod jamf_connect_auth_failed;
pub(crate) mod jamf_connect_config_invalid;
pub(crate) mod jamf_connect_default_scopes;
pub(crate) mod jamf_connect_network_check;
pub(crate) mod jamf_connect_password_out_of_sync;
pub(crate) mod jamf_connect_ropg_mismatch;
pub(crate) mod log_incomplete;
pub(crate) mod log_unrecognised;
pub(crate) mod not_in_applicable_group;
pub(crate) mod not_registered;
pub(crate) mod own_sign_ins;
pub(crate) mod platform_sso;
pub(crate) mod policies;
pub(crate) mod recurring_auth_removed;
pub(crate) mod registration_incomplete;
pub(crate) mod signins;
pub(crate) mod silent_auth_failed;
pub(crate) mod sso_extension;
pub(crate) mod state_discarded;
pub(crate) mod tenant_policies;
pub(crate) mod token_cache_unwritable;
pub(crate) mod token_stale;
pub(crate) mod wrong_registration_app;

use crate::evidence::facts::Facts;
use crate::evidence::observations::{Observations, SignatureStats};
use crate::findings::{EvidenceRow, Finding};
use crate::util::time::format_local;
use chrono::{DateTime, FixedOffset};

/// What every detector looks at.
pub(crate) struct Context<'a> {
    /// Facts from preferences and the log.
    pub(crate) facts: &'a Facts,
    /// Evidence folded from the log.
    pub(crate) observations: &'a Observations,
    /// The analysis clock.
    pub(crate) now: DateTime<FixedOffset>,
    /// The evidence comes from a bundle or an export analysed elsewhere, not
    /// from this Mac: advice names `collect` and `analyze`, not `check`.
    pub(crate) from_a_bundle: bool,
}

impl Context<'_> {
    /// Formats a time in the analysis clock's offset.
    pub(crate) fn time(&self, time: DateTime<FixedOffset>) -> String {
        format_local(time, self.now.timezone())
    }

    /// Count, first and last time, per-day counts and sample lines of a signature.
    pub(crate) fn stats_evidence(&self, stats: &SignatureStats) -> Vec<EvidenceRow> {
        let per_day = stats
            .per_day
            .iter()
            .map(|(day, count)| format!("{day}: {count}"))
            .collect();
        vec![
            EvidenceRow::count("count", stats.count).with_items(per_day),
            EvidenceRow::new("first seen", self.time(stats.first)),
            EvidenceRow::new("last seen", self.time(stats.last)),
            EvidenceRow::new("sample lines", format!("{} kept", stats.samples.len()))
                .with_items(stats.samples.iter().map(|s| s.line.clone()).collect()),
        ]
    }

    /// Like `stats_evidence`, with a `messages` row after the count: each
    /// detail the signature's lines were grouped by, with its count.
    pub(crate) fn stats_evidence_with_messages(&self, stats: &SignatureStats) -> Vec<EvidenceRow> {
        let mut evidence = self.stats_evidence(stats);
        let messages = stats
            .details
            .iter()
            .map(|(detail, tally)| format!("{detail}: {}", tally.count))
            .collect::<Vec<_>>()
            .join(", ");
        evidence.insert(1, EvidenceRow::new("messages", messages));
        evidence
    }

    /// The agent command a person runs as the user to re-register or
    /// re-authenticate, in backticks (renderers show it as code).
    pub(crate) fn agent_command(&self, verb: &str) -> String {
        format!(
            "`launchctl asuser \"$(id -u {user})\" sudo -u {user} \"/Library/Application Support/JAMF/Jamf.app/Contents/MacOS/Jamf Conditional Access.app/Contents/MacOS/Jamf Conditional Access\" {verb}`",
            user = self.facts.user()
        )
    }

    /// How to run ca-doctor again to confirm a fix: `check` on the Mac, or a
    /// new bundle when the analysis is of a bundle.
    pub(crate) fn run_again(&self) -> &'static str {
        if self.from_a_bundle {
            "collect a new bundle on the Mac (`sudo ca-doctor collect`) and analyse it"
        } else {
            "run `sudo ca-doctor check` again"
        }
    }
}

/// Every detector, in report order.
pub(crate) const DETECTORS: &[fn(&Context) -> Vec<Finding>] = &[
    deactivated::detect,
    wrong_registration_app::detect,
    sso_extension::registered_outside_jamf::detect,
    not_in_applicable_group::detect,
    platform_sso::needs_repair::detect,
    platform_sso::needs_new_keys::detect,
    platform_sso::registration_pending::detect,
    platform_sso::compliance_not_sent::detect,
    sso_extension::not_registered_in_tenant::detect,
    sso_extension::workplace_join_required::detect,
    sso_extension::config_unreadable::detect,
    sso_extension::version_conflict::detect,
    sso_extension::browser_not_supported::detect,
    sso_extension::keychain_error::detect,
    sso_extension::prt_needs_upgrade::detect,
    aad_id_not_acquired::detect,
    not_registered::detect,
    registration_incomplete::detect,
    device_certificate_expiring::detect,
    device::detect,
    interactive_auth_failed::detect,
    silent_auth_failed::detect,
    invalid_grant::detect,
    appsso_not_appsso_url::detect,
    token_cache_unwritable::detect,
    duplicate_msal_accounts::detect,
    token_stale::detect,
    recurring_auth_removed::detect,
    input_unreadable::detect,
    log_incomplete::detect,
    log_unrecognised::detect,
    state_discarded::detect,
    clock_skew::detect,
    correlated_sign_ins::detect,
    jamf_connect_config_invalid::detect,
    jamf_connect_ropg_mismatch::detect,
    jamf_connect_password_out_of_sync::detect,
    jamf_connect_default_scopes::detect,
    jamf_connect_network_check::detect,
    jamf_connect_auth_failed::detect,
    tenant_policies::detect,
    own_sign_ins::detect,
];

/// Runs every detector.
pub(crate) fn run_all(context: &Context) -> Vec<Finding> {
    DETECTORS
        .iter()
        .flat_map(|detect| detect(context))
        .collect()
}

#[cfg(test)]
pub(crate) mod testing {
    //! Builders for detector unit tests: log lines go through the production
    //! evidence store, exactly as `check` folds them.

    use super::*;
    use crate::evidence::facts::{LogTotals, MacInputs, RunNotes, TenantFacts};
    use crate::evidence::observations::{Attribution, Window};
    use crate::evidence::store::EvidenceStore;
    use crate::evidence::store::testing::event;
    use crate::inputs::InputRecord;
    use crate::mac::accounts::{Account, ChosenBy};
    use crate::mac::log::{Event, SignatureId};
    use crate::mac::prefs::PrefsFacts;
    use crate::mac::registration::Registration;
    use crate::mac::user::UserName;
    use crate::util::time::parse_now;
    use crate::util::version::Version;

    /// A scenario under construction.
    pub(crate) struct Scenario {
        pub(crate) prefs: PrefsFacts,
        pub(crate) events: Vec<Event>,
        pub(crate) now: DateTime<FixedOffset>,
        pub(crate) inputs: Vec<InputRecord>,
        pub(crate) registration: Option<Registration>,
        pub(crate) log_problems: Vec<String>,
        pub(crate) unrecognised: Vec<String>,
        pub(crate) state_note: Option<String>,
    }

    impl Scenario {
        /// A registered, healthy Mac on Jamf Pro 11.10 and macOS 15.1.
        pub(crate) fn registered() -> Self {
            let now = parse_now("2026-11-20T12:00:00-05:00").unwrap();
            let prefs = PrefsFacts {
                user_prefs_present: true,
                have_an_azure_id: Some(true),
                last_token_time: Some(parse_now("2026-11-20T10:00:00-05:00").unwrap()),
                jamf_pro_version_text: Some("11.10.0".into()),
                jamf_pro_version: Some(Version::new(11, 10, 0)),
                macos_version_text: Some("15.1".into()),
                macos_version: Some(Version::new(15, 1, 0)),
                ..PrefsFacts::default()
            };
            Scenario {
                prefs,
                events: Vec::new(),
                now,
                inputs: Vec::new(),
                registration: None,
                log_problems: Vec::new(),
                unrecognised: Vec::new(),
                state_note: None,
            }
        }

        pub(crate) fn jamf(mut self, version: &str) -> Self {
            self.prefs.jamf_pro_version_text = Some(version.into());
            self.prefs.jamf_pro_version = Version::parse(version);
            self
        }

        pub(crate) fn macos(mut self, version: &str) -> Self {
            self.prefs.macos_version_text = Some(version.into());
            self.prefs.macos_version = Version::parse(version);
            self
        }

        /// A log line of `process` at `time` carrying signature `id`.
        pub(crate) fn log(
            mut self,
            time: &str,
            id: SignatureId,
            process: &str,
            message: &str,
        ) -> Self {
            self.events.push(event(time, id, process, message));
            self
        }

        /// A log line of the agent.
        pub(crate) fn agent(self, time: &str, id: SignatureId, message: &str) -> Self {
            self.log(time, id, "Jamf Conditional Access", message)
        }

        pub(crate) fn window(&self) -> Window {
            Window {
                start: self.now - chrono::Duration::days(5),
                end: self.now,
            }
        }

        /// Folds the lines through the evidence store and runs one detector.
        pub(crate) fn run(&self, detect: fn(&Context) -> Vec<Finding>) -> Vec<Finding> {
            let (facts, observations) = self.facts();
            detect(&Context {
                facts: &facts,
                observations: &observations,
                now: self.now,
                from_a_bundle: false,
            })
        }

        /// The facts and observations of the scenario, built as `check` builds them.
        pub(crate) fn facts(&self) -> (Facts, Observations) {
            let window = self.window();
            let mut store = EvidenceStore::default();
            for event in &self.events {
                store.add_event(event, &window);
            }
            let observations = store.observations(&window, Attribution::Account("test.user"));
            let account = Account::assumed(
                UserName::parse("test.user").unwrap(),
                ChosenBy::Flag,
                "assumed",
            );
            let log = LogTotals {
                entries: 100,
                problems: self.log_problems.clone(),
                unrecognised: self.unrecognised.clone(),
                ..LogTotals::default()
            };
            let mac = MacInputs {
                account,
                prefs: self.prefs.clone(),
                prefs_looked_for: true,
                jamf_connect: None,
                registration: self.registration.clone(),
                inputs: self.inputs.clone(),
                tenant: None,
                file_logs: Default::default(),
                file_evidence: EvidenceStore::default(),
            };
            let facts = Facts::new(
                mac,
                TenantFacts::default(),
                log,
                &observations,
                window,
                RunNotes {
                    state: self.state_note.clone(),
                    clock: None,
                    bundle: None,
                },
            );
            (facts, observations)
        }
    }
}
