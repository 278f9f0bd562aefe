//! `ca-doctor fetch` against a loopback server that answers like Microsoft
//! Graph: the token, several pages, a 429 with Graph's fractional
//! `Retry-After: 2.128` (waited for),
//! filters sent server-side, refusals in one line, and the fetched folder
//! read by `--tenant` to the same report as the same records from files.

use crate::support::server::{Answer, start};
use crate::support::{ca_doctor, fixture, status_and_ids, succeed};
use serde_json::{Value, json};
use std::path::Path;

const SECRET: &str = "Sup3r-Secret-Value~123";
const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.the-access-token";
const TENANT: &str = "contoso.onmicrosoft.com";
const APP: &str = "c0ffee00-1111-4222-8333-444455556666";

/// Every record of a Graph export: one page, or one page per line.
fn records(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    if let Ok(page) = serde_json::from_str::<Value>(&text) {
        return page["value"].as_array().unwrap().clone();
    }
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .flat_map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["value"]
                .as_array()
                .unwrap()
                .clone()
        })
        .collect()
}

/// `records` as two Graph pages at `path`, the second at `path`/page2.
fn two_pages(path: &str, records: &[Value]) -> Vec<((&'static str, String), Vec<Answer>)> {
    let half = records.len() / 2;
    let first = json!({"@odata.context": "x", "value": records[..half], "@odata.nextLink": format!("{{base}}{path}/page2")});
    let second = json!({"@odata.context": "x", "value": records[half..]});
    vec![
        (
            ("GET", path.to_string()),
            vec![Answer::ok(first.to_string())],
        ),
        (
            ("GET", format!("{path}/page2")),
            vec![Answer::ok(second.to_string())],
        ),
    ]
}

/// `ca-doctor fetch` of the test app against `server`, then `extra`.
fn fetch_command(server: &crate::support::server::Server, extra: &[&str]) -> std::process::Command {
    let mut command = ca_doctor();
    command
        .args(["fetch", "--tenant-id", TENANT, "--client-id", APP])
        .args(["--login-url", &server.base, "--graph-url", &server.base])
        .args(extra);
    command
}

fn token_route() -> ((&'static str, String), Vec<Answer>) {
    (
        ("POST", format!("/{TENANT}/oauth2/v2.0/token")),
        vec![Answer::ok(
            json!({"token_type": "Bearer", "expires_in": 3599, "access_token": TOKEN}).to_string(),
        )],
    )
}

#[test]
fn fetch_writes_what_the_offline_readers_read_and_the_reports_agree() {
    let sign_ins = records(&fixture("entra").join("graph-v1.0.json"));
    let devices = records(&fixture("device-chain").join("tenant/entra-devices.json"));
    let managed = records(&fixture("device-chain").join("tenant/intune-managed-devices.json"));
    let deleted = records(&fixture("device-chain").join("tenant/entra-deleted-devices.json"));
    let policies = std::fs::read_to_string(fixture("entra").join("policies/graph.json")).unwrap();
    let mut routes = vec![token_route()];
    let mut sign_in_pages = two_pages("/v1.0/auditLogs/signIns", &sign_ins);
    // Throttled once, with Graph's fractional Retry-After.
    sign_in_pages[0].1.insert(
        0,
        Answer {
            status: "429 Too Many Requests",
            headers: "Retry-After: 2.128\r\n".to_string(),
            body: r#"{"error":{"code":"TooManyRequests","message":"Too many requests"}}"#
                .to_string(),
        },
    );
    routes.extend(sign_in_pages);
    routes.extend(two_pages("/v1.0/devices", &devices));
    routes.extend(two_pages("/v1.0/deviceManagement/managedDevices", &managed));
    routes.extend(two_pages(
        "/beta/directory/deletedItems/microsoft.graph.device",
        &deleted,
    ));
    routes.push((
        (
            "GET",
            "/v1.0/identity/conditionalAccess/policies".to_string(),
        ),
        vec![Answer::ok(policies)],
    ));
    let server = start(routes);
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("tenant");
    let started = std::time::Instant::now();
    let output = fetch_command(
        &server,
        &[
            "--since",
            "30d",
            "--now",
            "2026-11-20T12:00:00-05:00",
            "--user",
            "jane@contoso.com",
            "--user",
            "o'brien@contoso.com",
            "--out",
        ],
    )
    .arg(&out)
    .env("CA_DOCTOR_CLIENT_SECRET", SECRET)
    .output()
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(started.elapsed() >= std::time::Duration::from_millis(2128));
    assert!(
        stdout.contains(&format!(
            "signins          {} records, 2 pages",
            sign_ins.len()
        )),
        "{stdout}"
    );

    // What went to the server: the secret to the token endpoint only, the
    // filters server-side.
    let seen = server.seen.lock().unwrap().clone();
    assert!(
        seen[0].starts_with(&format!("POST /{TENANT}/oauth2/v2.0/token"))
            && seen[0].contains("client_secret=Sup3r-Secret-Value")
    );
    let sign_in_request = seen
        .iter()
        .find(|r| r.starts_with("GET /v1.0/auditLogs/signIns?"))
        .unwrap();
    assert!(sign_in_request.contains("$top=1000"), "{sign_in_request}");
    assert!(
        sign_in_request.contains("createdDateTime%20ge%202026%2D10%2D21T17%3A00%3A00Z")
            && sign_in_request
                .contains("userPrincipalName%20eq%20%27o%27%27brien%40contoso%2Ecom%27"),
        "{sign_in_request}"
    );
    assert_eq!(
        seen.iter()
            .filter(|r| r.starts_with("GET /v1.0/auditLogs/signIns?"))
            .count(),
        2,
        "retried once after the 429"
    );
    assert!(
        seen.iter()
            .filter(|r| r.starts_with("GET"))
            .all(|r| r.contains(TOKEN))
    );
    assert!(
        seen.iter()
            .filter(|r| r.starts_with("GET"))
            .all(|r| !r.contains("Sup3r"))
    );

    // fetch.json, and no credential in anything written or printed.
    let record: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("fetch.json")).unwrap()).unwrap();
    let kinds = record["kinds"].as_array().unwrap();
    assert_eq!(kinds.len(), 5);
    assert_eq!(kinds[0]["kind"], "signins");
    assert_eq!(kinds[0]["records"], sign_ins.len() as u64);
    assert_eq!(kinds[0]["retries"], 1, "the 429");
    assert_eq!(record["plan"]["graph"]["client_id"], APP);
    for entry in std::fs::read_dir(&out).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!text.contains("Sup3r") && !text.contains("the-access-token"));
    }
    assert!(!stdout.contains("Sup3r") && !stderr.contains("Sup3r"));

    // The fetched folder gives the report the same records give from files.
    let report = |args: &[&str]| -> Value {
        serde_json::from_slice(&ca_doctor().args(args).output().unwrap().stdout).unwrap()
    };
    let fetched = report(&[
        "signins",
        "--format",
        "json",
        "--tenant",
        out.to_str().unwrap(),
    ]);
    // (The folder holds the policies too: they explain the failures.)
    let offline = report(&[
        "signins",
        "--format",
        "json",
        fixture("entra").join("graph-v1.0.json").to_str().unwrap(),
        "--policies",
        fixture("entra")
            .join("policies/graph.json")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(status_and_ids(&fetched), status_and_ids(&offline));
    assert_eq!(fetched["findings"], offline["findings"]);
    let device = report(&[
        "device",
        "--device-id",
        "7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b",
        "--now",
        "2026-11-20T12:00:00-05:00",
        "--format",
        "json",
        "--tenant",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        device["summary"]["chain"]["entra"][0]["display_name"],
        "Jane's MacBook"
    );
    assert_eq!(
        device["summary"]["chain"]["other_records"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_kind_refused_is_recorded_the_others_fetched_and_the_exit_says_so() {
    let server = start(vec![
        token_route(),
        (
            ("GET", "/v1.0/devices".to_string()),
            vec![Answer {
                status: "403 Forbidden",
                headers: String::new(),
                body: r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}"#.to_string(),
            }],
        ),
        (("GET", "/v1.0/identity/conditionalAccess/policies".to_string()), vec![Answer::ok(r#"{"value":[]}"#)]),
    ]);
    let work = tempfile::tempdir().unwrap();
    let secret = work.path().join("secret");
    std::fs::write(&secret, format!("{SECRET}\n")).unwrap();
    let run = || {
        fetch_command(
            &server,
            &["--what", "devices,policies", "--client-secret-file"],
        )
        .arg(&secret)
        .arg("--out")
        .arg(work.path().join("out"))
        .env_remove("CA_DOCTOR_CLIENT_SECRET")
        .output()
        .unwrap()
    };
    // A secret file others may read is refused.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
        let output = run();
        assert_eq!(output.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&output.stderr)
                .contains("others may read it (mode 644): chmod 600 it")
        );
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let output = run();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("devices          FAILED: Graph refused /v1.0/devices (HTTP 403 Authorization_RequestDenied): Insufficient privileges to complete the operation.; the app lacks the application permission Device.Read.All"), "{stdout}");
    assert!(
        stdout.contains("policies         0 records, 1 page"),
        "{stdout}"
    );
    let record: Value =
        serde_json::from_str(&std::fs::read_to_string(work.path().join("out/fetch.json")).unwrap())
            .unwrap();
    assert!(
        record["kinds"][0]["error"]
            .as_str()
            .unwrap()
            .contains("Device.Read.All")
    );
    assert_eq!(record["kinds"][1]["error"], Value::Null);

    // The secret is never a flag value.
    let output = ca_doctor()
        .args([
            "fetch",
            "--tenant-id",
            TENANT,
            "--client-id",
            APP,
            "--client-secret",
            SECRET,
            "--out",
            "x",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_503_is_retried_and_a_page_that_is_not_json_is_a_failed_kind() {
    let server = start(vec![
        token_route(),
        (
            (
                "GET",
                "/v1.0/identity/conditionalAccess/policies".to_string(),
            ),
            vec![
                Answer {
                    status: "503 Service Unavailable",
                    headers: String::new(),
                    body: String::new(),
                },
                Answer::ok(r#"{"value":[{"id":"p1","displayName":"MFA","state":"enabled"}]}"#),
            ],
        ),
        (
            ("GET", "/v1.0/devices".to_string()),
            vec![Answer::ok("{\"value\": [ {\"deviceId\": ")],
        ),
    ]);
    let work = tempfile::tempdir().unwrap();
    let output = fetch_command(&server, &["--what", "policies,devices", "--out"])
        .arg(work.path().join("out"))
        .env("CA_DOCTOR_CLIENT_SECRET", SECRET)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("policies         1 record, 1 page"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "devices          FAILED: /v1.0/devices: Graph answered with JSON that cannot be read"
        ),
        "{stdout}"
    );
    let record: Value =
        serde_json::from_str(&std::fs::read_to_string(work.path().join("out/fetch.json")).unwrap())
            .unwrap();
    assert_eq!(record["kinds"][0]["retries"], 1, "the 503");
    assert_eq!(record["kinds"][1]["pages"], 0);
}

#[test]
fn signins_and_policies_fetch_what_they_judge_and_agree_with_files() {
    let policies = std::fs::read_to_string(fixture("entra").join("policies/graph.json")).unwrap();
    let sign_ins = json!({"value": records(&fixture("entra").join("graph-v1.0.json"))});
    let server = start(vec![
        token_route(),
        (
            ("GET", "/v1.0/auditLogs/signIns".to_string()),
            vec![Answer::ok(sign_ins.to_string())],
        ),
        (
            (
                "GET",
                "/v1.0/identity/conditionalAccess/policies".to_string(),
            ),
            vec![Answer::ok(policies)],
        ),
    ]);
    let live = |command: &str| -> Value {
        let output = succeed(
            ca_doctor()
                .args([
                    command,
                    "--format",
                    "json",
                    "--fetch",
                    "--fetch-since",
                    "3d",
                ])
                .args(["--tenant-id", TENANT, "--client-id", APP])
                .args(["--login-url", &server.base, "--graph-url", &server.base])
                .args(["--jamf-connect-app", APP])
                .env("CA_DOCTOR_CLIENT_SECRET", SECRET),
        );
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let offline = |command: &str| -> Value {
        let output = ca_doctor()
            .args([
                command,
                "--format",
                "json",
                "--jamf-connect-app",
                APP,
                "--tenant",
            ])
            .arg(fixture("entra").join("graph-v1.0.json"))
            .arg("--tenant")
            .arg(fixture("entra").join("policies/graph.json"))
            .output()
            .unwrap();
        serde_json::from_slice(&output.stdout).unwrap()
    };
    for command in ["signins", "policies"] {
        let (fetched, from_files) = (live(command), offline(command));
        assert_eq!(
            status_and_ids(&fetched),
            status_and_ids(&from_files),
            "{command}"
        );
        assert_eq!(fetched["findings"], from_files["findings"], "{command}");
    }
    // Sign-ins of the Jamf Connect app only, of the last three days.
    let seen = server.seen.lock().unwrap().clone();
    let asked = seen
        .iter()
        .find(|r| r.starts_with("GET /v1.0/auditLogs/signIns?"))
        .unwrap();
    assert!(
        asked.contains(&format!("appId%20eq%20%27{}%27", APP.replace('-', "%2D"))),
        "{asked}"
    );
    assert!(asked.contains("createdDateTime%20ge%20"), "{asked}");
}

#[test]
fn a_progress_line_on_a_terminal_and_none_otherwise() {
    let slow = Answer {
        status: "429 Too Many Requests",
        headers: "Retry-After: 0.6\r\n".to_string(),
        body: "{}".to_string(),
    };
    let server = start(vec![
        token_route(),
        (
            (
                "GET",
                "/v1.0/identity/conditionalAccess/policies".to_string(),
            ),
            vec![slow, Answer::ok(r#"{"value":[]}"#)],
        ),
    ]);
    let work = tempfile::tempdir().unwrap();
    let binary = env!("CARGO_BIN_EXE_ca-doctor");
    let line = format!(
        "'{binary}' fetch --tenant-id {TENANT} --client-id {APP} --login-url {base} --graph-url {base} --what policies --out '{}'",
        work.path().join("out").display(),
        base = server.base
    );
    // `script` gives the command a terminal.
    let output = std::process::Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("CA_DOCTOR_CLIENT_SECRET", SECRET)
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(
        shown.contains("fetching policies: 0 pages, 0 records, 0 retries"),
        "{shown}"
    );
    assert!(
        shown.contains("policies         0 records, 1 page"),
        "{shown}"
    );
    let output = fetch_command(&server, &["--what", "policies", "--out"])
        .arg(work.path().join("again"))
        .env("CA_DOCTOR_CLIENT_SECRET", SECRET)
        .output()
        .unwrap();
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_user_before_the_host_is_refused_in_every_url_flag() {
    let work = tempfile::tempdir().unwrap();
    for (flags, url) in [
        (&["--jamf-url"][..], "http://localhost:80@example.invalid"),
        (&["--jamf-url"][..], "http://[::1]@x"),
        (&["--jamf-url"][..], "https://jamf.example.com@evil.example"),
    ] {
        let output = ca_doctor()
            .arg("fetch")
            .args(flags)
            .arg(url)
            .args(["--jamf-client-id", "abc", "--out"])
            .arg(work.path().join("out"))
            .env("CA_DOCTOR_JAMF_CLIENT_SECRET", "Sup3rSecret")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{url}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains("a user name or password before the host is not accepted"),
            "{stderr}"
        );
        assert!(
            !work.path().join("out").exists(),
            "nothing fetched for {url}"
        );
    }
    let output = ca_doctor()
        .args(["fetch", "--tenant-id", TENANT, "--client-id", APP])
        .args(["--login-url", "http://127.0.0.1:9@x", "--out"])
        .arg(work.path().join("out"))
        .env("CA_DOCTOR_CLIENT_SECRET", "Sup3rSecret")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).starts_with(
        "ca-doctor: error: --login-url http://127.0.0.1:9@x: a user name or password"
    ));
}
