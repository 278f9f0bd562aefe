//! The framer: cuts a byte stream of JSON documents into records without
//! parsing them (strings, nesting and the `value` key of a Graph response
//! are all it follows), so that each record can be parsed on its own.

use crate::util::json_string::JsonString;

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

/// Cuts a byte stream of JSON documents into records: the elements of a
/// root array, or of the root object's `value` array; a document with
/// neither is cut whole. Resumable across refills.
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
}

impl Framer {
    /// Scans `buf` from where the last scan stopped, adding the records
    /// completed to `out`.
    pub(super) fn scan(&mut self, buf: &[u8], out: &mut Vec<Piece>) {
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
                        && (self.last_key.eq_ignore_ascii_case(b"value")
                            || self.last_key.eq_ignore_ascii_case(b"results"))
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
        self.string_start = self.string_start.saturating_sub(by);
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
