//! `ca-doctor policies` end to end: the scenario tenant's policies, as one
//! Graph list and as a folder of UTF-16 PowerShell files, give the same
//! findings: a triggering and a near-miss policy for each.

use crate::support::entra::JAMF_CONNECT_APP;
use crate::support::policies::exports;
use crate::support::{ca_doctor, evidence_row, finding, succeed};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/entra/policies")
}

fn audit(path: &Path, extra: &[&str]) -> serde_json::Value {
    let output = succeed(
        ca_doctor()
            .arg("policies")
            .arg(path)
            .args(["--format", "json", "--jamf-connect-app", JAMF_CONNECT_APP])
            .args(extra),
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// `(finding id, subject, severity)` of a report, sorted.
fn found(report: &serde_json::Value) -> Vec<(String, String, String)> {
    let mut found: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_string(),
                f["subject"].as_str().unwrap_or("").to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn the_committed_fixtures_are_what_the_generator_makes() {
    if std::env::var_os("CA_DOCTOR_REGENERATE_FIXTURES").is_some() {
        for (name, bytes) in exports() {
            let path = fixtures().join(&name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
    }
    for (name, bytes) in exports() {
        let committed = std::fs::read(fixtures().join(&name)).unwrap_or_default();
        assert!(
            committed == bytes,
            "fixtures/entra/policies/{name} is stale: CA_DOCTOR_REGENERATE_FIXTURES=1 cargo test --test e2e policies::"
        );
    }
}

#[test]
fn each_finding_has_its_trigger_and_its_near_miss_in_both_shapes() {
    let expected: Vec<(String, String, String)> = [
        ("ignored-policies", "", "info"),
        (
            "jamf-connect-blocked-by-app-grant",
            "Approved client apps only",
            "critical",
        ),
        (
            "location-condition",
            "Block outside trusted locations",
            "warning",
        ),
        // An OR grant Jamf Connect can meet only one way: a compliant device.
        (
            "lockout-compliant-device",
            "Approved app or compliant device",
            "critical",
        ),
        (
            "lockout-compliant-device",
            "Require compliant Mac",
            "critical",
        ),
        ("mfa-policy-hits-ropg", "MFA (report-only)", "info"),
        ("mfa-policy-hits-ropg", "MFA for all cloud apps", "warning"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    for path in [fixtures().join("graph.json"), fixtures().join("powershell")] {
        let report = audit(&path, &[]);
        assert_eq!(found(&report), expected, "{}", path.display());
        assert_eq!(report["status"], "at-risk");
        let summary = &report["summary"];
        assert_eq!(summary["policies"], 12);
        assert_eq!(summary["enabled"], 10);
        assert_eq!(summary["report_only"], 1);
        assert_eq!(summary["disabled"], 1);
        let why = |name: &str| {
            summary["by_policy"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["name"] == name)
                .unwrap()["why_not"]
                .clone()
        };
        assert_eq!(
            why("MFA except Jamf Connect"),
            "excludes the Jamf Connect app"
        );
        assert_eq!(
            why("Require compliant Windows PC"),
            "does not apply to macOS"
        );
        assert_eq!(
            why("Block device code flow outside the office"),
            "restricted to device code flow or authentication transfer"
        );
        assert_eq!(
            why("Register security info from trusted locations"),
            "only user actions (register security info or devices)"
        );
        assert_eq!(why("MFA for all cloud apps"), serde_json::Value::Null);
    }
}

#[test]
fn without_the_jamf_connect_app_an_exclusion_cannot_be_seen() {
    let output = succeed(
        ca_doctor()
            .arg("policies")
            .arg(fixtures().join("graph.json"))
            .args(["--format", "json"]),
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // "MFA except Jamf Connect" excludes an app ca-doctor was not told is Jamf
    // Connect's: it then counts as reaching the sign-in.
    let subjects: Vec<String> = found(&report).into_iter().map(|f| f.1).collect();
    assert!(
        subjects.contains(&"MFA except Jamf Connect".to_string()),
        "{subjects:?}"
    );
}

#[test]
fn the_human_report_says_how_many_reach_the_sign_in() {
    let output = succeed(
        ca_doctor()
            .arg("policies")
            .arg(fixtures().join("powershell"))
            .args(["--jamf-connect-app", JAMF_CONNECT_APP]),
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("ca-doctor policies: AT-RISK\n12 policies read (10 enabled, 1 report-only, 1 disabled); 6 reach the Jamf Connect sign-in\n"),
        "{text}"
    );
    assert!(text.contains("about: Require compliant Mac"), "{text}");
}

#[test]
fn an_unreadable_export_is_named_and_the_rest_audited() {
    let work = tempfile::tempdir().unwrap();
    let broken = work.path().join("broken.json");
    std::fs::write(&broken, "{\"value\": [,]}").unwrap();
    let output = succeed(
        ca_doctor()
            .arg("policies")
            .arg(&broken)
            .arg(fixtures().join("graph.json"))
            .args(["--format", "json"]),
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let unreadable = finding(&report, "input-unreadable");
    assert!(
        unreadable["evidence"][0]["value"]
            .as_str()
            .unwrap()
            .contains("line 1 column"),
        "{unreadable}"
    );
    assert_eq!(report["summary"]["policies"], 12);
}

#[test]
fn sign_ins_and_policies_explain_each_other() {
    let signins = fixtures().join("../graph-beta.json");
    // The policy audit names the policies behind the MFA answers...
    let output = succeed(
        ca_doctor()
            .arg("signins")
            .arg(&signins)
            .arg("--policies")
            .arg(fixtures().join("graph.json"))
            .args(["--format", "json"]),
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mfa = finding(&report, "ropg-mfa-required");
    let explained = evidence_row(mfa, "explained by");
    assert_eq!(
        explained["items"],
        serde_json::json!([
            "MFA for all cloud apps (mfa-policy-hits-ropg)",
            "MFA (report-only) (mfa-policy-hits-ropg)"
        ])
    );
    // ...and the sign-ins tell the audit which app is Jamf Connect's.
    let output = succeed(
        ca_doctor()
            .arg("policies")
            .arg(fixtures().join("graph.json"))
            .arg("--signins")
            .arg(&signins)
            .args(["--format", "json"]),
    );
    let from_signins: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        found(&from_signins),
        found(&audit(&fixtures().join("graph.json"), &[]))
    );
}

#[test]
fn the_html_report_lists_each_policy_s_reach_on_one_page() {
    let output = succeed(
        ca_doctor()
            .arg("policies")
            .arg(fixtures().join("graph.json"))
            .args(["--format", "html", "--jamf-connect-app", JAMF_CONNECT_APP]),
    );
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<div class=\"status\">AT-RISK</div>"));
    assert!(page.contains("12 policies read from 1 export; 6 reach the Jamf Connect sign-in"));
    assert!(page.contains("does not reach it: excludes the Jamf Connect app"));
    assert!(page.contains("does not reach it: disabled"));
    assert!(page.contains("<code>lockout-compliant-device</code>"));
    assert!(page.contains("about: Require compliant Mac"));
    for external in [" src=", "<link", "href=\"http"] {
        assert!(!page.contains(external), "self-contained: {external}");
    }
}
