//! The line formats of Microsoft's own log files on a Mac: the Enterprise
//! SSO extension's (`… | I | [ADB v…/WPJ v… |] TID=… MSAL … Mac … [utc] …`)
//! and Company Portal's (`… | workplaceJoinSdk | pid | v… | LEVEL: …`, and
//! the older space-aligned `… INFO  com.microsoft.ssp.workplaceJoinSdk
//! TID=… …`). Only an entry's header is read here; framing is the text
//! styles' (every entry starts with `YYYY-MM-DD hh:mm:ss`).

use super::event::{EntryType, Event};
use chrono::{DateTime, Duration, FixedOffset, NaiveDateTime, TimeZone};
use regex::Regex;
use serde::Serialize;
use std::sync::OnceLock;

/// The versions a Microsoft log line names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct MicrosoftVersions {
    /// The SSO extension's broker (`ADB v3.3.17`).
    pub(crate) broker: Option<String>,
    /// Its Workplace Join library (`WPJ v3.5.32`).
    pub(crate) workplace_join: Option<String>,
    /// MSAL (`MSAL 1.4.1`).
    pub(crate) msal: Option<String>,
    /// macOS as the extension saw it (`Mac 14.6.1`).
    pub(crate) macos: Option<String>,
    /// The logging component's own version (Company Portal's `| v3.8.1 |`).
    pub(crate) component: Option<String>,
}

impl MicrosoftVersions {
    /// Whether the line named any version.
    pub(crate) fn is_empty(&self) -> bool {
        *self == MicrosoftVersions::default()
    }

    /// Fills what `self` lacks from `other`.
    pub(crate) fn fill_from(&mut self, other: &MicrosoftVersions) {
        for (mine, theirs) in [
            (&mut self.broker, &other.broker),
            (&mut self.workplace_join, &other.workplace_join),
            (&mut self.msal, &other.msal),
            (&mut self.macos, &other.macos),
            (&mut self.component, &other.component),
        ] {
            if mine.is_none() {
                mine.clone_from(theirs);
            }
        }
    }
}

/// One line header of a Microsoft log file, read.
#[derive(Debug, Default)]
pub(crate) struct FileHeader {
    /// The entry, its message the text after the header.
    pub(crate) event: Event,
    /// The versions the header names.
    pub(crate) versions: MicrosoftVersions,
}

fn aligned_company_portal() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(INFO|ERROR|WARNING|WARN|DEBUG|VERBOSE|FAULT)\s+(com\.microsoft\.\S+)\s+TID=(\d+)\s+(.*)$")
            .unwrap_or_else(|e| unreachable!("fixed pattern: {e}"))
    })
}

fn level_word() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(INFO|ERROR|WARNING|WARN|DEBUG|VERBOSE|FAULT):\s?")
            .unwrap_or_else(|e| unreachable!("fixed pattern: {e}"))
    })
}

impl FileHeader {
    /// Reads one `|`-separated header field: a level, the broker and
    /// Workplace Join versions, a component version, a process ID or the
    /// component's name. `false`: the field is the message's start.
    fn read_field(&mut self, word: &str) -> bool {
        if let Some(entry_type) = level(word) {
            self.event.entry_type = entry_type;
        } else if let Some((broker, wpj)) = word
            .strip_prefix("ADB v")
            .and_then(|rest| rest.split_once("/WPJ v"))
            .filter(|(broker, wpj)| !broker.is_empty() && !wpj.is_empty() && !wpj.contains(' '))
        {
            self.versions.broker = Some(broker.to_string());
            self.versions.workplace_join = Some(wpj.to_string());
        } else if word.len() > 1
            && word.starts_with('v')
            && word[1..].chars().all(|c| c.is_ascii_digit() || c == '.')
        {
            self.versions.component = Some(word[1..].to_string());
        } else if !word.is_empty() && word.chars().all(|c| c.is_ascii_digit()) {
            self.event.pid = word.parse().ok();
        } else if !word.is_empty()
            && self.event.category.is_empty()
            && word
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        {
            self.event.category = word.to_string();
        } else {
            return false;
        }
        true
    }
}

/// The entry type of a Microsoft level (`I`, `W`, `E`, `V`, `INFO`, …).
fn level(text: &str) -> Option<EntryType> {
    Some(match text.trim().to_ascii_uppercase().as_str() {
        "I" | "INFO" => EntryType::Info,
        "W" | "WARN" | "WARNING" => EntryType::Default,
        "E" | "ERROR" => EntryType::Error,
        "F" | "FAULT" => EntryType::Fault,
        "V" | "D" | "VERBOSE" | "DEBUG" => EntryType::Debug,
        _ => return None,
    })
}

/// `YYYY-MM-DD hh:mm:ss` at the start of `text`, read digit by digit (a
/// format string per line costs more than the rest of the header).
fn naive_at(text: &str) -> Option<NaiveDateTime> {
    let b = text.as_bytes().get(..19)?;
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    if b[4] != b'-' || b[7] != b'-' || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)?
        .and_hms_opt(number(11..13)?, number(14..16)?, number(17..19)?)
}

/// The local time at the start of a line (`YYYY-MM-DD hh:mm:ss` then
/// `:mmm` or `.mmm…`) and where the header goes on.
fn local_time(line: &str) -> Option<(NaiveDateTime, usize)> {
    let mut naive = naive_at(line)?;
    let bytes = line.as_bytes();
    let mut end = 19;
    if matches!(bytes.get(end), Some(b':') | Some(b'.')) {
        let digits = bytes[end + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits > 0 {
            let fraction = &line[end + 1..end + 1 + digits.min(9)];
            let nanos: i64 = fraction.parse().unwrap_or(0) * 10i64.pow(9 - fraction.len() as u32);
            naive += Duration::nanoseconds(nanos);
            end += 1 + digits;
        }
    }
    Some((naive, end))
}

/// MSAL's prefix of a message, `TID=<n> MSAL <version> Mac <version>
/// [<utc time>…]`: the two versions, the UTC time, and where the bracket
/// starts (it stays in the message: the correlation ID is read from it).
fn msal_prefix(message: &str) -> Option<(&str, &str, Option<NaiveDateTime>, usize)> {
    let rest = message.strip_prefix("TID=")?;
    let (thread, rest) = rest.split_once(' ')?;
    if thread.is_empty() || !thread.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = rest.trim_start().strip_prefix("MSAL ")?.trim_start();
    let (msal, rest) = rest.split_once(' ')?;
    let rest = rest.trim_start().strip_prefix("Mac ")?.trim_start();
    let (macos, rest) = rest.split_once(' ')?;
    let bracket = rest.trim_start();
    let utc = bracket.strip_prefix('[').and_then(naive_at);
    Some((msal, macos, utc, message.len() - bracket.len()))
}

/// The offset that takes the UTC time a line repeats to its local time,
/// to the quarter hour; `None` when they are further apart than any zone.
fn offset_between(local: NaiveDateTime, utc: NaiveDateTime) -> Option<FixedOffset> {
    let seconds = (local - utc).num_seconds();
    let quarters = (seconds as f64 / 900.0).round() as i32;
    (quarters.abs() <= 14 * 4)
        .then(|| FixedOffset::east_opt(quarters * 900))
        .flatten()
}

/// Reads the header of a Microsoft log-file line: `None` when `first` (an
/// entry's first line) is in none of their formats.
pub(crate) fn parse_header(first: &str, local_offset: FixedOffset) -> Option<FileHeader> {
    let (local, after_time) = local_time(first)?;
    let rest = &first[after_time..];
    let trimmed = rest.trim_start();
    let mut header = FileHeader::default();
    let mut message: &str;
    if let Some(piped) = trimmed.strip_prefix('|') {
        // `| I | ADB v…/WPJ v… | TID=… message` or `| workplaceJoinSdk | pid | v… | LEVEL: message`:
        // header fields while they are known, then the message.
        let mut remaining = piped;
        message = loop {
            let Some((field, rest)) = remaining.split_once(" | ") else {
                break remaining.trim_start();
            };
            if !header.read_field(field.trim()) {
                break remaining.trim_start();
            }
            remaining = rest;
        };
        if header.event.entry_type == EntryType::Default
            && let Some(c) = level_word().captures(message)
        {
            header.event.entry_type = level(&c[1]).unwrap_or_default();
        }
    } else if let Some(c) = aligned_company_portal().captures(trimmed) {
        header.event.entry_type = level(&c[1]).unwrap_or_default();
        header.event.category = c[2].to_string();
        header.event.pid = None;
        message = c.get(4).map_or("", |m| m.as_str());
    } else {
        return None;
    }
    let mut utc = None;
    if let Some((msal, macos, time, bracket)) = msal_prefix(message) {
        header.versions.msal = Some(msal.to_string());
        header.versions.macos = Some(macos.to_string());
        utc = time;
        message = &message[bracket..];
    }
    let offset = utc.and_then(|utc| offset_between(local, utc));
    let resolved: Option<DateTime<FixedOffset>> = match offset {
        Some(offset) => offset.from_local_datetime(&local).single(),
        None => local_offset.from_local_datetime(&local).single(),
    };
    header.event.time = resolved;
    header.event.local_time = offset.is_none();
    header.event.message = message.to_string();
    Some(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    #[test]
    fn documented_sso_extension_line_takes_its_zone_from_the_utc_time() {
        let line = "2022-12-29 14:49:59:281 | I | TID=783491 MSAL 1.2.4 Mac 13.0.1 [2022-12-29 19:49:59] Handling SSO request, requested operation: ";
        let header = parse_header(line, utc()).unwrap();
        assert_eq!(
            header.event.time.unwrap().to_rfc3339(),
            "2022-12-29T14:49:59.281-05:00"
        );
        assert!(!header.event.local_time);
        assert_eq!(header.event.entry_type, EntryType::Info);
        assert_eq!(header.versions.msal.as_deref(), Some("1.2.4"));
        assert_eq!(header.versions.macos.as_deref(), Some("13.0.1"));
        assert_eq!(header.versions.broker, None);
        assert!(
            header
                .event
                .message
                .starts_with("[2022-12-29 19:49:59] Handling SSO request")
        );
    }

    #[test]
    fn a_line_without_thread_is_local_time() {
        let line = "2022-12-29 14:49:59:599 | I | Beginning authorization request";
        let offset = FixedOffset::east_opt(3600).unwrap();
        let header = parse_header(line, offset).unwrap();
        assert!(header.event.local_time);
        assert_eq!(
            header.event.time.unwrap().to_rfc3339(),
            "2022-12-29T14:49:59.599+01:00"
        );
        assert_eq!(header.event.message, "Beginning authorization request");
    }

    #[test]
    fn real_newer_line_names_broker_and_workplace_join_versions() {
        let line = "2024-10-23 13:28:45:057 | E | ADB v3.3.17/WPJ v3.5.32 | TID=19904 MSAL 1.4.1 Mac 14.6.1 [2024-10-23 11:28:45] Failed to";
        let header = parse_header(line, utc()).unwrap();
        assert_eq!(header.event.entry_type, EntryType::Error);
        assert_eq!(header.versions.broker.as_deref(), Some("3.3.17"));
        assert_eq!(header.versions.workplace_join.as_deref(), Some("3.5.32"));
        assert_eq!(header.versions.msal.as_deref(), Some("1.4.1"));
        assert_eq!(
            header.event.time.unwrap().to_rfc3339(),
            "2024-10-23T13:28:45.057+02:00"
        );
        assert!(header.event.message.ends_with("Failed to"));
    }

    #[test]
    fn workplace_join_line_without_thread() {
        let line = "2025-12-02 14:33:33:120 | I | ADB v3.12.5/WPJ v3.11.0 | INFO: [2025-12-02 14:33:33][+WPJCryptoUtil getExtensionFromCertData:651] returning guid 43cfaf69-0f94-4d2e-a815-c103226c4c04";
        let header = parse_header(line, utc()).unwrap();
        assert_eq!(header.versions.workplace_join.as_deref(), Some("3.11.0"));
        assert!(header.event.message.starts_with("INFO: [2025-12-02"));
        assert!(header.event.message.ends_with("c103226c4c04"));
    }

    #[test]
    fn company_portal_piped_line() {
        let line = "2025-03-04 10:11:12:013 | workplaceJoinSdk | 812 | v3.8.1 | ERROR: [errorCode:-400] no registration exists for tenant";
        let header = parse_header(line, utc()).unwrap();
        assert_eq!(header.event.category, "workplaceJoinSdk");
        assert_eq!(header.event.pid, Some(812));
        assert_eq!(header.versions.component.as_deref(), Some("3.8.1"));
        assert_eq!(header.event.entry_type, EntryType::Error);
        assert!(header.event.message.starts_with("ERROR: [errorCode:-400]"));
    }

    #[test]
    fn transcribed_aligned_company_portal_line() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/mac-2026/companyportal-keychain-25244.log"
        ))
        .unwrap();
        let first = text.lines().next().unwrap();
        let header = parse_header(first, utc()).unwrap();
        assert_eq!(header.event.category, "com.microsoft.ssp.workplaceJoinSdk");
        assert_eq!(header.event.entry_type, EntryType::Info);
        assert!(header.event.message.contains("error code:-25244"));
        assert_eq!(
            header.event.time.unwrap().to_rfc3339(),
            "2018-06-07T18:13:42.795+00:00"
        );
    }

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!(
            "{}/fixtures/mac-2026/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn microsoft_s_documented_tail_of_the_extension_s_log_reads_whole() {
        // The `tail -F` output of Microsoft's troubleshooting page.
        let text = fixture("ssoextension-tail-F.log");
        let offset = FixedOffset::west_opt(5 * 3600).unwrap();
        let mut zoned = 0;
        for line in text.lines() {
            let header = parse_header(line, offset).unwrap_or_else(|| panic!("{line}"));
            let time = header.event.time.unwrap();
            assert_eq!(time.offset().local_minus_utc(), -5 * 3600, "{line}");
            assert_eq!(header.event.entry_type, EntryType::Info);
            if !header.event.local_time {
                zoned += 1;
                assert_eq!(header.versions.msal.as_deref(), Some("1.2.4"));
            }
        }
        assert_eq!(text.lines().count(), 10);
        assert_eq!(zoned, 8, "the lines with MSAL's prefix carry the UTC time");
    }

    #[test]
    fn the_real_line_of_msal_issue_2380_as_console_copies_it() {
        // Console's copy starts with the process column, a tab, then the line.
        let text = fixture("msal-objc-2380-line.log");
        let (process, line) = text.trim_end().split_once('\t').unwrap();
        assert_eq!(process, "Mac SSO Extension");
        let header = parse_header(line, utc()).unwrap();
        assert_eq!(header.event.entry_type, EntryType::Error);
        assert_eq!(header.versions.broker.as_deref(), Some("3.3.17"));
        assert_eq!(
            header.event.time.unwrap().to_rfc3339(),
            "2024-10-23T13:28:45.057+02:00"
        );
    }

    #[test]
    fn other_lines_are_not_file_lines_and_nothing_panics() {
        for line in [
            "2026-11-18 09:00:03.512 Df Jamf Conditional Access[7756:20d5a] message",
            "2026-11-18 09:00:03.512207-0500 0x4a1c2 Default 0x0 8812 0 x: y",
            "2026-11-18 09:00:03",
            "2026-11-18 09:00:03:",
            "2026-11-18 09:00:03:99999999999999999999 | I | x",
            "2026-11-18 09:00:03 | ",
            "2026-11-18 09:00:03 |",
            "2026-11-18 09:00:03 | I | TID=1 MSAL 1 Mac 1 [2026-11-18 99:00:00] x",
            "2026-11-18 09:00:03 | I | TID=1 MSAL 1 Mac 1 [1926-11-18 09:00:00] x",
            "x",
        ] {
            let parsed = parse_header(line, utc());
            if line.contains('|') {
                assert!(parsed.is_some(), "{line}");
            } else {
                assert!(parsed.is_none(), "{line}");
            }
        }
    }
}
