//! `ca-doctor signins` end to end: one scenario tenant exported in every
//! format reads to the same outcomes and findings; near-misses on other
//! apps raise nothing; the committed fixtures are what the generator makes;
//! a broken export is reported with its line and column while the others
//! are still read.

use crate::support;

use crate::support::entra::{exports, write_all};
use crate::support::{ca_doctor, evidence_row, finding, succeed};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/entra")
}

fn signins(files: &[PathBuf], extra: &[&str]) -> serde_json::Value {
    let output = succeed(
        ca_doctor()
            .arg("signins")
            .args(files)
            .args(["--format", "json"])
            .args(extra),
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn ids(report: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn the_committed_fixtures_are_what_the_generator_makes() {
    if std::env::var_os("CA_DOCTOR_REGENERATE_FIXTURES").is_some() {
        write_all(&fixtures());
    }
    for (name, bytes) in exports() {
        let committed = std::fs::read(fixtures().join(name)).unwrap_or_default();
        assert!(
            committed == bytes,
            "fixtures/entra/{name} is stale: CA_DOCTOR_REGENERATE_FIXTURES=1 cargo test --test e2e signins::"
        );
    }
}

#[test]
fn every_format_reads_to_the_same_outcomes_and_findings() {
    let expected_outcomes = serde_json::json!({
        "success": 2, "mfa-required": 4, "bad-password": 3, "locked": 1, "password-expired": 1,
        "disabled": 1, "user-not-found": 1, "blocked-by-ca": 1, "device-not-compliant": 1,
        "device-not-registered": 1, "device-auth-failed": 0, "app-misconfigured": 2, "token-expired": 1,
        "interrupted": 0, "other-failure": 0
    });
    let expected_ids = [
        "account-disabled",
        "account-locked",
        "blocked-by-conditional-access",
        "device-registration-blocked",
        "device-state-refused",
        "jamf-connect-app-misconfigured",
        "password-expired",
        "ropg-bad-password",
        "ropg-mfa-required",
        "user-not-found",
    ];
    for (name, _) in exports() {
        let report = signins(&[fixtures().join(name)], &[]);
        assert_eq!(report["summary"]["records"], 19, "{name}");
        assert_eq!(report["summary"]["outcomes"], expected_outcomes, "{name}");
        assert_eq!(ids(&report), expected_ids, "{name}");
        assert_eq!(report["status"], "at-risk", "{name}");
        // Near-misses: Teams' MFA prompt and wrong password are not Jamf Connect's.
        assert_eq!(
            finding(&report, "ropg-mfa-required")["subject"],
            "jane@contoso.com",
            "{name}"
        );
        assert_eq!(
            finding(&report, "ropg-bad-password")["subject"],
            "bob@contoso.com",
            "{name}"
        );
        // Teams' device condition and app error are no Jamf findings, and a
        // report-only failure on a success blocks nothing.
        for (id, subject) in [
            ("device-registration-blocked", "carol@contoso.com"),
            ("jamf-connect-app-misconfigured", "heidi@contoso.com"),
            ("blocked-by-conditional-access", "frank@contoso.com"),
        ] {
            assert_eq!(finding(&report, id)["subject"], subject, "{name} {id}");
        }
        assert_eq!(
            finding(&report, "ropg-mfa-required")["evidence"][1]["count"],
            3,
            "{name}"
        );
        let jamf_connect = report["summary"]["by_app"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["app_id"] == support::entra::JAMF_CONNECT_APP)
            .unwrap()
            .clone();
        assert_eq!(jamf_connect["role"], "jamf-connect", "{name}");
    }
}

#[test]
fn the_policies_behind_a_failure_are_named() {
    let report = signins(&[fixtures().join("graph-beta.json")], &[]);
    let mfa = finding(&report, "ropg-mfa-required");
    let policies = evidence_row(mfa, "policies that failed");
    assert_eq!(policies["items"][0], "MFA for all cloud apps: 3");
    let requirement = evidence_row(mfa, "authentication requirement");
    assert_eq!(requirement["value"], "multiFactorAuthentication");
}

#[test]
fn a_broken_export_is_named_with_its_place_and_the_others_still_count() {
    let work = tempfile::tempdir().unwrap();
    let broken = work.path().join("broken.json");
    std::fs::write(&broken, "{\"value\": [\n  {\"status\": {\"errorCode\": 0}},\n  {\"status\": {\"errorCode\": 000}}\n]}\n").unwrap();
    let report = signins(&[broken.clone(), fixtures().join("graph-v1.0.json")], &[]);
    assert_eq!(
        report["summary"]["records"], 20,
        "the record before the error counts"
    );
    let unreadable = finding(&report, "input-unreadable");
    let reason = unreadable["evidence"][0]["value"].as_str().unwrap();
    assert!(reason.contains("line 3 column"), "{reason}");
    assert_eq!(report["status"], "at-risk");
    // Alone, a broken file with nothing readable gives no verdict.
    let empty = work.path().join("empty.json");
    std::fs::write(&empty, "[").unwrap();
    assert_eq!(signins(&[empty], &[])["status"], "unknown");
}

#[test]
fn the_human_report_groups_by_app_role() {
    let output = succeed(
        ca_doctor()
            .arg("signins")
            .arg(fixtures().join("InteractiveSignIns_2026-11-19.csv")),
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("ca-doctor signins: AT-RISK\n19 sign-ins read from 1 export\n"),
        "{text}"
    );
    assert!(
        text.contains("jamf-connect       success 1, mfa-required 3, bad-password 2, locked 1, password-expired 1, disabled 1, user-not-found 1, app-misconfigured 1 · Jamf Connect"),
        "{text}"
    );
    assert!(text.contains("about: jane@contoso.com"), "{text}");
}

#[test]
fn check_and_analyze_join_the_mac_s_failures_with_what_entra_recorded() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/invalid-grant");
    let export = fixtures().join("InteractiveSignIns_2026-11-19.csv");
    let check = |extra: &[&str]| {
        let output = succeed(
            ca_doctor()
                .arg("check")
                .arg("--root")
                .arg(dir.join("root"))
                .args(["--user", "test.user", "--now", support::fixtures::NOW])
                .args(["--format", "json", "--log"])
                .arg(dir.join("log.ndjson"))
                .args(extra),
        );
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    let without = check(&[]);
    assert!(!ids(&without).contains(&"correlated-sign-ins".to_string()));
    let joined = check(&["--signins", export.to_str().unwrap()]);
    let finding = finding(&joined, "correlated-sign-ins").clone();
    assert_eq!(finding["severity"], "warning");
    let labels: Vec<&str> = finding["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "7F6779F2-640C-4FB2-9462-B16C102CF61C",
            "0B7C3A51-2D4E-4F60-8A91-C2D3E4F5A6B7"
        ]
    );
    assert!(
        finding["evidence"][1]["value"]
            .as_str()
            .unwrap()
            .contains("50173 token-expired"),
        "{finding}"
    );
    assert_eq!(
        joined["facts"]["correlated_sign_ins"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // analyze of a plain export joins the same way.
    let output = succeed(
        ca_doctor()
            .arg("analyze")
            .arg(dir.join("log.ndjson"))
            .args([
                "--now",
                support::fixtures::NOW,
                "--format",
                "json",
                "--signins",
            ])
            .arg(&export),
    );
    let analysed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(ids(&analysed).contains(&"correlated-sign-ins".to_string()));
}

#[test]
fn the_html_report_is_one_self_contained_page() {
    let output = succeed(
        ca_doctor()
            .arg("signins")
            .arg(fixtures().join("SigninLogs.json"))
            .args(["--format", "html"]),
    );
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<div class=\"status\">AT-RISK</div>"));
    assert!(page.contains("19 sign-ins read from 1 export"));
    assert!(page.contains("<code>ropg-mfa-required</code>"));
    assert!(page.contains("about: jane@contoso.com"));
    for external in [" src=", "<link", "href=\"http"] {
        assert!(!page.contains(external), "self-contained: {external}");
    }
}

#[test]
fn the_app_not_the_protocol_says_who_signed_in() {
    let work = tempfile::tempdir().unwrap();
    let export = work.path().join("signins.json");
    let sign_in = |id: &str, app: &str, name: &str, upn: &str, code: i64, owner: Option<&str>| {
        let mut record = serde_json::json!({
            "id": id,
            "createdDateTime": "2026-11-19T08:00:00Z",
            "userPrincipalName": upn,
            "appId": app,
            "appDisplayName": name,
            "authenticationProtocol": "ropc",
            "status": {"errorCode": code, "failureReason": "x"},
        });
        if let Some(owner) = owner {
            record["appOwnerTenantId"] = owner.into();
        }
        record
    };
    let records = serde_json::json!({"value": [
        // Entra Connect's sync account uses ROPC too: Microsoft's own app.
        sign_in("1", "cb1056e2-e479-49de-ae31-7812af012ed8", "Azure AD Connect", "sync@contoso.com", 50126, None),
        sign_in("2", "11111111-2222-4333-8444-555555555555", "Microsoft Tool", "admin@contoso.com", 50126, Some("f8cdef31-a31e-4b4a-93e4-5f571e91255a")),
        sign_in("3", "a0a0a0a0-1111-4222-8333-444455556666", "Contoso Password Check", "jane@contoso.com", 50126, None),
        {
            "id": "4", "createdDateTime": "2026-11-19T09:00:00Z",
            "userPrincipalName": "jane@contoso.com",
            "appId": "b03c10a8-71c7-45f9-b44a-3335ab76e970",
            "appDisplayName": "User registration app for Device Compliance",
            "status": {"errorCode": 50155, "failureReason": "Device authentication failed"}
        }
    ]});
    std::fs::write(&export, serde_json::to_vec(&records).unwrap()).unwrap();
    let report = signins(std::slice::from_ref(&export), &[]);
    let apps = report["summary"]["by_app"].as_array().unwrap();
    let app = |id: &str| {
        apps.iter()
            .find(|a| a["app_id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert_eq!(app("cb1056e2-e479-49de-ae31-7812af012ed8")["role"], "other");
    assert_eq!(
        app("cb1056e2-e479-49de-ae31-7812af012ed8")["role_from"],
        "first-party"
    );
    assert_eq!(
        app("11111111-2222-4333-8444-555555555555")["role_from"],
        "first-party"
    );
    assert_eq!(
        app("a0a0a0a0-1111-4222-8333-444455556666")["role"],
        "jamf-connect"
    );
    assert_eq!(
        app("a0a0a0a0-1111-4222-8333-444455556666")["role_from"],
        "protocol"
    );
    // Only Jamf Connect's wrong password is Jamf Connect's.
    assert_eq!(
        finding(&report, "ropg-bad-password")["subject"],
        "jane@contoso.com"
    );
    // 50155: the device presented itself and failed.
    assert_eq!(report["summary"]["outcomes"]["device-auth-failed"], 1);
    assert_eq!(report["summary"]["outcomes"]["device-not-registered"], 0);
    let human = String::from_utf8(
        succeed(
            ca_doctor()
                .arg("signins")
                .arg(&export)
                .args(["--color", "never"]),
        )
        .stdout,
    )
    .unwrap();
    assert!(
        human.contains("Jamf Connect guessed by protocol or name: Contoso Password Check (a0a0a0a0-1111-4222-8333-444455556666) (its ROPC protocol)"),
        "{human}"
    );
    assert!(
        human.contains("Microsoft's own apps, never Jamf Connect: Microsoft Tool (11111111-2222-4333-8444-555555555555), Azure AD Connect (cb1056e2-e479-49de-ae31-7812af012ed8)"),
        "{human}"
    );
}

#[test]
fn a_missing_or_wrong_kind_file_is_a_one_line_error_naming_it() {
    let log = crate::support::fixture("healthy").join("log.compact.txt");
    for (command, path) in [
        ("signins", PathBuf::from("/no/such/export.json")),
        ("signins", log.clone()),
        ("policies", PathBuf::from("/no/such/policies.json")),
        ("policies", log.clone()),
    ] {
        let output = ca_doctor().arg(command).arg(&path).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(1),
            "{command} {}",
            path.display()
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with(&format!("ca-doctor: error: {}: ", path.display())),
            "{stderr}"
        );
        assert!(output.stdout.is_empty());
    }
    // A folder of exports reads like its files; an app ID is a GUID.
    let work = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures().join("graph-v1.0.json"),
        work.path().join("a.json"),
    )
    .unwrap();
    std::fs::copy(fixtures().join("SigninLogs.csv"), work.path().join("b.csv")).unwrap();
    let folder = signins(&[work.path().to_path_buf()], &[]);
    let files = signins(
        &[
            fixtures().join("graph-v1.0.json"),
            fixtures().join("SigninLogs.csv"),
        ],
        &[],
    );
    assert_eq!(folder["summary"]["records"], files["summary"]["records"]);
    assert_eq!(folder["summary"]["outcomes"], files["summary"]["outcomes"]);
    let empty = tempfile::tempdir().unwrap();
    let output = ca_doctor()
        .arg("signins")
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let output = ca_doctor()
        .arg("signins")
        .arg(fixtures().join("graph-v1.0.json"))
        .args(["--jamf-connect-app", "YOUR-CLIENT-ID"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("an app ID is a GUID"),
        "{output:?}"
    );
}

/// A sign-in of `upn` to `app` answered `code`, presenting `device_id`.
fn device_state_sign_in(upn: &str, app: &str, code: i64, device_id: &str) -> serde_json::Value {
    serde_json::json!({
        "id": format!("{upn}-{app}-{code}-{device_id}"),
        "createdDateTime": "2026-11-19T15:40:00Z",
        "userPrincipalName": upn,
        "appId": "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
        "appDisplayName": app,
        "correlationId": "c0000000-0000-4000-8000-000000000009",
        "status": {"errorCode": code},
        "deviceDetail": {"deviceId": device_id, "operatingSystem": "MacOs", "browser": "Chrome 131.0.0"}
    })
}

#[test]
fn refusals_for_the_device_state_on_any_app_name_the_users_and_the_device_presented() {
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("signins.json");
    let write = |value: Vec<serde_json::Value>| {
        std::fs::write(&file, serde_json::json!({ "value": value }).to_string()).unwrap();
    };
    write(vec![
        device_state_sign_in("nora@contoso.com", "Microsoft Teams", 53000, ""),
        device_state_sign_in(
            "omar@contoso.com",
            "Microsoft Outlook",
            530003,
            "7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b",
        ),
        device_state_sign_in(
            "omar@contoso.com",
            "Microsoft Outlook",
            53001,
            "7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b",
        ),
    ]);
    let report = signins(std::slice::from_ref(&file), &[]);
    assert_eq!(ids(&report), ["device-state-refused"]);
    let found = finding(&report, "device-state-refused");
    assert_eq!(found["severity"], "warning");
    let users = evidence_row(found, "users");
    let lines: Vec<&str> = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(
        lines[0].starts_with("omar@contoso.com: 2 sign-ins")
            && lines[0].ends_with("(Microsoft Outlook); a device presented"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("nora@contoso.com: 1 sign-in")
            && lines[1].ends_with("(Microsoft Teams); no device presented"),
        "{lines:?}"
    );
    assert_eq!(
        evidence_row(found, "error codes")["value"],
        "53000 (1), 53001 (1), 530003 (1)"
    );
    let steps = found["remediation"].to_string();
    assert!(steps.contains("ca-doctor device --upn USER"), "{steps}");
    // The near misses: a wrong password is no device refusal, and one of
    // the device-compliance registration is its own finding.
    let mut registration = device_state_sign_in(
        "carol@contoso.com",
        "User registration app for Device Compliance",
        530003,
        "",
    );
    registration["appId"] = "b03c10a8-71c7-45f9-b44a-3335ab76e970".into();
    write(vec![
        device_state_sign_in("nora@contoso.com", "Microsoft Teams", 50126, ""),
        registration,
    ]);
    let report = signins(std::slice::from_ref(&file), &[]);
    assert!(
        !ids(&report).contains(&"device-state-refused".to_string()),
        "{report}"
    );
}
