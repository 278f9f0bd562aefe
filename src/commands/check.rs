//! `ca-doctor check`: analyse and print the report (human, JSON or HTML).

use super::{CHECK_LOG_TIMEOUT, print_or_fail, with_spinner};
use crate::cli::CheckArgs;
use crate::pipeline::analyze;

/// Runs `check`; returns the process exit code.
pub(crate) fn run(args: &CheckArgs) -> u8 {
    let report = args
        .analysis
        .request(CHECK_LOG_TIMEOUT)
        .map(|mut request| {
            request.signins = args.signins.clone();
            request.policies = args.policies.clone();
            request
        })
        .and_then(|request| with_spinner(request.is_live(), || analyze(&request)));
    print_or_fail(report, args.format, args.verbose)
}
