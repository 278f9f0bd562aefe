//! Which fields of a record each record type is built from (the readers
//! build only these, one `match` per key, from one list of names), and in
//! which forms its exports come.

/// Which fields of a record a record type is read from: the readers build
/// only these (most of a record's bytes are skipped unbuilt).
pub(crate) struct Shape {
    /// What one record is, for messages ("a sign-in").
    pub(crate) record: &'static str,
    /// The field a key in normal form (lower case, letters and digits)
    /// fills, when it is one read ([`fields_read`] makes it).
    pub(crate) lookup: fn(&str) -> Option<&'static str>,
    /// The fields read inside a nested field, when only some are.
    pub(crate) nested: fn(&str) -> Option<&'static [&'static str]>,
    /// In which forms its exports come.
    pub(crate) form: ExportForm,
}

/// In which forms a record type's exports come, and how large one may be.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct ExportForm {
    /// Whether a CSV export of it exists (otherwise a file that does not
    /// begin as JSON is refused as no such export).
    pub(crate) csv: bool,
    /// The largest export read (larger ones are refused unread), when
    /// the record type has a natural bound.
    pub(crate) max_bytes: Option<u64>,
    /// The fields a CSV header must name one of to be such an export
    /// (empty: any field read).
    pub(crate) key_columns: &'static [&'static str],
    /// The field the CSV columns not read are gathered under, as a list of
    /// `{name, value}` with the header as written (a computer search's
    /// extension attributes, one column each); `None`: they are dropped.
    pub(crate) other_columns: Option<&'static str>,
}

impl ExportForm {
    /// JSON or CSV, of any size (streamed).
    pub(crate) const JSON_OR_CSV: ExportForm = ExportForm {
        csv: true,
        max_bytes: None,
        key_columns: &[],
        other_columns: None,
    };
}

impl Shape {
    /// The field a key in normal form fills, when it is one read.
    pub(crate) fn field(&self, normal_key: &str) -> Option<&'static str> {
        (self.lookup)(normal_key)
    }
}

/// Declares the fields a record type reads: their list and a `fn` that
/// names the field a normal key fills (one `match`, no search), from one
/// list of names so that the two cannot drift apart.
macro_rules! fields_read {
    ($lookup:ident, $list:ident: $($field:literal),+ $(,)?) => {
        /// The fields read, as normal keys.
        #[cfg_attr(not(test), allow(dead_code))]
        const $list: &[&str] = &[$($field),+];

        /// The field a normal key fills, when it is one read.
        fn $lookup(normal_key: &str) -> Option<&'static str> {
            match normal_key {
                $($field => Some($field),)+
                _ => None,
            }
        }

        #[cfg(test)]
        mod fields_read_tests {
            #[test]
            fn every_field_listed_is_looked_up() {
                for field in super::$list {
                    assert_eq!(super::$lookup(field), Some(*field));
                }
                assert_eq!(super::$lookup("nosuchfield"), None);
            }
        }
    };
}
pub(crate) use fields_read;

/// No field is read only in part.
pub(crate) fn whole_fields(_: &str) -> Option<&'static [&'static str]> {
    None
}
