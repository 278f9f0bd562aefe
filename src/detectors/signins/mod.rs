//! Detectors of the tenant's sign-in evidence: the per-user findings (one
//! table), the exports that could not be read, and what the policy audit
//! adds to them. Each finding is about the users (the subject) whose
//! sign-ins show the problem, with their counts, times and the policies
//! that applied.

pub(crate) mod explained_by_policies;
pub(crate) mod per_user;

use crate::evidence::signins::SignInEvidence;
use crate::findings::Finding;

/// Runs every sign-in detector, in report order; with the findings of a
/// policy audit (`--policies`), says which policies explain them.
pub(crate) fn run_all(evidence: &SignInEvidence, policy_audit: Option<&[Finding]>) -> Vec<Finding> {
    let mut findings = per_user::detect(evidence);
    findings.extend(super::input_unreadable::of_exports(
        &evidence.inputs,
        super::input_unreadable::Export::SignIns,
    ));
    if let Some(audit) = policy_audit {
        explained_by_policies::explain(&mut findings, audit);
    }
    findings
}
