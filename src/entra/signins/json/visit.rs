//! The serde visitors of a sign-in export: a document, its records, and the
//! fields read of each record, built as [`Node`]s that borrow the input's
//! text; everything else is skipped without being built.

use crate::entra::signins::record::{Node, field_read, nested_fields_read};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// One JSON document of sign-ins.
pub(super) struct Document<'r, 'de> {
    /// Where each record goes.
    pub(super) record: &'r mut dyn FnMut(Node<'de>),
}

impl<'de> DeserializeSeed<'de> for Document<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Document<'_, 'de> {
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
        // Keys other than `value` are a record's (a single record is such a
        // map); `value`'s records stream out as they are read.
        let mut single = Vec::new();
        let mut had_value = false;
        let mut had_fields = false;
        while let Some(key) = map.next_key::<String>()? {
            if key.eq_ignore_ascii_case("value") {
                had_value = true;
                map.next_value_seed(Records {
                    record: &mut *self.record,
                })?;
            } else if had_value || key.starts_with('@') {
                map.next_value::<IgnoredAny>()?;
            } else {
                had_fields = true;
                let normal = NormalKey.visit_str::<A::Error>(&key)?;
                match normal.as_ref().and_then(|k| field_read(k.as_str())) {
                    Some(field) => {
                        let value = map.next_value_seed(NodeSeed::keeping(field))?;
                        single.push((Cow::Borrowed(field), value));
                    }
                    None => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
        }
        if !had_value && had_fields {
            (self.record)(Node::Object(single));
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
/// (most of a Graph record's bytes) is skipped without being built. Not an
/// object: [`Node::Null`], which no sign-in is read from.
pub(super) struct RecordSeed;

impl<'de> DeserializeSeed<'de> for RecordSeed {
    type Value = Node<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a sign-in record")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
        let mut kept = Vec::with_capacity(16);
        while let Some(key) = map.next_key_seed(NormalKey)? {
            // Kept under its normal key: the record reader then needs no
            // second pass over it.
            match key.as_ref().and_then(|k| field_read(k.as_str())) {
                Some(field) => {
                    let value = map.next_value_seed(NodeSeed::keeping(field))?;
                    kept.push((Cow::Borrowed(field), value));
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Node::Object(kept))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Node<'de>, A::Error> {
        while items.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Node::Null)
    }

    fn visit_unit<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }
    fn visit_str<E>(self, _: &str) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }
}

/// A field's value as a [`Node`], strings borrowed from the input when they
/// hold no escape. Objects inside keep only the given fields (`Some`), or
/// every field (`None`), under their normal keys.
#[derive(Clone, Copy)]
struct NodeSeed(Option<&'static [&'static str]>);

impl NodeSeed {
    /// The seed for the value of `field` (a field read).
    fn keeping(field: &str) -> Self {
        NodeSeed(nested_fields_read(field))
    }
}

impl<'de> DeserializeSeed<'de> for NodeSeed {
    type Value = Node<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NodeSeed {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a sign-in field")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
        let mut kept = Vec::new();
        while let Some(key) = map.next_key_seed(NormalKey)? {
            let Some(key) = key else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            let key = match self.0 {
                Some(fields) => fields
                    .iter()
                    .find(|field| **field == key.as_str())
                    .map(|field| Cow::Borrowed(*field)),
                None => Some(Cow::Owned(key.as_str().to_string())),
            };
            match key {
                Some(key) => kept.push((key, map.next_value_seed(NodeSeed(None))?)),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Node::Object(kept))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Node<'de>, A::Error> {
        let mut kept = Vec::new();
        while let Some(item) = items.next_element_seed(self)? {
            kept.push(item);
        }
        Ok(Node::List(kept))
    }

    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Node<'de>, E> {
        Ok(Node::Text(Cow::Borrowed(text)))
    }
    fn visit_str<E>(self, text: &str) -> Result<Node<'de>, E> {
        Ok(Node::Text(Cow::Owned(text.to_string())))
    }
    fn visit_string<E>(self, text: String) -> Result<Node<'de>, E> {
        Ok(Node::Text(Cow::Owned(text)))
    }
    fn visit_unit<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, value: bool) -> Result<Node<'de>, E> {
        Ok(Node::Bool(value))
    }
    fn visit_i64<E>(self, value: i64) -> Result<Node<'de>, E> {
        Ok(Node::Number(value.into()))
    }
    fn visit_u64<E>(self, value: u64) -> Result<Node<'de>, E> {
        Ok(Node::Number(value.into()))
    }
    fn visit_f64<E>(self, value: f64) -> Result<Node<'de>, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Node::Null, Node::Number))
    }
}

/// A key in its normal form (lower-case letters and digits), read as raw
/// bytes: no UTF-8 check, no allocation. `None` when it is longer than
/// any field read.
struct NormalKey;

/// A normal key, in place.
struct KeyBuffer {
    bytes: [u8; 48],
    length: usize,
}

impl KeyBuffer {
    fn as_str(&self) -> &str {
        // Only ASCII letters and digits are ever written.
        std::str::from_utf8(&self.bytes[..self.length]).unwrap_or_default()
    }
}

impl<'de> DeserializeSeed<'de> for NormalKey {
    type Value = Option<KeyBuffer>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_bytes(self)
    }
}

impl<'de> Visitor<'de> for NormalKey {
    type Value = Option<KeyBuffer>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_bytes<E: serde::de::Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        let mut normal = KeyBuffer {
            bytes: [0; 48],
            length: 0,
        };
        for &byte in key.iter().filter(|b| b.is_ascii_alphanumeric()) {
            let Some(slot) = normal.bytes.get_mut(normal.length) else {
                return Ok(None);
            };
            *slot = byte.to_ascii_lowercase();
            normal.length += 1;
        }
        Ok(Some(normal))
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Self::Value, E> {
        self.visit_bytes(key.as_bytes())
    }
}

/// The `value` array of a Graph response.
struct Records<'r, 'de> {
    record: &'r mut dyn FnMut(Node<'de>),
}

impl<'de> DeserializeSeed<'de> for Records<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(Document {
            record: self.record,
        })
    }
}
