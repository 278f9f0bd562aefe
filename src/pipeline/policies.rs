//! The policy exports' path: read every path, judge each policy's reach
//! for the Jamf Connect sign-in, run the policy detectors, decide. The
//! Jamf Connect target of the tenant commands is gathered here too.

use crate::detectors::policies::run_all;
use crate::evidence::policies::{JamfConnectTarget, PolicyEvidence};
use crate::inputs::InputState;
use crate::mac::jamf_connect::computer_configuration;
use crate::mac::paths::SystemPaths;
use crate::report::PoliciesReport;
use crate::tenant::entra::policies::{NOT_JSON, read_paths};
use std::path::{Path, PathBuf};

/// Reads the policies at `paths` and judges them for the given Jamf Connect
/// sign-in. Fails, naming the path, when one is missing or no policy export
/// at all (not JSON); a broken export is a finding instead.
pub(crate) fn audit(
    paths: &[PathBuf],
    target: JamfConnectTarget,
) -> anyhow::Result<PoliciesReport> {
    let (policies, inputs) = read_paths(paths);
    for input in &inputs {
        match (&input.state, input.reason.as_deref()) {
            (InputState::Missing, _) => anyhow::bail!("{}: no such file", input.path),
            (InputState::Unreadable, Some(reason)) if reason.starts_with(NOT_JSON) => {
                anyhow::bail!("{}: {reason}", input.path)
            }
            _ => {}
        }
    }
    let evidence = PolicyEvidence::of(policies, inputs, target);
    let findings = run_all(&evidence);
    Ok(PoliciesReport::decide(findings, evidence))
}

/// The Jamf Connect target the tenant commands judge for: the apps named
/// on the command line (`--jamf-connect-app`), with what the computer's
/// configuration under `root` adds (`--root`: its app IDs and scopes).
pub(crate) fn jamf_connect_target(apps: &[String], root: Option<&Path>) -> JamfConnectTarget {
    let mut target = JamfConnectTarget {
        apps: apps.to_vec(),
        default_scopes_only: false,
    };
    if let Some(config) = root
        .map(SystemPaths::new)
        .as_ref()
        .and_then(computer_configuration)
    {
        target.merge(JamfConnectTarget::of_config(&config));
    }
    target
}
