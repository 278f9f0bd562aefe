//! Property tests over what other people control: every tenant reader fed
//! arbitrary bytes and mutated real exports (cut, flipped, spliced, with
//! JSON's and CSV's own awkward tokens dropped in), and the escaping of text
//! for terminals, CSV cells and the EA's value. In the suite each runs a
//! sensible number of cases; `CA_DOCTOR_FUZZ_SECONDS=600` runs each for
//! that long instead (FUZZING.md).

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Runs `test` on `strategy`'s values: `cases` of them, or as many as fit
/// in `CA_DOCTOR_FUZZ_SECONDS` when set; fails with the smallest input
/// found to fail.
fn run<S: Strategy>(
    name: &str,
    strategy: S,
    cases: u32,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let budget = std::env::var("CA_DOCTOR_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .map(Duration::from_secs);
    let started = Instant::now();
    let mut done = 0u64;
    loop {
        // A new runner each round: a new random seed.
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        if let Err(failure) = runner.run(&strategy, &test) {
            panic!("{name}: {failure}");
        }
        done += u64::from(cases);
        if budget.is_none_or(|budget| started.elapsed() >= budget) {
            break;
        }
    }
    if budget.is_some() {
        eprintln!(
            "{name}: {done} cases in {:.0} s, no failure",
            started.elapsed().as_secs_f64()
        );
    }
}

/// The real exports the mutations start from.
fn seeds() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    [
        "device-chain/tenant/entra-devices.json",
        "device-chain/tenant/intune-managed-devices.json",
        "device-chain/tenant/jamf-inventory.json",
        "device-chain/tenant/jamf-compliance/12.json",
        "device-chain/tenant/signins.json",
        "entra/SigninLogs.csv",
        "entra/InteractiveSignIns_2026-11-19.json",
        "entra/graph-beta.json",
        "entra/powershell-utf16.json",
        "fleet/search.csv",
        "fleet/inventory/computers-inventory-0001.json",
    ]
    .iter()
    .map(|name| std::fs::read(root.join(name)).unwrap_or_default())
    .collect()
}

/// Tokens that trip parsers: JSON's and CSV's own, numbers out of range,
/// escapes that are no character, byte-order marks, line ends.
const TOKENS: &[&[u8]] = &[
    b"\"",
    b"\\",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"null",
    b"1e999",
    b"-0",
    b"18446744073709551616",
    b"\\u0000",
    b"\\ud800",
    b"\"value\":",
    b"\"@odata.nextLink\":",
    b"\r\n",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\"\"\"",
    b"=HYPERLINK(\"x\")",
    b"\xc3",
];

/// One change to an export.
#[derive(Clone, Debug)]
enum Mutation {
    /// Flips bits of the byte at this fraction of the length.
    Flip(f64, u8),
    /// Cuts the export at this fraction.
    Cut(f64),
    /// Removes this many bytes at this fraction.
    Remove(f64, usize),
    /// Inserts a token at this fraction.
    Insert(f64, usize),
    /// Repeats a slice (this fraction, this length) in place.
    Repeat(f64, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0.0..1.0f64, 1u8..=255).prop_map(|(at, bits)| Mutation::Flip(at, bits)),
        (0.0..1.0f64).prop_map(Mutation::Cut),
        (0.0..1.0f64, 1usize..64).prop_map(|(at, n)| Mutation::Remove(at, n)),
        (0.0..1.0f64, 0..TOKENS.len()).prop_map(|(at, t)| Mutation::Insert(at, t)),
        (0.0..1.0f64, 1usize..256).prop_map(|(at, n)| Mutation::Repeat(at, n)),
    ]
}

/// `bytes` changed by `mutations`, in turn.
fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    let at = |bytes: &Vec<u8>, fraction: f64| (bytes.len() as f64 * fraction) as usize;
    for mutation in mutations {
        match *mutation {
            Mutation::Flip(f, bits) => {
                let i = at(&bytes, f);
                if let Some(byte) = bytes.get_mut(i) {
                    *byte ^= bits;
                }
            }
            Mutation::Cut(f) => {
                let i = at(&bytes, f);
                bytes.truncate(i);
            }
            Mutation::Remove(f, n) => {
                let i = at(&bytes, f);
                let end = (i + n).min(bytes.len());
                bytes.drain(i..end);
            }
            Mutation::Insert(f, token) => {
                let i = at(&bytes, f);
                bytes.splice(i..i, TOKENS[token].iter().copied());
            }
            Mutation::Repeat(f, n) => {
                let i = at(&bytes, f);
                let end = (i + n).min(bytes.len());
                let slice = bytes[i..end].to_vec();
                bytes.splice(i..i, slice);
            }
        }
    }
    bytes
}

/// An export to read: arbitrary bytes, or a real one mutated.
fn export() -> impl Strategy<Value = Vec<u8>> {
    let seeds = seeds();
    let count = seeds.len();
    prop_oneof![
        1 => proptest::collection::vec(any::<u8>(), 0..2048),
        4 => (0..count, proptest::collection::vec(mutation(), 1..8))
            .prop_map(move |(seed, changes)| mutate(seeds[seed].clone(), &changes)),
    ]
}

/// What `read` delivered, counted, and what it says it read.
fn counted<T>(
    read: impl FnOnce(&mut dyn FnMut(&T)) -> crate::tenant::exports::records::FileRead,
) -> (u64, u64) {
    let mut delivered = 0u64;
    let said = read(&mut |_| delivered += 1).records;
    (delivered, said)
}

/// Reads `path` with every tenant reader; each must count what it
/// delivered and never panic.
fn read_with_every_reader(path: &Path) -> Result<(), TestCaseError> {
    use crate::tenant::{entra, jamf_pro};
    let counts = [
        counted(|each| entra::signins::read_file(path, each)),
        counted(|each| entra::devices::read_devices(path, each)),
        counted(|each| entra::managed_devices::read_managed_devices(path, each)),
        counted(|each| jamf_pro::inventory::read_inventory(path, each)),
        counted(|each| jamf_pro::compliance::read_compliance(path, each)),
        counted(|each| jamf_pro::places::read_places(path, each)),
    ];
    for (delivered, said) in counts {
        prop_assert_eq!(delivered, said);
    }
    let mut n = 0u64;
    if let Ok(read) = jamf_pro::search_export::read_search_export(path, &mut |_| n += 1) {
        prop_assert_eq!(read.records, n);
    }
    let (_policies, inputs) = entra::policies::read_paths(&[PathBuf::from(path)]);
    prop_assert!(!inputs.is_empty(), "every read is recorded");
    let _ = crate::tenant::kind::recognise(path);
    Ok(())
}

#[test]
fn the_tenant_readers_read_or_refuse_any_export_without_a_panic() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("export.json");
    run("tenant readers", export(), 48, |bytes| {
        std::fs::write(&path, &bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        read_with_every_reader(&path)
    });
}

/// Text as tenants and Macs write it: any character, control characters,
/// escape sequences and bidirectional overrides often.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => "\\PC{0,8}",
        1 => "[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}]{1,3}",
        1 => proptest::sample::select(vec![
            "\u{1b}[2J", "\u{1b}]52;c;ZXZpbA==\u{7}", "\u{1b}[31m", "\u{1b}[", "\u{1b}",
            "\u{202e}", "\u{2066}", "\u{2069}", "\r", "=", "+", "-", "@", "\t", "-1", "+3.5",
            "<", ">", "</result>",
        ]).prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

/// Whether `c` may reach a terminal: no control character but the line
/// feed, no bidirectional override.
fn harmless(c: char) -> bool {
    !((c.is_control() && c != '\n' && c != '\u{1b}')
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c))
}

#[test]
fn text_for_terminals_csv_cells_and_the_ea_is_never_obeyed() {
    run("escaping", hostile_text(), 512, |text| {
        // Terminals: only harmless characters, and an escape only as the
        // start of a colour.
        let shown = crate::util::text::for_terminal(&text);
        prop_assert!(shown.chars().all(harmless), "{:?}", shown);
        for (at, _) in shown.match_indices('\u{1b}') {
            let rest = &shown[at + 1..];
            let colour = rest.strip_prefix('[').and_then(|r| {
                let end = r.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
                (r[end..].starts_with('m') && end < 14).then_some(())
            });
            prop_assert!(
                colour.is_some(),
                "an escape that is no colour in {:?}",
                shown
            );
        }
        // CSV: never a formula; text changed only by a leading quote.
        let cell = crate::util::text::csv_text(&text);
        let number = text.len() > 1
            && text.starts_with(['-', '+'])
            && text.as_bytes()[1..]
                .iter()
                .all(|b| b.is_ascii_digit() || *b == b'.')
            && text.parse::<f64>().is_ok();
        prop_assert!(
            number || !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{:?}",
            cell
        );
        let quoted = format!("'{}", text);
        prop_assert!(cell == text || cell == quoted);
        // The EA: exactly one result on one line.
        let ea = crate::attribute::result(&text);
        prop_assert!(ea.starts_with("<result>") && ea.ends_with("</result>"));
        prop_assert_eq!(ea.matches("<result>").count(), 1);
        prop_assert_eq!(ea.matches("</result>").count(), 1);
        prop_assert!(!ea.contains('\n') && !ea.contains('\r'));
        Ok(())
    });
}

#[test]
fn a_mutation_changes_an_export_as_it_says() {
    let seed = b"{\"value\":[1,2]}".to_vec();
    assert_eq!(mutate(seed.clone(), &[Mutation::Cut(0.5)]), b"{\"value");
    assert_eq!(
        mutate(seed.clone(), &[Mutation::Insert(0.0, 0)]),
        b"\"{\"value\":[1,2]}"
    );
    assert_eq!(
        mutate(seed.clone(), &[Mutation::Remove(0.0, 2)]),
        b"value\":[1,2]}"
    );
    assert_eq!(mutate(b"ab".to_vec(), &[Mutation::Repeat(0.0, 1)]), b"aab");
    assert_eq!(mutate(b"a".to_vec(), &[Mutation::Flip(0.0, 1)]), b"`");
    assert_eq!(seeds().iter().filter(|s| s.is_empty()).count(), 0);
}
