//! `input-unreadable`: a file that exists could not be read or parsed, so
//! the verdict rests on less than it should. Analysis carried on without it.

use super::Context;
use crate::findings::{Evidence, Finding, FindingId, Severity};
use crate::inputs::LOG_INPUT;
use crate::util::text::count;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::InputUnreadable;

/// Raises one `input-unreadable` (warning) naming every such file and why.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    // A log that could not be read is `log-incomplete`'s: its advice differs.
    let unreadable: Vec<_> = context
        .facts
        .unreadable_inputs()
        .filter(|input| input.what != LOG_INPUT)
        .collect();
    if unreadable.is_empty() {
        return Vec::new();
    }
    let evidence = unreadable
        .iter()
        .map(|input| {
            Evidence::new(
                input.what.clone(),
                format!(
                    "{}: {}",
                    input.path,
                    input.reason.as_deref().unwrap_or("unreadable")
                ),
            )
        })
        .collect();
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Warning,
        summary: format!(
            "{} but could not be read: the verdict rests on less evidence",
            count(unreadable.len() as u64, "input file exists", "input files exist")
        ),
        evidence,
        remediation: vec![
            if context.from_a_bundle {
                "Collect the bundle again as root (`sudo ca-doctor collect`) so that every user's preferences can be read.".to_string()
            } else {
                "Run ca-doctor as root (`sudo ca-doctor check`) so that every user's preferences can be read.".to_string()
            },
            "Check each file with `plutil -lint <path>`; a damaged agent preference file is rewritten by the next gatherAADInfo run as the user.".to_string(),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;
    use crate::inputs::{InputRecord, InputState};

    #[test]
    fn names_each_file_and_reason() {
        let mut scenario = Scenario::registered();
        scenario.inputs.push(InputRecord {
            what: "Jamf computer settings".into(),
            path: "/Library/Preferences/com.jamfsoftware.jamf.plist".into(),
            state: InputState::Unreadable,
            reason: Some("not a valid plist".into()),
        });
        scenario.inputs.push(InputRecord {
            what: "macOS SystemVersion.plist".into(),
            path: "/System/x".into(),
            state: InputState::Missing,
            reason: None,
        });
        let findings = scenario.run(detect);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].evidence.len(), 1);
        assert!(findings[0].evidence[0].value.contains("not a valid plist"));
    }

    #[test]
    fn silent_when_all_readable() {
        assert!(Scenario::registered().run(detect).is_empty());
    }
}
