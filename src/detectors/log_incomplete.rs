//! `log-incomplete`: the unified log could not be read to its end (`log`
//! failed, died half-way or hit its time limit). The verdict stands on what
//! was read; this says how much to trust it.

use super::Context;
use crate::findings::{Evidence, Finding, FindingId, Severity};

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::LogIncomplete;

/// Raises `log-incomplete` (warning) with each problem.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let facts = context.facts;
    if facts.log.problems.is_empty() {
        return Vec::new();
    }
    let mut evidence: Vec<Evidence> = facts
        .log
        .problems
        .iter()
        .map(|p| Evidence::new("log", p.clone()))
        .collect();
    evidence.push(Evidence::new("entries read", facts.log.entries.to_string()));
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Warning,
        summary: "The unified log was not read to its end: the verdict rests on part of the window".to_string(),
        evidence,
        remediation: vec![
            "Run `sudo ca-doctor check` again with a longer --log-timeout, or a shorter --since.".to_string(),
            "Check that `log show --last 1m` works on this Mac (a damaged log store makes log fail).".to_string(),
        ],
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
