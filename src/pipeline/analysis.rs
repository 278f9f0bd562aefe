//! The whole analysis: the log evidence read ([`read_logs`]), everything
//! else gathered ([`gather`]), then judged without I/O ([`judge`]); the one
//! path `check`, `analyze`, `tick`, the EA from state and `collect` share.

use super::gather::gather;
use super::judge::{LogEvidence, judge};
use super::logs::read_logs;
use super::request::{LogPlan, RegistrationPlan, Request};
use crate::evidence::facts::LogTotals;
use crate::evidence::store::EvidenceStore;
use crate::mac::accounts::Account;
use crate::report::Report;
use anyhow::Result;

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
