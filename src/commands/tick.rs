//! `ca-doctor tick`: fold the new log entries into the saved state and print
//! what it did (launchd runs it every 15 minutes).

use super::{EXIT_INPUT_ERROR, EXIT_OK, TICK_LOG_TIMEOUT, fail, with_spinner};
use crate::cli::{TickArgs, TickFormat};
use crate::incremental::{TICK_LOCK_WAIT, tick};
use crate::render::{ea::status_value, json};

/// Runs `tick`; returns the process exit code.
pub(crate) fn run(args: &TickArgs) -> u8 {
    let outcome = match args.analysis.request(TICK_LOG_TIMEOUT).and_then(|request| {
        with_spinner(request.is_live(), || {
            tick(&request, &args.analysis.state_path(), TICK_LOCK_WAIT)
        })
    }) {
        Ok(outcome) => outcome,
        Err(error) => return fail(&error),
    };
    match args.format {
        TickFormat::Json => println!("{}", json::render_tick(&outcome)),
        TickFormat::Human => {
            println!(
                "tick: read {} entries ({} matched, {:+} records), {}",
                outcome.entries_read,
                outcome.entries_matched,
                outcome.records_added,
                match &outcome.written {
                    Ok(()) => format!("state saved to {}", outcome.state_path.display()),
                    Err(e) => format!("state NOT saved: {e}"),
                }
            );
            if let Some(note) = &outcome.state_note {
                println!("  {note}");
            }
            for verdict in &outcome.report.verdicts {
                println!("  {}: {}", verdict.facts.user(), status_value(verdict));
            }
        }
    }
    if let Err(e) = &outcome.written {
        eprintln!("ca-doctor: error: state not saved: {e}");
        return EXIT_INPUT_ERROR;
    }
    EXIT_OK
}
