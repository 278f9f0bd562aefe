//! Memory stays flat: a counting allocator measures the peak heap use of the
//! scanner on pathological inputs (a 30 MB line, a 30 MB JSON string, 30 MB
//! without a newline) and on a long ordinary log.

use ca_doctor::{ScanMode, ScanOptions, scan};
use chrono::FixedOffset;
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Read;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static SERIAL: Mutex<()> = Mutex::new(());

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
        PEAK.fetch_max(now, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Generates input on the fly so that the test itself holds no big buffer.
struct Generated {
    prefix: Vec<u8>,
    fill: u8,
    fill_len: usize,
    suffix: Vec<u8>,
    pos: usize,
}

impl Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let fill_end = self.prefix.len() + self.fill_len;
        let total = fill_end + self.suffix.len();
        let mut n = 0;
        while n < out.len() && self.pos < total {
            let p = self.pos;
            let copied = if p < self.prefix.len() {
                let piece = &self.prefix[p..];
                let k = piece.len().min(out.len() - n);
                out[n..n + k].copy_from_slice(&piece[..k]);
                k
            } else if p < fill_end {
                let k = (fill_end - p).min(out.len() - n);
                out[n..n + k].fill(self.fill);
                k
            } else {
                let piece = &self.suffix[p - fill_end..];
                let k = piece.len().min(out.len() - n);
                out[n..n + k].copy_from_slice(&piece[..k]);
                k
            };
            n += copied;
            self.pos += copied;
        }
        Ok(n)
    }
}

fn peak_while(input: impl Read) -> (usize, u64) {
    let _guard = SERIAL.lock().unwrap();
    let base = CURRENT.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let options = ScanOptions {
        local_offset: FixedOffset::east_opt(0).unwrap(),
        mode: ScanMode::Candidates,
    };
    let mut matched = 0;
    let summary = scan(input, &options, |_| matched += 1).unwrap();
    (
        PEAK.load(Ordering::SeqCst) - base,
        summary.entries + matched,
    )
}

const LIMIT: usize = 16 << 20;
const BIG: usize = 30 << 20;

#[test]
fn a_30_mb_text_line_stays_small() {
    let (peak, _) = peak_while(Generated {
        prefix: b"2026-11-18 09:00:03.000 Df Jamf Conditional Access[1:2] [com.jamf.management.jamfAAD:msal] ".to_vec(),
        fill: b'x',
        fill_len: BIG,
        suffix: b" error invalid_grant\n".to_vec(),
        pos: 0,
    });
    assert!(peak < LIMIT, "peak heap {peak} bytes");
}

#[test]
fn a_30_mb_json_string_stays_small() {
    let (peak, _) = peak_while(Generated {
        prefix: b"[{\"timestamp\":\"2026-11-18 09:00:03-0500\",\"eventMessage\":\"".to_vec(),
        fill: b'z',
        fill_len: BIG,
        suffix: b"\"}]".to_vec(),
        pos: 0,
    });
    assert!(peak < LIMIT, "peak heap {peak} bytes");
}

#[test]
fn thirty_mb_without_a_newline_or_entry_stays_small() {
    let (peak, _) = peak_while(Generated {
        prefix: Vec::new(),
        fill: b'q',
        fill_len: BIG,
        suffix: Vec::new(),
        pos: 0,
    });
    assert!(peak < LIMIT, "peak heap {peak} bytes");
}

#[test]
fn many_matching_entries_stay_small() {
    struct Repeat {
        line: &'static [u8],
        left: usize,
        pos: usize,
    }
    impl Read for Repeat {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let mut n = 0;
            while n < out.len() && self.left > 0 {
                out[n] = self.line[self.pos];
                n += 1;
                self.pos += 1;
                if self.pos == self.line.len() {
                    self.pos = 0;
                    self.left -= 1;
                }
            }
            Ok(n)
        }
    }
    let line = b"2026-11-18 09:00:03.512 E  Microsoft Teams[611:77] [com.apple.AppSSO:SOAuthorizationCore] error = Error Domain=com.apple.AppSSO.AuthorizationError Code=-9 \"not AppSSO URL\"\n";
    let (peak, count) = peak_while(Repeat {
        line,
        left: 200_000,
        pos: 0,
    });
    assert_eq!(count, 400_000);
    assert!(peak < LIMIT, "peak heap {peak} bytes");
}
