//! Unified-log reading: `log show` output in any of its five styles becomes a
//! stream of [`Event`]s. Entries are framed cheaply, a multi-pattern search
//! over whole chunks finds the few that match a signature, and only those are
//! parsed, so memory stays flat and throughput stays near `grep`.

pub(crate) mod decode;
pub(crate) mod details;
pub(crate) mod event;
pub(crate) mod file_style;
pub(crate) mod json;
pub(crate) mod scanner;
pub(crate) mod show;
pub(crate) mod signatures;
pub(crate) mod text;

pub use event::{EntryType, Event, LogStyle};
pub use scanner::{ScanMode, ScanOptions, ScanSummary, scan};
pub use signatures::{SignatureId, SignatureSet, signature_patterns};
