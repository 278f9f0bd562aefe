//! `clock-skew`: a sign-in time or log entries dated after the analysis
//! clock. The Mac's clock was wrong when they were written (or `--now` is
//! off): such a time is not taken as a recent sign-in, and such entries are
//! left out of the window. Info only, with what was set aside.

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::util::text::count;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::ClockSkew;

/// Raises `clock-skew` (info) when times after the clock were set aside.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let facts = context.facts;
    let mut evidence = Vec::new();
    if let Some(token) = facts.token_after_clock {
        evidence.push(EvidenceRow::new(
            "last_aad_token_timestamp",
            format!(
                "{}, after the clock ({}): not taken as a recent sign-in",
                context.time(token),
                context.time(context.now)
            ),
        ));
    }
    if facts.entries_after_clock > 0 {
        evidence.push(EvidenceRow::count(
            "log entries after the clock",
            facts.entries_after_clock,
        ));
    }
    if evidence.is_empty() {
        return Vec::new();
    }
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Info,
        summary: format!(
            "{} dated after the analysis clock: the Mac's clock was wrong when they were written, so they were set aside",
            count(
                u64::from(facts.token_after_clock.is_some()) + facts.entries_after_clock,
                "time is",
                "times are"
            )
        ),
        evidence,
        remediation: vec![
            "Check the Mac's date and time settings (System Settings > General > Date & Time: set automatically).".to_string(),
            "If the times come from another Mac's export, pass its clock with --now.".to_string(),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;
    use crate::util::time::parse_now;

    #[test]
    fn a_token_from_the_future_is_not_a_recent_sign_in() {
        let mut scenario = Scenario::registered();
        assert!(scenario.run(detect).is_empty());
        scenario.prefs.last_token_time = Some(parse_now("2026-12-24T10:00:00-05:00").unwrap());
        let findings = scenario.run(detect);
        assert_eq!(findings[0].severity, Severity::Info);
        assert!(
            findings[0].evidence[0]
                .value
                .starts_with("2026-12-24 10:00:00, after the clock")
        );
        let (facts, _) = scenario.facts();
        assert_eq!(facts.last_success, None);
        assert_eq!(facts.last_token_timestamp(), None);
        // The stale-token check then sees no recent sign-in.
        assert_eq!(
            scenario.run(crate::detectors::token_stale::detect)[0].id,
            FindingId::TokenStale
        );
    }
}
