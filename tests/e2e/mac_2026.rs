//! The Mac of 2026 end to end: the compliance path, each broken cell of an
//! account's Platform SSO state matrix (from the real `app-sso platform -s`
//! samples and the agent's `getPSSOStatus`), Jamf's own settings, and a
//! Secure Enclave registration that leaves no keychain certificate. Each
//! through `check` on a Mac root (stub commands) in every format and the
//! extension attribute, and through a bundle collected there.

use crate::support::fixtures::{NOW, USER};
use crate::support::stubs::Stubs;
use crate::support::{ca_doctor, copy_tree, ea_value, fixture, status_and_ids, succeed};
use std::path::{Path, PathBuf};

/// A fixture's `app-sso platform -s` sample (the real ones), as text.
fn platform_sso_sample(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/device-chain/mac")
            .join(name),
    )
    .unwrap()
}

/// A Mac under test: its root, the stub commands, and where files go.
struct Mac {
    work: tempfile::TempDir,
    root: PathBuf,
    stubs: Stubs,
}

impl Mac {
    /// A copy of `scenario`'s root, its log served by `log`, on Jamf Pro
    /// `jamf` when given.
    fn of(scenario: &str, jamf: Option<&str>) -> Mac {
        let work = tempfile::tempdir().unwrap();
        let root = work.path().join("root");
        copy_tree(&fixture(scenario).join("root"), &root);
        if let Some(version) = jamf {
            let mut info = plist::Dictionary::new();
            info.insert("CFBundleShortVersionString".into(), version.into());
            info.insert("CFBundleIdentifier".into(), "com.jamfsoftware.Jamf".into());
            plist::Value::Dictionary(info)
                .to_file_xml(
                    root.join("Library/Application Support/JAMF/Jamf.app/Contents/Info.plist"),
                )
                .unwrap();
        }
        let stubs = Stubs::new(USER, &fixture(scenario).join("log.ndjson"));
        Mac { work, root, stubs }
    }

    /// `app-sso platform -s` prints `text`.
    fn platform_sso(&self, text: &str) {
        let served = self.work.path().join("platform-sso.txt");
        std::fs::write(&served, text).unwrap();
        self.stubs
            .write("app-sso", &format!("cat '{}'", served.display()));
    }

    /// Sets `key` of the computer-level Jamf settings.
    fn jamf_setting(&self, key: &str, value: plist::Value) {
        let path = self
            .root
            .join("Library/Preferences/com.jamfsoftware.jamf.plist");
        let mut dict = plist::Value::from_file(&path)
            .unwrap()
            .into_dictionary()
            .unwrap();
        dict.insert(key.into(), value);
        plist::Value::Dictionary(dict).to_file_xml(&path).unwrap();
    }

    /// `check` in `format` (`ea` for the extension attribute).
    fn check(&self, format: &str) -> std::process::Output {
        let mut command = ca_doctor();
        if format == "ea" {
            command.arg("ea");
        } else {
            command.arg("check").args(["--format", format]);
        }
        command
            .arg("--root")
            .arg(&self.root)
            .args(["--user", USER, "--now", NOW])
            .env("CA_DOCTOR_STUB_DIR", self.stubs.path());
        let output = command.output().unwrap();
        if format != "ea" {
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        output
    }

    fn check_json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.check("json").stdout).unwrap()
    }

    /// A bundle collected on this Mac, analysed as JSON.
    fn bundle_json(&self) -> serde_json::Value {
        let bundle = self.work.path().join("bundle.zip");
        succeed(
            ca_doctor()
                .arg("collect")
                .arg("--root")
                .arg(&self.root)
                .args(["--user", USER, "--now", NOW, "--output"])
                .arg(&bundle)
                .env("CA_DOCTOR_STUB_DIR", self.stubs.path()),
        );
        let output = succeed(
            ca_doctor()
                .arg("analyze")
                .arg(&bundle)
                .args(["--format", "json", "--now", NOW]),
        );
        serde_json::from_slice(&output.stdout).unwrap()
    }
}

/// The healthy fixture's own verdict, which a near miss must keep.
fn healthy() -> (String, Vec<String>, Option<String>) {
    let (status, ids, cause) = verdict(&Mac::of("healthy", None).check_json());
    assert_eq!(status, "healthy");
    (status, ids, cause)
}

/// The status, the sorted finding IDs and the primary cause of a report.
fn verdict(report: &serde_json::Value) -> (String, Vec<String>, Option<String>) {
    let (status, ids) = status_and_ids(report);
    (
        status,
        ids,
        report["primary_cause"].as_str().map(String::from),
    )
}

/// Asserts that `mac` raises `id` (and gives `status`) through check in
/// every format, the EA and a bundle; `absent` must be raised by none.
fn raised_everywhere(mac: &Mac, id: &str, status: &str, absent: &[&str]) -> serde_json::Value {
    let report = mac.check_json();
    let (got_status, ids, _) = verdict(&report);
    assert_eq!(got_status, status, "{id}: {ids:?}");
    assert!(ids.iter().any(|i| i == id), "{id}: {ids:?}");
    for other in absent {
        assert!(!ids.iter().any(|i| i == other), "{id}: {other} in {ids:?}");
    }
    let human = String::from_utf8(mac.check("human").stdout).unwrap();
    assert!(human.contains(&format!("[{id}]")), "{id}: {human}");
    let html = String::from_utf8(mac.check("html").stdout).unwrap();
    assert!(html.contains(id), "{id} not in the HTML page");
    let ea = ea_value(&mac.check("ea"));
    assert!(ea.starts_with(status), "{id}: {ea}");
    assert!(ea.contains(id), "{id}: {ea}");
    assert_eq!(
        verdict(&mac.bundle_json()),
        verdict(&report),
        "{id}: bundle"
    );
    report
}

#[test]
fn platform_sso_registered_without_the_agent_is_compliance_not_sent_never_not_registered() {
    // The real sample of a registered Mac (Secure Enclave key, no keychain
    // certificate) and an account the agent never ran for.
    let mac = Mac::of("not-registered", None);
    mac.platform_sso(&platform_sso_sample("platform-sso-registered.txt"));
    let report = raised_everywhere(
        &mac,
        "compliance-not-sent",
        "at-risk",
        &["not-registered", "registration-incomplete"],
    );
    assert_eq!(report["primary_cause"], "compliance-not-sent");
    assert_eq!(
        report["facts"]["compliance_path"]["path"],
        "device-compliance-platform-sso"
    );
    assert_eq!(report["facts"]["account_state"]["user_state"], "normal");
    assert_eq!(report["facts"]["account_state"]["agent_ran"], false);
    let finding = crate::support::finding(&report, "compliance-not-sent");
    assert!(
        finding["remediation"][0]
            .as_str()
            .unwrap()
            .contains("gatherAADInfo"),
        "{finding}"
    );

    // Near miss: the same registration on a Mac whose agent ran: healthy.
    let ran = Mac::of("healthy", None);
    ran.platform_sso(&platform_sso_sample("platform-sso-registered.txt"));
    assert_eq!(verdict(&ran.check_json()), healthy());
}

#[test]
fn a_registration_waiting_for_the_user_is_not_registered_with_its_own_cause() {
    // The real sample of a Mac configured but not registered.
    let mac = Mac::of("not-registered", None);
    mac.platform_sso(&platform_sso_sample("platform-sso-not-registered.txt"));
    let report = raised_everywhere(
        &mac,
        "psso-registration-pending",
        "not-registered",
        &["not-registered", "compliance-not-sent"],
    );
    assert_eq!(report["primary_cause"], "psso-registration-pending");
    let human = String::from_utf8(mac.check("human").stdout).unwrap();
    assert!(human.contains("Focus"), "{human}");
    assert!(human.contains("registrationCompleted false"), "{human}");

    // Near miss: the real sample of a Mac without Platform SSO: the older
    // finding stays.
    let plain = Mac::of("not-registered", None);
    plain.platform_sso(&platform_sso_sample("platform-sso-not-configured.txt"));
    let (status, ids, cause) = verdict(&plain.check_json());
    assert_eq!(status, "not-registered");
    assert!(ids.contains(&"not-registered".to_string()), "{ids:?}");
    assert!(!ids.iter().any(|i| i.starts_with("psso-")), "{ids:?}");
    assert_eq!(cause.as_deref(), Some("not-registered"));
}

#[test]
fn lost_keys_and_a_repair_each_have_their_finding() {
    let sample = platform_sso_sample("platform-sso-registered.txt");
    assert!(sample.contains("POUserStateNormal (0)"));
    let keys = Mac::of("healthy", None);
    keys.platform_sso(&sample.replace("POUserStateNormal (0)", "POUserStateNeedsNewKeys (1)"));
    raised_everywhere(
        &keys,
        "psso-needs-new-keys",
        "at-risk",
        &["psso-registration-pending"],
    );

    // The agent answers 3 (NeedsRepair) on Jamf Pro 11.22.
    let repair = Mac::of("healthy", Some("11.22.0"));
    repair.platform_sso(&sample);
    repair
        .stubs
        .write("jamf-conditional-access", "printf '3\\n'");
    let report = raised_everywhere(
        &repair,
        "psso-needs-repair",
        "at-risk",
        &["psso-needs-new-keys", "psso-registration-pending"],
    );
    assert_eq!(report["facts"]["account_state"]["agent_status"], 3);
    let finding = crate::support::finding(&report, "psso-needs-repair");
    assert!(
        finding["remediation"].to_string().contains("new device ID"),
        "{finding}"
    );
    // Near miss: 2 (registered) raises nothing of these.
    repair
        .stubs
        .write("jamf-conditional-access", "printf '2\\n'");
    assert_eq!(verdict(&repair.check_json()), healthy());
}

#[test]
fn jamf_settings_outside_the_applicable_group_or_on_the_wrong_app() {
    let outside = Mac::of("healthy", None);
    outside.jamf_setting("microsoftCAEnabled", false.into());
    let report = raised_everywhere(&outside, "not-in-applicable-group", "at-risk", &[]);
    assert_eq!(
        crate::support::finding(&report, "not-in-applicable-group")["severity"],
        "critical"
    );
    let human = String::from_utf8(outside.check("human").stdout).unwrap();
    assert!(human.contains("microsoftCAEnabled false"), "{human}");

    let wrong = Mac::of("healthy", None);
    wrong.jamf_setting(
        "microsoftCANativeClientAppId",
        "00000003-0000-0000-c000-000000000000".into(),
    );
    let report = raised_everywhere(&wrong, "wrong-registration-app", "at-risk", &[]);
    assert_eq!(report["facts"]["compliance_path"]["path"], "unknown");

    // Near misses: Device Compliance's app written in upper case, the
    // legacy cloud connector's app, and the flag true.
    for app in [
        "B03C10A8-71C7-45F9-B44A-3335AB76E970",
        "dd4f1d11-1200-4a1c-bccf-cb13e27467e6",
    ] {
        let mac = Mac::of("healthy", None);
        mac.jamf_setting("microsoftCANativeClientAppId", app.into());
        mac.jamf_setting("microsoftCAEnabled", true.into());
        assert_eq!(verdict(&mac.check_json()), healthy(), "{app}");
    }
}

#[test]
fn the_managed_sso_payload_names_the_platform_sso_path() {
    let mac = Mac::of("healthy", None);
    mac.platform_sso(&platform_sso_sample("platform-sso-registered.txt"));
    let payload = mac
        .root
        .join("Library/Managed Preferences/com.apple.extensiblesso.plist");
    std::fs::create_dir_all(payload.parent().unwrap()).unwrap();
    let mut platform = plist::Dictionary::new();
    platform.insert("AuthenticationMethod".into(), "UserSecureEnclaveKey".into());
    let mut dict = plist::Dictionary::new();
    dict.insert(
        "ExtensionIdentifier".into(),
        "com.microsoft.CompanyPortalMac.ssoextension".into(),
    );
    dict.insert("PlatformSSO".into(), plist::Value::Dictionary(platform));
    plist::Value::Dictionary(dict)
        .to_file_xml(&payload)
        .unwrap();
    for report in [mac.check_json(), mac.bundle_json()] {
        assert_eq!(
            report["facts"]["compliance_path"]["path"],
            "device-compliance-platform-sso"
        );
        assert_eq!(
            report["facts"]["sso_payload"]["authentication_method"],
            "UserSecureEnclaveKey"
        );
        assert_eq!(report["status"], "healthy");
    }
    let human = String::from_utf8(mac.check("human").stdout).unwrap();
    assert!(
        human.contains("compliance path            Device Compliance with Platform SSO"),
        "{human}"
    );
}

/// The healthy fixture's log with `lines` (process, subsystem, message)
/// added on the morning of the clock's day, as `log show --style ndjson`
/// writes them.
fn log_with(work: &Path, lines: &[(&str, &str, &str)]) -> PathBuf {
    let healthy = std::fs::read_to_string(fixture("healthy").join("log.ndjson")).unwrap();
    let mut text: String = healthy
        .lines()
        .filter(|line| line.contains("\"timestamp\""))
        .map(|line| format!("{line}\n"))
        .collect();
    for (n, (process, subsystem, message)) in lines.iter().enumerate() {
        let entry = serde_json::json!({
            "eventMessage": message,
            "eventType": "logEvent",
            "messageType": "Error",
            "processID": 700 + n,
            "processImagePath": format!("/Applications/{process}"),
            "subsystem": subsystem,
            "timestamp": format!("2026-11-20 08:{:02}:00.000000-0500", n % 60),
        });
        text.push_str(&format!("{entry}\n"));
    }
    let path = work.join("log.ndjson");
    std::fs::write(&path, text).unwrap();
    path
}

/// `check` of the healthy root with `log`, in `format`.
fn check_log(log: &Path, format: &str) -> std::process::Output {
    let mut command = ca_doctor();
    match format {
        "ea" => command.arg("ea"),
        _ => command.arg("check").args(["--format", format]),
    };
    command
        .arg("--root")
        .arg(fixture("healthy").join("root"))
        .args(["--user", USER, "--now", NOW, "--log"])
        .arg(log)
        .output()
        .unwrap()
}

#[test]
fn the_sso_extension_s_own_texts_are_findings_in_every_format() {
    let work = tempfile::tempdir().unwrap();
    for (process, message, id, severity) in [
        (
            "AppSSOAgent",
            r#"Error Domain=com.apple.PlatformSSO Code=-1001 "Error deserializing device config." UserInfo={NSLocalizedDescription=Error deserializing device config.}"#,
            // The healthy fixture's macOS 15.1 has the bug.
            "psso-config-unreadable",
            "critical",
        ),
        (
            "Microsoft Teams",
            r#"Request for extension <EXConcreteExtension: 0x60000112d080> {id = com.microsoft.CompanyPortalMac.ssoextension} failed with error Error Domain=PlugInKit Code=16 "other version in use: <id<PKPlugIn>: 0x1526066c0; core = <[...] [com.microsoft.CompanyPortalMac.ssoextension(5.2412.0)]>""#,
            "sso-extension-version-conflict",
            "warning",
        ),
        (
            "Mac SSO Extension",
            "[Browser SSO] the teamId KL8N8XSYF4 is not allowed",
            "browser-not-supported",
            "warning",
        ),
        (
            "Company Portal",
            "ERROR: [errorCode:-400]-[WorkPlaceJoin getRegistration] no registration exists for tenant",
            "device-not-registered-in-tenant",
            "critical",
        ),
        (
            "Microsoft Outlook",
            r#"Error Domain=MSALErrorDomain Code=-50001 "(null)" UserInfo={MSALErrorDescriptionKey=Workplace join is required, MSALBrokerVersionKey=5.2409.1}"#,
            "workplace-join-required",
            "critical",
        ),
    ] {
        let log = log_with(work.path(), &[(process, "com.microsoft.sso", message)]);
        let report: serde_json::Value =
            serde_json::from_slice(&check_log(&log, "json").stdout).unwrap();
        let finding = crate::support::finding(&report, id);
        assert_eq!(finding["severity"], severity, "{id}");
        assert_eq!(report["status"], "at-risk", "{id}");
        let human = String::from_utf8(check_log(&log, "human").stdout).unwrap();
        assert!(
            human.contains(&format!("{severity}[{id}]")),
            "{id}: {human}"
        );
        let html = String::from_utf8(check_log(&log, "html").stdout).unwrap();
        assert!(html.contains(id), "{id}");
        let ea = ea_value(&check_log(&log, "ea"));
        assert!(ea.starts_with("at-risk") && ea.contains(id), "{id}: {ea}");
    }
    let log = log_with(
        work.path(),
        &[(
            "AppSSOAgent",
            "com.apple.AppSSO",
            "Error deserializing device config.",
        )],
    );
    let report: serde_json::Value =
        serde_json::from_slice(&check_log(&log, "json").stdout).unwrap();
    let steps =
        crate::support::finding(&report, "psso-config-unreadable")["remediation"].to_string();
    assert!(steps.contains("Update macOS 15.1 to 15.3"), "{steps}");
    // The browser's team is named, Brave's as Brave.
    let log = log_with(
        work.path(),
        &[(
            "Mac SSO Extension",
            "sso",
            "the teamId KL8N8XSYF4 is not allowed",
        )],
    );
    let report: serde_json::Value =
        serde_json::from_slice(&check_log(&log, "json").stdout).unwrap();
    let summary = crate::support::finding(&report, "browser-not-supported")["summary"].to_string();
    assert!(summary.contains("KL8N8XSYF4 (Brave)"), "{summary}");
}

#[test]
fn near_misses_of_the_sso_extension_s_texts_raise_nothing() {
    let work = tempfile::tempdir().unwrap();
    let log = log_with(
        work.path(),
        &[
            (
                "Mac SSO Extension",
                "sso",
                "Checking the teamId UBF8T346G9 of the caller",
            ),
            (
                "Company Portal",
                "cp",
                "registration exists for tenant 1234",
            ),
            (
                "AppSSOAgent",
                "com.apple.AppSSO",
                "Device config deserialized",
            ),
            (
                "Microsoft Outlook",
                "msal",
                "Workplace join is not required for this app",
            ),
        ],
    );
    let report: serde_json::Value =
        serde_json::from_slice(&check_log(&log, "json").stdout).unwrap();
    assert_eq!(report["status"], "healthy", "{report}");
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    for id in [
        "browser-not-supported",
        "device-not-registered-in-tenant",
        "psso-config-unreadable",
        "workplace-join-required",
    ] {
        assert!(!ids.contains(&id), "{id} in {ids:?}");
    }
}

/// A Graph policies document: an All-resources policy requiring a
/// compliant device with Office 365 excluded (enabled, and a report-only
/// copy), and its near miss without exclusions.
fn baseline_policies(work: &Path) -> PathBuf {
    let policy = |id: &str, name: &str, state: &str, exclude: &[&str]| {
        serde_json::json!({
            "id": id,
            "displayName": name,
            "state": state,
            "conditions": {
                "applications": {"includeApplications": ["All"], "excludeApplications": exclude},
                "users": {"includeUsers": ["All"], "excludeUsers": []},
                "clientAppTypes": ["all"]
            },
            "grantControls": {"operator": "OR", "builtInControls": ["compliantDevice"]}
        })
    };
    let office = "Office365";
    let document = serde_json::json!({"value": [
        policy("20000000-0000-4000-8000-000000000001", "Compliant devices but Office", "enabled", &[office]),
        policy("20000000-0000-4000-8000-000000000002", "Compliant devices but Office (report-only)", "enabledForReportingButNotEnforced", &[office]),
        policy("20000000-0000-4000-8000-000000000003", "Compliant devices everywhere", "enabled", &[]),
    ]});
    let path = work.join("policies.json");
    std::fs::write(&path, document.to_string()).unwrap();
    path
}

#[test]
fn an_all_resources_policy_with_exclusions_is_named_for_baseline_scopes() {
    let work = tempfile::tempdir().unwrap();
    let policies = baseline_policies(work.path());
    let output = succeed(
        ca_doctor()
            .arg("policies")
            .arg(&policies)
            .args(["--format", "json"]),
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let baseline: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "baseline-scopes-enforced")
        .map(|f| {
            (
                f["subject"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        baseline,
        [
            ("Compliant devices but Office", "warning"),
            ("Compliant devices but Office (report-only)", "info"),
        ]
    );
    let human =
        String::from_utf8(succeed(ca_doctor().arg("policies").arg(&policies)).stdout).unwrap();
    assert!(human.contains("Customize behavior"), "{human}");

    // `check --policies` of a Mac on the Device Compliance path without
    // Jamf Connect: the registration's policy is named, Jamf Connect's
    // audit is not made.
    let log = fixture("healthy").join("log.ndjson");
    let check = |policies: &Path| -> serde_json::Value {
        let output = succeed(
            ca_doctor()
                .arg("check")
                .arg("--root")
                .arg(fixture("healthy").join("root"))
                .args(["--user", USER, "--now", NOW, "--format", "json", "--log"])
                .arg(&log)
                .arg("--policies")
                .arg(policies),
        );
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let report = check(&policies);
    assert_eq!(
        report["facts"]["compliance_path"]["path"],
        "device-compliance"
    );
    let (status, ids, _) = verdict(&report);
    assert_eq!(status, "at-risk", "{ids:?}");
    assert!(
        ids.contains(&"baseline-scopes-enforced".to_string()),
        "{ids:?}"
    );
    assert_eq!(report["facts"]["tenant_policies"]["audited"], false);
    assert_eq!(report["facts"]["tenant_policies"]["policies_read"], 3);
    // Near miss: only the policy without exclusions: nothing of the kind.
    let everywhere = work.path().join("everywhere.json");
    let mut document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&policies).unwrap()).unwrap();
    document["value"]
        .as_array_mut()
        .unwrap()
        .retain(|p| p["displayName"] == "Compliant devices everywhere");
    std::fs::write(&everywhere, document.to_string()).unwrap();
    assert_eq!(verdict(&check(&everywhere)), healthy());
}

/// The SSO extension's log folder of an account, under a Mac root.
const SSO_EXTENSION_LOGS: &str = "Library/Containers/com.microsoft.CompanyPortalMac.ssoextension/Data/Library/Caches/Logs/Microsoft/SSOExtension";
/// Company Portal's log folder of an account.
const COMPANY_PORTAL_LOGS: &str = "Library/Logs/Company Portal";

impl Mac {
    /// Writes `text` as the log file `name` of `folder` in `user`'s home.
    fn user_log(&self, user: &str, folder: &str, name: &str, text: &str) {
        let dir = self.root.join("Users").join(user).join(folder);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), text).unwrap();
    }
}

/// SSO extension lines of the clock's morning (local time, UTC 5 hours
/// later, in the newer format with broker and Workplace Join versions).
fn sso_extension_lines(messages: &[&str]) -> String {
    messages
        .iter()
        .enumerate()
        .map(|(n, message)| {
            format!(
                "2026-11-20 08:{n:02}:10:250 | I | ADB v3.12.5/WPJ v3.11.0 | TID=4411 MSAL 1.5.2 Mac 15.1 [2026-11-20 13:{n:02}:10 - 45418AF5-0901-4D2F-8C7D-E7C5838A977E] {message}\n"
            )
        })
        .collect()
}

const DEVICE_ID: &str = "43cfaf69-0f94-4d2e-a815-c103226c4c04";

#[test]
fn a_device_the_sso_extension_s_log_names_is_registered_and_its_facts_shown() {
    // A Secure Enclave registration: no keychain certificate, no Platform
    // SSO, but the extension passes the device header for the user.
    let mac = Mac::of("not-registered", None);
    let text = sso_extension_lines(&[
        "[Browser SSO] Starting Browser SSO request for authority https://login.microsoftonline.com/common",
        &format!("[MSAL] Passing device header in browser SSO for device id {DEVICE_ID}"),
        "Platform SSO Registration status - WPJPlatformSSONotEnabled",
    ]);
    mac.user_log(
        USER,
        SSO_EXTENSION_LOGS,
        "SSOExtension 2026-11-20--08-00-00-000.log",
        &text,
    );
    let report = mac.check_json();
    let (_, ids, _) = verdict(&report);
    assert!(!ids.contains(&"not-registered".to_string()), "{ids:?}");
    let facts = &report["facts"];
    assert_eq!(facts["device"]["device_id"], DEVICE_ID);
    assert_eq!(facts["device"]["source"], "sso-extension-log");
    assert_eq!(facts["microsoft_logs"]["files"], 1);
    assert_eq!(facts["microsoft_logs"]["sso_extension"]["broker"], "3.12.5");
    assert_eq!(
        facts["microsoft_logs"]["sso_extension"]["workplace_join"],
        "3.11.0"
    );
    assert!(
        facts["compliance_path"]["grounds"]
            .to_string()
            .contains("WPJPlatformSSONotEnabled"),
        "{}",
        facts["compliance_path"]
    );
    let human = String::from_utf8(mac.check("human").stdout).unwrap();
    assert!(
        human.contains("SSO extension broker 3.12.5, WPJ 3.11.0, MSAL 1.5.2"),
        "{human}"
    );
    // The bundle keeps the file and its analysis finds the same device.
    let bundled = mac.bundle_json();
    assert_eq!(bundled["facts"]["device"]["device_id"], DEVICE_ID);
    assert_eq!(verdict(&bundled), verdict(&report));

    // Near miss: the same file in another account's home says nothing of
    // this user.
    let other = Mac::of("not-registered", None);
    other.user_log(
        "someone.else",
        SSO_EXTENSION_LOGS,
        "SSOExtension a.log",
        &text,
    );
    let (status, ids, _) = verdict(&other.check_json());
    assert_eq!(status, "not-registered");
    assert!(ids.contains(&"not-registered".to_string()), "{ids:?}");
}

#[test]
fn the_sso_extension_s_and_company_portal_s_files_raise_their_findings() {
    let mac = Mac::of("healthy", None);
    mac.user_log(
        USER,
        SSO_EXTENSION_LOGS,
        "SSOExtension 2026-11-20--08-00-00-000.log",
        &sso_extension_lines(&[
            "Beginning authorization request",
            "[errorCode:-400] no registration exists for tenant",
        ]),
    );
    let report = raised_everywhere(
        &mac,
        "device-not-registered-in-tenant",
        "at-risk",
        &["registered-outside-jamf"],
    );
    let finding = crate::support::finding(&report, "device-not-registered-in-tenant");
    assert!(
        finding["evidence"].to_string().contains("SSO extension"),
        "{finding}"
    );

    // Its correlation ID joins the sign-in Entra recorded for it.
    let joined = Mac::of("healthy", None);
    joined.user_log(
        USER,
        SSO_EXTENSION_LOGS,
        "SSOExtension 2026-11-20--08-00-00-000.log",
        "2026-11-20 08:00:10:250 | E | ADB v3.12.5/WPJ v3.11.0 | TID=4411 MSAL 1.5.2 Mac 15.1 [2026-11-20 13:00:10 - A1000000-0000-4000-8000-000000000007] [errorCode:-400] no registration exists for tenant\n",
    );
    let output = succeed(
        ca_doctor()
            .arg("check")
            .arg("--root")
            .arg(&joined.root)
            .args([
                "--user",
                USER,
                "--now",
                NOW,
                "--format",
                "json",
                "--signins",
            ])
            .arg(fixture("entra").join("InteractiveSignIns_2026-11-19.json"))
            .env("CA_DOCTOR_STUB_DIR", joined.stubs.path()),
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let correlated = crate::support::finding(&report, "correlated-sign-ins");
    let evidence = correlated["evidence"].to_string();
    assert!(
        evidence.contains("A1000000-0000-4000-8000-000000000007") && evidence.contains("530003"),
        "{correlated}"
    );

    // Company Portal: a user who registered there directly.
    let portal = Mac::of("healthy", None);
    portal.user_log(
        USER,
        COMPANY_PORTAL_LOGS,
        "com.microsoft.CompanyPortalMac 2026-11-20.log",
        "2026-11-20 09:15:00:010 | workplaceJoinSdk | 812 | v5.2411.0 | ERROR: Registration failed: AccountNotOnboarded\n",
    );
    let report = raised_everywhere(
        &portal,
        "registered-outside-jamf",
        "at-risk",
        &["device-not-registered-in-tenant"],
    );
    assert_eq!(report["primary_cause"], "registered-outside-jamf");
    assert_eq!(
        report["facts"]["microsoft_logs"]["company_portal"],
        "5.2411.0"
    );

    // The transcribed customer log of Workplace Join's keychain error,
    // dated into the window.
    let keychain = Mac::of("healthy", None);
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/mac-2026/companyportal-keychain-25244.log"),
    )
    .unwrap()
    .replace("2018-06-07 18:13:42", "2026-11-20 08:13:42");
    keychain.user_log(
        USER,
        COMPANY_PORTAL_LOGS,
        "com.microsoft.CompanyPortalMac.log",
        &text,
    );
    let report = keychain.check_json();
    let finding = crate::support::finding(&report, "workplace-join-keychain-error");
    assert!(
        finding["summary"].to_string().contains("-25244"),
        "{finding}"
    );

    // Near miss: the same lines dated before the window raise nothing.
    let old = Mac::of("healthy", None);
    old.user_log(
        USER,
        COMPANY_PORTAL_LOGS,
        "com.microsoft.CompanyPortalMac.log",
        &text.replace("2026-11-20", "2026-10-01"),
    );
    assert_eq!(verdict(&old.check_json()), healthy());
}

#[test]
fn a_refused_registration_is_explained_by_baseline_scopes_when_the_policies_say_so() {
    // carol's registration app sign-in, refused 530003 by "Require
    // compliant device": that policy, for All resources with Office 365
    // excluded.
    let work = tempfile::tempdir().unwrap();
    let policy = |exclude: &[&str]| {
        serde_json::json!({"value": [{
            "id": "p1",
            "displayName": "Require compliant device",
            "state": "enabled",
            "conditions": {
                "applications": {"includeApplications": ["All"], "excludeApplications": exclude},
                "users": {"includeUsers": ["All"]},
                "clientAppTypes": ["all"]
            },
            "grantControls": {"operator": "OR", "builtInControls": ["compliantDevice"]}
        }]})
        .to_string()
    };
    let sign_ins = fixture("entra").join("InteractiveSignIns_2026-11-19.json");
    let report_with = |policies: &str| -> serde_json::Value {
        let path = work.path().join("policies.json");
        std::fs::write(&path, policies).unwrap();
        let output = succeed(
            ca_doctor()
                .arg("signins")
                .arg(&sign_ins)
                .args(["--format", "json", "--policies"])
                .arg(&path),
        );
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let report = report_with(&policy(&["Office365"]));
    let blocked = crate::support::finding(&report, "device-registration-blocked");
    assert!(
        blocked["evidence"]
            .to_string()
            .contains("Require compliant device (baseline-scopes-enforced)"),
        "{blocked}"
    );
    let steps = blocked["remediation"].to_string();
    assert!(steps.contains("Customize behavior"), "{steps}");
    assert!(
        !steps.contains("Exclude the Jamf integration app"),
        "{steps}"
    );

    // Near miss: the same policy without exclusions: the usual advice.
    let report = report_with(&policy(&[]));
    let blocked = crate::support::finding(&report, "device-registration-blocked");
    assert!(
        !blocked["evidence"].to_string().contains("baseline"),
        "{blocked}"
    );
    assert!(
        blocked["remediation"]
            .to_string()
            .contains("Exclude the Jamf integration app"),
        "{blocked}"
    );
}

#[test]
fn workplace_join_s_keychain_errors_and_repeated_prt_upgrades_in_every_format() {
    let keychain = Mac::of("healthy", None);
    keychain.user_log(
        USER,
        COMPANY_PORTAL_LOGS,
        "com.microsoft.CompanyPortalMac 2026-11-20.log",
        "2026-11-20 08:13:42:795 | workplaceJoinSdk | 812 | v5.2411.0 | ERROR: [errorCode:-400]-[WorkPlaceJoin clearWorkplaceJoinStateFromDevice:error:] failed to delete workplace join item with identifier 'com.microsoft.workplacejoin.thumbprint' from keychain with error code:-25244\n",
    );
    // No registration check names a device here: critical.
    let report = raised_everywhere(
        &keychain,
        "workplace-join-keychain-error",
        "at-risk",
        &["token-cache-unwritable"],
    );
    assert_eq!(
        crate::support::finding(&report, "workplace-join-keychain-error")["severity"],
        "critical"
    );

    let prt = Mac::of("healthy", None);
    let upgrade = "PRT needs upgrade as device registration state has changed. Device is joined 1, prt is joined 0";
    prt.user_log(
        USER,
        SSO_EXTENSION_LOGS,
        "SSOExtension 2026-11-20--08-00-00-000.log",
        &sso_extension_lines(&[upgrade, "Acquired PRT.", upgrade, "Acquired PRT.", upgrade]),
    );
    raised_everywhere(&prt, "prt-needs-upgrade", "at-risk", &[]);

    // Near misses: once after a registration is only noted; Company
    // Portal's other lines and the agent's own keychain status raise
    // nothing of these.
    let once = Mac::of("healthy", None);
    once.user_log(
        USER,
        SSO_EXTENSION_LOGS,
        "SSOExtension a.log",
        &sso_extension_lines(&[upgrade, "Acquired PRT."]),
    );
    let report = once.check_json();
    assert_eq!(
        crate::support::finding(&report, "prt-needs-upgrade")["severity"],
        "info"
    );
    assert_eq!(report["status"], "healthy");
    let quiet = Mac::of("healthy", None);
    quiet.user_log(
        USER,
        COMPANY_PORTAL_LOGS,
        "com.microsoft.CompanyPortalMac.log",
        "2026-11-20 08:13:42:795 | workplaceJoinSdk | 812 | v5.2411.0 | INFO: Keychain add status: -34018 for the agent\n2026-11-20 08:14:00:000 | workplaceJoinSdk | 812 | v5.2411.0 | INFO: WPJ discovery succeeded.\n",
    );
    assert_eq!(verdict(&quiet.check_json()), healthy());
}
