//! The streaming scanner: reads `log show` output in fixed-size chunks, frames
//! entries, runs one multi-pattern search per chunk and parses only the entries
//! that hold a signature. Memory is bounded by [`MAX_ENTRY`] whatever the input.

use super::event::{Event, LogStyle};
use super::json::{self, JsonFramer};
use super::signatures::{SignatureMatcher, SignatureSet};
use super::text::{self, Framed, TextFramer};
use chrono::FixedOffset;
use std::io::{self, Read};
use std::ops::Range;

/// Bytes read from the input at a time.
const CHUNK: usize = 1 << 20;
/// An entry longer than this is not buffered: its start is kept (see
/// [`HEAD_KEEP`]), the rest is searched for signatures and dropped.
pub(crate) const MAX_ENTRY: usize = 4 << 20;
/// How much of an oversize entry is kept for parsing and evidence.
const HEAD_KEEP: usize = 64 << 10;

/// Which entries become events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanMode {
    /// Only entries holding a signature (analysis).
    Candidates,
    /// Every entry (tests, exports).
    AllEntries,
}

/// How to scan.
#[derive(Clone, Copy, Debug)]
pub struct ScanOptions {
    /// Offset given to times written without one (compact style).
    pub local_offset: FixedOffset,
    /// Which entries become events.
    pub mode: ScanMode,
}

/// What a scan saw.
#[derive(Clone, Debug, Default)]
pub struct ScanSummary {
    /// Style of the input, when any entry was recognised (JSON pieces of
    /// which none carries a time are none: the input is in no style, and
    /// its pieces are not a log's entries).
    pub style: Option<LogStyle>,
    /// Entries framed (all of them, matched or not).
    pub entries: u64,
    /// Entries that held at least one signature.
    pub candidates: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Entries longer than [`MAX_ENTRY`], cut to their start.
    pub oversize_entries: u64,
    /// The newest entry time seen (from the last entry of each chunk and
    /// every matched entry): where an incremental reader resumes.
    pub newest_entry: Option<chrono::DateTime<FixedOffset>>,
}

impl ScanSummary {
    fn saw_time(&mut self, time: Option<chrono::DateTime<FixedOffset>>) {
        if let Some(time) = time {
            self.newest_entry = Some(self.newest_entry.map_or(time, |t| t.max(time)));
        }
    }
}

enum Framer {
    Text(TextFramer),
    Json(JsonFramer),
}

impl Framer {
    fn frame(&mut self, buf: &[u8], eof: bool, out: &mut Vec<Range<usize>>) -> Framed {
        match self {
            Framer::Text(f) => f.frame(buf, eof, out),
            Framer::Json(f) => f.frame(buf, eof, out),
        }
    }

    fn open_start(&self) -> Option<usize> {
        match self {
            Framer::Text(f) => f.open_start(),
            Framer::Json(f) => f.open_start(),
        }
    }

    fn discard(&mut self, n: usize) {
        match self {
            Framer::Text(f) => f.discard(n),
            Framer::Json(f) => f.discard(n),
        }
    }
}

/// An entry too long to buffer: its start, and the signatures seen so far.
struct Oversize {
    head: Vec<u8>,
    signatures: SignatureSet,
}

/// Scans `input`, calling `on_event` for each entry `options.mode` selects.
/// Fails only when reading fails; bytes of any kind are tolerated.
pub fn scan<R: Read>(
    mut input: R,
    options: &ScanOptions,
    mut on_event: impl FnMut(Event),
) -> io::Result<ScanSummary> {
    let matcher = SignatureMatcher::new();
    let overlap = matcher.longest_pattern().saturating_sub(1);
    let mut summary = ScanSummary::default();
    let mut buf: Vec<u8> = Vec::with_capacity(2 * CHUNK);
    let mut eof = false;
    while !eof && first_content_byte(&buf).is_none() {
        eof = fill(&mut input, &mut buf, &mut summary.bytes)?;
    }
    let mut framer = match first_content_byte(&buf) {
        Some(b'[') => {
            summary.style = Some(LogStyle::Json);
            Framer::Json(JsonFramer::default())
        }
        Some(b'{') => {
            summary.style = Some(LogStyle::Ndjson);
            Framer::Json(JsonFramer::default())
        }
        _ => Framer::Text(TextFramer::default()),
    };
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut marks: Vec<(usize, SignatureSet)> = Vec::new();
    let mut oversize: Option<Oversize> = None;
    // JSON input is a `log show` style once an entry carries a time, or the
    // ndjson trailer comes (a window without entries): bytes that merely
    // start with `{` or `[` are none. An empty document stays a style.
    let mut json_confirmed = false;
    let mut json_pieces = 0u64;
    loop {
        ranges.clear();
        let framed = framer.frame(&buf, eof, &mut ranges);

        if let Some(entry) = oversize.as_mut() {
            let end = framed.oversize_end.unwrap_or(buf.len());
            entry
                .signatures
                .union_with(matcher.signatures_in(&buf[..end]));
            if framed.oversize_end.is_some()
                && let Some(entry) = oversize.take()
            {
                emit_oversize(entry, &framer, options, &mut summary, &mut on_event);
            }
        }

        if let Framer::Json(_) = framer
            && !json_confirmed
        {
            json_pieces += ranges.len() as u64;
            json_confirmed = ranges.iter().any(|r| {
                let raw = &buf[r.clone()];
                json::is_trailer(raw) || json::entry_time(raw, options.local_offset).is_some()
            });
        }
        process_entries(
            &buf,
            &ranges,
            &matcher,
            &framer,
            options,
            &mut marks,
            &mut summary,
            &mut on_event,
        );

        let mut consumed = framed.consumed;
        if oversize.is_some() {
            consumed = buf.len().saturating_sub(overlap);
        } else if let Some(start) = framer
            .open_start()
            .filter(|s| !eof && buf.len() - s >= MAX_ENTRY)
        {
            let head_end = (start + HEAD_KEEP).min(buf.len());
            oversize = Some(Oversize {
                head: buf[start..head_end].to_vec(),
                signatures: matcher.signatures_in(&buf[start..]),
            });
            consumed = buf.len().saturating_sub(overlap);
        }
        if consumed > 0 {
            buf.drain(..consumed);
            framer.discard(consumed);
        }
        if eof {
            break;
        }
        eof = fill(&mut input, &mut buf, &mut summary.bytes)?;
    }
    if matches!(framer, Framer::Json(_)) && !json_confirmed && json_pieces > 0 {
        summary.style = None;
    }
    Ok(summary)
}

/// Reads up to one chunk more; returns whether the input has ended.
fn fill<R: Read>(input: &mut R, buf: &mut Vec<u8>, bytes: &mut u64) -> io::Result<bool> {
    let start = buf.len();
    buf.resize(start + CHUNK, 0);
    let mut filled = start;
    let result = loop {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break Ok(true),
            Ok(n) => {
                filled += n;
                if filled == buf.len() {
                    break Ok(false);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => break Err(e),
        }
    };
    buf.truncate(filled);
    *bytes += (filled - start) as u64;
    result
}

fn first_content_byte(buf: &[u8]) -> Option<u8> {
    let body = buf.strip_prefix(b"\xef\xbb\xbf").unwrap_or(buf);
    body.iter().copied().find(|b| !b.is_ascii_whitespace())
}

fn parse(raw: &[u8], framer: &Framer, options: &ScanOptions, summary: &mut ScanSummary) -> Event {
    match framer {
        Framer::Json(_) => json::parse_entry(raw, options.local_offset),
        Framer::Text(_) => {
            let (event, style) = text::parse_entry(raw, options.local_offset);
            summary.style.get_or_insert(style);
            event
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn process_entries(
    buf: &[u8],
    ranges: &[Range<usize>],
    matcher: &SignatureMatcher,
    framer: &Framer,
    options: &ScanOptions,
    marks: &mut Vec<(usize, SignatureSet)>,
    summary: &mut ScanSummary,
    on_event: &mut impl FnMut(Event),
) {
    let (Some(first), Some(last)) = (ranges.first(), ranges.last()) else {
        return;
    };
    let is_json = matches!(framer, Framer::Json(_));
    summary.entries += ranges.len() as u64;
    if is_json {
        let trailers = ranges
            .iter()
            .filter(|r| json::is_trailer(&buf[(*r).clone()]))
            .count();
        summary.entries -= trailers as u64;
    } else if summary.style.is_none() {
        summary.style = Some(text::parse_entry(&buf[first.clone()], options.local_offset).1);
    }

    // The newest time of this chunk: its last entries that carry one (the
    // ndjson trailer, or a damaged entry, has none).
    let newest = ranges.iter().rev().take(8).find_map(|range| {
        let raw = &buf[range.clone()];
        if is_json {
            json::entry_time(raw, options.local_offset)
        } else {
            text::entry_time(raw, options.local_offset)
        }
    });
    summary.saw_time(newest);

    marks.clear();
    match options.mode {
        ScanMode::AllEntries => {
            for (index, range) in ranges.iter().enumerate() {
                if !(is_json && json::is_trailer(&buf[range.clone()])) {
                    marks.push((index, matcher.signatures_in(&buf[range.clone()])));
                }
            }
        }
        ScanMode::Candidates => {
            let base = first.start;
            let mut index = 0;
            matcher.for_each_match(&buf[base..last.end], |offset, id| {
                let at = base + offset;
                while index < ranges.len() && ranges[index].end <= at {
                    index += 1;
                }
                if index < ranges.len() && ranges[index].start <= at {
                    match marks.last_mut() {
                        Some((i, set)) if *i == index => set.insert(id),
                        _ => {
                            let mut set = SignatureSet::default();
                            set.insert(id);
                            marks.push((index, set));
                        }
                    }
                }
            });
        }
    }
    for &(index, signatures) in marks.iter() {
        let mut event = parse(&buf[ranges[index].clone()], framer, options, summary);
        event.signatures = signatures;
        summary.saw_time(event.time);
        if !signatures.is_empty() {
            summary.candidates += 1;
        }
        on_event(event);
    }
}

fn emit_oversize(
    entry: Oversize,
    framer: &Framer,
    options: &ScanOptions,
    summary: &mut ScanSummary,
    on_event: &mut impl FnMut(Event),
) {
    summary.entries += 1;
    summary.oversize_entries += 1;
    if options.mode == ScanMode::Candidates && entry.signatures.is_empty() {
        return;
    }
    let mut event = parse(&entry.head, framer, options, summary);
    event.signatures = entry.signatures;
    summary.saw_time(event.time);
    event.truncated = true;
    if !entry.signatures.is_empty() {
        summary.candidates += 1;
    }
    on_event(event);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mac::log::signatures::SignatureId;

    fn options(mode: ScanMode) -> ScanOptions {
        ScanOptions {
            local_offset: FixedOffset::east_opt(0).unwrap(),
            mode,
        }
    }

    fn collect(input: &[u8], mode: ScanMode) -> (Vec<Event>, ScanSummary) {
        let mut events = Vec::new();
        let summary = scan(input, &options(mode), |e| events.push(e)).unwrap();
        (events, summary)
    }

    const COMPACT: &str = "Timestamp               Ty Process[PID:TID]\n\
2026-11-18 09:00:03.512 Df Jamf Conditional Access[8812:4a1c2] [com.jamf.management.jamfAAD:workflow] AAD ID acquired for macOS user account test.user\n\
2026-11-18 09:00:04.000 Db Jamf Conditional Access[8812:4a1c2] [com.jamf.management.jamfAAD:msal] Calling acquireTokenSilent for account <private>\n\
2026-11-18 09:00:05.000 E  AppSSOAgent[611:77] [com.apple.AppSSO:SOAuthorizationCore] error = Error Domain=com.apple.AppSSO.AuthorizationError Code=-9 \"not AppSSO URL\" UserInfo={NSLocalizedDescription=not AppSSO URL}, requestParametersCore = {\n\
    clientID = x;\n\
}\n";

    #[test]
    fn candidates_only_and_counts() {
        let (events, summary) = collect(COMPACT.as_bytes(), ScanMode::Candidates);
        assert_eq!(summary.style, Some(LogStyle::Compact));
        assert_eq!(summary.entries, 3);
        assert_eq!(
            summary.newest_entry.unwrap().to_rfc3339(),
            "2026-11-18T09:00:05+00:00"
        );
        assert_eq!(events.len(), 2);
        assert!(events[0].signatures.contains(SignatureId::AadIdAcquired));
        assert!(
            events[1]
                .signatures
                .contains(SignatureId::AppSsoNotAppSsoUrl)
        );
        assert!(events[1].message.ends_with("clientID = x;\n}"));
        let (all, _) = collect(COMPACT.as_bytes(), ScanMode::AllEntries);
        assert_eq!(all.len(), 3);
    }

    #[test]
    fn same_result_whatever_the_read_sizes() {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                let n = self.1.min(self.0.len()).min(out.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        for size in [1, 2, 7, 64] {
            let mut events = Vec::new();
            let summary = scan(
                Trickle(COMPACT.as_bytes(), size),
                &options(ScanMode::Candidates),
                |e| events.push(e),
            )
            .unwrap();
            assert_eq!(summary.entries, 3, "read size {size}");
            assert_eq!(events.len(), 2, "read size {size}");
        }
    }

    #[test]
    fn oversize_text_entry_is_cut_but_its_signature_found() {
        let mut input = b"2026-11-18 09:00:03.000 Df Jamf Conditional Access[1:2] [com.jamf.management.jamfAAD:msal] start ".to_vec();
        input.extend(std::iter::repeat_n(b'x', MAX_ENTRY * 2 + 12345));
        input.extend_from_slice(b" error invalid_grant ");
        input.extend(std::iter::repeat_n(b'y', CHUNK + 17));
        input.extend_from_slice(b"\n2026-11-18 09:00:04.000 Df Jamf Conditional Access[1:2] [com.jamf.management.jamfAAD:workflow] AAD ID acquired for macOS user account u\n");
        let (events, summary) = collect(&input, ScanMode::Candidates);
        assert_eq!(summary.entries, 2);
        assert_eq!(summary.oversize_entries, 1);
        assert_eq!(events.len(), 2);
        assert!(events[0].truncated);
        assert!(events[0].signatures.contains(SignatureId::InvalidGrant));
        assert!(events[0].time.is_some());
        assert!(events[1].signatures.contains(SignatureId::AadIdAcquired));
    }

    #[test]
    fn oversize_json_entry() {
        let mut input = b"{\"timestamp\":\"2026-11-18 09:00:03-0500\",\"eventMessage\":\"".to_vec();
        input.extend(std::iter::repeat_n(b'z', MAX_ENTRY + CHUNK * 2));
        input.extend_from_slice(b" No AAD ID found for macOS user account u\"}\n{\"timestamp\":\"2026-11-18 09:00:04-0500\",\"eventMessage\":\"AAD ID acquired for macOS user account u\"}\n\n{\"count\":2,\"finished\":1}\n");
        let (events, summary) = collect(&input, ScanMode::Candidates);
        assert_eq!(summary.style, Some(LogStyle::Ndjson));
        assert_eq!(summary.entries, 2);
        assert_eq!(events.len(), 2);
        assert!(events[0].signatures.contains(SignatureId::NoAadIdFound));
        assert!(events[0].time.is_some());
    }

    #[test]
    fn bytes_that_merely_start_like_json_are_in_no_style() {
        // Garbage whose first byte is `{`: pieces frame, none is an entry.
        let garbage =
            b"{ci6\xd1\x1d}\x93{AAD ID acquired for macOS user account <private>}{2026}\n\xfe\xff";
        let (_, summary) = collect(garbage, ScanMode::AllEntries);
        assert_eq!(summary.style, None);
        // A window without entries: the ndjson trailer only, or an empty
        // JSON array, is a style.
        let (_, summary) = collect(b"{\"count\":0,\"finished\":1}\n", ScanMode::AllEntries);
        assert_eq!(summary.style, Some(LogStyle::Ndjson));
        assert_eq!(summary.entries, 0);
        let (_, summary) = collect(b"[\n\n]\n", ScanMode::AllEntries);
        assert_eq!(summary.style, Some(LogStyle::Json));
    }
}
