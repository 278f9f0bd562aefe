//! `ca-doctor check`: analyse and print the report (human or JSON).

use super::{EXIT_OK, exit_code_for};
use crate::analysis::analyze;
use crate::cli::{CheckArgs, Format};
use crate::render::{human, json};

/// Runs `check`; returns the process exit code.
pub fn run(args: &CheckArgs) -> u8 {
    let verdict = match args
        .analysis
        .request()
        .and_then(|request| analyze(&request))
    {
        Ok(verdict) => verdict,
        Err(error) => {
            eprintln!("ca-doctor: error: {error:#}");
            return exit_code_for(&error);
        }
    };
    match args.format {
        Format::Human => print!("{}", human::render(&verdict, human::Style::detect())),
        Format::Json => println!("{}", json::render(&verdict)),
    }
    EXIT_OK
}
