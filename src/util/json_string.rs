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

/// Bytes a framer looks at in one block: each class as a bit per byte.
const BLOCK: usize = 64;

/// Where the bytes that matter to a JSON framer lie in a block of 64:
/// bit `i` of each mask stands for byte `i`. Found 16 bytes at a time
/// where the CPU allows, so that a framer can skip the text between them
/// without a branch per byte.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct BlockMasks {
    /// `"`
    pub(crate) quotes: u64,
    /// `\`
    pub(crate) backslashes: u64,
    /// `{` and `[`
    pub(crate) opens: u64,
    /// `}` and `]`
    pub(crate) closes: u64,
}

impl BlockMasks {
    /// The bytes a block holds, or `None` when fewer than 64 bytes are left.
    pub(crate) fn of(bytes: &[u8]) -> Option<Self> {
        let block: &[u8; BLOCK] = bytes.get(..BLOCK)?.try_into().ok()?;
        Some(Self::of_block(block))
    }

    #[cfg(target_arch = "x86_64")]
    fn of_block(block: &[u8; BLOCK]) -> Self {
        // SAFETY: every x86_64 CPU has SSE2.
        unsafe { Self::of_block_sse2(block) }
    }

    /// The masks found 16 bytes at a time.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "sse2")]
    fn of_block_sse2(block: &[u8; BLOCK]) -> Self {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
            _mm_set1_epi8,
        };
        // `{` and `[` differ by the bit 0x20 only, as do `}` and `]`.
        let case = _mm_set1_epi8(0x20);
        let (quote, backslash) = (_mm_set1_epi8(b'"' as i8), _mm_set1_epi8(b'\\' as i8));
        let (open, close) = (_mm_set1_epi8(b'{' as i8), _mm_set1_epi8(b'}' as i8));
        let mut masks = BlockMasks::empty();
        for (lane, chunk) in block.chunks_exact(16).enumerate() {
            // SAFETY: `chunk` holds 16 bytes, which an unaligned load reads.
            let bytes = unsafe { _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>()) };
            let folded = _mm_or_si128(bytes, case);
            let bits = |found| u64::from(_mm_movemask_epi8(found) as u16) << (16 * lane);
            masks.quotes |= bits(_mm_cmpeq_epi8(bytes, quote));
            masks.backslashes |= bits(_mm_cmpeq_epi8(bytes, backslash));
            masks.opens |= bits(_mm_cmpeq_epi8(folded, open));
            masks.closes |= bits(_mm_cmpeq_epi8(folded, close));
        }
        masks
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn of_block(block: &[u8; BLOCK]) -> Self {
        Self::of_block_bytewise(block)
    }

    /// The masks found a byte at a time (other CPUs, and the reference the
    /// vector version is tested against).
    #[cfg_attr(target_arch = "x86_64", allow(dead_code))]
    fn of_block_bytewise(block: &[u8; BLOCK]) -> Self {
        let mut masks = BlockMasks::empty();
        for (i, &byte) in block.iter().enumerate() {
            let bit = 1u64 << i;
            match byte {
                b'"' => masks.quotes |= bit,
                b'\\' => masks.backslashes |= bit,
                b'{' | b'[' => masks.opens |= bit,
                b'}' | b']' => masks.closes |= bit,
                _ => {}
            }
        }
        masks
    }

    fn empty() -> Self {
        BlockMasks {
            quotes: 0,
            backslashes: 0,
            opens: 0,
            closes: 0,
        }
    }
}

/// The bytes of a block inside strings, from its quotes (none escaped) and
/// whether the block starts inside one: bit `i` is set when byte `i` is an
/// opening quote or lies after one, up to its closing quote (not set).
pub(crate) fn inside_strings(quotes: u64, starts_inside: bool) -> u64 {
    let mut inside = quotes;
    for shift in [1, 2, 4, 8, 16, 32] {
        inside ^= inside << shift;
    }
    if starts_inside { !inside } else { inside }
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

    #[test]
    fn block_masks_match_a_byte_at_a_time() {
        // Every byte value at every position of a block.
        let mut block = [b'a'; BLOCK];
        for value in 0..=255u8 {
            for at in 0..BLOCK {
                block[at] = value;
                let masks = BlockMasks::of(&block).unwrap();
                assert_eq!(
                    masks,
                    BlockMasks::of_block_bytewise(&block),
                    "{value} at {at}"
                );
                block[at] = b'a';
            }
        }
        let text = br#"{"a":[1,"}{"],"b":"\\"}                                         "#;
        let masks = BlockMasks::of(text).unwrap();
        assert_eq!(masks.opens, 1 | 1 << 5 | 1 << 10);
        assert_eq!(masks.backslashes, 0b11 << 19);
        assert!(BlockMasks::of(&text[1..]).is_none());
    }

    #[test]
    fn strings_are_found_by_their_quotes() {
        //          `x"ab"y"c` : bytes 1..4 and 6.. inside
        let quotes = 0b101_0010;
        assert_eq!(inside_strings(quotes, false), !0 << 6 | 0b1110);
        assert_eq!(inside_strings(quotes, true), !(!0 << 6 | 0b1110));
        assert_eq!(inside_strings(0, true), u64::MAX);
        assert_eq!(inside_strings(0, false), 0);
    }
}
