//! Sign-in exports in JSON, streamed record by record so that memory stays
//! flat whatever the file's size: a Graph response (`{"value": [...]}`,
//! v1.0 or beta), a bare array (the admin center, PowerShell, Log
//! Analytics), a single record, and several of these one after another
//! (pages saved one per line, or concatenated).

use super::record::{FIELDS_READ, normal};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;
use std::io::Read;

/// Calls `record` with every record of the JSON documents in `input`.
/// Fails with the position (line, column) of the first syntax error; the
/// records before it have been delivered.
pub(crate) fn for_each_record(
    input: impl Read,
    record: &mut dyn FnMut(Value),
) -> Result<(), serde_json::Error> {
    let mut documents = serde_json::Deserializer::from_reader(input);
    loop {
        Document {
            record: &mut *record,
        }
        .deserialize(&mut documents)?;
        // Only white space left: done. Anything else is the next document.
        if documents.end().is_ok() {
            return Ok(());
        }
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
            if FIELDS_READ.contains(&normal(&key).as_str()) {
                kept.insert(key.into_owned(), map.next_value::<Value>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
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
        assert_eq!(duplicate[0]["appId"], "b");
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
