//! The subcommands, kept thin: parse flags, run the analysis, render.

pub mod analyze;
pub mod check;
pub mod collect;
pub mod ea;
pub mod tick;

use crate::cli::UsageError;
use std::time::Duration;

/// Exit code: the report was printed (whatever the status).
pub const EXIT_OK: u8 = 0;
/// Exit code: an input named on the command line could not be read, or the
/// work could not be done (no user found, state not written).
pub const EXIT_INPUT_ERROR: u8 = 1;
/// Exit code: a flag or value was wrong.
pub const EXIT_USAGE: u8 = 2;

/// Default time limit of the live `log show` for `check`.
pub const CHECK_LOG_TIMEOUT: Duration = Duration::from_secs(300);
/// Default time limit of the live `log show` for `ea` (its fallback).
pub const EA_LOG_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time limit of the live `log show` for `tick`.
pub const TICK_LOG_TIMEOUT: Duration = Duration::from_secs(600);

/// The exit code an error deserves.
pub fn exit_code_for(error: &anyhow::Error) -> u8 {
    if error.downcast_ref::<UsageError>().is_some() {
        EXIT_USAGE
    } else {
        EXIT_INPUT_ERROR
    }
}

/// Prints an error the one way errors are printed and returns its exit code.
pub fn fail(error: &anyhow::Error) -> u8 {
    eprintln!("ca-doctor: error: {error:#}");
    exit_code_for(error)
}

/// Prints a report in `format`, or the error that prevented it.
pub fn print_or_fail(
    report: anyhow::Result<crate::analysis::Report>,
    format: crate::cli::Format,
) -> u8 {
    match report {
        Ok(report) => {
            crate::render::print_report(&report, format);
            EXIT_OK
        }
        Err(error) => fail(&error),
    }
}
