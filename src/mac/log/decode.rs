//! A log file as it may arrive from a help desk: UTF-8 as `log show` writes
//! it, or converted on the way to UTF-16 (with a byte-order mark, or
//! without one, as some editors and PowerShell redirections write it), or
//! gzipped. The encoding is told from the first bytes and the text is
//! decoded as it streams, so the scanner always reads UTF-8.

use std::io::{Cursor, Read};

/// Bytes looked at to tell the encoding.
const SNIFF: usize = 64;

/// How a log's bytes are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LogEncoding {
    /// UTF-8 (or ASCII): read as it is.
    Utf8,
    /// UTF-16, little-endian.
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// Gzip-compressed (its content told again once decompressed).
    Gzip,
}

impl LogEncoding {
    /// Its name, for the report's input list.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            LogEncoding::Utf8 => "UTF-8",
            LogEncoding::Utf16Le => "UTF-16LE",
            LogEncoding::Utf16Be => "UTF-16BE",
            LogEncoding::Gzip => "gzip",
        }
    }
}

/// The encoding the first bytes of a log show.
pub(crate) fn encoding_of(head: &[u8]) -> LogEncoding {
    match head {
        [0x1f, 0x8b, ..] => LogEncoding::Gzip,
        [0xff, 0xfe, ..] => LogEncoding::Utf16Le,
        [0xfe, 0xff, ..] => LogEncoding::Utf16Be,
        _ => {
            // Text in UTF-16 without a byte-order mark: ASCII characters
            // leave every other byte zero.
            let pairs = head.len() / 2;
            if pairs < 2 {
                return LogEncoding::Utf8;
            }
            let zero_at = |parity: usize| {
                head.iter()
                    .skip(parity)
                    .step_by(2)
                    .take(pairs)
                    .filter(|b| **b == 0)
                    .count()
            };
            let (even, odd) = (zero_at(0), zero_at(1));
            if odd * 4 >= pairs * 3 && even == 0 {
                LogEncoding::Utf16Le
            } else if even * 4 >= pairs * 3 && odd == 0 {
                LogEncoding::Utf16Be
            } else {
                LogEncoding::Utf8
            }
        }
    }
}

/// Reads up to [`SNIFF`] bytes of `input`, however short its reads.
fn head_of(input: &mut impl Read) -> std::io::Result<Vec<u8>> {
    let mut head = vec![0u8; SNIFF];
    let mut filled = 0;
    while filled < SNIFF {
        match input.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    head.truncate(filled);
    Ok(head)
}

/// `input` as UTF-8 text, with the encodings it was found in (gzip, then
/// UTF-16, outermost first; empty for plain UTF-8).
pub(crate) fn decoded<'a>(
    mut input: impl Read + 'a,
) -> std::io::Result<(Box<dyn Read + 'a>, Vec<LogEncoding>)> {
    let head = head_of(&mut input)?;
    let whole = Cursor::new(head.clone()).chain(input);
    let mut found = Vec::new();
    let (text, head): (Box<dyn Read + 'a>, Vec<u8>) = match encoding_of(&head) {
        LogEncoding::Gzip => {
            found.push(LogEncoding::Gzip);
            let mut inflated = flate2::read::MultiGzDecoder::new(whole);
            let head = head_of(&mut inflated)?;
            let text = Box::new(Cursor::new(head.clone()).chain(inflated));
            (text, head)
        }
        _ => (Box::new(whole), head),
    };
    let encoding = encoding_of(&head);
    let utf16 = match encoding {
        LogEncoding::Utf16Le => encoding_rs::UTF_16LE,
        LogEncoding::Utf16Be => encoding_rs::UTF_16BE,
        _ => return Ok((text, found)),
    };
    found.push(encoding);
    let decoder = encoding_rs_io::DecodeReaderBytesBuilder::new()
        .encoding(Some(utf16))
        .bom_override(true)
        .strip_bom(true)
        .build(text);
    Ok((Box::new(decoder), found))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "2026-11-19 10:00:00.000000-0500 0x1 Default 0x0 1 0 agent: é hello\n";

    fn text_of(bytes: Vec<u8>) -> (String, Vec<LogEncoding>) {
        let (mut reader, found) = decoded(Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        reader.read_to_string(&mut text).unwrap();
        (text, found)
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn every_encoding_reads_as_the_same_text() {
        let le: Vec<u8> = TEXT.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = TEXT.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let with_bom = |bom: [u8; 2], body: &[u8]| bom.iter().chain(body).copied().collect();
        for (bytes, expected) in [
            (TEXT.as_bytes().to_vec(), vec![]),
            (with_bom([0xff, 0xfe], &le), vec![LogEncoding::Utf16Le]),
            (with_bom([0xfe, 0xff], &be), vec![LogEncoding::Utf16Be]),
            (le.clone(), vec![LogEncoding::Utf16Le]),
            (be.clone(), vec![LogEncoding::Utf16Be]),
            (gzip(TEXT.as_bytes()), vec![LogEncoding::Gzip]),
            (gzip(&le), vec![LogEncoding::Gzip, LogEncoding::Utf16Le]),
        ] {
            let (text, found) = text_of(bytes);
            assert_eq!(text, TEXT);
            assert_eq!(found, expected);
        }
    }

    #[test]
    fn short_and_empty_inputs_pass_unchanged() {
        assert_eq!(text_of(Vec::new()), (String::new(), vec![]));
        assert_eq!(text_of(b"x".to_vec()), ("x".to_string(), vec![]));
        // Non-ASCII UTF-8 is no UTF-16.
        let accents = "éééééééé\n".repeat(8);
        assert_eq!(text_of(accents.clone().into_bytes()).0, accents);
    }
}
