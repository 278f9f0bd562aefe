//! Detectors: small pure functions from facts and observations to findings.
//! One concern per file; each finding has a stable ID, a severity, evidence
//! and numbered next steps that depend on the Jamf Pro and macOS versions.

pub mod aad_id_not_acquired;
pub mod appsso_not_appsso_url;
pub mod deactivated;
pub mod duplicate_msal_accounts;
pub mod input_unreadable;
pub mod interactive_auth_failed;
pub mod invalid_grant;
pub mod log_incomplete;
pub mod not_registered;
pub mod recurring_auth_removed;
pub mod registration_incomplete;
pub mod silent_auth_failed;
pub mod state_discarded;
pub mod token_stale;

use crate::facts::Facts;
use crate::observations::{Observations, SignatureStats};
use crate::timeutil::format_local;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;

/// How much a finding matters. Info findings never change the status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; no action needed.
    Info,
    /// Puts the registration at risk.
    Warning,
    /// The registration is broken or breaking now.
    Critical,
}

impl Severity {
    /// Lower-case name, as in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }
}

/// One piece of evidence: a label, a value, and optionally a list.
#[derive(Clone, Debug, Serialize)]
pub struct Evidence {
    /// What this is, e.g. `count`, `first seen`.
    pub label: String,
    /// The value, on one line.
    pub value: String,
    /// Supporting lines (per-day counts, sample log lines, correlation IDs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
}

impl Evidence {
    /// A label and a value.
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        Evidence {
            label: label.into(),
            value: value.into(),
            items: Vec::new(),
        }
    }

    /// Adds supporting lines.
    pub fn with_items(mut self, items: Vec<String>) -> Self {
        self.items = items;
        self
    }
}

/// A diagnosis with its evidence and remediation.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// Stable ID, e.g. `appsso-not-appsso-url`: safe for Smart Groups and scripts.
    pub id: &'static str,
    /// How much it matters.
    pub severity: Severity,
    /// One line saying what is wrong.
    pub summary: String,
    /// What the diagnosis rests on.
    pub evidence: Vec<Evidence>,
    /// Numbered next steps, in order.
    pub remediation: Vec<String>,
}

/// What every detector looks at.
pub struct Context<'a> {
    /// Facts from preferences and the log.
    pub facts: &'a Facts,
    /// Evidence folded from the log.
    pub observations: &'a Observations,
    /// The analysis clock.
    pub now: DateTime<FixedOffset>,
}

impl Context<'_> {
    /// Formats a time in the analysis clock's offset.
    pub fn time(&self, time: DateTime<FixedOffset>) -> String {
        format_local(time, self.now.timezone())
    }

    /// Count, first and last time, per-day counts and sample lines of a signature.
    pub fn stats_evidence(&self, stats: &SignatureStats) -> Vec<Evidence> {
        let per_day = stats
            .per_day
            .iter()
            .map(|(day, count)| format!("{day}: {count}"))
            .collect();
        vec![
            Evidence::new("count", stats.count.to_string()).with_items(per_day),
            Evidence::new("first seen", self.time(stats.first)),
            Evidence::new("last seen", self.time(stats.last)),
            Evidence::new("sample lines", format!("{} kept", stats.samples.len()))
                .with_items(stats.samples.iter().map(|s| s.line.clone()).collect()),
        ]
    }

    /// The agent executable a person runs to re-register or re-authenticate.
    pub fn agent_command(&self, verb: &str) -> String {
        format!(
            "launchctl asuser \"$(id -u {user})\" sudo -u {user} \"/Library/Application Support/JAMF/Jamf.app/Contents/MacOS/Jamf Conditional Access.app/Contents/MacOS/Jamf Conditional Access\" {verb}",
            user = self.facts.user
        )
    }
}

/// Every detector, in report order.
pub const DETECTORS: &[fn(&Context) -> Vec<Finding>] = &[
    deactivated::detect,
    aad_id_not_acquired::detect,
    not_registered::detect,
    registration_incomplete::detect,
    interactive_auth_failed::detect,
    silent_auth_failed::detect,
    invalid_grant::detect,
    appsso_not_appsso_url::detect,
    duplicate_msal_accounts::detect,
    token_stale::detect,
    recurring_auth_removed::detect,
    input_unreadable::detect,
    log_incomplete::detect,
    state_discarded::detect,
];

/// Runs every detector.
pub fn run_all(context: &Context) -> Vec<Finding> {
    DETECTORS
        .iter()
        .flat_map(|detect| detect(context))
        .collect()
}

#[cfg(test)]
pub(crate) mod testing {
    //! Builders for detector unit tests.

    use super::*;
    use crate::facts::LogTotals;
    use crate::log::{Event, SignatureId, SignatureSet};
    use crate::observations::Window;
    use crate::sources::prefs::PrefsFacts;
    use crate::timeutil::parse_now;
    use crate::version::Version;

    /// A scenario under construction.
    pub struct Scenario {
        pub prefs: PrefsFacts,
        pub observations: Observations,
        pub now: DateTime<FixedOffset>,
        pub inputs: Vec<crate::sources::InputRecord>,
        pub registration: Option<crate::sources::registration::Registration>,
        pub log_problems: Vec<String>,
        pub state_note: Option<String>,
    }

    impl Scenario {
        /// A registered, healthy Mac on Jamf Pro 11.10 and macOS 15.1.
        pub fn registered() -> Self {
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
                observations: Observations::default(),
                now,
                inputs: Vec::new(),
                registration: None,
                log_problems: Vec::new(),
                state_note: None,
            }
        }

        pub fn jamf(mut self, version: &str) -> Self {
            self.prefs.jamf_pro_version_text = Some(version.into());
            self.prefs.jamf_pro_version = Version::parse(version);
            self
        }

        pub fn macos(mut self, version: &str) -> Self {
            self.prefs.macos_version_text = Some(version.into());
            self.prefs.macos_version = Version::parse(version);
            self
        }

        pub fn log(mut self, time: &str, id: SignatureId, process: &str, message: &str) -> Self {
            let mut signatures = SignatureSet::default();
            signatures.insert(id);
            let agent = process == "Jamf Conditional Access";
            let event = Event {
                time: Some(parse_now(time).unwrap()),
                process: process.into(),
                subsystem: if agent {
                    "com.jamf.management.jamfAAD".into()
                } else {
                    "com.apple.AppSSO".into()
                },
                message: message.into(),
                signatures,
                ..Event::default()
            };
            let window = self.window();
            self.observations.fold(&event, &window);
            self
        }

        pub fn agent(self, time: &str, id: SignatureId, message: &str) -> Self {
            self.log(time, id, "Jamf Conditional Access", message)
        }

        pub fn window(&self) -> Window {
            Window {
                start: self.now - chrono::Duration::days(5),
                end: self.now,
            }
        }

        /// Runs one detector.
        pub fn run(&self, detect: fn(&Context) -> Vec<Finding>) -> Vec<Finding> {
            let mut facts = Facts::new(
                &crate::facts::AccountFacts::assumed("test.user"),
                self.prefs.clone(),
                LogTotals {
                    entries: 100,
                    ..LogTotals::default()
                },
                &self.observations,
                self.window(),
                self.inputs.clone(),
            );
            facts.registration = self.registration.clone();
            facts.log_problems = self.log_problems.clone();
            facts.state_note = self.state_note.clone();
            detect(&Context {
                facts: &facts,
                observations: &self.observations,
                now: self.now,
            })
        }
    }
}
