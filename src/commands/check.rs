//! `ca-doctor check`: analyse and print the report (human or JSON).

use super::{CHECK_LOG_TIMEOUT, EXIT_OK, exit_code_for};
use crate::analysis::analyze;
use crate::cli::CheckArgs;
use crate::render::print_report;

/// Runs `check`; returns the process exit code.
pub fn run(args: &CheckArgs) -> u8 {
    let report = match args
        .analysis
        .request(CHECK_LOG_TIMEOUT)
        .and_then(|request| analyze(&request))
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
