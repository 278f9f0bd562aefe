//! Small text helpers: counts with the right noun, long lines cut at a
//! word, and a search that ignores ASCII case without allocating.

/// `1 time`, `2 times`; `0 processes` with `plural` given.
pub(crate) fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// `text` cut to at most `max` characters at a word boundary, with `…`
/// when anything was cut.
pub(crate) fn cut_at_word(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max).collect();
    let cut = match head.rfind(char::is_whitespace) {
        Some(at) if at > max / 2 => head[..at].trim_end().to_string(),
        _ => head,
    };
    format!("{cut} …")
}

/// `cell` as a spreadsheet takes it for text, never a formula: a cell that
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
/// leading `'` (as OWASP advises for CSV files opened in Excel).
pub(crate) fn csv_text(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Whether `text` contains `word` in any ASCII case, without allocating
/// (for per-record checks of large exports).
pub(crate) fn contains_ignoring_case(text: &str, word: &str) -> bool {
    word.is_empty()
        || text
            .as_bytes()
            .windows(word.len())
            .any(|window| window.eq_ignore_ascii_case(word.as_bytes()))
}

/// A spinner line on standard error with the time taken and a message
/// (shown only when `shown`: callers pass whether standard error is a
/// terminal), ticking on its own.
pub(crate) fn spinner(shown: bool) -> indicatif::ProgressBar {
    if !shown {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_cell_that_a_spreadsheet_would_compute_is_text() {
        for formula in [
            "=1+1",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "=cmd|' /C calc'!A0",
        ] {
            assert_eq!(csv_text(formula), format!("'{formula}"), "{formula:?}");
        }
        for text in [
            "Jane's MacBook",
            "2026-11-20 09:12:00",
            "",
            "a=1",
            "healthy",
        ] {
            assert_eq!(csv_text(text), text);
        }
    }

    #[test]
    fn contains_in_any_case() {
        assert!(contains_ignoring_case("reportOnlyFailure", "failure"));
        assert!(contains_ignoring_case(
            "My JAMF Connect app",
            "jamf connect"
        ));
        assert!(!contains_ignoring_case("success", "failure"));
        assert!(!contains_ignoring_case("fail", "failure"));
        assert!(contains_ignoring_case("", ""));
    }

    #[test]
    fn counts_and_cuts() {
        assert_eq!(count(1, "time", "times"), "1 time");
        assert_eq!(count(0, "time", "times"), "0 times");
        assert_eq!(count(41, "request", "requests"), "41 requests");
        assert_eq!(cut_at_word("short", 10), "short");
        assert_eq!(cut_at_word("one two three four", 12), "one two …");
        assert_eq!(cut_at_word("abcdefghijklmnop", 8), "abcdefgh …");
    }
}
