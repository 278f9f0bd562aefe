//! Renderers: the same verdict printed for a person at a terminal, for a
//! program (JSON), or for Jamf Pro (an extension-attribute result).

pub mod ea;
pub mod html;
pub mod human;
pub mod json;

use crate::analysis::Report;
use crate::cli::Format;

/// Prints a report in the chosen format on standard output.
pub fn print_report(report: &Report, format: Format) {
    match format {
        Format::Human => print!("{}", human::render_report(report, human::Style::detect())),
        Format::Json => println!("{}", json::render_report(report)),
        Format::Html => print!("{}", html::render(report)),
    }
}
