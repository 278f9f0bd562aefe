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

/// The inputs that are exports looked at: all but the files left aside.
pub(crate) fn exports_looked_at(inputs: &[InputRecord]) -> u64 {
    inputs
        .iter()
        .filter(|input| input.state != InputState::Skipped)
        .count() as u64
}

/// The files left aside (a `--tenant` folder's files that are no export),
/// as one line: each path and why; `None` when there is none.
pub(crate) fn left_aside(inputs: &[InputRecord]) -> Option<String> {
    let skipped: Vec<String> = inputs
        .iter()
        .filter(|input| input.state == InputState::Skipped)
        .map(|input| match &input.reason {
            Some(why) => format!("{} ({why})", input.path),
            None => input.path.clone(),
        })
        .collect();
    (!skipped.is_empty()).then(|| format!("left aside: {}", skipped.join("; ")))
}
