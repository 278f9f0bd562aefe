//! One file's records read: decoded, its format told from its first
//! character, each record built with only the fields its shape reads, and
//! what became of the file recorded.

use super::shape::Shape;
use super::{csv, json, node};
use crate::inputs::{InputRecord, InputState};
use crate::tenant::exports::decode::{first_non_space, utf8_reader};
use node::Node;
use std::io::{BufReader, Read};
use std::path::Path;

/// What reading one export gave.
#[derive(Clone, Debug, Default)]
pub(crate) struct FileRead {
    /// Records delivered.
    pub(crate) records: u64,
    /// Records skipped: not an object, or a row that could not be read.
    pub(crate) skipped: u64,
    /// The input record for the report.
    pub(crate) input: Option<InputRecord>,
    /// Nothing of it could be read as such records: no such file, not
    /// openable, or not such an export at all (a log, another export).
    pub(crate) refused: bool,
    /// No file is there.
    pub(crate) missing: bool,
    /// The file holds nothing but white space.
    pub(crate) empty: bool,
}

/// Reads the export at `path` (named `what` in the input list), calling
/// `each` with every record `convert` makes of it (`None`: skipped). A file
/// that cannot be opened or parsed is recorded as unreadable (with the line
/// and column of a JSON error); the records before the error count.
pub(crate) fn read_file<T: Send>(
    path: &Path,
    what: &str,
    shape: &'static Shape,
    convert: fn(Node<'_>) -> Option<T>,
    each: &mut dyn FnMut(&T),
) -> FileRead {
    let mut read = FileRead::default();
    let described = path.display().to_string();
    // What a Log Analytics answer said of its own completeness.
    let mut partial: Option<String> = None;
    let problem = match crate::util::files::open_regular(path) {
        Ok(None) => {
            read.refused = true;
            read.missing = true;
            Some("no such file".to_string())
        }
        Err(e) => {
            read.refused = true;
            Some(format!("cannot open: {e}"))
        }
        Ok(Some(file)) => {
            let size = file.metadata().map(|m| m.len()).unwrap_or(0);
            if let Some(cap) = shape.form.max_bytes.filter(|&cap| size > cap) {
                read.refused = true;
                let reason = format!(
                    "larger than {} MiB ({size} bytes): not {} export, not read",
                    cap >> 20,
                    article(shape.record)
                );
                return unreadable(read, what, &described, reason);
            }
            let mut input = BufReader::with_capacity(1 << 16, utf8_reader(file));
            let first = match first_non_space(&mut input) {
                Ok(first) => first,
                Err(e) => {
                    return unreadable(read, what, &described, format!("read failed: {e}"));
                }
            };
            let mut deliver = |record: &Option<T>| match record {
                Some(record) => {
                    read.records += 1;
                    each(record);
                }
                None => read.skipped += 1,
            };
            let head = answer_head(path);
            match first {
                Some(b'{') if super::answer::is_answer(&head) => {
                    // A Log Analytics query answer: rows named by columns.
                    match super::answer::read_rows(input, &mut |node| deliver(&convert(node))) {
                        Ok(answered) => {
                            partial = answered.error.map(|e| format!("partial result: {e}"));
                            None
                        }
                        Err(e) => Some(format!("not valid JSON: {e}")),
                    }
                }
                Some(b'{') | Some(b'[') => {
                    json::for_each_record(input, shape, convert, &mut deliver)
                        .err()
                        .map(|e| format!("not valid JSON: {e}"))
                }
                None => {
                    read.empty = true;
                    None
                }
                Some(_) if !shape.form.csv => {
                    read.refused = true;
                    Some(format!(
                        "not {} export: no JSON (a log or another file?)",
                        article(shape.record)
                    ))
                }
                Some(_) => {
                    match csv::for_each_record(input, shape, &mut |node| deliver(&convert(node))) {
                        Ok(bad_rows) => {
                            read.skipped += bad_rows;
                            None
                        }
                        Err(e) if e.to_string().contains(csv::NO_COLUMN_READ) => {
                            read.refused = true;
                            Some(format!(
                                "not {} export: its first line names no {} column",
                                article(shape.record),
                                shape.record
                            ))
                        }
                        Err(e) => Some(format!("not a CSV file ({e})")),
                    }
                }
            }
        }
    };
    match problem {
        Some(reason) => unreadable(read, what, &described, reason),
        None => {
            read.input = Some(InputRecord {
                what: what.to_string(),
                path: described,
                state: InputState::Read,
                reason: partial,
            });
            read
        }
    }
}

/// The first bytes of the file at `path`, to tell a Log Analytics answer
/// (the decoder may hand its first bytes over in pieces).
fn answer_head(path: &Path) -> Vec<u8> {
    let mut head = Vec::new();
    if let Ok(Some(file)) = crate::util::files::open_regular(path) {
        let _ = file.take(4096).read_to_end(&mut head);
    }
    head
}

/// `a sign-in` for `sign-in`, `an Intune device` for `Intune device`.
fn article(record: &str) -> String {
    let vowel = record.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']);
    format!("{} {record}", if vowel { "an" } else { "a" })
}

fn unreadable(mut read: FileRead, what: &str, path: &str, reason: String) -> FileRead {
    read.input = Some(InputRecord {
        what: what.to_string(),
        path: path.to_string(),
        state: InputState::Unreadable,
        reason: Some(reason),
    });
    read
}

/// A reader of one kind of export: the file, and where each record goes.
pub(crate) type Reader<T> = fn(&Path, &mut dyn FnMut(&T)) -> FileRead;

/// Reads `text` written to a file with `read`, for the readers' tests:
/// the records and what the read said.
#[cfg(test)]
pub(crate) fn read_text<T: Clone>(text: &str, read: Reader<T>) -> (Vec<T>, FileRead) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("export");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    let mut records = Vec::new();
    let file = read(&path, &mut |record| records.push(record.clone()));
    (records, file)
}
