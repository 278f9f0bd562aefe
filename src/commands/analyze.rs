//! `ca-doctor analyze PATH`: the report of a bundle or a plain log export.

use super::{EXIT_OK, exit_code_for};
use crate::bundle;
use crate::cli::AnalyzeArgs;
use crate::render::print_report;

/// Runs `analyze`; returns the process exit code.
pub fn run(args: &AnalyzeArgs) -> u8 {
    let report = match args
        .overrides()
        .and_then(|overrides| bundle::analyze(&args.path, &overrides))
    {
        Ok(report) => report,
        Err(error) => {
            eprintln!("ca-doctor: error: {error:#}");
            return exit_code_for(&error);
        }
    };
    print_report(&report, args.format);
    EXIT_OK
}
