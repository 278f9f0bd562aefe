//! The live fetch at its edges, against loopback servers that misbehave:
//! redirects, links that page forever, numbers no real server sends, a
//! device-code poll interval longer than the code lives, and servers that
//! repeat the secret they were sent.

use crate::support::ca_doctor;
use crate::support::server::{Answer, Route, Server, start};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const SECRET: &str = "Sup3r-Secret+Value/42=";
const TENANT: &str = "contoso.onmicrosoft.com";
const APP: &str = "c0ffee00-1111-4222-8333-444455556666";

fn token_route() -> Route {
    (
        ("POST", format!("/{TENANT}/oauth2/v2.0/token")),
        vec![Answer::ok(
            json!({"token_type": "Bearer", "expires_in": 3599, "access_token": "graph-token"})
                .to_string(),
        )],
    )
}

/// `ca-doctor fetch --what <what>` of the test app against `server` into
/// `out`, the secret from the environment, then `extra`.
fn fetch(
    server: &Server,
    what: &str,
    out: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    ca_doctor()
        .args(["fetch", "--tenant-id", TENANT, "--client-id", APP])
        .args(["--login-url", &server.base, "--graph-url", &server.base])
        .args(["--what", what, "--out"])
        .arg(out)
        .args(extra)
        .env("CA_DOCTOR_CLIENT_SECRET", SECRET)
        .env("CA_DOCTOR_JAMF_CLIENT_SECRET", SECRET)
        .output()
        .unwrap()
}

/// What a run printed, on standard output and error.
fn said(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn record(out: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("fetch.json")).unwrap()).unwrap()
}

#[test]
fn a_redirect_is_not_followed_to_another_host_or_to_plain_http() {
    let elsewhere = start(vec![(
        ("GET", "/v1.0/devices".to_string()),
        vec![Answer::ok(r#"{"value":[{"deviceId":"planted"}]}"#)],
    )]);
    // The other server stands for a plain-http host elsewhere.
    let location = format!("Location: {}/v1.0/devices?$top=1\r\n", elsewhere.base);
    let server = start(vec![
        token_route(),
        (
            ("GET", "/v1.0/devices".to_string()),
            vec![Answer {
                status: "302 Found",
                headers: location,
                body: String::new(),
            }],
        ),
    ]);
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let output = fetch(&server, "devices", &out, &[]);
    let stdout = said(&output);
    assert_eq!(output.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.contains("/v1.0/devices: the server redirects (HTTP 302)"),
        "{stdout}"
    );
    assert!(elsewhere.seen.lock().unwrap().is_empty(), "never asked");
    assert_eq!(record(&out)["kinds"][0]["records"], 0);
}

#[test]
fn a_next_link_that_repeats_or_never_ends_stops_and_says_why() {
    // The same link again and again.
    let server = start(vec![
        token_route(),
        (
            ("GET", "/v1.0/devices".to_string()),
            vec![Answer::ok(
                r#"{"value":[{"deviceId":"a"}],"@odata.nextLink":"{base}/v1.0/devices?$skiptoken=same"}"#,
            )],
        ),
    ]);
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let started = Instant::now();
    let output = fetch(&server, "devices", &out, &[]);
    let stdout = said(&output);
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(output.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.contains("next page link repeats an earlier one: stopped after 2 pages"),
        "{stdout}"
    );
    assert_eq!(server.seen.lock().unwrap().len(), 3, "token and two pages");

    // A new link each time: the page cap.
    let pages: Vec<Answer> = (1..=50)
        .map(|n| {
            Answer::ok(format!(
                r#"{{"value":[{{"deviceId":"d{n}"}}],"@odata.nextLink":"{{base}}/v1.0/devices?$skiptoken={n}"}}"#
            ))
        })
        .collect();
    let server = start(vec![
        token_route(),
        (("GET", "/v1.0/devices".to_string()), pages),
    ]);
    let out = work.path().join("capped");
    let output = fetch(&server, "devices", &out, &["--max-pages", "5"]);
    let stdout = said(&output);
    assert_eq!(output.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.contains("/v1.0/devices: stopped after 5 pages (--max-pages)"),
        "{stdout}"
    );
    let files = std::fs::read_dir(&out).unwrap().count();
    assert_eq!(files, 6, "five pages and fetch.json");

    // And a byte budget for the whole run.
    let big = format!(r#"{{"value":[{{"deviceId":"{}"}}]}}"#, "x".repeat(4096));
    let server = start(vec![
        token_route(),
        (("GET", "/v1.0/devices".to_string()), vec![Answer::ok(big)]),
    ]);
    let out = work.path().join("bytes");
    let output = fetch(&server, "devices", &out, &["--max-bytes", "2K"]);
    let stdout = said(&output);
    assert_eq!(output.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.contains("stopped: this run has read its"),
        "{stdout}"
    );
    let output = fetch(&server, "devices", &out, &["--max-bytes", "2X"]);
    assert_eq!(output.status.code(), Some(2));
}

/// Jamf Pro's routes: a token whose lifetime is `expires_in` (a JSON
/// number, written as given), an inventory page of one computer with no
/// total, and its compliance record.
fn jamf_routes(expires_in: &str) -> Vec<Route> {
    vec![
        (
            ("POST", "/api/oauth/token".to_string()),
            vec![Answer::ok(format!(
                r#"{{"access_token":"jamf-token","token_type":"Bearer","expires_in":{expires_in}}}"#
            ))],
        ),
        (
            ("GET", "/api/v4/computers-inventory".to_string()),
            vec![Answer::ok(
                r#"{"results":[{"id":"12","general":{"name":"Jane's MacBook"}}]}"#,
            )],
        ),
        (
            (
                "GET",
                "/api/v1/conditional-access/device-compliance-information/computer/12".to_string(),
            ),
            vec![Answer::ok("[]")],
        ),
    ]
}

fn jamf_fetch(server: &Server, out: &std::path::Path) -> std::process::Output {
    ca_doctor()
        .args([
            "fetch",
            "--jamf-url",
            &server.base,
            "--jamf-client-id",
            "api-client",
        ])
        .args(["--what", "jamf", "--out"])
        .arg(out)
        .env("CA_DOCTOR_JAMF_CLIENT_SECRET", SECRET)
        .output()
        .unwrap()
}

#[test]
fn jamf_pages_without_a_total_end_at_a_short_page_and_any_token_lifetime_is_survived() {
    for expires_in in ["18446744073709551615", "9223372036854775808", "1e300", "-5"] {
        let server = start(jamf_routes(expires_in));
        let work = tempfile::tempdir().unwrap();
        let out = work.path().join("out");
        let started = Instant::now();
        let output = jamf_fetch(&server, &out);
        let stdout = said(&output);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{expires_in}: {stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(started.elapsed() < Duration::from_secs(20));
        let record = record(&out);
        assert_eq!(record["kinds"][0]["pages"], 1, "{expires_in}");
        assert_eq!(record["kinds"][0]["records"], 1, "{expires_in}");
    }
}

/// The routes of a device-code sign-in whose code lasts `expires_in` and
/// is polled every `interval`, the poll answered with `poll`.
fn device_code_routes(expires_in: &str, interval: &str, poll: Answer) -> Vec<Route> {
    vec![
        (
            ("POST", format!("/{TENANT}/oauth2/v2.0/devicecode")),
            vec![Answer::ok(format!(
                r#"{{"device_code":"DC-{SECRET}","user_code":"ABCD-EFGH","verification_uri":"https://microsoft.com/devicelogin","expires_in":{expires_in},"interval":{interval},"message":"To sign in, enter ABCD-EFGH."}}"#
            ))],
        ),
        (("POST", format!("/{TENANT}/oauth2/v2.0/token")), vec![poll]),
        (
            (
                "GET",
                "/v1.0/identity/conditionalAccess/policies".to_string(),
            ),
            vec![Answer::ok(r#"{"value":[]}"#)],
        ),
    ]
}

fn device_code_fetch(server: &Server, out: &std::path::Path) -> std::process::Output {
    ca_doctor()
        .args([
            "fetch",
            "--tenant-id",
            TENANT,
            "--client-id",
            APP,
            "--device-code",
        ])
        .args(["--login-url", &server.base, "--graph-url", &server.base])
        .args(["--what", "policies", "--out"])
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn a_device_code_s_numbers_never_crash_the_run_or_outlast_the_code() {
    // A lifetime of 2^64-1 seconds and a poll at once: signed in.
    let signed_in = Answer::ok(
        r#"{"token_type":"Bearer","expires_in":3599,"access_token":"graph-token","refresh_token":"rt"}"#,
    );
    let server = start(device_code_routes("18446744073709551615", "0", signed_in));
    let work = tempfile::tempdir().unwrap();
    let output = device_code_fetch(&server, &work.path().join("out"));
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // A poll interval of 10^9 s for a code that lasts 3 s: over in 3 s.
    let pending = Answer::status(
        "400 Bad Request",
        r#"{"error":"authorization_pending","error_description":"AADSTS70016: pending"}"#,
    );
    let server = start(device_code_routes("3", "1000000000", pending));
    let started = Instant::now();
    let output = device_code_fetch(&server, &work.path().join("pending"));
    let stdout = said(&output);
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(output.status.code(), Some(3), "{stdout}");
    assert!(stdout.contains("the device code expired"), "{stdout}");
}

#[test]
fn a_secret_a_server_repeats_is_never_shown_or_recorded() {
    let encoded: String = SECRET
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    let echo = json!({
        "error": "invalid_client",
        "error_description": format!("AADSTS7000215: Invalid client secret provided: '{SECRET}' (form: client_secret={encoded})"),
        "error_codes": [7000215]
    });
    let server = start(vec![(
        ("POST", format!("/{TENANT}/oauth2/v2.0/token")),
        vec![Answer::status("401 Unauthorized", echo.to_string())],
    )]);
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let output = fetch(&server, "devices", &out, &[]);
    let stdout = said(&output);
    let recorded = std::fs::read_to_string(out.join("fetch.json")).unwrap();
    assert_eq!(output.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.contains("Invalid client secret provided: '[secret]'"),
        "{stdout}"
    );
    for text in [
        &*stdout,
        &recorded,
        &String::from_utf8_lossy(&output.stderr),
    ] {
        assert!(!text.contains(SECRET) && !text.contains(&encoded), "{text}");
    }

    // Jamf Pro's token endpoint, the same.
    let jamf = start(vec![(
        ("POST", "/api/oauth/token".to_string()),
        vec![Answer::status(
            "400 Bad Request",
            json!({"error": "invalid_request", "error_description": format!("bad secret {SECRET}")})
                .to_string(),
        )],
    )]);
    let out = work.path().join("jamf");
    let output = jamf_fetch(&jamf, &out);
    let stdout = said(&output);
    assert!(stdout.contains("bad secret [secret]"), "{stdout}");
    assert!(
        !std::fs::read_to_string(out.join("fetch.json"))
            .unwrap()
            .contains(SECRET)
    );
}

#[test]
fn fetching_again_into_the_same_folder_says_what_to_do() {
    let server = start(vec![
        token_route(),
        (
            (
                "GET",
                "/v1.0/identity/conditionalAccess/policies".to_string(),
            ),
            vec![Answer::ok(r#"{"value":[]}"#)],
        ),
    ]);
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let first = fetch(&server, "policies", &out, &[]);
    assert_eq!(first.status.code(), Some(0), "{}", said(&first));
    let again = fetch(&server, "policies", &out, &[]);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert_ne!(again.status.code(), Some(0));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "--out {}: already holds an earlier fetch (a fetch's pages would be mixed with them): give a new folder, or empty this one",
            out.display()
        )),
        "{stderr}"
    );
    assert_eq!(record(&out)["kinds"][0]["pages"], 1, "the first fetch kept");
}
