//! The verdict: one status from the findings, with a documented precedence,
//! and the primary cause an admin should fix first.
//!
//! Precedence: `deactivated` > `not-registered` (the account never
//! registered, or Platform SSO waits for it to) > `not-compliant` >
//! `at-risk` > `healthy`. `not-compliant` says Entra ID blocks the Mac's
//! device although its agent is fine: a critical finding of the device
//! chain (only with the tenant's records); its primary cause is the link of
//! the chain that broke.
//! `at-risk` means at least one warning or critical finding about the Mac
//! other than `deactivated`; info findings never change the status, and
//! neither do ca-doctor's own reading failures (`log-incomplete`,
//! `log-unrecognised`). `healthy` needs grounds: the user's own agent
//! preferences, or the user's own success in the log, and a log that could
//! be read and holds entries of the window (preferences alone cannot show a
//! failing sign-in). Without them, or when nothing usable could be read,
//! the status is `unknown`, with the reason.
//! The primary cause is the problem that comes first in [`FindingId`]'s
//! cause order.

use crate::evidence::facts::{Facts, SuccessSource};
use crate::findings::{Finding, FindingId, Severity};
use serde::Serialize;

/// The status an extension attribute and Smart Groups act on. Ordered from
/// least to most serious: the overall status of several users is the greatest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Status {
    /// Nothing usable could be read.
    Unknown,
    /// Registered, signing in, nothing wrong.
    Healthy,
    /// Registered, but something will sooner or later deactivate it.
    AtRisk,
    /// The agent is fine, but Entra ID blocks the Mac's device (not
    /// compliant, disabled, missing, another device presented).
    NotCompliant,
    /// The user never registered this Mac.
    NotRegistered,
    /// Deactivated: non-compliant in Entra ID until reactivated.
    Deactivated,
}

impl Status {
    /// The stable token, as in the EA and JSON.
    pub(crate) fn token(self) -> &'static str {
        match self {
            Status::Healthy => "healthy",
            Status::AtRisk => "at-risk",
            Status::NotCompliant => "not-compliant",
            Status::Deactivated => "deactivated",
            Status::NotRegistered => "not-registered",
            Status::Unknown => "unknown",
        }
    }

    /// The finding this status is named after, if any.
    fn named_after(self) -> Option<FindingId> {
        match self {
            Status::Deactivated => Some(FindingId::Deactivated),
            Status::NotRegistered => Some(FindingId::NotRegistered),
            _ => None,
        }
    }
}

/// The outcome of one user's analysis.
#[derive(Clone, Debug)]
pub(crate) struct Verdict {
    /// The status.
    pub(crate) status: Status,
    /// The finding to fix first, if any.
    pub(crate) primary_cause: Option<FindingId>,
    /// Findings: the one the status is named after first, then most severe
    /// first, causes before symptoms.
    pub(crate) findings: Vec<Finding>,
    /// The facts the verdict rests on.
    pub(crate) facts: Facts,
    /// Why the status is `unknown`, when it is.
    pub(crate) unknown_reason: Option<String>,
}

/// Why nothing can be said of a user whose verdict has no grounds.
fn unknown_reason(facts: &Facts) -> String {
    let no_prefs = if facts.prefs.user_prefs_present {
        String::new()
    } else {
        format!(" and {} has no agent preferences", facts.user())
    };
    if !facts.anything_usable() {
        if let Some(problem) = facts.log.problems.first() {
            return format!("the log could not be read ({problem})");
        }
        if let Some(input) = facts.log.unrecognised.first() {
            return format!("{input} is in no log show style, and nothing else could be read");
        }
        return "nothing usable could be read (no agent preferences, Jamf files or log entries)"
            .to_string();
    }
    if let Some(problem) = facts.log.problems.first() {
        return format!("the log could not be read ({problem}){no_prefs}");
    }
    if facts.log.unusable() {
        return format!("no log entry in a known style{no_prefs}");
    }
    if facts.log_only_before_window() {
        return format!(
            "the log's {} matching entries all lie before the window ({} to {}): nothing in it says how the Mac is now; give --now at the log's time or a longer --since",
            facts.entries_before_window,
            crate::util::time::format_local(facts.window.start, facts.window.end.timezone()),
            crate::util::time::format_local(facts.window.end, facts.window.end.timezone()),
        );
    }
    format!(
        "no agent preferences of {} and no sign-in of theirs in the log",
        facts.user()
    )
}

fn names_a_status(finding: &Finding) -> bool {
    matches!(
        finding.id,
        FindingId::Deactivated | FindingId::NotRegistered | FindingId::PssoRegistrationPending
    )
}

/// The primary cause of a report of `status` among its `problems` (the
/// findings that decided it), the one rule of every report: none when
/// healthy or unknown; the link that broke when the device is blocked (the
/// device chain's findings only, a stale inventory before the
/// non-compliance it causes); otherwise the first problem in cause order
/// that is not the deactivation itself, else the deactivation.
pub(crate) fn primary_cause(
    status: Status,
    problems: impl IntoIterator<Item = FindingId>,
) -> Option<FindingId> {
    let problems = problems.into_iter();
    match status {
        Status::Healthy | Status::Unknown => None,
        Status::NotRegistered => problems
            .filter(|id| {
                matches!(
                    id,
                    FindingId::NotRegistered | FindingId::PssoRegistrationPending
                )
            })
            .min_by_key(|id| id.cause_rank())
            .or(Some(FindingId::NotRegistered)),
        Status::NotCompliant => problems
            .filter(|id| id.blocks_the_device() || *id == FindingId::InventoryStale)
            .min_by_key(|id| id.cause_rank()),
        Status::Deactivated | Status::AtRisk => problems
            .filter(|id| *id != FindingId::Deactivated)
            .min_by_key(|id| id.cause_rank())
            .or(Some(FindingId::Deactivated)),
    }
}

impl Verdict {
    /// Decides the status and primary cause of `findings`.
    pub(crate) fn decide(mut findings: Vec<Finding>, facts: Facts) -> Self {
        findings.sort_by(|a, b| {
            names_a_status(b)
                .cmp(&names_a_status(a))
                .then(b.severity.cmp(&a.severity))
                .then(a.id.cause_rank().cmp(&b.id.cause_rank()))
        });
        let has = |id: FindingId| findings.iter().any(|f| f.id == id);
        let problems: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.severity >= Severity::Warning && !f.id.is_tool_failure())
            .collect();
        let grounded =
            facts.prefs.user_prefs_present || facts.last_success_source == Some(SuccessSource::Log);
        let blocks = |f: &&Finding| f.id.blocks_the_device() && f.severity == Severity::Critical;
        let status = if has(FindingId::Deactivated) {
            Status::Deactivated
        } else if has(FindingId::NotRegistered) || has(FindingId::PssoRegistrationPending) {
            Status::NotRegistered
        } else if problems.iter().any(blocks) {
            Status::NotCompliant
        } else if !facts.anything_usable() {
            Status::Unknown
        } else if problems.iter().any(|f| f.id != FindingId::Deactivated) {
            Status::AtRisk
        } else if grounded && !facts.log.unusable() && !facts.log_only_before_window() {
            // Healthy needs a log that could be read and that speaks of the
            // window: preferences alone cannot show a failing sign-in.
            Status::Healthy
        } else {
            Status::Unknown
        };
        let unknown_reason = (status == Status::Unknown).then(|| unknown_reason(&facts));
        let primary_cause = primary_cause(status, problems.iter().map(|f| f.id));
        Verdict {
            status,
            primary_cause,
            findings,
            facts,
            unknown_reason,
        }
    }

    /// IDs of the warning and critical findings, primary cause first, for the EA.
    pub(crate) fn problem_ids(&self) -> Vec<FindingId> {
        let mut ids: Vec<FindingId> = self
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Warning && !f.id.is_tool_failure())
            .map(|f| f.id)
            .filter(|id| Some(*id) != self.status.named_after())
            .collect();
        ids.sort_by_key(|id| id.cause_rank());
        ids.dedup();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;

    fn finding(id: FindingId, severity: Severity) -> Finding {
        Finding::bare(id, severity, id.as_str())
    }

    fn facts() -> Facts {
        Scenario::registered().facts().0
    }

    #[test]
    fn deactivated_wins_and_names_the_root_cause() {
        let verdict = Verdict::decide(
            vec![
                finding(FindingId::SilentAuthFailed, Severity::Warning),
                finding(FindingId::Deactivated, Severity::Critical),
                finding(FindingId::AppssoNotAppssoUrl, Severity::Warning),
                finding(FindingId::InputUnreadable, Severity::Critical),
            ],
            facts(),
        );
        assert_eq!(verdict.status, Status::Deactivated);
        assert_eq!(verdict.primary_cause, Some(FindingId::AppssoNotAppssoUrl));
        assert_eq!(verdict.findings[0].id, FindingId::Deactivated);
        assert_eq!(
            verdict.problem_ids(),
            vec![
                FindingId::AppssoNotAppssoUrl,
                FindingId::SilentAuthFailed,
                FindingId::InputUnreadable
            ]
        );
    }

    #[test]
    fn deactivated_alone_is_its_own_cause() {
        let verdict = Verdict::decide(
            vec![finding(FindingId::Deactivated, Severity::Critical)],
            facts(),
        );
        assert_eq!(verdict.primary_cause, Some(FindingId::Deactivated));
        assert!(verdict.problem_ids().is_empty());
    }

    #[test]
    fn not_registered_before_at_risk() {
        let verdict = Verdict::decide(
            vec![
                finding(FindingId::TokenStale, Severity::Warning),
                finding(FindingId::NotRegistered, Severity::Critical),
            ],
            facts(),
        );
        assert_eq!(verdict.status, Status::NotRegistered);
        assert_eq!(verdict.primary_cause, Some(FindingId::NotRegistered));
    }

    #[test]
    fn info_findings_never_change_the_status() {
        let verdict = Verdict::decide(
            vec![
                finding(FindingId::RecurringAuthRemoved, Severity::Info),
                finding(FindingId::TokenStale, Severity::Info),
            ],
            facts(),
        );
        assert_eq!(verdict.status, Status::Healthy);
        assert_eq!(verdict.primary_cause, None);
    }

    #[test]
    fn at_risk_names_the_first_cause_and_sorts_by_severity() {
        let verdict = Verdict::decide(
            vec![
                finding(FindingId::InteractiveAuthFailed, Severity::Warning),
                finding(FindingId::InvalidGrant, Severity::Warning),
                finding(FindingId::RecurringAuthRemoved, Severity::Info),
                finding(FindingId::LogIncomplete, Severity::Critical),
            ],
            facts(),
        );
        assert_eq!(verdict.status, Status::AtRisk);
        assert_eq!(verdict.primary_cause, Some(FindingId::InvalidGrant));
        let order: Vec<FindingId> = verdict.findings.iter().map(|f| f.id).collect();
        assert_eq!(
            order,
            vec![
                FindingId::LogIncomplete,
                FindingId::InvalidGrant,
                FindingId::InteractiveAuthFailed,
                FindingId::RecurringAuthRemoved
            ]
        );
    }

    #[test]
    fn nothing_read_is_unknown() {
        let mut facts = facts();
        facts.log.entries = 0;
        facts.inputs.clear();
        let verdict = Verdict::decide(
            vec![finding(FindingId::TokenStale, Severity::Warning)],
            facts,
        );
        assert_eq!(verdict.status, Status::Unknown);
        assert_eq!(verdict.primary_cause, None);
    }

    #[test]
    fn statuses_are_ordered_by_seriousness() {
        assert!(Status::Deactivated > Status::NotRegistered);
        assert!(Status::NotRegistered > Status::AtRisk);
        assert!(Status::AtRisk > Status::Healthy);
        assert!(Status::Healthy > Status::Unknown);
    }

    #[test]
    fn one_primary_cause_rule_for_every_report() {
        use FindingId::*;
        assert_eq!(primary_cause(Status::Healthy, [DeviceDisabled]), None);
        assert_eq!(primary_cause(Status::Unknown, [DeviceDisabled]), None);
        // Blocked: the chain's link, a stale inventory before what it causes.
        assert_eq!(
            primary_cause(
                Status::NotCompliant,
                [DuplicateDeviceRecords, DeviceNotCompliant, InventoryStale]
            ),
            Some(InventoryStale)
        );
        assert_eq!(
            primary_cause(
                Status::NotCompliant,
                [DeviceNotCompliant, DeviceRecordMissing]
            ),
            Some(DeviceRecordMissing)
        );
        // Deactivated: what caused it, else the deactivation itself.
        assert_eq!(
            primary_cause(Status::Deactivated, [Deactivated]),
            Some(Deactivated)
        );
        assert_eq!(
            primary_cause(Status::AtRisk, [DuplicateDeviceRecords]),
            Some(DuplicateDeviceRecords)
        );
    }
}
