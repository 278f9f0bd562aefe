//! `ca-doctor ea`: one Jamf Pro extension-attribute result. Whatever happens,
//! bad flags and internal errors included, it prints exactly one
//! `<result>…</result>` and exits 0: a blank EA value helps no one.
//!
//! With `--log` it analyses those files. Without, it answers from the state
//! `tick` keeps when that is fresh, and otherwise from a bounded live read.

use super::{EA_LOG_TIMEOUT, Exit, with_spinner};
use crate::cli::{Cli, Command, EaArgs, EaField, usage};
use crate::incremental::answer;
use crate::pipeline::analyze;
use crate::pipeline::request::{LogPlan, TenantExports};
use crate::render::ea::{last_success_value, result, status_value, unknown_value};
use crate::util::time::parse_duration;
use anyhow::Context;
use clap::Parser;
use std::ffi::OsString;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Computes the EA value for `args`; errors become `unknown: reason`.
pub(crate) fn value(args: &EaArgs) -> String {
    let outcome = args
        .analysis
        .request(EA_LOG_TIMEOUT, TenantExports::default())
        .and_then(|request| {
            let report = match request.logs {
                LogPlan::Files(_) => analyze(&request, None)?,
                LogPlan::Live { .. } => {
                    let max_age = parse_duration(&args.max_state_age)
                        .context("--max-state-age")
                        .map_err(usage)?;
                    with_spinner(true, || {
                        answer(&request, &args.state.path(&args.analysis.root), max_age)
                    })?
                }
            };
            let worst = report.worst().context("no user was analysed")?;
            Ok(match args.field {
                EaField::Status => status_value(worst),
                EaField::LastSuccess => last_success_value(worst, request.now.timezone()),
            })
        });
    match outcome {
        Ok(value) => value,
        Err(error) if args.field == EaField::LastSuccess => {
            eprintln!("ca-doctor: error: {error:#}");
            String::new()
        }
        Err(error) => unknown_value(&format!("{error:#}")),
    }
}

/// Time an EA may take beyond its log's time limit before it answers
/// `unknown: timed out` whatever is still running.
const ANSWER_MARGIN: Duration = Duration::from_secs(5);

/// Whether the one `<result>` line was printed.
static ANSWERED: AtomicBool = AtomicBool::new(false);

/// Prints the result line, once per process whoever asks first.
fn answer_once(line: &str) {
    if ANSWERED.swap(true, Ordering::SeqCst) {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{line}");
    let _ = stdout.flush();
}

/// Answers `unknown: timed out` and ends the process at `limit`, whatever
/// the analysis is waiting for: Jamf Pro runs EAs one after another.
fn start_deadline(limit: Duration) {
    std::thread::spawn(move || {
        std::thread::sleep(limit);
        answer_once(&result(&unknown_value(&format!(
            "timed out after {} s",
            limit.as_secs()
        ))));
        std::process::exit(0);
    });
}

/// Runs `ea` from raw arguments: parse errors and panics become a result
/// too, and the exit code is always 0.
pub(crate) fn run_guarded(args: Vec<OsString>) -> Exit {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("ca-doctor: internal error: {info}")
    }));
    let line = match Cli::try_parse_from(args) {
        Ok(Cli {
            command: Command::Ea(ea_args),
            ..
        }) => {
            start_deadline(ea_args.analysis.time_limit(EA_LOG_TIMEOUT) + ANSWER_MARGIN);
            match std::panic::catch_unwind(|| value(&ea_args)) {
                Ok(value) => result(&value),
                Err(_) => result(&unknown_value("internal error")),
            }
        }
        Ok(_) => result(&unknown_value("not an ea command")),
        // The EA contract is for runs: asking for help gets the help.
        Err(error)
            if matches!(
                error.kind(),
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
            ) =>
        {
            error.exit()
        }
        Err(error) => {
            let message = error.to_string();
            let first = message
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ");
            result(&unknown_value(&format!("bad arguments: {first}")))
        }
    };
    answer_once(&line);
    Exit::Ok
}
