//! Text as Windows writes it: exports from Windows PowerShell are often
//! UTF-16LE with a byte-order mark, others UTF-8 with or without one. The
//! byte-order mark decides; the text is decoded as it streams.

use encoding_rs_io::DecodeReaderBytesBuilder;
use std::io::{BufRead, Read};

/// A reader of `input` as UTF-8, whatever byte-order mark it starts with
/// (UTF-16LE, UTF-16BE, UTF-8); without one the bytes pass unchanged.
pub(crate) fn utf8_reader<R: Read>(input: R) -> impl Read {
    DecodeReaderBytesBuilder::new()
        .bom_sniffing(true)
        .strip_bom(true)
        .utf8_passthru(true)
        .build(input)
}

/// The first byte of `input` that is not white space, the white space
/// before it consumed; `None` at the end. A read may return a few bytes
/// only (the byte-order mark's check keeps three): reads go on until one
/// holds something else.
pub(crate) fn first_non_space(input: &mut impl BufRead) -> std::io::Result<Option<u8>> {
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Ok(None);
        }
        match buffer.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(at) => {
                let first = buffer[at];
                input.consume(at);
                return Ok(Some(first));
            }
            None => {
                let spaces = buffer.len();
                input.consume(spaces);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> String {
        let mut text = String::new();
        utf8_reader(bytes).read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn utf16_with_a_bom_and_utf8_with_or_without() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "{\"a\":\"é\"}\r\n"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        assert_eq!(decoded(&utf16), "{\"a\":\"é\"}\r\n");
        assert_eq!(decoded(b"\xEF\xBB\xBF[1]"), "[1]");
        assert_eq!(decoded("[\"é\"]".as_bytes()), "[\"é\"]");
    }
}
