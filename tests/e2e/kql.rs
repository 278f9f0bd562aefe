//! `ca-doctor kql`: the queries it writes for a Log Analytics workspace,
//! checked by Microsoft's own Kusto parser against the sign-in tables'
//! schemas, values only ever inside escaped string literals.

use crate::support::{ca_doctor, succeed};
use std::path::Path;
use std::process::Command;

const NOW: &str = "2026-11-20T12:00:00-05:00";

/// What `kql` prints for `args`.
fn query(args: &[&str]) -> String {
    let output = succeed(ca_doctor().arg("kql").args(args).args(["--now", NOW]));
    String::from_utf8(output.stdout).unwrap()
}

/// Every kind of query `kql` writes, named.
fn every_query() -> Vec<(&'static str, String)> {
    vec![
        ("signins-all", query(&["signins", "--since", "30d"])),
        (
            "signins-filtered",
            query(&[
                "signins",
                "--upn",
                "jane@contoso.com",
                "--upn",
                "o'brien@contoso.com",
                "--app-id",
                "b03c10a8-71c7-45f9-b44a-3335ab76e970",
            ]),
        ),
        (
            "device",
            query(&[
                "device",
                "--device-id",
                "7C1E9A40-2D3B-4E5F-8A6B-7C8D9E0F1A2B",
                "--upn",
                "jane@contoso.com",
            ]),
        ),
        (
            "device-injected",
            query(&["device", "--upn", "x\" | take 1 // \\ \n| project secret"]),
        ),
        ("fleet", query(&["fleet", "--since", "30d"])),
        (
            "signins-control-characters",
            query(&["signins", "--upn", "a\u{7}b\u{1b}[31mc"]),
        ),
    ]
}

#[test]
fn values_stay_inside_their_literals_and_ids_must_be_guids() {
    let injected = query(&["device", "--upn", "x\" | take 1 //"]);
    assert!(
        injected.contains(r#"UserPrincipalName in~ ("x\" | take 1 //")"#),
        "{injected}"
    );
    assert_eq!(
        injected.lines().filter(|l| l.contains("take 1")).count(),
        1,
        "{injected}"
    );
    let output = ca_doctor()
        .args(["kql", "device", "--device-id", "7c1e9a40\" or 1==1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--device-id") && stderr.contains("not a GUID"),
        "{stderr}"
    );
    let output = ca_doctor().args(["kql", "device"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = ca_doctor()
        .args(["kql", "fleet", "--upn", "jane@contoso.com"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    // The span is the one asked, in UTC.
    let fleet = query(&["fleet", "--since", "30d"]);
    assert!(
        fleet.starts_with(
            "let start = datetime(2026-10-21T17:00:00Z);\nlet end = datetime(2026-11-20T17:00:00Z);"
        ),
        "{fleet}"
    );
}

#[test]
#[cfg_attr(
    missing_kusto_parser,
    ignore = "Microsoft's Kusto parser is not installed here (CI installs it with npm and runs this test)"
)]
fn every_query_passes_microsoft_s_kusto_parser() {
    let top = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (name, text) in every_query() {
        let path = work.path().join(format!("{name}.kql"));
        std::fs::write(&path, text).unwrap();
        files.push(path);
    }
    let check = |files: &[std::path::PathBuf]| {
        Command::new("node")
            .arg(top.join("scripts/check-kql.js"))
            .arg(top.join("fixtures/log-analytics"))
            .args(files)
            .output()
            .expect("node must be installed: .ci/run installs it")
    };
    // The check can fail: a column neither table has. One run for all
    // (the parser takes seconds to load).
    let wrong = work.path().join("wrong.kql");
    std::fs::write(&wrong, "SigninLogs | where DeviceIdentity == \"x\"").unwrap();
    files.push(wrong);
    let output = check(&files);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("7 queries checked, 1 errors"), "{stdout}");
    let errors: Vec<&str> = stdout.lines().filter(|l| l.contains(".kql:")).collect();
    assert_eq!(errors.len(), 1, "{stdout}");
    assert!(
        errors[0].contains("wrong.kql") && errors[0].contains("DeviceIdentity"),
        "{stdout}"
    );
}

/// The JSON report of `signins PATH`.
fn signins_json(path: &Path) -> serde_json::Value {
    let output = succeed(
        ca_doctor()
            .arg("signins")
            .arg(path)
            .args(["--format", "json"]),
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// `2026-11-19 08:00:00.000` as the Logs blade writes it: `11/19/2026, 8:00:00.000 AM`.
fn portal_time(iso: &str) -> String {
    let time = chrono::NaiveDateTime::parse_from_str(iso, "%Y-%m-%d %H:%M:%S%.3f").unwrap();
    time.format("%-m/%-d/%Y, %-I:%M:%S%.3f %p").to_string()
}

#[test]
fn the_logs_blade_s_csv_export_reads_like_any_sign_in_export() {
    let top = Path::new(env!("CARGO_MANIFEST_DIR"));
    let original = std::fs::read_to_string(top.join("fixtures/entra/SigninLogs.csv")).unwrap();
    let mut lines = original.lines();
    let mut portal = format!("{}\n", lines.next().unwrap());
    for line in lines {
        let (time, rest) = line.split_once(',').unwrap();
        portal.push_str(&format!("\"{}\",{rest}\n", portal_time(time)));
    }
    assert!(
        portal.contains("\"11/19/2026, 8:00:00.000 AM\""),
        "{portal}"
    );
    let work = tempfile::tempdir().unwrap();
    let exported = work.path().join("query_data.csv");
    std::fs::write(&exported, &portal).unwrap();
    let (from_portal, from_fixture) = (
        signins_json(&exported),
        signins_json(&top.join("fixtures/entra/SigninLogs.csv")),
    );
    assert_eq!(
        from_portal["summary"]["records"],
        from_fixture["summary"]["records"]
    );
    assert_eq!(
        from_portal["summary"]["outcomes"],
        from_fixture["summary"]["outcomes"]
    );
    assert_eq!(
        crate::support::status_and_ids(&from_portal),
        crate::support::status_and_ids(&from_fixture)
    );
    // Times included: the findings' evidence names them.
    assert_eq!(from_portal["findings"], from_fixture["findings"]);
    assert!(from_fixture["findings"].to_string().contains("2026-11-19"));
}

/// The records of a Log Analytics JSON export as the Logs Query API
/// answers them: one table, its columns, rows of cells; dynamic values as
/// JSON text, numbers and booleans as strings (as the API's own example).
fn as_query_answer(records: &[serde_json::Value]) -> String {
    let mut columns: Vec<String> = Vec::new();
    for record in records {
        for key in record.as_object().unwrap().keys() {
            if !columns.contains(key) {
                columns.push(key.clone());
            }
        }
    }
    let cell = |value: Option<&serde_json::Value>| match value {
        None | Some(serde_json::Value::Null) => serde_json::Value::Null,
        Some(serde_json::Value::String(text)) => serde_json::Value::String(text.clone()),
        Some(other @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) => {
            serde_json::Value::String(other.to_string())
        }
        Some(other) => serde_json::Value::String(other.to_string()),
    };
    let rows: Vec<serde_json::Value> = records
        .iter()
        .map(|record| columns.iter().map(|c| cell(record.get(c))).collect())
        .collect();
    serde_json::json!({"tables": [{
        "name": "PrimaryResult",
        "columns": columns.iter().map(|c| serde_json::json!({"name": c, "type": "string"})).collect::<Vec<_>>(),
        "rows": rows
    }]})
    .to_string()
}

#[test]
fn a_logs_query_api_answer_reads_like_the_export_of_the_same_records() {
    let top = Path::new(env!("CARGO_MANIFEST_DIR"));
    let export = top.join("fixtures/entra/SigninLogs.json");
    let records: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&export).unwrap()).unwrap();
    let work = tempfile::tempdir().unwrap();
    let answer = work.path().join("answer.json");
    std::fs::write(&answer, as_query_answer(&records)).unwrap();
    let (from_answer, from_export) = (signins_json(&answer), signins_json(&export));
    assert_eq!(from_answer["summary"]["records"], records.len());
    assert_eq!(
        from_answer["summary"]["outcomes"],
        from_export["summary"]["outcomes"]
    );
    assert_eq!(from_answer["findings"], from_export["findings"]);

    // In a --tenant folder it is told a sign-in export by its columns.
    let folder = work.path().join("tenant");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(&answer, folder.join("query-answer.json")).unwrap();
    let output = succeed(
        ca_doctor()
            .args(["signins", "--format", "json", "--tenant"])
            .arg(&folder),
    );
    let from_folder: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(from_folder["findings"], from_export["findings"]);

    // A partial result is read and said.
    let mut partial: serde_json::Value = serde_json::from_str(&as_query_answer(&records)).unwrap();
    partial["error"] = serde_json::json!({"code": "PartialError", "message": "There were some errors when processing your query."});
    std::fs::write(&answer, partial.to_string()).unwrap();
    let report = signins_json(&answer);
    assert_eq!(report["summary"]["records"], records.len());
    assert!(
        report["summary"]["files"]
            .to_string()
            .contains("partial result: PartialError"),
        "{}",
        report["summary"]["files"]
    );
}
