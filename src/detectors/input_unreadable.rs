//! `input-unreadable`: a file that exists could not be read or parsed, so
//! the verdict rests on less than it should. Analysis carried on without it.
//! The one place this finding is made: for a Mac's files ([`detect`]) and
//! for the tenant's exports ([`of_exports`]).

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::inputs::{InputRecord, InputState, LOG_INPUT};
use crate::util::text::count;

/// Which tenant exports a report reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Export {
    /// Sign-in exports: a file is unreadable when it could not be read to
    /// its end (the line and column of a JSON error in its reason).
    SignIns,
    /// Conditional Access policy exports: any file not read.
    Policies,
}

/// Raises `input-unreadable` (warning) for the tenant's exports that could
/// not be read, naming each and why; the others were still read.
pub(crate) fn of_exports(inputs: &[InputRecord], export: Export) -> Vec<Finding> {
    let unreadable: Vec<EvidenceRow> = inputs
        .iter()
        .filter(|i| match export {
            Export::SignIns => i.state == InputState::Unreadable,
            Export::Policies => i.state != InputState::Read,
        })
        .map(|i| {
            let default = match export {
                Export::SignIns => "",
                Export::Policies => "missing",
            };
            EvidenceRow::new(
                i.path.clone(),
                i.reason.clone().unwrap_or_else(|| default.to_string()),
            )
        })
        .collect();
    if unreadable.is_empty() {
        return Vec::new();
    }
    let (summary, remediation): (String, &[&str]) = match export {
        Export::SignIns => (
            format!(
                "{} could not be read to its end: the answer rests on the other records",
                count(unreadable.len() as u64, "export", "exports")
            ),
            &[
                "Export the sign-ins again (Entra admin center: Sign-in logs, Download, JSON or CSV; or Graph `auditLogs/signIns`).",
                "Microsoft's documentation examples are not always valid JSON (trailing commas, `000` numbers): use a real export.",
            ],
        ),
        Export::Policies => (
            "Some policy exports could not be read: the others were audited".to_string(),
            &[
                "Export the policies again (Graph `identity/conditionalAccess/policies`, or `Get-MgIdentityConditionalAccessPolicy | ConvertTo-Json -Depth 10`).",
            ],
        ),
    };
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Warning,
        summary,
        evidence: unreadable,
        remediation: remediation.iter().map(|s| s.to_string()).collect(),
    }]
}

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::InputUnreadable;

/// The next steps for what made the files unreadable: permissions call for
/// root, a damaged file for its repair; a permission step only when a
/// permission failed.
fn steps_for(context: &Context, unreadable: &[&InputRecord]) -> Vec<String> {
    let denied = unreadable.iter().any(|input| {
        input
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("ermission denied") || r.contains("not permitted"))
    });
    let damaged = unreadable.iter().any(|input| {
        input
            .reason
            .as_deref()
            .is_some_and(|r| !(r.contains("ermission denied") || r.contains("not permitted")))
    });
    let mut steps = Vec::new();
    if damaged {
        steps.push(format!(
            "Check the damaged file with `plutil -lint <path>` (the path above); the agent rewrites its preferences at the next sign-in as the user: {}.",
            context.agent_command("gatherAADInfo")
        ));
    }
    if denied || !damaged {
        steps.push(if context.from_a_bundle {
            "Collect the bundle again as root (`sudo ca-doctor collect`) so that every user's preferences can be read.".to_string()
        } else {
            "Run ca-doctor as root (`sudo ca-doctor check`) so that every user's preferences can be read.".to_string()
        });
    }
    steps
}

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
            EvidenceRow::new(
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
            count(
                unreadable.len() as u64,
                "input file exists",
                "input files exist"
            )
        ),
        evidence,
        remediation: steps_for(context, &unreadable),
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
