//! The end-to-end tests of the `ca-doctor` binary, one test binary: each
//! module drives the built executable through one area; `support` holds
//! the fixtures, builders and helpers they share (compiled once).

mod bundles;
mod cli;
mod device;
mod fetch;
mod fetch_edges;
mod fetch_sources;
mod fixtures;
mod fleet;
mod grounds;
mod hardening;
mod html_report;
mod incremental;
mod jamf_connect;
mod kql;
mod live;
mod mac_2026;
mod policies;
mod reliability;
mod report;
mod robustness;
mod scenarios;
mod scripts;
mod shared_folders;
mod signins;
mod support;
mod wrong_input;
