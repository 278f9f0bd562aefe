//! The batches of records between the framer and the parsing threads:
//! dealt round-robin, taken back in the same order, so that records reach
//! the caller in the file's order whatever thread parsed them.

use super::framer::{Piece, PieceKind, count_lines};
use super::visit::{Document, RecordSeed};
use crate::tenant::exports::records::Shape;
use crate::tenant::exports::records::node::Node;
use serde::de::DeserializeSeed;
use std::sync::mpsc;

/// Read buffers kept for reuse: the framer needs one at a time, and one
/// may come back while it fills another.
const SPARE_BUFFERS: usize = 2;

/// Records cut from one read, parsed together on a worker thread, with
/// records already delivered for the worker to drop.
pub(super) struct Batch<T> {
    /// The read, records and all.
    pub(super) bytes: Vec<u8>,
    /// Where the records lie in `bytes`.
    pub(super) pieces: Vec<Piece>,
    /// Newlines in the input before `bytes[0]`.
    pub(super) line: u64,
    /// The 0-based column of `bytes[0]` in its line.
    pub(super) column: usize,
    spent: Vec<Vec<T>>,
}

impl<T> Batch<T> {
    /// The records at `pieces` of `bytes`, which begins at `line` and
    /// `column` of the input.
    pub(super) fn new(bytes: Vec<u8>, pieces: Vec<Piece>, line: u64, column: usize) -> Self {
        Batch {
            bytes,
            pieces,
            line,
            column,
            spent: Vec::new(),
        }
    }
}

/// What a worker made of a batch: its records in order, the first error,
/// and the batch's buffer back for the next read.
struct Parsed<T> {
    records: Vec<T>,
    error: Option<String>,
    bytes: Vec<u8>,
}

/// The batches in flight between the framer and the parsing threads,
/// dealt round-robin and taken back in the same order.
pub(super) struct Pipeline<T> {
    shape: &'static Shape,
    convert: fn(Node<'_>) -> T,
    to_workers: Vec<mpsc::Sender<Batch<T>>>,
    from_workers: Vec<mpsc::Receiver<Parsed<T>>>,
    sent: usize,
    received: usize,
    first_error: Option<String>,
    /// Read buffers back from the workers.
    spare: Vec<Vec<u8>>,
    /// Records delivered, to be dropped by the next worker.
    spent: Vec<Vec<T>>,
}

impl<T: Send> Pipeline<T> {
    /// A pipeline of `workers` parsing threads in `scope`, fewer when the
    /// system refuses threads (none: batches are parsed on the caller's
    /// thread). The threads end when the pipeline is dropped.
    pub(super) fn start<'scope>(
        scope: &'scope std::thread::Scope<'scope, '_>,
        workers: usize,
        shape: &'static Shape,
        convert: fn(Node<'_>) -> T,
    ) -> Self
    where
        T: 'scope,
    {
        let mut pipeline = Pipeline {
            shape,
            convert,
            to_workers: Vec::with_capacity(workers),
            from_workers: Vec::with_capacity(workers),
            sent: 0,
            received: 0,
            first_error: None,
            spare: Vec::new(),
            spent: Vec::new(),
        };
        for _ in 0..workers {
            let (batch_sender, batches) = mpsc::channel::<Batch<T>>();
            let (parsed_sender, parsed) = mpsc::channel::<Parsed<T>>();
            let worker = std::thread::Builder::new().spawn_scoped(scope, move || {
                for mut batch in batches {
                    drop(std::mem::take(&mut batch.spent));
                    if parsed_sender
                        .send(parse_batch(batch, shape, convert))
                        .is_err()
                    {
                        break;
                    }
                }
            });
            if worker.is_err() {
                break;
            }
            pipeline.to_workers.push(batch_sender);
            pipeline.from_workers.push(parsed);
        }
        pipeline
    }
}

impl<T> Pipeline<T> {
    /// A buffer for the next read: one a worker gave back, or a new one.
    pub(super) fn spare_buffer(&mut self) -> Vec<u8> {
        let mut buffer = self.spare.pop().unwrap_or_default();
        buffer.clear();
        buffer
    }

    /// Delivers every batch still in flight; the first error in the
    /// input's order, if a batch met one.
    pub(super) fn finish(&mut self, record: &mut dyn FnMut(&T)) -> Option<String> {
        while self.received < self.sent {
            self.receive(record);
        }
        self.first_error.take()
    }

    /// Hands `batch` to the next worker, first delivering the oldest
    /// batches so that at most two per worker are in flight. `false` once
    /// an error has been met: reading can stop.
    pub(super) fn send(&mut self, mut batch: Batch<T>, record: &mut dyn FnMut(&T)) -> bool {
        let workers = self.to_workers.len();
        if workers == 0 {
            let parsed = parse_batch(batch, self.shape, self.convert);
            self.deliver(parsed, record);
            self.spent.clear();
            return self.first_error.is_none();
        }
        while self.sent - self.received >= 2 * workers {
            self.receive(record);
        }
        if self.first_error.is_some() {
            return false;
        }
        batch.spent = std::mem::take(&mut self.spent);
        match self.to_workers[self.sent % workers].send(batch) {
            Ok(()) => self.sent += 1,
            Err(_) => self.fail("a parsing thread stopped"),
        }
        self.first_error.is_none()
    }

    /// Delivers the oldest batch in flight.
    fn receive(&mut self, record: &mut dyn FnMut(&T)) {
        let worker = self.received % self.from_workers.len();
        self.received += 1;
        match self.from_workers[worker].recv() {
            Ok(parsed) => self.deliver(parsed, record),
            Err(_) => self.fail("a parsing thread stopped"),
        }
    }

    /// Hands a parsed batch's records to `record` (none once an error has
    /// been met) and keeps its buffer for a later read.
    fn deliver(&mut self, parsed: Parsed<T>, record: &mut dyn FnMut(&T)) {
        if self.first_error.is_none() {
            parsed.records.iter().for_each(&mut *record);
            self.first_error = parsed.error;
        }
        self.spent.push(parsed.records);
        if self.spare.len() < SPARE_BUFFERS {
            self.spare.push(parsed.bytes);
        }
    }

    fn fail(&mut self, why: &str) {
        self.first_error.get_or_insert_with(|| why.to_string());
    }
}

/// Parses a batch's pieces, stopping at the first error.
fn parse_batch<T>(batch: Batch<T>, shape: &'static Shape, convert: fn(Node<'_>) -> T) -> Parsed<T> {
    let mut records = Vec::with_capacity(batch.pieces.len());
    let mut error = None;
    for piece in &batch.pieces {
        let mut de = serde_json::Deserializer::from_slice(&batch.bytes[piece.range.clone()]);
        let mut push = |value| records.push(convert(value));
        let parsed = match piece.kind {
            PieceKind::Record => RecordSeed(shape)
                .deserialize(&mut de)
                .and_then(|value| de.end().map(|()| value))
                .map(&mut push),
            PieceKind::Document => Document {
                record: &mut push,
                shape,
            }
            .deserialize(&mut de)
            .and_then(|()| de.end()),
        };
        if let Err(e) = parsed {
            error = Some(describe_error(&e, &batch, piece.range.start));
            break;
        }
    }
    Parsed {
        records,
        error,
        bytes: batch.bytes,
    }
}

/// A parse error with its line and column in the input (both from 1).
fn describe_error<T>(error: &serde_json::Error, batch: &Batch<T>, piece_start: usize) -> String {
    let before = &batch.bytes[..piece_start];
    let line = batch.line + count_lines(before) + error.line() as u64;
    let column = if error.line() <= 1 {
        let piece_column = match memchr::memrchr(b'\n', before) {
            Some(newline) => piece_start - newline - 1,
            None => batch.column + piece_start,
        };
        piece_column + error.column()
    } else {
        error.column()
    };
    let message = error.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message);
    format!("{message} at line {line} column {column}")
}
