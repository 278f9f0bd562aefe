//! The one path from a request to a report: read the logs into evidence
//! ([`logs`]), gather everything else the analysis needs ([`gather`]:
//! files, macOS commands, tenant exports), then [`judge`] without I/O.
//! `check`, `analyze`, `tick`, the EA from state and `collect` all end in
//! [`report`]; they differ only in where the log evidence comes from (a
//! fresh read, a saved state, a read copied into a bundle). The tenant
//! reports (`signins`, `policies`) have their own short paths in
//! [`signins`] and [`policies`].

pub(crate) mod device;
pub(crate) mod devices;
pub(crate) mod fleet;
pub(crate) mod gather;
pub(crate) mod judge;
pub(crate) mod logs;
pub(crate) mod policies;
pub(crate) mod request;
pub(crate) mod signins;

use crate::evidence::facts::LogTotals;
use crate::evidence::store::EvidenceStore;
use crate::mac::accounts::Account;
use crate::report::Report;
use anyhow::Result;
use gather::gather;
use judge::judge;
use logs::read_logs;
use request::{LogPlan, RegistrationPlan, Request};

/// The evidence an analysis judges: the log records and what reading them saw.
pub(crate) struct LogEvidence<'a> {
    /// The log records.
    pub(crate) store: &'a EvidenceStore,
    /// Totals and input records of the read.
    pub(crate) totals: &'a LogTotals,
}

/// Runs a whole analysis over the full window; `state_note` says why a
/// saved state was not used, when that is why this analysis runs. Fails
/// only when a named `--log` cannot be read or no user can be found;
/// unreadable Mac files and a failing `log` become findings instead.
pub(crate) fn analyze(request: &Request, state_note: Option<&str>) -> Result<Report> {
    let accounts = request.directory().resolve(&request.users)?;
    let mut store = EvidenceStore::default();
    let totals = read_logs(request, &mut store, &request.window(), false, None)?;
    let report = self::report(
        request,
        &store,
        &totals,
        &accounts,
        request.registration_plan(),
        state_note,
    )?;
    if let LogPlan::Files(sources) = &request.logs {
        let nothing_else = report.verdicts.iter().all(|v| !v.facts.anything_usable());
        if !sources.is_empty() && totals.unrecognised.len() == sources.len() && nothing_else {
            // What `analyze` was given is named as given, not as a --log.
            let named = match &request.given {
                Some(given) => format!(
                    "{given}: neither a bundle nor a log show export (no entry in any log show style: default, compact, syslog, json, ndjson)"
                ),
                None => format!(
                    "--log {}: no entry in any log show style (default, compact, syslog, json, ndjson), and nothing else could be read",
                    totals.unrecognised.join(", ")
                ),
            };
            anyhow::bail!(named);
        }
    }
    Ok(report)
}

/// The report of `accounts` on log evidence already read (`store`, with
/// the read's `totals`): gathers their files, registration evidence (as
/// `registrations` says) and the tenant's exports, then judges. Fails when
/// a user named with `--user` does not exist.
pub(crate) fn report(
    request: &Request,
    store: &EvidenceStore,
    totals: &LogTotals,
    accounts: &[Account],
    registrations: RegistrationPlan,
    state_note: Option<&str>,
) -> Result<Report> {
    let gathered = gather(request, store, accounts, registrations)?;
    Ok(judge(
        request,
        &LogEvidence { store, totals },
        gathered,
        state_note,
    ))
}
