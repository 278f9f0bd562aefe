//! `log-unrecognised`: a log input holds bytes but no entry in any
//! `log show` style (default, compact, syslog, json, ndjson): the wrong file,
//! or an export cut or converted on the way. Nothing is known from it.

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::util::text::count;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::LogUnrecognised;

/// Raises `log-unrecognised` (warning), naming each such input.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let unrecognised = &context.facts.log.unrecognised;
    if unrecognised.is_empty() {
        return Vec::new();
    }
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Warning,
        summary: format!(
            "{} in no `log show` style: nothing was read from it",
            count(unrecognised.len() as u64, "log input is", "log inputs are")
        ),
        evidence: unrecognised
            .iter()
            .map(|input| EvidenceRow::new("log input", input.clone()))
            .collect(),
        remediation: vec![
            "Export the log again with `log show --style ndjson --info --debug --predicate 'subsystem CONTAINS \"jamfAAD\" OR subsystem BEGINSWITH \"com.apple.AppSSO\"' --last 5d > ca.log`, or pass the file Jamf's guide produces (JamfConditionalAccess.log).".to_string(),
            "Check that the file was not cut, emptied or converted on the way (UTF-16 and gzip are read as they are; other archives are not).".to_string(),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;

    #[test]
    fn names_each_unrecognised_input() {
        let mut scenario = Scenario::registered();
        assert!(scenario.run(detect).is_empty());
        scenario.unrecognised = vec!["/tmp/garbage.log".into()];
        let findings = scenario.run(detect);
        assert_eq!(findings[0].id, FindingId::LogUnrecognised);
        assert_eq!(findings[0].evidence[0].value, "/tmp/garbage.log");
    }
}
