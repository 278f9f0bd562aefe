//! Deterministic benchmark input: a compact-style `log show` export made
//! mostly of chatty AppSSO and MSAL debug lines that match no signature, with
//! a few real signature lines sprinkled in.
//!
//! `bench_log MEGABYTES [DAYS] > file` writes the log, its entries spread
//! evenly over DAYS (default 2) ending 2026-11-20 12:00; `bench_log --patterns` prints
//! the signature table's texts (for `grep -F -f`); `bench_log --long-line
//! MEGABYTES` writes one entry whose single line is that long;
//! `bench_log --sso-extension MEGABYTES` writes an SSO extension log file
//! (its own line format, the browser SSO flow Microsoft documents, one line
//! in 40 passing the device header) over the same two days.

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

/// The SSO extension's chatty lines (Microsoft's documented flows).
const SSO_NOISE: &[&str] = &[
    "[MSAL] Resolving authority: Masked(not-null), upn: Masked(null)",
    "[MSAL] (Default accessor) Found 1 tokens",
    "[Browser SSO] Checking PRTs for deviceId 73796663",
    "[MSAL] networkHost: login.microsoftonline.com, cacheHost: login.windows.net, aliases: login.microsoftonline.com, login.windows.net, login.microsoft.com, sts.windows.net",
    "Checking for feature flag browser_sso_interaction_enabled, value in config 1, value type __NSCFNumber",
    "Handling SSO request, requested operation: refresh",
    "[MSAL] Keychain find status: 0",
    "Request does not need UI",
];

/// The SSO extension's lines that hold a signature.
const SSO_SIGNAL: &[&str] = &[
    "[errorCode:-400] no registration exists for tenant",
    "PRT needs upgrade as device registration state has changed. Device is joined 1, prt is joined 0",
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
        Some("--sso-extension") => {
            let megabytes: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(256);
            sso_extension_log(&mut out, megabytes << 20)?;
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

/// Writes `target` bytes of SSO extension log over the two days before
/// 2026-11-20 12:00 UTC (local time one hour ahead).
fn sso_extension_log(out: &mut impl Write, target: u64) -> std::io::Result<()> {
    let end = chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .ok_or_else(|| std::io::Error::other("bad end date"))?;
    let start = end - chrono::Duration::days(2);
    // About 190 bytes a line.
    let step_ms = (2 * 86_400_000 / (target / 190).max(1)).max(1);
    let mut rng = Lcg(7);
    let mut written = 0u64;
    let mut line_no: u64 = 0;
    while written < target {
        line_no += 1;
        let utc = start + chrono::Duration::milliseconds((line_no * step_ms) as i64);
        let local = utc + chrono::Duration::hours(1);
        let message = if line_no.is_multiple_of(5000) {
            SSO_SIGNAL[(line_no / 5000) as usize % SSO_SIGNAL.len()].to_string()
        } else if line_no.is_multiple_of(40) {
            "[MSAL] Passing device header in browser SSO for device id 43cfaf69-0f94-4d2e-a815-c103226c4c04".to_string()
        } else {
            SSO_NOISE[rng.next() as usize % SSO_NOISE.len()].to_string()
        };
        let line = format!(
            "{}:{:03} | I | ADB v3.12.5/WPJ v3.11.0 | TID={} MSAL 1.5.2 Mac 15.3.1 [{}] {message}\n",
            local.format("%Y-%m-%d %H:%M:%S"),
            local.and_utc().timestamp_subsec_millis(),
            700_000 + rng.next() % 100_000,
            utc.format("%Y-%m-%d %H:%M:%S"),
        );
        out.write_all(line.as_bytes())?;
        written += line.len() as u64;
    }
    Ok(())
}
