//! Deterministic benchmark input: a Graph `auditLogs/signIns` export of
//! realistic records (about 3 KB each, with device details, locations and
//! applied policies), mostly successes, with Jamf Connect MFA and password
//! failures sprinkled in.
//!
//! `bench_signins MEGABYTES > file` writes one `{"@odata.context", "value":
//! [...]}` document of about that size; `bench_signins --query-answer ROWS`
//! writes a Logs Query API answer of that many sign-in rows (the columns
//! `ca-doctor kql` projects, dynamic cells as JSON text, as the API sends
//! them).

use std::io::{BufWriter, Write};

#[path = "support/lcg.rs"]
mod lcg;
#[path = "support/signin.rs"]
mod signin;
use lcg::Lcg;
use signin::record;

/// Writes a Logs Query API answer of `rows` sign-in rows.
fn query_answer(rows: u64, out: &mut impl Write) -> std::io::Result<()> {
    const COLUMNS: [&str; 9] = [
        "TimeGenerated",
        "UserPrincipalName",
        "AppId",
        "AppDisplayName",
        "CorrelationId",
        "ResultType",
        "Status",
        "DeviceDetail",
        "ConditionalAccessStatus",
    ];
    const APPS: [(&str, &str); 3] = [
        ("c0ffee00-1111-4222-8333-444455556666", "Jamf Connect"),
        ("1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams"),
        (
            "b03c10a8-71c7-45f9-b44a-3335ab76e970",
            "User registration app for Device Compliance",
        ),
    ];
    const CODES: [&str; 4] = ["0", "0", "50076", "53000"];
    let columns: Vec<String> = COLUMNS
        .iter()
        .map(|c| format!(r#"{{"name":"{c}","type":"string"}}"#))
        .collect();
    write!(
        out,
        r#"{{"tables":[{{"name":"PrimaryResult","columns":[{}],"rows":["#,
        columns.join(",")
    )?;
    let mut rng = Lcg(11);
    for n in 0..rows {
        if n > 0 {
            out.write_all(b",")?;
        }
        let (app, app_name) = APPS[(rng.next() % 3) as usize];
        let code = CODES[(rng.next() % 4) as usize];
        let device = rng.next() % 20_000;
        // Dynamic cells come as JSON text inside a JSON string.
        let status = format!("{{\\\"errorCode\\\":{code}}}");
        let detail = format!(
            "{{\\\"deviceId\\\":\\\"7c1e9a40-2d3b-4e5f-8a6b-{device:012}\\\",\\\"operatingSystem\\\":\\\"MacOs\\\",\\\"isCompliant\\\":\\\"true\\\"}}"
        );
        write!(
            out,
            "[\"2026-11-{:02}T{:02}:{:02}:{:02}.{:03}Z\",\"user{}@contoso.com\",\"{app}\",\"{app_name}\",\"{:08x}-{:04x}-4000-8000-{:012x}\",\"{code}\",\"{status}\",\"{detail}\",\"notApplied\"]",
            13 + n % 7,
            n % 24,
            n % 60,
            (n / 60) % 60,
            n % 1000,
            rng.next() % 5000,
            rng.next() as u32,
            rng.next() & 0xffff,
            n,
        )?;
    }
    out.write_all(b"]}]}")?;
    out.flush()
}

fn main() -> std::io::Result<()> {
    if std::env::args().nth(1).as_deref() == Some("--query-answer") {
        let rows: u64 = std::env::args()
            .nth(2)
            .and_then(|s| s.parse().ok())
            .unwrap_or(500_000);
        let stdout = std::io::stdout();
        let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
        return query_answer(rows, &mut out);
    }
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
