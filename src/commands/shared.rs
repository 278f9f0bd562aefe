//! What the subcommands share: the one way an error is printed and its
//! exit code, a report printed or its error, the live log's time limits
//! and spinner, and the tenant's exports with what `--fetch` adds.

use crate::cli::{Exit, UsageError};
use crate::render::{Format, Printable, print};
use crate::report::Report;
use std::time::Duration;

/// The tenant's exports of a report and, with `--fetch`, what was
/// fetched about `more` (the folder lives as long as the returned guard);
/// kinds that could not be fetched are warned about on standard error and
/// the report goes on without them.
pub(crate) fn tenant_exports(
    given: anyhow::Result<crate::pipeline::request::TenantExports>,
    live: &crate::cli::LiveArgs,
    wanted: &[crate::tenant::kind::TenantKind],
    more: crate::tenant::keys::Keys,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> anyhow::Result<(
    crate::pipeline::request::TenantExports,
    Option<crate::tenant::fetch::live::Fetched>,
)> {
    let given = given?;
    let live = live.live(wanted, crate::tenant::keys::Keys::default(), now)?;
    let (exports, fetched) = given.resolve(live.as_ref(), more)?;
    if let Some(fetched) = &fetched {
        if let Some(why) = fetched.record.nothing_fetched() {
            return Err(crate::tenant::fetch::plan::NothingFetched(why).into());
        }
        for (kinds, error) in fetched.record.failures_grouped() {
            eprintln!(
                "ca-doctor: warning: {} not fetched: {error}",
                kinds.join(", ")
            );
        }
    }
    Ok((exports, fetched))
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
    } else if error
        .downcast_ref::<crate::tenant::fetch::plan::NothingFetched>()
        .is_some()
    {
        Exit::NothingFetched
    } else {
        Exit::InputError
    }
}

/// Prints an error the one way errors are printed and returns its exit code.
pub(crate) fn fail(error: &anyhow::Error) -> Exit {
    eprintln!(
        "ca-doctor: error: {}",
        crate::util::text::for_terminal(&format!("{error:#}"))
    );
    exit_code_for(error)
}

/// Prints a report in `format`, or the error that prevented it.
pub(crate) fn print_or_fail(report: anyhow::Result<Report>, format: Format, verbose: bool) -> Exit {
    match report {
        Ok(report) => {
            print(Printable::Mac(&report), format, verbose);
            Exit::Ok
        }
        Err(error) => fail(&error),
    }
}
