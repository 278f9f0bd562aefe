//! Jamf Connect on the Mac through `check`: its settings (managed,
//! per-user, unmanaged; binary and XML plists; 2.x and 3.x layouts) and the
//! user's state give each finding, and a near-miss gives none.

use crate::support::fixtures::{NOW, USER};
use crate::support::{ca_doctor, copy_tree, finding, fixture, succeed};
use plist::{Dictionary, Value};
use std::path::Path;

const CLIENT: &str = "c0ffee00-1111-4222-8333-444455556666";
const TENANT: &str = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f0";
const API: &str = "a9b8c7d6-1111-4222-8333-444455556666";

fn dict(pairs: Vec<(&str, Value)>) -> Value {
    Value::Dictionary(
        pairs
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<Dictionary>(),
    )
}

fn s(text: &str) -> Value {
    Value::String(text.to_string())
}

/// Jamf Connect's major version on a test Mac.
#[derive(Clone, Copy, PartialEq)]
enum Version {
    /// Jamf Connect 2.x (`Jamf Connect.app`).
    Two,
    /// Jamf Connect 3.x (`Self Service+.app`).
    Three,
}

/// The format of a test Mac's plists.
#[derive(Clone, Copy, PartialEq)]
enum Plists {
    Binary,
    Xml,
}

/// A healthy Mac with Jamf Connect configured by `login` and `menu`
/// (managed) and the user's state: by default 3.x, the password in sync,
/// binary plists.
struct JamfConnectMac {
    login: Value,
    menu: Value,
    password_current: bool,
    version: Version,
    plists: Plists,
}

impl JamfConnectMac {
    fn new(login: Value, menu: Value) -> Self {
        JamfConnectMac {
            login,
            menu,
            password_current: true,
            version: Version::Three,
            plists: Plists::Binary,
        }
    }

    /// `PasswordCurrent` in the user's state.
    fn password_current(self, password_current: bool) -> Self {
        JamfConnectMac {
            password_current,
            ..self
        }
    }

    fn version(self, version: Version) -> Self {
        JamfConnectMac { version, ..self }
    }

    fn plists(self, plists: Plists) -> Self {
        JamfConnectMac { plists, ..self }
    }

    /// Writes the Mac into a temporary folder.
    fn build(self) -> tempfile::TempDir {
        let JamfConnectMac {
            login,
            menu,
            password_current,
            version,
            plists,
        } = self;
        let (three, binary) = (version == Version::Three, plists == Plists::Binary);
        let root = tempfile::tempdir().unwrap();
        copy_tree(&fixture("healthy").join("root"), root.path());
        let write = |relative: &str, value: &Value| {
            let path = root.path().join(relative);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            if binary {
                value.to_file_binary(&path).unwrap();
            } else {
                value.to_file_xml(&path).unwrap();
            }
        };
        write(
            "Library/Managed Preferences/com.jamf.connect.login.plist",
            &login,
        );
        write("Library/Managed Preferences/com.jamf.connect.plist", &menu);
        write(
            &format!("Users/{USER}/Library/Preferences/com.jamf.connect.state.plist"),
            &dict(vec![
                ("PasswordCurrent", Value::Boolean(password_current)),
                ("UserUPN", s("test.user@contoso.com")),
                ("DisplayName", s("Test User")),
                (
                    "LastSignIn",
                    Value::Date(
                        std::time::SystemTime::from(
                            chrono::DateTime::parse_from_rfc3339("2026-11-19T08:30:00Z").unwrap(),
                        )
                        .into(),
                    ),
                ),
            ]),
        );
        let app = if three {
            "Applications/Self Service+.app/Contents/Info.plist"
        } else {
            "Applications/Jamf Connect.app/Contents/Info.plist"
        };
        write(
            app,
            &dict(vec![(
                "CFBundleShortVersionString",
                s(if three { "3.1.0" } else { "2.45.1" }),
            )]),
        );
        write(
            "Library/Security/SecurityAgentPlugins/JamfConnectLogin.bundle/Contents/Info.plist",
            &dict(vec![(
                "CFBundleShortVersionString",
                s(if three { "3.1.0" } else { "2.45.1" }),
            )]),
        );
        root
    }
}

/// A well-set-up 3.x Mac whose password check asks only for the default scopes.
fn default_scopes_mac() -> tempfile::TempDir {
    JamfConnectMac::new(
        login(CLIENT, CLIENT, "openid profile email"),
        menu(CLIENT, "openid profile email", Some(60), false),
    )
    .build()
}

fn login(client: &str, ropg: &str, scopes: &str) -> Value {
    dict(vec![
        ("OIDCProvider", s("EntraID")),
        ("OIDCClientID", s(client)),
        ("OIDCROPGID", s(ropg)),
        ("OIDCTenant", s(TENANT)),
        ("OIDCScopes", s(scopes)),
        ("OIDCClientSecret", s("S3cretValue")),
        ("OIDCRedirectURI", s("https://127.0.0.1/jamfconnect")),
        (
            "ROPGSuccessCodes",
            Value::Array(vec![s("50055"), Value::Integer(50144.into())]),
        ),
    ])
}

fn menu(ropg: &str, scopes: &str, network_check: Option<i64>, on_change: bool) -> Value {
    let mut policies = vec![("CheckOnNetworkChange", Value::Boolean(on_change))];
    if let Some(minutes) = network_check {
        policies.push(("NetworkCheck", Value::Integer(minutes.into())));
    }
    dict(vec![
        (
            "IdPSettings",
            dict(vec![
                ("Provider", s("EntraID")),
                ("ROPGID", s(ropg)),
                ("TenantID", s(TENANT)),
                ("Scopes", s(scopes)),
            ]),
        ),
        ("PasswordPolicies", dict(policies)),
    ])
}

/// `check` of `root` on the healthy log, in `format`, with `extra` flags.
fn check_output(root: &Path, format: &str, extra: &[&std::ffi::OsStr]) -> Vec<u8> {
    succeed(
        ca_doctor()
            .arg("check")
            .arg("--root")
            .arg(root)
            .args(["--user", USER, "--now", NOW, "--format", format, "--log"])
            .arg(fixture("healthy").join("log.ndjson"))
            .args(extra),
    )
    .stdout
}

fn check(root: &Path) -> serde_json::Value {
    serde_json::from_slice(&check_output(root, "json", &[])).unwrap()
}

fn policies_fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/entra/policies/graph.json")
}

fn jamf_connect_ids(report: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .filter(|id| id.starts_with("jamf-connect"))
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_placeholder_profile_with_default_scopes_and_a_chatty_menu_bar() {
    for (binary, three) in [(true, false), (false, true)] {
        let root = JamfConnectMac::new(
            login("YOUR-CLIENT-ID", "YOUR-CLIENT-ID", "openid+profile+email"),
            menu(CLIENT, "openid profile email", Some(5), true),
        )
        .password_current(false)
        .version(if three { Version::Three } else { Version::Two })
        .plists(if binary { Plists::Binary } else { Plists::Xml })
        .build();
        let report = check(root.path());
        assert_eq!(
            jamf_connect_ids(&report),
            [
                "jamf-connect-config-invalid",
                "jamf-connect-default-scopes",
                "jamf-connect-network-check",
                "jamf-connect-password-out-of-sync",
                "jamf-connect-ropg-mismatch",
            ],
            "binary {binary}, 3.x {three}"
        );
        assert_eq!(report["status"], "at-risk");
        let facts = &report["facts"]["jamf_connect"];
        assert_eq!(facts["client_id"], "YOUR-CLIENT-ID");
        assert_eq!(facts["network_check"], 5);
        assert_eq!(facts["upn"], "test.user@contoso.com");
        assert_eq!(facts["display_name"], "Test User");
        assert_eq!(
            chrono::DateTime::parse_from_rfc3339(facts["last_sign_in"].as_str().unwrap()).unwrap(),
            chrono::DateTime::parse_from_rfc3339("2026-11-19T08:30:00Z").unwrap()
        );
        assert_eq!(
            facts["login_success_codes"],
            serde_json::json!(["50055", "50144"])
        );
        assert_eq!(facts["redirect_uri"], "https://127.0.0.1/jamfconnect");
        let version = if three { "3.1.0" } else { "2.45.1" };
        assert_eq!(facts["login_version"], version);
        let network = finding(&report, "jamf-connect-network-check");
        assert!(
            network["summary"]
                .as_str()
                .unwrap()
                .starts_with("The menu bar checks the password every 5 minutes and on every network change: about 96 ROPG sign-ins"),
            "{network}"
        );
    }
}

#[test]
fn a_well_set_up_jamf_connect_raises_nothing() {
    let scope = format!("api://{API}/jamfconnect openid");
    let root = JamfConnectMac::new(
        login(CLIENT, CLIENT, &scope),
        menu(CLIENT, &scope, Some(60), false),
    )
    .build();
    let report = check(root.path());
    assert!(jamf_connect_ids(&report).is_empty(), "{report}");
    assert_eq!(report["status"], "healthy");
    assert_eq!(report["facts"]["jamf_connect"]["custom_api_app"], API);
}

#[test]
fn without_jamf_connect_nothing_is_said() {
    let report = check(&fixture("healthy").join("root"));
    assert!(jamf_connect_ids(&report).is_empty());
    assert!(report["facts"].get("jamf_connect").is_none());
}

#[test]
fn the_mac_s_jamf_connect_apps_feed_the_tenant_audits() {
    // A custom API scope: excluding the Jamf Connect app works.
    let scope = format!("api://{API}/jamfconnect openid");
    let root = JamfConnectMac::new(
        login(CLIENT, CLIENT, &scope),
        menu(CLIENT, &scope, Some(60), false),
    )
    .build();
    let policies = policies_fixture();
    let audit = |extra: &[&str]| {
        let output = succeed(
            ca_doctor()
                .arg("policies")
                .arg(&policies)
                .args(["--format", "json"])
                .args(extra),
        );
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let mut subjects: Vec<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["subject"].as_str().unwrap_or("").to_string())
            .collect();
        subjects.sort();
        subjects
    };
    let from_root = audit(&["--root", root.path().to_str().unwrap()]);
    assert_eq!(from_root, audit(&["--jamf-connect-app", CLIENT]));
    // Without it, the policy that excludes the Jamf Connect app looks like it reaches it.
    assert_ne!(from_root, audit(&[]));
}

#[test]
fn jamf_connect_s_failures_in_the_log_count_only_from_jamf_connect() {
    let report = check_lines(&[
        "2026-11-19 10:00:00.000 E  Jamf Connect[512:1a2b] [com.jamf.connect:auth] Authentication failed",
        "2026-11-19 11:00:00.000 E  Jamf Connect[512:1a2b] [com.jamf.connect:keychain] Error: noSavedCredentials",
        "2026-11-20 09:00:00.000 E  Jamf Connect[512:1a2b] [com.jamf.connect.login:OpenDirectory] Password change failed! Error: Credentials could not be verified, username or password is invalid.",
        // Near-miss: another app's words.
        "2026-11-19 12:00:00.000 E  Microsoft Teams[933:77] [com.microsoft.teams:auth] Authentication failed",
        "2026-11-19 13:00:00.000 Df Jamf Conditional Access[8812:4a1c2] [com.jamf.management.jamfAAD:workflow] AAD ID acquired for macOS user account test.user",
    ]);
    let finding = finding(&report, "jamf-connect-auth-failed");
    assert_eq!(finding["evidence"][0]["count"], 3, "{finding}");
    assert_eq!(
        finding["evidence"][1]["value"],
        "authentication failed: 1, no saved credentials: 1, password change refused: 1"
    );
    assert_eq!(
        finding["summary"],
        "Jamf Connect failed to authenticate the user 3 times on 2 days"
    );
}

/// Moves a managed file of `root` to `to` (relative to `root`).
fn relocate(root: &Path, from: &str, to: &str) {
    let to = root.join(to);
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::rename(root.join(from), to).unwrap();
}

#[test]
fn a_bundle_carries_jamf_connect_from_every_place_it_is_read() {
    let root = JamfConnectMac::new(
        login("YOUR-CLIENT-ID", CLIENT, "openid profile"),
        menu(API, "openid profile", Some(15), false),
    )
    .password_current(false)
    .version(Version::Two)
    .build();
    // The login window's settings for this user only; the menu bar's unmanaged.
    relocate(
        root.path(),
        "Library/Managed Preferences/com.jamf.connect.login.plist",
        &format!("Library/Managed Preferences/{USER}/com.jamf.connect.login.plist"),
    );
    relocate(
        root.path(),
        "Library/Managed Preferences/com.jamf.connect.plist",
        "Library/Preferences/com.jamf.connect.plist",
    );
    let expected = check(root.path());
    assert_eq!(
        jamf_connect_ids(&expected),
        [
            "jamf-connect-config-invalid",
            "jamf-connect-default-scopes",
            "jamf-connect-network-check",
            "jamf-connect-password-out-of-sync",
            "jamf-connect-ropg-mismatch",
        ]
    );
    assert_eq!(expected["facts"]["jamf_connect"]["version_2"], "2.45.1");

    let work = tempfile::tempdir().unwrap();
    let bundle = work.path().join("bundle.zip");
    let log = fixture("healthy").join("log.ndjson");
    succeed(
        ca_doctor()
            .arg("collect")
            .arg("--root")
            .arg(root.path())
            .args(["--user", USER, "--now", NOW, "--log"])
            .arg(&log)
            .arg("--output")
            .arg(&bundle),
    );
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&bundle).unwrap()).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect();
    for wanted in [
        format!("prefs/managed/{USER}/com.jamf.connect.login.plist"),
        "prefs/jamf-connect/com.jamf.connect.plist".to_string(),
        format!("prefs/users/{USER}/com.jamf.connect.state.plist"),
        "system/JamfConnect-Info.plist".to_string(),
        "system/JamfConnectLogin-Info.plist".to_string(),
    ] {
        assert!(names.contains(&wanted), "{wanted} missing from {names:?}");
    }
    // The client secret never leaves the Mac.
    let mut login = String::new();
    std::io::Read::read_to_string(
        &mut archive
            .by_name(&format!(
                "prefs/managed/{USER}/com.jamf.connect.login.plist"
            ))
            .unwrap(),
        &mut login,
    )
    .unwrap();
    assert!(!login.contains("S3cretValue"), "{login}");

    // With personal data redaction the UPN in the state becomes a pseudonym.
    let redacted = work.path().join("redacted.zip");
    succeed(
        ca_doctor()
            .arg("collect")
            .arg("--root")
            .arg(root.path())
            .args(["--user", USER, "--now", NOW, "--redact-pii", "--log"])
            .arg(&log)
            .arg("--output")
            .arg(&redacted),
    );
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&redacted).unwrap()).unwrap();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("test.user@contoso.com")
                && !text.contains("Test User")
                && !text.contains("S3cretValue"),
            "{} keeps personal data or a secret",
            entry.name().unwrap()
        );
    }

    let output = succeed(
        ca_doctor()
            .arg("analyze")
            .arg(&bundle)
            .args(["--now", NOW, "--format", "json"]),
    );
    let analysed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(jamf_connect_ids(&analysed), jamf_connect_ids(&expected));
    assert_eq!(
        analysed["facts"]["jamf_connect"],
        expected["facts"]["jamf_connect"]
    );
}

fn check_with_policies(root: &Path) -> serde_json::Value {
    let policies = policies_fixture();
    let extra = ["--policies".as_ref(), policies.as_os_str()];
    serde_json::from_slice(&check_output(root, "json", &extra)).unwrap()
}

/// (id, subject, severity) of the findings about tenant policies.
fn policy_findings(report: &serde_json::Value) -> Vec<(String, String, String)> {
    let mut found: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["subject"].is_string())
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_string(),
                f["subject"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn check_audits_the_tenant_s_policies_for_this_mac_s_jamf_connect() {
    // Default scopes: excluding the Jamf Connect app has no effect.
    let default_scopes = default_scopes_mac();
    let report = check_with_policies(default_scopes.path());
    let s = |id: &str, subject: &str, severity: &str| {
        (id.to_string(), subject.to_string(), severity.to_string())
    };
    let expected_default = vec![
        s(
            "jamf-connect-blocked-by-app-grant",
            "Approved client apps only",
            "critical",
        ),
        s(
            "location-condition",
            "Block outside trusted locations",
            "warning",
        ),
        s(
            "lockout-compliant-device",
            "Approved app or compliant device",
            "critical",
        ),
        s(
            "lockout-compliant-device",
            "Require compliant Mac",
            "critical",
        ),
        s("mfa-policy-hits-ropg", "MFA (report-only)", "info"),
        s("mfa-policy-hits-ropg", "MFA except Jamf Connect", "warning"),
        s("mfa-policy-hits-ropg", "MFA for all cloud apps", "warning"),
    ];
    assert_eq!(policy_findings(&report), expected_default);
    assert_eq!(report["status"], "at-risk");
    let scopes = finding(&report, "jamf-connect-default-scopes");
    assert_eq!(scopes["severity"], "warning");
    assert_eq!(scopes["evidence"][1]["count"], 2, "{scopes}");
    let summary = &report["facts"]["tenant_policies"];
    assert_eq!(summary["audited"], true);
    assert_eq!(summary["policies_read"], 12);
    assert_eq!(summary["default_scopes_only"], true);
    assert_eq!(summary["jamf_connect_apps"][0], CLIENT);

    // A custom API scope: the exclusion works, the scopes note is gone.
    let scope = format!("api://{API}/jamfconnect openid");
    let custom = JamfConnectMac::new(
        login(CLIENT, CLIENT, &scope),
        menu(CLIENT, &scope, Some(60), false),
    )
    .build();
    let report = check_with_policies(custom.path());
    let without_exclusion: Vec<_> = expected_default
        .iter()
        .filter(|(_, subject, _)| subject != "MFA except Jamf Connect")
        .cloned()
        .collect();
    assert_eq!(policy_findings(&report), without_exclusion);
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["id"] != "jamf-connect-default-scopes")
    );

    // No Jamf Connect on the Mac: nothing to audit, and it says why.
    let plain = check_with_policies(&fixture("healthy").join("root"));
    assert!(policy_findings(&plain).is_empty());
    assert_eq!(plain["status"], "healthy");
    assert_eq!(plain["facts"]["tenant_policies"]["audited"], false);
    assert_eq!(
        plain["facts"]["tenant_policies"]["not_audited_because"],
        "Jamf Connect is not set up with Entra ID for this user on this Mac"
    );

    // The same from a bundle of the first Mac.
    let work = tempfile::tempdir().unwrap();
    let bundle = work.path().join("bundle.zip");
    succeed(
        ca_doctor()
            .arg("collect")
            .arg("--root")
            .arg(default_scopes.path())
            .args(["--user", USER, "--now", NOW, "--log"])
            .arg(fixture("healthy").join("log.ndjson"))
            .arg("--output")
            .arg(&bundle),
    );
    let output = succeed(
        ca_doctor()
            .arg("analyze")
            .arg(&bundle)
            .args(["--now", NOW, "--format", "json", "--policies"])
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/entra/policies/powershell")),
    );
    let analysed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(policy_findings(&analysed), expected_default);
}

#[test]
fn the_policy_audit_knows_the_mac_s_scopes_with_root() {
    let default_scopes = default_scopes_mac();
    let policies = policies_fixture();
    let output = succeed(
        ca_doctor()
            .arg("policies")
            .arg(&policies)
            .args(["--format", "json", "--root"])
            .arg(default_scopes.path()),
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let excluded = finding(&report, "mfa-policy-hits-ropg");
    assert!(
        report["findings"].as_array().unwrap().iter().any(|f| {
            f["id"] == "mfa-policy-hits-ropg" && f["subject"] == "MFA except Jamf Connect"
        }),
        "{excluded}"
    );
    assert_eq!(report["summary"]["jamf_connect_default_scopes_only"], true);
}

#[test]
fn the_human_and_html_reports_show_jamf_connect_s_settings() {
    let root = default_scopes_mac();
    let policies = policies_fixture();
    for format in ["human", "html"] {
        let extra = ["--policies".as_ref(), policies.as_os_str()];
        let text = String::from_utf8(check_output(root.path(), format, &extra)).unwrap();
        for wanted in [
            "Self Service+ 3.1.0, login window 3.1.0",
            CLIENT,
            "every 60 minutes",
            "test.user@contoso.com",
            "12 read; 7 reach the Jamf Connect sign-in: MFA for all cloud apps, MFA except Jamf Connect",
        ] {
            assert!(text.contains(wanted), "{format}: {wanted} missing");
        }
    }
}

#[test]
fn jamf_connect_s_upn_narrows_the_sign_ins_to_this_mac_s_user() {
    let root = JamfConnectMac::new(
        login(CLIENT, CLIENT, "openid profile email"),
        menu(CLIENT, "openid profile email", Some(60), false),
    )
    .plists(Plists::Xml)
    .build();
    let state = root.path().join(format!(
        "Users/{USER}/Library/Preferences/com.jamf.connect.state.plist"
    ));
    dict(vec![
        ("PasswordCurrent", Value::Boolean(true)),
        ("UserUPN", s("Jane@Contoso.com")),
    ])
    .to_file_xml(&state)
    .unwrap();
    let export = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/entra/SigninLogs.json");
    let extra = ["--signins".as_ref(), export.as_os_str()];
    let report: serde_json::Value =
        serde_json::from_slice(&check_output(root.path(), "json", &extra)).unwrap();
    // Only Jane's findings: the tenant's other users are not this Mac's.
    let about: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["subject"].is_string())
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_string(),
                f["subject"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        about,
        [(
            "ropg-mfa-required".to_string(),
            "jane@contoso.com".to_string()
        )]
    );
    assert_eq!(report["status"], "at-risk");
    let own = &report["facts"]["own_sign_ins"];
    assert_eq!(own["upn"], "Jane@Contoso.com");
    assert_eq!(own["records"], 4);
    assert_eq!(own["outcomes"]["mfa-required"], 3, "{own}");
}

#[test]
fn the_extension_attribute_names_jamf_connect_s_problems() {
    let root = JamfConnectMac::new(
        login("YOUR-CLIENT-ID", "YOUR-CLIENT-ID", "openid"),
        menu(CLIENT, "openid", Some(60), false),
    )
    .version(Version::Two)
    .plists(Plists::Xml)
    .build();
    let output = succeed(
        ca_doctor()
            .arg("ea")
            .arg("--root")
            .arg(root.path())
            .args(["--user", USER, "--now", NOW, "--log"])
            .arg(fixture("healthy").join("log.ndjson")),
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        text.trim(),
        "<result>at-risk: jamf-connect-config-invalid, jamf-connect-ropg-mismatch</result>"
    );
}

/// `check --format json` of the healthy Mac on a compact log of `lines`.
fn check_lines(lines: &[&str]) -> serde_json::Value {
    let work = tempfile::tempdir().unwrap();
    let log = work.path().join("jamf-connect.log");
    std::fs::write(
        &log,
        format!(
            "Timestamp               Ty Process[PID:TID]\n{}\n",
            lines.join("\n")
        ),
    )
    .unwrap();
    let output = succeed(
        ca_doctor()
            .arg("check")
            .arg("--root")
            .arg(fixture("healthy").join("root"))
            .args(["--user", USER, "--now", NOW, "--format", "json", "--log"])
            .arg(&log),
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

const SUCCESS: &str = "2026-11-20 10:00:00.000 Df Jamf Conditional Access[8812:4a1c2] [com.jamf.management.jamfAAD:workflow] AAD ID acquired for macOS user account test.user";

#[test]
fn a_failed_mfa_at_the_login_window_is_an_authentication_failure() {
    let report = check_lines(&[
        "2026-11-19 07:58:00.000 E  SecurityAgentHelper-arm64[402:99] [com.jamf.connect.login:Auth] completeAuthFailed(shortName:isOtpRunning:error:completion:) shortName: test.user",
        SUCCESS,
    ]);
    let failed = finding(&report, "jamf-connect-auth-failed");
    assert_eq!(failed["severity"], "warning");
    assert_eq!(
        failed["evidence"][1]["value"],
        "MFA at the login window failed: 1"
    );
    assert_eq!(report["status"], "at-risk");
}

#[test]
fn a_refused_password_change_that_later_succeeded_is_information() {
    let refused = "2026-11-19 09:00:00.000 E  Jamf Connect[512:1a2b] [com.jamf.connect.login:OpenDirectory] Password change failed! Error: Credentials could not be verified, username or password is invalid.";
    let changed = "2026-11-19 09:05:00.000 Df Jamf Connect[512:1a2b] [com.jamf.connect.login:OpenDirectory] Successfully changed password for: test.user";
    let ended = check_lines(&[refused, changed, SUCCESS]);
    let finding_ended = finding(&ended, "jamf-connect-auth-failed");
    assert_eq!(finding_ended["severity"], "info", "{finding_ended}");
    assert_eq!(ended["status"], "healthy");
    // Near-miss: the success came first, the refusal stands.
    let earlier = "2026-11-19 08:55:00.000 Df Jamf Connect[512:1a2b] [com.jamf.connect.login:OpenDirectory] Successfully changed password for: test.user";
    let stands = check_lines(&[earlier, refused, SUCCESS]);
    assert_eq!(
        finding(&stands, "jamf-connect-auth-failed")["severity"],
        "warning"
    );
    assert_eq!(stands["status"], "at-risk");
}
