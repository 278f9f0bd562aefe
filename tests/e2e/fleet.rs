//! `ca-doctor fleet` through the binary: Jamf Pro's inventory as API pages,
//! as a computer search's CSV and fetched from a loopback Jamf Pro; every
//! shape of the extension attribute's value; the join with Entra's device
//! records; the history over three runs.

use crate::support::server::{Answer, start};
use crate::support::{ca_doctor, succeed};
use serde_json::Value;
use std::path::{Path, PathBuf};

const NOW: &str = "2026-11-20T12:00:00Z";

fn fleet_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/fleet")
        .join(name)
}

/// `ca-doctor fleet` of `inventory` with `args`.
fn fleet_command(args: &[&str], inventory: &Path) -> std::process::Command {
    let mut command = ca_doctor();
    command
        .arg("fleet")
        .args(args)
        .arg("--inventory")
        .arg(inventory)
        .env("CA_DOCTOR_CLIENT_SECRET", "graph-Secret-3");
    command
}

fn fleet(args: &[&str], inventory: &Path) -> std::process::Output {
    fleet_command(args, inventory).output().unwrap()
}

/// The JSON report of a run that must succeed.
fn fleet_json(args: &[&str], inventory: &Path) -> Value {
    let args = [args, &["--format", "json", "--now", NOW]].concat();
    serde_json::from_slice(&succeed(&mut fleet_command(&args, inventory)).stdout).unwrap()
}

/// Each Mac's name and status token.
fn statuses(report: &Value) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = report["macs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap().to_string(),
                m["ea"]["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    list.sort();
    list
}

#[test]
fn every_value_shape_counted_alike_from_api_pages_and_the_search_export() {
    let pages = fleet_json(&[], &fleet_fixture("inventory"));
    let search = fleet_json(&[], &fleet_fixture("search.csv"));
    assert_eq!(pages["ea_attribute"], "CA Doctor: status");
    assert_eq!(pages["last_success_attribute"], "CA Doctor: last success");
    assert_eq!(statuses(&pages), statuses(&search));
    let by_status = &pages["summary"]["by_status"];
    for (status, n) in [
        ("healthy", 2),
        ("deactivated", 1),
        ("at-risk", 1),
        ("not-compliant", 1),
        ("not-registered", 1),
        ("unknown", 1),
        ("not-installed", 1),
        ("no-value", 1),
    ] {
        assert_eq!(by_status[status], n, "{status}");
    }
    let dan = pages["macs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "Dan's iMac")
        .unwrap();
    assert_eq!(dan["ea"]["reason"], "timed out after 6 s");
    let bob = pages["macs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "Bob's MacBook")
        .unwrap();
    assert_eq!(bob["ea"]["causes"][0], "interactive-auth-failed");
    assert_eq!(bob["accounts"][0]["state"], "DEACTIVATED");
    assert_eq!(
        pages["macs"][0]["name"], "Bob's MacBook",
        "the most urgent first"
    );
    // Counted by cause, version and building.
    assert_eq!(pages["summary"]["by_cause"][0][1], 1);
    assert_eq!(pages["summary"]["by_macos"][0]["key"], "15.1");
    assert_eq!(pages["summary"]["by_macos"][0]["total"], 6);
    assert_eq!(
        pages["summary"]["by_macos"][0]["by_status"]["deactivated"],
        1
    );
    assert_eq!(
        pages["summary"]["by_macos"][0]["by_cause"]["interactive-auth-failed"],
        1
    );
    assert_eq!(pages["summary"]["by_jamf_version"][0]["key"], "11.22");
    assert_eq!(search["summary"]["by_building"][0]["key"], "HQ");
    // The attribute that did not run, and the Mac whose attribute says
    // healthy while Jamf Pro records its account deactivated.
    assert_eq!(
        pages["summary"]["ea_did_not_run"][0]["name"],
        "Frank's MacBook"
    );
    assert_eq!(
        pages["summary"]["disagreements"][0]["mac"]["name"],
        "Erin's MacBook"
    );
    assert_eq!(
        pages["summary"]["disagreements"][0]["jamf_says"],
        "DEACTIVATED"
    );
    assert_eq!(pages["summary"]["inventory_age"]["7-30-days"], Value::Null);
    assert_eq!(pages["summary"]["inventory_age"]["seven-to-thirty-days"], 1);

    // One screen, and one CSV row per Mac.
    let human =
        String::from_utf8(fleet(&["--now", NOW], &fleet_fixture("inventory")).stdout).unwrap();
    assert!(
        human.starts_with("ca-doctor fleet: 9 Macs · attribute \"CA Doctor: status\""),
        "{human}"
    );
    assert!(
        human.contains(
            "Disagree with Jamf Pro's record: 1: Erin's MacBook (healthy, Jamf Pro DEACTIVATED)"
        ),
        "{human}"
    );
    assert!(human.lines().count() <= 25, "one screen: {human}");
    let csv = String::from_utf8(
        fleet(
            &["--now", NOW, "--format", "csv"],
            &fleet_fixture("inventory"),
        )
        .stdout,
    )
    .unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 9);
    let carol = rows
        .iter()
        .find(|r| &r[1] == "Carol's MacBook Air")
        .unwrap();
    assert_eq!(
        (&carol[3], &carol[4]),
        ("at-risk", "appsso-not-appsso-url silent-auth-failed")
    );
    assert_eq!(
        &carol[13],
        "carol:ACTIVATED:7c1e9a40-2d3b-4e5f-8a6b-000000000103"
    );
}

#[test]
fn thousands_of_candidate_attributes_name_the_few_that_fit_best_and_count_the_rest() {
    let work = tempfile::tempdir().unwrap();
    let csv = work.path().join("search.csv");
    let attributes = 5_000;
    let mut text = String::from("Computer Name,Jamf Pro Computer ID");
    for n in 0..attributes {
        text.push_str(&format!(",Status copy {n}"));
    }
    text.push_str(",The best one\n");
    for mac in 0..3 {
        text.push_str(&format!("Mac {mac},{mac}"));
        for n in 0..attributes {
            // Each copy holds a value on one Mac only; the best on all.
            let value = if n % 3 == mac { "healthy" } else { "" };
            text.push_str(&format!(",{value}"));
        }
        text.push_str(",deactivated: silent-auth-failed\n");
    }
    std::fs::write(&csv, text).unwrap();
    let output = fleet(&["--now", NOW], &csv);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.len() < 400, "{} bytes: {stderr}", stderr.len());
    assert!(
        stderr.contains("several extension attributes hold ca-doctor's values: \"The best one\" (3 Macs), \"Status copy 0\" (1 Macs)"),
        "{stderr}"
    );
    assert!(
        stderr.contains(" and 4996 more; name one with --ea"),
        "{stderr}"
    );
}

#[test]
fn an_attribute_that_is_not_ca_doctor_s_ambiguity_and_a_named_one() {
    let work = tempfile::tempdir().unwrap();
    let csv = work.path().join("search.csv");
    std::fs::write(
        &csv,
        "Computer Name,Jamf Pro Computer ID,Battery health,CA status (old),CA Doctor: status\n\
         A,1,Normal,healthy,at-risk: token-cache-corrupt\n\
         B,2,Service,deactivated,healthy\n",
    )
    .unwrap();
    let output = fleet(&["--now", NOW], &csv);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("several extension attributes hold ca-doctor's values: \"CA status (old)\" (2 Macs), \"CA Doctor: status\" (2 Macs); name one with --ea"),
        "{stderr}"
    );
    let named = fleet_json(&["--ea", "CA Doctor: status"], &csv);
    assert_eq!(named["summary"]["by_status"]["at-risk"], 1);
    // Another attribute named: its values are not ca-doctor's.
    let other = fleet_json(&["--ea", "battery health"], &csv);
    assert_eq!(other["summary"]["by_status"]["unrecognised"], 2);
    assert_eq!(other["macs"][0]["ea_text"], "Normal");
    let output = fleet(&["--ea", "Nope"], &csv);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("--ea Nope: no computer of the inventory has this extension attribute")
    );
    // No attribute of ca-doctor's: every Mac without a value, and a note.
    std::fs::write(
        &csv,
        "Computer Name,Jamf Pro Computer ID,Battery health\nA,1,Normal\n",
    )
    .unwrap();
    let none = fleet_json(&[], &csv);
    assert_eq!(none["ea_attribute"], Value::Null);
    assert_eq!(none["summary"]["by_status"]["no-value"], 1);
    assert!(none["notes"][0].as_str().unwrap().contains("--ea"));
}

#[test]
fn the_device_chain_across_the_fleet_and_entra_s_orphans() {
    let report = fleet_json(
        &["--tenant", fleet_fixture("tenant").to_str().unwrap()],
        &fleet_fixture("inventory"),
    );
    let chain = &report["summary"]["chain"];
    let names = |issue: &str| -> Vec<String> {
        chain[issue]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names("device-record-missing"), ["Dan's iMac"]);
    assert_eq!(names("device-soft-deleted"), Vec::<String>::new());
    assert_eq!(names("device-disabled"), ["Erin's MacBook"]);
    assert_eq!(
        names("device-not-compliant"),
        ["Bob's MacBook", "Grace's MacBook"]
    );
    assert_eq!(names("duplicate-device-records"), ["Alice's MacBook"]);
    // The chain's other detectors are listed too, with no Mac.
    assert_eq!(names("device-id-mismatch"), Vec::<String>::new());
    let orphans: Vec<&str> = report["orphans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["display_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        orphans,
        ["Alice's MacBook", "Old Loaner Mac"],
        "Macs only, newest sign-in first"
    );
}

#[test]
fn the_inventory_pages_of_a_tenant_folder_are_read_without_inventory() {
    let with_inventory = fleet_json(
        &["--tenant", fleet_fixture("tenant").to_str().unwrap()],
        &fleet_fixture("inventory"),
    );
    let tenant_only = ca_doctor()
        .args(["fleet", "--format", "json", "--now", NOW, "--tenant"])
        .arg(fleet_fixture("inventory"))
        .arg("--tenant")
        .arg(fleet_fixture("tenant"))
        .output()
        .unwrap();
    assert!(tenant_only.status.success(), "{tenant_only:?}");
    let tenant_only: Value = serde_json::from_slice(&tenant_only.stdout).unwrap();
    assert_eq!(tenant_only["summary"]["total"], 9);
    assert_eq!(statuses(&tenant_only), statuses(&with_inventory));
    assert_eq!(
        tenant_only["summary"]["chain"],
        with_inventory["summary"]["chain"]
    );
    // Neither --inventory nor inventory pages nor Jamf Pro: a usage error.
    let nothing = ca_doctor()
        .args(["fleet", "--tenant"])
        .arg(fleet_fixture("tenant"))
        .output()
        .unwrap();
    assert_eq!(nothing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&nothing.stderr).contains("fleet needs Jamf Pro's inventory"));
}

#[test]
fn live_from_a_loopback_jamf_pro_page_by_page_with_compliance() {
    let page = |name: &str| std::fs::read_to_string(fleet_fixture("inventory").join(name)).unwrap();
    let mut routes = vec![
        (
            ("POST", "/api/oauth/token".to_string()),
            vec![Answer::ok(
                r#"{"access_token":"jamf-token","token_type":"Bearer","expires_in":1200}"#,
            )],
        ),
        (
            ("GET", "/api/v4/computers-inventory".to_string()),
            vec![
                Answer::ok(
                    page("computers-inventory-0001.json")
                        .replace("\"totalCount\": 9", "\"totalCount\": 501"),
                ),
                Answer::ok(
                    page("computers-inventory-0002.json")
                        .replace("\"totalCount\": 9", "\"totalCount\": 501"),
                ),
            ],
        ),
    ];
    for (what, names) in [
        (
            "buildings",
            r#"[{"id":"1","name":"HQ"},{"id":"2","name":"Lab"}]"#,
        ),
        ("departments", "[]"),
    ] {
        routes.push((
            ("GET", format!("/api/v1/{what}")),
            vec![Answer::ok(format!(
                r#"{{"totalCount":2,"results":{names}}}"#
            ))],
        ));
    }
    for id in 101..=109 {
        let state = if id == 102 {
            "NON_COMPLIANT"
        } else {
            "COMPLIANT"
        };
        routes.push((
            ("GET", format!("/api/v1/conditional-access/device-compliance-information/computer/{id}")),
            vec![Answer::ok(format!(
                r#"[{{"deviceId":"{id}","applicable":true,"complianceState":"{state}","complianceVendor":"Intune","complianceVendorDeviceInformation":{{"deviceIds":[]}}}}]"#
            ))],
        ));
    }
    let server = start(routes);
    let output = ca_doctor()
        .args(["fleet", "--compliance", "--format", "json", "--now", NOW])
        .args(["--jamf-url", &server.base, "--jamf-client-id", "reader"])
        .env("CA_DOCTOR_JAMF_CLIENT_SECRET", "jamf-Secret-9")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let live: Value = serde_json::from_slice(&output.stdout).unwrap();
    let offline = fleet_json(&[], &fleet_fixture("inventory"));
    assert_eq!(statuses(&live), statuses(&offline));
    assert_eq!(
        live["summary"]["by_status"],
        offline["summary"]["by_status"]
    );
    let bob = live["macs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "Bob's MacBook")
        .unwrap();
    assert_eq!(bob["compliance"], "NON_COMPLIANT");
    // Buildings by the names Jamf Pro gives their IDs, as in a search export.
    assert_eq!(bob["building"], "HQ");
    let search = fleet_json(&[], &fleet_fixture("search.csv"));
    assert_eq!(
        live["summary"]["by_building"],
        search["summary"]["by_building"]
    );
    let seen = server.seen.lock().unwrap().clone();
    assert!(
        seen.iter()
            .any(|r| r.starts_with("GET /api/v4/computers-inventory?") && r.contains("page=1&"))
    );
    assert_eq!(
        seen.iter().filter(|r| r.contains("/computer/")).count(),
        9,
        "one request per computer"
    );
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains("jamf-Secret-9")
            && !stderr.contains("jamf-Secret-9")
    );
    // Without an inventory or a Jamf Pro server: a usage error.
    let output = ca_doctor().args(["fleet"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--inventory PATH, or --jamf-url"));
}

#[test]
fn the_history_over_three_runs_says_what_changed_and_draws_the_trend() {
    let work = tempfile::tempdir().unwrap();
    let history = work.path().join("history");
    let inventory = work.path().join("inventory");
    std::fs::create_dir(&inventory).unwrap();
    let copy = |edit: &dyn Fn(String) -> String| {
        for name in [
            "computers-inventory-0001.json",
            "computers-inventory-0002.json",
        ] {
            let text = std::fs::read_to_string(fleet_fixture("inventory").join(name)).unwrap();
            std::fs::write(inventory.join(name), edit(text)).unwrap();
        }
    };
    let run = |now: &str| -> Value {
        let args = [
            "--format",
            "json",
            "--now",
            now,
            "--history",
            history.to_str().unwrap(),
        ];
        serde_json::from_slice(&succeed(&mut fleet_command(&args, &inventory)).stdout).unwrap()
    };
    copy(&|t| t);
    let first = run("2026-11-18T12:00:00Z");
    assert_eq!(first["summary"]["history"]["previous"], Value::Null);
    // Day two: Alice and Erin (the first healthy Mac of each page)
    // deactivated; Bob recovered.
    copy(&|t| {
        t.replacen("\"healthy\"", "\"deactivated: silent-auth-failed\"", 1)
            .replace(
                "\"deactivated: interactive-auth-failed, silent-auth-failed\"",
                "\"healthy\"",
            )
    });
    let second = run("2026-11-19T12:00:00Z");
    let history_view = &second["summary"]["history"];
    assert_eq!(history_view["previous"], "2026-11-18T12:00:00Z");
    let newly: Vec<&str> = history_view["newly_deactivated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(newly, ["Alice's MacBook", "Erin's MacBook"]);
    assert_eq!(history_view["recovered"][0]["name"], "Bob's MacBook");
    // Day three: nothing changes.
    let third = run("2026-11-20T12:00:00Z");
    let view = &third["summary"]["history"];
    assert_eq!(view["newly_deactivated"].as_array().unwrap().len(), 0);
    assert_eq!(view["recovered"].as_array().unwrap().len(), 0);
    let trend: Vec<u64> = view["trend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["counts"]["deactivated"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(trend, [1, 2, 2]);
    let healthy: Vec<u64> = view["trend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["counts"]["healthy"].as_u64().unwrap())
        .collect();
    assert_eq!(healthy, [2, 1, 1]);
    let files: Vec<String> = std::fs::read_dir(&history)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 3, "{files:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let file = history.join("fleet-20261120T120000Z.json");
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let human = String::from_utf8(
        succeed(
            ca_doctor()
                .args(["fleet", "--now", "2026-11-21T12:00:00Z", "--history"])
                .arg(&history)
                .arg("--inventory")
                .arg(&inventory),
        )
        .stdout,
    )
    .unwrap();
    assert!(
        human.contains("Since 2026-11-20 12:00: newly deactivated 0; recovered 0"),
        "{human}"
    );
    assert!(
        human.contains("Trend of deactivated Macs: 1 → 2 → 2 → 2"),
        "{human}"
    );
}

#[test]
fn entra_s_device_records_fetched_live_give_the_chain_the_export_gives() {
    let devices =
        std::fs::read_to_string(fleet_fixture("tenant").join("entra-devices.json")).unwrap();
    let server = start(vec![
        (
            (
                "POST",
                "/contoso.onmicrosoft.com/oauth2/v2.0/token".to_string(),
            ),
            vec![Answer::ok(
                r#"{"token_type":"Bearer","expires_in":3599,"access_token":"graph-token"}"#,
            )],
        ),
        (
            ("GET", "/v1.0/devices".to_string()),
            vec![Answer::ok(devices)],
        ),
    ]);
    let live = fleet_json(
        &[
            "--fetch",
            "--tenant-id",
            "contoso.onmicrosoft.com",
            "--client-id",
            "c0ffee00-1111-4222-8333-444455556666",
            "--login-url",
            &server.base,
            "--graph-url",
            &server.base,
        ],
        &fleet_fixture("inventory"),
    );
    let offline = fleet_json(
        &["--tenant", fleet_fixture("tenant").to_str().unwrap()],
        &fleet_fixture("inventory"),
    );
    assert_eq!(live["summary"]["chain"], offline["summary"]["chain"]);
    assert_eq!(live["orphans"], offline["orphans"]);
    let seen = server.seen.lock().unwrap().clone();
    let asked = seen
        .iter()
        .find(|r| r.starts_with("GET /v1.0/devices"))
        .unwrap();
    assert!(!asked.contains("$filter"), "every device record: {asked}");
}

#[test]
fn an_inventory_that_cannot_be_read_is_one_line_naming_it() {
    let work = tempfile::tempdir().unwrap();
    let empty = work.path().join("empty.json");
    std::fs::write(&empty, "").unwrap();
    let noise = work.path().join("noise.bin");
    std::fs::write(&noise, [0x9c_u8, 0x80, 0x01, 0xff, 0x00].repeat(500)).unwrap();
    let missing = work.path().join("missing.csv");
    for (path, says) in [
        (&empty, "not a Jamf Pro computer search export"),
        (&noise, "not a CSV file"),
        (&missing, "No such file"),
    ] {
        let output = fleet(&[], path);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with(&format!("ca-doctor: error: --inventory {}", path.display()))
                && stderr.contains(says),
            "{stderr}"
        );
    }
    let output = fleet(
        &["--history", empty.to_str().unwrap()],
        &fleet_fixture("search.csv"),
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--history"));
}

#[test]
fn no_cell_of_the_fleet_s_csv_is_a_formula() {
    let work = tempfile::tempdir().unwrap();
    let search = work.path().join("search.csv");
    std::fs::write(
        &search,
        "Computer Name,Jamf Pro Computer ID,Serial Number,Building,Department,CA Doctor: status\n\
         \"=HYPERLINK(\"\"http://x.invalid\"\",\"\"open\"\")\",1,+1+1,@SUM(A1),-2+3,unknown: =1+1\n\
         \"\t=1\",2,\"\r=cmd|' /C calc'!A0\",HQ,Sales,healthy\n\
         Jane's MacBook,3,C02AAA000103,HQ,-,at-risk: silent-auth-failed\n\
         Émilie's MacBook,4,C02AAA000104,Zürich,Ventes,healthy\n",
    )
    .unwrap();
    let output = succeed(&mut fleet_command(
        &["--now", NOW, "--format", "csv"],
        &search,
    ));
    let mut reader = csv::Reader::from_reader(&output.stdout[..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 4);
    assert!(
        rows.iter().any(|r| &r[1] == "Émilie's MacBook"),
        "a name that starts with a letter beyond ASCII is kept as it is"
    );
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} in {row:?}"
            );
        }
    }
    let first = rows.iter().find(|r| &r[0] == "1").unwrap();
    assert_eq!(&first[1], "'=HYPERLINK(\"http://x.invalid\",\"open\")");
    assert_eq!(&first[2], "'+1+1");
    assert_eq!(&first[5], "'=1+1", "the EA's reason");
    assert_eq!(&first[9], "'@SUM(A1)");
    assert_eq!(&first[10], "'-2+3");
    // Near miss: ordinary values as they are.
    let jane = rows.iter().find(|r| &r[0] == "3").unwrap();
    assert_eq!(
        (&jane[1], &jane[2], &jane[3], &jane[9]),
        ("Jane's MacBook", "C02AAA000103", "at-risk", "HQ")
    );
}

#[test]
fn a_mac_whose_entra_record_was_soft_deleted_is_named_so() {
    let work = tempfile::tempdir().unwrap();
    let tenant = work.path().join("tenant");
    std::fs::create_dir(&tenant).unwrap();
    std::fs::copy(
        fleet_fixture("tenant").join("entra-devices.json"),
        tenant.join("entra-devices.json"),
    )
    .unwrap();
    // Dan's iMac's device ID, among Entra's deleted devices.
    std::fs::write(
        tenant.join("deleted.json"),
        serde_json::json!({"value": [{
            "id": "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b",
            "deletedDateTime": "2026-11-18T10:00:00Z",
            "deviceId": "7c1e9a40-2d3b-4e5f-8a6b-000000000104",
            "displayName": "Dan's iMac",
            "operatingSystem": "MacMDM"
        }]})
        .to_string(),
    )
    .unwrap();
    let report = fleet_json(
        &["--tenant", tenant.to_str().unwrap()],
        &fleet_fixture("inventory"),
    );
    let chain = &report["summary"]["chain"];
    assert_eq!(
        chain["device-soft-deleted"][0]["name"], "Dan's iMac",
        "{chain}"
    );
    assert_eq!(
        chain["device-record-missing"],
        serde_json::json!([]),
        "{chain}"
    );
}
