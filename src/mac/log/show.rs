//! The live unified log: the `log show` command line ca-doctor runs (no
//! shell) and the predicate that picks the agent's and AppSSO's entries.

use std::ffi::OsString;

/// The `log show` predicate of the live mode: the agent's subsystem, the
/// SSO extension's (AppSSO) subsystems, Jamf's Device Compliance workflows
/// (`com.jamf.backgroundworkflows`, which Jamf's own log filter includes:
/// kept in bundles, never judged), and Jamf Connect's (and Self
/// Service+'s).
pub(crate) const LOG_PREDICATE: &str = r#"subsystem CONTAINS "jamfAAD" OR subsystem BEGINSWITH "com.apple.AppSSO" OR subsystem BEGINSWITH "com.jamf.backgroundworkflows" OR subsystem BEGINSWITH "com.jamf.connect" OR subsystem BEGINSWITH "com.jamf.selfserviceplus""#;

/// The arguments of `log show` from `start` (`YYYY-MM-DD hh:mm:ss`, local
/// time): ndjson with info and debug entries, filtered by [`LOG_PREDICATE`].
pub(crate) fn show_args(start: &str) -> Vec<OsString> {
    [
        "show",
        "--style",
        "ndjson",
        "--info",
        "--debug",
        "--predicate",
        LOG_PREDICATE,
        "--start",
        start,
    ]
    .iter()
    .map(OsString::from)
    .collect()
}

/// How a live read is described in the facts' input list.
pub(crate) fn describe(start: &str) -> String {
    format!("log show --start \"{start}\"")
}
