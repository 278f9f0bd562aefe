//! `ca-doctor ea`: one Jamf Pro extension-attribute result. Whatever happens,
//! bad flags and internal errors included, it prints exactly one
//! `<result>…</result>` and exits 0: a blank EA value helps no one.
//!
//! With `--log` it analyses those files. Without, it answers from the state
//! `tick` keeps when that is fresh, and otherwise from a bounded live read.
//!
//! The analysis runs in a worker: the same executable, started again with
//! the same arguments, which prints the bare value. Whatever becomes of the
//! worker (a panic, an abort, a signal, a hang past the deadline), this
//! process still prints its one line.

use super::shared::{EA_LOG_TIMEOUT, with_spinner};
use crate::attribute::{last_success_value, result, status_value, unknown_value};
use crate::cli::Exit;
use crate::cli::{Cli, Command, EaArgs, EaField, usage};
use crate::incremental::answer;
use crate::pipeline::analyze;
use crate::pipeline::request::{LogPlan, TenantExports};
use crate::util::time::parse_duration;
use anyhow::Context;
use clap::Parser;
use std::ffi::OsString;
use std::io::Write;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

/// Computes the EA value for `args`; errors become `unknown: reason`.
pub(crate) fn value(args: &EaArgs) -> String {
    let outcome = args
        .analysis
        .request("ea", EA_LOG_TIMEOUT, TenantExports::default(), None)
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
            eprintln!(
                "ca-doctor: error: {}",
                crate::util::text::for_terminal(&format!("{error:#}"))
            );
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

/// Set in a worker's environment: it prints the bare value.
const WORKER: &str = "CA_DOCTOR_EA_WORKER";

/// The worker's process ID while it runs (0: none).
static WORKER_PID: AtomicU32 = AtomicU32::new(0);

/// Answers `unknown: timed out` and ends the process at `limit`, whatever
/// the analysis is waiting for: Jamf Pro runs EAs one after another. A
/// worker still running is killed.
fn start_deadline(limit: Duration) {
    std::thread::spawn(move || {
        std::thread::sleep(limit);
        // The answer is claimed before the worker is killed: the worker's
        // end would otherwise race to report itself as a crash.
        answer_once(&result(&unknown_value(&format!(
            "timed out after {} s",
            limit.as_secs()
        ))));
        kill_worker();
        std::process::exit(0);
    });
}

/// Kills the worker, if one runs.
fn kill_worker() {
    let pid = WORKER_PID.swap(0, Ordering::SeqCst);
    #[cfg(unix)]
    if let Ok(pid) = libc::pid_t::try_from(pid)
        && pid > 0
    {
        // SAFETY: kill(2) with a process ID this process started.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
        }
    }
    #[cfg(not(unix))]
    let _ = pid;
}

/// Largest answer read from a worker.
const MAX_WORKER_OUTPUT: u64 = 64 << 10;

/// Computes the value in a worker (this executable again, with `args`);
/// `None` when no worker could be started. A worker that did not end well
/// gives `unknown` with what became of it.
fn value_from_worker(args: &[OsString], field: EaField) -> Option<String> {
    use std::io::Read;
    let program = std::env::current_exe().ok()?;
    let mut child = std::process::Command::new(program)
        .args(args.iter().skip(1))
        .env(WORKER, "1")
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    WORKER_PID.store(child.id(), Ordering::SeqCst);
    let mut output = Vec::new();
    let read = child
        .stdout
        .take()
        .map(|out| out.take(MAX_WORKER_OUTPUT).read_to_end(&mut output));
    let status = child.wait();
    WORKER_PID.store(0, Ordering::SeqCst);
    let text = String::from_utf8_lossy(&output);
    let line = text.lines().next().unwrap_or("").to_string();
    Some(match status {
        Ok(status) if status.success() && matches!(read, Some(Ok(_))) => line,
        Ok(status) if field == EaField::LastSuccess => {
            eprintln!("ca-doctor: error: the analysis stopped ({status})");
            String::new()
        }
        Ok(status) => unknown_value(&format!("internal error: the analysis stopped ({status})")),
        Err(error) => unknown_value(&format!("internal error: the analysis was lost ({error})")),
    })
}

/// The worker's part: the bare value on one line. In debug builds
/// `CA_DOCTOR_FAULT` (`panic` or `abort`) makes it fail, for the tests of
/// the guard; release builds have no such switch.
fn run_worker(args: &EaArgs) -> Exit {
    #[cfg(debug_assertions)]
    match std::env::var("CA_DOCTOR_FAULT").as_deref() {
        Ok("panic") => panic!("fault injected for a test"),
        Ok("abort") => std::process::abort(),
        _ => {}
    }
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{}", value(args));
    let _ = stdout.flush();
    Exit::Ok
}

/// Runs `ea` from raw arguments: parse errors, panics and a worker's abort
/// become a result too, and the exit code is always 0.
pub(crate) fn run_guarded(args: Vec<OsString>) -> Exit {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("ca-doctor: internal error: {info}")
    }));
    let line = match Cli::try_parse_from(args.iter()) {
        Ok(Cli {
            command: Command::Ea(ea_args),
            ..
        }) => {
            if std::env::var_os(WORKER).is_some() {
                return run_worker(&ea_args);
            }
            start_deadline(ea_args.analysis.time_limit(EA_LOG_TIMEOUT) + ANSWER_MARGIN);
            match value_from_worker(&args, ea_args.field) {
                Some(value) => result(&value),
                // No worker could be started: analyse here, panics caught.
                None => match std::panic::catch_unwind(|| value(&ea_args)) {
                    Ok(value) => result(&value),
                    Err(_) => result(&unknown_value("internal error")),
                },
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
