//! `ca-doctor policies`: audit the tenant's Conditional Access policies for
//! what breaks Jamf Connect and locks users out of their Macs.

use super::EXIT_OK;
use crate::cli::{PoliciesArgs, PoliciesFormat};
use crate::pipeline::policies::judge_policies;
use crate::render::policies::{render_human, render_json};
use std::io::Write;

/// Runs `policies`; returns the process exit code.
pub(crate) fn run(args: &PoliciesArgs) -> u8 {
    let report = judge_policies(&args.paths, &args.jamf_connect_apps);
    let text = match args.format {
        PoliciesFormat::Human => render_human(&report, args.verbose),
        PoliciesFormat::Json => render_json(&report) + "\n",
    };
    let mut out = anstream::stdout();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    EXIT_OK
}
