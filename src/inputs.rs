//! What became of every input an analysis looked at (a preference file, a
//! log, later a sign-in export): the report lists them, and `input-unreadable`
//! names the ones that were there but could not be read.

use serde::Serialize;

/// How log inputs are named in the input list.
pub(crate) const LOG_INPUT: &str = "unified log";

/// What happened when an input was looked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum InputState {
    /// Read and understood.
    Read,
    /// Not there (often normal: e.g. no managed preferences).
    Missing,
    /// There, but could not be read or parsed.
    Unreadable,
    /// Left aside: a file of a `--tenant` folder that is no export.
    Skipped,
}

impl InputState {
    /// The state's name as in JSON.
    pub(crate) fn name(self) -> &'static str {
        match self {
            InputState::Read => "read",
            InputState::Missing => "missing",
            InputState::Unreadable => "unreadable",
            InputState::Skipped => "skipped",
        }
    }
}

/// One input ca-doctor looked at, for the report and the `input-unreadable` finding.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct InputRecord {
    /// What the input is, e.g. `user agent preferences`.
    pub(crate) what: String,
    /// Where it was looked for.
    pub(crate) path: String,
    /// Whether it was read.
    pub(crate) state: InputState,
    /// Why it could not be read (one line).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) reason: Option<String>,
}
