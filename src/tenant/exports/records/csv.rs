//! Exports in CSV: the admin center's downloads (sign-ins such as
//! `InteractiveSignIns_*.csv`, devices), Intune's and Log Analytics' query
//! results. Each row becomes a record keyed by its header, read by the same
//! field lookup as JSON. Header quirks do not matter: a
//! trailing space (`Application ID `), a double space, a `[UTC]` suffix; a
//! repeated header (`Incoming token type` twice) keeps its first column.

use super::node::{Node, normal};
use super::shape::Shape;
use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Read;

/// The error of a file whose header names no field read: it is refused.
pub(crate) const NO_COLUMN_READ: &str = "the first line names no column read";

/// Largest CSV record (a row, with its quoted fields' line breaks): a
/// sign-in is a few KiB; a longer row is an error, not a memory cost.
pub(crate) const MAX_RECORD: usize = 1 << 20;

/// A reader that fails once a CSV record (outside quotes, a line) grows
/// past [`MAX_RECORD`]: the `csv` crate would buffer a field of any size.
struct RecordCap<R> {
    inner: R,
    in_quotes: bool,
    since_newline: usize,
}

impl<R: Read> Read for RecordCap<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &byte in &buf[..n] {
            match byte {
                b'"' => self.in_quotes = !self.in_quotes,
                b'\n' if !self.in_quotes => {
                    self.since_newline = 0;
                    continue;
                }
                _ => {}
            }
            self.since_newline += 1;
            if self.since_newline > MAX_RECORD {
                return Err(std::io::Error::other(format!(
                    "a record longer than {} MiB",
                    MAX_RECORD >> 20
                )));
            }
        }
        Ok(n)
    }
}

/// Calls `record` with every row of `input` as a record (the fields read
/// only); returns the rows that could not be read (a quoting error), which
/// are skipped. A row longer than [`MAX_RECORD`] ends the read with an
/// error.
pub(crate) fn for_each_record(
    input: impl Read,
    shape: &Shape,
    record: &mut dyn FnMut(Node<'_>),
) -> Result<u64, csv::Error> {
    let capped = RecordCap {
        inner: input,
        in_quotes: false,
        since_newline: 0,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(capped);
    // Each column once: the field it fills when it is one that is read and
    // its header's first column (spaces, brackets and case do not matter),
    // decided once from the header, not per row.
    let mut seen = HashSet::new();
    let headers = reader.headers()?.clone();
    let columns: Vec<Option<&'static str>> = headers
        .iter()
        .map(|header| {
            shape
                .field(&normal(header))
                .filter(|field| seen.insert(*field))
        })
        .collect();
    let keys = shape.form.key_columns;
    let named = |field: &&str| keys.is_empty() || keys.contains(field);
    if !columns.iter().flatten().any(named) {
        return Err(csv::Error::from(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            NO_COLUMN_READ,
        )));
    }
    let mut skipped = 0;
    for row in reader.records() {
        let row = match row {
            Ok(row) => row,
            Err(e) if e.is_io_error() => return Err(e),
            Err(_) => {
                skipped += 1;
                continue;
            }
        };
        let mut kept: Vec<(Cow<str>, Node)> = Vec::new();
        let mut others = Vec::new();
        for ((column, value), header) in columns.iter().zip(row.iter()).zip(headers.iter()) {
            if value.is_empty() {
                continue;
            }
            match column {
                Some(field) => {
                    kept.push((Cow::Borrowed(*field), Node::Text(Cow::Borrowed(value))));
                }
                None if shape.form.other_columns.is_some() && !header.is_empty() => {
                    others.push(Node::Object(vec![
                        (Cow::Borrowed("name"), Node::Text(Cow::Borrowed(header))),
                        (Cow::Borrowed("value"), Node::Text(Cow::Borrowed(value))),
                    ]));
                }
                None => {}
            }
        }
        if let Some(field) = shape.form.other_columns {
            kept.push((Cow::Borrowed(field), Node::List(others)));
        }
        record(Node::Object(kept));
    }
    Ok(skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenant::entra::signins::record::{SIGN_IN, SignIn};

    fn owned_fields(row: &Node) -> Vec<(Cow<'static, str>, Node<'static>)> {
        let Node::Object(fields) = row else {
            return Vec::new();
        };
        fields
            .iter()
            .map(|(key, value)| {
                let value = match value {
                    Node::Text(text) => Node::Text(Cow::Owned(text.to_string())),
                    _ => Node::Null,
                };
                (Cow::Owned(key.to_string()), value)
            })
            .collect()
    }

    fn field<'n>(row: &'n Node, key: &str) -> Option<&'n str> {
        let Node::Object(fields) = row else {
            return None;
        };
        fields.iter().find_map(|(k, v)| match v {
            Node::Text(text) if k == key => Some(text.as_ref()),
            _ => None,
        })
    }

    #[test]
    fn a_row_longer_than_the_cap_is_an_error_not_a_memory_cost() {
        let mut text = String::from("Date (UTC),Application ID,Failure reason\n");
        text.push_str("2026-11-19T15:00:00Z,A1,\"");
        text.push_str(&"x\n".repeat(MAX_RECORD));
        text.push_str("\"\n");
        let mut rows = 0;
        let error = for_each_record(text.as_bytes(), &SIGN_IN, &mut |_| rows += 1).unwrap_err();
        assert!(
            error.to_string().contains("a record longer than 1 MiB"),
            "{error}"
        );
        assert_eq!(rows, 0);
    }

    #[test]
    fn many_columns_cost_linear_time() {
        let columns = 120_000;
        let header: Vec<String> = (0..columns).map(|n| format!("c{n}")).collect();
        let row: Vec<&str> = (0..columns).map(|_| "v").collect();
        let text = format!(
            "{},Application ID\n{},A1\n",
            header.join(","),
            row.join(",")
        );
        let started = std::time::Instant::now();
        let mut apps = Vec::new();
        for_each_record(text.as_bytes(), &SIGN_IN, &mut |row| {
            apps.push(SignIn::from_node(&row).and_then(|s| s.app_id))
        })
        .unwrap();
        assert_eq!(apps, vec![Some("A1".to_string())]);
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn admin_center_headers_with_their_quirks() {
        let text = "\u{feff}Date (UTC),Request ID,Correlation ID,User,Username,Application,Application ID ,Status,Sign-in error code,Failure reason,Sign-in error code,Incoming token type,Autonomous system  number,Compliant\n\
2026-11-19T15:00:00Z,r1,abc-1,Jane Doe,jane@contoso.com,Jamf Connect,A1,Failure,50076,MFA required,0,primaryRefreshToken,8075,False\n";
        let mut rows = Vec::new();
        let skipped = for_each_record(
            crate::tenant::exports::decode::utf8_reader(text.as_bytes()),
            &SIGN_IN,
            &mut |row| rows.push(Node::Object(owned_fields(&row))),
        )
        .unwrap();
        assert_eq!(skipped, 0);
        assert_eq!(
            field(&rows[0], "signinerrorcode"),
            Some("50076"),
            "first column wins"
        );
        // Columns no field is read from are dropped.
        assert_eq!(field(&rows[0], "incomingtokentype"), None);
        assert_eq!(field(&rows[0], "autonomoussystemnumber"), None);
        let sign_in = SignIn::from_node(&rows[0]).unwrap();
        assert_eq!(sign_in.app_id.as_deref(), Some("A1"));
        assert_eq!(sign_in.error_code, Some(50076));
        assert_eq!(sign_in.upn.as_deref(), Some("jane@contoso.com"));
        assert_eq!(sign_in.device_compliant, Some(false));
        assert_eq!(
            sign_in.time.unwrap().to_rfc3339(),
            "2026-11-19T15:00:00+00:00"
        );
    }
}
