//! `ca-doctor check`: analyse and print the report (human or JSON).

use super::{CHECK_LOG_TIMEOUT, EXIT_OK, exit_code_for};
use crate::analysis::analyze;
use crate::cli::{CheckArgs, Format};
use crate::render::{html, human, json};

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
    match args.format {
        Format::Human => print!("{}", human::render_report(&report, human::Style::detect())),
        Format::Json => println!("{}", json::render_report(&report)),
        Format::Html => print!("{}", html::render(&report)),
    }
    EXIT_OK
}
