//! The command line dispatched: `ea` parsed by itself (even bad flags give
//! a `<result>`), every other subcommand parsed by clap and run; usage
//! errors on one line; man pages and shell completions generated.

use super::shared::fail;
use super::{analyze, check, collect, device, ea, fetch, fleet, kql, policies, signins, tick};
use crate::cli::{Cli, ColorWhen, Command, Exit, Generated, UsageError};
use clap::Parser;
use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

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
    if let Some(color) = match &cli.command {
        Command::Check(args) => Some(args.report.color.color),
        Command::Analyze(args) => Some(args.report.color.color),
        Command::Signins(args) => Some(args.report.print.color.color),
        Command::Policies(args) => Some(args.report.print.color.color),
        Command::Device(args) => Some(args.print.color.color),
        _ => None,
    } {
        set_color(color);
    }
    let code = match &cli.command {
        Command::Check(args) => check::run(args),
        Command::Tick(args) => tick::run(args),
        Command::Collect(args) => collect::run(args),
        Command::Analyze(args) => analyze::run(args),
        Command::Signins(args) => signins::run(args),
        Command::Policies(args) => policies::run(args),
        Command::Device(args) => device::run(args),
        Command::Fetch(args) => fetch::run(args),
        Command::Fleet(args) => fleet::run(args),
        Command::Kql(args) => kql::run(args),
        Command::Ea(_) => ea::run_guarded(std::env::args_os().collect()),
        Command::Generate { what, dir } => generate(*what, dir.as_deref()),
    };
    code.into()
}

/// The subcommand named on a command line: the first word that is not a
/// flag.
fn subcommand_name(args: &[OsString]) -> Option<&OsString> {
    args.iter()
        .skip(1)
        .find(|word| !word.to_string_lossy().starts_with('-'))
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

/// A clap error on one line, without its `error: ` prefix: the message and
/// what clap says under it (the missing argument's name, the valid values,
/// "a similar argument exists"), and a pointer to the subcommand's own help.
pub(crate) fn clap_message(error: &clap::Error) -> String {
    let text = error.to_string();
    let mut parts: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            break;
        }
        if line.is_empty() {
            continue;
        }
        let line = line
            .trim_start_matches("error: ")
            .trim_start_matches("tip: ");
        parts.push(line.to_string());
    }
    let mut message = String::new();
    for part in &parts {
        if !message.is_empty() {
            message.push_str(if message.ends_with(':') { " " } else { "; " });
        }
        message.push_str(part);
    }
    if message.ends_with(':') {
        message.pop();
    }
    let help = match subcommand_name(&std::env::args_os().collect::<Vec<_>>()) {
        Some(name)
            if Cli::command_names()
                .iter()
                .any(|c| **c == *name.to_string_lossy()) =>
        {
            format!("ca-doctor {} --help", name.to_string_lossy())
        }
        _ => "ca-doctor --help".to_string(),
    };
    format!("{message} (see {help})")
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

/// A man page of `command`, as clap lays out its flags, with the reference
/// sections of [`crate::manual`] that concern `subcommand` (`None`: the
/// whole program) in place of clap's plain "extra" text.
fn man_page(command: clap::Command, subcommand: Option<&str>) -> std::io::Result<Vec<u8>> {
    use crate::manual::{EA_VALUES, EXAMPLES, EXIT_CODES};
    let man = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    if command.has_subcommands() {
        man.render_subcommands_section(&mut page)?;
    }
    let sections = match subcommand {
        None => [EXIT_CODES.roff(), EA_VALUES.roff(), EXAMPLES.roff()].concat(),
        Some(name) => {
            let own = |example: &str| {
                let example = example.strip_prefix("sudo ").unwrap_or(example);
                example == format!("ca-doctor {name}")
                    || example.starts_with(&format!("ca-doctor {name} "))
            };
            let status = if name == "ea" {
                EA_VALUES.roff()
            } else {
                EXIT_CODES.roff()
            };
            [status, EXAMPLES.roff_of(own)].concat()
        }
    };
    page.extend_from_slice(sections.as_bytes());
    if command.get_version().is_some() {
        man.render_version_section(&mut page)?;
    }
    Ok(page)
}

/// Writes every man page into `dir`: `ca-doctor.1`, and
/// `ca-doctor-<command>.1` for each visible command.
fn man_pages(dir: &std::path::Path) -> std::io::Result<()> {
    use clap::CommandFactory;
    let command = Cli::command();
    std::fs::write(dir.join("ca-doctor.1"), man_page(command.clone(), None)?)?;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("ca-doctor-{}", sub.get_name());
        // The page's title names the command as `man` is asked for it.
        let titled: &'static str = Box::leak(name.clone().into_boxed_str());
        let page = man_page(sub.clone().name(titled), Some(sub.get_name()))?;
        std::fs::write(dir.join(format!("{name}.1")), page)?;
    }
    Ok(())
}

/// Prints the man page or a shell's completions, from the flag definitions;
/// writes every man page into `dir` (`man-pages`).
fn generate(what: Generated, dir: Option<&std::path::Path>) -> Exit {
    use clap::CommandFactory;
    let mut command = Cli::command();
    let mut out = std::io::stdout().lock();
    let written = match what {
        Generated::ManPages => match dir {
            Some(dir) => man_pages(dir),
            None => {
                return fail(&anyhow::Error::new(UsageError(
                    "generate man-pages: name the folder to write them to".into(),
                )));
            }
        },
        Generated::Man => man_page(command, None).and_then(|page| out.write_all(&page)),
        Generated::Bash => {
            let mut script = Vec::new();
            clap_complete::generate(
                clap_complete::Shell::Bash,
                &mut command,
                "ca-doctor",
                &mut script,
            );
            // The generator names a hyphenated program's states two ways
            // (`ca__doctor…` set, `ca__subcmd__doctor…` matched): one name,
            // so that a command's own flags complete.
            let script =
                String::from_utf8_lossy(&script).replace("ca__subcmd__doctor", "ca__doctor");
            out.write_all(script.as_bytes())
        }
        Generated::Zsh | Generated::Fish => {
            let shell = match what {
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
