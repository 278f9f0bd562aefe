//! The Mac's own device identity through the binary: the device
//! certificates of the login keychain (listed, not searched by a name that
//! only matches their subject), Platform SSO's state and certificate, the
//! agent's `getPSSOStatus`, disagreements between them, an expiring
//! certificate, and the same facts read back from a bundle.

use crate::support::fixtures::{NOW, USER};
use crate::support::stubs::Stubs;
use crate::support::{ca_doctor, copy_tree, entries, finding, fixture, status_and_ids, succeed};
use std::path::Path;

const PSSO_DEVICE: &str = "34b1ba9a-3b2d-4c6c-ab4b-615f4b143eab";
const NEWER: &str = "7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b";
const OLDER: &str = "0d6f3c2e-5b1a-4c7d-9e8f-1a2b3c4d5e6f";
const TENANT: &str = "afb714de-f42c-41f2-802f-65b2911dd346";

/// Stubs for the healthy fixture's Mac.
fn stubs() -> Stubs {
    Stubs::new(USER, &fixture("healthy").join("log.ndjson"))
}

/// Platform SSO's state as `app-sso platform -s` prints it, from a fixture.
fn app_sso_prints(stubs: &Stubs, fixture_file: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/device-chain/mac")
        .join(fixture_file);
    stubs.write("app-sso", &format!("cat '{}'", path.display()));
}

/// `check` of `root` with `stubs`, in `format`.
fn check(root: &Path, stubs: &Stubs, format: &str) -> String {
    let output = succeed(
        ca_doctor()
            .arg("check")
            .arg("--root")
            .arg(root)
            .args(["--user", USER, "--now", NOW, "--format", format])
            .env("CA_DOCTOR_STUB_DIR", stubs.path()),
    );
    String::from_utf8(output.stdout).unwrap()
}

fn check_json(root: &Path, stubs: &Stubs) -> serde_json::Value {
    serde_json::from_str(&check(root, stubs, "json")).unwrap()
}

#[test]
fn the_keychain_s_device_certificates_are_listed_not_searched_by_name() {
    let stubs = stubs();
    // The Mac's keychain: an older registration, another issuer's
    // certificate, the current registration. `security -c
    // MS-ORGANIZATION-ACCESS` finds none of them (it matches subjects).
    stubs.keychain(&[
        "registered-2026-01.der",
        "other-issuer.der",
        "registered-2026-09.der",
    ]);
    let root = fixture("healthy").join("root");
    let report = check_json(&root, &stubs);
    let facts = &report["facts"];
    assert_eq!(facts["registration"]["workplace_join_certificate"], true);
    let device = &facts["device"];
    assert_eq!(device["device_id"], NEWER);
    assert_eq!(device["source"], "keychain");
    assert_eq!(device["tenant_id"], TENANT);
    assert_eq!(device["certificate"]["join_type"], "0");
    assert_eq!(device["certificate"]["not_after"], "2036-09-01T09:00:00Z");
    assert_eq!(device["older_certificates"][0]["device_id"], OLDER);
    assert_eq!(device["disagreeing"].as_array().unwrap().len(), 0);
    let calls = std::fs::read_to_string(stubs.path().join("security.calls")).unwrap();
    assert!(calls.starts_with("find-certificate -a -p /"), "{calls}");
    assert!(
        calls
            .trim_end()
            .ends_with("Users/test.user/Library/Keychains/login.keychain-db"),
        "{calls}"
    );

    let human = check(&root, &stubs, "human");
    for row in [
        format!(
            "device ID                  {NEWER} (from the login keychain's device certificate)"
        ),
        "device certificate         registered, valid 2026-09-01 to 2036-09-01".to_string(),
        format!("older device certificates  1 (re-registrations): {OLDER} (issued 2026-01-10)"),
        "login keychain certificates 2 device certificates".to_string(),
    ] {
        assert!(human.contains(&row), "{row}\n{human}");
    }
    let html = check(&root, &stubs, "html");
    assert!(
        html.contains(&format!("<td>device ID</td><td>{NEWER} (from")),
        "{html}"
    );

    // An empty keychain: security's "not found" is an answer, not a failure.
    let stubs = self::stubs();
    let report = check_json(&root, &stubs);
    assert_eq!(
        report["facts"]["registration"]["workplace_join_certificate"],
        false
    );
    assert_eq!(report["facts"]["device"], serde_json::Value::Null);
}

/// A copy of the healthy fixture's root on Jamf Pro `version`.
fn root_on_jamf(version: &str, into: &Path) {
    copy_tree(&fixture("healthy").join("root"), into);
    let info = into.join("Library/Application Support/JAMF/Jamf.app/Contents/Info.plist");
    let mut dict = plist::Dictionary::new();
    dict.insert("CFBundleShortVersionString".into(), version.into());
    dict.insert("CFBundleIdentifier".into(), "com.jamfsoftware.Jamf".into());
    plist::Value::Dictionary(dict).to_file_xml(info).unwrap();
}

#[test]
fn platform_sso_comes_first_and_every_source_naming_another_device_is_shown() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("mac");
    root_on_jamf("11.22.0", &root);
    let stubs = stubs();
    app_sso_prints(&stubs, "platform-sso-registered.txt");
    stubs.keychain(&["registered-2026-09.der"]);
    stubs.write(
        "jamf-conditional-access",
        &format!("printf '2\\n[AnyHashable(\"primary_registration_metadata_device_id\"): {}, AnyHashable(\"primary_registration_metadata_upn\"): jane@contoso.com]\\n'", NEWER.to_uppercase()),
    );
    let report = check_json(&root, &stubs);
    let facts = &report["facts"];
    let device = &facts["device"];
    assert_eq!(device["device_id"], PSSO_DEVICE);
    assert_eq!(device["source"], "platform-sso");
    let disagreeing: Vec<(String, String)> = device["disagreeing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["source"].as_str().unwrap().to_string(),
                s["device_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        disagreeing,
        [
            ("keychain".to_string(), NEWER.to_string()),
            ("agent".to_string(), NEWER.to_string())
        ]
    );
    let psso = &facts["registration"]["platform_sso_state"];
    assert_eq!(psso["registration_completed"], true);
    assert_eq!(psso["login_type"], "POLoginTypeUserSecureEnclaveKey");
    assert_eq!(psso["upns"][0], "foobar@contoso.onmicrosoft.com");
    let agent = &facts["registration"]["agent_status"];
    assert_eq!(agent["code"], 2);
    assert_eq!(agent["upn"], "jane@contoso.com");

    let human = check(&root, &stubs, "human");
    assert!(
        human.contains(&format!("device IDs disagree        the login keychain's device certificate names {NEWER}; the agent's getPSSOStatus names {NEWER}")),
        "{human}"
    );
    assert!(human.contains("Platform SSO (app-sso platform -s) registered; com.microsoft.CompanyPortalMac.ssoextension; POLoginTypeUserSecureEnclaveKey; foobar@contoso.onmicrosoft.com"), "{human}");
    assert!(
        human.contains("agent getPSSOStatus        Platform SSO enabled and registered"),
        "{human}"
    );

    // Configured but not registered, and not configured at all: said so,
    // and no device from Platform SSO.
    for (file, said) in [
        (
            "platform-sso-not-registered.txt",
            "configured, not registered; com.microsoft.CompanyPortalMac.ssoextension",
        ),
        ("platform-sso-not-configured.txt", "not configured\n"),
    ] {
        let stubs = self::stubs();
        app_sso_prints(&stubs, file);
        let human = check(&fixture("healthy").join("root"), &stubs, "human");
        assert!(
            human.contains(&format!("Platform SSO (app-sso platform -s) {said}")),
            "{file}: {human}"
        );
        assert!(!human.contains("device ID "), "{file}: {human}");
    }
}

#[test]
fn an_expired_device_certificate_is_critical_and_one_expiring_soon_a_warning() {
    let root = fixture("healthy").join("root");
    for (certificate, severity, summary) in [
        (
            "expired-2026-11.der",
            "critical",
            "The Mac's device certificate expired on 2026-11-01",
        ),
        (
            "expiring-2026-12.der",
            "warning",
            "The Mac's device certificate expires in 14 days",
        ),
    ] {
        let stubs = stubs();
        stubs.keychain(&[certificate]);
        let report = check_json(&root, &stubs);
        let (status, ids) = status_and_ids(&report);
        assert_eq!(status, "at-risk", "{certificate}: {ids:?}");
        assert_eq!(report["primary_cause"], "device-certificate-expiring");
        let found = finding(&report, "device-certificate-expiring");
        assert_eq!(found["severity"], severity);
        assert!(
            found["summary"].as_str().unwrap().starts_with(summary),
            "{found}"
        );
        let human = check(&root, &stubs, "human");
        assert!(
            human.starts_with("ca-doctor: AT-RISK (primary cause: device-certificate-expiring)"),
            "{human}"
        );
        assert!(human.contains(summary), "{human}");
        let html = check(&root, &stubs, "html");
        assert!(html.contains("id=\"finding-device-certificate-expiring\""));
    }
    // Near miss: valid for two more months.
    let stubs = stubs();
    stubs.keychain(&["valid-to-2027-01.der"]);
    let report = check_json(&root, &stubs);
    let (status, ids) = status_and_ids(&report);
    assert_eq!(status, "healthy", "{ids:?}");
}

#[test]
fn a_bundle_keeps_the_public_certificates_and_platform_sso_without_tokens_and_analyze_reads_them_back()
 {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("mac");
    root_on_jamf("11.22.0", &root);
    let stubs = stubs();
    // Platform SSO's output, with key data and tokens as a real Mac prints them.
    let psso = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/device-chain/mac/platform-sso-registered.txt"),
    )
    .unwrap()
    .replace(
        "\"_deviceSigningKeyData\" : \"<REDACTED>\"",
        "\"_deviceSigningKeyData\" : \"S1gningKeyMaterial==\"",
    )
    .replace("Expiration:\n", "Expiration:\nrefresh_token_value_Secr3t\n");
    let served = work.path().join("psso.txt");
    std::fs::write(&served, psso).unwrap();
    stubs.write("app-sso", &format!("cat '{}'", served.display()));
    stubs.keychain(&[
        "registered-2026-01.der",
        "other-issuer.der",
        "registered-2026-09.der",
    ]);
    stubs.write(
        "jamf-conditional-access",
        &format!(
            "printf '2\\n[AnyHashable(\"primary_registration_metadata_device_id\"): {NEWER}]\\n'"
        ),
    );
    let live = check_json(&root, &stubs);
    for pii in [false, true] {
        let bundle = work.path().join(format!("bundle-{pii}.zip"));
        let mut command = ca_doctor();
        command
            .arg("collect")
            .arg("--root")
            .arg(&root)
            .args(["--user", USER, "--now", NOW, "--output"])
            .arg(&bundle)
            .env("CA_DOCTOR_STUB_DIR", stubs.path());
        if pii {
            command.arg("--redact-pii");
        }
        succeed(&mut command);
        let all = entries(&bundle);
        let folder = if pii {
            let manifest: serde_json::Value =
                serde_json::from_slice(&all.iter().find(|(n, _)| n == "manifest.json").unwrap().1)
                    .unwrap();
            manifest["users"][0].as_str().unwrap().to_string()
        } else {
            USER.to_string()
        };
        let entry = |name: &str| {
            let full = format!("registration/{folder}/{name}");
            String::from_utf8(
                all.iter()
                    .find(|(n, _)| *n == full)
                    .unwrap_or_else(|| {
                        panic!(
                            "{full} missing: {:?}",
                            all.iter().map(|e| &e.0).collect::<Vec<_>>()
                        )
                    })
                    .1
                    .clone(),
            )
            .unwrap()
        };
        let kept = entry("platform-sso.txt");
        assert!(!kept.contains("S1gningKeyMaterial"), "{kept}");
        assert!(!kept.contains("refresh_token_value_Secr3t"), "{kept}");
        assert!(
            kept.contains("SSO Tokens:\n <removed: the SSO tokens never leave the Mac>"),
            "{kept}"
        );
        assert!(entry("agent-psso-status.txt").contains(NEWER));
        let pem_name = format!("registration/{folder}/device-certificates.pem");
        if pii {
            // The certificates hold the user's object ID: left out, and
            // what was read of them kept.
            assert!(
                kept.contains(
                    "\"deviceSigningCertificate\" : \"<removed: holds the user's object ID>\","
                ),
                "{kept}"
            );
            assert!(!all.iter().any(|(n, _)| *n == pem_name));
        } else {
            assert!(
                kept.contains("\"deviceSigningCertificate\" : \"MIIDNzCCAh"),
                "the public certificate stays"
            );
            let pem = entry("device-certificates.pem");
            assert_eq!(
                pem.matches("-----BEGIN CERTIFICATE-----").count(),
                2,
                "device certificates only"
            );
        }
        for (name, bytes) in &all {
            let text = String::from_utf8_lossy(bytes);
            assert!(
                !text.contains("S1gningKeyMaterial")
                    && !text.contains("refresh_token_value_Secr3t"),
                "{name}"
            );
            assert!(!text.contains("PRIVATE KEY"), "{name}");
        }

        let analyzed = succeed(
            ca_doctor()
                .arg("analyze")
                .arg(&bundle)
                .args(["--format", "json"]),
        );
        let analyzed: serde_json::Value = serde_json::from_slice(&analyzed.stdout).unwrap();
        let mut device = analyzed["facts"]["device"].clone();
        let mut expected = live["facts"]["device"].clone();
        assert_eq!(device["device_id"], PSSO_DEVICE, "pii {pii}");
        assert_eq!(device["disagreeing"][0]["device_id"], NEWER);
        // Both keychain certificates are older than Platform SSO's device.
        assert_eq!(device["older_certificates"][0]["device_id"], NEWER);
        assert_eq!(device["older_certificates"][1]["device_id"], OLDER);
        if pii {
            // Pseudonyms aside (the user's object ID), the same facts.
            for facts in [&mut device, &mut expected] {
                facts["certificate"]["user_object_id"] = serde_json::Value::Null;
                for older in facts["older_certificates"].as_array_mut().unwrap() {
                    older["user_object_id"] = serde_json::Value::Null;
                }
            }
        }
        assert_eq!(device, expected, "pii {pii}");
        assert_eq!(
            analyzed["facts"]["registration"]["agent_status"]["device_id"],
            NEWER
        );
    }
}

#[test]
fn check_follows_the_mac_s_device_id_through_the_tenant_s_exports() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("mac");
    root_on_jamf("11.22.0", &root);
    let stubs = stubs();
    stubs.keychain(&["registered-2026-01.der", "registered-2026-09.der"]);
    stubs.write(
        "jamf-conditional-access",
        &format!("printf '2\\n[AnyHashable(\"primary_registration_metadata_device_id\"): {NEWER}, AnyHashable(\"primary_registration_metadata_upn\"): Jane@Contoso.com]\\n'"),
    );
    let tenant = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/device-chain/tenant");
    let output = succeed(
        ca_doctor()
            .arg("check")
            .arg("--root")
            .arg(&root)
            .args(["--user", USER, "--now", NOW, "--format", "json", "--tenant"])
            .arg(&tenant)
            .env("CA_DOCTOR_STUB_DIR", stubs.path()),
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // The agent is fine; Entra blocks the device. The broken link leads:
    // Jamf Pro's inventory is 4 days old, so Jamf reports NON_COMPLIANT.
    let (status, ids) = status_and_ids(&report);
    assert_eq!(status, "not-compliant", "{ids:?}");
    assert_eq!(report["primary_cause"], "inventory-stale");
    for id in [
        "device-not-compliant",
        "device-not-presented",
        "inventory-stale",
        "duplicate-device-records",
    ] {
        assert!(ids.contains(&id.to_string()), "{id} in {ids:?}");
    }
    assert!(
        finding(&report, "device-not-compliant")["summary"]
            .as_str()
            .unwrap()
            .contains("Jamf Pro reports it NON_COMPLIANT"),
    );
    let chain = &report["facts"]["device_chain"];
    assert_eq!(chain["device_id"], NEWER);
    assert_eq!(chain["entra"].as_array().unwrap().len(), 1);
    assert_eq!(chain["entra"][0]["is_compliant"], false);
    assert_eq!(chain["entra"][0]["trust_type"], "registered");
    // The earlier registration's record, by its name on a Mac; the Windows
    // PC of the same name is not this Mac.
    let others: Vec<&str> = chain["other_records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["device_id"].as_str().unwrap())
        .collect();
    assert_eq!(others, [OLDER]);
    assert_eq!(chain["intune"].as_array().unwrap().len(), 0);
    assert_eq!(chain["jamf_computer"]["id"], "12");
    assert_eq!(chain["jamf_computer"]["accounts"][0]["state"], "ACTIVATED");
    assert_eq!(chain["jamf_compliance"][0]["state"], "NON_COMPLIANT");
    assert_eq!(chain["sign_ins"].as_array().unwrap().len(), 2);
    assert_eq!(chain["not_presented"].as_array().unwrap().len(), 1);
    assert_eq!(chain["not_presented"][0]["browser"], "Chrome 131.0.0");
    let inputs: Vec<&str> = report["facts"]["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["what"].as_str().unwrap())
        .collect();
    for what in [
        "sign-in export",
        "Entra device export",
        "Intune managed device export",
        "Jamf Pro compliance information",
        "Jamf Pro inventory",
    ] {
        assert!(inputs.contains(&what), "{what} in {inputs:?}");
    }

    let human = String::from_utf8(
        succeed(
            ca_doctor()
                .arg("check")
                .arg("--root")
                .arg(&root)
                .args(["--user", USER, "--now", NOW, "--verbose", "--tenant"])
                .arg(&tenant)
                .env("CA_DOCTOR_STUB_DIR", stubs.path()),
        )
        .stdout,
    )
    .unwrap();
    assert!(
        human.starts_with("ca-doctor: NOT-COMPLIANT (primary cause: inventory-stale)\n"),
        "{human}"
    );
    assert!(
        human.contains("\nDo this first: On the Mac, update the inventory now: `sudo jamf recon`"),
        "{human}"
    );
    for row in [
        "Entra device record        Jane's MacBook · registered (Workplace) · MacMDM · enabled · compliant: NO",
        "Jamf Pro computer          Jane's MacBook (ID 12) · serial C02XK1JHJG5H · last inventory 2026-11-16",
        "Jamf Pro compliance        Intune: NON_COMPLIANT",
        "sign-ins without a device  1 refused for the device state presented no device (Chrome 131.0.0)",
    ] {
        assert!(human.contains(row), "{row}\n{human}");
    }

    // A named file that is no export: one line naming it, exit 1.
    let output = ca_doctor()
        .arg("check")
        .arg("--root")
        .arg(&root)
        .args(["--user", USER, "--now", NOW, "--tenant"])
        .arg(root.join("Library/Application Support/JAMF/Jamf.app/Contents/Info.plist"))
        .env("CA_DOCTOR_STUB_DIR", stubs.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("ca-doctor: error: --tenant ")
            && stderr.contains("Info.plist: not an export ca-doctor reads"),
        "{stderr}"
    );
}

/// `ca-doctor device` over the tenant fixture, with `args`, in `format`.
fn device(args: &[&str], format: &str) -> std::process::Output {
    ca_doctor()
        .arg("device")
        .args(args)
        .arg("--tenant")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/device-chain/tenant"))
        .args(["--now", NOW, "--format", format])
        .output()
        .unwrap()
}

#[test]
fn device_follows_a_device_named_any_way_from_the_tenant_s_exports_alone() {
    for query in [
        ["--device-id", NEWER],
        ["--serial", "c02xk1jhjg5h"],
        ["--name", "Jane's MacBook"],
        ["--upn", "Jane@Contoso.com"],
    ] {
        let output = device(&query, "json");
        assert_eq!(output.status.code(), Some(0), "{query:?}");
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report["status"], "not-compliant", "{query:?}");
        let summary = &report["summary"];
        assert_eq!(summary["primary_cause"], "inventory-stale", "{query:?}");
        assert_eq!(summary["chain"]["device_id"], NEWER, "{query:?}");
        assert_eq!(summary["chain"]["jamf_computer"]["id"], "12", "{query:?}");
        let (_, ids) = status_and_ids(&report);
        assert_eq!(
            ids,
            [
                "device-not-compliant",
                "device-not-presented",
                "duplicate-device-records",
                "inventory-stale",
            ],
            "{query:?}"
        );
    }
    let human = String::from_utf8(device(&["--upn", "jane@contoso.com"], "human").stdout).unwrap();
    assert!(human.starts_with("ca-doctor device: NOT-COMPLIANT (primary cause: inventory-stale)\n--upn jane@contoso.com: device ID 7c1e9a40"), "{human}");
    assert!(human.contains("  sign-ins without a device  1 refused for the device state presented no device (Chrome 131.0.0)"), "{human}");
    let html = String::from_utf8(device(&["--device-id", NEWER], "html").stdout).unwrap();
    assert!(
        html.contains("<h2>The device chain</h2>") && html.contains("NOT-COMPLIANT"),
        "{html}"
    );

    // A computer whose agent never registered, a serial nobody has.
    let human = String::from_utf8(device(&["--name", "Lab iMac"], "human").stdout).unwrap();
    assert!(human.starts_with("ca-doctor device: UNKNOWN\n--name \"Lab iMac\": Jamf Pro's computer Lab iMac (ID 13) reports no Entra device ID"), "{human}");
    let output = device(&["--serial", "NOPE"], "json");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["status"], "unknown");
    assert_eq!(report["findings"].as_array().unwrap().len(), 0);

    // One way to name the device, and a device ID must be a GUID.
    let output = device(&[], "human");
    assert_eq!(output.status.code(), Some(2));
    let output = device(&["--device-id", "not-a-guid"], "human");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("a device ID is a GUID"));
}

/// A copy of the tenant fixture with `change` applied to its JSON files
/// (name, parsed document), in a temporary folder.
fn tenant_variant(change: impl Fn(&str, &mut serde_json::Value)) -> tempfile::TempDir {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/device-chain/tenant");
    let to = tempfile::tempdir().unwrap();
    copy_tree(&from, to.path());
    for name in [
        "entra-devices.json",
        "intune-managed-devices.json",
        "jamf-compliance/12.json",
        "jamf-inventory.json",
        "signins.json",
    ] {
        let path = to.path().join(name);
        let mut document: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        change(name, &mut document);
        std::fs::write(&path, serde_json::to_string_pretty(&document).unwrap()).unwrap();
    }
    to
}

/// The JSON report of `device --device-id NEWER` over `tenant`.
fn device_report(tenant: &Path) -> serde_json::Value {
    let output = succeed(
        ca_doctor()
            .args([
                "device",
                "--device-id",
                NEWER,
                "--now",
                NOW,
                "--format",
                "json",
            ])
            .arg("--tenant")
            .arg(tenant),
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The tenant fixture without Entra's object of the current device ID.
fn without_current_object() -> tempfile::TempDir {
    tenant_variant(|name, document| {
        if name == "entra-devices.json" {
            document["value"]
                .as_array_mut()
                .unwrap()
                .retain(|d| d["deviceId"] != NEWER);
        }
    })
}

/// The finding IDs and status of `device --device-id NEWER` over `tenant`,
/// checked to be the same in every format.
fn device_ids_in_every_format(tenant: &Path) -> (String, Vec<String>) {
    let run = |format: &str| {
        succeed(
            ca_doctor()
                .args([
                    "device",
                    "--device-id",
                    NEWER,
                    "--now",
                    NOW,
                    "--format",
                    format,
                    "--tenant",
                ])
                .arg(tenant),
        )
        .stdout
    };
    let report: serde_json::Value = serde_json::from_slice(&run("json")).unwrap();
    let (status, ids) = status_and_ids(&report);
    let human = String::from_utf8(run("human")).unwrap();
    let html = String::from_utf8(run("html")).unwrap();
    assert!(
        human.starts_with(&format!("ca-doctor device: {}", status.to_uppercase())),
        "{human}"
    );
    assert!(
        html.contains(&format!(
            "<div class=\"status\">{}</div>",
            status.to_uppercase()
        )),
        "{html}"
    );
    for id in &ids {
        assert!(human.contains(&format!("[{id}]")), "{id} in {human}");
        assert!(
            html.contains(&format!("id=\"finding-{id}\"")),
            "{id} in the page"
        );
    }
    (status, ids)
}

#[test]
fn every_device_finding_and_its_near_miss_through_the_binary() {
    let devices =
        |name: &str, document: &mut serde_json::Value, edit: &dyn Fn(&mut serde_json::Value)| {
            if name == "entra-devices.json" {
                for device in document["value"].as_array_mut().unwrap() {
                    edit(device);
                }
            }
        };
    // device-record-missing: the current object deleted; near miss: present.
    let missing = without_current_object();
    let (status, ids) = device_ids_in_every_format(missing.path());
    assert_eq!(status, "not-compliant");
    assert!(
        ids.contains(&"device-record-missing".to_string()),
        "{ids:?}"
    );
    let fixture_tenant = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/device-chain/tenant");
    let (_, ids) = device_ids_in_every_format(&fixture_tenant);
    assert!(!ids.contains(&"device-record-missing".to_string()));
    assert!(!ids.contains(&"device-disabled".to_string()));
    assert!(!ids.contains(&"device-id-mismatch".to_string()));

    // device-disabled: the current object; near miss: the older one.
    let disabled = tenant_variant(|name, document| {
        devices(name, document, &|d| {
            if d["deviceId"] == NEWER {
                d["accountEnabled"] = false.into();
            }
        })
    });
    let (status, ids) = device_ids_in_every_format(disabled.path());
    assert_eq!(
        (
            status.as_str(),
            ids.contains(&"device-disabled".to_string())
        ),
        ("not-compliant", true),
        "{ids:?}"
    );
    let older_disabled = tenant_variant(|name, document| {
        devices(name, document, &|d| {
            if d["deviceId"] == OLDER {
                d["accountEnabled"] = false.into();
            }
        })
    });
    assert!(
        !device_ids_in_every_format(older_disabled.path())
            .1
            .contains(&"device-disabled".to_string())
    );

    // device-id-mismatch: Jamf Pro's agent reports the older ID; near miss
    // (above): it reports the current one.
    let mismatch = tenant_variant(|name, document| {
        if name == "jamf-inventory.json" {
            document["results"][0]["localUserAccounts"][0]["computerAzureActiveDirectoryId"] =
                OLDER.into();
        }
    });
    let (status, ids) = device_ids_in_every_format(mismatch.path());
    assert_eq!(status, "not-compliant");
    assert!(ids.contains(&"device-id-mismatch".to_string()), "{ids:?}");

    // device-not-compliant and device-not-presented fall away when the
    // device is compliant and every sign-in presented it; inventory-stale
    // with a fresh inventory; duplicate-device-records with one object.
    let fine = tenant_variant(|name, document| {
        match name {
            "entra-devices.json" => document["value"]
                .as_array_mut()
                .unwrap()
                .retain(|d| d["deviceId"] == NEWER),
            "signins.json" => {
                for sign_in in document["value"].as_array_mut().unwrap() {
                    sign_in["deviceDetail"]["deviceId"] = NEWER.into();
                    sign_in["status"]["errorCode"] = 0.into();
                }
            }
            "jamf-inventory.json" => {
                document["results"][0]["general"]["reportDate"] = "2026-11-20T08:00:00Z".into();
            }
            "jamf-compliance/12.json" => document[0]["complianceState"] = "COMPLIANT".into(),
            _ => {}
        }
        devices(name, document, &|d| d["isCompliant"] = true.into());
    });
    let (status, ids) = device_ids_in_every_format(fine.path());
    assert_eq!(status, "healthy", "{ids:?}");
    assert!(ids.is_empty(), "{ids:?}");
}

#[test]
fn every_documented_export_shape_gives_the_same_chain() {
    let shapes = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/device-chain/shapes");
    let chain = |files: &[&str]| {
        let mut command = ca_doctor();
        command.args([
            "device",
            "--device-id",
            NEWER,
            "--now",
            NOW,
            "--format",
            "json",
        ]);
        for file in files {
            command.arg("--tenant").arg(shapes.join(file));
        }
        let report: serde_json::Value =
            serde_json::from_slice(&succeed(&mut command).stdout).unwrap();
        report["summary"]["chain"].clone()
    };
    for file in [
        "devices-graph-beta.json",
        "devices-get-mgdevice-utf16.json",
        "devices-get-azureaddevice.json",
        "devices-admin-center.csv",
    ] {
        let chain = chain(&[file]);
        let object = &chain["entra"][0];
        assert_eq!(object["device_id"], NEWER, "{file}");
        assert_eq!(
            object["object_id"], "6a59ea83-02bd-468f-a40b-f2c3d1821983",
            "{file}"
        );
        assert_eq!(object["is_compliant"], false, "{file}");
        assert_eq!(object["trust_type"], "registered", "{file}");
        let last =
            chrono::DateTime::parse_from_rfc3339(object["last_sign_in"].as_str().unwrap()).unwrap();
        assert_eq!(
            last.to_utc().to_rfc3339(),
            "2026-11-02T09:00:00+00:00",
            "{file}"
        );
    }
    for file in ["managed-devices-graph.json", "managed-devices-intune.csv"] {
        let chain = chain(&[file]);
        assert_eq!(chain["intune"][0]["serial"], "C02XK1JHJG5H", "{file}");
        assert_eq!(
            chain["intune"][0]["compliance"]
                .as_str()
                .unwrap()
                .to_lowercase(),
            "noncompliant",
            "{file}"
        );
    }
    for file in [
        "jamf-compliance-object.json",
        "jamf-compliance-array-example.json",
        "jamf-compliance-lines.jsonl",
    ] {
        let chain = chain(&[file, "jamf-inventory-page.json"]);
        assert_eq!(chain["jamf_computer"]["id"], "12", "{file}");
        let records = chain["jamf_compliance"].as_array().unwrap();
        assert_eq!(records.len(), 1, "{file}: only computer 12's");
        assert_eq!(records[0]["state"], "NON_COMPLIANT", "{file}");
        assert_eq!(records[0]["vendor_device_ids"][0], NEWER, "{file}");
    }
}

#[test]
fn check_and_device_fetch_what_they_need_live_and_report_as_from_files() {
    use crate::support::server::{Answer, start, tenant_routes};
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/device-chain/tenant");
    let server = start(tenant_routes(&folder, "contoso.onmicrosoft.com", 1200));
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("mac");
    root_on_jamf("11.22.0", &root);
    // The fetch's private folder goes here: it must be gone afterwards.
    let temporary = work.path().join("tmp");
    std::fs::create_dir(&temporary).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&temporary, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let stubs = stubs();
    stubs.keychain(&["registered-2026-01.der", "registered-2026-09.der"]);
    stubs.write(
        "jamf-conditional-access",
        &format!("printf '2\\n[AnyHashable(\"primary_registration_metadata_device_id\"): {NEWER}, AnyHashable(\"primary_registration_metadata_upn\"): Jane@Contoso.com]\\n'"),
    );
    let live_at = |command: &mut std::process::Command, login: &str| {
        command
            .args(["--fetch", "--tenant-id", "contoso.onmicrosoft.com"])
            .args(["--client-id", "c0ffee00-1111-4222-8333-444455556666"])
            .args(["--login-url", login, "--graph-url", &server.base])
            .args(["--jamf-url", &server.base, "--jamf-client-id", "reader"])
            .env("CA_DOCTOR_CLIENT_SECRET", "graph-Secret-1")
            .env("CA_DOCTOR_JAMF_CLIENT_SECRET", "jamf-Secret-2")
            .env("TMPDIR", &temporary);
    };
    let live = |command: &mut std::process::Command| live_at(command, &server.base);
    let check = |tenant: bool| -> serde_json::Value {
        let mut command = ca_doctor();
        command
            .arg("check")
            .arg("--root")
            .arg(&root)
            .args(["--user", USER, "--now", NOW, "--format", "json"])
            .env("CA_DOCTOR_STUB_DIR", stubs.path());
        if tenant {
            command.arg("--tenant").arg(&folder);
        } else {
            live(&mut command);
        }
        serde_json::from_slice(&succeed(&mut command).stdout).unwrap()
    };
    let fetched = check(false);
    let offline = check(true);
    assert_eq!(status_and_ids(&fetched), status_and_ids(&offline));
    assert_eq!(status_and_ids(&fetched).0, "not-compliant");
    assert_eq!(
        fetched["facts"]["device_chain"],
        offline["facts"]["device_chain"]
    );
    // Asked for this Mac's device and user only.
    let seen = server.seen.lock().unwrap().clone();
    let asked = |path: &str| seen.iter().find(|r| r.starts_with(path)).unwrap().clone();
    assert!(
        asked("GET /v1.0/auditLogs/signIns?")
            .contains("userPrincipalName%20eq%20%27jane%40contoso%2Ecom%27"),
        "{}",
        asked("GET /v1.0/auditLogs/signIns?")
    );
    assert!(
        asked("GET /v1.0/devices?")
            .contains(&format!("deviceId%20eq%20%27{}", NEWER.replace('-', "%2D")))
    );
    assert_eq!(
        std::fs::read_dir(&temporary).unwrap().count(),
        0,
        "the fetch's folder is removed"
    );

    // Graph refuses the app; Jamf Pro's part still comes and counts, the
    // input says why the rest did not.
    let refused = start(vec![(
        (
            "POST",
            "/contoso.onmicrosoft.com/oauth2/v2.0/token".to_string(),
        ),
        vec![Answer::status(
            "401 Unauthorized",
            r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.","error_codes":[7000215]}"#,
        )],
    )]);
    let mut command = ca_doctor();
    command
        .arg("check")
        .arg("--root")
        .arg(&root)
        .args(["--user", USER, "--now", NOW, "--format", "json"])
        .env("CA_DOCTOR_STUB_DIR", stubs.path());
    live_at(&mut command, &refused.base);
    let report: serde_json::Value = serde_json::from_slice(&succeed(&mut command).stdout).unwrap();
    let inputs = report["facts"]["inputs"].as_array().unwrap();
    let graph = inputs
        .iter()
        .find(|i| i["what"] == "fetched signins")
        .unwrap_or_else(|| panic!("{inputs:?}"));
    assert_eq!(graph["state"], "unreadable");
    assert!(graph["reason"].as_str().unwrap().contains("AADSTS7000215"));
    let (status, ids) = status_and_ids(&report);
    assert_eq!(status, "at-risk", "{ids:?}");
    for id in ["input-unreadable", "inventory-stale"] {
        assert!(ids.contains(&id.to_string()), "{id} in {ids:?}");
    }

    // `device --fetch` names the same chain as `device --tenant`.
    let device_json = |tenant: bool| -> serde_json::Value {
        let mut command = ca_doctor();
        command.args([
            "device",
            "--device-id",
            NEWER,
            "--now",
            NOW,
            "--format",
            "json",
        ]);
        if tenant {
            command.arg("--tenant").arg(&folder);
        } else {
            live(&mut command);
        }
        serde_json::from_slice(&succeed(&mut command).stdout).unwrap()
    };
    let fetched = device_json(false);
    let offline = device_json(true);
    assert_eq!(status_and_ids(&fetched).0, status_and_ids(&offline).0);
    assert_eq!(
        fetched["summary"]["chain"]["jamf_computer"],
        offline["summary"]["chain"]["jamf_computer"]
    );
    assert_eq!(
        fetched["summary"]["chain"]["entra"],
        offline["summary"]["chain"]["entra"]
    );
    assert_eq!(std::fs::read_dir(&temporary).unwrap().count(), 0);

    // The sign-ins `device --upn --fetch` asks for are those of
    // --fetch-since before --now (the run's clock), not the system's.
    let mut command = ca_doctor();
    command.args(["device", "--upn", "jane@contoso.com", "--now", NOW]);
    command.args(["--fetch-since", "3d", "--format", "json"]);
    live(&mut command);
    succeed(&mut command);
    let seen = server.seen.lock().unwrap().clone();
    let since = "createdDateTime%20ge%202026%2D11%2D17T17%3A00%3A00Z";
    assert!(
        seen.iter()
            .any(|r| r.starts_with("GET /v1.0/auditLogs/signIns?") && r.contains(since)),
        "{seen:?}"
    );

    // Interrupted mid-fetch (a response that never comes), the folder goes too.
    let stalled = start(vec![(
        (
            "POST",
            "/contoso.onmicrosoft.com/oauth2/v2.0/token".to_string(),
        ),
        vec![Answer::stall()],
    )]);
    let mut command = ca_doctor();
    command.args(["device", "--device-id", NEWER]);
    live_at(&mut command, &stalled.base);
    let mut child = command.spawn().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::fs::read_dir(&temporary).unwrap().count() == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "no fetch folder appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    #[cfg(unix)]
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert_eq!(
        std::fs::read_dir(&temporary).unwrap().count(),
        0,
        "removed on SIGTERM"
    );
}

/// The tenant fixture where the Exchange sign-in (refused, 53000) presented
/// the older registration of the Mac, made by `upn`.
fn older_record_presented_by(upn: &str) -> tempfile::TempDir {
    let upn = upn.to_string();
    tenant_variant(move |name, document| {
        if name == "signins.json" {
            let sign_in = &mut document["value"][0];
            sign_in["deviceDetail"]["deviceId"] = OLDER.into();
            sign_in["userPrincipalName"] = upn.clone().into();
        }
    })
}

#[test]
fn every_name_of_a_re_registered_mac_sees_the_sign_ins_of_its_older_record() {
    // The keychain keeps only the current certificate: the older record is
    // known to the tenant alone, by the Mac's name.
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("mac");
    root_on_jamf("11.22.0", &root);
    let stubs = stubs();
    stubs.keychain(&["registered-2026-09.der"]);
    stubs.write(
        "jamf-conditional-access",
        &format!("printf '2\\n[AnyHashable(\"primary_registration_metadata_device_id\"): {NEWER}, AnyHashable(\"primary_registration_metadata_upn\"): jane@contoso.com]\\n'"),
    );
    let ids_of = |tenant: &Path| -> Vec<(String, Vec<String>)> {
        let mut seen = Vec::new();
        for query in [
            vec!["--device-id", NEWER],
            vec!["--serial", "C02XK1JHJG5H"],
            vec!["--name", "Jane's MacBook"],
            vec!["--upn", "jane@contoso.com"],
        ] {
            let output = succeed(
                ca_doctor()
                    .arg("device")
                    .args(&query)
                    .args(["--now", NOW, "--format", "json", "--tenant"])
                    .arg(tenant),
            );
            let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
            seen.push(status_and_ids(&report));
        }
        let report: serde_json::Value =
            serde_json::from_str(&check_with_tenant(&root, &stubs, tenant, "json")).unwrap();
        seen.push(status_and_ids(&report));
        seen
    };
    let stale = older_record_presented_by("jane@contoso.com");
    for (index, (status, ids)) in ids_of(stale.path()).into_iter().enumerate() {
        assert_eq!(status, "not-compliant", "query {index}: {ids:?}");
        assert!(
            ids.contains(&"device-id-mismatch".to_string()),
            "query {index}: {ids:?}"
        );
    }
    let human = String::from_utf8(
        succeed(
            ca_doctor()
                .args([
                    "device",
                    "--serial",
                    "C02XK1JHJG5H",
                    "--now",
                    NOW,
                    "--tenant",
                ])
                .arg(stale.path()),
        )
        .stdout,
    )
    .unwrap();
    assert!(
        human.contains(&format!(
            "critical[device-id-mismatch]: A stale registration: sign-ins present {OLDER} instead of the Mac's device ID {NEWER}"
        )) && human.contains(&format!("1. Keep the device object of {NEWER}")),
        "{human}"
    );

    // Near miss: another user's Mac of the same name presented it.
    let someone_else = older_record_presented_by("bob@contoso.com");
    for (index, (_, ids)) in ids_of(someone_else.path()).into_iter().enumerate() {
        assert!(
            !ids.contains(&"device-id-mismatch".to_string()),
            "query {index}: {ids:?}"
        );
    }
}

#[test]
fn a_mac_registered_in_two_tenants_is_judged_in_the_exports_tenant() {
    const CLIENT_DEVICE: &str = "4f3e2d1c-0b9a-4876-a543-210fedcba987";
    const CLIENT_TENANT: &str = "c1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8";
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("mac");
    root_on_jamf("11.22.0", &root);
    let stubs = stubs();
    // Our registration and a newer one of a client's tenant.
    stubs.keychain(&["client-tenant-2026-10.der", "registered-2026-09.der"]);
    let run = |root: &Path, tenant: &Path| -> serde_json::Value {
        serde_json::from_str(&check_with_tenant(root, &stubs, tenant, "json")).unwrap()
    };
    let fixture_tenant = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/device-chain/tenant");
    // The exports name our device: ours is judged, the client's named.
    let report = run(&root, &fixture_tenant);
    let (status, ids) = status_and_ids(&report);
    assert_eq!(report["facts"]["device"]["device_id"], NEWER, "{ids:?}");
    assert_eq!(report["facts"]["device_chain"]["device_id"], NEWER);
    assert_eq!(
        report["facts"]["device"]["other_tenants"][0]["device_id"],
        CLIENT_DEVICE
    );
    assert_eq!(report["facts"]["device"]["chosen_for"]["tenant_id"], TENANT);
    assert_eq!(status, "not-compliant");
    for wrong in ["device-record-missing", "device-id-mismatch"] {
        assert!(!ids.contains(&wrong.to_string()), "{wrong} in {ids:?}");
    }
    let note = report["facts"]["device_chain_note"].as_str().unwrap();
    assert!(
        note.contains(&format!(
            "tenant {TENANT} (the tenant's exports name its device)"
        )),
        "{note}"
    );

    // Jamf Pro's integration says the tenant: the same, said by it.
    let integrated = work.path().join("integrated");
    copy_tree(&root, &integrated);
    let prefs = integrated.join("Library/Preferences/com.jamfsoftware.jamf.plist");
    let mut dict = plist::Dictionary::new();
    dict.insert("microsoftCAEnabled".into(), true.into());
    dict.insert("microsoftCATenantId".into(), TENANT.into());
    plist::Value::Dictionary(dict).to_file_xml(&prefs).unwrap();
    let empty = work.path().join("no-devices");
    std::fs::create_dir(&empty).unwrap();
    std::fs::copy(
        fixture_tenant.join("intune-managed-devices.json"),
        empty.join("intune-managed-devices.json"),
    )
    .unwrap();
    let report = run(&integrated, &empty);
    assert_eq!(report["facts"]["device"]["device_id"], NEWER);
    assert_eq!(report["facts"]["device_chain"]["device_id"], NEWER);
    assert!(
        report["facts"]["device_chain_note"]
            .as_str()
            .unwrap()
            .contains("(Jamf Pro's integration)")
    );

    // No tenant known and no export names either device: said, no chain,
    // nothing judged of a device.
    let report = run(&root, &empty);
    let (status, ids) = status_and_ids(&report);
    assert!(report["facts"]["device_chain"].is_null(), "{report}");
    let note = report["facts"]["device_chain_note"].as_str().unwrap();
    assert!(
        note.starts_with("no device chain: the Mac is registered in 2 tenants")
            && note.contains(CLIENT_TENANT)
            && note.contains(TENANT),
        "{note}"
    );
    assert!(!ids.iter().any(|id| id.starts_with("device-")), "{ids:?}");
    assert_ne!(status, "not-compliant");
    let human = check(&root, &stubs, "human");
    assert!(human.lines().count() > 2, "{human}");

    // Near miss: one tenant only: no note, the chain as ever.
    stubs.keychain(&["registered-2026-09.der"]);
    let report = run(&root, &fixture_tenant);
    assert!(report["facts"]["device_chain_note"].is_null());
    assert_eq!(report["facts"]["device_chain"]["device_id"], NEWER);
}

/// A copy of a Mac's disk under `work` and stubs for a machine where none
/// of the registration commands can run (not a Mac).
fn a_copied_disk(work: &Path) -> (std::path::PathBuf, Stubs) {
    let root = work.join("mac");
    root_on_jamf("11.22.0", &root);
    let stubs = stubs();
    for command in ["app-sso", "security", "jamf-conditional-access"] {
        stubs.write(command, "exit 127");
    }
    (root, stubs)
}

/// `check --tenant tenant` of `root` with `stubs`, in `format`.
fn check_with_tenant(root: &Path, stubs: &Stubs, tenant: &Path, format: &str) -> String {
    let output = succeed(
        ca_doctor()
            .arg("check")
            .arg("--root")
            .arg(root)
            .args(["--user", USER, "--now", NOW, "--format", format, "--tenant"])
            .arg(tenant)
            .env("CA_DOCTOR_STUB_DIR", stubs.path()),
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Gives the Mac at `root` the computer name `name` (System Settings >
/// General > Sharing), where macOS keeps it.
fn name_the_mac(root: &Path, name: &str) {
    let config = root.join("Library/Preferences/SystemConfiguration");
    std::fs::create_dir_all(&config).unwrap();
    let mut system = plist::Dictionary::new();
    system.insert("ComputerName".into(), name.into());
    let mut outer = plist::Dictionary::new();
    outer.insert("System".into(), plist::Value::Dictionary(system));
    let mut top = plist::Dictionary::new();
    top.insert("System".into(), plist::Value::Dictionary(outer));
    plist::Value::Dictionary(top)
        .to_file_xml(config.join("preferences.plist"))
        .unwrap();
}

#[test]
fn off_the_mac_the_chain_is_followed_by_the_user_and_the_computer_name() {
    let work = tempfile::tempdir().unwrap();
    let (root, stubs) = a_copied_disk(work.path());
    let tenant = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/device-chain/tenant");
    let run = |root: &Path, format: &str| check_with_tenant(root, &stubs, &tenant, format);
    // Nothing known to follow it by: said at the top.
    let human = run(&root, "human");
    let head: Vec<&str> = human.lines().take(5).collect();
    assert!(
        head.iter()
            .any(|l| l.starts_with("no device chain: no device identity of the Mac was read")),
        "{human}"
    );
    // The computer name of the Mac's files leads to its chain.
    name_the_mac(&root, "Jane's MacBook");
    let report: serde_json::Value = serde_json::from_str(&run(&root, "json")).unwrap();
    assert_eq!(
        report["facts"]["device_chain"]["device_id"], NEWER,
        "{report}"
    );
    assert_eq!(report["facts"]["device_chain"]["jamf_computer"]["id"], "12");
    let (status, ids) = status_and_ids(&report);
    assert_eq!(status, "not-compliant", "{ids:?}");
    assert!(ids.contains(&"device-not-compliant".to_string()), "{ids:?}");
    let human = run(&root, "human");
    let head: Vec<&str> = human.lines().take(5).collect();
    assert!(
        head.iter().any(|l| l.contains("the device chain is followed by the computer name \"Jane's MacBook\", to device ID 7c1e9a40")),
        "{human}"
    );
    // A bundle keeps the computer name in its manifest; analysed anywhere
    // with the exports, it follows the same chain.
    let bundle = work.path().join("bundle.zip");
    succeed(
        ca_doctor()
            .arg("collect")
            .arg("--root")
            .arg(&root)
            .args(["--user", USER, "--now", NOW, "--output"])
            .arg(&bundle)
            .env("CA_DOCTOR_STUB_DIR", stubs.path()),
    );
    let output = succeed(
        ca_doctor()
            .arg("analyze")
            .arg(&bundle)
            .args(["--format", "json", "--tenant"])
            .arg(&tenant),
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        report["facts"]["device_chain"]["device_id"], NEWER,
        "{report}"
    );
    assert!(
        report["facts"]["device_chain_note"]
            .as_str()
            .unwrap()
            .contains("followed by the computer name \"Jane's MacBook\""),
        "{report}"
    );
    // Near miss: a name no record has: no chain, said.
    name_the_mac(&root, "Lab Mac 7");
    let report: serde_json::Value = serde_json::from_str(&run(&root, "json")).unwrap();
    assert!(report["facts"]["device_chain"].is_null());
    assert!(
        report["facts"]["device_chain_note"]
            .as_str()
            .unwrap()
            .contains("no record names the computer name \"Lab Mac 7\""),
        "{report}"
    );
}

#[test]
fn off_the_mac_a_user_of_two_macs_is_followed_only_by_the_mac_s_own_name() {
    let work = tempfile::tempdir().unwrap();
    let (root, stubs) = a_copied_disk(work.path());
    // Jamf Connect knows the user's UPN.
    let mut idp = plist::Dictionary::new();
    idp.insert("Provider".into(), "EntraID".into());
    idp.insert(
        "ROPGID".into(),
        "11111111-2222-4333-8444-555555555555".into(),
    );
    idp.insert("TenantID".into(), "contoso.onmicrosoft.com".into());
    let mut connect = plist::Dictionary::new();
    connect.insert("IdPSettings".into(), plist::Value::Dictionary(idp));
    plist::Value::Dictionary(connect)
        .to_file_xml(root.join("Library/Preferences/com.jamf.connect.plist"))
        .unwrap();
    let prefs = root.join(format!("Users/{USER}/Library/Preferences"));
    std::fs::create_dir_all(&prefs).unwrap();
    let mut state = plist::Dictionary::new();
    state.insert("UserUPN".into(), "jane@contoso.com".into());
    plist::Value::Dictionary(state)
        .to_file_xml(prefs.join("com.jamf.connect.state.plist"))
        .unwrap();
    // Jane has a Mac mini too.
    let tenant = tenant_variant(|name, document| {
        if name == "jamf-inventory.json" {
            let mut mini = document["results"][0].clone();
            mini["id"] = "14".into();
            mini["general"]["name"] = "Jane's Mac mini".into();
            mini["hardware"]["serialNumber"] = "C07ZZ1234567".into();
            mini["localUserAccounts"][0]["computerAzureActiveDirectoryId"] =
                "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d".into();
            document["results"].as_array_mut().unwrap().push(mini);
        }
    });
    let run = || -> serde_json::Value {
        serde_json::from_str(&check_with_tenant(&root, &stubs, tenant.path(), "json")).unwrap()
    };
    // The UPN alone names two Macs: neither is judged, both are named.
    let report = run();
    assert!(report["facts"]["device_chain"].is_null(), "{report}");
    let note = report["facts"]["device_chain_note"].as_str().unwrap();
    assert!(
        note.contains(
            "the user's UPN jane@contoso.com names 2 Macs (Jane's Mac mini, Jane's MacBook)"
        ),
        "{note}"
    );
    let (_, ids) = status_and_ids(&report);
    assert!(
        !ids.iter()
            .any(|id| id.starts_with("device-") && id != "device-state-refused"),
        "{ids:?}"
    );
    // The computer name says which.
    name_the_mac(&root, "Jane's MacBook");
    let report = run();
    assert_eq!(
        report["facts"]["device_chain"]["device_id"], NEWER,
        "{report}"
    );
    assert_eq!(report["facts"]["device_chain"]["jamf_computer"]["id"], "12");
}

/// Entra's device objects: `count` Macs named `name`, device IDs
/// `00000010-…-{n:012x}`, none signed in lately.
fn macs_named(name: &str, count: usize) -> String {
    let records: Vec<String> = (0..count)
        .map(|n| {
            format!(
                r#"{{"id":"00000020-0000-4000-8000-{n:012x}","deviceId":"00000010-0000-4000-8000-{n:012x}","displayName":"{name}","accountEnabled":true,"operatingSystem":"MacMDM","trustType":"Workplace","approximateLastSignInDateTime":"2026-09-02T09:00:00Z"}}"#
            )
        })
        .collect();
    format!(r#"{{"value":[{}]}}"#, records.join(","))
}

#[test]
fn a_name_thousands_of_macs_share_ties_none_of_them_to_the_mac_and_costs_linear_time() {
    let work = tempfile::tempdir().unwrap();
    let asked = "00000010-0000-4000-8000-000000000001";
    let run = |count: usize| {
        let tenant = work.path().join(format!("tenant-{count}"));
        std::fs::create_dir(&tenant).unwrap();
        std::fs::write(
            tenant.join("entra-devices.json"),
            macs_named("MacBook Pro", count),
        )
        .unwrap();
        let started = std::time::Instant::now();
        let output = ca_doctor()
            .args([
                "device",
                "--device-id",
                asked,
                "--now",
                NOW,
                "--format",
                "json",
                "--tenant",
            ])
            .arg(&tenant)
            .output()
            .unwrap();
        let elapsed = started.elapsed();
        assert!(output.status.code().is_some(), "{output:?}");
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        (report, elapsed, output.stdout.len())
    };
    // 120,000 records of one name: none is this Mac's, in seconds.
    let (report, elapsed, size) = run(120_000);
    assert!(elapsed < std::time::Duration::from_secs(10), "{elapsed:?}");
    assert!(size < 100_000, "a report of {size} bytes");
    let chain = &report["summary"]["chain"];
    assert_eq!(chain["name_shared_by"], 119_999, "{chain}");
    assert_eq!(chain["other_records"].as_array().unwrap().len(), 0);
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&"duplicate-device-records"), "{ids:?}");
    // Three of one name: the Mac's earlier records, to clean up.
    let (report, _, _) = run(3);
    let chain = &report["summary"]["chain"];
    assert!(chain.get("name_shared_by").is_none(), "{chain}");
    assert_eq!(chain["other_records"].as_array().unwrap().len(), 2);
    assert!(
        finding(&report, "duplicate-device-records")["summary"]
            .as_str()
            .unwrap()
            .starts_with("Entra ID has 3 device objects for this Mac")
    );
}

#[test]
fn a_mac_enrolled_in_intune_too_is_named_and_its_near_miss_is_not() {
    let enrolled = |agent: &'static str, compliance: &'static str| {
        tenant_variant(move |name, document| {
            if name == "intune-managed-devices.json" {
                let record = serde_json::json!({
                    "id": "b7c8d9e0-0000-4000-8000-00000000aaaa",
                    "deviceName": "Jane's MacBook",
                    "azureADDeviceId": NEWER,
                    "serialNumber": "C02XK1JHJG5H",
                    "complianceState": compliance,
                    "managementAgent": agent,
                    "userPrincipalName": "jane@contoso.com",
                    "operatingSystem": "macOS"
                });
                document["value"].as_array_mut().unwrap().push(record);
            }
        })
    };
    let mdm = enrolled("mdm", "noncompliant");
    let (_, ids) = device_ids_in_every_format(mdm.path());
    assert!(
        ids.contains(&"enrolled-in-intune-too".to_string()),
        "{ids:?}"
    );
    let report = device_report(mdm.path());
    assert_eq!(
        finding(&report, "enrolled-in-intune-too")["severity"],
        "critical"
    );
    // Near miss: the same record managed by Jamf (the partner's own).
    let partner = enrolled("jamf", "noncompliant");
    let (_, ids) = device_ids_in_every_format(partner.path());
    assert!(
        !ids.contains(&"enrolled-in-intune-too".to_string()),
        "{ids:?}"
    );
}

/// A soft-deleted object of `device_id`, as Graph's deleted items list it.
fn deleted_devices(device_id: &str) -> String {
    serde_json::json!({
        "@odata.context": "https://graph.microsoft.com/beta/$metadata#directory/deletedItems/microsoft.graph.device",
        "value": [{
            "id": "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b",
            "deletedDateTime": "2026-11-12T10:00:00Z",
            "deviceId": device_id,
            "displayName": "Jane's MacBook",
            "accountEnabled": true,
            "operatingSystem": "MacMDM",
            "trustType": "Workplace"
        }]
    })
    .to_string()
}

#[test]
fn a_soft_deleted_device_is_named_from_files_and_live_never_missing() {
    let gone = without_current_object();
    std::fs::write(
        gone.path().join("entra-deleted-devices.json"),
        deleted_devices(NEWER),
    )
    .unwrap();
    let (status, ids) = device_ids_in_every_format(gone.path());
    assert_eq!(status, "not-compliant");
    assert!(ids.contains(&"device-soft-deleted".to_string()), "{ids:?}");
    assert!(
        !ids.contains(&"device-record-missing".to_string()),
        "{ids:?}"
    );
    let report = device_report(gone.path());
    let finding = crate::support::finding(&report, "device-soft-deleted");
    assert!(
        finding["remediation"]
            .to_string()
            .contains("deletedItems/1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b/restore"),
        "{finding}"
    );
    assert!(
        finding["evidence"].to_string().contains("2026-12-12"),
        "{finding}"
    );

    // On the Mac: `check --tenant` follows its own device ID to the same
    // finding, in every format.
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("mac");
    root_on_jamf("11.22.0", &root);
    let stubs = stubs();
    stubs.keychain(&["registered-2026-01.der", "registered-2026-09.der"]);
    let on_mac: serde_json::Value =
        serde_json::from_str(&check_with_tenant(&root, &stubs, gone.path(), "json")).unwrap();
    let (_, ids) = status_and_ids(&on_mac);
    assert!(ids.contains(&"device-soft-deleted".to_string()), "{ids:?}");
    assert!(
        !ids.contains(&"device-record-missing".to_string()),
        "{ids:?}"
    );
    for format in ["human", "html"] {
        let shown = check_with_tenant(&root, &stubs, gone.path(), format);
        assert!(shown.contains("device-soft-deleted"), "{format}");
    }
    let human = check_with_tenant(&root, &stubs, gone.path(), "human");
    assert!(human.contains("Entra deleted device"), "{human}");

    // Live: Graph's deleted items answer for the device that /devices lacks.
    use crate::support::server::{Answer, start, tenant_routes};
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/device-chain/tenant");
    let mut routes = tenant_routes(&folder, "contoso.onmicrosoft.com", 1200);
    for ((_, path), answers) in routes.iter_mut() {
        if path == "/v1.0/devices" {
            *answers = vec![Answer::ok(
                std::fs::read_to_string(gone.path().join("entra-devices.json")).unwrap(),
            )];
        } else if path.starts_with("/beta/directory/deletedItems") {
            *answers = vec![Answer::ok(deleted_devices(NEWER))];
        }
    }
    let server = start(routes);
    let output = succeed(
        ca_doctor()
            .args([
                "device",
                "--device-id",
                NEWER,
                "--now",
                NOW,
                "--format",
                "json",
            ])
            .args(["--fetch", "--tenant-id", "contoso.onmicrosoft.com"])
            .args(["--client-id", "c0ffee00-1111-4222-8333-444455556666"])
            .args(["--login-url", &server.base, "--graph-url", &server.base])
            .env("CA_DOCTOR_CLIENT_SECRET", "graph-Secret-1"),
    );
    let live: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let (_, ids) = status_and_ids(&live);
    assert!(ids.contains(&"device-soft-deleted".to_string()), "{live}");
    let seen = server.seen.lock().unwrap().clone();
    assert!(
        seen.iter().any(|r| r
            .starts_with("GET /beta/directory/deletedItems/microsoft.graph.device?")
            && r.contains(&NEWER.replace('-', "%2D"))),
        "{seen:?}"
    );

    // Near miss: the fixture's deleted object is another Mac's: the
    // missing object stays missing.
    let missing = without_current_object();
    let (_, ids) = device_ids_in_every_format(missing.path());
    assert!(
        ids.contains(&"device-record-missing".to_string()),
        "{ids:?}"
    );
    assert!(!ids.contains(&"device-soft-deleted".to_string()), "{ids:?}");
}
