//! What a user of the Mac can put in their own files cannot crash a run
//! of ca-doctor as root, blank the extension attribute or stop `tick`:
//! plists nested far beyond any real one, a failing analysis, absurd flag
//! values.

use crate::support::fixtures::{NOW, USER};
use crate::support::stubs::Stubs;
use crate::support::{ca_doctor, copy_tree, ea_value, finding, fixture};
use std::path::Path;

/// An XML plist whose top level is an array nested `depth` deep (about
/// 15 bytes a level).
fn nested_xml(depth: usize) -> Vec<u8> {
    let mut xml =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n");
    xml.push_str(&"<array>".repeat(depth));
    xml.push_str(&"</array>".repeat(depth));
    xml.push_str("</plist>\n");
    xml.into_bytes()
}

/// A binary plist whose object n is an array holding object n+1, `depth`
/// deep (4-byte references, 9 bytes a level).
fn nested_binary(depth: u32) -> Vec<u8> {
    let mut bytes = b"bplist00".to_vec();
    let mut offsets = Vec::with_capacity(depth as usize + 1);
    for n in 0..depth {
        offsets.push(bytes.len() as u32);
        bytes.push(0xA1);
        bytes.extend((n + 1).to_be_bytes());
    }
    offsets.push(bytes.len() as u32);
    bytes.push(0xA0);
    let table = bytes.len() as u64;
    for offset in offsets {
        bytes.extend(offset.to_be_bytes());
    }
    bytes.extend([0, 0, 0, 0, 0, 0, 4, 4]);
    bytes.extend((u64::from(depth) + 1).to_be_bytes());
    bytes.extend(0u64.to_be_bytes());
    bytes.extend(table.to_be_bytes());
    bytes
}

/// The healthy Mac with the user's agent preferences nested 200,000 deep
/// (XML) and Jamf Connect's state 1,000,000 deep (binary).
fn deep_mac() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    copy_tree(&fixture("healthy").join("root"), root.path());
    let prefs = root
        .path()
        .join(format!("Users/{USER}/Library/Preferences"));
    std::fs::write(
        prefs.join("com.jamf.management.jamfAAD.plist"),
        nested_xml(200_000),
    )
    .unwrap();
    std::fs::write(
        prefs.join("com.jamf.connect.state.plist"),
        nested_binary(1_000_000),
    )
    .unwrap();
    root
}

fn log() -> std::path::PathBuf {
    fixture("healthy").join("log.ndjson")
}

#[test]
fn plists_nested_far_too_deep_are_unreadable_inputs_not_crashes() {
    let root = deep_mac();
    let output = ca_doctor()
        .arg("check")
        .arg("--root")
        .arg(root.path())
        .args(["--user", USER, "--now", NOW, "--format", "json", "--log"])
        .arg(log())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let unreadable = finding(&report, "input-unreadable").to_string();
    assert!(
        unreadable.contains("nested more than 64 levels deep"),
        "{unreadable}"
    );
    assert!(
        unreadable.contains("com.jamf.connect.state.plist"),
        "{unreadable}"
    );

    let value = ea_value(
        &ca_doctor()
            .arg("ea")
            .arg("--root")
            .arg(root.path())
            .args(["--user", USER, "--now", NOW, "--log"])
            .arg(log())
            .output()
            .unwrap(),
    );
    assert!(value.contains("input-unreadable"), "{value}");

    let work = tempfile::tempdir().unwrap();
    let state = work.path().join("state.json");
    let ticked = ca_doctor()
        .arg("tick")
        .arg("--root")
        .arg(root.path())
        .args(["--user", USER, "--now", NOW, "--log"])
        .arg(log())
        .arg("--state")
        .arg(&state)
        .output()
        .unwrap();
    assert_eq!(ticked.status.code(), Some(0), "{ticked:?}");
    assert!(state.is_file());

    let bundle = work.path().join("bundle.zip");
    let collected = ca_doctor()
        .arg("collect")
        .arg("--root")
        .arg(root.path())
        .args(["--user", USER, "--now", NOW, "--log"])
        .arg(log())
        .arg("--output")
        .arg(&bundle)
        .output()
        .unwrap();
    assert_eq!(collected.status.code(), Some(0), "{collected:?}");
    assert!(bundle.is_file());
}

fn ea_with_fault(fault: &str, root: &Path) -> std::process::Output {
    ca_doctor()
        .arg("ea")
        .arg("--root")
        .arg(root)
        .args(["--user", USER, "--now", NOW, "--log"])
        .arg(log())
        .env("CA_DOCTOR_FAULT", fault)
        .output()
        .unwrap()
}

#[test]
fn the_ea_answers_one_line_whatever_becomes_of_the_analysis() {
    let root = fixture("healthy").join("root");
    for fault in ["abort", "panic"] {
        let value = ea_value(&ea_with_fault(fault, &root));
        assert!(
            value.starts_with("unknown: internal error: the analysis stopped"),
            "{fault}: {value}"
        );
    }
    // Without a fault the worker's answer is the EA's.
    assert_eq!(ea_value(&ea_with_fault("", &root)), "healthy");
}

#[test]
fn an_absurd_log_timeout_is_a_usage_error_and_the_ea_still_answers() {
    let root = fixture("healthy").join("root");
    let stubs = Stubs::new(USER, &log());
    for seconds in ["18446744073709551611", "18446744073709551615", "86401"] {
        let value = ea_value(
            &ca_doctor()
                .arg("ea")
                .arg("--root")
                .arg(&root)
                .args(["--user", USER, "--log-timeout", seconds])
                .env("CA_DOCTOR_STUB_DIR", stubs.path())
                .output()
                .unwrap(),
        );
        assert_eq!(
            value, "unknown: --log-timeout: at most 86400 seconds (one day)",
            "{seconds}"
        );
        for command in ["check", "tick"] {
            let output = ca_doctor()
                .arg(command)
                .arg("--root")
                .arg(&root)
                .args(["--user", USER, "--log-timeout", seconds])
                .env("CA_DOCTOR_STUB_DIR", stubs.path())
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(2), "{command} {seconds}");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
        }
    }
}
