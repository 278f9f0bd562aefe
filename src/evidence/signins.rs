//! The evidence of a tenant's sign-in exports: counts by outcome, by app and
//! by user, bounded by the number of apps and users however many records
//! stream past, with what the detectors need per user (first and last time,
//! failing policies, authentication requirement, error codes).

use crate::inputs::InputRecord;
use crate::tenant::entra::signins::outcome::{AppRole, Outcome, RoleFrom, app_role};
use crate::tenant::entra::signins::record::SignIn;
use crate::util::text::contains_ignoring_case;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A sign-in whose correlation ID is one the Mac logged with `invalid_grant`:
/// what Entra said about the Mac's own failure.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct MatchedSignIn {
    /// The correlation ID (upper case).
    pub(crate) correlation_id: String,
    /// When Entra recorded it.
    pub(crate) time: Option<DateTime<FixedOffset>>,
    /// The user principal name.
    pub(crate) upn: Option<String>,
    /// The app's name (or ID).
    pub(crate) app: Option<String>,
    /// The error code.
    pub(crate) error_code: Option<i64>,
    /// What it came to.
    pub(crate) outcome: Option<Outcome>,
    /// Entra's reason.
    pub(crate) failure_reason: Option<String>,
    /// Policies applied, `name (result)`.
    pub(crate) policies: Vec<String>,
}

/// What the sign-in exports hold of a Mac: the sign-ins matching its
/// failures, each Jamf Connect user's own sign-ins, and the input records.
#[derive(Clone, Debug, Default)]
pub(crate) struct JoinedSignIns {
    /// Sign-ins whose correlation IDs the Mac logged with `invalid_grant`.
    pub(crate) matches: Vec<MatchedSignIn>,
    /// The sign-ins of each Jamf Connect user (UPN, lower case) in the window.
    pub(crate) by_upn: BTreeMap<String, SignInEvidence>,
    /// Every export and what became of it.
    pub(crate) inputs: Vec<InputRecord>,
    /// The sign-ins of the Macs' device chain (their devices, or refused
    /// for the device state without one).
    pub(crate) devices: Vec<crate::evidence::chain::DeviceSignIn>,
}

impl MatchedSignIn {
    /// The match of `sign_in`.
    pub(crate) fn of(sign_in: &SignIn) -> Self {
        MatchedSignIn {
            correlation_id: sign_in.correlation_id.clone().unwrap_or_default(),
            time: sign_in.time,
            upn: sign_in.upn.clone(),
            app: sign_in.app_name.clone().or_else(|| sign_in.app_id.clone()),
            error_code: sign_in.error_code,
            outcome: sign_in.error_code.map(Outcome::of),
            failure_reason: sign_in.failure_reason.clone(),
            policies: sign_in
                .policies
                .iter()
                .map(|p| format!("{} ({})", p.name, p.result))
                .collect(),
        }
    }

    /// Whether Entra refused it.
    pub(crate) fn failed(&self) -> bool {
        self.error_code.is_some_and(|code| code != 0)
    }
}

/// One app's sign-ins.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct AppStats {
    /// The app's ID (or `unknown`).
    pub(crate) app_id: String,
    /// The app's name, as the first record gave it.
    pub(crate) name: String,
    /// What the app is to a Jamf fleet.
    pub(crate) role: AppRole,
    /// Why (given, guessed from its protocol or name, Microsoft's own).
    pub(crate) role_from: RoleFrom,
    /// Sign-ins by outcome.
    pub(crate) outcomes: BTreeMap<Outcome, u64>,
}

/// One user's sign-ins of one outcome to apps of one role.
#[derive(Clone, Debug, Default)]
pub(crate) struct UserStats {
    /// How many.
    pub(crate) count: u64,
    /// The earliest.
    pub(crate) first: Option<DateTime<FixedOffset>>,
    /// The latest.
    pub(crate) last: Option<DateTime<FixedOffset>>,
    /// Policies that applied with a failing result, by display name.
    pub(crate) failing_policies: BTreeMap<String, u64>,
    /// Authentication requirements seen.
    pub(crate) requirements: BTreeSet<String>,
    /// Error codes seen, with counts.
    pub(crate) codes: BTreeMap<i64, u64>,
    /// App names seen.
    pub(crate) apps: BTreeSet<String>,
    /// Sign-ins that presented a device (a device ID).
    pub(crate) with_device: u64,
}

impl UserStats {
    /// Adds `other`'s sign-ins (the same user's, of another outcome or app).
    pub(crate) fn merge(&mut self, other: &UserStats) {
        bump(&mut self.count, other.count);
        self.first = match (self.first, other.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = self.last.max(other.last);
        for (name, n) in &other.failing_policies {
            bump(self.failing_policies.entry(name.clone()).or_default(), *n);
        }
        self.requirements.extend(other.requirements.iter().cloned());
        for (code, n) in &other.codes {
            bump(self.codes.entry(*code).or_default(), *n);
        }
        self.apps.extend(other.apps.iter().cloned());
        bump(&mut self.with_device, other.with_device);
    }
}

/// Everything read from the exports.
#[derive(Clone, Debug, Default)]
pub(crate) struct SignInEvidence {
    /// Records read.
    pub(crate) records: u64,
    /// Records skipped (not a record, no error code).
    pub(crate) skipped: u64,
    /// Every export and what became of it.
    pub(crate) inputs: Vec<InputRecord>,
    /// Sign-ins by outcome.
    pub(crate) outcomes: BTreeMap<Outcome, u64>,
    /// Sign-ins by app ID.
    pub(crate) by_app: BTreeMap<String, AppStats>,
    /// Per role and outcome, per user (UPN, lower case); hashed, as a
    /// tenant's users are many and every sign-in looks one up (their order
    /// is given by [`SignInEvidence::users`]).
    pub(crate) by_user: BTreeMap<(AppRole, Outcome), HashMap<String, UserStats>>,
}

/// `text` in lower case, borrowed when it already is.
fn lower(text: &str) -> std::borrow::Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(text.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

impl SignInEvidence {
    /// Folds one sign-in in; `jamf_connect_apps` are the Jamf Connect app IDs
    /// known for the tenant.
    pub(crate) fn add(&mut self, sign_in: &SignIn, jamf_connect_apps: &[String]) {
        let Some(code) = sign_in.error_code else {
            self.skipped = self.skipped.saturating_add(1);
            return;
        };
        self.records = self.records.saturating_add(1);
        let outcome = Outcome::of(code);
        bump(self.outcomes.entry(outcome).or_default(), 1);
        let (role, role_from) = app_role(
            sign_in.app_id.as_deref(),
            sign_in.app_name.as_deref(),
            sign_in.auth_protocol.as_deref(),
            sign_in.app_owner_tenant.as_deref(),
            jamf_connect_apps,
        );
        let app_id = lower(sign_in.app_id.as_deref().unwrap_or("unknown"));
        if !self.by_app.contains_key(app_id.as_ref()) {
            self.by_app.insert(
                app_id.to_string(),
                AppStats {
                    app_id: app_id.to_string(),
                    name: sign_in.app_name.clone().unwrap_or_default(),
                    role,
                    role_from,
                    outcomes: BTreeMap::new(),
                },
            );
        }
        if let Some(app) = self.by_app.get_mut(app_id.as_ref()) {
            bump(app.outcomes.entry(outcome).or_default(), 1);
        }
        let user = lower(
            sign_in
                .upn
                .as_deref()
                .or(sign_in.user_name.as_deref())
                .unwrap_or("(unknown user)"),
        );
        let users = self.by_user.entry((role, outcome)).or_default();
        if !users.contains_key(user.as_ref()) {
            users.insert(user.to_string(), UserStats::default());
        }
        let Some(stats) = users.get_mut(user.as_ref()) else {
            return;
        };
        bump(&mut stats.count, 1);
        if let Some(time) = sign_in.time {
            stats.first = Some(stats.first.map_or(time, |f| f.min(time)));
            stats.last = Some(stats.last.map_or(time, |l| l.max(time)));
        }
        for policy in &sign_in.policies {
            if contains_ignoring_case(&policy.result, "failure") {
                match stats.failing_policies.get_mut(&policy.name) {
                    Some(count) => bump(count, 1),
                    None => {
                        stats.failing_policies.insert(policy.name.clone(), 1);
                    }
                }
            }
        }
        if let Some(requirement) = &sign_in.auth_requirement
            && !stats.requirements.contains(requirement)
        {
            stats.requirements.insert(requirement.clone());
        }
        bump(stats.codes.entry(code).or_default(), 1);
        if sign_in.device_id.is_some() {
            bump(&mut stats.with_device, 1);
        }
        if let Some(name) = &sign_in.app_name
            && !stats.apps.contains(name)
        {
            stats.apps.insert(name.clone());
        }
    }

    /// The users with sign-ins of `outcome` to apps of `role` (any role when
    /// `None`), most first.
    pub(crate) fn users(&self, role: Option<AppRole>, outcome: Outcome) -> Vec<(&str, &UserStats)> {
        let mut users: Vec<(&str, &UserStats)> = self
            .by_user
            .iter()
            .filter(|((r, o), _)| *o == outcome && role.is_none_or(|role| role == *r))
            .flat_map(|(_, users)| users.iter().map(|(user, stats)| (user.as_str(), stats)))
            .collect();
        users.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
        users
    }
}

fn bump(count: &mut u64, by: u64) {
    *count = count.saturating_add(by);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenant::entra::signins::record::AppliedPolicy;

    #[test]
    fn counts_by_outcome_app_and_user() {
        let mut evidence = SignInEvidence::default();
        let sign_in = SignIn {
            upn: Some("Jane@Contoso.com".into()),
            app_id: Some("A1".into()),
            app_name: Some("Jamf Connect".into()),
            error_code: Some(50076),
            policies: vec![AppliedPolicy {
                name: "MFA all apps".into(),
                result: "failure".into(),
            }],
            ..SignIn::default()
        };
        evidence.add(&sign_in, &[]);
        evidence.add(&sign_in, &[]);
        evidence.add(&SignIn::default(), &[]);
        assert_eq!((evidence.records, evidence.skipped), (2, 1));
        assert_eq!(evidence.outcomes[&Outcome::MfaRequired], 2);
        assert_eq!(evidence.by_app["a1"].role, AppRole::JamfConnect);
        let users = evidence.users(Some(AppRole::JamfConnect), Outcome::MfaRequired);
        assert_eq!(users[0].0, "jane@contoso.com");
        assert_eq!(users[0].1.failing_policies["MFA all apps"], 2);
    }
}
