//! ca-doctor: why a Mac's Jamf Conditional Access / Device Compliance
//! registration with Microsoft Entra ID is failing, and what to do about it.
//!
//! The pipeline, bottom to top (each module imports only from below it; see
//! `docs/architecture.md`):
//! - [`util`], [`inputs`]: time, versions, capped file reads, folder
//!   listing, atomic writes, input records;
//! - [`tenant`]: the tenant's source family: the one kind table, the
//!   exported files decoded and their records streamed, the Entra and Jamf
//!   Pro readers, and the live clients (Graph, the Jamf Pro API);
//! - [`mac`]: the Mac source family (paths, commands, accounts, preferences,
//!   registration, the unified log);
//! - [`evidence`]: log events folded into records and observations, and the
//!   facts of one user;
//! - [`findings`] and [`detectors`]: typed findings, one detector per file;
//! - [`verdict`]: the status and primary cause; [`attribute`]: the
//!   extension attribute's values, written and read back;
//! - [`fleet`]: every Mac of Jamf Pro's inventory as its attribute tells it;
//! - [`report`]: the reports printed (a Mac's, the tenant's);
//! - [`pipeline`]: the one path from a request to a report;
//! - [`incremental`]: `tick`'s saved state and `ea`'s answer from it;
//! - [`render`]: one view model printed as text, JSON, HTML or an EA result;
//! - [`bundle`]: diagnostic bundles (`collect`, `analyze`);
//! - [`cli`] and [`commands`]: flags and the thin subcommands; [`manual`]:
//!   the reference texts of `--help` and the man pages.
//!
//! The binary calls [`run`]; the few public items beside it serve the
//! benchmarks and the memory and fuzz tests of the scanner and of the
//! sign-in reader.

#![warn(unreachable_pub)]

mod attribute;
mod bundle;
mod cli;
mod commands;
mod detectors;
mod evidence;
mod findings;
mod fleet;
#[cfg(test)]
mod fuzz;
mod incremental;
mod inputs;
mod mac;
mod manual;
mod pipeline;
mod render;
mod report;
mod tenant;
mod util;
mod verdict;

pub use mac::log::{
    EntryType, Event, LogStyle, ScanMode, ScanOptions, ScanSummary, SignatureId, SignatureSet,
    scan, signature_patterns,
};

/// Reads the sign-in export at `path` as `ca-doctor signins` does and
/// counts it: the records read, the records skipped, and why the file could
/// not be read to its end (`None` when it was).
pub fn count_sign_ins(path: &std::path::Path) -> (u64, u64, Option<String>) {
    let read = tenant::entra::signins::read_file(path, &mut |_| {});
    let problem = read.input.and_then(|input| input.reason);
    (read.records, read.skipped, problem)
}

/// Runs ca-doctor with the process's arguments; returns the exit code.
pub fn run() -> std::process::ExitCode {
    util::time::drop_unsafe_time_zone();
    commands::dispatch(std::env::args_os().collect())
}
