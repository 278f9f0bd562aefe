//! The inside of a JSON string, for the byte-level framers of `log show`
//! JSON and of sign-in exports: where the string closes, escapes included,
//! resumable across buffer refills.

/// Whether a framer stands inside a string, and just after a backslash.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct JsonString {
    open: bool,
    escaped: bool,
}

impl JsonString {
    /// An opening quote was just passed.
    pub(crate) fn open(&mut self) {
        *self = JsonString {
            open: true,
            escaped: false,
        };
    }

    /// Whether the scan is inside a string.
    pub(crate) fn is_open(&self) -> bool {
        self.open
    }

    /// Scans the open string from `pos`: the position just after its
    /// closing quote and `true`, or `buf.len()` and `false` when it goes on
    /// past the buffer.
    pub(crate) fn skip(&mut self, buf: &[u8], mut pos: usize) -> (usize, bool) {
        loop {
            if self.escaped {
                if pos >= buf.len() {
                    return (buf.len(), false);
                }
                self.escaped = false;
                pos += 1;
                continue;
            }
            match memchr::memchr2(b'"', b'\\', buf.get(pos..).unwrap_or_default()) {
                Some(i) if buf[pos + i] == b'\\' => {
                    self.escaped = true;
                    pos += i + 1;
                }
                Some(i) => {
                    self.open = false;
                    return (pos + i + 1, true);
                }
                None => return (buf.len(), false),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_refills() {
        let mut string = JsonString::default();
        string.open();
        let text = br#"a\"b\\"rest"#;
        assert_eq!(string.skip(text, 0), (7, true));
        assert!(!string.is_open());
        // Cut right after a backslash: the escape carries over the refill.
        string.open();
        assert_eq!(string.skip(br#"ab\"#, 0), (3, false));
        assert_eq!(string.skip(br#"ab\""x"#, 3), (5, true));
    }
}
