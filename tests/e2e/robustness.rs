//! Fuzz-style property tests of the log scanner: random bytes and random
//! mixtures of real log fragments never make it panic, and whatever the
//! chunking, it frames the same entries. (Random plists are a unit test of
//! the preference reader.)

use ca_doctor::{ScanMode, ScanOptions, scan};
use chrono::FixedOffset;
use proptest::prelude::*;
use std::io::Read;

fn options(mode: ScanMode) -> ScanOptions {
    ScanOptions {
        local_offset: FixedOffset::east_opt(3600).unwrap(),
        mode,
    }
}

const FRAGMENTS: &[&str] = &[
    "2026-11-18 09:00:03.512207-0500 0x4a1c2    Default     0x0   8812   0    Jamf Conditional Access: [com.jamf.management.jamfAAD:workflow] ",
    "2026-11-18 09:00:03.512 Df Jamf Conditional Access[8812:4a1c2] [com.jamf.management.jamfAAD:msal] ",
    "2026-11-18 09:00:03.512207-0500  mac Teams[1]: (AppSSOCore) [com.apple.AppSSO:x] ",
    "2026-11-18 25:61:99.1-9999 ",
    "AAD ID acquired for macOS user account <private>",
    "No AAD ID found for macOS user account x",
    "acquireTokenSilent returning with error: ",
    "Did not get a token from acquireTokenInteractive, sending an empty token.",
    "error invalid_grant",
    "Error Domain=com.apple.AppSSO.AuthorizationError Code=-9 \"not AppSSO URL\"",
    "More than 1 account, will try to find a matching account.",
    "{\"timestamp\":\"2026-11-18 09:00:03-0500\",\"eventMessage\":\"",
    "\"}",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "\\",
    "\n",
    "\r\n",
    "    ",
    "\u{0}",
    "\u{fffd}",
    "-----------------------------------------",
    "Log      - Default: 1\n",
    "{\"count\":1,\"finished\":1}",
];

fn fragments() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            (0..FRAGMENTS.len()).prop_map(|i| FRAGMENTS[i].as_bytes().to_vec()),
            prop::collection::vec(any::<u8>(), 0..16),
        ],
        0..80,
    )
    .prop_map(|parts| parts.concat())
}

struct Chunked<'a> {
    data: &'a [u8],
    sizes: Vec<usize>,
    next: usize,
}

impl Read for Chunked<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let size = self.sizes[self.next % self.sizes.len()].max(1);
        self.next += 1;
        let n = size.min(self.data.len()).min(out.len());
        out[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..4096)) {
        for mode in [ScanMode::Candidates, ScanMode::AllEntries] {
            let summary = scan(&data[..], &options(mode), |_| {}).unwrap();
            prop_assert_eq!(summary.bytes, data.len() as u64);
        }
    }

    #[test]
    fn random_fragments_never_panic_and_chunking_does_not_matter(
        data in fragments(),
        sizes in prop::collection::vec(1usize..64, 1..8),
        json_first in any::<bool>(),
    ) {
        let mut input = if json_first { b"[".to_vec() } else { Vec::new() };
        input.extend_from_slice(&data);
        let mut whole = Vec::new();
        let summary = scan(&input[..], &options(ScanMode::AllEntries), |e| whole.push((e.time, e.signatures, e.message))).unwrap();
        let mut pieces = Vec::new();
        let chunked = Chunked { data: &input, sizes, next: 0 };
        let summary2 = scan(chunked, &options(ScanMode::AllEntries), |e| pieces.push((e.time, e.signatures, e.message))).unwrap();
        prop_assert_eq!(summary.entries, summary2.entries);
        prop_assert_eq!(whole.len(), pieces.len());
        let mut candidates = 0;
        scan(&input[..], &options(ScanMode::Candidates), |_| candidates += 1).unwrap();
        prop_assert!(candidates as u64 <= summary.entries + 1);
    }
}
