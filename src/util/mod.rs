//! Helpers every layer may use: times and durations, version numbers, GUIDs,
//! and the one capped reader of regular files.

pub(crate) mod files;
pub(crate) mod guid;
pub(crate) mod json_string;
pub(crate) mod plist;
pub(crate) mod text;
pub(crate) mod time;
pub(crate) mod usage;
pub(crate) mod version;
