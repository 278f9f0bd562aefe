//! The path from sign-in exports to a report: every file read and folded
//! into the evidence (an unreadable one recorded, the others still read),
//! the sign-in detectors, the verdict.

use super::policies::judge_policies;
use super::request::Request;
use crate::detectors::signins::run_all;
use crate::entra::signins::outcome::AppRole;
use crate::entra::signins::read_file;
use crate::evidence::observations::{Attribution, Window};
use crate::evidence::policies::JamfConnectTarget;
use crate::evidence::signins::{MatchedSignIn, SignInEvidence};
use crate::evidence::store::EvidenceStore;
use crate::findings::{Evidence, Finding, FindingId};
use crate::inputs::InputRecord;
use crate::mac::jamf_connect::JamfConnect;
use crate::mac::log::SignatureId;
use crate::verdict::SignInsReport;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// What to read.
pub(crate) struct SignInsRequest {
    /// The exports.
    pub(crate) files: Vec<PathBuf>,
    /// App IDs of the tenant's Jamf Connect apps.
    pub(crate) jamf_connect_apps: Vec<String>,
    /// Conditional Access policy exports that may explain the failures.
    pub(crate) policies: Vec<PathBuf>,
    /// A Mac's Jamf Connect asks only for the default scopes (`--root`).
    pub(crate) default_scopes_only: bool,
}

/// Reads the exports and judges them.
pub(crate) fn judge_signins(request: &SignInsRequest) -> SignInsReport {
    let mut evidence = SignInEvidence::default();
    for file in &request.files {
        let read = read_file(file, &mut |sign_in| {
            evidence.add(sign_in, &request.jamf_connect_apps);
        });
        evidence.skipped = evidence.skipped.saturating_add(read.skipped);
        evidence.inputs.extend(read.input);
    }
    let mut findings = run_all(&evidence);
    if !request.policies.is_empty() {
        let mut apps = request.jamf_connect_apps.clone();
        apps.extend(jamf_connect_apps_seen(&evidence));
        let audit = judge_policies(
            &request.policies,
            JamfConnectTarget {
                apps,
                default_scopes_only: request.default_scopes_only,
            },
        );
        explain_with_policies(&mut findings, &audit.findings);
    }
    SignInsReport::decide(findings, evidence)
}

/// The app IDs the sign-ins show in the Jamf Connect role.
pub(crate) fn jamf_connect_apps_seen(evidence: &SignInEvidence) -> Vec<String> {
    evidence
        .by_app
        .values()
        .filter(|app| app.role == AppRole::JamfConnect && app.app_id != "unknown")
        .map(|app| app.app_id.clone())
        .collect()
}

/// Adds to the sign-in findings what the policy audit found: the policies
/// that explain the MFA answers, and the failing policies it flagged.
fn explain_with_policies(findings: &mut [Finding], flagged: &[Finding]) {
    let by_id = |id: FindingId| -> Vec<String> {
        flagged
            .iter()
            .filter(|f| f.id == id)
            .filter_map(|f| f.subject.clone())
            .collect()
    };
    let mfa = by_id(FindingId::MfaPolicyHitsRopg);
    for finding in findings.iter_mut() {
        if finding.id == FindingId::RopgMfaRequired && !mfa.is_empty() {
            finding.evidence.push(
                Evidence::count("explained by", mfa.len() as u64).with_items(
                    mfa.iter()
                        .map(|name| format!("{name} (mfa-policy-hits-ropg)"))
                        .collect(),
                ),
            );
        }
        let failing: Vec<String> = finding
            .evidence
            .iter()
            .filter(|e| e.label == "policies that failed")
            .flat_map(|e| e.items.iter())
            .filter_map(|item| item.rsplit_once(": ").map(|(name, _)| name.to_string()))
            .collect();
        let named: Vec<String> = flagged
            .iter()
            .filter_map(|f| {
                let subject = f.subject.as_ref()?;
                failing
                    .contains(subject)
                    .then(|| format!("{subject} ({})", f.id))
            })
            .collect();
        if !named.is_empty() && finding.id != FindingId::RopgMfaRequired {
            finding.evidence.push(
                Evidence::count("flagged by the policy audit", named.len() as u64)
                    .with_items(named),
            );
        }
    }
}

/// What the sign-in exports hold of the Mac: the sign-ins matching its
/// failures, each Jamf Connect user's own sign-ins, and the input records.
pub(crate) struct JoinedSignIns {
    /// Sign-ins whose correlation IDs the Mac logged with `invalid_grant`.
    pub(crate) matches: Vec<MatchedSignIn>,
    /// The sign-ins of each Jamf Connect user (UPN, lower case) in the window.
    pub(crate) by_upn: BTreeMap<String, SignInEvidence>,
    /// Every export and what became of it.
    pub(crate) inputs: Vec<InputRecord>,
}

/// With `--signins`: the sign-ins whose correlation IDs the Mac logged with
/// `invalid_grant` in the window (any account's), and the window's sign-ins
/// of the UPNs Jamf Connect knows on this Mac. The exports stream past; only
/// matches are kept.
pub(crate) fn correlated(
    request: &Request,
    store: &EvidenceStore,
    window: &Window,
    jamf_connects: &[&JamfConnect],
) -> Option<JoinedSignIns> {
    if request.signins.is_empty() {
        return None;
    }
    let wanted: BTreeSet<String> = store
        .observations(window, Attribution::Everyone)
        .get(SignatureId::InvalidGrant)
        .map(|s| s.correlations.iter().map(|c| c.id.clone()).collect())
        .unwrap_or_default();
    let upns: BTreeSet<String> = jamf_connects
        .iter()
        .filter_map(|c| c.upn.as_ref())
        .map(|upn| upn.to_lowercase())
        .collect();
    let apps: Vec<String> = jamf_connects.iter().flat_map(|c| c.app_ids()).collect();
    let mut joined = JoinedSignIns {
        matches: Vec::new(),
        by_upn: BTreeMap::new(),
        inputs: Vec::new(),
    };
    for file in &request.signins {
        let read = read_file(file, &mut |sign_in| {
            if sign_in
                .correlation_id
                .as_ref()
                .is_some_and(|id| wanted.contains(id))
            {
                joined.matches.push(MatchedSignIn::of(sign_in));
            }
            let in_window = sign_in
                .time
                .is_none_or(|t| t >= window.start && t <= window.end);
            if let Some(upn) = sign_in.upn.as_ref().map(|u| u.to_lowercase())
                && in_window
                && upns.contains(&upn)
            {
                joined.by_upn.entry(upn).or_default().add(sign_in, &apps);
            }
        });
        joined.inputs.extend(read.input);
    }
    joined.matches.sort_by_key(|m| m.time);
    Some(joined)
}
