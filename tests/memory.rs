//! Memory stays flat: a counting allocator measures the peak heap use of the
//! scanner on pathological inputs (a 30 MB line, a 30 MB JSON string, 30 MB
//! without a newline) and on a long ordinary log, and of the sign-in reader
//! on a 40 MB export.

use ca_doctor::{ScanMode, ScanOptions, count_sign_ins, scan};
use chrono::FixedOffset;
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{Read, Write};
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
        left: 100_000,
        pos: 0,
    });
    assert_eq!(count, 200_000);
    assert!(peak < LIMIT, "peak heap {peak} bytes");
}

/// Size of the big sign-in export: larger than the bound of the memory in
/// flight with four parsing threads.
const EXPORT: usize = 40 << 20;

/// One Graph sign-in of about 2 KB, as `auditLogs/signIns` returns it.
const SIGN_IN: &str = r#"{"id":"ID","createdDateTime":"2026-11-19T08:00:00Z","userDisplayName":"Jane Doe","userPrincipalName":"jane@contoso.com","userId":"00000000-0000-4000-8000-000000000001","appId":"c0ffee00-1111-4222-8333-444455556666","appDisplayName":"Jamf Connect","ipAddress":"203.0.113.7","clientAppUsed":"Mobile Apps and Desktop clients","correlationId":"ID","conditionalAccessStatus":"failure","isInteractive":false,"riskDetail":"none","riskEventTypes":[],"resourceDisplayName":"Windows Azure Active Directory","status":{"errorCode":50076,"failureReason":"Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication.","additionalDetails":"MFA required in Azure AD"},"deviceDetail":{"deviceId":"","displayName":"","operatingSystem":"MacOs","browser":"","isCompliant":false,"isManaged":false,"trustType":""},"location":{"city":"Amsterdam","countryOrRegion":"NL","geoCoordinates":{"latitude":52.37,"longitude":4.89}},"appliedConditionalAccessPolicies":[{"id":"1","displayName":"MFA for all cloud apps","enforcedGrantControls":["Mfa"],"enforcedSessionControls":[],"result":"failure"},{"id":"2","displayName":"Require compliant device","enforcedGrantControls":["RequireCompliantDevice"],"enforcedSessionControls":[],"result":"notApplied"}],"authenticationRequirement":"singleFactorAuthentication","authenticationProtocol":"ropc","homeTenantId":"00000000-0000-0000-0000-000000000001","signInEventTypes":["nonInteractiveUser"],"userType":"member"}"#;

#[test]
fn a_40_mb_sign_in_export_stays_small() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("signins.json");
    let _guard = SERIAL.lock().unwrap();
    let mut records = 0u64;
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        out.write_all(b"{\"@odata.context\":\"x\",\"value\":[")
            .unwrap();
        let mut written = 0;
        while written < EXPORT {
            if records > 0 {
                out.write_all(b",\n").unwrap();
            }
            let record = SIGN_IN.replace("\"ID\"", &format!("\"{records:08x}\""));
            out.write_all(record.as_bytes()).unwrap();
            written += record.len() + 2;
            records += 1;
        }
        out.write_all(b"]}\n").unwrap();
    }
    let base = CURRENT.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let counted = count_sign_ins(&path);
    let peak = PEAK.load(Ordering::SeqCst) - base;
    assert_eq!(counted, (records, 0, None));
    // Two reads of 1 MiB in flight per parsing thread (each up to 3 MiB
    // with its buffer's slack and its records), the read being framed and
    // two spare buffers: bounded, whatever the size of the export.
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(4);
    let limit = 2 * workers * (3 << 20) + 4 * (2 << 20) + (4 << 20);
    assert!(limit < EXPORT, "the export is larger than the bound");
    assert!(
        peak < limit,
        "peak heap {peak} bytes for {workers} parsing threads"
    );
}

#[test]
fn an_export_of_tiny_records_stays_small() {
    // 2 MiB of empty records: 700,000 records, each converted to a whole
    // sign-in (held together, hundreds of MB); the records in flight stay
    // bounded by count too.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiny.json");
    let records: u64 = (2 << 20) / 3;
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        out.write_all(b"[{}").unwrap();
        for _ in 1..records {
            out.write_all(b",{}").unwrap();
        }
        out.write_all(b"]\n").unwrap();
    }
    let _guard = SERIAL.lock().unwrap();
    let base = CURRENT.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let counted = count_sign_ins(&path);
    let peak = PEAK.load(Ordering::SeqCst) - base;
    assert_eq!(counted.0 + counted.1, records, "{counted:?}");
    assert!(peak < 64 << 20, "peak heap {peak} bytes");
}
