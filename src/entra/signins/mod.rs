//! Entra sign-in exports: every file is decoded (UTF-16 or UTF-8), its
//! format detected from its first character (`{` or `[`: JSON, anything
//! else: CSV), and its records streamed one at a time as [`SignIn`]s.

pub(crate) mod csv;
pub(crate) mod json;
pub(crate) mod outcome;
pub(crate) mod record;

use super::decode::{first_non_space, utf8_reader};
use crate::inputs::{InputRecord, InputState};
use record::SignIn;
use std::io::BufReader;
use std::path::Path;

/// How an input is named in the input list.
pub(crate) const SIGNINS_INPUT: &str = "sign-in export";

/// What reading one export gave.
#[derive(Clone, Debug, Default)]
pub(crate) struct FileRead {
    /// Records delivered.
    pub(crate) records: u64,
    /// Records skipped: not an object, or a row that could not be read.
    pub(crate) skipped: u64,
    /// The input record for the report.
    pub(crate) input: Option<InputRecord>,
    /// Nothing of it could be read as sign-ins: no such file, not openable,
    /// or not a sign-in export at all (a log, a policy export).
    pub(crate) refused: bool,
}

/// Reads the export at `path`, calling `each` with every sign-in. A file
/// that cannot be opened or parsed is recorded as unreadable (with the
/// line and column of a JSON error); the records before the error count.
pub(crate) fn read_file(path: &Path, each: &mut dyn FnMut(&SignIn)) -> FileRead {
    let mut read = FileRead::default();
    let described = path.display().to_string();
    let problem = match crate::util::files::open_regular(path) {
        Ok(None) => {
            read.refused = true;
            Some("no such file".to_string())
        }
        Err(e) => {
            read.refused = true;
            Some(format!("cannot open: {e}"))
        }
        Ok(Some(file)) => {
            let mut input = BufReader::with_capacity(1 << 16, utf8_reader(file));
            let first = match first_non_space(&mut input) {
                Ok(first) => first,
                Err(e) => return unreadable(read, &described, format!("read failed: {e}")),
            };
            let mut deliver = |sign_in: &Option<SignIn>| match sign_in {
                Some(sign_in) => {
                    read.records += 1;
                    each(sign_in);
                }
                None => read.skipped += 1,
            };
            match first {
                Some(b'{') | Some(b'[') => {
                    json::for_each_record(input, |node| SignIn::from_node(&node), &mut deliver)
                        .err()
                        .map(|e| format!("not valid JSON: {e}"))
                }
                None => None,
                Some(_) => match csv::for_each_record(input, &mut |node| {
                    deliver(&SignIn::from_node(&node))
                }) {
                    Ok(bad_rows) => {
                        read.skipped += bad_rows;
                        None
                    }
                    Err(e) if e.to_string().contains(csv::NOT_AN_EXPORT) => {
                        read.refused = true;
                        Some(csv::NOT_AN_EXPORT.to_string())
                    }
                    Err(e) => Some(format!("not a readable CSV: {e}")),
                },
            }
        }
    };
    match problem {
        Some(reason) => unreadable(read, &described, reason),
        None => {
            read.input = Some(InputRecord {
                what: SIGNINS_INPUT.to_string(),
                path: described,
                state: InputState::Read,
                reason: None,
            });
            read
        }
    }
}

fn unreadable(mut read: FileRead, path: &str, reason: String) -> FileRead {
    read.input = Some(InputRecord {
        what: SIGNINS_INPUT.to_string(),
        path: path.to_string(),
        state: InputState::Unreadable,
        reason: Some(reason),
    });
    read
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read_bytes(bytes: &[u8]) -> (u64, FileRead) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export");
        std::fs::write(&path, bytes).unwrap();
        let mut delivered = 0;
        let read = read_file(&path, &mut |_| delivered += 1);
        (delivered, read)
    }

    const SAMPLE: &str = r#"{"value":[{"createdDateTime":"2026-11-19T08:00:00Z","appId":"a","status":{"errorCode":50076}},{"createdDateTime":"2026-11-19T09:00:00Z","appId":"a","status":{"errorCode":0}}]}"#;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let (delivered, read) = read_bytes(&bytes);
            prop_assert_eq!(delivered, read.records);
            prop_assert!(read.input.is_some());
        }

        #[test]
        fn a_cut_export_keeps_what_came_before(cut in 0usize..SAMPLE.len()) {
            let (delivered, read) = read_bytes(&SAMPLE.as_bytes()[..cut]);
            prop_assert!(delivered <= 2);
            prop_assert_eq!(delivered, read.records);
        }
    }

    #[test]
    fn white_space_before_the_first_character_does_not_hide_the_records() {
        for lead in ["\r\n\r\n", "   ", "\n\n\n\n\n\n\n\n\n", "\t"] {
            let (delivered, read) = read_bytes(format!("{lead}{SAMPLE}").as_bytes());
            assert_eq!(delivered, 2, "{lead:?}");
            assert_eq!(read.input.unwrap().state, InputState::Read);
            let mut utf16 = vec![0xFF, 0xFE];
            utf16.extend(
                format!("{lead}{SAMPLE}")
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            );
            assert_eq!(read_bytes(&utf16).0, 2, "UTF-16 {lead:?}");
        }
    }

    #[test]
    fn a_missing_file_is_unreadable_not_a_panic() {
        let read = read_file(Path::new("/no/such/export.json"), &mut |_| {});
        let input = read.input.clone().unwrap();
        assert_eq!(input.state, InputState::Unreadable);
        assert_eq!(input.reason.as_deref(), Some("no such file"));
        assert!(read.refused);
    }
}
