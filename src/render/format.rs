//! The output formats every report is printed in (each command offers
//! its own subset on the command line).

use clap::ValueEnum;

/// Output formats.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// A report for a person.
    Human,
    /// One JSON document.
    Json,
    /// One self-contained HTML page.
    Html,
    /// One row per Mac (the fleet's only: `fleet --format csv`).
    #[value(skip)]
    Csv,
}
