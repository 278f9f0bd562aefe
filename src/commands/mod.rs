//! The subcommands, kept thin: parse flags, run the analysis, render.

pub mod check;
pub mod ea;

use crate::cli::UsageError;

/// Exit code: the report was printed (whatever the status).
pub const EXIT_OK: u8 = 0;
/// Exit code: an input named on the command line could not be read.
pub const EXIT_INPUT_ERROR: u8 = 1;
/// Exit code: a flag or value was wrong.
pub const EXIT_USAGE: u8 = 2;

/// The exit code an error deserves.
pub fn exit_code_for(error: &anyhow::Error) -> u8 {
    if error.downcast_ref::<UsageError>().is_some() {
        EXIT_USAGE
    } else {
        EXIT_INPUT_ERROR
    }
}
