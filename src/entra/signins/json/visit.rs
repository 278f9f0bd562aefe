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
                match KeySeed(Keep::Read).visit_str::<A::Error>(&key)? {
                    Some(field) => {
                        let value = map.next_value_seed(NodeSeed::keeping(&field))?;
                        single.push((field, value));
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
        while let Some(key) = map.next_key_seed(KeySeed(Keep::Read))? {
            // Kept under its normal key: the record reader then needs no
            // second pass over it.
            match key {
                Some(field) => {
                    let value = map.next_value_seed(NodeSeed::keeping(&field))?;
                    kept.push((field, value));
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
/// hold no escape; objects inside keep the keys the [`Keep`] says, under
/// their normal form.
#[derive(Clone, Copy)]
struct NodeSeed(Keep);

impl NodeSeed {
    /// The seed for the value of `field` (a field read).
    fn keeping(field: &str) -> Self {
        NodeSeed(nested_fields_read(field).map_or(Keep::All, Keep::Among))
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
        while let Some(key) = map.next_key_seed(KeySeed(self.0))? {
            match key {
                Some(key) => kept.push((key, map.next_value_seed(NodeSeed(Keep::All))?)),
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

/// Which keys of an object are kept.
#[derive(Clone, Copy)]
enum Keep {
    /// A record's fields read ([`field_read`]).
    Read,
    /// These (normal keys).
    Among(&'static [&'static str]),
    /// Every key.
    All,
}

/// Longest normal key compared: longer keys are no field read.
const LONGEST_KEY: usize = 48;

/// A key read as raw bytes (no UTF-8 check) and put in its normal form
/// (lower-case letters and digits) on the stack: the name of the field it
/// is when kept, without allocating unless every key is; `None` when the
/// key is not kept.
struct KeySeed(Keep);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Option<Cow<'static, str>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_bytes(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Option<Cow<'static, str>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_bytes<E: serde::de::Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        let mut normal = [0u8; LONGEST_KEY];
        let mut length = 0;
        for &byte in key.iter().filter(|b| b.is_ascii_alphanumeric()) {
            let Some(slot) = normal.get_mut(length) else {
                return Ok(None);
            };
            *slot = byte.to_ascii_lowercase();
            length += 1;
        }
        // Only ASCII letters and digits were written.
        let normal = std::str::from_utf8(&normal[..length]).unwrap_or_default();
        Ok(match self.0 {
            Keep::Read => field_read(normal).map(Cow::Borrowed),
            Keep::Among(fields) => fields
                .iter()
                .find(|field| **field == normal)
                .map(|field| Cow::Borrowed(*field)),
            Keep::All => Some(Cow::Owned(normal.to_string())),
        })
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
