//! The path from sign-in exports to a report: every file read and folded
//! into the evidence (an unreadable one recorded, the others still read),
//! the sign-in detectors, the verdict.

use super::request::Request;
use crate::detectors::signins::run_all;
use crate::entra::signins::read_file;
use crate::evidence::observations::{Attribution, Window};
use crate::evidence::signins::{MatchedSignIn, SignInEvidence};
use crate::evidence::store::EvidenceStore;
use crate::inputs::InputRecord;
use crate::mac::log::SignatureId;
use crate::verdict::SignInsReport;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// What to read.
pub(crate) struct SignInsRequest {
    /// The exports.
    pub(crate) files: Vec<PathBuf>,
    /// App IDs of the tenant's Jamf Connect apps.
    pub(crate) jamf_connect_apps: Vec<String>,
}

/// Reads the exports and judges them.
pub(crate) fn judge_signins(request: &SignInsRequest) -> SignInsReport {
    let mut evidence = SignInEvidence::default();
    for file in &request.files {
        let read = read_file(file, &mut |sign_in| {
            evidence.add(&sign_in, &request.jamf_connect_apps);
        });
        evidence.skipped = evidence.skipped.saturating_add(read.skipped);
        evidence.inputs.extend(read.input);
    }
    let findings = run_all(&evidence);
    SignInsReport::decide(findings, evidence)
}

/// With `--signins`: the sign-ins whose correlation IDs the Mac logged with
/// `invalid_grant` in the window (any account's), and the exports' input
/// records. The exports stream past; only matches are kept.
pub(crate) fn correlated(
    request: &Request,
    store: &EvidenceStore,
    window: &Window,
) -> Option<(Vec<MatchedSignIn>, Vec<InputRecord>)> {
    if request.signins.is_empty() {
        return None;
    }
    let wanted: BTreeSet<String> = store
        .observations(window, Attribution::Everyone)
        .get(SignatureId::InvalidGrant)
        .map(|s| s.correlations.iter().map(|c| c.id.clone()).collect())
        .unwrap_or_default();
    let mut matches = Vec::new();
    let mut inputs = Vec::new();
    for file in &request.signins {
        let read = read_file(file, &mut |sign_in| {
            if sign_in
                .correlation_id
                .as_ref()
                .is_some_and(|id| wanted.contains(id))
            {
                matches.push(MatchedSignIn::of(&sign_in));
            }
        });
        inputs.extend(read.input);
    }
    matches.sort_by_key(|m| m.time);
    Some((matches, inputs))
}
