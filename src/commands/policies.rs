//! `ca-doctor policies`: audit the tenant's Conditional Access policies for
//! what breaks Jamf Connect and locks users out of their Macs.

use super::EXIT_OK;
use crate::cli::{PoliciesArgs, PoliciesFormat};
use crate::evidence::policies::JamfConnectTarget;
use crate::pipeline::policies::judge_policies;
use crate::pipeline::signins::{SignInsRequest, jamf_connect_apps_seen, judge_signins};
use crate::render::policies::{render_human, render_json};
use std::io::Write;

/// Runs `policies`; returns the process exit code.
pub(crate) fn run(args: &PoliciesArgs) -> u8 {
    let mut target = JamfConnectTarget::from_flags(&args.jamf_connect_apps, args.root.as_deref());
    if !args.signins.is_empty() {
        // The apps the sign-ins show in the Jamf Connect role are its apps.
        let seen = judge_signins(&SignInsRequest {
            files: args.signins.clone(),
            jamf_connect_apps: args.jamf_connect_apps.clone(),
            policies: Vec::new(),
            default_scopes_only: false,
        });
        target.merge(JamfConnectTarget {
            apps: jamf_connect_apps_seen(&seen.evidence),
            default_scopes_only: false,
        });
    }
    let report = judge_policies(&args.paths, target);
    let text = match args.format {
        PoliciesFormat::Human => render_human(&report, args.verbose),
        PoliciesFormat::Json => render_json(&report) + "\n",
        PoliciesFormat::Html => crate::render::html::render_policies(&report, args.verbose),
    };
    let mut out = anstream::stdout();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    EXIT_OK
}
