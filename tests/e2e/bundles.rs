//! Diagnostic bundles end to end: `analyze` of a bundle matches `check` on
//! the same inputs; live collection with stub commands; redaction of a
//! seeded corpus of secrets and personal data; safe output; size cap.

use crate::support;

use crate::support::fixtures::{NOW, STYLES, USER, scenarios};
use crate::support::stubs::Stubs;
use crate::support::{ca_doctor, check_json, copy_tree, entries, fixture, status_and_ids, succeed};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

fn collect(
    args: &[&str],
    root: &Path,
    output: &Path,
    stubs: Option<&Stubs>,
) -> std::process::Output {
    let mut command = ca_doctor();
    command
        .arg("collect")
        .arg("--root")
        .arg(root)
        .args(["--now", NOW])
        .args(args)
        .arg("--output")
        .arg(output);
    if let Some(stubs) = stubs {
        command.env("CA_DOCTOR_STUB_DIR", stubs.path());
    }
    succeed(&mut command)
}

fn analyze_json(path: &Path, extra: &[&str]) -> serde_json::Value {
    let output = succeed(
        ca_doctor()
            .arg("analyze")
            .arg(path)
            .args(["--format", "json"])
            .args(extra),
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn analyze_of_a_bundle_matches_check_for_every_scenario() {
    for (n, scenario) in scenarios().iter().enumerate() {
        let dir = fixture(scenario.name);
        let style = STYLES[n % STYLES.len()];
        let work = tempfile::tempdir().unwrap();
        let bundle = work.path().join("bundle.zip");
        collect(
            &["--user", USER, "--log", dir.join(style).to_str().unwrap()],
            &dir.join("root"),
            &bundle,
            None,
        );
        let expected = status_and_ids(&check_json(&dir, &dir.join(style)));
        let from_zip = analyze_json(&bundle, &["--now", NOW]);
        assert_eq!(
            status_and_ids(&from_zip),
            expected,
            "{} {style} (zip)",
            scenario.name
        );
        // The bundle's own clock is the default.
        assert_eq!(
            status_and_ids(&analyze_json(&bundle, &[])),
            expected,
            "{} (bundle clock)",
            scenario.name
        );
        // The same bundle unpacked into a folder.
        let folder = work.path().join("unpacked");
        for (name, bytes) in entries(&bundle) {
            let target = folder.join(&name);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(target, bytes).unwrap();
        }
        assert_eq!(
            status_and_ids(&analyze_json(&folder, &["--now", NOW])),
            expected,
            "{} (folder)",
            scenario.name
        );
    }
}

#[test]
fn a_plain_log_export_is_analysed_without_preferences() {
    let dir = fixture("appsso-not-appsso-url");
    let report = analyze_json(&dir.join("log.default.txt"), &[]);
    let (status, ids) = status_and_ids(&report);
    assert_eq!(status, "at-risk");
    assert_eq!(ids, ["appsso-not-appsso-url"]);
    assert_eq!(report["facts"]["prefs_looked_for"], false);
}

#[test]
fn live_collection_records_commands_and_matches_the_live_check() {
    let dir = fixture("mixed-at-risk");
    let stubs = Stubs::new(USER, &dir.join("log.ndjson"));
    let work = tempfile::tempdir().unwrap();
    let bundle = work.path().join("live.zip");
    collect(&[], &dir.join("root"), &bundle, Some(&stubs));
    let names: Vec<String> = entries(&bundle).into_iter().map(|(n, _)| n).collect();
    for expected in [
        "logs/unified.ndjson",
        "registration/test.user.json",
        "verdict.json",
        "report.txt",
        "report.html",
        "manifest.json",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} missing from {names:?}"
        );
    }
    assert!(
        names
            .iter()
            .any(|n| n == "registration/test.user/platform-sso.txt"),
        "{names:?}"
    );
    // A failing command is recorded as failed, with why, and the bundle is still made.
    let without = work.path().join("without-app-sso.zip");
    let broken = Stubs::new(USER, &dir.join("log.ndjson"));
    std::fs::remove_file(broken.path().join("app-sso")).unwrap();
    collect(&[], &dir.join("root"), &without, Some(&broken));
    let manifest: serde_json::Value = serde_json::from_slice(
        &entries(&without)
            .into_iter()
            .find(|(n, _)| n == "manifest.json")
            .unwrap()
            .1,
    )
    .unwrap();
    let failed = manifest["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["source"] == "Platform SSO (app-sso platform -s)")
        .unwrap();
    assert_eq!(failed["status"], "failed");
    assert!(
        failed["note"]
            .as_str()
            .unwrap()
            .starts_with("could not run app-sso"),
        "{failed}"
    );
    let live = ca_doctor()
        .arg("check")
        .arg("--root")
        .arg(dir.join("root"))
        .args(["--now", NOW, "--format", "json"])
        .env("CA_DOCTOR_STUB_DIR", stubs.path())
        .output()
        .unwrap();
    let live: serde_json::Value = serde_json::from_slice(&live.stdout).unwrap();
    assert_eq!(
        status_and_ids(&analyze_json(&bundle, &[])),
        status_and_ids(&live)
    );
}

/// Secrets and personal data seeded into every kind of input.
const JWT: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1cG4iOiJqYW5lLmRvZUBjb250b3NvLmNvbSJ9.SIGNATUREsignatureSIGNATURE";
/// A second token, planted across the 1 MiB boundary of a very long line.
const LONG_LINE_JWT: &str =
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzdHJhZGRsZSJ9.STRADDLESTRADDLESTRADDLE";
const SECRETS: &[&str] = &[
    JWT,
    LONG_LINE_JWT,
    "BearerSecretValue123",
    "AccessTok3nValue",
    "RefreshTok3nValue",
    "RefreshCamelValue",
    "RefreshSpacedValue",
    "IdTok3nValue",
    "ClientS3cretValue",
    "AuthCod3Value",
    "Pr0xyPassw0rd",
    "Ass3rtionValue",
    "ApiK3yValue",
    "ArrayTok3nValue",
    "DictS3cretValue",
    "DataBl0bValue",
];
const PERSONAL: &[&str] = &[
    "jane.doe@contoso.com",
    "Jane.Doe@Contoso.com",
    "test.user",
    "C02XK1ABJG5H",
    "10.20.30.40",
    "fe80::1c2d:3e4f:5a6b:7c8d",
    "8f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
    "11112222-3333-4444-5555-666677778888",
    "ClientInf0Value",
];

fn seeded_line(time: &str) -> String {
    let message = format!(
        "token {JWT} Authorization: Bearer BearerSecretValue123 access_token=AccessTok3nValue refresh_token: RefreshTok3nValue refreshToken=RefreshCamelValue Refresh token: RefreshSpacedValue id_token=IdTok3nValue client_secret=ClientS3cretValue assertion=Ass3rtionValue api_key: ApiK3yValue redirect https://login.example.com/cb?code=AuthCod3Value&state=1 proxy https://proxyuser:Pr0xyPassw0rd@proxy.contoso.com:8080 for Jane.Doe@Contoso.com as test.user from 10.20.30.40 and fe80::1c2d:3e4f:5a6b:7c8d home_account_id=8f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 oid: 11112222-3333-4444-5555-666677778888 client_info=ClientInf0Value IOPlatformSerialNumber = C02XK1ABJG5H"
    );
    serde_json::json!({"timestamp": time, "messageType": "Default", "eventMessage": message, "subsystem": "com.jamf.management.jamfAAD", "category": "msal", "processImagePath": "/Users/test.user/Applications/Jamf Conditional Access", "processID": 1}).to_string()
}

fn seeded_mac(root: &Path) -> PathBuf {
    copy_tree(&fixture("healthy").join("root"), root);
    let log = root.join("seeded.ndjson");
    let mut lines: Vec<String> = std::fs::read_to_string(fixture("healthy").join("log.ndjson"))
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    lines.insert(5, seeded_line("2026-11-19 10:00:00.000000-0500"));
    // A line over 1 MiB with a token across the piece boundary.
    let padding = "x".repeat((1 << 20) - 80);
    let long = serde_json::json!({"timestamp": "2026-11-19 10:00:01.000000-0500", "eventMessage": format!("{padding} {LONG_LINE_JWT} tail"), "subsystem": "com.apple.AppSSO", "processID": 1}).to_string();
    lines.insert(6, long);
    std::fs::write(&log, lines.join("\n") + "\n").unwrap();
    let mut prefs = plist::Dictionary::new();
    prefs.insert("have_an_Azure_id".into(), plist::Value::Boolean(true));
    // Stored as a string, as `defaults write` does: a key holding "token"
    // that is no secret, and must survive redaction.
    prefs.insert(
        "last_aad_token_timestamp".into(),
        plist::Value::String("1795176000".into()),
    );
    prefs.insert(
        "upn".into(),
        plist::Value::String("jane.doe@contoso.com".into()),
    );
    prefs.insert("cachedToken".into(), plist::Value::String(JWT.into()));
    prefs.insert(
        "refreshTokens".into(),
        plist::Value::Array(vec![plist::Value::String("ArrayTok3nValue".into())]),
    );
    let mut secret = plist::Dictionary::new();
    secret.insert(
        "value".into(),
        plist::Value::String("DictS3cretValue".into()),
    );
    prefs.insert("ClientSecret".into(), plist::Value::Dictionary(secret));
    prefs.insert(
        "opaque".into(),
        plist::Value::Data(b"DataBl0bValue".to_vec()),
    );
    prefs.insert(
        "SerialNumber".into(),
        plist::Value::String("C02XK1ABJG5H".into()),
    );
    prefs.insert(
        "homeFolder".into(),
        plist::Value::String("/Users/test.user".into()),
    );
    plist::Value::Dictionary(prefs)
        .to_file_binary(
            root.join("Users/test.user/Library/Preferences/com.jamf.management.jamfAAD.plist"),
        )
        .unwrap();
    let managed = root.join("Library/Managed Preferences");
    std::fs::create_dir_all(&managed).unwrap();
    let mut connect = plist::Dictionary::new();
    connect.insert(
        "OIDCClientSecret".into(),
        plist::Value::String("ClientS3cretValue".into()),
    );
    connect.insert(
        "OIDCRedirectURI".into(),
        plist::Value::String("https://127.0.0.1/jamfconnect?code=AuthCod3Value".into()),
    );
    plist::Value::Dictionary(connect)
        .to_file_xml(managed.join("com.jamf.connect.login.plist"))
        .unwrap();
    let intune = root.join("Library/Logs/Microsoft/Intune");
    std::fs::create_dir_all(&intune).unwrap();
    std::fs::write(
        intune.join("IntuneMDMDaemon 2026-11-19.log"),
        format!("{}\n", seeded_line("x")),
    )
    .unwrap();
    let cp = root.join("Users/test.user/Library/Logs/Company Portal");
    std::fs::create_dir_all(&cp).unwrap();
    std::fs::write(
        cp.join("CompanyPortal.log"),
        "Authorization: Bearer BearerSecretValue123 user jane.doe@contoso.com\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("var/log")).unwrap();
    std::fs::write(root.join("var/log/jamf.log"), "Checking for policies... proxy https://proxyuser:Pr0xyPassw0rd@proxy.contoso.com for test.user\n").unwrap();
    log
}

#[test]
fn no_secret_and_no_personal_data_survives_in_any_entry() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("mac");
    let log = seeded_mac(&root);
    let stubs = Stubs::new(USER, &log);
    stubs.write("app-sso", "printf 'registrationCompleted : true\\nrefresh_token = RefreshTok3nValue\\nloginUser: Jane.Doe@Contoso.com\\n'");
    stubs.write("security", "printf 'keychain: \"/Users/test.user/Library/Keychains/login.keychain-db\"\\n    \"labl\"<blob>=\"MS-ORGANIZATION-ACCESS\"\\n    \"subj\" jane.doe@contoso.com\\n'");
    let bundle = work.path().join("redacted.zip");
    collect(&["--redact-pii"], &root, &bundle, Some(&stubs));
    let all = entries(&bundle);
    assert!(
        all.len() > 10,
        "{:?}",
        all.iter().map(|e| &e.0).collect::<Vec<_>>()
    );
    for (name, bytes) in &all {
        let text = String::from_utf8_lossy(bytes);
        for needle in SECRETS.iter().chain(PERSONAL) {
            assert!(
                !text.to_lowercase().contains(&needle.to_lowercase()),
                "{needle} survived in {name}"
            );
            assert!(!name.contains(needle), "{needle} in the entry name {name}");
        }
    }
    let manifest_bytes = &all.iter().find(|(n, _)| n == "manifest.json").unwrap().1;
    let manifest: serde_json::Value = serde_json::from_slice(manifest_bytes)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(manifest_bytes)));
    let counts = &manifest["redaction"]["counts"];
    for kind in [
        "jwt",
        "auth-header",
        "token-value",
        "auth-code",
        "url-credential",
        "email",
        "user-name",
        "plist-secret",
        "plist-data",
        "serial-number",
        "ip-address",
        "account-id",
    ] {
        assert!(
            counts[kind].as_u64().unwrap_or(0) > 0,
            "no {kind} counted: {counts}"
        );
    }
    // Pseudonyms are stable: the user's pseudonym names the registration file and appears in the log copy.
    let pseudonym = manifest["users"][0].as_str().unwrap().to_string();
    assert!(pseudonym.starts_with("user-"));
    let log_copy = String::from_utf8_lossy(
        &all.iter()
            .find(|(n, _)| n == "logs/unified.ndjson")
            .unwrap()
            .1,
    )
    .into_owned();
    assert!(log_copy.contains(&pseudonym));
    // And the redacted bundle analyses to the verdict check gives.
    let checked = succeed(
        ca_doctor()
            .arg("check")
            .arg("--root")
            .arg(&root)
            .args(["--user", USER, "--now", NOW, "--format", "json", "--log"])
            .arg(&log),
    );
    let checked: serde_json::Value = serde_json::from_slice(&checked.stdout).unwrap();
    let analysed = analyze_json(&bundle, &[]);
    assert_eq!(status_and_ids(&analysed), status_and_ids(&checked));
    assert_eq!(
        analysed["facts"]["last_token_timestamp"],
        checked["facts"]["last_token_timestamp"]
    );

    // Without --redact-pii: secrets still go, personal data stays.
    let plain = work.path().join("plain.zip");
    collect(&[], &root, &plain, Some(&stubs));
    let mut saw_email = false;
    for (name, bytes) in entries(&plain) {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        for secret in SECRETS {
            assert!(
                !text.contains(&secret.to_lowercase()),
                "{secret} survived in {name}"
            );
        }
        saw_email |= text.contains("jane.doe@contoso.com");
    }
    assert!(saw_email);
}

/// A bundle collected to the user's Desktop (the default output) on a Mac
/// whose directory service gives the user uid 4321, gid 8765: the work
/// folder, the Mac's root, its Desktop, the stubs and the bundle made.
fn desktop_bundle() -> (tempfile::TempDir, PathBuf, PathBuf, Stubs, PathBuf) {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("mac");
    copy_tree(&fixture("healthy").join("root"), &root);
    let stubs = Stubs::new(USER, &fixture("healthy").join("log.ndjson"));
    stubs.write(
        "dscl",
        "printf 'NFSHomeDirectory: /Users/test.user\\nUniqueID: 4321\\nPrimaryGroupID: 8765\\n'",
    );
    let desktop = root.join("Users/test.user/Desktop");
    std::fs::create_dir_all(&desktop).unwrap();
    succeed(
        ca_doctor()
            .args(["collect", "--now", NOW, "--root"])
            .arg(&root)
            .env("CA_DOCTOR_STUB_DIR", stubs.path()),
    );
    let made: Vec<PathBuf> = std::fs::read_dir(&desktop)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(made.len(), 1);
    let bundle = made[0].clone();
    (work, root, desktop, stubs, bundle)
}

#[test]
#[cfg_attr(
    not_root,
    ignore = "handing a file to another user needs root (CI runs as root)"
)]
fn the_desktop_bundle_is_handed_to_the_user() {
    let (_work, _, _, _, bundle) = desktop_bundle();
    let metadata = std::fs::metadata(&bundle).unwrap();
    assert_eq!(
        (metadata.uid(), metadata.gid()),
        (4321, 8765),
        "handed to the user"
    );
}

#[test]
fn the_desktop_bundle_is_private_and_never_follows_a_symlink() {
    let (work, root, desktop, stubs, bundle) = desktop_bundle();
    let name = bundle.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("ca-doctor-") && name.ends_with("-20261120-120000.zip"),
        "{name}"
    );
    let metadata = std::fs::metadata(&bundle).unwrap();
    assert_eq!(metadata.mode() & 0o777, 0o600);
    // A Desktop that is a symlink is refused; nothing lands where it points.
    std::fs::remove_dir_all(&desktop).unwrap();
    let elsewhere = work.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &desktop).unwrap();
    let output = ca_doctor()
        .args(["collect", "--now", NOW, "--root"])
        .arg(&root)
        .env("CA_DOCTOR_STUB_DIR", stubs.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    // An existing file is never replaced.
    let existing = work.path().join("exists.zip");
    std::fs::write(&existing, "keep").unwrap();
    let output = ca_doctor()
        .args(["collect", "--now", NOW, "--user", USER, "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&existing)
        .env("CA_DOCTOR_STUB_DIR", stubs.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "keep");
}

#[test]
fn standard_output_and_the_size_cap() {
    let dir = fixture("mixed-deactivated");
    let work = tempfile::tempdir().unwrap();
    let output = succeed(
        ca_doctor()
            .args([
                "collect", "--now", NOW, "--user", USER, "--output", "-", "--root",
            ])
            .arg(dir.join("root"))
            .arg("--log")
            .arg(dir.join("log.json")),
    );
    let streamed = work.path().join("streamed.zip");
    std::fs::write(&streamed, &output.stdout).unwrap();
    assert_eq!(
        status_and_ids(&analyze_json(&streamed, &[])),
        status_and_ids(&check_json(&dir, &dir.join("log.json")))
    );

    // A 1 MiB cap on a bigger log: the copy is cut, the verdict is still the whole log's.
    let big = work.path().join("big.ndjson");
    let mut text = std::fs::read_to_string(dir.join("log.ndjson")).unwrap();
    let noise = "{\"timestamp\":\"2026-11-19 13:30:00.000000-0500\",\"eventMessage\":\"noise\"}\n"
        .repeat(40_000);
    text = text.replacen("\n", &format!("\n{noise}"), 1);
    std::fs::write(&big, &text).unwrap();
    let capped = work.path().join("capped.zip");
    collect(
        &[
            "--user",
            USER,
            "--max-size",
            "1",
            "--log",
            big.to_str().unwrap(),
        ],
        &dir.join("root"),
        &capped,
        None,
    );
    let all = entries(&capped);
    let manifest: serde_json::Value =
        serde_json::from_slice(&all.iter().find(|(n, _)| n == "manifest.json").unwrap().1).unwrap();
    assert_eq!(manifest["truncated"], true);
    let verdict: serde_json::Value = serde_json::from_slice(
        &all.iter()
            .find(|(n, _)| n == "verdict.json")
            .map(|e| e.1.clone())
            .unwrap_or_default(),
    )
    .unwrap_or_default();
    if verdict.is_object() {
        assert_eq!(verdict["status"], "deactivated");
    }
    let total: usize = all
        .iter()
        .filter(|(n, _)| n != "manifest.json")
        .map(|(_, b)| b.len())
        .sum();
    assert!(total <= 1 << 20, "{total} bytes for a 1 MiB cap");
}

#[test]
fn analyze_refuses_unsafe_zips_with_a_clear_error() {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let work = tempfile::tempdir().unwrap();
    type AddEntry = Box<dyn Fn(&mut zip::ZipWriter<std::fs::File>)>;
    let cases: [(&str, AddEntry); 3] = [
        (
            "zip-slip",
            Box::new(|z| {
                z.start_file("../../../tmp/evil.sh", SimpleFileOptions::default())
                    .unwrap();
                z.write_all(b"echo owned").unwrap();
            }),
        ),
        (
            "absolute",
            Box::new(|z| {
                z.start_file("/etc/evil", SimpleFileOptions::default())
                    .unwrap();
                z.write_all(b"x").unwrap();
            }),
        ),
        (
            "symlink",
            Box::new(|z| {
                z.add_symlink(
                    "prefs/com.jamfsoftware.jamf.plist",
                    "/etc/master.passwd",
                    SimpleFileOptions::default(),
                )
                .unwrap();
            }),
        ),
    ];
    for (name, add) in cases {
        let path = work.path().join(format!("{name}.zip"));
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        zip.start_file("manifest.json", SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"{}").unwrap();
        add(&mut zip);
        zip.finish().unwrap();
        let output = ca_doctor().arg("analyze").arg(&path).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{name}");
        let error = String::from_utf8_lossy(&output.stderr);
        assert_eq!(error.lines().count(), 1, "{error}");
        assert!(error.contains("refusing"), "{name}: {error}");
    }
    assert!(!Path::new("/tmp/evil.sh").exists());
}

/// Plants a symlink as an unprivileged user would: owned by uid 501 (when
/// the tests run as root, which can give it away).
fn plant_user_link(target: &Path, link: &Path) {
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, link).unwrap();
    if unsafe { libc::geteuid() } == 0 {
        std::os::unix::fs::lchown(link, Some(501), Some(20)).unwrap();
    }
}

#[test]
fn collect_never_follows_a_user_s_folder_symlink_into_a_root_only_folder() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("mac");
    copy_tree(&fixture("healthy").join("root"), &root);
    let secret = work.path().join("root-only");
    std::fs::create_dir(&secret).unwrap();
    std::fs::write(secret.join("secret.log"), "TOPSECRET-CONTENT\n").unwrap();
    // Every log folder collect copies, replaced by a symlink to the secret.
    let planted = [
        root.join("Users/test.user/Library/Logs/Company Portal"),
        root.join("Library/Logs/Microsoft/Intune"),
    ];
    for link in &planted {
        plant_user_link(&secret, link);
    }
    let bundle = work.path().join("bundle.zip");
    collect(
        &[
            "--user",
            USER,
            "--log",
            fixture("healthy").join("log.ndjson").to_str().unwrap(),
        ],
        &root,
        &bundle,
        None,
    );
    for (name, bytes) in entries(&bundle) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("TOPSECRET"),
            "{name} holds the root-only file"
        );
    }
    let manifest: serde_json::Value = serde_json::from_slice(
        &entries(&bundle)
            .into_iter()
            .find(|(name, _)| name == "manifest.json")
            .unwrap()
            .1,
    )
    .unwrap();
    for link in &planted {
        let item = manifest["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["source"] == link.display().to_string())
            .unwrap_or_else(|| panic!("{} not recorded", link.display()));
        assert_eq!(item["status"], "failed", "{item}");
        let note = item["note"].as_str().unwrap();
        assert!(
            note.starts_with("a symlink owned by uid") && note.ends_with("not followed"),
            "{note}"
        );
    }
}

#[test]
fn analyze_reads_a_pipe_once_and_matches_the_file() {
    let dir = fixture("mixed-deactivated");
    let log = dir.join("log.ndjson");
    let from_file = analyze_json(&log, &["--now", NOW]);
    let mut child = ca_doctor()
        .args(["analyze", "/dev/stdin", "--format", "json", "--now", NOW])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let bytes = std::fs::read(&log).unwrap();
    {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(&bytes).unwrap();
    }
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let from_pipe: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(status_and_ids(&from_pipe), status_and_ids(&from_file));
    assert_eq!(from_pipe["status"], "deactivated");
}

#[test]
fn analyze_leaves_no_working_folder_behind_when_killed() {
    let work = tempfile::tempdir().unwrap();
    let fifo = work.path().join("never-written");
    support::make_fifo(&fifo);
    let tmp = work.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    // Reading the FIFO blocks until a writer comes: kill it while it waits.
    let mut child = ca_doctor()
        .arg("analyze")
        .arg(&fifo)
        .env("TMPDIR", &tmp)
        .spawn()
        .unwrap();
    let made = |tmp: &Path| {
        std::fs::read_dir(tmp)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("ca-doctor-analyze-")
            })
            .map(|e| e.path())
            .collect::<Vec<_>>()
    };
    let started = std::time::Instant::now();
    while made(&tmp).is_empty() && started.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let folders = made(&tmp);
    assert_eq!(folders.len(), 1, "the working folder exists while it runs");
    assert_eq!(
        std::fs::metadata(&folders[0]).unwrap().mode() & 0o777,
        0o700,
        "private"
    );
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(made(&tmp).is_empty(), "removed on SIGTERM");
}

/// The text of every entry of a bundle, and its manifest.
fn bundle_text(zip: &Path) -> (String, serde_json::Value) {
    let mut all = String::new();
    let mut manifest = serde_json::Value::Null;
    for (name, bytes) in entries(zip) {
        if name == "manifest.json" {
            manifest = serde_json::from_slice(&bytes).unwrap();
        }
        all.push_str(&name);
        all.push('\n');
        all.push_str(&String::from_utf8_lossy(&bytes));
    }
    (all, manifest)
}

/// The manifest's item whose source ends with `source`.
fn manifest_item<'a>(manifest: &'a serde_json::Value, source: &str) -> &'a serde_json::Value {
    manifest["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["source"].as_str().unwrap_or("").ends_with(source))
        .unwrap_or_else(|| panic!("no item {source} in {manifest}"))
}

#[test]
fn a_hard_link_in_a_user_s_folder_is_never_copied() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("mac");
    copy_tree(&fixture("healthy").join("root"), &root);
    // A root-only file on the same volume, hard-linked by the user into a
    // folder collect copies.
    let secret = root.join("private/var/root/secret.log");
    std::fs::create_dir_all(secret.parent().unwrap()).unwrap();
    std::fs::write(&secret, "ROOT-ONLY-SECRET\n").unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    let portal = root.join("Users/test.user/Library/Logs/Company Portal");
    std::fs::create_dir_all(&portal).unwrap();
    std::fs::hard_link(&secret, portal.join("CompanyPortal.log")).unwrap();
    let prefs = root.join("Users/test.user/Library/Preferences");
    std::fs::hard_link(&secret, prefs.join("com.jamf.connect.state.plist")).unwrap();
    let zip = work.path().join("bundle.zip");
    let log = fixture("healthy").join("log.ndjson");
    collect(
        &["--user", USER, "--log", log.to_str().unwrap()],
        &root,
        &zip,
        None,
    );
    let (text, manifest) = bundle_text(&zip);
    assert!(!text.contains("ROOT-ONLY-SECRET"), "{text}");
    for source in ["CompanyPortal.log", "com.jamf.connect.state.plist"] {
        let item = manifest_item(&manifest, source);
        assert_eq!(item["status"], "failed", "{item}");
        assert!(
            item["note"]
                .as_str()
                .unwrap()
                .contains("a hard link (3 links)"),
            "{item}"
        );
    }
}

#[test]
#[cfg_attr(
    not_root,
    ignore = "giving a file to another owner needs root (CI runs as root)"
)]
fn a_file_in_a_user_s_folder_owned_by_someone_else_is_never_copied() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("mac");
    copy_tree(&fixture("healthy").join("root"), &root);
    let home = root.join("Users/test.user");
    std::os::unix::fs::chown(&home, Some(501), Some(20)).unwrap();
    let portal = home.join("Library/Logs/Company Portal");
    std::fs::create_dir_all(&portal).unwrap();
    let foreign = portal.join("CompanyPortal.log");
    std::fs::write(&foreign, "ANOTHER-USER-S-LOG\n").unwrap();
    std::os::unix::fs::chown(&foreign, Some(777), Some(20)).unwrap();
    let own = portal.join("CompanyPortal-1.log");
    std::fs::write(&own, "THE-USER-S-OWN-LOG\n").unwrap();
    std::os::unix::fs::chown(&own, Some(501), Some(20)).unwrap();
    let zip = work.path().join("bundle.zip");
    let log = fixture("healthy").join("log.ndjson");
    collect(
        &["--user", USER, "--log", log.to_str().unwrap()],
        &root,
        &zip,
        None,
    );
    let (text, manifest) = bundle_text(&zip);
    assert!(!text.contains("ANOTHER-USER-S-LOG"));
    assert!(text.contains("THE-USER-S-OWN-LOG"));
    let item = manifest_item(&manifest, "CompanyPortal.log");
    assert!(
        item["note"]
            .as_str()
            .unwrap()
            .contains("owned by uid 777, neither the user nor root"),
        "{item}"
    );
}

/// A shared Mac: test.user (console) and other.user, both with the agent's
/// preferences, Company Portal logs and Jamf Connect's state.
fn shared_mac(root: &Path, stubs: &Stubs) {
    copy_tree(&fixture("healthy").join("root"), root);
    let theirs = root.join("Users/other.user");
    copy_tree(&root.join("Users/test.user"), &theirs);
    for (user, marker) in [
        ("test.user", "CONSOLE-USER-LOG"),
        ("other.user", "OTHER-USER-LOG"),
    ] {
        let portal = root.join(format!("Users/{user}/Library/Logs/Company Portal"));
        std::fs::create_dir_all(&portal).unwrap();
        std::fs::write(portal.join("CompanyPortal.log"), format!("{marker}\n")).unwrap();
    }
    stubs.write(
        "dscl",
        "case \"$2\" in\n  -list) printf 'test.user /Users/test.user\\nother.user /Users/other.user\\n' ;;\n  *) case \"$3\" in\n    */other.user) printf 'NFSHomeDirectory: /Users/other.user\\nPrimaryGroupID: 20\\nUniqueID: 502\\n' ;;\n    *) printf 'NFSHomeDirectory: /Users/test.user\\nPrimaryGroupID: 20\\nUniqueID: 501\\n' ;;\n  esac ;;\nesac",
    );
}

#[test]
fn a_bundle_in_a_user_s_folder_holds_only_that_user_s_files() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("mac");
    let stubs = Stubs::new(USER, &fixture("healthy").join("log.ndjson"));
    shared_mac(&root, &stubs);
    let desktop = root.join("Users/test.user/Desktop");
    std::fs::create_dir_all(&desktop).unwrap();
    // The console user's bundle, on their Desktop, even with --all-users.
    for extra in [&[][..], &["--all-users"][..]] {
        for made in std::fs::read_dir(&desktop).unwrap() {
            std::fs::remove_file(made.unwrap().path()).unwrap();
        }
        succeed(
            ca_doctor()
                .args(["collect", "--now", NOW, "--root"])
                .arg(&root)
                .args(extra)
                .env("CA_DOCTOR_STUB_DIR", stubs.path()),
        );
        let zip = std::fs::read_dir(&desktop)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let (text, manifest) = bundle_text(&zip);
        assert!(text.contains("CONSOLE-USER-LOG"), "{extra:?}");
        assert!(!text.contains("OTHER-USER-LOG"), "{extra:?}");
        assert!(!text.contains("prefs/users/other.user"), "{extra:?}");
        if extra.is_empty() {
            continue;
        }
        let item = manifest_item(&manifest, "the files of other.user");
        assert_eq!(item["status"], "skipped");
        assert!(
            item["note"]
                .as_str()
                .unwrap()
                .contains("test.user's folder"),
            "{item}"
        );
    }
    // Without --all-users an admin's bundle outside the users' folders holds
    // the console user's files only; with it, everyone's.
    let outside = work.path().join("admin.zip");
    collect(&[], &root, &outside, Some(&stubs));
    assert!(!bundle_text(&outside).0.contains("OTHER-USER-LOG"));
    let everyone = work.path().join("everyone.zip");
    succeed(
        ca_doctor()
            .args(["collect", "--now", NOW, "--all-users", "--root"])
            .arg(&root)
            .arg("--output")
            .arg(&everyone)
            .env("CA_DOCTOR_STUB_DIR", stubs.path()),
    );
    let text = bundle_text(&everyone).0;
    assert!(text.contains("OTHER-USER-LOG") && text.contains("CONSOLE-USER-LOG"));
}

#[test]
fn a_failed_collect_leaves_no_partial_bundle() {
    let work = tempfile::tempdir().unwrap();
    let zip = work.path().join("bundle.zip");
    let output = ca_doctor()
        .args(["collect", "--now", NOW, "--user", USER, "--root"])
        .arg(fixture("healthy").join("root"))
        .args(["--log", "/nonexistent/log.ndjson", "--output"])
        .arg(&zip)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("/nonexistent/log.ndjson"),
        "{output:?}"
    );
    assert!(!zip.exists(), "a partial bundle was left behind");
    assert_eq!(std::fs::read_dir(work.path()).unwrap().count(), 0);
}

#[test]
fn a_second_bundle_on_the_desktop_gets_a_name_of_its_own() {
    let (_work, root, desktop, stubs, first) = desktop_bundle();
    let before = std::fs::read(&first).unwrap();
    succeed(
        ca_doctor()
            .args(["collect", "--now", NOW, "--root"])
            .arg(&root)
            .env("CA_DOCTOR_STUB_DIR", stubs.path()),
    );
    let mut names: Vec<String> = std::fs::read_dir(&desktop)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].ends_with("-20261120-120000-2.zip"), "{names:?}");
    assert!(names[1].ends_with("-20261120-120000.zip"), "{names:?}");
    assert_eq!(
        std::fs::read(&first).unwrap(),
        before,
        "the first is untouched"
    );
}

#[test]
fn an_output_path_through_a_user_s_symlinked_folder_is_refused() {
    let work = tempfile::tempdir().unwrap();
    let target = work.path().join("root-only");
    std::fs::create_dir(&target).unwrap();
    let users = work.path().join("Users/jdoe");
    std::fs::create_dir_all(&users).unwrap();
    plant_user_link(&target, &users.join("Reports"));
    let collect_to = |output: PathBuf| {
        ca_doctor()
            .args(["collect", "--now", NOW, "--user", USER, "--root"])
            .arg(fixture("healthy").join("root"))
            .arg("--log")
            .arg(fixture("healthy").join("log.ndjson"))
            .arg("--output")
            .arg(output)
            .output()
            .unwrap()
    };
    let output = collect_to(users.join("Reports/deep/../bundle.zip"));
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let output = collect_to(users.join("Reports/bundle.zip"));
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(
        String::from_utf8_lossy(&output.stderr).starts_with("ca-doctor: error: --output "),
        "{output:?}"
    );
    assert_eq!(std::fs::read_dir(&target).unwrap().count(), 0);
}

#[test]
fn analyze_unpacks_only_where_nobody_else_can_swap_its_folder() {
    let work = tempfile::tempdir().unwrap();
    let open = work.path().join("open");
    std::fs::create_dir(&open).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
    let log = fixture("healthy").join("log.ndjson");
    let output = ca_doctor()
        .arg("analyze")
        .arg(&log)
        .env("TMPDIR", &open)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("others could swap it"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(std::fs::read_dir(&open).unwrap().count(), 0);
    // A sticky folder (as /tmp is) will do.
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let output = ca_doctor()
        .arg("analyze")
        .arg(&log)
        .env("TMPDIR", &open)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
}

/// The redaction corpus: `[text, secret]` forms no redactor may let through.
fn redaction_corpus() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/redaction-corpus.json"),
    )
    .unwrap();
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    document["forms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|form| {
            (
                form[0].as_str().unwrap().to_string(),
                form[1].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn no_form_of_a_secret_survives_collect_in_text_plists_or_names() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("mac");
    copy_tree(&fixture("healthy").join("root"), &root);
    let corpus = redaction_corpus();
    let mut lines: String = corpus.iter().map(|(text, _)| format!("{text}\n")).collect();
    lines.push_str("request header Authorization: Bearer\n  SplitBearerToken123 rest\n");
    let portal = root.join("Users/test.user/Library/Logs/Company Portal");
    std::fs::create_dir_all(&portal).unwrap();
    std::fs::write(portal.join("CompanyPortal.log"), &lines).unwrap();
    // Names of files carry tokens and user names too.
    std::fs::write(
        portal.join("CompanyPortal-eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.NameSig1234.log"),
        "x\n",
    )
    .unwrap();
    std::fs::write(portal.join("CompanyPortal-test.user.log"), "y\n").unwrap();
    std::fs::create_dir_all(root.join("var/log")).unwrap();
    std::fs::write(root.join("var/log/jamf.log"), &lines).unwrap();
    let mut state = plist::Dictionary::new();
    for (key, value) in [
        (
            "ROPGClientSecretURL",
            "https://login.example.com/SecretUrlValue",
        ),
        ("tokenEndpointSecret", "EndpointSecretValue"),
        ("ADPassphrase", "PassphraseValue"),
        ("LDAPBindPW", "BindPwValue"),
        ("Pwd", "ShortPwdValue"),
        ("clientKey", "ClientKeyValue"),
        ("Cached", r#"{"refresh_token":"PlistJsonValue2","x":1}"#),
        ("PasswordType", "Local"),
    ] {
        state.insert(key.into(), plist::Value::String(value.into()));
    }
    // Every form of the corpus inside string values of the plist too (the
    // XML's escaping must not hide them), and a plist named for the user.
    for (n, (text, _)) in corpus.iter().enumerate() {
        state.insert(format!("Note{n}"), plist::Value::String(text.clone()));
    }
    plist::Value::Dictionary(plist::Dictionary::from_iter([(
        "LastUser".to_string(),
        plist::Value::String("someone".into()),
    )]))
    .to_file_xml(root.join("Users/test.user/Library/Preferences/com.jamf.connect.test.user.plist"))
    .unwrap();
    let mut policies = plist::Dictionary::new();
    policies.insert("NetworkCheck".into(), plist::Value::Integer(60.into()));
    state.insert(
        "PasswordPolicies".into(),
        plist::Value::Dictionary(policies),
    );
    plist::Value::Dictionary(state)
        .to_file_xml(root.join("Users/test.user/Library/Preferences/com.jamf.connect.state.plist"))
        .unwrap();
    let zip = work.path().join("bundle.zip");
    let log = fixture("healthy").join("log.ndjson");
    collect(
        &[
            "--user",
            USER,
            "--redact-pii",
            "--log",
            log.to_str().unwrap(),
        ],
        &root,
        &zip,
        None,
    );
    let mut secrets: Vec<String> = corpus.into_iter().map(|(_, secret)| secret).collect();
    secrets.extend(
        [
            "SplitBearerToken123",
            "SecretUrlValue",
            "EndpointSecretValue",
            "PassphraseValue",
            "BindPwValue",
            "ShortPwdValue",
            "ClientKeyValue",
            "PlistJsonValue2",
            "NameSig1234",
            "test.user",
        ]
        .map(String::from),
    );
    let all = entries(&zip);
    let mut state_text = String::new();
    for (name, bytes) in &all {
        let text = String::from_utf8_lossy(bytes);
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "{secret} survived in {name}"
            );
            assert!(
                !name.contains(secret.as_str()),
                "{secret} in the entry name {name}"
            );
        }
        if name.ends_with("com.jamf.connect.state.plist") {
            state_text = text.into_owned();
        }
    }
    // Settings that carry no secret stay readable.
    assert!(
        state_text.contains("<key>NetworkCheck</key>"),
        "{state_text}"
    );
    assert!(
        state_text.contains("<string>Local</string>"),
        "{state_text}"
    );
    let names: Vec<&String> = all.iter().map(|(name, _)| name).collect();
    assert_eq!(
        names
            .iter()
            .filter(|n| n.starts_with("logs/company-portal/"))
            .count(),
        3,
        "{names:?}"
    );
}

#[test]
fn collect_into_a_folder_analyze_from_standard_input_and_errors_that_name_what_was_given() {
    let work = tempfile::tempdir().unwrap();
    let log = fixture("healthy").join("log.ndjson");
    // --output DIR writes inside DIR, named as on the Desktop.
    for _ in 0..2 {
        collect(
            &["--user", USER, "--log", log.to_str().unwrap()],
            &fixture("healthy").join("root"),
            work.path(),
            None,
        );
    }
    let mut names: Vec<String> = std::fs::read_dir(work.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].ends_with("-20261120-120000-2.zip"), "{names:?}");
    // No Desktop: the error says to name --output.
    let root = work.path().join("mac");
    copy_tree(&fixture("healthy").join("root"), &root);
    let output = ca_doctor()
        .args(["collect", "--now", NOW, "--user", USER, "--log"])
        .arg(&log)
        .arg("--root")
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no Desktop folder") && stderr.contains("--output"),
        "{stderr}"
    );
    // analyze - reads standard input.
    let piped = ca_doctor()
        .args(["analyze", "-", "--format", "json"])
        .stdin(std::fs::File::open(&log).unwrap())
        .output()
        .unwrap();
    assert_eq!(piped.status.code(), Some(0), "{piped:?}");
    let from_file = analyze_json(&log, &[]);
    let from_pipe: serde_json::Value = serde_json::from_slice(&piped.stdout).unwrap();
    assert_eq!(status_and_ids(&from_pipe), status_and_ids(&from_file));
    // A file that is no bundle is named as given, not as a --log.
    let bad = work.path().join("bad.zip");
    std::fs::write(&bad, "garbage\n").unwrap();
    let output = ca_doctor().arg("analyze").arg(&bad).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).trim(),
        format!(
            "ca-doctor: error: {}: neither a bundle nor a log show export (no entry in any log show style: default, compact, syslog, json, ndjson)",
            bad.display()
        )
    );
}

#[test]
fn an_analysed_bundle_is_named_with_its_host_and_time_and_no_gone_folder() {
    let work = tempfile::tempdir().unwrap();
    let zip = work.path().join("bundle.zip");
    let log = fixture("healthy").join("log.ndjson");
    collect(
        &["--user", USER, "--log", log.to_str().unwrap()],
        &fixture("healthy").join("root"),
        &zip,
        None,
    );
    let report = analyze_json(&zip, &[]);
    let note = report["facts"]["bundle_note"].as_str().unwrap();
    assert!(
        note.starts_with(&format!("{} from ", zip.display())),
        "{note}"
    );
    assert!(
        note.ends_with("collected 2026-11-20 12:00:00-05:00"),
        "{note}"
    );
    let text = report.to_string();
    assert!(
        !text.contains("ca-doctor-analyze-"),
        "a deleted working folder is shown: {text}"
    );
    assert!(
        text.contains(&format!("[{}]/root/", zip.display())),
        "{text}"
    );
}
