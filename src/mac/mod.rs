//! The Mac source family: everything ca-doctor reads on a Mac. System paths
//! come from one root ([`paths`]), macOS commands go through one seam
//! ([`commands`]); readers turn preferences, the directory service, the
//! registration checks, the unified log and Microsoft's own log files
//! ([`sso_logs`]) into plain values.

pub(crate) mod accounts;
pub(crate) mod jamf_connect;
pub(crate) mod log;
pub(crate) mod paths;
pub(crate) mod plist_values;
pub(crate) mod prefs;
pub(crate) mod registration;
pub(crate) mod runner;
pub(crate) mod sso_logs;
pub(crate) mod sso_payload;
pub(crate) mod user;
