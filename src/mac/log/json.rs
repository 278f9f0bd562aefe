//! The JSON styles of `log show` (`json`: one array; `ndjson`: one object a
//! line): framing top-level objects with a resumable byte-level state machine,
//! and parsing one object into an [`Event`] whatever its field types.

use super::event::{EntryType, Event};
use super::text::{Framed, OpenEntry};
use crate::util::json_string::JsonString;
use crate::util::time::parse_log_time;
use chrono::FixedOffset;
use regex::Regex;
use serde::Deserialize;
use serde_json::Value;
use std::ops::Range;
use std::sync::OnceLock;

/// Cuts JSON input into top-level objects (an object not inside another
/// object; arrays around them are ignored). Resumable across refills.
#[derive(Debug, Default)]
pub(crate) struct JsonFramer {
    scan_pos: usize,
    depth: usize,
    string: JsonString,
    open: OpenEntry,
}

impl JsonFramer {
    /// Frames `buf`, pushing the range of each complete top-level object.
    pub(crate) fn frame(
        &mut self,
        buf: &[u8],
        eof: bool,
        entries: &mut Vec<Range<usize>>,
    ) -> Framed {
        let mut framed = Framed::default();
        let mut pos = self.scan_pos;
        while pos < buf.len() {
            if self.string.is_open() {
                pos = self.string.skip(buf, pos).0;
                continue;
            }
            match memchr::memchr3(b'"', b'{', b'}', &buf[pos..]) {
                Some(i) => {
                    pos += i;
                    match buf[pos] {
                        b'"' if self.depth > 0 => self.string.open(),
                        b'"' => {}
                        b'{' => {
                            if self.depth == 0 {
                                self.open.open(pos);
                            }
                            self.depth += 1;
                        }
                        _ => {
                            if self.depth > 0 {
                                self.depth -= 1;
                                if self.depth == 0 {
                                    self.open.close(pos + 1, entries, &mut framed);
                                }
                            }
                        }
                    }
                    pos += 1;
                }
                None => pos = buf.len(),
            }
        }
        self.scan_pos = pos;
        if eof {
            // An object cut off at the end of input is still worth a try.
            self.open.close(buf.len(), entries, &mut framed);
            self.depth = 0;
            self.string = JsonString::default();
        }
        framed.consumed = self.open.start().unwrap_or(self.scan_pos);
        framed
    }

    /// The start of the object still open, if any.
    pub(crate) fn open_start(&self) -> Option<usize> {
        self.open.start()
    }

    /// The first `n` bytes of the buffer were removed.
    pub(crate) fn discard(&mut self, n: usize) {
        self.open.discard(n);
        self.scan_pos = self.scan_pos.saturating_sub(n);
    }
}

/// The `timestamp` of a JSON entry, found without parsing the object.
pub(crate) fn entry_time(
    raw: &[u8],
    local_offset: FixedOffset,
) -> Option<chrono::DateTime<FixedOffset>> {
    let key = memchr::memmem::find(raw, b"\"timestamp\"")?;
    let rest = &raw[key + 11..];
    let open = memchr::memchr(b'"', rest)?;
    let value = &rest[open + 1..];
    let close = memchr::memchr(b'"', value)?;
    let text = std::str::from_utf8(&value[..close]).ok()?;
    parse_log_time(text, local_offset).map(|(t, _)| t)
}

/// Whether a framed object is `log show --style ndjson`'s trailer
/// (`{"count":N,"finished":1}`) rather than an entry.
pub(crate) fn is_trailer(raw: &[u8]) -> bool {
    raw.len() < 96 && memchr::memmem::find(raw, b"\"finished\"").is_some()
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawEntry {
    timestamp: Option<Value>,
    #[serde(rename = "messageType")]
    message_type: Option<Value>,
    #[serde(rename = "eventType")]
    event_type: Option<Value>,
    #[serde(rename = "eventMessage")]
    event_message: Option<Value>,
    subsystem: Option<Value>,
    category: Option<Value>,
    #[serde(rename = "processImagePath")]
    process_image_path: Option<Value>,
    process: Option<Value>,
    #[serde(rename = "processID")]
    process_id: Option<Value>,
}

fn text_of(value: &Option<Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn process_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_string()
}

/// Parses one JSON object into an event. Invalid UTF-8 is replaced; an object
/// that is not valid JSON (cut off, or garbage) is read field by field.
pub(crate) fn parse_entry(raw: &[u8], local_offset: FixedOffset) -> Event {
    let parsed: Option<RawEntry> = serde_json::from_slice(raw)
        .ok()
        .or_else(|| serde_json::from_str(&String::from_utf8_lossy(raw)).ok());
    let entry = parsed.unwrap_or_else(|| salvage_fields(&String::from_utf8_lossy(raw)));
    let mut event = Event::default();
    if let Some((time, had_offset)) = parse_log_time(&text_of(&entry.timestamp), local_offset) {
        event.time = Some(time);
        event.local_time = !had_offset;
    }
    let kind = text_of(&entry.message_type);
    event.entry_type = if kind.is_empty() {
        EntryType::parse(&text_of(&entry.event_type))
    } else {
        EntryType::parse(&kind)
    };
    event.message = text_of(&entry.event_message);
    event.subsystem = text_of(&entry.subsystem);
    event.category = text_of(&entry.category);
    let image = text_of(&entry.process_image_path);
    event.process = if image.is_empty() {
        process_name(&text_of(&entry.process))
    } else {
        process_name(&image)
    };
    event.pid = match &entry.process_id {
        Some(Value::Number(n)) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    event
}

fn field_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#""([A-Za-z]+)"\s*:\s*("(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*)"#)
            .unwrap_or_else(|e| unreachable!("fixed pattern: {e}"))
    })
}

/// Reads the string and number fields of a broken object one by one.
fn salvage_fields(text: &str) -> RawEntry {
    let mut entry = RawEntry::default();
    for c in field_pattern().captures_iter(text) {
        let value: Option<Value> = serde_json::from_str(&c[2]).ok();
        let slot = match &c[1] {
            "timestamp" => &mut entry.timestamp,
            "messageType" => &mut entry.message_type,
            "eventType" => &mut entry.event_type,
            "eventMessage" => &mut entry.event_message,
            "subsystem" => &mut entry.subsystem,
            "category" => &mut entry.category,
            "processImagePath" => &mut entry.process_image_path,
            "process" => &mut entry.process,
            "processID" => &mut entry.process_id,
            _ => continue,
        };
        if slot.is_none() {
            *slot = value;
        }
    }
    entry
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    #[test]
    fn frames_pretty_array_and_ndjson() {
        let array = br#"[{
  "eventMessage" : "a } tricky { \" message",
  "backtrace" : { "frames" : [ { "imageOffset" : 1 } ] }
},{
  "eventMessage" : "second"
}]"#;
        let mut entries = Vec::new();
        JsonFramer::default().frame(array, true, &mut entries);
        assert_eq!(entries.len(), 2);
        let ndjson = b"{\"a\":1}\n{\"b\":\"}\"}\n\n{\"count\":2,\"finished\":1}\n";
        let mut entries = Vec::new();
        JsonFramer::default().frame(ndjson, true, &mut entries);
        assert_eq!(entries.len(), 3);
        assert!(is_trailer(&ndjson[entries[2].clone()]));
        assert!(!is_trailer(&ndjson[entries[0].clone()]));
    }

    #[test]
    fn parses_apple_fields() {
        let raw = br#"{"timestamp":"2026-11-18 09:00:03.512207-0500","messageType":"Error","eventMessage":"AAD ID acquired for macOS user account <private>","subsystem":"com.jamf.management.jamfAAD","category":"workflow","processImagePath":"\/Library\/Application Support\/JAMF\/Jamf.app\/Contents\/MacOS\/Jamf Conditional Access.app\/Contents\/MacOS\/Jamf Conditional Access","processID":8812}"#;
        let event = parse_entry(raw, utc());
        assert_eq!(
            event.time.unwrap().to_rfc3339(),
            "2026-11-18T09:00:03.512207-05:00"
        );
        assert_eq!(event.entry_type, EntryType::Error);
        assert_eq!(event.process, "Jamf Conditional Access");
        assert_eq!(event.pid, Some(8812));
        assert_eq!(event.category, "workflow");
    }

    #[test]
    fn tolerates_odd_types_and_broken_objects() {
        let raw = br#"{"timestamp":"2026-11-18 09:00:03-0500","processID":"77","eventMessage":"x","subsystem":5}"#;
        let event = parse_entry(raw, utc());
        assert_eq!(event.pid, Some(77));
        assert_eq!(event.subsystem, "5");
        let cut = br#"{"timestamp":"2026-11-18 09:00:03-0500","eventMessage":"No AAD ID found for macOS user account x","subsystem":"com.jamf.management.jamf"#;
        let event = parse_entry(cut, utc());
        assert!(event.time.is_some());
        assert!(event.message.starts_with("No AAD ID"));
        let bad_utf8 = b"{\"eventMessage\":\"caf\xe9\",\"timestamp\":\"2026-11-18 09:00:03-0500\"}";
        assert_eq!(parse_entry(bad_utf8, utc()).message, "caf\u{fffd}");
    }
}
