//! End-to-end: the built binary on every fixture scenario, in every log
//! style, reaches the scenario's status, findings and primary cause, through
//! both `check --format json` and `ea`.

use crate::support::fixtures::{NOW, STYLES, USER, scenarios};
use crate::support::{ca_doctor, check_json, fixture};
use std::path::Path;

#[test]
fn check_json_matches_every_scenario_in_every_style() {
    let mut failures = Vec::new();
    for scenario in scenarios() {
        let dir = fixture(scenario.name);
        for style in STYLES {
            let output = ca_doctor()
                .arg("check")
                .arg("--root")
                .arg(dir.join("root"))
                .args(["--user", USER, "--log"])
                .arg(dir.join(style))
                .args(["--now", NOW, "--format", "json"])
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "{} {style}: {}",
                scenario.name,
                String::from_utf8_lossy(&output.stderr)
            );
            let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
            let mut ids: Vec<&str> = report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["id"].as_str().unwrap())
                .collect();
            ids.sort();
            let got = (
                report["status"].as_str().unwrap(),
                ids.clone(),
                report["primary_cause"].as_str(),
            );
            let want = (
                scenario.status,
                scenario.findings.clone(),
                scenario.primary_cause,
            );
            if got != want {
                failures.push(format!(
                    "{} {style}: got {got:?}, want {want:?}",
                    scenario.name
                ));
            }
            assert_eq!(report["schema_version"], 1);
            assert!(
                report["facts"]["entries_read"].as_u64().unwrap() > 0,
                "{} {style}",
                scenario.name
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn run_json(dir: &Path, log: &str) -> serde_json::Value {
    check_json(dir, &dir.join(log))
}

#[test]
fn ea_names_the_status_then_the_problems() {
    for scenario in scenarios() {
        let dir = fixture(scenario.name);
        let output = ca_doctor()
            .arg("ea")
            .arg("--root")
            .arg(dir.join("root"))
            .args(["--user", USER, "--log"])
            .arg(dir.join("log.ndjson"))
            .args(["--now", NOW])
            .output()
            .unwrap();
        assert!(output.status.success());
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert_eq!(stdout.matches("<result>").count(), 1, "{stdout}");
        let value = stdout
            .trim()
            .strip_prefix("<result>")
            .unwrap()
            .strip_suffix("</result>")
            .unwrap();
        let (status, ids) = value.split_once(": ").unwrap_or((value, ""));
        assert_eq!(status, scenario.status, "{}: {value}", scenario.name);
        let mut listed: Vec<&str> = ids.split(", ").filter(|s| !s.is_empty()).collect();
        listed.sort();
        let report = run_json(&dir, "log.ndjson");
        let mut problems: Vec<&str> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] != "info" && f["id"] != scenario.status)
            .map(|f| f["id"].as_str().unwrap())
            .collect();
        problems.sort();
        assert_eq!(listed, problems, "{}: {value}", scenario.name);
        if let Some(cause) = scenario.primary_cause.filter(|c| *c != scenario.status) {
            assert!(
                ids.starts_with(cause),
                "{}: primary cause first in {value}",
                scenario.name
            );
        }
    }
}

#[test]
fn ea_last_success_field() {
    let dir = fixture("healthy");
    let output = ca_doctor()
        .arg("ea")
        .arg("--root")
        .arg(dir.join("root"))
        .args(["--user", USER, "--log"])
        .arg(dir.join("log.compact.txt"))
        .args(["--now", NOW, "--field", "last-success"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "<result>2026-11-20 10:00:00</result>\n"
    );
    let empty = tempfile::tempdir().unwrap();
    let empty_log = empty.path().join("empty.log");
    std::fs::write(&empty_log, "").unwrap();
    let none = ca_doctor()
        .arg("ea")
        .arg("--root")
        .arg(empty.path())
        .args([
            "--user",
            USER,
            "--now",
            NOW,
            "--field",
            "last-success",
            "--log",
        ])
        .arg(&empty_log)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(none.stdout).unwrap(),
        "<result></result>\n"
    );
}

#[test]
fn several_logs_in_different_styles_add_up() {
    let dir = fixture("mixed-deactivated");
    let output = ca_doctor()
        .arg("check")
        .arg("--root")
        .arg(dir.join("root"))
        .args(["--user", USER, "--log"])
        .arg(dir.join("log.json"))
        .arg("--log")
        .arg(dir.join("log.syslog.txt"))
        .args(["--now", NOW, "--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        report["facts"]["log_styles"],
        serde_json::json!(["json", "syslog"])
    );
    assert_eq!(report["status"], "deactivated");
}

#[test]
fn msal_s_other_error_form_and_the_invalid_grant_suberror_are_read() {
    let dir = crate::support::fixture("msal-error-forms");
    let report = crate::support::check_json(&dir, &dir.join("log.ndjson"));
    let silent = crate::support::finding(&report, "silent-auth-failed");
    assert_eq!(
        crate::support::evidence_row(silent, "errors")["items"][0],
        "MSALErrorDomain -50002: 1 (last 2026-11-18 09:00:01)"
    );
    let invalid = crate::support::finding(&report, "invalid-grant");
    assert_eq!(
        crate::support::evidence_row(invalid, "correlation IDs")["items"][0],
        "2026-11-18 09:00:00  5C1E2A7B-0D9F-4E3A-8B6C-1F2E3D4C5B6A  (error code -51412, suberror basic_action)"
    );
}

#[test]
fn the_lines_of_one_refused_appsso_request_count_once_in_every_style() {
    let dir = crate::support::fixture("appsso-nested");
    for style in crate::support::fixtures::STYLES {
        let report = crate::support::check_json(&dir, &dir.join(style));
        let appsso = crate::support::finding(&report, "appsso-not-appsso-url");
        assert_eq!(appsso["evidence"][0]["count"], 2, "{style}: {appsso}");
    }
}
