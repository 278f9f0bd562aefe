//! `log-incomplete`: the unified log could not be read to its end (`log`
//! failed, died half-way or hit its time limit). The verdict stands on what
//! was read; this says how much to trust it.

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::LogIncomplete;

/// Raises `log-incomplete` (warning) with each problem, once, and advice
/// that fits the cause.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let log = &context.facts.log;
    if log.problems.is_empty() {
        return Vec::new();
    }
    let mut evidence: Vec<EvidenceRow> = log
        .problems
        .iter()
        .map(|p| EvidenceRow::new("log", p.clone()))
        .collect();
    evidence.push(EvidenceRow::count("entries read", log.entries));
    let not_run = log.problems.iter().any(|p| p.contains("could not run"));
    let remediation = if let Some(limit) = log.time_limit_hit {
        let again = if context.from_a_bundle {
            format!(
                "Collect the bundle again with a longer time limit (this one allowed {limit} s): `sudo ca-doctor collect --log-timeout {}`, or a shorter --since.",
                limit.saturating_mul(3)
            )
        } else {
            format!(
                "Run ca-doctor again with a longer --log-timeout (this run allowed {limit} s), or a shorter --since."
            )
        };
        vec![
            again,
            "On a busy Mac `log show` over 5 days with debug entries can take minutes: run it when the Mac is idle, or let the LaunchDaemon's tick keep the state.".to_string(),
        ]
    } else if not_run {
        vec![
            "`/usr/bin/log` could not be started: this is not a Mac, or the file is missing; analyse an exported log with --log or `ca-doctor analyze` instead.".to_string(),
        ]
    } else {
        vec![
            "Check that `log show --last 1m` works on this Mac: a damaged log store makes `log` fail (the message above is its own).".to_string(),
            "Meanwhile export the log another way and analyse it with --log.".to_string(),
        ]
    };
    let summary = if log.entries == 0 {
        "The unified log could not be read: nothing is known from it"
    } else {
        "The unified log was not read to its end: the verdict rests on part of the window"
    };
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Warning,
        summary: summary.to_string(),
        evidence,
        remediation,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;

    #[test]
    fn one_finding_per_read() {
        let mut scenario = Scenario::registered();
        assert!(scenario.run(detect).is_empty());
        scenario.log_problems = vec!["log show was stopped at its time limit".into()];
        assert_eq!(scenario.run(detect)[0].severity, Severity::Warning);
    }
}
