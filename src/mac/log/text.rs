//! The three text styles of `log show` (default, compact, syslog): framing a
//! byte stream into entries (a timestamped line plus its continuation lines)
//! and parsing one entry's header.

use super::event::{EntryType, Event, LogStyle};
use super::file_style;
use crate::util::time::parse_log_time;
use chrono::FixedOffset;
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// Whether `line` starts with `YYYY-MM-DD hh:mm:ss`: the first line of an entry.
pub(crate) fn is_entry_start(line: &[u8]) -> bool {
    const DIGITS: [usize; 14] = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
    line.len() >= 19
        && line[4] == b'-'
        && line[7] == b'-'
        && (line[10] == b' ' || line[10] == b'T')
        && line[13] == b':'
        && line[16] == b':'
        && DIGITS.iter().all(|&i| line[i].is_ascii_digit())
}

/// Whether `line` is the dashed rule before `log show`'s totals footer: it
/// ends the entry above it, and what follows it is not an entry.
pub(crate) fn is_footer_rule(line: &[u8]) -> bool {
    let trimmed = line.strip_suffix(b"\r").unwrap_or(line);
    trimmed.len() >= 20 && trimmed.iter().all(|&b| b == b'-')
}

/// An unfinished line longer than this is judged without waiting for its end
/// (a footer rule is never this long).
const LONG_LINE: usize = 4096;

/// Cuts text-style input into entries. Resumable: it keeps its place between
/// calls as the buffer is refilled and its front discarded.
#[derive(Debug, Default)]
pub(crate) struct TextFramer {
    /// Next line start to look at.
    scan_pos: usize,
    /// The entry being built, if one is open.
    open: OpenEntry,
    /// `scan_pos` is mid-line (after a discard); skip to the next line first.
    mid_line: bool,
    /// The line at `scan_pos` was already classified while still unfinished.
    line_classified: bool,
}

/// What one framing pass found.
#[derive(Debug, Default)]
pub(crate) struct Framed {
    /// Bytes before this offset are finished with and may be discarded.
    pub(crate) consumed: usize,
    /// Where an oversize entry (whose start was discarded) ended, if it did.
    pub(crate) oversize_end: Option<usize>,
}

/// The entry a framer has open: where it starts, or that its start was
/// discarded while it ran on (an oversize entry). Shared by the text and
/// JSON framers.
#[derive(Debug, Default)]
pub(crate) struct OpenEntry {
    start: Option<usize>,
    discarded: bool,
}

impl OpenEntry {
    /// An entry starts at `at`.
    pub(crate) fn open(&mut self, at: usize) {
        self.start = Some(at);
        self.discarded = false;
    }

    /// Where the open entry starts, if its start is still in the buffer.
    pub(crate) fn start(&self) -> Option<usize> {
        self.start
    }

    /// Whether an entry is open, its start kept or discarded.
    pub(crate) fn is_open(&self) -> bool {
        self.start.is_some() || self.discarded
    }

    /// The open entry ends at `at`: its range goes to `entries`, or, when
    /// its start was discarded, `at` is where the oversize entry ended.
    pub(crate) fn close(
        &mut self,
        at: usize,
        entries: &mut Vec<Range<usize>>,
        framed: &mut Framed,
    ) {
        if let Some(start) = self.start.take() {
            entries.push(start..at);
        } else if self.discarded {
            framed.oversize_end = Some(at);
        }
        self.discarded = false;
    }

    /// The first `n` bytes of the buffer were removed: an entry starting in
    /// them runs on as an oversize entry.
    pub(crate) fn discard(&mut self, n: usize) {
        if let Some(start) = self.start {
            if start < n {
                self.start = None;
                self.discarded = true;
            } else {
                self.start = Some(start - n);
            }
        }
    }
}

impl TextFramer {
    /// Frames `buf`, pushing the range of each complete entry to `entries`.
    pub(crate) fn frame(
        &mut self,
        buf: &[u8],
        eof: bool,
        entries: &mut Vec<Range<usize>>,
    ) -> Framed {
        let mut framed = Framed::default();
        if self.mid_line {
            match memchr::memchr(b'\n', &buf[self.scan_pos..]) {
                Some(i) => {
                    self.scan_pos += i + 1;
                    self.mid_line = false;
                    self.line_classified = false;
                }
                None if !eof => {
                    self.scan_pos = buf.len();
                    framed.consumed = self.consumed();
                    return framed;
                }
                None => {
                    self.scan_pos = buf.len();
                    self.mid_line = false;
                }
            }
        }
        loop {
            let line_start = self.scan_pos;
            if line_start >= buf.len() {
                break;
            }
            let newline = memchr::memchr(b'\n', &buf[line_start..]);
            let complete = newline.is_some() || eof;
            let line_end = newline.map_or(buf.len(), |i| line_start + i + 1);
            if !self.line_classified {
                let line = &buf[line_start..line_end];
                if complete {
                    let body = line.strip_suffix(b"\n").unwrap_or(line);
                    if is_entry_start(line) || is_footer_rule(body) {
                        self.open.close(line_start, entries, &mut framed);
                    }
                    if is_entry_start(line) {
                        self.open.open(line_start);
                    }
                } else if is_entry_start(line) {
                    // An unfinished line whose first bytes already say it starts an entry.
                    self.open.close(line_start, entries, &mut framed);
                    self.open.open(line_start);
                } else if line.len() <= LONG_LINE {
                    // Could still turn out to be a footer rule: wait for the rest.
                    break;
                }
                // Longer: a continuation, or text outside entries, either way.
                self.line_classified = true;
            }
            if !complete {
                if !self.open.is_open() {
                    // Text outside any entry: drop it and resume at the next line.
                    self.scan_pos = buf.len();
                    self.mid_line = true;
                    self.line_classified = false;
                }
                break;
            }
            self.scan_pos = line_end;
            self.line_classified = false;
        }
        if eof {
            self.open.close(buf.len(), entries, &mut framed);
        }
        framed.consumed = self.consumed();
        framed
    }

    /// Bytes before the open entry, or before the scan position, are done.
    fn consumed(&self) -> usize {
        self.open.start().unwrap_or(self.scan_pos)
    }

    /// The start of the entry still open, if any.
    pub(crate) fn open_start(&self) -> Option<usize> {
        self.open.start()
    }

    /// The first `n` bytes of the buffer were removed. If the open entry lay
    /// in them, it continues as an oversize entry.
    pub(crate) fn discard(&mut self, n: usize) {
        self.open.discard(n);
        if self.scan_pos < n {
            self.scan_pos = 0;
            self.mid_line = true;
            self.line_classified = false;
        } else {
            self.scan_pos -= n;
        }
    }
}

fn default_style_header() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(0x[0-9a-fA-F]+)\s+(\S+)\s+(0x[0-9a-fA-F]+)\s+(\d+)\s+(\d+)\s+(.*)$")
            .unwrap_or_else(|e| unreachable!("fixed pattern: {e}"))
    })
}

fn compact_style_header() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^([A-Za-z]{1,2})\s+(.+?)\[(\d+):([0-9a-fA-Fx]+)\]\s?(.*)$")
            .unwrap_or_else(|e| unreachable!("fixed pattern: {e}"))
    })
}

fn syslog_style_header() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(\S+)\s+(.+?)\[(\d+)\]:\s?(?:<([A-Za-z]+)>:\s?)?(.*)$")
            .unwrap_or_else(|e| unreachable!("fixed pattern: {e}"))
    })
}

fn subsystem_prefix() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:\(([^)\n]*)\)\s)?(?:\[([^\]:\s]+):([^\]\n]*)\]\s?)?")
            .unwrap_or_else(|e| unreachable!("fixed pattern: {e}"))
    })
}

/// Length of the timestamp at the start of an entry line, with its fraction
/// and UTC offset, and whether an offset was present.
fn timestamp_len(line: &str) -> (usize, bool) {
    let bytes = line.as_bytes();
    let mut end = 19;
    if bytes.get(end) == Some(&b'.') {
        end += 1;
        while bytes.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
    }
    let mut zoned = false;
    if matches!(bytes.get(end), Some(b'+') | Some(b'-')) {
        let mut probe = end + 1;
        while bytes
            .get(probe)
            .is_some_and(|b| b.is_ascii_digit() || *b == b':')
        {
            probe += 1;
        }
        if probe - end >= 5 {
            end = probe;
            zoned = true;
        }
    } else if bytes.get(end) == Some(&b'Z') {
        end += 1;
        zoned = true;
    }
    (end, zoned)
}

/// The time of a text-style entry, read from its first bytes only.
pub(crate) fn entry_time(
    raw: &[u8],
    local_offset: FixedOffset,
) -> Option<chrono::DateTime<FixedOffset>> {
    let head = String::from_utf8_lossy(&raw[..raw.len().min(40)]);
    let (len, _) = timestamp_len(&head);
    head.get(..len)
        .and_then(|ts| parse_log_time(ts, local_offset))
        .map(|(t, _)| t)
}

/// Parses one text-style entry (first line + continuation lines). Styles are
/// told apart per entry, so concatenated exports of different styles work.
pub(crate) fn parse_entry(raw: &[u8], local_offset: FixedOffset) -> (Event, LogStyle) {
    let text = String::from_utf8_lossy(raw);
    let text = text.trim_end_matches(['\n', '\r']);
    let (first, rest) = match text.split_once('\n') {
        Some((first, rest)) => (first.trim_end_matches('\r'), Some(rest)),
        None => (text, None),
    };
    if let Some(header) = file_style::parse_header(first, local_offset) {
        let mut event = header.event;
        if let Some(rest) = rest {
            event.message.push('\n');
            event.message.push_str(rest);
        }
        return (event, LogStyle::Microsoft);
    }
    let mut event = Event::default();
    let (ts_len, zoned) = timestamp_len(first);
    let ts_len = ts_len.min(first.len());
    if let Some((time, had_offset)) = first
        .get(..ts_len)
        .and_then(|ts| parse_log_time(ts, local_offset))
    {
        event.time = Some(time);
        event.local_time = !had_offset;
    }
    let after = first.get(ts_len..).unwrap_or("").trim_start();
    let (style, message_start) = if let Some(c) = default_style_header().captures(after) {
        event.entry_type = EntryType::parse(&c[2]);
        event.pid = c[4].parse().ok();
        let remainder = c.get(6).map_or("", |m| m.as_str());
        match remainder.split_once(": ") {
            Some((process, message)) if !process.starts_with('[') => {
                event.process = process.trim().to_string();
                (LogStyle::Default, message.to_string())
            }
            _ => (LogStyle::Default, remainder.to_string()),
        }
    } else if let Some(c) = compact_style_header().captures(after).filter(|_| !zoned) {
        event.entry_type = EntryType::parse(&c[1]);
        event.process = c[2].trim().to_string();
        event.pid = c[3].parse().ok();
        (
            LogStyle::Compact,
            c.get(5).map_or("", |m| m.as_str()).to_string(),
        )
    } else if let Some(c) = syslog_style_header().captures(after) {
        event.process = c[2].trim().to_string();
        event.pid = c[3].parse().ok();
        if let Some(kind) = c.get(4) {
            event.entry_type = EntryType::parse(kind.as_str());
        }
        (
            LogStyle::Syslog,
            c.get(5).map_or("", |m| m.as_str()).to_string(),
        )
    } else {
        let style = if zoned {
            LogStyle::Syslog
        } else {
            LogStyle::Compact
        };
        (style, after.to_string())
    };
    let mut message = message_start;
    if let Some(c) = subsystem_prefix().captures(&message) {
        if let (Some(subsystem), Some(category)) = (c.get(2), c.get(3)) {
            event.subsystem = subsystem.as_str().to_string();
            event.category = category.as_str().to_string();
        }
        let prefix_len = c.get(0).map_or(0, |m| m.end());
        message = message[prefix_len..].to_string();
    }
    if let Some(rest) = rest {
        message.push('\n');
        message.push_str(rest);
    }
    event.message = message;
    (event, style)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    fn frame_all(input: &[u8]) -> Vec<String> {
        let mut framer = TextFramer::default();
        let mut entries = Vec::new();
        framer.frame(input, true, &mut entries);
        entries
            .into_iter()
            .map(|r| String::from_utf8_lossy(&input[r]).into_owned())
            .collect()
    }

    #[test]
    fn default_style_entry() {
        let line = "2026-11-18 09:00:03.512207-0500 0x4a1c2    Default     0x0                  8812   0    Jamf Conditional Access: [com.jamf.management.jamfAAD:workflow] AAD ID acquired for macOS user account test.user";
        let (event, style) = parse_entry(line.as_bytes(), utc());
        assert_eq!(style, LogStyle::Default);
        assert_eq!(
            event.time.unwrap().to_rfc3339(),
            "2026-11-18T09:00:03.512207-05:00"
        );
        assert!(!event.local_time);
        assert_eq!(event.entry_type, EntryType::Default);
        assert_eq!(event.pid, Some(8812));
        assert_eq!(event.process, "Jamf Conditional Access");
        assert_eq!(event.subsystem, "com.jamf.management.jamfAAD");
        assert_eq!(event.category, "workflow");
        assert_eq!(
            event.message,
            "AAD ID acquired for macOS user account test.user"
        );
    }

    #[test]
    fn compact_style_entry_is_local_time() {
        let line = "2026-11-18 09:00:03.512 Db Jamf Conditional Access[7756:20d5a] [com.jamf.management.jamfAAD:azure] More than 1 account, will try to find a matching account.";
        let offset = FixedOffset::west_opt(5 * 3600).unwrap();
        let (event, style) = parse_entry(line.as_bytes(), offset);
        assert_eq!(style, LogStyle::Compact);
        assert!(event.local_time);
        assert_eq!(
            event.time.unwrap().to_rfc3339(),
            "2026-11-18T09:00:03.512-05:00"
        );
        assert_eq!(event.entry_type, EntryType::Debug);
        assert_eq!(event.process, "Jamf Conditional Access");
        assert_eq!(event.pid, Some(7756));
        assert_eq!(event.category, "azure");
        assert!(event.message.starts_with("More than 1 account"));
    }

    #[test]
    fn syslog_style_entry_with_library() {
        let line = "2026-11-18 09:00:03.512207-0500  mac-01 AppSSOAgent[611]: (AppSSOCore) [com.apple.AppSSO:SOAuthorizationCore] error = Error Domain=com.apple.AppSSO.AuthorizationError Code=-9";
        let (event, style) = parse_entry(line.as_bytes(), utc());
        assert_eq!(style, LogStyle::Syslog);
        assert_eq!(event.process, "AppSSOAgent");
        assert_eq!(event.pid, Some(611));
        assert_eq!(event.subsystem, "com.apple.AppSSO");
        assert_eq!(event.category, "SOAuthorizationCore");
        assert!(event.message.starts_with("error = Error Domain"));
    }

    #[test]
    fn continuation_lines_join_their_entry_and_footer_is_dropped() {
        let input = b"Filtering the log data using \"subsystem CONTAINS \\\"jamfAAD\\\"\"\n\
Timestamp                       Thread     Type        Activity             PID    TTL  \n\
2026-11-18 09:00:03.512207-0500 0x1 Error 0x0 611 0 AppSSOAgent: (AppSSOCore) [com.apple.AppSSO:SOAuthorizationCore] error = Error Domain=com.apple.AppSSO.AuthorizationError Code=-9 \"not AppSSO URL\" UserInfo={NSLocalizedDescription=not AppSSO URL}, requestParametersCore = {\n\
    clientID = 55d611b0;\n\
}\n\
2026-11-18 09:00:04.000000-0500 0x1 Default 0x0 611 0 Other: second\n\
--------------------------------------------------------------------------------------------------------------------\n\
Log      - Default:          1, Info:                0, Debug:             0, Error:          1, Fault:          0\n\
Activity - Create:           0, Transition:          0, Actions:           0\n";
        let entries = frame_all(input);
        assert_eq!(entries.len(), 2);
        assert!(entries[0].contains("clientID = 55d611b0;\n}"));
        assert!(entries[1].ends_with("second\n"));
        let (event, _) = parse_entry(entries[0].as_bytes(), utc());
        assert!(event.message.ends_with("clientID = 55d611b0;\n}"));
    }

    #[test]
    fn framing_resumes_across_refills() {
        let whole = b"2026-11-18 09:00:03.000 Df a[1:2] one\n  more\n2026-11-18 09:00:04.000 Df a[1:2] two\n";
        let mut framer = TextFramer::default();
        let mut entries = Vec::new();
        let cut = 45;
        let first = framer.frame(&whole[..cut], false, &mut entries);
        assert!(entries.is_empty());
        assert_eq!(first.consumed, 0);
        framer.frame(whole, true, &mut entries);
        assert_eq!(entries.len(), 2);
    }

    #[test]
    fn a_footer_rule_cut_by_a_refill_still_ends_the_entry() {
        let whole = b"2026-11-18 09:00:03.000 Df a[1:2] one\n------------------------------------------\nLog      - Default: 1\n";
        let cut = whole.len() - 40;
        let mut framer = TextFramer::default();
        let mut entries = Vec::new();
        framer.frame(&whole[..cut], false, &mut entries);
        framer.frame(whole, true, &mut entries);
        assert_eq!(entries.len(), 1);
        assert_eq!(
            &whole[entries[0].clone()],
            b"2026-11-18 09:00:03.000 Df a[1:2] one\n"
        );
    }

    #[test]
    fn garbage_never_panics() {
        for input in [
            &b""[..],
            b"\n\n",
            b"2026-11-18 09:00",
            b"2026-11-18 09:00:03\xff\xfe\n",
            b"2026-11-18 09:00:03.-+\n",
        ] {
            for entry in frame_all(input) {
                let _ = parse_entry(entry.as_bytes(), utc());
            }
            let _ = parse_entry(input, utc());
        }
    }
}
