//! `state-discarded`: the saved incremental state could not be used (stale,
//! cut off, another schema, garbage) and was rebuilt from the live log.
//! Info only: the verdict does not depend on it.

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::StateDiscarded;

/// Raises `state-discarded` (info).
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(note) = &context.facts.state_note else {
        return Vec::new();
    };
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Info,
        summary: "The saved state was not used; the log was read again".to_string(),
        evidence: vec![EvidenceRow::new("reason", note.clone())],
        remediation: vec![
            "Nothing to do if this is rare. If it happens at every inventory, check that the ca-doctor LaunchDaemon runs (`sudo launchctl print system/com.cadoctor.tick`) and read /Library/Logs/ca-doctor.log.".to_string(),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;

    #[test]
    fn info_with_reason() {
        let mut scenario = Scenario::registered();
        assert!(scenario.run(detect).is_empty());
        scenario.state_note = Some("state is 3 h old".into());
        assert_eq!(scenario.run(detect)[0].severity, Severity::Info);
    }
}
