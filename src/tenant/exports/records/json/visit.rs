//! The serde visitors of an export: a document, its records, and the fields
//! read of each record (as its [`Shape`] says), built as [`Node`]s that
//! borrow the input's text; everything else is skipped without being built.

use crate::tenant::exports::records::Shape;
use crate::tenant::exports::records::node::Node;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// One JSON document of records.
pub(super) struct Document<'r, 'de> {
    /// Where each record goes.
    pub(super) record: &'r mut dyn FnMut(Node<'de>),
    /// The fields read.
    pub(super) shape: &'static Shape,
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
        f.write_str("an export: an object with `value`, an array or a record")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        while let Some(item) = items.next_element_seed(RecordSeed(self.shape))? {
            (self.record)(item);
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Keys other than `value` (Graph) or `results` (Jamf Pro) are a
        // record's (a single record is such a map); the records of those
        // stream out as they are read.
        let mut single = Vec::new();
        let mut had_value = false;
        let mut had_fields = false;
        while let Some(key) = map.next_key::<String>()? {
            if is_records_key(&key) {
                had_value = true;
                map.next_value_seed(Records {
                    record: &mut *self.record,
                    shape: self.shape,
                })?;
            } else if had_value || key.starts_with('@') {
                map.next_value::<IgnoredAny>()?;
            } else {
                had_fields = true;
                match KeySeed(Keep::Read(self.shape)).visit_str::<A::Error>(&key)? {
                    Some(field) => {
                        let value = map.next_value_seed(NodeSeed::keeping(self.shape, &field))?;
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

/// One record, keeping only the fields its shape reads: the rest (most of a
/// Graph record's bytes) is skipped without being built. Not an object:
/// [`Node::Null`], which no record is read from.
pub(super) struct RecordSeed(pub(super) &'static Shape);

impl<'de> DeserializeSeed<'de> for RecordSeed {
    type Value = Node<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a record")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
        let mut kept = Vec::with_capacity(16);
        while let Some(key) = map.next_key_seed(KeySeed(Keep::Read(self.0)))? {
            // Kept under its normal key: the record reader then needs no
            // second pass over it.
            match key {
                Some(field) => {
                    let value = map.next_value_seed(NodeSeed::keeping(self.0, &field))?;
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
    fn keeping(shape: &Shape, field: &str) -> Self {
        NodeSeed((shape.nested)(field).map_or(Keep::All, Keep::Among))
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
        f.write_str("a field")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
        // Sized for the keys kept when they are few and known.
        let mut kept = match self.0 {
            Keep::Among(fields) => Vec::with_capacity(fields.len()),
            _ => Vec::new(),
        };
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
    /// A record's fields read, as its shape says.
    Read(&'static Shape),
    /// These (normal keys).
    Among(&'static [&'static str]),
    /// Every key.
    All,
}

/// Longest normal key compared: longer keys are no field read.
const LONGEST_KEY: usize = 48;

/// A key read as raw bytes (no UTF-8 check) and compared in its normal form
/// (lower-case letters and digits, on the stack) with the names wanted: the
/// name of the field it is when kept, without allocating unless every key
/// is; `None` when the key is not kept.
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
        // Every record repeats the same keys: each is looked up once per
        // thread and then found by its bytes.
        let wanted = match self.0 {
            Keep::Read(shape) => std::ptr::from_ref(shape) as usize,
            Keep::Among(fields) => fields.as_ptr() as usize,
            Keep::All => return Ok(self.field_of(key)),
        };
        Ok(KNOWN_KEYS.with(|known| match known.try_borrow_mut() {
            Ok(mut known) => known.field(wanted, key, || self.field_of(key)),
            Err(_) => self.field_of(key),
        }))
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Self::Value, E> {
        self.visit_bytes(key.as_bytes())
    }
}

impl KeySeed {
    /// The field `key` is, looked up: its normal form compared with the
    /// names wanted.
    fn field_of(self, key: &[u8]) -> Option<Cow<'static, str>> {
        // A few names wanted inside a field: compared as the key's bytes
        // stream, without building its normal form (most keys differ at
        // their first letter).
        if let Keep::Among(fields) = self.0 {
            return fields
                .iter()
                .find(|field| normal_eq(key, field.as_bytes()))
                .map(|field| Cow::Borrowed(*field));
        }
        let mut normal = [0u8; LONGEST_KEY];
        let mut length = 0;
        for &byte in key.iter().filter(|b| b.is_ascii_alphanumeric()) {
            let slot = normal.get_mut(length)?;
            *slot = byte.to_ascii_lowercase();
            length += 1;
        }
        // Only ASCII letters and digits were written.
        let normal = std::str::from_utf8(&normal[..length]).unwrap_or_default();
        match self.0 {
            Keep::Read(shape) => shape.field(normal).map(Cow::Borrowed),
            // Compared above, without the normal form.
            Keep::Among(_) => None,
            Keep::All => Some(Cow::Owned(normal.to_string())),
        }
    }
}

/// Slots of the keys known per thread (a power of two), in pairs.
const KNOWN_SLOTS: usize = 1024;

/// Keys looked up already on this thread, by their bytes as written and
/// the names wanted: the field each is, or none. Two slots per hash of the
/// key; a key whose two slots others hold is looked up again.
struct KnownKeys {
    slots: Vec<Option<KnownKey>>,
}

/// One key looked up (its bytes in place: no allocation per key). Its
/// first and last eight bytes are kept as words too: a key of up to 16
/// bytes is compared by them alone.
struct KnownKey {
    wanted: usize,
    length: usize,
    head: u64,
    tail: u64,
    key: [u8; LONGEST_KEY],
    field: Option<&'static str>,
}

impl KnownKeys {
    /// The field `key` is among the names `wanted` identifies, from its
    /// slot when it was looked up before, else by `look_up` (and kept).
    fn field(
        &mut self,
        wanted: usize,
        key: &[u8],
        look_up: impl FnOnce() -> Option<Cow<'static, str>>,
    ) -> Option<Cow<'static, str>> {
        if key.len() > LONGEST_KEY {
            return look_up();
        }
        // A hash of the key's length, its first and last eight bytes and
        // the names wanted (a key is compared whole when found).
        let (head, tail) = match (key.first_chunk::<8>(), key.last_chunk::<8>()) {
            (Some(head), Some(tail)) => (u64::from_le_bytes(*head), u64::from_le_bytes(*tail)),
            _ => {
                let mut word = [0u8; 8];
                word[..key.len()].copy_from_slice(key);
                (u64::from_le_bytes(word), u64::from_le_bytes(word))
            }
        };
        let hash = (head ^ tail.rotate_left(29) ^ wanted as u64 ^ key.len() as u64)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        // Two slots per hash: a record's hundred or so keys would otherwise
        // meet in pairs and push each other out on every record.
        let first = (hash >> 54) as usize & (KNOWN_SLOTS - 2);
        let same = |known: &&KnownKey| {
            known.wanted == wanted
                && known.length == key.len()
                && known.head == head
                && known.tail == tail
                && (key.len() <= 16 || known.key.get(8..known.length) == key.get(8..))
        };
        let pair = self.slots.get(first..first + 2).unwrap_or_default();
        if let Some(known) = pair.iter().flatten().find(same) {
            return known.field.map(Cow::Borrowed);
        }
        // A free slot of the two, else the second (the first keeps its key).
        let slot = match pair.first() {
            Some(None) => first,
            _ => first + 1,
        };
        let found = look_up();
        let field = match &found {
            Some(Cow::Borrowed(field)) => Some(*field),
            Some(Cow::Owned(_)) => return found,
            None => None,
        };
        if let Some(entry) = self.slots.get_mut(slot) {
            let mut bytes = [0u8; LONGEST_KEY];
            bytes[..key.len()].copy_from_slice(key);
            *entry = Some(KnownKey {
                wanted,
                length: key.len(),
                head,
                tail,
                key: bytes,
                field,
            });
        }
        found
    }
}

thread_local! {
    static KNOWN_KEYS: std::cell::RefCell<KnownKeys> = std::cell::RefCell::new(KnownKeys {
        slots: (0..KNOWN_SLOTS).map(|_| None).collect(),
    });
}

/// Whether `key` in normal form (ASCII letters and digits, lower case) is
/// `normal`.
fn normal_eq(key: &[u8], normal: &[u8]) -> bool {
    let mut wanted = normal.iter();
    for byte in key.iter().filter(|b| b.is_ascii_alphanumeric()) {
        match wanted.next() {
            Some(w) if *w == byte.to_ascii_lowercase() => {}
            _ => return false,
        }
    }
    wanted.next().is_none()
}

/// Whether a document's `key` holds its records: `value` (a Graph
/// response) or `results` (a Jamf Pro page).
pub(super) fn is_records_key(key: &str) -> bool {
    key.eq_ignore_ascii_case("value") || key.eq_ignore_ascii_case("results")
}

/// The records array of a Graph response or a Jamf Pro page.
struct Records<'r, 'de> {
    record: &'r mut dyn FnMut(Node<'de>),
    shape: &'static Shape,
}

impl<'de> DeserializeSeed<'de> for Records<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(Document {
            record: self.record,
            shape: self.shape,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenant::entra::signins::record::SIGN_IN;
    use crate::tenant::jamf_pro::inventory::JAMF_COMPUTER;

    fn field(keep: Keep, key: &str) -> Option<String> {
        KeySeed(keep)
            .visit_bytes::<serde_json::Error>(key.as_bytes())
            .unwrap()
            .map(|f| f.to_string())
    }

    #[test]
    fn keys_known_on_the_thread_give_what_a_first_look_up_gives() {
        // Twice each (the second from the slot), every spelling, two shapes
        // and a few names wanted inside a field: never another's answer.
        for _ in 0..2 {
            for (key, expected) in [
                ("createdDateTime", Some("createddatetime")),
                ("CreatedDateTime", Some("createddatetime")),
                ("created_date_time", Some("createddatetime")),
                ("riskDetail", None),
                ("x".repeat(LONGEST_KEY + 1).as_str(), None),
            ] {
                assert_eq!(
                    field(Keep::Read(&SIGN_IN), key).as_deref(),
                    expected,
                    "{key}"
                );
            }
            assert_eq!(field(Keep::Read(&JAMF_COMPUTER), "createdDateTime"), None);
            assert_eq!(
                field(Keep::Among(&["displayname"]), "displayName").as_deref(),
                Some("displayname")
            );
            assert_eq!(field(Keep::Among(&["result"]), "displayName"), None);
            assert_eq!(field(Keep::All, "Any-Key").as_deref(), Some("anykey"));
        }
        // Every slot taken by many keys: each still gives its own field.
        for round in 0..3 {
            for n in 0..(4 * KNOWN_SLOTS) {
                let key = format!("unknownKey{n}");
                assert_eq!(field(Keep::Read(&SIGN_IN), &key), None, "{round} {key}");
            }
            assert_eq!(
                field(Keep::Read(&SIGN_IN), "userPrincipalName").as_deref(),
                Some("userprincipalname")
            );
        }
    }
}
