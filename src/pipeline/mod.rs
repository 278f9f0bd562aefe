//! The one path from a request to a report: read the logs into evidence
//! ([`logs`]), gather everything else the analysis needs ([`gather`]:
//! files, macOS commands, tenant exports), then [`judge`] without I/O.
//! `check`, `analyze`, `tick`, the EA from state and `collect` all end in
//! [`analysis::report`]; they differ only in where the log evidence comes from (a
//! fresh read, a saved state, a read copied into a bundle). The tenant
//! reports (`signins`, `policies`) have their own short paths in
//! [`signins`] and [`policies`].

pub(crate) mod analysis;
pub(crate) mod device;
pub(crate) mod devices;
pub(crate) mod fleet;
pub(crate) mod gather;
pub(crate) mod judge;
pub(crate) mod logs;
pub(crate) mod policies;
pub(crate) mod request;
pub(crate) mod signins;

pub(crate) use analysis::{analyze, report};
