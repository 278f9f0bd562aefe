//! The verdict: one status from the findings, with a documented precedence,
//! and the primary cause an admin should fix first.
//!
//! Precedence: `deactivated` > `not-registered` > `at-risk` > `healthy`.
//! `unknown` only when nothing usable could be read. `at-risk` means at least
//! one warning or critical finding other than `deactivated`; info findings
//! never change the status.

use crate::detectors::{Finding, Severity, deactivated, not_registered};
use crate::facts::Facts;
use serde::Serialize;

/// The status an extension attribute and Smart Groups act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Registered, signing in, nothing wrong.
    Healthy,
    /// Registered, but something will sooner or later deactivate it.
    AtRisk,
    /// Deactivated: non-compliant in Entra ID until reactivated.
    Deactivated,
    /// The user never registered this Mac.
    NotRegistered,
    /// Nothing usable could be read.
    Unknown,
}

impl Status {
    /// The stable token, as in the EA and JSON.
    pub fn token(self) -> &'static str {
        match self {
            Status::Healthy => "healthy",
            Status::AtRisk => "at-risk",
            Status::Deactivated => "deactivated",
            Status::NotRegistered => "not-registered",
            Status::Unknown => "unknown",
        }
    }
}

/// Order in which causes are named as primary: the root causes first, then
/// their symptoms.
pub const CAUSE_ORDER: &[&str] = &[
    "aad-id-not-acquired",
    "registration-incomplete",
    "appsso-not-appsso-url",
    "invalid-grant",
    "duplicate-msal-accounts",
    "silent-auth-failed",
    "interactive-auth-failed",
    "token-stale",
    "input-unreadable",
    "log-incomplete",
    "not-registered",
    "deactivated",
];

fn cause_rank(id: &str) -> usize {
    CAUSE_ORDER
        .iter()
        .position(|c| *c == id)
        .unwrap_or(CAUSE_ORDER.len())
}

/// The outcome of an analysis.
#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    /// The status.
    pub status: Status,
    /// The finding to fix first, if any.
    pub primary_cause: Option<&'static str>,
    /// Findings: the one the status is named after first, then most severe
    /// first, causes before symptoms.
    pub findings: Vec<Finding>,
    /// The facts the verdict rests on.
    pub facts: Facts,
}

impl Verdict {
    /// Decides the status and primary cause of `findings`.
    pub fn decide(mut findings: Vec<Finding>, facts: Facts) -> Self {
        let names_status = |f: &Finding| f.id == deactivated::ID || f.id == not_registered::ID;
        findings.sort_by(|a, b| {
            names_status(b)
                .cmp(&names_status(a))
                .then(b.severity.cmp(&a.severity))
                .then(cause_rank(a.id).cmp(&cause_rank(b.id)))
        });
        let has = |id: &str| findings.iter().any(|f| f.id == id);
        let problems: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.severity >= Severity::Warning)
            .collect();
        let status = if has(deactivated::ID) {
            Status::Deactivated
        } else if has(not_registered::ID) {
            Status::NotRegistered
        } else if !facts.anything_usable() {
            Status::Unknown
        } else if problems.iter().any(|f| f.id != deactivated::ID) {
            Status::AtRisk
        } else {
            Status::Healthy
        };
        let primary_cause = match status {
            Status::Healthy | Status::Unknown => None,
            Status::NotRegistered => Some(not_registered::ID),
            Status::Deactivated | Status::AtRisk => problems
                .iter()
                .filter(|f| f.id != deactivated::ID)
                .min_by_key(|f| cause_rank(f.id))
                .map(|f| f.id)
                .or(Some(deactivated::ID)),
        };
        Verdict {
            status,
            primary_cause,
            findings,
            facts,
        }
    }

    /// IDs of the warning and critical findings, primary cause first, for the EA.
    pub fn problem_ids(&self) -> Vec<&'static str> {
        let mut ids: Vec<&'static str> = self
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Warning)
            .map(|f| f.id)
            .filter(|id| Some(*id) != self.status_finding())
            .collect();
        ids.sort_by_key(|id| cause_rank(id));
        ids.dedup();
        ids
    }

    /// The finding the status itself is named after, if any.
    fn status_finding(&self) -> Option<&'static str> {
        match self.status {
            Status::Deactivated => Some(deactivated::ID),
            Status::NotRegistered => Some(not_registered::ID),
            _ => None,
        }
    }
}
