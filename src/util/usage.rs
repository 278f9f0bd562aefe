//! Usage errors: a flag or value that is wrong, or names something that is
//! not there (`--user`, `--root`). Commands exit with 2 for them; any layer
//! that finds one (the command line, the pipeline) can raise it.

/// A bad command-line value: exit code 2.
#[derive(Debug)]
pub(crate) struct UsageError(pub(crate) String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Wraps an error as a usage error (exit code 2).
pub(crate) fn usage(error: anyhow::Error) -> anyhow::Error {
    anyhow::Error::new(UsageError(format!("{error:#}")))
}
