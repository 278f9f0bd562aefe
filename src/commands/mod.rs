//! The subcommands, kept thin: parse flags, run the analysis, render.

mod analyze;
mod check;
mod collect;
mod ea;
mod policies;
mod signins;
mod tick;

pub(crate) use crate::cli::Exit;
use crate::cli::{Cli, ColorWhen, Command, Generated, UsageError};
use crate::render::{Format, Printable, print};
use crate::report::Report;
use clap::Parser;
use std::ffi::OsString;
use std::process::ExitCode;
use std::time::Duration;

/// Parses the arguments and runs the subcommand they name. `ea` is parsed
/// by itself so that even bad flags give a `<result>`.
pub(crate) fn dispatch(args: Vec<OsString>) -> ExitCode {
    if subcommand_name(&args).is_some_and(|name| name == "ea") {
        return ea::run_guarded(args).into();
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => return usage_failure(error).into(),
    };
    set_color(cli.color);
    let code = match &cli.command {
        Command::Check(args) => check::run(args),
        Command::Tick(args) => tick::run(args),
        Command::Collect(args) => collect::run(args),
        Command::Analyze(args) => analyze::run(args),
        Command::Signins(args) => signins::run(args),
        Command::Policies(args) => policies::run(args),
        Command::Ea(_) => ea::run_guarded(std::env::args_os().collect()),
        Command::Generate { what } => generate(*what),
    };
    code.into()
}

/// The subcommand named on a command line: the first word that is neither a
/// flag nor the value of the global `--color`.
fn subcommand_name(args: &[OsString]) -> Option<&OsString> {
    let mut words = args.iter().skip(1);
    while let Some(word) = words.next() {
        if word == "--color" {
            words.next();
        } else if !word.to_string_lossy().starts_with('-') {
            return Some(word);
        }
    }
    None
}

/// A parse failure: help and version are printed as asked (exit 0); any
/// other mistake is one line, `ca-doctor: error: …`, and exit code 2.
fn usage_failure(error: clap::Error) -> Exit {
    use clap::error::ErrorKind;
    match error.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => error.exit(),
        _ => {
            eprintln!("ca-doctor: error: {}", clap_message(&error));
            Exit::Usage
        }
    }
}

/// The first line of a clap error, without its `error: ` prefix, with a
/// pointer to the help.
pub(crate) fn clap_message(error: &clap::Error) -> String {
    let text = error.to_string();
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim_start_matches("error: ")
        .trim();
    format!("{first} (see ca-doctor --help)")
}

/// Sets when the terminal report is coloured.
fn set_color(when: ColorWhen) {
    let choice = match when {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
}

/// Prints the man page or a shell's completions, from the flag definitions.
fn generate(what: Generated) -> Exit {
    use clap::CommandFactory;
    let mut command = Cli::command();
    let mut out = std::io::stdout().lock();
    let written = match what {
        Generated::Man => clap_mangen::Man::new(command).render(&mut out),
        Generated::Bash | Generated::Zsh | Generated::Fish => {
            let shell = match what {
                Generated::Bash => clap_complete::Shell::Bash,
                Generated::Zsh => clap_complete::Shell::Zsh,
                _ => clap_complete::Shell::Fish,
            };
            clap_complete::generate(shell, &mut command, "ca-doctor", &mut out);
            Ok(())
        }
    };
    match written {
        Ok(()) => Exit::Ok,
        Err(error) => fail(&anyhow::Error::new(error).context("writing to standard output")),
    }
}

/// Runs `work` with a spinner on standard error while the live unified log
/// is read, when standard error is a terminal; silently otherwise.
pub(crate) fn with_spinner<T>(live: bool, work: impl FnOnce() -> T) -> T {
    use std::io::IsTerminal;
    if !live || !std::io::stderr().is_terminal() {
        return work();
    }
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.set_message("reading the unified log (log show)…");
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let result = work();
    spinner.finish_and_clear();
    result
}

/// Default time limit of the live `log show` for `check`.
pub(crate) const CHECK_LOG_TIMEOUT: Duration = Duration::from_secs(300);
/// Default time limit of the live `log show` for `ea` (its fallback).
pub(crate) const EA_LOG_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time limit of the live `log show` for `tick`.
pub(crate) const TICK_LOG_TIMEOUT: Duration = Duration::from_secs(600);

/// The exit code an error deserves.
pub(crate) fn exit_code_for(error: &anyhow::Error) -> Exit {
    if error.downcast_ref::<UsageError>().is_some() {
        Exit::Usage
    } else {
        Exit::InputError
    }
}

/// Prints an error the one way errors are printed and returns its exit code.
pub(crate) fn fail(error: &anyhow::Error) -> Exit {
    eprintln!("ca-doctor: error: {error:#}");
    exit_code_for(error)
}

/// Prints a report in `format`, or the error that prevented it.
fn print_or_fail(report: anyhow::Result<Report>, format: Format, verbose: bool) -> Exit {
    match report {
        Ok(report) => {
            print(Printable::Mac(&report), format, verbose);
            Exit::Ok
        }
        Err(error) => fail(&error),
    }
}
