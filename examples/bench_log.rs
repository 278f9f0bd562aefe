//! Deterministic benchmark input: a compact-style `log show` export made
//! mostly of chatty AppSSO and MSAL debug lines that match no signature, with
//! a few real signature lines sprinkled in.
//!
//! `bench_log MEGABYTES [DAYS] > file` writes the log, its entries spread
//! evenly over DAYS (default 2) ending 2026-11-20 12:00; `bench_log --patterns` prints
//! the signature table's texts (for `grep -F -f`); `bench_log --long-line
//! MEGABYTES` writes one entry whose single line is that long.

use ca_doctor::signature_patterns;
use std::io::{BufWriter, Write};

const NOISE: &[&str] = &[
    "Db AppSSOAgent[610:{tid}] (AppSSOCore) [com.apple.AppSSO:SOConfigurationClient] -[SOConfigurationClient init]  on <private>",
    "Db Microsoft Teams[933:{tid}] (MSAL) [com.microsoft.teams:msal] TID={n} MSAL 1.2.14 Mac 14.3.0 [2026-11-18 09:00:00 - {guid}] Resolving authority: https://login.microsoftonline.com/common, validate authority: YES",
    "Db Jamf Conditional Access[8812:{tid}] [com.jamf.management.jamfAAD:msal] Calling acquireTokenSilent for account <private>",
    "In AppSSOAgent[610:{tid}] (AppSSOCore) [com.apple.AppSSO:SOAuthorizationCore] -[SOAuthorizationCore_Legacy _requestAuthorization:userInterface:completion:] on <SOAuthorizationCore_Legacy: {n}>",
    "Db Microsoft Edge[1201:{tid}] (MSAL) [com.microsoft.edgemac:msal] TID={n} MSAL 1.2.14 Mac 14.3.0 [2026-11-18 09:00:00 - {guid}] Token cache lookup for account <private> returned 1 item(s)",
    "Df AppSSODaemon[402:{tid}] (AppSSOCore) [com.apple.AppSSO:SOServiceCore] -[SOServiceCore getAuthorizationHintsWithURL:responseCode:completion:] https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
];

const SIGNAL: &[&str] = &[
    "Df Jamf Conditional Access[8812:{tid}] [com.jamf.management.jamfAAD:workflow] AAD ID acquired for macOS user account test.user",
    "E  Jamf Conditional Access[8812:{tid}] [com.jamf.management.jamfAAD:msal] acquireTokenSilent returning with error: Error Domain=MSALErrorDomain Code=-50002 \"(null)\"",
    "E  Microsoft Teams[933:{tid}] (AppSSOCore) [com.apple.AppSSO:SOAuthorizationCore] error = Error Domain=com.apple.AppSSO.AuthorizationError Code=-9 \"not AppSSO URL\" UserInfo={NSLocalizedDescription=not AppSSO URL}",
];

#[path = "support/lcg.rs"]
mod lcg;
use lcg::Lcg;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    match args.first().map(String::as_str) {
        Some("--patterns") => {
            for text in signature_patterns() {
                writeln!(out, "{text}")?;
            }
        }
        Some("--long-line") => {
            let megabytes: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(30);
            write!(
                out,
                "2026-11-18 09:00:03.000 Df Jamf Conditional Access[1:2] [com.jamf.management.jamfAAD:msal] "
            )?;
            let block = [b'x'; 4096];
            for _ in 0..megabytes * 256 {
                out.write_all(&block)?;
            }
            writeln!(out, " error invalid_grant")?;
            writeln!(
                out,
                "2026-11-18 09:00:04.000 Df Jamf Conditional Access[1:2] [com.jamf.management.jamfAAD:workflow] AAD ID acquired for macOS user account test.user"
            )?;
        }
        size => {
            let megabytes: u64 = size.and_then(|s| s.parse().ok()).unwrap_or(256);
            let days: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(2);
            let target = megabytes << 20;
            // About 175 bytes a line: spread the lines evenly over the days.
            let step_ms = (days * 86_400_000 / (target / 175).max(1)).max(1);
            let mut written = 0u64;
            let mut rng = Lcg(42);
            let end = chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
                .and_then(|d| d.and_hms_opt(12, 0, 0))
                .ok_or_else(|| std::io::Error::other("bad end date"))?;
            let start = end - chrono::Duration::days(days as i64);
            let mut line_no: u64 = 0;
            writeln!(out, "Timestamp               Ty Process[PID:TID]")?;
            while written < target {
                line_no += 1;
                let time = start + chrono::Duration::milliseconds((line_no * step_ms) as i64);
                let template = if line_no.is_multiple_of(5000) {
                    SIGNAL[(line_no / 5000) as usize % SIGNAL.len()]
                } else {
                    NOISE[rng.next() as usize % NOISE.len()]
                };
                let guid = format!(
                    "{:08X}-{:04X}-4{:03X}-8{:03X}-{:012X}",
                    rng.next() as u32,
                    rng.next() & 0xffff,
                    rng.next() & 0xfff,
                    rng.next() & 0xfff,
                    rng.next() & 0xffff_ffff_ffff
                );
                let body = template
                    .replace("{tid}", &format!("{:x}", 0x4a000 + (rng.next() & 0xfff)))
                    .replace("{n}", &(rng.next() % 100_000).to_string())
                    .replace("{guid}", &guid);
                let line = format!("{} {body}\n", time.format("%Y-%m-%d %H:%M:%S%.3f"));
                out.write_all(line.as_bytes())?;
                written += line.len() as u64;
            }
        }
    }
    out.flush()
}
