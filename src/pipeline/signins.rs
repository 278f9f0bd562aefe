//! The path from sign-in exports to a report: every file read and folded
//! into the evidence (an unreadable one recorded, the others still read),
//! the sign-in detectors, the verdict.

use crate::detectors::signins::run_all;
use crate::entra::signins::read_file;
use crate::evidence::signins::SignInEvidence;
use crate::verdict::SignInsReport;
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
