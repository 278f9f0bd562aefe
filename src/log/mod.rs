//! Unified-log reading: `log show` output in any of its five styles becomes a
//! stream of [`Event`]s. Entries are framed cheaply, a multi-pattern search
//! over whole chunks finds the few that match a signature, and only those are
//! parsed, so memory stays flat and throughput stays near `grep`.

pub mod event;
pub mod json;
pub mod scanner;
pub mod signatures;
pub mod text;

pub use event::{EntryType, Event, LogStyle};
pub use scanner::{ScanMode, ScanOptions, ScanSummary, scan};
pub use signatures::{Scope, SignatureId, SignatureSet};
