//! `ca-doctor analyze PATH`: the report of a bundle or a plain log export.

use super::shared::print_or_fail;
use crate::bundle;
use crate::cli::AnalyzeArgs;
use crate::cli::Exit;
use crate::mac::runner::CommandRunner;

/// Runs `analyze`.
pub(crate) fn run(args: &AnalyzeArgs) -> Exit {
    // `-` is standard input, read once into the working folder.
    let path = if args.path.as_os_str() == "-" {
        std::path::PathBuf::from("/dev/stdin")
    } else {
        args.path.clone()
    };
    let report = args.overrides().and_then(|overrides| {
        bundle::analyze(&path, &overrides, CommandRunner::from_environment())
    });
    print_or_fail(report, args.report.format, args.report.verbose)
}
