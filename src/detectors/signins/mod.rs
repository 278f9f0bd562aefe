//! Detectors of the tenant's sign-in evidence: one finding per file, each
//! about the users (the subject) whose sign-ins show the problem, with their
//! counts, times and the policies that applied.

pub(crate) mod account_disabled;
pub(crate) mod account_locked;
pub(crate) mod blocked_by_conditional_access;
pub(crate) mod device_registration_blocked;
pub(crate) mod input_unreadable;
pub(crate) mod jamf_connect_app_misconfigured;
pub(crate) mod password_expired;
pub(crate) mod ropg_bad_password;
pub(crate) mod ropg_mfa_required;
pub(crate) mod user_not_found;

use crate::entra::signins::outcome::{AppRole, Outcome};
use crate::evidence::signins::{SignInEvidence, UserStats};
use crate::findings::{Evidence, Finding, FindingId, Severity};
use crate::util::text::count;

/// Users listed in a finding's evidence at most; the rest are counted.
const USERS_LISTED: usize = 50;

/// Every sign-in detector, in report order.
pub(crate) const DETECTORS: &[fn(&SignInEvidence) -> Vec<Finding>] = &[
    jamf_connect_app_misconfigured::detect,
    device_registration_blocked::detect,
    account_locked::detect,
    account_disabled::detect,
    password_expired::detect,
    user_not_found::detect,
    ropg_bad_password::detect,
    ropg_mfa_required::detect,
    blocked_by_conditional_access::detect,
    input_unreadable::detect,
];

/// Runs every sign-in detector.
pub(crate) fn run_all(evidence: &SignInEvidence) -> Vec<Finding> {
    DETECTORS
        .iter()
        .flat_map(|detect| detect(evidence))
        .collect()
}

/// One line of evidence about one user.
fn user_line(user: &str, stats: &UserStats) -> String {
    let mut line = format!("{user}: {}", count(stats.count, "sign-in", "sign-ins"));
    if let (Some(first), Some(last)) = (stats.first, stats.last) {
        line.push_str(&format!(
            ", {} to {}",
            first.format("%Y-%m-%d %H:%M"),
            last.format("%Y-%m-%d %H:%M")
        ));
    }
    if !stats.apps.is_empty() {
        let apps: Vec<&str> = stats.apps.iter().map(String::as_str).collect();
        line.push_str(&format!(" ({})", apps.join(", ")));
    }
    line
}

/// What a per-user finding says.
pub(crate) struct PerUser {
    /// The finding.
    pub(crate) id: FindingId,
    /// Its severity.
    pub(crate) severity: Severity,
    /// Whose apps.
    pub(crate) role: Option<AppRole>,
    /// Which outcomes.
    pub(crate) outcomes: &'static [Outcome],
    /// The summary, given the number of users and of sign-ins.
    pub(crate) summary: fn(usize, u64) -> String,
    /// The next steps.
    pub(crate) remediation: &'static [&'static str],
}

/// The finding of `what` over the evidence, when any user shows it: one
/// evidence line per user (most sign-ins first), the failing policies and
/// authentication requirements seen.
pub(crate) fn per_user(evidence: &SignInEvidence, what: &PerUser) -> Vec<Finding> {
    let users: Vec<(&str, &UserStats)> = what
        .outcomes
        .iter()
        .flat_map(|outcome| evidence.users(what.role, *outcome))
        .collect();
    if users.is_empty() {
        return Vec::new();
    }
    let sign_ins: u64 = users.iter().map(|(_, s)| s.count).sum();
    let mut lines: Vec<String> = users
        .iter()
        .take(USERS_LISTED)
        .map(|(user, stats)| user_line(user, stats))
        .collect();
    if users.len() > USERS_LISTED {
        lines.push(format!("… and {} more users", users.len() - USERS_LISTED));
    }
    let mut policies: std::collections::BTreeMap<&str, u64> = Default::default();
    let mut requirements = std::collections::BTreeSet::new();
    let mut codes: std::collections::BTreeMap<i64, u64> = Default::default();
    for (_, stats) in &users {
        for (name, n) in &stats.failing_policies {
            *policies.entry(name.as_str()).or_default() += n;
        }
        requirements.extend(stats.requirements.iter().map(String::as_str));
        for (code, n) in &stats.codes {
            *codes.entry(*code).or_default() += n;
        }
    }
    let mut found = vec![
        Evidence::count("users", users.len() as u64).with_items(lines),
        Evidence::count("sign-ins", sign_ins),
        Evidence::new(
            "error codes",
            codes
                .iter()
                .map(|(code, n)| format!("{code} ({n})"))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ];
    if !policies.is_empty() {
        found.push(
            Evidence::count("policies that failed", policies.len() as u64).with_items(
                policies
                    .iter()
                    .map(|(name, n)| format!("{name}: {n}"))
                    .collect(),
            ),
        );
    }
    if !requirements.is_empty() {
        found.push(Evidence::new(
            "authentication requirement",
            requirements.into_iter().collect::<Vec<_>>().join(", "),
        ));
    }
    let subject = match users.as_slice() {
        [(user, _)] => Some((*user).to_string()),
        _ => Some(format!("{} users", users.len())),
    };
    vec![Finding {
        id: what.id,
        severity: what.severity,
        summary: (what.summary)(users.len(), sign_ins),
        evidence: found,
        remediation: what.remediation.iter().map(|s| s.to_string()).collect(),
        subject,
    }]
}
