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

/// `text` safe to show on a terminal or in a text file: every control
/// character but the line feed (escape sequences that clear the screen,
/// set the clipboard or move the cursor, carriage returns that overwrite a
/// line) and every bidirectional override (U+202A-U+202E, U+2066-U+2069,
/// which reorder what is read) is written as `\u{..}`. Only ca-doctor's own
/// colours pass: `ESC [` digits and semicolons `m`.
pub(crate) fn for_terminal(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n')
            || ('\u{202A}'..='\u{202E}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}'
            && let Some(length) = colour_sequence(rest)
        {
            out.push_str(&rest[..length]);
            rest = &rest[length..];
            continue;
        }
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    std::borrow::Cow::Owned(out)
}

/// The length of the colour sequence (`ESC [` digits and `;`, then `m`, at
/// most 16 bytes) `text` starts with, if it starts with one.
fn colour_sequence(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.get(1) != Some(&b'[') {
        return None;
    }
    let end = bytes
        .iter()
        .take(16)
        .skip(2)
        .position(|b| !(b.is_ascii_digit() || *b == b';'))?
        + 2;
    (bytes[end] == b'm').then_some(end + 1)
}

/// `cell` as a spreadsheet takes it for text, never a formula: a cell that
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
/// leading `'` (as OWASP advises for CSV files opened in Excel), unless it
/// is a plain number (`-1`, Jamf Pro's "none").
pub(crate) fn csv_text(cell: &str) -> std::borrow::Cow<'_, str> {
    let number = cell.len() > 1
        && cell.starts_with(['-', '+'])
        && cell.as_bytes()[1..]
            .iter()
            .all(|b| b.is_ascii_digit() || *b == b'.')
        && cell.parse::<f64>().is_ok();
    if !number && cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
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
    fn control_characters_and_bidi_overrides_are_shown_not_obeyed() {
        let hostile = "A\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J\rB\u{202e}gpj.exe\u{2066}\tC\u{9b}31m";
        assert_eq!(
            for_terminal(hostile),
            "A\\u{1b}]52;c;ZXZpbA==\\u{7}\\u{1b}[2J\\u{d}B\\u{202e}gpj.exe\\u{2066}\\u{9}C\\u{9b}31m"
        );
        // Our own colours and line feeds pass; plain text is not copied.
        let ours = "\u{1b}[1m\u{1b}[31mDEACTIVATED\u{1b}[0m\nnext line";
        assert_eq!(for_terminal(ours), ours);
        assert!(matches!(
            for_terminal("Jane's MacBook"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(for_terminal("\u{1b}["), "\\u{1b}[");
        assert_eq!(
            for_terminal("\u{1b}[1;2;3;4;5;6;7;8m"),
            "\\u{1b}[1;2;3;4;5;6;7;8m"
        );
    }

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
            "-",
            "-1e5",
        ] {
            assert_eq!(csv_text(formula), format!("'{formula}"), "{formula:?}");
        }
        for text in [
            "Jane's MacBook",
            "Émilie's MacBook",
            "\u{98}x",
            "2026-11-20 09:12:00",
            "",
            "a=1",
            "healthy",
            "-1",
            "-2.5",
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
