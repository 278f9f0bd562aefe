//! The `ca-doctor` executable: dispatches to the subcommands.

use ca_doctor::cli::{Cli, Command};
use ca_doctor::commands;
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "ea") {
        return ExitCode::from(commands::ea::run_guarded(args));
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    let code = match &cli.command {
        Command::Check(args) => commands::check::run(args),
        Command::Tick(args) => commands::tick::run(args),
        Command::Collect(args) => commands::collect::run(args),
        Command::Analyze(args) => commands::analyze::run(args),
        Command::Ea(_) => commands::ea::run_guarded(std::env::args_os().collect()),
    };
    ExitCode::from(code)
}
