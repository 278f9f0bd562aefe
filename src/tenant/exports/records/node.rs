//! A record of an export as the readers build it: only the fields read,
//! as [`Node`]s that borrow the input's text, keys in normal form (lower
//! case, letters and digits: `Application ID `, `appId` and `AppId` are one
//! field), and the lookups every record type is read with. A missing field
//! is unknown, never an error; nested objects may come as JSON text (Log
//! Analytics).

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use serde_json::Value;
use std::borrow::Cow;

/// A key as compared: lower case, letters and digits only.
pub(crate) fn normal(key: &str) -> String {
    key.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A record's field as read, borrowing the input's text where it can:
/// readers build only these for the fields read (no `serde_json::Value`),
/// objects with their keys in normal form.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node<'a> {
    /// `null`, or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(serde_json::Number),
    /// A string.
    Text(Cow<'a, str>),
    /// An array.
    List(Vec<Node<'a>>),
    /// An object: normal keys, in the input's order, duplicates kept.
    Object(Vec<(Cow<'a, str>, Node<'a>)>),
}

impl Node<'_> {
    /// A JSON value as a node (JSON text inside a field, tests).
    pub(crate) fn of_json(value: &Value) -> Node<'static> {
        match value {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Node::Number(n.clone()),
            Value::String(s) => Node::Text(Cow::Owned(s.clone())),
            Value::Array(items) => Node::List(items.iter().map(Node::of_json).collect()),
            Value::Object(map) => Node::Object(
                map.iter()
                    .map(|(k, v)| (Cow::Owned(normal(k)), Node::of_json(v)))
                    .collect(),
            ),
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Node::Null)
    }
}

/// An object's fields by normal key; a later duplicate wins (JSON).
#[derive(Clone, Copy)]
pub(crate) struct Fields<'n, 'a>(pub(crate) &'n [(Cow<'a, str>, Node<'a>)]);

/// A nested object, borrowed from the record or parsed from JSON text.
pub(crate) type Nested<'n, 'a> = Cow<'n, [(Cow<'a, str>, Node<'a>)]>;

impl<'n, 'a> Fields<'n, 'a> {
    /// The first of `names` that is present and not null; of keys given
    /// twice, the later one.
    pub(crate) fn get(&self, names: &[&str]) -> Option<&'n Node<'a>> {
        names
            .iter()
            .filter_map(|name| {
                self.0
                    .iter()
                    .rev()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value)
            })
            .find(|value| !value.is_null())
    }

    pub(crate) fn text(&self, names: &[&str]) -> Option<String> {
        self.get(names).and_then(text).filter(|t| !t.is_empty())
    }

    /// A nested object, given as an object or as JSON text (Log Analytics).
    pub(crate) fn object(&self, names: &[&str]) -> Option<Nested<'n, 'a>> {
        match self.get(names)? {
            Node::Object(fields) => Some(Cow::Borrowed(fields.as_slice())),
            Node::Text(text) => match serde_json::from_str(text) {
                Ok(value @ Value::Object(_)) => match Node::of_json(&value) {
                    Node::Object(fields) => Some(Cow::Owned(fields)),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    }

    /// A nested array, given as an array or as JSON text.
    pub(crate) fn array(&self, names: &[&str]) -> Cow<'n, [Node<'a>]> {
        match self.get(names) {
            Some(Node::List(items)) => Cow::Borrowed(items.as_slice()),
            Some(Node::Text(text)) => match serde_json::from_str(text) {
                Ok(value @ Value::Array(_)) => match Node::of_json(&value) {
                    Node::List(items) => Cow::Owned(items),
                    _ => Cow::Borrowed(&[]),
                },
                _ => Cow::Borrowed(&[]),
            },
            _ => Cow::Borrowed(&[]),
        }
    }
}

/// A value as text: strings as they are, numbers and booleans written out.
pub(crate) fn text(value: &Node) -> Option<String> {
    match value {
        Node::Text(s) => Some(s.trim().to_string()),
        Node::Number(n) => Some(n.to_string()),
        Node::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A flag written as a boolean, `True`/`False`, `Yes`/`No` or `1`/`0`.
pub(crate) fn flag(value: &Node) -> Option<bool> {
    match value {
        Node::Bool(b) => Some(*b),
        Node::Number(n) => n.as_i64().map(|n| n != 0),
        Node::Text(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Some(true),
            "false" | "no" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// An error code written as a number or as text (`ResultType` is a string).
pub(crate) fn code(value: &Node) -> Option<i64> {
    match value {
        Node::Number(n) => n.as_i64(),
        Node::Text(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A time as Graph (RFC 3339), Windows PowerShell (`/Date(ms)/`), the admin
/// center or Log Analytics (`2026-11-19 10:00:00.000`, UTC) write it.
pub(crate) fn parse_time(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time);
    }
    if let Some(ms) = text
        .strip_prefix("/Date(")
        .and_then(|rest| rest.strip_suffix(")/"))
    {
        let digits: String = ms
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '-')
            .collect();
        let millis: i64 = digits.parse().ok()?;
        return Utc
            .timestamp_millis_opt(millis)
            .single()
            .map(|t| t.fixed_offset());
    }
    for format in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%m/%d/%Y, %I:%M:%S%.f %p",
        "%m/%d/%Y %I:%M:%S%.f %p",
        "%m/%d/%Y %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d at %I:%M %p",
        "%Y/%m/%d at %I:%M %p",
        "%m/%d/%Y at %I:%M %p",
        "%m/%d/%Y %I:%M %p",
        "%m/%d/%y %I:%M %p",
        "%m/%d/%Y %H:%M",
    ] {
        if let Ok(time) = NaiveDateTime::parse_from_str(text, format) {
            return Some(time.and_utc().fixed_offset());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_analytics_portal_s_times_read() {
        // The Logs blade's CSV export writes times in the US form, UTC.
        for (text, expected) in [
            ("2/25/2025, 9:19:25.391 AM", "2025-02-25T09:19:25.391+00:00"),
            ("12/1/2025, 11:05:00.000 PM", "2025-12-01T23:05:00+00:00"),
            ("2/25/2025, 9:19:25 AM", "2025-02-25T09:19:25+00:00"),
        ] {
            assert_eq!(
                parse_time(text).map(|t| t.to_rfc3339()).as_deref(),
                Some(expected),
                "{text}"
            );
        }
        assert_eq!(parse_time("13/45/2025, 9:19:25.391 AM"), None);
    }
}
