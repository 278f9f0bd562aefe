//! No verdict without grounds, through the binary: a mistyped user and a
//! missing root are usage errors; each account's log lines count for that
//! account only; a log that fails, hangs or is in no known style is
//! ca-doctor's failure, never a problem of the Mac.

use crate::support::fixtures::{NOW, USER};
use crate::support::stubs::Stubs;
use crate::support::{ca_doctor, ea_value, fixture};
use plist::{Dictionary, Value};
use std::path::Path;
use std::process::Output;

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &Output) -> serde_json::Value {
    assert!(output.status.success(), "{}", stderr(output));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn ids(document: &serde_json::Value) -> Vec<String> {
    document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

/// The agent's preferences of `user` under `root`: signed in at `token_at`.
fn agent_prefs(root: &Path, user: &str, have_id: bool, token_at: &str) {
    let folder = root.join(format!("Users/{user}/Library/Preferences"));
    std::fs::create_dir_all(&folder).unwrap();
    let seconds = chrono::DateTime::parse_from_rfc3339(token_at)
        .unwrap()
        .timestamp();
    let mut dict = Dictionary::new();
    dict.insert("have_an_Azure_id".into(), Value::Boolean(have_id));
    dict.insert(
        "last_aad_token_timestamp".into(),
        Value::Integer(seconds.into()),
    );
    Value::Dictionary(dict)
        .to_file_binary(folder.join("com.jamf.management.jamfAAD.plist"))
        .unwrap();
}

/// A compact-style log of agent workflow lines `(local time, message)`.
fn agent_log(path: &Path, lines: &[(&str, &str)]) {
    let mut text = String::from("Timestamp               Ty Process[PID:TID]\n");
    for (time, message) in lines {
        text.push_str(&format!(
            "2026-11-20 {time}.000 Df Jamf Conditional Access[8812:4a1c2] [com.jamf.management.jamfAAD:workflow] {message}\n"
        ));
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_mistyped_user_is_a_usage_error_and_unknown_in_the_ea() {
    let dir = fixture("healthy");
    let output = ca_doctor()
        .arg("check")
        .arg("--root")
        .arg(dir.join("root"))
        .args(["--user", "nobody.here", "--now", NOW, "--log"])
        .arg(dir.join("log.ndjson"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no such user: nobody.here"), "{err}");
    assert!(err.contains("--user"), "{err}");
    let output = ca_doctor()
        .arg("ea")
        .arg("--root")
        .arg(dir.join("root"))
        .args(["--user", "nobody.here", "--now", NOW, "--log"])
        .arg(dir.join("log.ndjson"))
        .output()
        .unwrap();
    assert!(
        ea_value(&output).starts_with("unknown: no such user: nobody.here"),
        "{}",
        ea_value(&output)
    );
    // The user named in the log but without a home on this copy still counts.
    let output = ca_doctor()
        .arg("check")
        .arg("--root")
        .arg(dir.join("root"))
        .args([
            "--user",
            "TEST.USER",
            "--now",
            NOW,
            "--format",
            "json",
            "--log",
        ])
        .arg(dir.join("log.ndjson"))
        .output()
        .unwrap();
    assert_eq!(json(&output)["status"], "healthy");
}

#[test]
fn a_missing_or_empty_root_is_a_usage_error() {
    let empty = tempfile::tempdir().unwrap();
    let missing = empty.path().join("no-such-root");
    for (root, says) in [
        (missing.as_path(), "no such folder"),
        (empty.path(), "holds none of a Mac's folders"),
    ] {
        let output = ca_doctor()
            .arg("check")
            .arg("--root")
            .arg(root)
            .args(["--user", USER, "--now", NOW])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        let err = stderr(&output);
        assert!(err.contains("--root") && err.contains(says), "{err}");
        let output = ca_doctor()
            .arg("ea")
            .arg("--root")
            .arg(root)
            .args(["--user", USER, "--now", NOW])
            .output()
            .unwrap();
        let value = ea_value(&output);
        assert!(value.starts_with("unknown: --root"), "{value}");
    }
}

#[test]
fn each_account_s_lines_count_for_that_account_only() {
    let root = tempfile::tempdir().unwrap();
    // alice signed in at 09:00 and is deactivated at 10:00; bob signed in
    // at 11:00 (which must not hide alice's deactivation). carol is fine,
    // whatever "No AAD ID found" says of bob earlier.
    agent_prefs(root.path(), "alice", true, "2026-11-20T09:00:00-05:00");
    agent_prefs(root.path(), "bob", true, "2026-11-20T08:00:00-05:00");
    agent_prefs(root.path(), "carol", true, "2026-11-20T11:30:00-05:00");
    let log = root.path().join("agent.log");
    agent_log(
        &log,
        &[
            ("07:00:00", "No AAD ID found for macOS user account bob"),
            (
                "09:30:00",
                "AAD ID acquired for macOS user account <private>",
            ),
            ("10:00:00", "No AAD ID found for macOS user account alice"),
            ("11:00:00", "AAD ID acquired for macOS user account bob"),
        ],
    );
    let output = ca_doctor()
        .arg("check")
        .arg("--root")
        .arg(root.path())
        .args(["--all-users", "--now", NOW, "--format", "json", "--log"])
        .arg(&log)
        .output()
        .unwrap();
    let report = json(&output);
    let users = report["users"].as_array().unwrap();
    let by_name = |name: &str| {
        users
            .iter()
            .find(|u| u["facts"]["user"] == name)
            .unwrap_or_else(|| panic!("{name} missing"))
    };
    let alice = by_name("alice");
    assert_eq!(alice["status"], "deactivated", "{alice}");
    assert_eq!(alice["facts"]["lines_of_other_accounts"], 2);
    assert_eq!(alice["facts"]["other_accounts"]["bob"], 2);
    assert_eq!(alice["facts"]["private_name_lines"], 1);
    let bob = by_name("bob");
    assert_eq!(bob["status"], "healthy", "{bob}");
    assert_eq!(bob["facts"]["last_success_source"], "log");
    assert_eq!(bob["facts"]["other_accounts"]["alice"], 1);
    let carol = by_name("carol");
    assert_eq!(carol["status"], "healthy", "{carol}");
    assert_eq!(carol["facts"]["lines_of_other_accounts"], 3);
    assert_eq!(report["status"], "deactivated");
}

#[test]
fn a_failing_log_with_nothing_else_is_unknown_with_its_reason() {
    let dir = fixture("healthy");
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("Users").join(USER)).unwrap();
    let stubs = Stubs::new(USER, &dir.join("log.ndjson"));
    stubs.log_script("echo 'log: Could not open log archive: Operation not permitted' >&2\nexit 1");
    let output = ca_doctor()
        .arg("check")
        .arg("--root")
        .arg(root.path())
        .args(["--now", NOW, "--format", "json"])
        .env("CA_DOCTOR_STUB_DIR", stubs.path())
        .output()
        .unwrap();
    let report = json(&output);
    assert_eq!(report["status"], "unknown");
    assert_eq!(ids(&report), ["log-incomplete"]);
    let reason = report["unknown_reason"].as_str().unwrap();
    assert!(
        reason.contains("log show exited with status 1: log: Could not open log archive"),
        "{reason}"
    );
    let state = tempfile::tempdir().unwrap();
    let output = ca_doctor()
        .arg("ea")
        .arg("--root")
        .arg(root.path())
        .args(["--now", NOW, "--state"])
        .arg(state.path().join("state.json"))
        .env("CA_DOCTOR_STUB_DIR", stubs.path())
        .output()
        .unwrap();
    let value = ea_value(&output);
    assert!(
        value.starts_with("unknown: the log could not be read"),
        "{value}"
    );
    assert!(!value.contains("at-risk"), "{value}");
}

#[test]
fn a_hanging_log_says_to_raise_the_time_limit() {
    let dir = fixture("healthy");
    let stubs = Stubs::new(USER, &dir.join("log.ndjson"));
    stubs.log_script("sleep 30");
    let output = ca_doctor()
        .arg("check")
        .arg("--root")
        .arg(dir.join("root"))
        .args(["--now", NOW, "--format", "json", "--log-timeout", "1"])
        .env("CA_DOCTOR_STUB_DIR", stubs.path())
        .output()
        .unwrap();
    let report = json(&output);
    // A hung log is ca-doctor's failure, reported once: never healthy above it.
    assert_eq!(report["status"], "unknown");
    assert!(
        report["unknown_reason"]
            .as_str()
            .unwrap()
            .starts_with("the log could not be read (log show was stopped at its time limit"),
        "{report}"
    );
    assert_eq!(ids(&report), ["log-incomplete", "recurring-auth-removed"]);
    let finding = &report["findings"][0];
    assert_eq!(finding["evidence"].as_array().unwrap().len(), 2);
    assert!(
        finding["evidence"][0]["value"]
            .as_str()
            .unwrap()
            .starts_with("log show was stopped at its time limit after 0 entries"),
        "{finding}"
    );
    assert!(
        finding["remediation"][0]
            .as_str()
            .unwrap()
            .contains("longer --log-timeout (this run allowed 1 s)"),
        "{finding}"
    );
}

#[test]
fn a_garbage_log_is_an_error_alone_and_a_finding_beside_other_inputs() {
    let work = tempfile::tempdir().unwrap();
    let garbage = work.path().join("garbage.log");
    std::fs::write(&garbage, "this is not\na log show export\n\u{1}\u{2}\n").unwrap();
    let root = work.path().join("root");
    std::fs::create_dir_all(root.join("Users").join(USER)).unwrap();
    let output = ca_doctor()
        .arg("check")
        .arg("--root")
        .arg(&root)
        .args(["--user", USER, "--now", NOW, "--log"])
        .arg(&garbage)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("garbage.log: no entry in any log show style"),
        "{err}"
    );
    let dir = fixture("healthy");
    let output = ca_doctor()
        .arg("check")
        .arg("--root")
        .arg(dir.join("root"))
        .args(["--user", USER, "--now", NOW, "--format", "json", "--log"])
        .arg(&garbage)
        .output()
        .unwrap();
    let report = json(&output);
    // Preferences alone cannot show a failing sign-in: no healthy without
    // a log that could be read.
    assert_eq!(report["status"], "unknown");
    assert_eq!(
        report["unknown_reason"], "no log entry in a known style",
        "{report}"
    );
    assert!(ids(&report).contains(&"log-unrecognised".to_string()));
    assert!(!ids(&report).contains(&"input-unreadable".to_string()));
}

#[test]
fn an_exported_log_is_judged_at_its_own_time_and_never_healthy_on_old_entries() {
    let dir = fixture("appsso-not-appsso-url");
    let check = |extra: &[&str]| -> serde_json::Value {
        json(
            &ca_doctor()
                .arg("check")
                .arg("--root")
                .arg(dir.join("root"))
                .args(["--user", USER, "--format", "json", "--log"])
                .arg(dir.join("log.compact.txt"))
                .args(extra)
                .output()
                .unwrap(),
        )
    };
    // Without --now the export's clock is its own: its last entry.
    let own_time = check(&[]);
    assert_eq!(own_time["status"], "at-risk", "{own_time}");
    assert_eq!(own_time["primary_cause"], "appsso-not-appsso-url");
    assert!(
        own_time["facts"]["clock_note"]
            .as_str()
            .unwrap()
            .starts_with("the log's last entry"),
        "{}",
        own_time["facts"]
    );
    // With a --now after every entry: nothing in the window, never healthy.
    let later = check(&["--now", "2026-12-24T12:00:00-05:00"]);
    assert_eq!(later["status"], "unknown", "{later}");
    let reason = later["unknown_reason"].as_str().unwrap();
    assert!(
        reason.starts_with("the log's 13 matching entries all lie before the window"),
        "{reason}"
    );
    assert_eq!(later["facts"]["entries_before_window"], 13);
    // The EA says the same.
    let ea = |extra: &[&str]| {
        ea_value(
            &ca_doctor()
                .arg("ea")
                .arg("--root")
                .arg(dir.join("root"))
                .args(["--user", USER, "--log"])
                .arg(dir.join("log.compact.txt"))
                .args(extra)
                .output()
                .unwrap(),
        )
    };
    assert_eq!(ea(&[]), "at-risk: appsso-not-appsso-url");
    assert!(
        ea(&["--now", "2026-12-24T12:00:00-05:00"])
            .starts_with("unknown: the log's 13 matching entries all lie before the window")
    );
}

#[test]
fn no_such_user_names_the_command_that_ran() {
    let state = tempfile::tempdir().unwrap();
    for command in ["check", "tick", "collect"] {
        let mut run = ca_doctor();
        run.arg(command)
            .arg("--root")
            .arg(fixture("healthy").join("root"))
            .args(["--user", "nobody.here", "--now", NOW, "--log"])
            .arg(fixture("healthy").join("log.ndjson"));
        match command {
            "tick" => {
                run.arg("--state").arg(state.path().join("state.json"));
            }
            "collect" => {
                run.arg("--output").arg(state.path().join("b.zip"));
            }
            _ => {}
        }
        let output = run.output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{command}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr
                .trim()
                .ends_with(&format!("check `{command} --user`")),
            "{stderr}"
        );
    }
}

#[test]
fn jamf_s_device_compliance_workflows_are_read_but_never_judged() {
    let healthy = fixture("healthy");
    let deactivation = std::fs::read_to_string(fixture("deactivated").join("log.ndjson"))
        .unwrap()
        .lines()
        .find(|line| line.contains("No AAD ID found for macOS user account"))
        .unwrap()
        .to_string();
    // After the healthy Mac's last sign-in.
    let at = deactivation.find("\"timestamp\":\"").unwrap() + 13;
    let deactivation = format!(
        "{}2026-11-20 11:00:00.000000-0500{}",
        &deactivation[..at],
        &deactivation[at + 31..]
    );
    let work = tempfile::tempdir().unwrap();
    let with = |line: &str, name: &str| {
        let mut log = std::fs::read_to_string(healthy.join("log.ndjson")).unwrap();
        log.push_str(line);
        log.push('\n');
        let path = work.path().join(name);
        std::fs::write(&path, log).unwrap();
        crate::support::status_and_ids(&crate::support::check_json(&healthy, &path))
    };
    let baseline = crate::support::status_and_ids(&crate::support::check_json(
        &healthy,
        &healthy.join("log.ndjson"),
    ));
    // The same words from Jamf's Device Compliance workflows: not public,
    // never judged.
    let workflows = deactivation.replace(
        "\"subsystem\":\"com.jamf.management.jamfAAD\"",
        "\"subsystem\":\"com.jamf.backgroundworkflows\"",
    );
    assert_ne!(workflows, deactivation);
    assert_eq!(with(&workflows, "workflows.ndjson"), baseline);
    // Near miss: from the agent, they are a deactivation.
    assert_ne!(with(&deactivation, "agent.ndjson"), baseline);
}
