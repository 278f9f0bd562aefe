//! Live mode end to end, with stub macOS commands: `log show` streamed, its
//! failures and time limit, the console user, the directory service, and the
//! registration evidence.

use crate::support;

use crate::support::fixtures::{NOW, USER};
use crate::support::stubs::Stubs;
use crate::support::{ca_doctor, check_json, ea_value, finding, fixture, status_and_ids};
use std::time::{Duration, Instant};

fn live_check(
    root: &std::path::Path,
    stubs: &Stubs,
    extra: &[&str],
) -> (serde_json::Value, String) {
    let output = ca_doctor()
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(["--now", NOW, "--format", "json"])
        .args(extra)
        .env("CA_DOCTOR_STUB_DIR", stubs.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    (serde_json::from_slice(&output.stdout).unwrap(), stderr)
}

#[test]
fn live_log_gives_the_same_verdict_as_the_exported_file() {
    for name in [
        "mixed-deactivated",
        "appsso-not-appsso-url",
        "healthy",
        "invalid-grant",
    ] {
        let dir = fixture(name);
        let stubs = Stubs::new(USER, &dir.join("log.ndjson"));
        let (live, _) = live_check(&dir.join("root"), &stubs, &[]);
        let exported = check_json(&dir, &dir.join("log.ndjson"));
        assert_eq!(status_and_ids(&live), status_and_ids(&exported), "{name}");
        assert_eq!(live["facts"]["user"], USER, "console user from scutil");
        assert_eq!(live["facts"]["log_source"], "live log");
        let calls = std::fs::read_to_string(stubs.log_calls()).unwrap();
        assert!(calls.starts_with("show --style ndjson --info --debug --predicate subsystem CONTAINS \"jamfAAD\" OR subsystem BEGINSWITH \"com.apple.AppSSO\" OR subsystem BEGINSWITH \"com.jamf.backgroundworkflows\" OR subsystem BEGINSWITH \"com.jamf.connect\" OR subsystem BEGINSWITH \"com.jamf.selfserviceplus\" --start 2026-11-15 12:00:00"), "{calls}");
    }
}

#[test]
fn home_folder_comes_from_the_directory_service() {
    let dir = fixture("healthy");
    let root = tempfile::tempdir().unwrap();
    let home = root
        .path()
        .join("Volumes/Data/Homes/test.user/Library/Preferences");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(root.path().join("Library")).unwrap();
    std::fs::copy(
        dir.join("root/Users/test.user/Library/Preferences/com.jamf.management.jamfAAD.plist"),
        home.join("com.jamf.management.jamfAAD.plist"),
    )
    .unwrap();
    let stubs = Stubs::new(USER, &dir.join("log.ndjson"));
    stubs.write("dscl", "printf 'NFSHomeDirectory:\\n /Volumes/Data/Homes/test.user\\nUniqueID: 0\\nPrimaryGroupID: 0\\n'");
    let (report, _) = live_check(root.path(), &stubs, &["--user", USER]);
    assert_eq!(report["facts"]["home"], "/Volumes/Data/Homes/test.user");
    assert_eq!(report["facts"]["user_prefs_present"], true);
}

#[test]
fn nobody_at_the_console_means_the_most_recent_user() {
    let dir = fixture("healthy");
    let root = tempfile::tempdir().unwrap();
    let stubs = Stubs::new("loginwindow", &dir.join("log.ndjson"));
    let prefs = root.path().join("Library/Preferences");
    std::fs::create_dir_all(&prefs).unwrap();
    let mut dict = plist::Dictionary::new();
    dict.insert("lastUserName".into(), plist::Value::String("anna".into()));
    plist::Value::Dictionary(dict)
        .to_file_binary(prefs.join("com.apple.loginwindow.plist"))
        .unwrap();
    let (report, _) = live_check(root.path(), &stubs, &[]);
    assert_eq!(report["facts"]["user"], "anna");
    assert_eq!(
        report["facts"]["user_chosen_by"],
        "most recent user (nobody logged in)"
    );
}

#[test]
fn all_users_lists_every_user_with_agent_preferences() {
    let dir = fixture("deactivated");
    let root = tempfile::tempdir().unwrap();
    let source =
        dir.join("root/Users/test.user/Library/Preferences/com.jamf.management.jamfAAD.plist");
    for user in ["alice", "bob"] {
        let prefs = root
            .path()
            .join(format!("Users/{user}/Library/Preferences"));
        std::fs::create_dir_all(&prefs).unwrap();
        std::fs::copy(&source, prefs.join("com.jamf.management.jamfAAD.plist")).unwrap();
    }
    std::fs::create_dir_all(root.path().join("Users/carol")).unwrap();
    let stubs = Stubs::new(USER, &dir.join("log.ndjson"));
    stubs.write("dscl", "case \"$2\" in\n  -list) printf 'alice /Users/alice\\nbob /Users/bob\\ncarol /Users/carol\\n' ;;\n  *) printf 'NFSHomeDirectory: /Users/%s\\n' \"${3#/Users/}\" ;;\nesac");
    let (report, _) = live_check(root.path(), &stubs, &["--all-users"]);
    let users: Vec<&str> = report["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["facts"]["user"].as_str().unwrap())
        .collect();
    assert_eq!(users, ["alice", "bob"]);
    assert_eq!(report["status"], "deactivated");
}

#[test]
fn a_failing_log_is_reported_with_its_status_and_message() {
    let dir = fixture("healthy");
    let stubs = Stubs::new(USER, &dir.join("log.ndjson"));
    stubs.log_script("echo 'log: Could not open log archive: Operation not permitted' >&2\nexit 1");
    let (report, _) = live_check(&dir.join("root"), &stubs, &[]);
    let finding = finding(&report, "log-incomplete");
    let text = finding["evidence"][0]["value"].as_str().unwrap();
    assert!(
        text.contains("log show exited with status 1: log: Could not open log archive"),
        "{text}"
    );
    // A tool failure is not a Mac problem, and no grounds for healthy.
    assert_eq!(report["status"], "unknown");
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&"input-unreadable"), "{ids:?}");
    let output = ca_doctor()
        .arg("ea")
        .arg("--root")
        .arg(dir.join("root"))
        .args(["--now", NOW, "--state"])
        .arg(tempfile::tempdir().unwrap().path().join("state.json"))
        .env("CA_DOCTOR_STUB_DIR", stubs.path())
        .output()
        .unwrap();
    assert!(
        ea_value(&output)
            .starts_with("unknown: the log could not be read (log show exited with status 1"),
        "{output:?}"
    );
}

#[test]
fn a_hung_log_is_killed_at_its_time_limit_and_what_was_read_counts() {
    let dir = fixture("appsso-not-appsso-url");
    let stubs = Stubs::new(USER, &dir.join("log.ndjson"));
    stubs.log_script(&format!(
        "head -n 20 '{}'\nsleep 60",
        dir.join("log.ndjson").display()
    ));
    let started = Instant::now();
    let (report, _) = live_check(&dir.join("root"), &stubs, &["--log-timeout", "1"]);
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    let (_, ids) = status_and_ids(&report);
    assert!(ids.contains(&"log-incomplete".to_string()), "{ids:?}");
    assert_eq!(report["facts"]["entries_read"], 20);
}

#[test]
fn a_log_that_dies_half_way_or_prints_garbage() {
    let dir = fixture("silent-auth-failed");
    let stubs = Stubs::new(USER, &dir.join("log.ndjson"));
    stubs.log_script(&format!(
        "head -n 30 '{}'\nkill -9 $$",
        dir.join("log.ndjson").display()
    ));
    let (report, _) = live_check(&dir.join("root"), &stubs, &[]);
    let (_, ids) = status_and_ids(&report);
    assert!(ids.contains(&"log-incomplete".to_string()));
    assert!(
        ids.contains(&"silent-auth-failed".to_string()),
        "what was read still counts: {ids:?}"
    );

    // Garbage: the same 20,000 pseudo-random bytes at every run.
    let garbage = stubs.path().join("garbage.bin");
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let bytes: Vec<u8> = (0..20_000)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 56) as u8
        })
        .collect();
    std::fs::write(&garbage, bytes).unwrap();
    stubs.log_script(&format!("cat '{}'", garbage.display()));
    let (report, _) = live_check(&dir.join("root"), &stubs, &[]);
    let (status, ids) = status_and_ids(&report);
    assert!(ids.contains(&"log-unrecognised".to_string()), "{ids:?}");
    // Garbage is not a Mac problem, and no grounds for healthy either.
    assert_eq!(status, "unknown", "{ids:?}");
}

#[test]
fn registration_evidence_findings() {
    // A device certificate, no agent preferences: registration did not finish.
    let dir = fixture("not-registered");
    let stubs = Stubs::new(USER, &dir.join("log.ndjson"));
    stubs.keychain(&["registered-2026-09.der"]);
    let (report, _) = live_check(&dir.join("root"), &stubs, &[]);
    assert_eq!(status_and_ids(&report).0, "at-risk");
    assert_eq!(report["primary_cause"], "registration-incomplete");

    // Registered with Platform SSO, flag false, never a success: not a deactivation.
    let root = tempfile::tempdir().unwrap();
    let prefs = root.path().join("Users/test.user/Library/Preferences");
    std::fs::create_dir_all(&prefs).unwrap();
    let mut dict = plist::Dictionary::new();
    dict.insert("have_an_Azure_id".into(), plist::Value::Boolean(false));
    plist::Value::Dictionary(dict)
        .to_file_binary(prefs.join("com.jamf.management.jamfAAD.plist"))
        .unwrap();
    let empty_log = root.path().join("empty.ndjson");
    std::fs::write(&empty_log, "").unwrap();
    let stubs = Stubs::new(USER, &empty_log);
    stubs.write(
        "app-sso",
        "printf 'Device Configuration:\\n registrationCompleted : true\\n'",
    );
    let (report, _) = live_check(root.path(), &stubs, &[]);
    let (status, ids) = status_and_ids(&report);
    // The empty live log is reported too: nothing came back for the window.
    assert_eq!(ids, ["aad-id-not-acquired", "log-incomplete"]);
    assert_eq!(status, "at-risk");
}

#[test]
fn the_ea_prints_one_result_within_its_time_limit_whatever_log_does() {
    let dir = fixture("healthy");
    // A Mac whose user has a home and nothing else: only the log could say
    // anything, and it fails in every way.
    for (script, expected) in [
        (
            "sleep 60",
            "unknown: the log could not be read (log show was stopped at its time limit after 0 entries)",
        ),
        (
            "head -c 5000 /dev/urandom",
            "unknown: log show --start \"2026-11-15 12:00:00\" is in no log show style, and nothing else could be read",
        ),
        (
            "echo '{\"timestamp\":\"2026-11-19 09:00:00-0500\",' \nkill -9 $$",
            "unknown: the log could not be read (log show was killed by a signal after 1 entry) and test.user has no agent preferences",
        ),
        (
            "exit 3",
            "unknown: the log could not be read (log show exited with status 3 after 0 entries)",
        ),
    ] {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("Users").join(USER)).unwrap();
        let stubs = Stubs::new(USER, &dir.join("log.ndjson"));
        stubs.log_script(script);
        let started = Instant::now();
        let output = ca_doctor()
            .arg("ea")
            .arg("--root")
            .arg(root.path())
            .args(["--now", NOW, "--log-timeout", "2"])
            .env("CA_DOCTOR_STUB_DIR", stubs.path())
            .output()
            .unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "{script}: {:?}",
            started.elapsed()
        );
        assert_eq!(ea_value(&output), expected, "{script}");
    }
}

#[test]
fn a_grandchild_holding_the_pipe_cannot_hold_check() {
    let dir = fixture("healthy");
    let stubs = Stubs::new(USER, &dir.join("log.ndjson"));
    // The stub leaves its process group with a child that keeps stdout open.
    stubs.log_script("setsid sleep 60 &\nexit 0");
    let started = Instant::now();
    let output = ca_doctor()
        .arg("check")
        .arg("--root")
        .arg(dir.join("root"))
        .args(["--now", NOW, "--format", "json", "--log-timeout", "2"])
        .env("CA_DOCTOR_STUB_DIR", stubs.path())
        .output()
        .unwrap();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(8), "check took {took:?}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let (_, ids) = status_and_ids(&report);
    assert!(ids.contains(&"log-incomplete".to_string()), "{ids:?}");
}

#[test]
fn the_ea_answers_in_time_when_every_mac_command_hangs() {
    let dir = fixture("healthy");
    let stubs = Stubs::new(USER, &dir.join("log.ndjson"));
    for command in [
        "scutil",
        "dscl",
        "app-sso",
        "security",
        "jamf-conditional-access",
    ] {
        stubs.write(command, "sleep 60");
    }
    stubs.log_script("sleep 60");
    let state = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let output = ca_doctor()
        .arg("ea")
        .arg("--root")
        .arg(dir.join("root"))
        .args(["--now", NOW, "--log-timeout", "3", "--state"])
        .arg(state.path().join("state.json"))
        .env("CA_DOCTOR_STUB_DIR", stubs.path())
        .output()
        .unwrap();
    let took = started.elapsed();
    // The log's limit, the lookups' margin, and the EA's own deadline.
    assert!(took < Duration::from_secs(3 + 5 + 1), "ea took {took:?}");
    // Nothing answered but the files: the hung log is ca-doctor's problem,
    // not the Mac's, and preferences alone are no grounds for healthy.
    let value = ea_value(&output);
    assert!(
        value.starts_with(
            "unknown: the log could not be read (log show was stopped at its time limit"
        ),
        "{value}"
    );
}

#[test]
fn the_ea_answers_timed_out_whatever_it_waits_for() {
    // A FIFO as --log: opening it blocks until a writer comes, and none will.
    let dir = fixture("healthy");
    let work = tempfile::tempdir().unwrap();
    let fifo = work.path().join("log.fifo");
    support::make_fifo(&fifo);
    let started = Instant::now();
    let output = ca_doctor()
        .arg("ea")
        .arg("--root")
        .arg(dir.join("root"))
        .args(["--user", USER, "--now", NOW, "--log-timeout", "1", "--log"])
        .arg(&fifo)
        .output()
        .unwrap();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(1 + 5 + 2), "ea took {took:?}");
    assert_eq!(ea_value(&output), "unknown: timed out after 6 s");
}
