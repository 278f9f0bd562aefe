//! The report printed: each view rendered in each format, written on
//! standard output (the fleet's as it is made) or kept as a bundle's file.

use super::format::Format;
use super::{fleet, html, human, json, view};
use std::io::Write;
use view::{Printable, View};

/// The text of `view` in `format`; the human text carries ANSI styles. A
/// tick has no page: its HTML is its JSON; only the fleet is a table, the
/// other reports' CSV is their JSON.
fn render(view: &View, format: Format) -> String {
    match (view, format) {
        (View::Mac(view), Format::Human) => human::render(view),
        (View::Mac(view), Format::Json | Format::Csv) => json::render(view),
        (View::Mac(view), Format::Html) => html::render(view),
        (View::Tenant(view), Format::Human) => human::render_tenant(view),
        (View::Tenant(view), Format::Json | Format::Csv) => json::render_tenant(view),
        (View::Tenant(view), Format::Html) => html::render_tenant(view),
        (View::Tick(view), Format::Human) => human::render_tick(view),
        (View::Tick(view), Format::Json | Format::Html | Format::Csv) => json::render_tick(view),
        (View::Fleet(report), format) => {
            let mut text = Vec::new();
            let _ = fleet::write(report, format, &mut text);
            String::from_utf8_lossy(&text).into_owned()
        }
    }
}

/// Prints a report in the chosen format on standard output (JSON ends with
/// a newline). The human report is coloured only where the terminal and
/// `NO_COLOR` allow.
pub(crate) fn print(report: Printable, format: Format, verbose: bool) {
    let view = View::of(report, verbose);
    if let View::Fleet(report) = view {
        // Written as it is made: the fleet's JSON and CSV hold every Mac.
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        // A closed pipe (`| head`) is no failure of the report.
        let _ = fleet::write(report, format, &mut out).and_then(|()| out.flush());
        return;
    }
    let mut text = render(&view, format);
    if format == Format::Human
        && let Some(width) = terminal_width()
    {
        text = human::wrap(&text, width);
    }
    let json = match view {
        View::Tick(_) => format != Format::Human,
        View::Mac(_) | View::Tenant(_) | View::Fleet(_) => format == Format::Json,
    };
    if json {
        text.push('\n');
    }
    // Names and messages from the Mac and the tenant are anyone's: shown,
    // never obeyed by the terminal.
    let text = match format {
        Format::Human => crate::util::text::for_terminal(&text),
        Format::Json | Format::Html | Format::Csv => std::borrow::Cow::Borrowed(text.as_str()),
    };
    let mut out = anstream::stdout();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// The width to wrap the terminal report at: the terminal's, or `COLUMNS`
/// when set; `None` (no wrapping) otherwise.
fn terminal_width() -> Option<usize> {
    #[cfg(unix)]
    {
        use std::io::IsTerminal;
        if std::io::stdout().is_terminal() {
            // SAFETY: a zeroed winsize is a valid value for TIOCGWINSZ to fill.
            let mut size: libc::winsize = unsafe { std::mem::zeroed() };
            // SAFETY: ioctl(2) TIOCGWINSZ on standard output into our struct.
            let got = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) };
            if got == 0 && size.ws_col >= 40 {
                return Some(usize::from(size.ws_col));
            }
        }
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c >= 40)
}

/// A report as a file keeps it: everything shown, no styles, JSON without
/// a final newline (a bundle's `verdict.json`, `report.txt`, `report.html`).
pub(crate) fn render_file(report: Printable, format: Format) -> String {
    let text = render(&View::of(report, true), format);
    match format {
        Format::Human => {
            crate::util::text::for_terminal(&anstream::adapter::strip_str(&text).to_string())
                .into_owned()
        }
        Format::Json | Format::Html | Format::Csv => text,
    }
}
