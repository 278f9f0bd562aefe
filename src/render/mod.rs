//! Renderers: one view model ([`view`]) of a report, printed for a person at
//! a terminal ([`human`]), a program ([`json`]), a browser ([`html`]) or Jamf
//! Pro ([`ea`]).

pub(crate) mod ea;
pub(crate) mod html;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod policies;
pub(crate) mod signins;
pub(crate) mod view;

use crate::verdict::Report;
use clap::ValueEnum;
use std::io::Write;

/// Output formats.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// A report for a person.
    Human,
    /// One JSON document.
    Json,
    /// One self-contained HTML page (`check` and `analyze`).
    Html,
}

/// Prints a report in the chosen format on standard output. The human
/// report is coloured only where the terminal and `NO_COLOR` allow.
pub(crate) fn print_report(report: &Report, format: Format, verbose: bool) {
    let view = view::ReportView::of(report, verbose);
    let text = match format {
        Format::Human => human::render(&view),
        Format::Json => json::render(&view) + "\n",
        Format::Html => html::render(&view),
    };
    let mut out = anstream::stdout();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
