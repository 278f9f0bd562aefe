//! A JSON export streamed: framed into documents a chunk at a time, its
//! records parsed by a few workers in batches, delivered in file order.

use super::{framer, pipeline};
use crate::tenant::exports::records::node::Node;
use crate::tenant::exports::records::shape::Shape;
use framer::count_lines;
use framer::{Framer, Piece};
use pipeline::{Batch, Pipeline};
use std::io::Read;

/// Bytes read from the input at a time.
const CHUNK: usize = 1 << 20;
/// Largest document without a records array (a single record) buffered whole.
const MAX_DOCUMENT: usize = 64 << 20;
/// Most threads parsing records: the framer keeps two or three busy.
const MAX_WORKERS: usize = 4;
/// Most records in one batch: a read of tiny records (`{},{},…`) is cut
/// into several batches, so that the records converted and in flight stay
/// bounded whatever a read holds.
const MAX_BATCH_RECORDS: usize = 4096;

/// Calls `record` with every record of the JSON documents in `input`, as
/// `convert` makes it, in the order of the input (the records are dropped
/// on a parsing thread, not on the caller's). Fails with the position
/// (line, column) of the first error; the records before it have been
/// delivered, none after it.
///
/// Records are cut out of the byte stream by a small framer (strings,
/// nesting, the `value` key of a Graph response); each read's records go,
/// as one batch, to a parsing thread that builds only the fields read and
/// converts them; the batches come back in order. Memory is bounded by a
/// few chunks, whatever the input's size.
pub(crate) fn for_each_record<T: Send>(
    input: impl Read,
    shape: &'static Shape,
    convert: fn(Node<'_>) -> T,
    record: &mut dyn FnMut(&T),
) -> anyhow::Result<()> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, MAX_WORKERS);
    read_records(input, shape, convert, record, workers)
}

/// [`for_each_record`] with `workers` parsing threads (none: the caller's).
fn read_records<T: Send>(
    input: impl Read,
    shape: &'static Shape,
    convert: fn(Node<'_>) -> T,
    record: &mut dyn FnMut(&T),
    workers: usize,
) -> anyhow::Result<()> {
    std::thread::scope(|scope| {
        let mut pipeline = Pipeline::start(scope, workers, shape, convert);
        let read = frame_batches(input, &mut pipeline, record);
        // The first error in the input's order: a parse error in a batch
        // comes before whatever the framer met further on.
        match pipeline.finish(record) {
            Some(error) => Err(anyhow::Error::msg(error)),
            None => read,
        }
        // Leaving the scope closes the channels: the workers end.
    })
}

/// Reads `input`, cuts it into records and hands each read's records to
/// the pipeline as one batch.
fn frame_batches<T>(
    mut input: impl Read,
    pipeline: &mut Pipeline<T>,
    record: &mut dyn FnMut(&T),
) -> anyhow::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(2 * CHUNK);
    let mut framer = Framer::default();
    // Where `buf[0]` stands in the input.
    let mut line = 0u64;
    let mut column = 0usize;
    let mut pieces = Vec::new();
    loop {
        // Read straight into the buffer's free space (no copy, no zeroing
        // where the reader allows); a short read is the end of the input.
        let read = (&mut input)
            .take(CHUNK as u64)
            .read_to_end(&mut buf)
            .map_err(|e| anyhow::anyhow!("read failed: {e}"))?;
        let eof = read < CHUNK;
        framer.scan(&buf, &mut pieces);
        if let Some(error) = framer.error() {
            // The records before the break are delivered, none after it.
            let (at_line, at_column) = advance(line, column, &buf[..error.at]);
            let message = format!(
                "{} at line {} column {}",
                error.message,
                at_line + 1,
                at_column + 1
            );
            if !pieces.is_empty() {
                let batch = Batch::new(buf, pieces, line, column);
                if !pipeline.send(batch, record) {
                    return Ok(());
                }
            }
            return Err(anyhow::Error::msg(message));
        }
        let keep = framer.keep_from();
        let (next_line, next_column) = advance(line, column, &buf[..keep]);
        if pieces.len() > MAX_BATCH_RECORDS
            && !send_leading_batches(&buf, &mut pieces, line, column, pipeline, record)
        {
            return Ok(());
        }
        if !pieces.is_empty() {
            // Every piece ends before `keep`: the batch takes the buffer
            // whole, the bytes still needed move to a spare one.
            let mut rest = pipeline.spare_buffer();
            rest.extend_from_slice(&buf[keep..]);
            let bytes = std::mem::replace(&mut buf, rest);
            let batch = Batch::new(bytes, std::mem::take(&mut pieces), line, column);
            if !pipeline.send(batch, record) {
                return Ok(());
            }
        } else if keep > 0 {
            buf.drain(..keep);
        }
        framer.shift(keep);
        (line, column) = (next_line, next_column);
        if framer.buffering() > MAX_DOCUMENT {
            return Err(anyhow::anyhow!(
                "a JSON document without a records array larger than 64 MiB"
            ));
        }
        if eof {
            return match framer.open() {
                true => Err(anyhow::anyhow!(
                    "EOF while parsing at line {} (the file ends in the middle of a record)",
                    line + count_lines(&buf) + 1
                )),
                false => Ok(()),
            };
        }
    }
}

/// Sends all but the last [`MAX_BATCH_RECORDS`] or fewer of `pieces` (of
/// `buf`, which begins at `line` and `column`) as batches of copied bytes,
/// in order; the rest stay in `pieces`. `false` once an error has been met.
fn send_leading_batches<T>(
    buf: &[u8],
    pieces: &mut Vec<Piece>,
    line: u64,
    column: usize,
    pipeline: &mut Pipeline<T>,
    record: &mut dyn FnMut(&T),
) -> bool {
    let leading = (pieces.len() - 1) / MAX_BATCH_RECORDS * MAX_BATCH_RECORDS;
    let (mut at, mut at_line, mut at_column) = (0usize, line, column);
    let mut going = true;
    for group in pieces[..leading].chunks(MAX_BATCH_RECORDS) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let (start, end) = (first.range.start, last.range.end);
        (at_line, at_column) = advance(at_line, at_column, &buf[at..start]);
        at = start;
        let mut bytes = pipeline.spare_buffer();
        bytes.extend_from_slice(&buf[start..end]);
        let rebased = group
            .iter()
            .map(|piece| Piece {
                kind: piece.kind,
                range: piece.range.start - start..piece.range.end - start,
            })
            .collect();
        if !pipeline.send(Batch::new(bytes, rebased, at_line, at_column), record) {
            going = false;
            break;
        }
    }
    pieces.drain(..leading);
    going
}

/// The line and column after `bytes`, from those before them.
fn advance(line: u64, column: usize, bytes: &[u8]) -> (u64, usize) {
    match memchr::memrchr(b'\n', bytes) {
        Some(newline) => (line + count_lines(bytes), bytes.len() - newline - 1),
        None => (line, column + bytes.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenant::entra::signins::record::SIGN_IN;

    /// A record as the tests look at it: its kept keys, and its app ID.
    type Kept = (Vec<String>, Option<String>);

    fn kept(node: Node<'_>) -> Kept {
        let Node::Object(fields) = node else {
            return (Vec::new(), None);
        };
        let keys = fields.iter().map(|(k, _)| k.to_string()).collect();
        let app = fields.iter().rev().find_map(|(k, v)| match v {
            Node::Text(text) if k == "appid" => Some(text.to_string()),
            _ => None,
        });
        (keys, app)
    }

    fn records(text: &str) -> anyhow::Result<Vec<Kept>> {
        let mut out = Vec::new();
        for_each_record(text.as_bytes(), &SIGN_IN, kept, &mut |v| {
            out.push(v.clone())
        })?;
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
        assert_eq!(single[0].1.as_deref(), Some("a"));
        // Duplicate keys: the last one wins.
        let duplicate = records(r#"[{"appId":"a","appId":"b","homeTenantId":"x"}]"#).unwrap();
        assert_eq!(duplicate[0].1.as_deref(), Some("b"));
        assert_eq!(
            duplicate[0].0,
            ["appid", "appid"],
            "kept under the normal key; unread fields are dropped"
        );
    }

    #[test]
    fn stray_commas_and_stray_values_between_records_are_errors() {
        let error = |text: &str| records(text).unwrap_err().to_string();
        assert!(error(r#"{"value":[,]}"#).contains("expected value at line 1 column 11"));
        assert!(error("[{\"id\":1},\n,{\"id\":2}]").contains("expected value at line 2 column 1"));
        assert!(error(r#"[{"id":1},]"#).contains("trailing comma at line 1 column 11"));
        assert!(
            error(r#"[{"id":1} {"id":2}]"#).contains("expected `,` or `]` at line 1 column 11")
        );
        assert!(
            error(r#"{"value":[1,2]}"#)
                .contains("expected a record (a JSON object) at line 1 column 11")
        );
        // The records before the break are delivered, none after it.
        let mut delivered = Vec::new();
        let read = for_each_record(
            r#"[{"appId":"a"},{"appId":"b"},,{"appId":"c"}]"#.as_bytes(),
            &SIGN_IN,
            kept,
            &mut |(_, app)| delivered.extend(app.clone()),
        );
        assert!(read.is_err());
        assert_eq!(delivered, ["a", "b"]);
        // Well-formed arrays, empty ones and whitespace between records read.
        assert_eq!(records("[ ]").unwrap().len(), 0);
        assert_eq!(records("{\"value\": [ ] }").unwrap().len(), 0);
        assert_eq!(
            records("[\n {\"id\":1} ,\r\n\t{\"id\":2}\n]")
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn a_syntax_error_names_its_place() {
        let error = records("[\n{\"id\":1},\n{\"id\":2,},\n]")
            .unwrap_err()
            .to_string();
        assert!(error.contains("line 3 column 9"), "{error}");
    }

    /// A reader handing out its text a few bytes at a time, as a pipe or a
    /// slow disk may: every refill of the framer is exercised.
    struct Trickle<'t> {
        text: &'t [u8],
        sizes: Vec<usize>,
        turn: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let size = self.sizes[self.turn % self.sizes.len()].min(out.len());
            self.turn += 1;
            let n = size.min(self.text.len());
            out[..n].copy_from_slice(&self.text[..n]);
            self.text = &self.text[n..];
            Ok(n)
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]

        /// Records whose strings hold quotes, backslashes, brackets and
        /// non-ASCII text read alike however the input is cut.
        #[test]
        fn any_cut_of_the_input_reads_alike(
            apps in proptest::collection::vec("[a-z\\\\\"{}\\[\\],:é ]{0,12}", 1..20),
            sizes in proptest::collection::vec(1usize..9, 1..5),
            graph in proptest::bool::ANY,
        ) {
            let items: Vec<String> = apps
                .iter()
                .map(|app| serde_json::json!({"appId": app, "note": {"x": [app]}}).to_string())
                .collect();
            let array = format!("[{}]", items.join(",\n"));
            let text = if graph { format!("{{\"value\":{array}}}") } else { array };
            let mut read = Vec::new();
            let trickle = Trickle { text: text.as_bytes(), sizes, turn: 0 };
            for_each_record(trickle, &SIGN_IN, kept, &mut |(_, app)| read.push(app.clone())).unwrap();
            let expected: Vec<Option<String>> = apps.into_iter().map(Some).collect();
            proptest::prop_assert_eq!(read, expected);
        }
    }

    /// Several batches (reads of `CHUNK` bytes) of one-line records.
    fn many_records(count: usize, separator: &str) -> String {
        let mut text = String::from("{\"value\":[");
        for n in 0..count {
            text.push_str(&format!(
                "{{\"appId\":\"a{n}\",\"padding\":\"{}\"}},{separator}",
                "x".repeat(200)
            ));
        }
        text
    }

    #[test]
    fn records_keep_their_order_across_batches() {
        let mut text = many_records(20_000, "\n");
        text.push_str("{\"appId\":\"last\"}]}");
        assert!(text.len() > 4 * CHUNK);
        let apps: Vec<String> = records(&text)
            .unwrap()
            .into_iter()
            .filter_map(|(_, app)| app)
            .collect();
        // Any number of parsing threads, none included, gives the same.
        for workers in [0, 1, 3] {
            let mut again = Vec::new();
            let mut each = |(_, app): &Kept| again.extend(app.clone());
            read_records(text.as_bytes(), &SIGN_IN, kept, &mut each, workers).unwrap();
            assert_eq!(again, apps, "{workers} workers");
        }
        assert_eq!(apps.len(), 20_001);
        assert!(
            apps[..20_000]
                .iter()
                .enumerate()
                .all(|(n, app)| *app == format!("a{n}"))
        );
        assert_eq!(apps[20_000], "last");
    }

    #[test]
    fn an_error_far_in_names_its_line_and_column() {
        // Records one per line: the line counts across batches.
        let mut text = many_records(20_000, "\n");
        text.push_str("{\"appId\":\"b\",}]}\n{");
        let mut delivered = 0;
        let error = for_each_record(text.as_bytes(), &SIGN_IN, kept, &mut |_| delivered += 1)
            .unwrap_err()
            .to_string();
        let mut inline_delivered = 0;
        let inline = read_records(
            text.as_bytes(),
            &SIGN_IN,
            kept,
            &mut |_| inline_delivered += 1,
            0,
        );
        assert_eq!(inline.map_err(|e| e.to_string()), Err(error.clone()));
        assert_eq!(inline_delivered, 20_000);
        assert!(
            error.contains("trailing comma at line 20001 column 14"),
            "{error}"
        );
        assert_eq!(
            delivered, 20_000,
            "every record before the error, none after"
        );
        // One long line: the column counts across batches.
        let mut text = many_records(20_000, "");
        let column = text.len() + r#"{"appId":"b","#.len() + 1;
        text.push_str("{\"appId\":\"b\",}]}");
        let error = records(&text).unwrap_err().to_string();
        assert!(
            error.contains(&format!("at line 1 column {column}")),
            "{error}"
        );
    }

    #[test]
    fn tiny_records_are_cut_into_several_batches_in_order_and_in_place() {
        // About 60,000 records a read: many batches of copied bytes.
        let count = 100_000;
        let mut text = String::from("[");
        for n in 0..count {
            text.push_str(&format!("{{\"appId\":\"{n}\"}},"));
            if n % 7 == 0 {
                text.push('\n');
            }
        }
        let line = text.matches('\n').count() + 1;
        let column =
            text.len() - text.rfind('\n').map_or(0, |i| i + 1) + r#"{"appId":"x","#.len() + 1;
        text.push_str("{\"appId\":\"x\",}]");
        for workers in [0, 2] {
            let mut apps = Vec::new();
            let mut each = |(_, app): &Kept| apps.extend(app.clone());
            let error = read_records(text.as_bytes(), &SIGN_IN, kept, &mut each, workers)
                .unwrap_err()
                .to_string();
            assert!(
                error.contains(&format!("at line {line} column {column}")),
                "{error}"
            );
            assert_eq!(apps.len(), count);
            assert!(
                apps.iter()
                    .enumerate()
                    .all(|(n, app)| *app == n.to_string())
            );
        }
    }
}
