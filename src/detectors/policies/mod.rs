//! Detectors of Conditional Access policies: one finding per policy and
//! concern, about that policy (the subject), with its ID, state and reach.
//! A report-only policy gives the same finding as info, worded "would … once
//! enforced".

pub(crate) mod baseline_scopes_enforced;
pub(crate) mod ignored_policies;
pub(crate) mod jamf_connect_blocked_by_app_grant;
pub(crate) mod location_condition;
pub(crate) mod lockout_compliant_device;
pub(crate) mod mfa_policy_hits_ropg;

use crate::evidence::policies::{PolicyEvidence, Reach};
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::tenant::entra::policies::{Policy, PolicyState};

/// Every policy detector, in report order.
pub(crate) const DETECTORS: &[fn(&PolicyEvidence) -> Vec<Finding>] = &[
    lockout_compliant_device::detect,
    jamf_connect_blocked_by_app_grant::detect,
    mfa_policy_hits_ropg::detect,
    location_condition::detect,
    baseline_scopes_enforced::detect,
    ignored_policies::detect,
];

/// Runs every policy detector, then says which exports could not be read.
pub(crate) fn run_all(evidence: &PolicyEvidence) -> Vec<Finding> {
    let mut findings: Vec<Finding> = DETECTORS
        .iter()
        .flat_map(|detect| detect(evidence))
        .collect();
    findings.extend(super::input_unreadable::of_exports(
        &evidence.inputs,
        super::input_unreadable::Export::Policies,
    ));
    findings
}

/// Whether the grant can only be met by `only` controls: every control
/// required (`AND`, or a single control) includes one of them, or every
/// alternative (`OR`) is one of them.
pub(crate) fn no_alternative(policy: &Policy, only: &[&str]) -> bool {
    let is = |control: &String| only.iter().any(|o| control.eq_ignore_ascii_case(o));
    let any = policy.controls.iter().any(is);
    let or = policy
        .operator
        .as_deref()
        .is_some_and(|op| op.eq_ignore_ascii_case("OR"));
    if or && policy.controls.len() > 1 {
        any && policy.controls.iter().all(is) && !policy.authentication_strength
    } else {
        any
    }
}

/// Grant controls no Jamf Connect sign-in can meet: it is neither an
/// approved client app nor an app under an app protection policy.
pub(crate) const APP_CONTROLS: [&str; 2] = ["approvedApplication", "compliantApplication"];

/// [`no_alternative`] for the Jamf Connect sign-in: the alternatives of an
/// `OR` grant that Jamf Connect can never meet ([`APP_CONTROLS`]) are no
/// way through, so "approved client app OR compliant device" demands a
/// compliant device of it.
pub(crate) fn no_alternative_for_jamf_connect(policy: &Policy, only: &[&str]) -> bool {
    let possible =
        |control: &&String| !APP_CONTROLS.iter().any(|a| control.eq_ignore_ascii_case(a));
    let is = |control: &String| only.iter().any(|o| control.eq_ignore_ascii_case(o));
    let or = policy
        .operator
        .as_deref()
        .is_some_and(|op| op.eq_ignore_ascii_case("OR"));
    if or && policy.controls.len() > 1 {
        let mut ways = policy.controls.iter().filter(possible).peekable();
        ways.peek().is_some() && ways.all(is) && !policy.authentication_strength
    } else {
        no_alternative(policy, only)
    }
}

/// Whether an `OR` grant offers app controls Jamf Connect cannot meet
/// beside its other options (said in the finding).
pub(crate) fn offers_app_controls(policy: &Policy) -> bool {
    let or = policy
        .operator
        .as_deref()
        .is_some_and(|op| op.eq_ignore_ascii_case("OR"));
    or && policy
        .controls
        .iter()
        .any(|c| APP_CONTROLS.iter().any(|a| c.eq_ignore_ascii_case(a)))
}

/// What a per-policy finding says.
pub(crate) struct PerPolicy<'a> {
    /// The finding.
    pub(crate) id: FindingId,
    /// Its severity when the policy is enforced.
    pub(crate) severity: Severity,
    /// The summary: `enforced` is "blocks" or "would block once enforced"…
    pub(crate) summary: &'a dyn Fn(&Policy, bool) -> String,
    /// The next steps.
    pub(crate) remediation: &'a [&'a str],
}

/// The finding about one policy.
pub(crate) fn policy_finding(policy: &Policy, reach: &Reach, what: &PerPolicy) -> Finding {
    let enforced = policy.state != Some(PolicyState::ReportOnly);
    let mut evidence = vec![
        EvidenceRow::new("policy", format!("{} ({})", policy.name, policy.id)),
        EvidenceRow::new("state", policy.state.map_or("unknown", PolicyState::label)),
        EvidenceRow::new(
            "grant controls",
            format!(
                "{} ({})",
                policy.controls.join(", "),
                policy.operator.as_deref().unwrap_or("no operator")
            ),
        ),
        EvidenceRow::new(
            "applications",
            format!(
                "includes {}{}",
                policy.include_apps.join(", "),
                if policy.exclude_apps.is_empty() {
                    String::new()
                } else {
                    format!("; excludes {}", policy.exclude_apps.join(", "))
                }
            ),
        ),
    ];
    if let Some(why) = &reach.exclusion_without_effect {
        evidence.push(EvidenceRow::new(
            "the exclusion of Jamf Connect has no effect",
            why.clone(),
        ));
    }
    for note in &reach.notes {
        evidence.push(EvidenceRow::new("not decided offline", note.clone()));
    }
    Finding {
        id: what.id,
        severity: if enforced {
            what.severity
        } else {
            Severity::Info
        },
        summary: (what.summary)(policy, enforced),
        evidence,
        remediation: what.remediation.iter().map(|s| s.to_string()).collect(),
        subject: Some(policy.name.clone()),
    }
}

/// The findings of `what` for every policy that reaches the Jamf Connect
/// sign-in and for which `applies` holds.
pub(crate) fn per_policy(
    evidence: &PolicyEvidence,
    applies: impl Fn(&Policy, &Reach) -> bool,
    what: &PerPolicy,
) -> Vec<Finding> {
    evidence
        .policies
        .iter()
        .filter(|(policy, reach)| reach.reaches && applies(policy, reach))
        .map(|(policy, reach)| policy_finding(policy, reach, what))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(operator: &str, controls: &[&str]) -> Policy {
        Policy {
            operator: Some(operator.to_string()),
            controls: controls.iter().map(|c| c.to_string()).collect(),
            ..Policy::default()
        }
    }

    #[test]
    fn the_options_jamf_connect_cannot_meet_are_no_way_through() {
        let device = ["compliantDevice", "domainJoinedDevice"];
        // Approved app or compliant device: only the device is a way.
        let mixed = grant("OR", &["approvedApplication", "compliantDevice"]);
        assert!(no_alternative_for_jamf_connect(&mixed, &device));
        assert!(offers_app_controls(&mixed));
        assert!(
            !no_alternative(&mixed, &device),
            "the plain rule sees an alternative"
        );
        // Near misses: MFA is another way; an AND says nothing of options;
        // app controls alone are the app grant's finding, not a lockout.
        let with_mfa = grant("OR", &["approvedApplication", "compliantDevice", "mfa"]);
        assert!(!no_alternative_for_jamf_connect(&with_mfa, &device));
        let and = grant("AND", &["approvedApplication", "compliantDevice"]);
        assert!(no_alternative_for_jamf_connect(&and, &device));
        assert!(!offers_app_controls(&and));
        let apps_only = grant("OR", &["approvedApplication", "compliantApplication"]);
        assert!(!no_alternative_for_jamf_connect(&apps_only, &device));
        assert!(no_alternative(&apps_only, &APP_CONTROLS));
    }
}
