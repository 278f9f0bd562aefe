//! Helpers every layer may use: times and durations, version numbers, GUIDs,
//! the one capped reader of regular files, the one folder-listing rule, the
//! one atomic writer, and the one pool that reads files a few at a time.

pub(crate) mod files;
pub(crate) mod guid;
pub(crate) mod json_string;
pub(crate) mod plist;
pub(crate) mod pool;
pub(crate) mod text;
pub(crate) mod time;
pub(crate) mod usage;
pub(crate) mod version;
