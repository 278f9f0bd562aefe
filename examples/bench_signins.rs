//! Deterministic benchmark input: a Graph `auditLogs/signIns` export of
//! realistic records (about 3 KB each, with device details, locations and
//! applied policies), mostly successes, with Jamf Connect MFA and password
//! failures sprinkled in.
//!
//! `bench_signins MEGABYTES > file` writes one `{"@odata.context", "value":
//! [...]}` document of about that size.

use std::io::{BufWriter, Write};

#[path = "support/lcg.rs"]
mod lcg;
#[path = "support/signin.rs"]
mod signin;
use lcg::Lcg;
use signin::record;

fn main() -> std::io::Result<()> {
    let megabytes: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(512);
    let target = megabytes << 20;
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let head = r#"{"@odata.context":"https://graph.microsoft.com/beta/$metadata#auditLogs/signIns","value":["#;
    out.write_all(head.as_bytes())?;
    let mut written = head.len() as u64;
    let mut rng = Lcg(7);
    let mut n = 0;
    while written < target {
        if n > 0 {
            out.write_all(b",")?;
            written += 1;
        }
        let line = record(&mut rng, n);
        written += line.len() as u64;
        out.write_all(line.as_bytes())?;
        n += 1;
    }
    out.write_all(b"]}\n")?;
    out.flush()
}
