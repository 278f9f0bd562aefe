//! A sign-in export read through the shared record readers.

use super::record;
use crate::tenant::exports::records::FileRead;
use record::{SIGN_IN, SignIn};
use std::path::Path;

/// How an input is named in the input list.
pub(crate) const SIGNINS_INPUT: &str = "sign-in export";

/// Reads the export at `path`, calling `each` with every sign-in. A file
/// that cannot be opened or parsed is recorded as unreadable (with the
/// line and column of a JSON error); the records before the error count.
pub(crate) fn read_file(path: &Path, each: &mut dyn FnMut(&SignIn)) -> FileRead {
    crate::tenant::exports::records::read_file(
        path,
        SIGNINS_INPUT,
        &SIGN_IN,
        |node| SignIn::from_node(&node),
        each,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::InputState;
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
