//! `ca-doctor signins`: read the tenant's sign-in exports and print which
//! failures are real.

use super::EXIT_OK;
use crate::cli::{SigninsArgs, SigninsFormat};
use crate::evidence::policies::JamfConnectTarget;
use crate::pipeline::signins::{SignInsRequest, judge_signins};
use crate::render::signins::{render_human, render_json};
use std::io::Write;

/// Runs `signins`; returns the process exit code.
pub(crate) fn run(args: &SigninsArgs) -> u8 {
    let target = JamfConnectTarget::from_flags(&args.jamf_connect_apps, args.root.as_deref());
    let report = judge_signins(&SignInsRequest {
        files: args.files.clone(),
        jamf_connect_apps: target.apps,
        policies: args.policies.clone(),
        default_scopes_only: target.default_scopes_only,
    });
    let text = match args.format {
        SigninsFormat::Human => render_human(&report, args.verbose),
        SigninsFormat::Json => render_json(&report) + "\n",
        SigninsFormat::Html => crate::render::html::render_signins(&report, args.verbose),
    };
    let mut out = anstream::stdout();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    EXIT_OK
}
