//! Helpers every layer may use: times and durations, version numbers, GUIDs,
//! the one capped reader of regular files, the one folder-listing rule, the
//! one atomic writer, the one folder written into without following links, the one pool that reads files a few at a time, and a
//! set that may say "maybe" (what records a reader passed by held).

pub(crate) mod files;
pub(crate) mod folder;
pub(crate) mod guid;
pub(crate) mod json_string;
pub(crate) mod maybe;
pub(crate) mod plist;
pub(crate) mod pool;
pub(crate) mod text;
pub(crate) mod time;
pub(crate) mod usage;
pub(crate) mod version;
