//! `input-unreadable` for sign-in exports: a file that could not be opened
//! or parsed, with the line and column of a JSON error. The other files
//! are still read; the records before the error count.

use crate::evidence::signins::SignInEvidence;
use crate::findings::{Evidence, Finding, FindingId, Severity};
use crate::inputs::InputState;
use crate::util::text::count;

/// Raises `input-unreadable` (warning) naming each export and why.
pub(crate) fn detect(evidence: &SignInEvidence) -> Vec<Finding> {
    let unreadable: Vec<Evidence> = evidence
        .inputs
        .iter()
        .filter(|i| i.state == InputState::Unreadable)
        .map(|i| Evidence::new(i.path.clone(), i.reason.clone().unwrap_or_default()))
        .collect();
    if unreadable.is_empty() {
        return Vec::new();
    }
    vec![Finding {
        id: FindingId::InputUnreadable,
        subject: None,
        severity: Severity::Warning,
        summary: format!(
            "{} could not be read to its end: the answer rests on the other records",
            count(unreadable.len() as u64, "export", "exports")
        ),
        evidence: unreadable,
        remediation: vec![
            "Export the sign-ins again (Entra admin center: Sign-in logs, Download, JSON or CSV; or Graph `auditLogs/signIns`).".to_string(),
            "Microsoft's documentation examples are not always valid JSON (trailing commas, `000` numbers): use a real export.".to_string(),
        ],
    }]
}
