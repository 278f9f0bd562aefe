//! Sign-in exports in JSON, streamed record by record so that memory stays
//! flat whatever the file's size: a Graph response (`{"value": [...]}`,
//! v1.0 or beta), a bare array (the admin center, PowerShell, Log
//! Analytics), a single record, and several of these one after another
//! (pages saved one per line, or concatenated).

use super::record::{is_field_read, nested_fields_read, normal_in};
use crate::util::json_string::JsonString;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;
use std::io::Read;

/// Bytes read from the input at a time.
const CHUNK: usize = 1 << 20;
/// Largest document without a records array (a single record) buffered whole.
const MAX_DOCUMENT: usize = 64 << 20;

/// Calls `record` with every record of the JSON documents in `input`.
/// Fails with the position (line, column) of the first error; the records
/// before it have been delivered.
///
/// Records are cut out of the byte stream by a small framer (strings,
/// nesting, the `value` key of a Graph response) and each is parsed from
/// its own slice, only the fields read being built: far faster than
/// parsing the stream as one document, with memory bounded by one chunk.
pub(crate) fn for_each_record(
    mut input: impl Read,
    record: &mut dyn FnMut(Value),
) -> Result<(), String> {
    let mut buf: Vec<u8> = Vec::with_capacity(2 * CHUNK);
    let mut framer = Framer::default();
    let mut lines_before = 0u64;
    let mut pieces = Vec::new();
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let read = loop {
            match input.read(&mut chunk) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(format!("read failed: {e}")),
            }
        };
        buf.extend_from_slice(&chunk[..read]);
        let eof = read == 0;
        framer.scan(&buf, &mut pieces);
        for piece in pieces.drain(..) {
            let slice = &buf[piece.range.clone()];
            let parsed = match piece.kind {
                PieceKind::Record => {
                    let mut de = serde_json::Deserializer::from_slice(slice);
                    RecordSeed
                        .deserialize(&mut de)
                        .and_then(|value| de.end().map(|()| value))
                        .map(&mut *record)
                }
                PieceKind::Document => {
                    let mut de = serde_json::Deserializer::from_slice(slice);
                    Document {
                        record: &mut *record,
                    }
                    .deserialize(&mut de)
                    .and_then(|()| de.end())
                }
            };
            if let Err(error) = parsed {
                let line = lines_before + count_lines(&buf[..piece.range.start]);
                let column = if error.line() <= 1 {
                    column_of(&buf, piece.range.start) + error.column()
                } else {
                    error.column()
                };
                let message = error.to_string();
                let message = message.split(" at line ").next().unwrap_or(&message);
                return Err(format!(
                    "{message} at line {} column {column}",
                    line + error.line() as u64
                ));
            }
        }
        let keep = framer.keep_from();
        if keep > 0 {
            lines_before += count_lines(&buf[..keep]);
            buf.drain(..keep);
            framer.shift(keep);
        }
        if framer.buffering() > MAX_DOCUMENT {
            return Err("a JSON document without a records array larger than 64 MiB".to_string());
        }
        if eof {
            return match framer.open() {
                true => Err(format!(
                    "EOF while parsing at line {} (the file ends in the middle of a record)",
                    lines_before + count_lines(&buf) + 1
                )),
                false => Ok(()),
            };
        }
    }
}

fn count_lines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

/// The 0-based column of `at` in its line.
fn column_of(buf: &[u8], at: usize) -> usize {
    at - memchr::memrchr(b'\n', &buf[..at]).map_or(0, |newline| newline + 1)
}

/// What the framer cut out.
enum PieceKind {
    /// One element of a records array.
    Record,
    /// A whole document without a records array (a single record).
    Document,
}

struct Piece {
    kind: PieceKind,
    range: std::ops::Range<usize>,
}

/// Cuts a byte stream of JSON documents into records: the elements of a
/// root array, or of the root object's `value` array; a document with
/// neither is cut whole. Resumable across refills.
#[derive(Default)]
struct Framer {
    pos: usize,
    depth: usize,
    string: JsonString,
    string_start: usize,
    /// The last string that closed at depth 1 (the key before a value).
    last_key: Vec<u8>,
    /// The depth at which records start, inside the records array.
    records_depth: Option<usize>,
    record_start: Option<usize>,
    doc_start: Option<usize>,
    doc_has_records: bool,
}

impl Framer {
    fn scan(&mut self, buf: &[u8], out: &mut Vec<Piece>) {
        let mut pos = self.pos;
        while pos < buf.len() {
            if self.string.is_open() {
                let (next, closed) = self.string.skip(buf, pos);
                let end = next - 1;
                if closed && self.depth == 1 && end - self.string_start <= 16 {
                    self.last_key.clear();
                    self.last_key
                        .extend_from_slice(&buf[self.string_start..end]);
                }
                pos = next;
                continue;
            }
            let byte = buf[pos];
            match byte {
                b'"' => {
                    self.string.open();
                    self.string_start = pos + 1;
                }
                b'{' | b'[' => {
                    if self.depth == 0 {
                        self.doc_start = Some(pos);
                        self.doc_has_records = false;
                        self.records_depth = None;
                        if byte == b'[' {
                            self.records_depth = Some(1);
                            self.doc_has_records = true;
                        }
                    } else if byte == b'['
                        && self.depth == 1
                        && self.records_depth.is_none()
                        && self.last_key.eq_ignore_ascii_case(b"value")
                    {
                        self.records_depth = Some(2);
                        self.doc_has_records = true;
                    }
                    if Some(self.depth) == self.records_depth && self.record_start.is_none() {
                        self.record_start = Some(pos);
                    }
                    self.depth += 1;
                }
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if Some(self.depth) == self.records_depth
                        && let Some(start) = self.record_start.take()
                    {
                        out.push(Piece {
                            kind: PieceKind::Record,
                            range: start..pos + 1,
                        });
                    }
                    if self.records_depth == Some(self.depth + 1) && byte == b']' {
                        self.records_depth = None;
                    }
                    if self.depth == 0 {
                        if let (Some(start), false) = (self.doc_start.take(), self.doc_has_records)
                        {
                            out.push(Piece {
                                kind: PieceKind::Document,
                                range: start..pos + 1,
                            });
                        }
                        self.records_depth = None;
                    }
                }
                _ => {}
            }
            pos += 1;
        }
        self.pos = pos;
    }

    /// The first byte still needed: the start of an open record, or of a
    /// document being buffered whole, or the scan position.
    fn keep_from(&self) -> usize {
        let mut keep = self.pos;
        if let Some(start) = self.record_start {
            keep = keep.min(start);
        }
        if let (Some(start), false) = (self.doc_start, self.doc_has_records) {
            keep = keep.min(start);
        }
        if self.string.is_open() && self.depth == 1 {
            keep = keep.min(self.string_start);
        }
        keep
    }

    /// Moves every position back by `by` (the bytes dropped from the front).
    fn shift(&mut self, by: usize) {
        self.pos -= by;
        self.string_start = self.string_start.saturating_sub(by);
        self.record_start = self.record_start.map(|s| s - by);
        self.doc_start = self.doc_start.map(|s| s.saturating_sub(by));
    }

    /// Bytes held for a document buffered whole.
    fn buffering(&self) -> usize {
        match (self.doc_start, self.doc_has_records) {
            (Some(start), false) => self.pos - start,
            _ => 0,
        }
    }

    /// Whether the input ended inside a document.
    fn open(&self) -> bool {
        self.depth > 0 || self.string.is_open()
    }
}

/// One JSON document of sign-ins.
struct Document<'r> {
    record: &'r mut dyn FnMut(Value),
}

impl<'de> DeserializeSeed<'de> for Document<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Document<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a sign-in export: an object with `value`, an array or a record")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        while let Some(item) = items.next_element_seed(RecordSeed)? {
            (self.record)(item);
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Keys other than `value` are kept (a single record is such a map);
        // `value`'s records stream out as they are read.
        let mut rest = Map::new();
        let mut had_value = false;
        while let Some(key) = map.next_key::<String>()? {
            if key.eq_ignore_ascii_case("value") {
                had_value = true;
                map.next_value_seed(Records {
                    record: &mut *self.record,
                })?;
            } else if had_value || key.starts_with('@') {
                map.next_value::<IgnoredAny>()?;
            } else {
                rest.insert(key, map.next_value::<Value>()?);
            }
        }
        if !had_value && !rest.is_empty() {
            (self.record)(Value::Object(rest));
        }
        Ok(())
    }

    // Scalars are no sign-ins: nothing to deliver.
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
}

/// One record, keeping only the fields a sign-in is read from: the rest
/// (most of a Graph record's bytes) is skipped without being built.
struct RecordSeed;

impl<'de> DeserializeSeed<'de> for RecordSeed {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a sign-in record")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut kept = Map::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            // Kept under its normal key: the record reader then needs no
            // second pass over it.
            let mut buffer = [0u8; 48];
            match normal_in(&key, &mut buffer).filter(|k| is_field_read(k)) {
                Some(normal) => {
                    // Nested objects keep only their fields read, too.
                    let value = match nested_fields_read(normal) {
                        Some(fields) => map.next_value_seed(Filtered(fields))?,
                        None => map.next_value::<Value>()?,
                    };
                    kept.insert(normal.to_string(), value);
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Value::Object(kept))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        while items.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_str<E>(self, _: &str) -> Result<Value, E> {
        Ok(Value::Null)
    }
}

/// A nested value keeping, in its objects (or the objects of its array),
/// only the given fields, under their normal keys. Text (Log Analytics'
/// JSON-in-a-string) and other values pass unchanged.
struct Filtered(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Filtered {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Filtered {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a nested sign-in field")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut kept = Map::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let mut buffer = [0u8; 48];
            match normal_in(&key, &mut buffer).filter(|k| self.0.contains(k)) {
                Some(normal) => {
                    kept.insert(normal.to_string(), map.next_value::<Value>()?);
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Value::Object(kept))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        let mut kept = Vec::new();
        while let Some(item) = items.next_element_seed(Filtered(self.0))? {
            kept.push(item);
        }
        Ok(Value::Array(kept))
    }

    fn visit_str<E>(self, text: &str) -> Result<Value, E> {
        Ok(Value::String(text.to_string()))
    }
    fn visit_string<E>(self, text: String) -> Result<Value, E> {
        Ok(Value::String(text))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }
    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }
    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }
    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Value::from(value))
    }
}

/// The `value` array of a Graph response.
struct Records<'r> {
    record: &'r mut dyn FnMut(Value),
}

impl<'de> DeserializeSeed<'de> for Records<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(Document {
            record: self.record,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Result<Vec<Value>, String> {
        let mut out = Vec::new();
        for_each_record(text.as_bytes(), &mut |v| out.push(v)).map_err(|e| e.to_string())?;
        Ok(out)
    }

    #[test]
    fn every_shape_streams_its_records() {
        let page =
            r#"{"@odata.context":"x","value":[{"id":"1"},{"id":"2"}],"@odata.nextLink":"y"}"#;
        assert_eq!(records(page).unwrap().len(), 2);
        assert_eq!(records(r#"[{"id":"1"}]"#).unwrap().len(), 1);
        assert_eq!(records(&format!("{page}\n{page}\n")).unwrap().len(), 4);
        assert_eq!(records(&format!("{page}{page}")).unwrap().len(), 4);
        let single = records(r#"{"id":"1","appId":"a"}"#).unwrap();
        assert_eq!(single[0]["appId"], "a");
        // Duplicate keys: the last one wins.
        let duplicate = records(r#"[{"appId":"a","appId":"b","homeTenantId":"x"}]"#).unwrap();
        assert_eq!(duplicate[0]["appid"], "b", "kept under its normal key");
        assert!(
            duplicate[0].get("homeTenantId").is_none(),
            "unread fields are dropped"
        );
    }

    #[test]
    fn a_syntax_error_names_its_place() {
        let error = records("[\n{\"id\":1},\n{\"id\":2,},\n]").unwrap_err();
        assert!(error.contains("line 3 column"), "{error}");
    }
}
