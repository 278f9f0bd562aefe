//! The sign-in exports' paths: the `signins` report (every file read and
//! folded into the evidence, an unreadable one recorded and the others
//! still read; with `--policies`, the audit that explains the failures),
//! and the join of the exports with a Mac's log evidence.

use super::policies::audit;
use crate::detectors::signins::run_all;
use crate::evidence::chain::DeviceSignIn;
use crate::evidence::observations::{Attribution, Window};
use crate::evidence::policies::JamfConnectTarget;
use crate::evidence::signins::{JoinedSignIns, MatchedSignIn, SignInEvidence};
use crate::evidence::store::EvidenceStore;
use crate::inputs::InputRecord;
use crate::mac::jamf_connect::JamfConnect;
use crate::report::SignInsReport;
use crate::tenant::entra::signins::outcome::AppRole;
use crate::tenant::entra::signins::read_file;
use crate::tenant::keys::Keys;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// What `signins` is asked.
pub(crate) struct SignInsRequest {
    /// The exports.
    pub(crate) files: Vec<PathBuf>,
    /// App IDs of the tenant's Jamf Connect apps.
    pub(crate) jamf_connect_apps: Vec<String>,
    /// Conditional Access policy exports that may explain the failures.
    pub(crate) policies: Vec<PathBuf>,
    /// A Mac's Jamf Connect asks only for the default scopes (`--root`).
    pub(crate) default_scopes_only: bool,
    /// Files of `--tenant` folders left aside, named among the inputs.
    pub(crate) skipped: Vec<InputRecord>,
}

/// Reads the exports (and the policies, when asked) and judges them. Fails,
/// naming the file, when a path is missing, cannot be opened, is a folder
/// without exports or is no sign-in export at all; a broken export of which
/// some records were read is a finding instead.
pub(crate) fn judge_signins(request: &SignInsRequest) -> anyhow::Result<SignInsReport> {
    let files = exports_in(&request.files)?;
    let (mut evidence, refused) = read_each(&files, &request.jamf_connect_apps);
    evidence.inputs.extend(request.skipped.iter().cloned());
    if let Some((path, reason)) = refused.into_iter().next() {
        anyhow::bail!("{}: {reason}", path.display());
    }
    let policy_audit = (!request.policies.is_empty())
        .then(|| {
            let mut apps = request.jamf_connect_apps.clone();
            apps.extend(jamf_connect_apps_seen(&evidence));
            audit(
                &request.policies,
                JamfConnectTarget {
                    apps,
                    default_scopes_only: request.default_scopes_only,
                },
            )
            .map(|audit| audit.findings)
        })
        .transpose()?;
    let findings = run_all(&evidence, policy_audit.as_deref());
    Ok(SignInsReport::decide(findings, evidence))
}

/// The export files `paths` name: a file as it is, a folder's `*.json` and
/// `*.csv` files (by the one folder rule). Fails for a folder without any.
pub(crate) fn exports_in(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let found: Vec<PathBuf> = crate::util::files::list_folder(path, 0)
            .map_err(|e| anyhow::anyhow!("{}: cannot list: {e}", path.display()))?
            .files
            .into_iter()
            .filter(|p| {
                p.extension().is_some_and(|x| {
                    x.eq_ignore_ascii_case("json") || x.eq_ignore_ascii_case("csv")
                })
            })
            .collect();
        anyhow::ensure!(
            !found.is_empty(),
            "{}: a folder without any .json or .csv export",
            path.display()
        );
        files.extend(found);
    }
    Ok(files)
}

/// Reads every export into one evidence, `jamf_connect_apps` naming the
/// Jamf Connect apps; an unreadable file is recorded, the others still read.
pub(crate) fn read_sign_ins(files: &[PathBuf], jamf_connect_apps: &[String]) -> SignInEvidence {
    read_each(files, jamf_connect_apps).0
}

/// [`read_sign_ins`], with the files of which nothing could be read as
/// sign-ins and why.
fn read_each(
    files: &[PathBuf],
    jamf_connect_apps: &[String],
) -> (SignInEvidence, Vec<(PathBuf, String)>) {
    let mut evidence = SignInEvidence::default();
    let mut refused = Vec::new();
    for file in files {
        let read = read_file(file, &mut |sign_in| {
            evidence.add(sign_in, jamf_connect_apps);
        });
        if read.refused {
            let reason = read
                .input
                .as_ref()
                .and_then(|i| i.reason.clone())
                .unwrap_or_default();
            refused.push((file.clone(), reason));
        }
        evidence.skipped = evidence.skipped.saturating_add(read.skipped);
        evidence.inputs.extend(read.input);
    }
    (evidence, refused)
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

/// The sign-ins of the exports `files` that concern a Mac: those whose
/// correlation IDs it logged with a failure in the window (`invalid_grant`,
/// the SSO extension's refusals; any account's), and the window's sign-ins of the UPNs Jamf Connect knows on
/// it. The exports stream past; only matches are kept.
pub(crate) fn join_sign_ins(
    files: &[PathBuf],
    store: &EvidenceStore,
    window: &Window,
    jamf_connects: &[&JamfConnect],
    chain: &Keys,
) -> JoinedSignIns {
    let wanted: BTreeSet<String> = store
        .observations(window, Attribution::Everyone)
        .signatures
        .values()
        .flat_map(|s| s.correlations.iter().map(|c| c.id.clone()))
        .collect();
    let upns: BTreeSet<String> = jamf_connects
        .iter()
        .filter_map(|c| c.upn.as_ref())
        .map(|upn| upn.to_lowercase())
        .collect();
    let apps: Vec<String> = jamf_connects.iter().flat_map(|c| c.app_ids()).collect();
    let mut joined = JoinedSignIns::default();
    for file in files {
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
            if in_window && sign_in.belongs(chain) {
                joined.devices.push(DeviceSignIn::of(sign_in));
            }
        });
        joined.inputs.extend(read.input);
    }
    joined.matches.sort_by_key(|m| m.time);
    joined
}
