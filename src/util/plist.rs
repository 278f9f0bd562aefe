//! The one way ca-doctor parses a plist it did not write: the document is
//! walked first as a stream of events, without recursion, and refused when
//! it nests deeper than any real preference file or expands to more values
//! than its size allows (a binary plist can reference one object many
//! times). Only then is it built into a value, whose builder recurses: a
//! plist nested 200,000 deep can no longer overflow the stack.

use plist::Value;
use plist::stream::{Event, Reader};
use std::io::Cursor;

/// Deepest nesting of arrays and dictionaries accepted. Real preference
/// files nest a handful of levels; the builder's recursion stays far from
/// the stack's end.
pub(crate) const MAX_DEPTH: usize = 64;

/// Most values a document may hold for each byte of it (plus a floor for
/// tiny files): linear in the input however its objects are shared.
const EVENTS_PER_BYTE: usize = 4;

/// Parses `bytes` (binary, XML or ASCII plist) into a value; a one-line
/// reason when it is no plist, nests deeper than [`MAX_DEPTH`] or expands
/// to more values than its size allows.
pub(crate) fn parse(bytes: &[u8]) -> anyhow::Result<Value> {
    check_shape(bytes)?;
    Value::from_reader(Cursor::new(bytes))
        .map_err(|e| anyhow::Error::msg(plain_words(&e.to_string())))
}

/// An error name such as `UnexpectedEndOfEventStream` in words
/// (`unexpected end of event stream`); other messages as they are.
fn plain_words(message: &str) -> String {
    if message.contains(' ') || !message.starts_with(|c: char| c.is_ascii_uppercase()) {
        return message.to_string();
    }
    let mut words = String::new();
    for c in message.chars() {
        if c.is_ascii_uppercase() && !words.is_empty() {
            words.push(' ');
        }
        words.push(c.to_ascii_lowercase());
    }
    words
}

/// Walks the document's events with a counter, not a stack.
fn check_shape(bytes: &[u8]) -> anyhow::Result<()> {
    let budget = bytes.len().saturating_mul(EVENTS_PER_BYTE).max(4096);
    let mut depth = 0usize;
    for (events, event) in Reader::new(Cursor::new(bytes)).enumerate() {
        if events >= budget {
            return Err(anyhow::anyhow!(
                "expands to more than {budget} values ({} bytes): not read",
                bytes.len()
            ));
        }
        match event.map_err(|e| anyhow::Error::msg(plain_words(&e.to_string())))? {
            Event::StartArray(_) | Event::StartDictionary(_) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(anyhow::anyhow!(
                        "nested more than {MAX_DEPTH} levels deep: not read"
                    ));
                }
            }
            Event::EndCollection => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested_xml(depth: usize) -> Vec<u8> {
        let mut xml =
            String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n");
        xml.push_str(&"<array>".repeat(depth));
        xml.push_str(&"</array>".repeat(depth));
        xml.push_str("</plist>\n");
        xml.into_bytes()
    }

    #[test]
    fn ordinary_plists_parse_in_both_formats() {
        let mut dict = plist::Dictionary::new();
        dict.insert("have_an_Azure_id".into(), Value::Boolean(true));
        let value = Value::Dictionary(dict);
        let mut binary = Vec::new();
        value.to_writer_binary(&mut binary).unwrap();
        let mut xml = Vec::new();
        value.to_writer_xml(&mut xml).unwrap();
        assert_eq!(parse(&binary).unwrap(), value);
        assert_eq!(parse(&xml).unwrap(), value);
    }

    #[test]
    fn nesting_up_to_the_limit_is_read_and_deeper_is_refused() {
        assert!(parse(&nested_xml(MAX_DEPTH)).is_ok());
        let deep = parse(&nested_xml(200_000)).unwrap_err().to_string();
        assert!(deep.contains("nested more than 64 levels"), "{deep}");
    }

    #[test]
    fn a_binary_plist_that_shares_one_array_everywhere_is_refused() {
        // Object n is an array holding object n+1 twice: 2^40 values from
        // a few hundred bytes.
        let levels = 40u8;
        let mut bytes = b"bplist00".to_vec();
        let mut offsets = Vec::new();
        for n in 0..levels {
            offsets.push(bytes.len() as u8);
            bytes.extend([0xA2, n + 1, n + 1]);
        }
        offsets.push(bytes.len() as u8);
        bytes.push(0xA0);
        let table = bytes.len() as u64;
        bytes.extend(&offsets);
        bytes.extend([0, 0, 0, 0, 0, 0, 1, 1]);
        bytes.extend((u64::from(levels) + 1).to_be_bytes());
        bytes.extend(0u64.to_be_bytes());
        bytes.extend(table.to_be_bytes());
        let refused = parse(&bytes).unwrap_err().to_string();
        assert!(refused.contains("expands to more than"), "{refused}");
    }

    #[test]
    fn error_names_become_words() {
        assert_eq!(
            plain_words("UnexpectedEndOfEventStream"),
            "unexpected end of event stream"
        );
        assert_eq!(
            plain_words("invalid data at line 3"),
            "invalid data at line 3"
        );
        let reason = parse(b"<plist><dict><key>x</key>").unwrap_err().to_string();
        assert!(!reason.chars().any(|c| c.is_ascii_uppercase()), "{reason}");
    }

    #[test]
    fn garbage_is_a_reason_not_a_panic() {
        assert!(parse(b"not a plist at all").is_err());
        assert!(parse(b"bplist00\xff\xff").is_err());
    }
}
