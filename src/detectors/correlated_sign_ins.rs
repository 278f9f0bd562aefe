//! `correlated-sign-ins`: with `--signins`, the records of the tenant's
//! sign-in exports whose correlation IDs the Mac logged with a failure
//! (`invalid_grant`, the SSO extension's refusals in its own log): what Entra said about this Mac's own failures (the error
//! code, what it means, the reason and the policies that applied). Info,
//! or warning when a matched sign-in failed.

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::util::text::count;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::CorrelatedSignIns;

/// Raises `correlated-sign-ins` when an export holds the Mac's own failures.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(matches) = &context.facts.correlated_sign_ins else {
        return Vec::new();
    };
    if matches.is_empty() {
        return Vec::new();
    }
    let failed = matches.iter().filter(|m| m.failed()).count();
    let evidence = matches
        .iter()
        .map(|m| {
            let mut value = format!(
                "{} · {} · {}",
                m.time
                    .map_or_else(|| "(no time)".to_string(), |t| context.time(t)),
                m.app.as_deref().unwrap_or("(unknown app)"),
                match (m.error_code, m.outcome) {
                    (Some(code), Some(outcome)) => format!("{code} {}", outcome.name()),
                    _ => "no error code".to_string(),
                }
            );
            if let Some(reason) = &m.failure_reason {
                value.push_str(&format!(": {reason}"));
            }
            EvidenceRow::new(m.correlation_id.clone(), value).with_items(m.policies.clone())
        })
        .collect();
    vec![Finding {
        id: ID,
        subject: None,
        severity: if failed > 0 {
            Severity::Warning
        } else {
            Severity::Info
        },
        summary: format!(
            "Entra ID recorded {} of this Mac's own failures ({} refused)",
            count(matches.len() as u64, "sign-in", "sign-ins"),
            failed
        ),
        evidence,
        remediation: vec![
            "The error codes above say why Entra refused the silent sign-in: see `ca-doctor signins` on the same exports for what each means and the fix.".to_string(),
            "50173, 70043, 700082 and 50133 mean the refresh token was revoked or expired (a password change, sign-in frequency): the user signs in again at the next prompt.".to_string(),
        ],
    }]
}
