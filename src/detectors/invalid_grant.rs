//! `invalid-grant`: Entra ID refused the silent sign-in (`invalid_grant`):
//! a requirement on the user or app could not be met silently. The Entra
//! sign-in log, matched by time and correlation ID, says which.

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::mac::log::SignatureId;
use crate::util::text::count;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::InvalidGrant;

/// Raises `invalid-grant` (warning) with every correlation ID and its time.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(stats) = context.observations.get(SignatureId::InvalidGrant) else {
        return Vec::new();
    };
    let facts = context.facts;
    let mut evidence = context.stats_evidence(stats);
    let mut ids: Vec<String> = stats
        .correlations
        .iter()
        .map(|c| match c.detail.as_deref() {
            Some(detail) if detail.contains("suberror") => {
                format!("{}  {}  ({detail})", context.time(c.time), c.id)
            }
            _ => format!("{}  {}", context.time(c.time), c.id),
        })
        .collect();
    if stats.correlations_dropped > 0 {
        ids.insert(
            0,
            format!("({} earlier IDs not kept)", stats.correlations_dropped),
        );
    }
    evidence.insert(
        1,
        EvidenceRow::new(
            "correlation IDs",
            format!("{} kept", stats.correlations.len()),
        )
        .with_items(ids),
    );
    if !stats.details.is_empty() {
        evidence.insert(
            2,
            EvidenceRow::new(
                "AAD errors",
                stats
                    .details
                    .iter()
                    .map(|(k, t)| format!("{k} ({})", t.count))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        );
    }
    let app = match (&facts.prefs.integration_app_id, &facts.integration()) {
        (Some(id), Some(name)) => format!("the integration's app, {name} ({id})"),
        _ => "the agent's app (one of 55d611b0-7d33-4d38-8df3-6041868930d7, dd4f1d11-1200-4a1c-bccf-cb13e27467e6, b03c10a8-71c7-45f9-b44a-3335ab76e970)".to_string(),
    };
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Warning,
        summary: format!(
            "Entra ID refused the silent sign-in with invalid_grant {}",
            count(stats.count, "time", "times")
        ),
        evidence,
        remediation: vec![
            format!("In the Entra admin center open Users, then {}, then Sign-in logs.", facts.user()),
            format!("Filter by application: {app}."),
            format!(
                "Look at sign-ins between {} and {}, and match the correlation IDs above (Correlation ID column).",
                context.time(stats.first),
                context.time(stats.last)
            ),
            "The failed or interrupted sign-in's details (Conditional Access, Authentication details) say which requirement silent sign-in could not meet; change the policy or the user's state accordingly.".to_string(),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;

    #[test]
    fn lists_correlation_ids_and_app() {
        let line = "TID=12345 MSAL 1.2.14 Mac 14.3.0 [2024-01-01 00:00:00 - 7F6779F2-640C-4FB2-9462-B16C102CF61C] Processing an AAD error with error code -51412, error invalid_grant";
        let mut scenario = Scenario::registered().agent(
            "2026-11-18T09:00:00-05:00",
            SignatureId::InvalidGrant,
            line,
        );
        scenario.prefs.integration_app_id = Some("b03c10a8-71c7-45f9-b44a-3335ab76e970".into());
        let findings = scenario.run(detect);
        assert_eq!(findings.len(), 1);
        let ids = &findings[0].evidence[1];
        assert!(ids.items[0].ends_with("7F6779F2-640C-4FB2-9462-B16C102CF61C"));
        assert!(findings[0].remediation[1].contains("Device Compliance"));
    }

    #[test]
    fn other_apps_invalid_grant_is_ignored() {
        let scenario = Scenario::registered().log(
            "2026-11-18T09:00:00-05:00",
            SignatureId::InvalidGrant,
            "Microsoft Teams",
            "error invalid_grant",
        );
        assert!(scenario.run(detect).is_empty());
    }
}
