//! Inputs of the wrong kind and keys nothing names, through the binary: a
//! tenant export given where a log, a sign-in export, a policy export or an
//! inventory belongs is a one-line error that says what it is and what
//! reads it; a device ID no record names is `unknown`, with the IDs one or
//! two characters off; a `--tenant` folder's other files are named.

use crate::support::fixtures::{NOW, USER};
use crate::support::{ca_doctor, fixture, succeed};
use std::path::{Path, PathBuf};

fn entra(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/entra")
        .join(name)
}

fn chain(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/device-chain/tenant")
        .join(name)
}

/// Runs ca-doctor with `args`: its exit code and standard error.
fn refused(args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
    let output = ca_doctor().args(args).output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn an_export_of_another_kind_is_one_line_saying_what_it_is_and_what_reads_it() {
    let sign_ins_csv = entra("SigninLogs.csv");
    let sign_ins_json = entra("SigninLogs.json");
    let devices = chain("entra-devices.json");
    let root = fixture("healthy").join("root");
    let cases: Vec<(Vec<&std::ffi::OsStr>, String, &str)> = vec![
        (
            vec![
                "check".as_ref(),
                "--root".as_ref(),
                root.as_os_str(),
                "--user".as_ref(),
                USER.as_ref(),
                "--log".as_ref(),
                sign_ins_csv.as_os_str(),
            ],
            format!(
                "--log {}: this is an Entra sign-ins export, not a macOS unified log",
                sign_ins_csv.display()
            ),
            "`ca-doctor signins FILE`",
        ),
        (
            vec![
                "analyze".as_ref(),
                sign_ins_csv.as_os_str(),
                "--now".as_ref(),
                NOW.as_ref(),
            ],
            "this is an Entra sign-ins export, not a macOS unified log".to_string(),
            "`ca-doctor signins FILE`",
        ),
        (
            vec![
                "fleet".as_ref(),
                "--inventory".as_ref(),
                devices.as_os_str(),
            ],
            format!(
                "--inventory {}: this is an Entra devices export, not a Jamf Pro inventory",
                devices.display()
            ),
            "`--tenant` of check, analyze, device and fleet",
        ),
        (
            vec![
                "fleet".as_ref(),
                "--inventory".as_ref(),
                sign_ins_json.as_os_str(),
            ],
            "this is an Entra sign-ins export, not a Jamf Pro inventory".to_string(),
            "`ca-doctor signins FILE`",
        ),
        (
            vec!["signins".as_ref(), devices.as_os_str()],
            format!(
                "{}: this is an Entra devices export, not an Entra sign-ins export",
                devices.display()
            ),
            "`--tenant` of",
        ),
        (
            vec!["policies".as_ref(), sign_ins_json.as_os_str()],
            "this is an Entra sign-ins export, not a Conditional Access policy export".to_string(),
            "`ca-doctor signins FILE`",
        ),
        (
            vec![
                "check".as_ref(),
                "--root".as_ref(),
                root.as_os_str(),
                "--user".as_ref(),
                USER.as_ref(),
                "--log".as_ref(),
                fixture("healthy")
                    .join("log.ndjson")
                    .into_os_string()
                    .leak(),
                "--now".as_ref(),
                NOW.as_ref(),
                "--policies".as_ref(),
                devices.as_os_str(),
            ],
            "this is an Entra devices export, not a Conditional Access policy export".to_string(),
            "`--tenant`",
        ),
    ];
    for (args, says, reader) in cases {
        let (code, stderr) = refused(&args);
        assert_eq!(code, Some(1), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("ca-doctor: error: ")
                && stderr.contains(&says)
                && stderr.contains(reader),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn the_right_kind_still_reads_the_near_miss() {
    // A real log, sign-ins to `signins`, policies to `policies`, the
    // inventory to `fleet`: read as before.
    let root = fixture("healthy").join("root");
    let output = succeed(
        ca_doctor()
            .args(["check", "--user", USER, "--now", NOW, "--format", "json"])
            .arg("--root")
            .arg(&root)
            .arg("--log")
            .arg(fixture("healthy").join("log.ndjson"))
            .arg("--signins")
            .arg(entra("SigninLogs.csv")),
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["status"], "healthy");
    succeed(ca_doctor().arg("signins").arg(entra("SigninLogs.csv")));
    succeed(
        ca_doctor()
            .arg("policies")
            .arg(entra("policies/graph.json")),
    );
    succeed(
        ca_doctor()
            .args(["fleet", "--now", NOW])
            .arg("--inventory")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fleet/search.csv")),
    );
}

/// `device` with `query` (a flag and its value) over the exports in
/// `tenant`: its JSON report.
fn device_json(query: [&str; 2], tenant: &Path) -> serde_json::Value {
    let output = succeed(
        ca_doctor()
            .arg("device")
            .args(query)
            .args(["--now", NOW, "--format", "json", "--tenant"])
            .arg(tenant),
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The device-chain fixture's exports with a notes file beside them.
fn tenant_with_notes() -> tempfile::TempDir {
    let work = tempfile::tempdir().unwrap();
    for name in [
        "entra-devices.json",
        "intune-managed-devices.json",
        "jamf-inventory.json",
        "signins.json",
    ] {
        std::fs::copy(chain(name), work.path().join(name)).unwrap();
    }
    std::fs::write(work.path().join("notes.txt"), "what I exported, and when\n").unwrap();
    work
}

#[test]
fn a_device_id_no_record_names_is_unknown_with_the_ids_a_character_or_two_off() {
    let tenant = tenant_with_notes();
    // The Entra object's ID with its last character mistyped.
    let mistyped = "7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2c";
    let report = device_json(["--device-id", mistyped], tenant.path());
    assert_eq!(report["status"], "unknown", "{report}");
    assert_eq!(report["findings"].as_array().unwrap().len(), 0, "{report}");
    let said = report["summary"]["not_found"].as_str().unwrap();
    assert!(
        said.starts_with(&format!("no record has device ID {mistyped}: check the ID")),
        "{said}"
    );
    assert!(
        said.contains("7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b"),
        "{said}"
    );
    let human = succeed(
        ca_doctor()
            .args(["device", "--device-id", mistyped, "--now", NOW, "--tenant"])
            .arg(tenant.path()),
    );
    let human = String::from_utf8(human.stdout).unwrap();
    assert!(human.starts_with("ca-doctor device: UNKNOWN\n"), "{human}");
    assert!(!human.contains("Register the Mac again"), "{human}");
    // Far from every ID read: no suggestion.
    let far = "11111111-2222-4333-8444-555555555555";
    let report = device_json(["--device-id", far], tenant.path());
    assert_eq!(report["status"], "unknown");
    assert_eq!(
        report["summary"]["not_found"],
        format!("no record has device ID {far}: check the ID")
    );
    // The near miss: the right ID is judged as before.
    let report = device_json(
        ["--device-id", "7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b"],
        tenant.path(),
    );
    assert_ne!(report["status"], "unknown");
    assert!(report["summary"]["chain"].is_object());
}

#[test]
fn a_tenant_folder_s_other_files_are_named_among_the_inputs() {
    let tenant = tenant_with_notes();
    let notes = tenant.path().join("notes.txt").display().to_string();
    for args in [
        vec![
            "device",
            "--device-id",
            "7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b",
            "--now",
            NOW,
        ],
        vec!["signins"],
        vec!["policies"],
    ] {
        let output = succeed(
            ca_doctor()
                .args(&args)
                .args(["--format", "json", "--tenant"])
                .arg(tenant.path()),
        );
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let inputs = report["summary"]["inputs"]
            .as_array()
            .or(report["summary"]["files"].as_array())
            .unwrap_or_else(|| panic!("{args:?}: {report}"));
        let skipped = inputs
            .iter()
            .find(|i| i["path"] == notes.as_str())
            .unwrap_or_else(|| panic!("{args:?}: {inputs:?}"));
        assert_eq!(skipped["state"], "skipped");
        let human = succeed(ca_doctor().args(&args).arg("--tenant").arg(tenant.path()));
        let human = String::from_utf8(human.stdout).unwrap();
        let head: Vec<&str> = human.lines().take(5).collect();
        assert!(
            head.iter()
                .any(|l| l.starts_with("left aside: ") && l.contains(&notes)),
            "{args:?}: {human}"
        );
    }
    // A folder of exports alone names nothing left aside.
    let output = succeed(
        ca_doctor()
            .args(["signins", "--tenant"])
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/device-chain/tenant")),
    );
    assert!(
        !String::from_utf8(output.stdout)
            .unwrap()
            .contains("left aside")
    );
    let output = succeed(
        ca_doctor()
            .args(["fleet", "--now", NOW, "--format", "json", "--inventory"])
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fleet/inventory"))
            .arg("--tenant")
            .arg(tenant.path()),
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        report["notes"].as_array().unwrap().iter().any(|n| n
            .as_str()
            .unwrap()
            .starts_with(&format!("{notes}: skipped: "))),
        "{}",
        report["notes"]
    );
}

/// `check` of the appsso-not-appsso-url fixture's Mac with `log`: its
/// JSON report and its screen.
fn check_with_log(log: &Path) -> (serde_json::Value, String) {
    let root = fixture("appsso-not-appsso-url").join("root");
    let run = |format: &str| {
        let output = succeed(
            ca_doctor()
                .args(["check", "--user", USER, "--now", NOW, "--format", format])
                .arg("--root")
                .arg(&root)
                .arg("--log")
                .arg(log),
        );
        String::from_utf8(output.stdout).unwrap()
    };
    (serde_json::from_str(&run("json")).unwrap(), run("human"))
}

#[test]
fn a_log_in_utf16_or_gzipped_reads_as_the_log_and_an_empty_one_says_so_first() {
    use std::io::Write;
    let text =
        std::fs::read_to_string(fixture("appsso-not-appsso-url").join("log.default.txt")).unwrap();
    let work = tempfile::tempdir().unwrap();
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gzip.write_all(text.as_bytes()).unwrap();
    let forms: Vec<(&str, Vec<u8>)> = vec![
        ("utf8.log", text.clone().into_bytes()),
        (
            "utf16-bom.log",
            [0xff, 0xfe].into_iter().chain(le.iter().copied()).collect(),
        ),
        ("utf16-no-bom.log", le),
        ("utf16be.log", be),
        ("log.txt.gz", gzip.finish().unwrap()),
    ];
    for (name, bytes) in forms {
        let path = work.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let (report, human) = check_with_log(&path);
        assert_eq!(
            report["primary_cause"], "appsso-not-appsso-url",
            "{name}: {human}"
        );
        assert!(
            human.starts_with("ca-doctor: AT-RISK (primary cause: appsso-not-appsso-url)\n"),
            "{name}: {human}"
        );
    }
    let empty = work.path().join("empty.log");
    std::fs::write(&empty, "").unwrap();
    let (report, human) = check_with_log(&empty);
    assert_eq!(report["status"], "unknown", "{human}");
    assert!(report["primary_cause"].is_null(), "{report}");
    let head: Vec<&str> = human.lines().take(5).collect();
    assert!(
        head.iter().any(|line| line.contains("no log entry")),
        "{human}"
    );
    assert!(
        human.contains(&format!("{} (empty)", empty.display())),
        "{human}"
    );
    assert!(!human.contains("Do this first"), "{human}");
}

/// A sign-in of jane's refused for the device state, from a device that
/// presented no device ID, on `os` with `browser`.
fn refused_sign_in(os: &str, browser: &str, time: &str) -> serde_json::Value {
    serde_json::json!({
        "id": format!("s-{os}-{time}"),
        "createdDateTime": time,
        "userPrincipalName": "jane@contoso.com",
        "appId": "00000003-0000-0ff1-ce00-000000000000",
        "appDisplayName": "Office 365 SharePoint Online",
        "correlationId": "c0000000-0000-4000-8000-000000000001",
        "status": {"errorCode": 530003, "failureReason": "Your device is required to be managed to access this resource."},
        "deviceDetail": {"deviceId": "", "displayName": "", "operatingSystem": os, "browser": browser, "isCompliant": false, "isManaged": false, "trustType": ""}
    })
}

#[test]
fn the_user_s_windows_pc_and_iphone_are_never_the_mac_s_evidence() {
    let work = tempfile::tempdir().unwrap();
    for name in [
        "entra-devices.json",
        "intune-managed-devices.json",
        "jamf-inventory.json",
    ] {
        std::fs::copy(chain(name), work.path().join(name)).unwrap();
    }
    // The Mac signed in fine; her Windows PC and her iPhone were refused.
    let mac_ok: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(chain("signins.json")).unwrap()).unwrap();
    let mac_ok = mac_ok["value"][2].clone();
    let write = |others: Vec<serde_json::Value>| {
        let mut value = vec![mac_ok.clone()];
        value.extend(others);
        std::fs::write(
            work.path().join("signins.json"),
            serde_json::json!({"value": value}).to_string(),
        )
        .unwrap();
    };
    let not_presented = || {
        let report = device_json(["--upn", "jane@contoso.com"], work.path());
        let ids: Vec<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect();
        (ids.contains(&"device-not-presented".to_string()), report)
    };
    write(vec![
        refused_sign_in("Windows10", "Chrome 131.0.0", "2026-11-19T14:05:40Z"),
        refused_sign_in("Ios", "Mobile Safari", "2026-11-19T14:06:00Z"),
    ]);
    let (raised, report) = not_presented();
    assert!(!raised, "{report}");
    assert!(
        report["summary"]["chain"]["not_presented"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{report}"
    );
    // The near miss: the same refusal from the Mac's Chrome is the Mac's.
    write(vec![refused_sign_in(
        "MacOs",
        "Chrome 131.0.0",
        "2026-11-19T14:05:40Z",
    )]);
    let (raised, report) = not_presented();
    assert!(raised, "{report}");
}

#[test]
fn a_computer_search_cannot_know_which_entra_records_no_computer_reports() {
    let fleet_fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fleet");
    let run = |inventory: &str, format: &str| {
        let output = succeed(
            ca_doctor()
                .args(["fleet", "--now", NOW, "--format", format, "--inventory"])
                .arg(fleet_fixture.join(inventory))
                .arg("--tenant")
                .arg(fleet_fixture.join("tenant")),
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let report: serde_json::Value = serde_json::from_str(&run("search.csv", "json")).unwrap();
    assert!(report["orphans"].is_null(), "{}", report["orphans"]);
    let human = run("search.csv", "human");
    assert!(
        human.contains("Entra Mac records no computer reports: not known"),
        "{human}"
    );
    // The near miss: the API's pages name device IDs.
    let report: serde_json::Value = serde_json::from_str(&run("inventory", "json")).unwrap();
    assert_eq!(report["orphans"].as_array().unwrap().len(), 2);
    assert!(run("inventory", "human").contains("Entra Mac records no computer reports: 2\n"));
}

#[test]
fn a_never_registered_admin_account_does_not_hide_a_disagreement_with_jamf_pro() {
    let fleet_fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fleet/inventory");
    let work = tempfile::tempdir().unwrap();
    let page: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fleet_fixture.join("computers-inventory-0001.json")).unwrap(),
    )
    .unwrap();
    // Bob's attribute says deactivated; Jamf Pro records his account as
    // `bob_state`, beside a local admin that never registered.
    let disagreements = |bob_state: &str| {
        let mut page = page.clone();
        let bob = page["results"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|c| c["id"] == "102")
            .unwrap();
        bob["localUserAccounts"][0]["azureActiveDirectoryId"] = bob_state.into();
        let mut admin = bob["localUserAccounts"][0].clone();
        admin["username"] = "ladmin".into();
        admin["computerAzureActiveDirectoryId"] = "".into();
        admin["azureActiveDirectoryId"] = "UNKNOWN".into();
        bob["localUserAccounts"].as_array_mut().unwrap().push(admin);
        let path = work.path().join("computers-inventory-0001.json");
        std::fs::write(&path, page.to_string()).unwrap();
        let output = succeed(
            ca_doctor()
                .args(["fleet", "--now", NOW, "--format", "json", "--inventory"])
                .arg(&path),
        );
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        report["summary"]["disagreements"].clone()
    };
    let found = disagreements("ACTIVATED");
    let bob = found
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["mac"]["id"] == "102")
        .unwrap_or_else(|| panic!("{found}"));
    assert_eq!(bob["jamf_says"], "ACTIVATED");
    // The near miss: Jamf Pro agrees that Bob's account is deactivated.
    let found = disagreements("DEACTIVATED");
    assert!(!found.to_string().contains("\"102\""), "{found}");
}

#[test]
fn the_status_attribute_is_found_when_a_few_macs_still_hold_an_older_script_s_value() {
    let fleet_fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fleet/inventory");
    let page: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fleet_fixture.join("computers-inventory-0001.json")).unwrap(),
    )
    .unwrap();
    let alice = page["results"][0].clone();
    // 48 Macs with ca-doctor's value, 3 with the older script's.
    let page_of = |older: usize, total: usize| {
        let results: Vec<serde_json::Value> = (0..total)
            .map(|n| {
                let mut mac = alice.clone();
                mac["id"] = (1000 + n).to_string().into();
                mac["general"]["name"] = format!("Mac {n}").into();
                let value = if n < older { "Registered" } else { "healthy" };
                mac["extensionAttributes"][1]["values"] = serde_json::json!([value]);
                mac
            })
            .collect();
        serde_json::json!({"totalCount": total, "results": results})
    };
    let work = tempfile::tempdir().unwrap();
    let path = work.path().join("computers-inventory-0001.json");
    let fleet = |page: serde_json::Value, format: &str| {
        std::fs::write(&path, page.to_string()).unwrap();
        let output = succeed(
            ca_doctor()
                .args(["fleet", "--now", NOW, "--format", format, "--inventory"])
                .arg(&path),
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let report: serde_json::Value = serde_json::from_str(&fleet(page_of(3, 51), "json")).unwrap();
    assert_eq!(
        report["ea_attribute"], "CA Doctor: status",
        "{}",
        report["notes"]
    );
    assert_eq!(
        report["summary"]["by_status"]["healthy"], 48,
        "{}",
        report["summary"]
    );
    assert_eq!(
        report["summary"]["by_status"]["unrecognised"], 3,
        "{}",
        report["summary"]
    );
    let human = fleet(page_of(3, 51), "human");
    assert!(
        human.contains("A value the attribute's grammar does not know (an older script's?): 3: Mac 0, Mac 1, Mac 2"),
        "{human}"
    );
    // The near miss: an attribute most of whose values are another
    // script's is not taken for ca-doctor's.
    let report: serde_json::Value = serde_json::from_str(&fleet(page_of(40, 51), "json")).unwrap();
    assert!(
        report["ea_attribute"].is_null(),
        "{}",
        report["ea_attribute"]
    );
}

#[test]
fn a_fetch_that_brings_nothing_says_why_once_with_its_own_exit_code() {
    // Nothing listens on 127.0.0.1:9: Entra ID's sign-in cannot be reached.
    let nowhere = "https://127.0.0.1:9";
    let work = tempfile::tempdir().unwrap();
    let connect = [
        "--tenant-id",
        "contoso.onmicrosoft.com",
        "--client-id",
        "c0ffee00-1111-4222-8333-444455556666",
        "--login-url",
        nowhere,
        "--graph-url",
        nowhere,
    ];
    let started = std::time::Instant::now();
    let output = ca_doctor()
        .arg("fetch")
        .args(connect)
        .arg("--out")
        .arg(work.path().join("out"))
        .env("CA_DOCTOR_CLIENT_SECRET", "not-a-real-secret")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert_eq!(
        stderr.lines().count(),
        1,
        "one line for the five kinds: {stderr}"
    );
    assert!(
        stderr.starts_with("ca-doctor: error: nothing could be fetched: signins, policies, devices, deleted-devices, managed-devices (5): ")
            && stderr.contains("HTTPS_PROXY"),
        "{stderr}"
    );
    assert!(!stderr.contains("not-a-real-secret"));
    // The sign-in is tried for the first kind only: the others fail with
    // its error at once.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(12),
        "{:?}",
        started.elapsed()
    );
    // A report asked to fetch that fetched nothing is no report.
    let output = ca_doctor()
        .args([
            "device",
            "--upn",
            "jane@contoso.com",
            "--now",
            NOW,
            "--fetch",
        ])
        .args(connect)
        .env("CA_DOCTOR_CLIENT_SECRET", "not-a-real-secret")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.starts_with("ca-doctor: error: nothing could be fetched: "),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn a_mac_entra_refuses_is_counted_not_compliant_and_every_mac_to_act_on_is_named() {
    let fleet_fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fleet");
    let run = |tenant: bool, format: &str| {
        let mut command = ca_doctor();
        command
            .args(["fleet", "--now", NOW, "--format", format, "--inventory"])
            .arg(fleet_fixture.join("inventory"));
        if tenant {
            command.arg("--tenant").arg(fleet_fixture.join("tenant"));
        }
        String::from_utf8(succeed(&mut command).stdout).unwrap()
    };
    let erin = |report: &serde_json::Value| {
        report["macs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == "Erin's MacBook")
            .cloned()
            .unwrap()
    };
    // Erin's attribute says healthy; her Entra record is disabled.
    let report: serde_json::Value = serde_json::from_str(&run(true, "json")).unwrap();
    let mac = erin(&report);
    assert_eq!(mac["ea"]["status"], "not-compliant", "{mac}");
    assert_eq!(mac["ea"]["causes"][0], "device-disabled", "{mac}");
    assert_eq!(mac["attribute_said"], "healthy", "{mac}");
    assert_eq!(report["summary"]["by_status"]["not-compliant"], 2);
    assert_eq!(report["summary"]["by_status"]["healthy"], 1);
    let human = run(true, "human");
    for line in [
        "Act on, deactivated: 1: Bob's MacBook\n",
        "Act on, not-compliant: 2: Erin's MacBook, Grace's MacBook\n",
        "Act on, not-registered: 1: Heidi's MacBook\n",
        "Act on, at-risk: 1: Carol's MacBook Air\n",
    ] {
        assert!(human.contains(line), "{line}{human}");
    }
    assert!(!human.contains("Act on, healthy"), "{human}");
    // The near miss: without Entra's records the attribute is all there is.
    let report: serde_json::Value = serde_json::from_str(&run(false, "json")).unwrap();
    assert_eq!(erin(&report)["ea"]["status"], "healthy");
}
