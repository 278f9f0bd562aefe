//! `ca-doctor tick`: fold the new log entries into the saved state and print
//! what it did (launchd runs it every 15 minutes).

use super::shared::{TICK_LOG_TIMEOUT, fail, with_spinner};
use crate::cli::Exit;
use crate::cli::{TickArgs, TickFormat};
use crate::incremental::{TICK_LOCK_WAIT, tick};
use crate::pipeline::request::TenantExports;
use crate::render::{Format, Printable, print};

/// Runs `tick`.
pub(crate) fn run(args: &TickArgs) -> Exit {
    let state = args.state.path(&args.analysis.root);
    let outcome = match args
        .analysis
        .request("tick", TICK_LOG_TIMEOUT, TenantExports::default(), None)
        .and_then(|request| {
            with_spinner(request.is_live(), || {
                tick(&request, &state, TICK_LOCK_WAIT, None)
            })
        }) {
        Ok(outcome) => outcome,
        Err(error) => return fail(&error),
    };
    let format = match args.format {
        TickFormat::Human => Format::Human,
        TickFormat::Json => Format::Json,
    };
    print(Printable::Tick(&outcome), format, true);
    if let Err(e) = &outcome.written {
        eprintln!("ca-doctor: error: state not saved: {e}");
        return Exit::InputError;
    }
    Exit::Ok
}
