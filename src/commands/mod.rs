//! The subcommands, kept thin: parse flags, run the analysis, render.

mod analyze;
mod check;
mod collect;
mod ea;
mod tick;

use crate::cli::{Cli, Command, UsageError};
use crate::render::{Format, print_report};
use crate::verdict::Report;
use clap::Parser;
use std::ffi::OsString;
use std::process::ExitCode;
use std::time::Duration;

/// Parses the arguments and runs the subcommand they name. `ea` is parsed
/// by itself so that even bad flags give a `<result>`.
pub(crate) fn dispatch(args: Vec<OsString>) -> ExitCode {
    if args.get(1).is_some_and(|a| a == "ea") {
        return ExitCode::from(ea::run_guarded(args));
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    let code = match &cli.command {
        Command::Check(args) => check::run(args),
        Command::Tick(args) => tick::run(args),
        Command::Collect(args) => collect::run(args),
        Command::Analyze(args) => analyze::run(args),
        Command::Ea(_) => ea::run_guarded(std::env::args_os().collect()),
    };
    ExitCode::from(code)
}

/// Exit code: the report was printed (whatever the status).
pub(crate) const EXIT_OK: u8 = 0;
/// Exit code: an input named on the command line could not be read, or the
/// work could not be done (no user found, state not written).
pub(crate) const EXIT_INPUT_ERROR: u8 = 1;
/// Exit code: a flag or value was wrong.
pub(crate) const EXIT_USAGE: u8 = 2;

/// Default time limit of the live `log show` for `check`.
pub(crate) const CHECK_LOG_TIMEOUT: Duration = Duration::from_secs(300);
/// Default time limit of the live `log show` for `ea` (its fallback).
pub(crate) const EA_LOG_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time limit of the live `log show` for `tick`.
pub(crate) const TICK_LOG_TIMEOUT: Duration = Duration::from_secs(600);

/// The exit code an error deserves.
pub(crate) fn exit_code_for(error: &anyhow::Error) -> u8 {
    if error.downcast_ref::<UsageError>().is_some() {
        EXIT_USAGE
    } else {
        EXIT_INPUT_ERROR
    }
}

/// Prints an error the one way errors are printed and returns its exit code.
pub(crate) fn fail(error: &anyhow::Error) -> u8 {
    eprintln!("ca-doctor: error: {error:#}");
    exit_code_for(error)
}

/// Prints a report in `format`, or the error that prevented it.
fn print_or_fail(report: anyhow::Result<Report>, format: Format) -> u8 {
    match report {
        Ok(report) => {
            print_report(&report, format);
            EXIT_OK
        }
        Err(error) => fail(&error),
    }
}
