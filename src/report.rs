//! The reports ca-doctor prints: a Mac's ([`Report`], one verdict per
//! user and the timeline) and the tenant's ([`SignInsReport`],
//! [`PoliciesReport`]: a status and findings over the exports). Every
//! renderer takes one of these through `render::print`.

use crate::evidence::chain::DeviceEvidence;
use crate::evidence::policies::PolicyEvidence;
use crate::evidence::signins::SignInEvidence;
use crate::evidence::timeline::Timeline;
use crate::findings::{Finding, FindingId, Severity};
use crate::verdict::{Status, Verdict};

/// The verdicts of an analysis, one per user, and the Mac's timeline.
#[derive(Clone, Debug)]
pub(crate) struct Report {
    /// One per user, in the order analysed.
    pub(crate) verdicts: Vec<Verdict>,
    /// The log evidence over time, for the HTML chart.
    pub(crate) timeline: Timeline,
}

impl Report {
    /// Replaces `from` with `to` in every path and piece of evidence the
    /// report shows (a bundle's working folder, gone once it is read).
    pub(crate) fn rename_paths(&mut self, from: &str, to: &str) {
        if from.is_empty() {
            return;
        }
        let rename = |text: &mut String| {
            if text.contains(from) {
                *text = text.replace(from, to);
            }
        };
        for verdict in &mut self.verdicts {
            verdict
                .facts
                .inputs
                .iter_mut()
                .for_each(|i| rename(&mut i.path));
            verdict
                .facts
                .log
                .inputs
                .iter_mut()
                .for_each(|i| rename(&mut i.path));
            for finding in &mut verdict.findings {
                for row in &mut finding.evidence {
                    rename(&mut row.label);
                    rename(&mut row.value);
                    row.items.iter_mut().for_each(rename);
                }
            }
        }
    }

    /// The worst verdict (the one the overall status comes from); the last
    /// of equals.
    pub(crate) fn worst(&self) -> Option<&Verdict> {
        self.verdicts.iter().max_by_key(|verdict| verdict.status)
    }

    /// The overall status: the worst of the users'.
    pub(crate) fn status(&self) -> Status {
        self.worst().map_or(Status::Unknown, |v| v.status)
    }
}

/// The verdict on a tenant's sign-in exports.
#[derive(Clone, Debug)]
pub(crate) struct SignInsReport {
    /// `healthy`, `at-risk` (any warning or critical finding) or `unknown`
    /// (no record could be read).
    pub(crate) status: Status,
    /// The findings, most severe first.
    pub(crate) findings: Vec<Finding>,
    /// What was read.
    pub(crate) evidence: SignInEvidence,
}

/// Sorts a tenant's findings (most severe first, then cause order) and
/// decides the status: `unknown` when nothing was read, `at-risk` with any
/// warning or critical finding (an export that could not be read aside: that
/// is ca-doctor's problem, not the tenant's), else `healthy`.
fn decide_tenant(findings: &mut [Finding], anything_read: bool) -> Status {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.id.cause_rank().cmp(&b.id.cause_rank()))
    });
    if !anything_read {
        Status::Unknown
    } else if findings
        .iter()
        .any(|f| f.severity >= Severity::Warning && f.id != FindingId::InputUnreadable)
    {
        Status::AtRisk
    } else {
        Status::Healthy
    }
}

impl SignInsReport {
    /// Decides the status of the sign-in findings.
    pub(crate) fn decide(mut findings: Vec<Finding>, evidence: SignInEvidence) -> Self {
        let status = decide_tenant(&mut findings, evidence.records > 0);
        SignInsReport {
            status,
            findings,
            evidence,
        }
    }
}

/// The verdict on a tenant's Conditional Access policies.
#[derive(Clone, Debug)]
pub(crate) struct PoliciesReport {
    /// `healthy`, `at-risk` or `unknown` (no policy could be read).
    pub(crate) status: Status,
    /// The findings, most severe first.
    pub(crate) findings: Vec<Finding>,
    /// The policies and their reach.
    pub(crate) evidence: PolicyEvidence,
}

/// The device chain of one device from the tenant's exports (`device`).
#[derive(Debug)]
pub(crate) struct DeviceReport {
    /// `not-compliant` when Entra ID blocks the device, `at-risk` with a
    /// warning, `healthy`, or `unknown` when no device was found.
    pub(crate) status: Status,
    /// The link of the chain that broke, if any.
    pub(crate) primary_cause: Option<FindingId>,
    /// The findings, most severe first.
    pub(crate) findings: Vec<Finding>,
    /// The question and the chain found.
    pub(crate) evidence: DeviceEvidence,
}

impl DeviceReport {
    /// Decides the status of the device findings.
    pub(crate) fn decide(mut findings: Vec<Finding>, evidence: DeviceEvidence) -> Self {
        let found = evidence.chain.is_some();
        let mut status = decide_tenant(&mut findings, found);
        let blocking: Vec<FindingId> = findings
            .iter()
            .filter(|f| f.id.blocks_the_device() && f.severity == Severity::Critical)
            .map(|f| f.id)
            .collect();
        if !blocking.is_empty() {
            status = Status::NotCompliant;
        }
        let problems = findings.iter().filter(|f| f.severity >= Severity::Warning);
        let primary_cause = crate::verdict::primary_cause(status, problems.map(|f| f.id));
        DeviceReport {
            status,
            primary_cause,
            findings,
            evidence,
        }
    }
}

impl PoliciesReport {
    /// Decides the status of the policy findings.
    pub(crate) fn decide(mut findings: Vec<Finding>, evidence: PolicyEvidence) -> Self {
        let status = decide_tenant(&mut findings, !evidence.policies.is_empty());
        PoliciesReport {
            status,
            findings,
            evidence,
        }
    }
}
