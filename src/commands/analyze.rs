//! `ca-doctor analyze PATH`: the report of a bundle or a plain log export.

use super::print_or_fail;
use crate::bundle;
use crate::cli::AnalyzeArgs;

/// Runs `analyze`; returns the process exit code.
pub(crate) fn run(args: &AnalyzeArgs) -> u8 {
    let report = args
        .overrides()
        .and_then(|overrides| bundle::analyze(&args.path, &overrides));
    print_or_fail(report, args.format, args.verbose)
}
