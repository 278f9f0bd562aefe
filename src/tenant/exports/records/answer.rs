//! A Logs Query API answer (`{"tables":[{"name","columns":[{"name","type"}],
//! "rows":[[…]]}]}`), read row by row: each row becomes a record keyed by
//! its columns' names, so that the sign-in reader reads it as it reads any
//! export. Numbers and booleans may come as strings (the API's own example
//! has them so); a partial result (`error.code` `PartialError` beside the
//! tables) is kept to be said. One row is held at a time, whatever the
//! answer's size.

use super::node::{Node, normal};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;
use std::io::Read;

/// What an answer held besides its rows.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Answered {
    /// Rows delivered.
    pub(crate) rows: u64,
    /// Tables read.
    pub(crate) tables: u64,
    /// The error the answer carried (`code: message`): with tables, a
    /// partial result.
    pub(crate) error: Option<String>,
}

/// Whether `head` (a file's first bytes) starts a Logs Query API answer:
/// an object whose first key is `tables` (or `error`, a refused query).
pub(crate) fn is_answer(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let Some(rest) = text.strip_prefix('{') else {
        return false;
    };
    let rest = rest.trim_start();
    rest.starts_with("\"tables\"") || rest.starts_with("\"error\"")
}

/// Reads the answer in `reader`, calling `each` with every row of its
/// tables as an object of normal keys. Fails on text that is no JSON or
/// no answer.
pub(crate) fn read_rows(
    reader: impl Read,
    each: &mut dyn FnMut(Node<'static>),
) -> Result<Answered, serde_json::Error> {
    let mut answered = Answered::default();
    let mut deserializer =
        serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 20, reader));
    AnswerSeed {
        each,
        answered: &mut answered,
    }
    .deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(answered)
}

struct AnswerSeed<'r> {
    each: &'r mut dyn FnMut(Node<'static>),
    answered: &'r mut Answered,
}

impl<'de> DeserializeSeed<'de> for AnswerSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for AnswerSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Logs Query API answer: an object with `tables`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "tables" => map.next_value_seed(TablesSeed {
                    each: &mut *self.each,
                    answered: &mut *self.answered,
                })?,
                "error" => {
                    let error: Value = map.next_value()?;
                    let field = |name: &str| {
                        error
                            .get(name)
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string()
                    };
                    self.answered.error = Some(format!("{}: {}", field("code"), field("message")));
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct TablesSeed<'r> {
    each: &'r mut dyn FnMut(Node<'static>),
    answered: &'r mut Answered,
}

impl<'de> DeserializeSeed<'de> for TablesSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for TablesSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of tables")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(TableSeed {
                each: &mut *self.each,
                answered: &mut *self.answered,
            })?
            .is_some()
        {
            self.answered.tables += 1;
        }
        Ok(())
    }
}

struct TableSeed<'r> {
    each: &'r mut dyn FnMut(Node<'static>),
    answered: &'r mut Answered,
}

impl<'de> DeserializeSeed<'de> for TableSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

/// A column as the API describes it.
#[derive(serde::Deserialize)]
struct Column {
    name: String,
}

impl<'de> Visitor<'de> for TableSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a table: name, columns and rows")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut columns: Option<Vec<String>> = None;
        // Rows that came before their columns (the API writes the columns
        // first): kept until the columns are known.
        let mut early: Vec<Vec<Value>> = Vec::new();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "columns" => {
                    let read: Vec<Column> = map.next_value()?;
                    columns = Some(read.into_iter().map(|c| normal(&c.name)).collect());
                }
                "rows" => match &columns {
                    Some(names) => map.next_value_seed(RowsSeed {
                        names,
                        each: &mut *self.each,
                        answered: &mut *self.answered,
                    })?,
                    None => early = map.next_value()?,
                },
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if let Some(names) = &columns {
            for row in early {
                deliver(names, row, &mut *self.each, &mut *self.answered);
            }
        }
        Ok(())
    }
}

struct RowsSeed<'r> {
    names: &'r [String],
    each: &'r mut dyn FnMut(Node<'static>),
    answered: &'r mut Answered,
}

impl<'de> DeserializeSeed<'de> for RowsSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RowsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(row) = seq.next_element::<Vec<Value>>()? {
            deliver(self.names, row, &mut *self.each, &mut *self.answered);
        }
        Ok(())
    }
}

/// Hands one row to `each` as an object of the columns' names.
fn deliver(
    names: &[String],
    row: Vec<Value>,
    each: &mut dyn FnMut(Node<'static>),
    answered: &mut Answered,
) {
    let fields = names
        .iter()
        .zip(row)
        .map(|(name, cell)| (Cow::Owned(name.clone()), owned_node(cell)))
        .collect();
    answered.rows += 1;
    each(Node::Object(fields));
}

/// `value` as a node, its strings moved rather than copied.
fn owned_node(value: Value) -> Node<'static> {
    match value {
        Value::String(text) => Node::Text(Cow::Owned(text)),
        other => Node::of_json(&other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_of(text: &str) -> (Vec<String>, Answered) {
        let mut seen = Vec::new();
        let answered = read_rows(text.as_bytes(), &mut |node| {
            if let Node::Object(fields) = &node {
                seen.push(
                    fields
                        .iter()
                        .map(|(k, v)| {
                            format!("{k}={}", super::super::node::text(v).unwrap_or_default())
                        })
                        .collect::<Vec<_>>()
                        .join(","),
                );
            }
        })
        .unwrap();
        (seen, answered)
    }

    #[test]
    fn the_documented_example_reads_row_by_row() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/log-analytics/query-api-example.json"
        ))
        .unwrap();
        assert!(is_answer(text.as_bytes()));
        let (rows, answered) = rows_of(&text);
        assert_eq!(answered.tables, 1);
        assert_eq!(answered.rows as usize, rows.len());
        assert!(answered.rows > 0);
        assert_eq!(answered.error, None);
    }

    #[test]
    fn columns_name_the_cells_and_a_partial_result_is_kept() {
        let text = r#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"ResultType","type":"string"}],"rows":[["2026-11-19T08:00:00Z","50076"],["2026-11-19T09:00:00Z","0"]]}],"error":{"code":"PartialError","message":"There were some errors when processing your query.","details":[]}}"#;
        let (rows, answered) = rows_of(text);
        assert_eq!(
            rows,
            [
                "timegenerated=2026-11-19T08:00:00Z,resulttype=50076",
                "timegenerated=2026-11-19T09:00:00Z,resulttype=0"
            ]
        );
        assert_eq!(
            answered.error.as_deref(),
            Some("PartialError: There were some errors when processing your query.")
        );
        // Rows before columns still read.
        let late = r#"{"tables":[{"name":"PrimaryResult","rows":[["x"]],"columns":[{"name":"AppId","type":"string"}]}]}"#;
        assert_eq!(rows_of(late).0, ["appid=x"]);
        assert!(!is_answer(br#"{"value":[]}"#));
        assert!(is_answer(br#"{"tables": [{"name":"PrimaryResult"}]}"#));
        assert!(read_rows(&b"{\"tables\":[{\"rows\":[[1"[..], &mut |_| {}).is_err());
    }
}
