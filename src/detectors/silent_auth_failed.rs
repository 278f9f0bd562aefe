//! `silent-auth-failed`: the silent sign-in returned an error. Each failure
//! means a prompt for the user; fewer silent failures mean fewer chances to
//! be deactivated.

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::mac::log::SignatureId;
use crate::util::text::count;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::SilentAuthFailed;

/// Raises `silent-auth-failed` (warning) with per-day counts and the errors.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(stats) = context.observations.get(SignatureId::SilentAuthFailed) else {
        return Vec::new();
    };
    let mut evidence = context.stats_evidence(stats);
    let mut errors: Vec<_> = stats.details.iter().collect();
    errors.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
    evidence.insert(
        1,
        EvidenceRow::new("errors", format!("{} distinct", errors.len())).with_items(
            errors
                .iter()
                .map(|(error, tally)| {
                    format!(
                        "{error}: {} (last {})",
                        tally.count,
                        context.time(tally.last)
                    )
                })
                .collect(),
        ),
    );
    let explained = [
        (SignatureId::InvalidGrant, "invalid-grant"),
        (SignatureId::AppSsoNotAppSsoUrl, "appsso-not-appsso-url"),
        (
            SignatureId::DuplicateMsalAccounts,
            "duplicate-msal-accounts",
        ),
    ]
    .iter()
    .filter(|(id, _)| context.observations.count(*id) > 0)
    .map(|(_, name)| *name)
    .collect::<Vec<_>>();
    let first_step = if explained.is_empty() {
        "No known cause was found in the log: collect the agent's log with `log show --info --debug --predicate 'subsystem CONTAINS \"jamfAAD\" OR subsystem BEGINSWITH \"com.apple.AppSSO\"'` and look at the lines around the errors above.".to_string()
    } else {
        format!(
            "The likely reason is reported in this report too: {}. Fix that first.",
            explained.join(", ")
        )
    };
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Warning,
        summary: format!(
            "The silent sign-in failed {} on {}; each failure falls back to a prompt",
            count(stats.count, "time", "times"),
            count(stats.per_day.len() as u64, "day", "days")
        ),
        evidence,
        remediation: vec![
            first_step,
            "Every silent failure shows the user a prompt, and one failed prompt deactivates the Mac: aim for zero silent failures.".to_string(),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;

    #[test]
    fn counts_per_day_and_errors() {
        let line = "acquireTokenSilent returning with error: Error Domain=MSALErrorDomain Code=-50002 \"(null)\"";
        let scenario = Scenario::registered()
            .agent(
                "2026-11-18T09:00:00-05:00",
                SignatureId::SilentAuthFailed,
                line,
            )
            .agent(
                "2026-11-19T09:00:00-05:00",
                SignatureId::SilentAuthFailed,
                line,
            );
        let findings = scenario.run(detect);
        assert_eq!(findings.len(), 1);
        assert!(findings[0].summary.contains("2 times on 2 days"));
        assert!(findings[0].evidence[1].items[0].starts_with("MSALErrorDomain -50002: 2"));
    }

    #[test]
    fn silent_when_absent() {
        assert!(Scenario::registered().run(detect).is_empty());
    }
}
