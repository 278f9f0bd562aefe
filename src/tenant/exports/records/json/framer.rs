//! The framer: cuts a byte stream of JSON documents into records without
//! parsing them (strings, nesting and the `value` key of a Graph response
//! are all it follows), so that each record can be parsed on its own.

use crate::util::json_string::{BlockMasks, JsonString, inside_strings};

/// What the framer cut out.
#[derive(Clone, Copy)]
pub(super) enum PieceKind {
    /// One element of a records array.
    Record,
    /// A whole document without a records array (a single record).
    Document,
}

/// A record (or document) the framer cut out, and where it lies.
pub(super) struct Piece {
    /// What it is.
    pub(super) kind: PieceKind,
    /// Its bytes in the buffer scanned.
    pub(super) range: std::ops::Range<usize>,
}

/// What may come next between the records of a records array.
#[derive(Clone, Copy, Default, PartialEq)]
enum Between {
    /// Just inside `[`: a record or `]`.
    #[default]
    First,
    /// After a record: `,` or `]`.
    AfterRecord,
    /// After a `,`: a record.
    AfterComma,
}

/// A break in a records array's grammar, which the framer does not let by
/// (a stray comma would otherwise read as no record at all).
pub(super) struct FrameError {
    /// What was wrong, worded as the record parser words its errors.
    pub(super) message: &'static str,
    /// The offending byte in the buffer scanned.
    pub(super) at: usize,
}

/// Cuts a byte stream of JSON documents into records: the elements of a
/// root array, or of the root object's `value` array; a document with
/// neither is cut whole. Between the records it checks the array's own
/// grammar (commas, brackets, elements that are records); inside a record
/// it follows only strings and nesting, the record's parser checks the
/// rest. Resumable across refills.
#[derive(Default)]
pub(super) struct Framer {
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
    /// What may come next at the records array's own level.
    between: Between,
    /// The first break in a records array's grammar; the scan stops there.
    error: Option<FrameError>,
    /// Where a block with an escape ends: up to there, a byte at a time.
    bytewise_until: usize,
}

impl Framer {
    /// Scans `buf` from where the last scan stopped, adding the records
    /// completed to `out`.
    pub(super) fn scan(&mut self, buf: &[u8], out: &mut Vec<Piece>) {
        let mut pos = self.pos;
        while pos < buf.len() && self.error.is_none() {
            if pos >= self.bytewise_until && !self.string.is_open() && self.inside_record() {
                let next = self.skim_record(buf, pos, out);
                if next > pos {
                    pos = next;
                    continue;
                }
            }
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
            if self.between_records() && !self.check_between(byte, pos) {
                break;
            }
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
                            self.between = Between::First;
                        }
                    } else if byte == b'['
                        && self.depth == 1
                        && self.records_depth.is_none()
                        && (self.last_key.eq_ignore_ascii_case(b"value")
                            || self.last_key.eq_ignore_ascii_case(b"results"))
                    {
                        self.records_depth = Some(2);
                        self.doc_has_records = true;
                        self.between = Between::First;
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
                        self.between = Between::AfterRecord;
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

    /// Skims a record from `pos` (outside its strings) a block of 64 bytes
    /// at a time, following only its nesting: where the record closed (it
    /// is added to `out`), or where the blocks stopped (the buffer's last
    /// bytes, or a block with an escape, which is read a byte at a time).
    fn skim_record(&mut self, buf: &[u8], mut pos: usize, out: &mut Vec<Piece>) -> usize {
        let Some(records_depth) = self.records_depth else {
            return pos;
        };
        let mut depth = self.depth;
        let mut in_string = false;
        while let Some(masks) = buf.get(pos..).and_then(BlockMasks::of) {
            if masks.backslashes != 0 {
                self.bytewise_until = pos + 64;
                break;
            }
            let strings = inside_strings(masks.quotes, in_string);
            let mut nesting = (masks.opens | masks.closes) & !strings;
            while nesting != 0 {
                let at = nesting.trailing_zeros() as usize;
                nesting &= nesting - 1;
                if masks.opens >> at & 1 == 1 {
                    depth += 1;
                    continue;
                }
                depth -= 1;
                if depth == records_depth {
                    self.depth = depth;
                    if let Some(start) = self.record_start.take() {
                        out.push(Piece {
                            kind: PieceKind::Record,
                            range: start..pos + at + 1,
                        });
                    }
                    self.between = Between::AfterRecord;
                    return pos + at + 1;
                }
            }
            in_string = strings >> 63 == 1;
            pos += 64;
        }
        self.depth = depth;
        if in_string {
            self.string.open();
        }
        pos
    }

    /// Whether the scan stands inside a record of a records array.
    fn inside_record(&self) -> bool {
        matches!(self.records_depth, Some(records) if self.depth > records)
    }

    /// Whether the scan stands at a records array's own level, outside its
    /// records.
    fn between_records(&self) -> bool {
        Some(self.depth) == self.records_depth && self.record_start.is_none()
    }

    /// Checks `byte`, met between records at `pos`, against the array's
    /// grammar: `false` (and the error kept) when it breaks it.
    fn check_between(&mut self, byte: u8, pos: usize) -> bool {
        let message = match (byte, self.between) {
            (b' ' | b'\t' | b'\n' | b'\r', _) => return true,
            (b',', Between::AfterRecord) => {
                self.between = Between::AfterComma;
                return true;
            }
            (b']', Between::First | Between::AfterRecord) => return true,
            (b'{' | b'[', Between::First | Between::AfterComma) => return true,
            (b']', Between::AfterComma) => "trailing comma",
            (_, Between::AfterRecord) => "expected `,` or `]`",
            (b',', _) => "expected value",
            _ => "expected a record (a JSON object)",
        };
        self.error = Some(FrameError { message, at: pos });
        false
    }

    /// The break in a records array's grammar the scan stopped at, if any.
    pub(super) fn error(&self) -> Option<&FrameError> {
        self.error.as_ref()
    }

    /// The first byte still needed: the start of an open record, or of a
    /// document being buffered whole, or the scan position.
    pub(super) fn keep_from(&self) -> usize {
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
    pub(super) fn shift(&mut self, by: usize) {
        self.pos -= by;
        if let Some(error) = &mut self.error {
            error.at = error.at.saturating_sub(by);
        }
        self.string_start = self.string_start.saturating_sub(by);
        self.bytewise_until = self.bytewise_until.saturating_sub(by);
        self.record_start = self.record_start.map(|s| s - by);
        self.doc_start = self.doc_start.map(|s| s.saturating_sub(by));
    }

    /// Bytes held for a document buffered whole.
    pub(super) fn buffering(&self) -> usize {
        match (self.doc_start, self.doc_has_records) {
            (Some(start), false) => self.pos - start,
            _ => 0,
        }
    }

    /// Whether the input ended inside a document.
    pub(super) fn open(&self) -> bool {
        self.depth > 0 || self.string.is_open()
    }
}

/// Newlines in `bytes`.
pub(super) fn count_lines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records whose strings hold brackets, quotes and backslashes at every
    /// offset of a 64-byte block, nested a few levels, some longer than a
    /// block: the JSON text of each.
    fn tricky_records() -> Vec<String> {
        let pieces = ["}", "]", "{", "[", "\\\"", "\\\\", "\\\\\\\"", "é", "x"];
        (0..400)
            .map(|n| {
                let filler = "a".repeat(n % 97);
                let tricky: String = (0..n % 13)
                    .map(|i| pieces[(n + i) % pieces.len()])
                    .collect();
                let nested = "[{\"k\":".repeat(n % 4) + "\"v\"" + &"}]".repeat(n % 4);
                format!(
                    "{{\"id\":{n},\"pad\":\"{filler}\",\"s\":\"{tricky}\",\"n\":{nested},\"t\":[\"{tricky}{filler}\",{{}}]}}"
                )
            })
            .collect()
    }

    #[test]
    fn records_are_cut_whole_whatever_their_strings_and_the_refills() {
        let records = tricky_records();
        for record in &records {
            serde_json::from_str::<serde_json::Value>(record).expect(record);
        }
        let mut text = String::from("{\"@odata.context\":\"x\",\"value\":[");
        let mut expected = Vec::new();
        for (i, record) in records.iter().enumerate() {
            if i > 0 {
                text.push_str(if i % 3 == 0 { " ,\n " } else { "," });
            }
            expected.push(text.len()..text.len() + record.len());
            text.push_str(record);
        }
        text.push_str("]}");
        let bytes = text.as_bytes();
        // Fed whole, and in refills of every size up to a few blocks.
        for step in [bytes.len(), 1, 7, 63, 64, 65, 200] {
            let mut framer = Framer::default();
            let mut pieces = Vec::new();
            let mut end = 0;
            while end < bytes.len() {
                end = (end + step).min(bytes.len());
                framer.scan(&bytes[..end], &mut pieces);
            }
            assert!(framer.error().is_none(), "step {step}");
            assert!(!framer.open(), "step {step}");
            let ranges: Vec<_> = pieces.iter().map(|p| p.range.clone()).collect();
            assert_eq!(ranges, expected, "step {step}");
        }
    }
}
