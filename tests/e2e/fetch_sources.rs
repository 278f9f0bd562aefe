//! `ca-doctor fetch` with each way in: the app's certificate (a client
//! assertion the loopback server checks as Entra ID would), an admin's
//! device code, the Jamf Pro API (its token renewed, its inventory asked
//! for the device Graph named, each computer's compliance); and each way
//! it fails: a token expiring mid-run, a response that stalls, every 403
//! shape, in one line naming the fix.

use crate::support::server::{Answer, Route, Server, start, tenant_routes};
use crate::support::{ca_doctor, status_and_ids};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use std::path::{Path, PathBuf};

const TENANT: &str = "contoso.onmicrosoft.com";
const APP: &str = "c0ffee00-1111-4222-8333-444455556666";
const DEVICE: &str = "7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b";
const NOW: &str = "2026-11-20T12:00:00-05:00";
const JAMF_SECRET: &str = "jamf-Secret-Value-42";

fn tenant_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/device-chain/tenant")
}

/// A copy of a credential fixture that only its owner reads (a clone
/// does not keep modes).
fn private_copy(name: &str, into: &Path) -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/fetch")
        .join(name);
    let to = into.join(name);
    std::fs::copy(from, &to).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&to, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    to
}

/// `ca-doctor fetch` against `server` for both Graph and Jamf Pro.
fn fetch(server: &Server, out: &Path) -> std::process::Command {
    let mut command = ca_doctor();
    command
        .args(["fetch", "--tenant-id", TENANT, "--client-id", APP])
        .args(["--login-url", &server.base, "--graph-url", &server.base])
        .args([
            "--jamf-url",
            &server.base,
            "--jamf-client-id",
            "ca-doctor-reader",
        ])
        .arg("--out")
        .arg(out)
        .env("CA_DOCTOR_JAMF_CLIENT_SECRET", JAMF_SECRET)
        .env_remove("CA_DOCTOR_CLIENT_SECRET");
    command
}

/// The form fields of a request the server saw.
fn form(request: &str) -> Vec<(String, String)> {
    let body = request.rsplit("\r\n").next().unwrap_or_default();
    body.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| {
            let v = v.replace('+', " ");
            (k.to_string(), percent_decode(&v))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// Checks a client assertion as Entra ID does: signed by the key of
/// `certificate_pem`, naming it by thumbprint; returns its claims.
fn verified_claims(assertion: &str, certificate_pem: &Path) -> Value {
    let pem = std::fs::read_to_string(certificate_pem).unwrap();
    let base64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(base64)
        .unwrap();
    let (_, certificate) = x509_parser::parse_x509_certificate(&der).unwrap();
    let public = certificate.public_key().subject_public_key.data.to_vec();
    let (signed, signature) = assertion.rsplit_once('.').unwrap();
    ring::signature::UnparsedPublicKey::new(&ring::signature::RSA_PKCS1_2048_8192_SHA256, public)
        .verify(
            signed.as_bytes(),
            &URL_SAFE_NO_PAD.decode(signature).unwrap(),
        )
        .expect("the assertion is signed by the certificate's key");
    let (header, claims) = signed.split_once('.').unwrap();
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
    assert_eq!(header["alg"], "RS256");
    assert_eq!(
        header["x5t#S256"],
        URL_SAFE_NO_PAD.encode(ring::digest::digest(&ring::digest::SHA256, &der))
    );
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap()
}

fn json_file(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn a_certificate_and_jamf_pro_follow_one_device_to_the_same_report_as_files() {
    let mut routes = tenant_routes(&tenant_folder(), TENANT, 0);
    // Graph's token expires mid-run: the managed devices refuse it once.
    for ((_, path), answers) in routes.iter_mut() {
        if path == "/v1.0/deviceManagement/managedDevices" {
            answers.insert(
                0,
                Answer::status(
                    "401 Unauthorized",
                    r#"{"error":{"code":"InvalidAuthenticationToken","message":"Lifetime validation failed, the token is expired."}}"#,
                ),
            );
        }
    }
    let server = start(routes);
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    for (certificate, key, password) in [
        ("app.p12", None, "test-password"),
        ("app-certificate.pem", Some("app-key-pkcs1.pem"), ""),
    ] {
        let _ = std::fs::remove_dir_all(&out);
        let mut command = fetch(&server, &out);
        command
            .args(["--what", "signins,devices,managed-devices,jamf"])
            .args(["--device-id", DEVICE, "--since", "30d", "--now", NOW])
            .arg("--client-certificate")
            .arg(private_copy(certificate, work.path()))
            .env("CA_DOCTOR_CERTIFICATE_PASSWORD", password);
        if let Some(key) = key {
            command
                .arg("--client-key")
                .arg(private_copy(key, work.path()));
        }
        server.seen.lock().unwrap().clear();
        let output = command.output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{certificate}: {stdout}{stderr}"
        );
        assert!(
            stdout.contains("jamf-inventory   2 records, 1 page"),
            "{stdout}"
        );
        assert!(
            stdout.contains("jamf-compliance  1 record, 2 pages"),
            "{stdout}"
        );

        let seen = server.seen.lock().unwrap().clone();
        let graph_tokens: Vec<&String> = seen
            .iter()
            .filter(|r| r.starts_with(&format!("POST /{TENANT}/oauth2/v2.0/token")))
            .collect();
        // The first run meets the 401 (the route answers it once).
        let expected = if certificate == "app.p12" { 2 } else { 1 };
        assert_eq!(graph_tokens.len(), expected, "renewed once after the 401");
        for request in &graph_tokens {
            let fields = form(request);
            let field = |name: &str| {
                fields
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            assert_eq!(
                field("client_assertion_type"),
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
            );
            assert_eq!(field("grant_type"), "client_credentials");
            assert!(field("client_secret").is_empty());
            let claims = verified_claims(
                &field("client_assertion"),
                &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fetch/app-certificate.pem"),
            );
            assert_eq!(
                claims["aud"],
                format!("{}/{TENANT}/oauth2/v2.0/token", server.base)
            );
            assert_eq!(
                (&claims["iss"], &claims["sub"]),
                (&Value::from(APP), &Value::from(APP))
            );
            let nbf = claims["nbf"].as_i64().unwrap();
            assert_eq!(claims["exp"].as_i64().unwrap() - nbf, 600);
            assert!((nbf - chrono::Utc::now().timestamp()).abs() < 120);
        }
        // Jamf Pro: asked for the Mac Graph named; its token lasted no time,
        // so a new one came before each request.
        let inventory = seen
            .iter()
            .find(|r| r.starts_with("GET /api/v4/computers-inventory?"))
            .unwrap();
        assert!(
            inventory.contains("general%2Ename%3D%3D%22Jane%27s%20MacBook%22"),
            "{inventory}"
        );
        let jamf_tokens = seen
            .iter()
            .filter(|r| r.starts_with("POST /api/oauth/token"))
            .count();
        let jamf_requests = seen.iter().filter(|r| r.starts_with("GET /api/")).count();
        // The inventory, the buildings' and departments' names (this
        // server has none: left out), two compliance records.
        assert_eq!((jamf_tokens, jamf_requests), (5, 5));
        assert!(
            seen.iter()
                .filter(|r| r.starts_with("GET /api/"))
                .all(|r| r.contains("Bearer jamf-token"))
        );

        let record = json_file(&out.join("fetch.json"));
        let kinds: Vec<&str> = record["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                "signins",
                "devices",
                "managed-devices",
                "jamf-inventory",
                "jamf-compliance"
            ]
        );
        assert_eq!(record["plan"]["graph"]["credential"], "certificate");
        assert!(
            record["kinds"][3]["filter"]
                .as_str()
                .unwrap()
                .contains("general.name==\"Jane's MacBook\"")
        );
        for entry in std::fs::read_dir(&out).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for secret in [JAMF_SECRET, "graph-token", "jamf-token", "test-password"] {
                assert!(!text.contains(secret), "{secret}");
            }
        }
        assert!(!stdout.contains("jamf-token") && !stderr.contains(JAMF_SECRET));
    }

    // The fetched folder and the same records from files: one report.
    let device = |tenant: &Path| -> Value {
        let output = ca_doctor()
            .args([
                "device",
                "--device-id",
                DEVICE,
                "--now",
                NOW,
                "--format",
                "json",
                "--tenant",
            ])
            .arg(tenant)
            .output()
            .unwrap();
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let fetched = device(&out);
    let offline = device(&tenant_folder());
    assert_eq!(status_and_ids(&fetched), status_and_ids(&offline));
    assert_eq!(fetched["summary"]["chain"], offline["summary"]["chain"]);
    assert_eq!(status_and_ids(&fetched).0, "not-compliant");
}

#[test]
fn an_admin_s_device_code_and_the_policy_that_blocks_it() {
    let device_code = r#"{"device_code":"GMMhmHCXhWEzkobqIHGG_EnNYYsAkukHspeYUk9E8","user_code":"FBDKHRJ9D","verification_uri":"https://microsoft.com/devicelogin","expires_in":900,"interval":0,"message":"To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FBDKHRJ9D to authenticate."}"#;
    let pending = r#"{"error":"authorization_pending","error_description":"AADSTS70016: OAuth 2.0 device flow error. Authorization is pending.","error_codes":[70016]}"#;
    let success = r#"{"token_type":"Bearer","scope":"https://graph.microsoft.com/.default","expires_in":3599,"access_token":"admin-token","refresh_token":"AwABAAAAvPM1KaPlrEqdFSBzjqfTGAMxZGUTdM0t4B4"}"#;
    let blocked = r#"{"error":"invalid_grant","error_description":"AADSTS530033: Access has been blocked by security policies. The token protection policy requires a device that is managed.","error_codes":[530033]}"#;
    let routes = |token: Vec<Answer>| -> Vec<Route> {
        vec![
            (
                ("POST", format!("/{TENANT}/oauth2/v2.0/devicecode")),
                vec![Answer::ok(device_code)],
            ),
            (("POST", format!("/{TENANT}/oauth2/v2.0/token")), token),
            (
                (
                    "GET",
                    "/v1.0/identity/conditionalAccess/policies".to_string(),
                ),
                vec![Answer::ok(
                    r#"{"value":[{"id":"p1","displayName":"MFA","state":"enabled"}]}"#,
                )],
            ),
        ]
    };
    let work = tempfile::tempdir().unwrap();
    let run = |server: &Server, out: &str| {
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
            .arg(work.path().join(out))
            .env_remove("CA_DOCTOR_CLIENT_SECRET")
            .output()
            .unwrap()
    };
    let server = start(routes(vec![
        Answer::status("400 Bad Request", pending),
        Answer::ok(success),
    ]));
    let output = run(&server, "out");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stderr.contains("enter the code FBDKHRJ9D"), "{stderr}");
    assert!(
        stdout.contains("policies         1 record, 1 page"),
        "{stdout}"
    );
    let seen = server.seen.lock().unwrap().clone();
    let polls: Vec<_> = seen
        .iter()
        .filter(|r| r.contains("device_code=GMMhm"))
        .collect();
    assert_eq!(polls.len(), 2, "asked again while pending");
    assert!(polls[0].contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code"));
    assert!(
        seen.iter()
            .any(|r| r.starts_with("GET") && r.contains("Bearer admin-token"))
    );
    assert!(!stdout.contains("AwABAAAA") && !stderr.contains("AwABAAAA"));
    let record = std::fs::read_to_string(work.path().join("out/fetch.json")).unwrap();
    assert!(record.contains("\"credential\": \"device-code\"") && !record.contains("admin-token"));

    // Nothing fetched: its own exit code, the cause in one line first.
    let server = start(routes(vec![Answer::status("400 Bad Request", blocked)]));
    let output = run(&server, "blocked");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("nothing could be fetched: policies (1): ")
            && stderr.contains("AADSTS530033")
            && stderr.contains("instead of --device-code"),
        "{stderr}"
    );
}

#[test]
fn every_refusal_and_a_stalled_response_are_one_line_each_and_the_rest_is_fetched() {
    let non_premium = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fetch/graph-403-non-premium.json"),
    )
    .unwrap();
    let no_directory = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/fetch/graph-403-no-directory-read.json"),
    )
    .unwrap();
    let jamf_forbidden = r#"{"httpStatus":403,"errors":[{"code":"INVALID_PRIVILEGE","field":null,"description":"Forbidden","id":"0"}]}"#;
    let mut routes = tenant_routes(&tenant_folder(), TENANT, 1200);
    for ((_, path), answers) in routes.iter_mut() {
        match path.as_str() {
            "/v1.0/auditLogs/signIns" => {
                *answers = vec![Answer::status("403 Forbidden", non_premium.clone())]
            }
            "/v1.0/identity/conditionalAccess/policies" => {
                *answers = vec![Answer::status("403 Forbidden", no_directory.clone())]
            }
            "/v1.0/devices" => *answers = vec![Answer::stall()],
            p if p.ends_with("/computer/12") => {
                *answers = vec![Answer::status("403 Forbidden", jamf_forbidden)]
            }
            _ => {}
        }
    }
    let server = start(routes);
    let work = tempfile::tempdir().unwrap();
    let secret = private_copy("app.p12", work.path());
    let started = std::time::Instant::now();
    let output = fetch(&server, &work.path().join("out"))
        .args(["--timeout", "1", "--client-certificate"])
        .arg(&secret)
        .env("CA_DOCTOR_CERTIFICATE_PASSWORD", "test-password")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(9),
        "{:?}",
        started.elapsed()
    );
    for line in [
        "signins          FAILED: Graph refused /v1.0/auditLogs/signIns (HTTP 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant): Neither tenant is B2C or tenant doesn't have premium license; the tenant has no Microsoft Entra ID P1 licence",
        "policies         FAILED: Graph refused /v1.0/identity/conditionalAccess/policies (HTTP 403 Authentication_ApplicationHasNoDirectoryReadAccess): Failed to do premium license check from ADGraph; the app lacks the application permission Directory.Read.All, which Graph needs beside Policy.Read.All",
        "devices          FAILED: ",
        "managed-devices  1 record, 1 page",
        "jamf-inventory   2 records, 1 page",
        "jamf-compliance  FAILED: Jamf Pro refused /api/v1/conditional-access/device-compliance-information/computer (HTTP 403 INVALID_PRIVILEGE Forbidden): the API client's role lacks the privilege \"Read Device Compliance Information\"",
    ] {
        assert!(stdout.contains(line), "{line}\n{stdout}");
    }
    assert!(
        stdout.contains("/v1.0/devices: no answer within the time limit"),
        "{stdout}"
    );
    let devices_asked = server
        .seen
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.starts_with("GET /v1.0/devices"))
        .count();
    assert_eq!(devices_asked, 2, "a stalled response is tried once more");

    // Jamf Pro: the inventory refused, and a wrong client.
    let mut routes = tenant_routes(&tenant_folder(), TENANT, 1200);
    for ((_, path), answers) in routes.iter_mut() {
        if path == "/api/v4/computers-inventory" {
            *answers = vec![Answer::status("403 Forbidden", jamf_forbidden)];
        }
    }
    let server = start(routes);
    let output = fetch(&server, &work.path().join("jamf"))
        .args(["--what", "jamf"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("nothing could be fetched: jamf-inventory (1): Jamf Pro refused /api/v4/computers-inventory (HTTP 403 INVALID_PRIVILEGE Forbidden): the API client's role lacks the privilege \"Read Computers\""),
        "{stderr}"
    );
    let server = start(vec![(
        ("POST", "/api/oauth/token".to_string()),
        vec![Answer::status(
            "401 Unauthorized",
            r#"{"error":"invalid_client","error_description":"Client authentication failed"}"#,
        )],
    )]);
    let output = fetch(&server, &work.path().join("wrong"))
        .args(["--what", "jamf"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("check --jamf-client-id and the client secret"),
        "{stderr}"
    );
    assert!(!stderr.contains(JAMF_SECRET));
    assert!(!String::from_utf8_lossy(&output.stdout).contains(JAMF_SECRET));
}

#[test]
fn jamf_pro_s_inventory_is_read_page_by_page_on_an_older_server() {
    let inventory = json_file(&tenant_folder().join("jamf-inventory.json"));
    let page = |index: usize| {
        serde_json::json!({"totalCount": 501, "results": [inventory["results"][index].clone()]})
            .to_string()
    };
    let mut routes = tenant_routes(&tenant_folder(), TENANT, 1200);
    routes.retain(|((_, path), _)| !path.contains("computers-inventory"));
    routes.push((
        ("GET", "/api/v1/computers-inventory".to_string()),
        vec![Answer::ok(page(0)), Answer::ok(page(1))],
    ));
    let server = start(routes);
    let work = tempfile::tempdir().unwrap();
    let output = fetch(&server, &work.path().join("out"))
        .args(["--what", "jamf"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("jamf-inventory   2 records, 2 pages"),
        "{stdout}"
    );
    let seen = server.seen.lock().unwrap().clone();
    let asked: Vec<&str> = seen
        .iter()
        .filter(|r| r.starts_with("GET /api/"))
        .map(|r| r.split_whitespace().nth(1).unwrap())
        .collect();
    assert!(
        asked[0].starts_with("/api/v4/computers-inventory?"),
        "{asked:?}"
    );
    assert!(
        asked[1].starts_with("/api/v3/computers-inventory?"),
        "{asked:?}"
    );
    assert!(
        asked[2].starts_with("/api/v1/computers-inventory?") && asked[2].contains("page=0&"),
        "{asked:?}"
    );
    assert!(
        asked[3].contains("page=1&") && !asked[3].contains("filter="),
        "{asked:?}"
    );
    let record = json_file(&work.path().join("out/fetch.json"));
    assert_eq!(record["kinds"][0]["filter"], Value::Null, "every computer");
    // The fetched pages read as the inventory export does.
    let output = ca_doctor()
        .args([
            "device",
            "--serial",
            "C02XK1JHJG5H",
            "--now",
            NOW,
            "--format",
            "json",
            "--tenant",
        ])
        .arg(work.path().join("out"))
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["chain"]["jamf_computer"]["id"], "12");
}
