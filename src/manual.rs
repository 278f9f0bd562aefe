//! The command line's reference texts (exit codes, the extension attribute's
//! values, examples), written once and rendered two ways: as text after
//! `--help`'s flags and as sections of the man pages, where each row is a
//! tagged paragraph that `man` lays out at any width.

use roff::{Roff, bold, roman};

/// One reference section: a title, rows of term and meaning, a closing line.
pub(crate) struct Section {
    /// The title after `--help`'s flags.
    pub(crate) title: &'static str,
    /// The man page's section heading.
    pub(crate) heading: &'static str,
    /// Column where meanings begin after `--help`'s flags; longer terms put
    /// their meaning under them.
    column: usize,
    /// Terms and what they mean, in order.
    pub(crate) rows: &'static [(&'static str, &'static str)],
    /// A line after the rows, if any.
    pub(crate) closing: Option<&'static str>,
}

/// The exit codes of every subcommand (`cli::Exit` gives them; a test keeps
/// the two equal).
pub(crate) const EXIT_CODES: Section = Section {
    title: "Exit codes:",
    heading: "EXIT STATUS",
    column: 5,
    rows: &[
        (
            "0",
            "the report was printed, whatever the status (ea always exits 0)",
        ),
        (
            "1",
            "an input named on the command line could not be read, or the work could not be done",
        ),
        ("2", "a flag or value was wrong"),
        (
            "3",
            "a fetch was asked for (fetch, --fetch) and nothing could be fetched: the cause, once per distinct error",
        ),
    ],
    closing: None,
};

/// What `ca-doctor ea` prints between `<result>` and `</result>`.
pub(crate) const EA_VALUES: Section = Section {
    title: "Extension attribute values (ca-doctor ea; Smart Groups match the first word):",
    heading: "EXTENSION ATTRIBUTE VALUES",
    column: 22,
    rows: &[
        ("healthy", "registered and signing in"),
        (
            "at-risk: IDS",
            "registered, but a problem will deactivate it; IDS are the findings, primary cause first, e.g. at-risk: appsso-not-appsso-url, silent-auth-failed",
        ),
        (
            "deactivated: IDS",
            "the agent gave up and the Mac reports non-compliant; IDS are the causes found, primary first (may be none)",
        ),
        ("not-registered", "the user never registered this Mac"),
        (
            "unknown: REASON",
            "no grounds for a verdict, or ca-doctor could not run: never a problem of the Mac",
        ),
    ],
    closing: Some(
        "With --field last-success: the last successful sign-in as YYYY-MM-DD hh:mm:ss (empty when none), for an extension attribute of data type Date.",
    ),
};

/// One example of each command.
pub(crate) const EXAMPLES: Section = Section {
    title: "Examples:",
    heading: "EXAMPLES",
    column: 40,
    rows: &[
        ("sudo ca-doctor check", "diagnose the logged-in user's Mac"),
        (
            "sudo ca-doctor check --format html > report.html",
            "the same, as a page to send on",
        ),
        (
            "ca-doctor check --root ./copy --user jdoe --log jdoe.log",
            "a copied Mac and its exported log",
        ),
        ("ca-doctor ea", "the extension attribute's one line"),
        (
            "sudo ca-doctor collect",
            "a diagnostic bundle on the Desktop",
        ),
        (
            "ca-doctor analyze ca-doctor-Mac.zip",
            "the verdict of a bundle, on any OS",
        ),
        (
            "ca-doctor signins SignIns.json --policies policies/",
            "which sign-in failures are real",
        ),
        (
            "ca-doctor policies policies/",
            "the Conditional Access policies that break Jamf Connect",
        ),
        (
            "ca-doctor device --upn jane@contoso.com --tenant exports/",
            "which device Entra judged for a user's Mac, and where the chain breaks",
        ),
        (
            "ca-doctor fetch --tenant-id contoso.onmicrosoft.com --client-id APP_ID --client-certificate app.pem --client-key app-key.pem --jamf-url https://yourorg.jamfcloud.com --jamf-client-id ID --out exports/",
            "the tenant's evidence from Microsoft Graph and the Jamf Pro API (Jamf secret in CA_DOCTOR_JAMF_CLIENT_SECRET)",
        ),
        (
            "ca-doctor fleet --inventory search.csv --tenant exports/ --format html > fleet.html",
            "every Mac's status, cause and device chain, as a dashboard",
        ),
        (
            "ca-doctor device --serial C02XK1JHJG5H --fetch --tenant-id contoso.onmicrosoft.com --client-id APP_ID --jamf-url https://yourorg.jamfcloud.com --jamf-client-id ID",
            "one Mac's chain, fetched live into a private temporary folder",
        ),
    ],
    closing: None,
};

/// Width of the `--help` text.
const TEXT_WIDTH: usize = 80;

impl Section {
    /// The section as text after `--help`'s flags: the title, each term
    /// with its meaning beside it (or under it when the term is long), the
    /// meanings wrapped to 80 columns.
    pub(crate) fn text(&self) -> String {
        let mut out = vec![self.title.to_string()];
        let column = self.column;
        for (term, meaning) in self.rows {
            let lines = wrap(meaning, TEXT_WIDTH - column);
            let mut lines = lines.iter();
            let first = format!("  {term}");
            if first.len() + 2 <= column {
                let beside = lines.next().map(String::as_str).unwrap_or("");
                out.push(format!("{first:<column$}{beside}"));
            } else {
                out.push(first);
            }
            for line in lines {
                out.push(format!("{:column$}{line}", ""));
            }
        }
        if let Some(closing) = self.closing {
            out.extend(
                wrap(closing, TEXT_WIDTH - 2)
                    .iter()
                    .map(|l| format!("  {l}")),
            );
        }
        out.join("\n")
    }

    /// The section as man-page source: its heading, each row a tagged
    /// paragraph with the term in bold.
    pub(crate) fn roff(&self) -> String {
        self.roff_of(|_| true)
    }

    /// The section as man-page source with only the rows whose term `keep`
    /// accepts (empty when none is).
    pub(crate) fn roff_of(&self, keep: impl Fn(&str) -> bool) -> String {
        let rows: Vec<_> = self.rows.iter().filter(|(term, _)| keep(term)).collect();
        if rows.is_empty() {
            return String::new();
        }
        let mut page = Roff::new();
        page.control("SH", [self.heading]);
        for (term, meaning) in rows {
            page.control("TP", []);
            page.text([bold(*term)]);
            page.text([roman(*meaning)]);
        }
        if let Some(closing) = self.closing {
            page.control("PP", []);
            page.text([roman(closing)]);
        }
        page.to_roff()
    }
}

/// `text` in lines of at most `width` characters, broken at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `ca-doctor --help` after the flags: every section.
pub(crate) fn long_help() -> String {
    [&EXIT_CODES, &EA_VALUES, &EXAMPLES]
        .map(Section::text)
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_sets_meanings_in_one_column_and_wraps_them() {
        let text = EA_VALUES.text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "  healthy             registered and signing in");
        assert!(lines.iter().all(|l| l.len() <= TEXT_WIDTH), "{text}");
        // A long meaning continues in the meaning column.
        let at_risk = lines
            .iter()
            .position(|l| l.starts_with("  at-risk"))
            .unwrap();
        assert!(lines[at_risk + 1].starts_with(&" ".repeat(22)));
        assert!(!lines[at_risk + 1][22..].starts_with(' '));
        // A long term puts its meaning under it.
        let examples = EXAMPLES.text();
        let html = examples
            .lines()
            .position(|l| l == "  sudo ca-doctor check --format html > report.html")
            .unwrap();
        assert_eq!(
            examples.lines().nth(html + 1).unwrap(),
            format!("{:40}the same, as a page to send on", "")
        );
    }

    #[test]
    fn roff_escapes_hyphens_and_tags_each_row() {
        let page = EA_VALUES.roff();
        assert!(
            page.starts_with(".SH \"EXTENSION ATTRIBUTE VALUES\"\n"),
            "{page}"
        );
        assert_eq!(page.matches(".TP\n").count(), EA_VALUES.rows.len());
        assert!(page.contains("\\fBat\\-risk: IDS\\fR"), "{page}");
        assert!(page.contains("\\-\\-field last\\-success"), "{page}");
    }
}
