//! The incremental mode end to end: ticking through a log in small steps
//! gives the same verdict as one full check; `ea` answers from fresh state
//! without running `log`; a tick reads only what is new; odd state is
//! discarded and rebuilt.

use crate::support::fixtures::{NOW, USER, scenarios};
use crate::support::stubs::Stubs;
use crate::support::{
    ca_doctor, check_json, copy_tree, ea_value, fixture, status_and_ids, succeed,
};
use std::path::Path;

/// Entry-aligned prefixes of a log: cut only before a line that starts an entry.
fn entry_starts(text: &str, json: bool) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let starts_entry = if json {
            line.starts_with('{')
        } else {
            line.len() > 19 && line.as_bytes()[4] == b'-' && line.as_bytes()[13] == b':'
        };
        if starts_entry {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts.push(text.len());
    starts
}

fn tick(root: &Path, state: &Path, log: &Path, stubs: &Stubs) -> serde_json::Value {
    let output = succeed(
        ca_doctor()
            .arg("tick")
            .arg("--root")
            .arg(root)
            .arg("--state")
            .arg(state)
            .args(["--user", USER, "--now", NOW, "--format", "json", "--log"])
            .arg(log)
            .env("CA_DOCTOR_STUB_DIR", stubs.path()),
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn ea_from_state(root: &Path, state: &Path, stubs: &Stubs) -> String {
    let output = ca_doctor()
        .arg("ea")
        .arg("--root")
        .arg(root)
        .arg("--state")
        .arg(state)
        .args(["--user", USER, "--now", NOW])
        .env("CA_DOCTOR_STUB_DIR", stubs.path())
        .output()
        .unwrap();
    ea_value(&output)
}

#[test]
fn ticking_in_small_steps_equals_one_full_check_for_every_scenario() {
    // Each scenario and style on its own: two at a time, as the runs mostly
    // wait on processes.
    let cases: Vec<_> = scenarios()
        .into_iter()
        .flat_map(|s| {
            [
                (s.name, "log.ndjson", true),
                (s.name, "log.compact.txt", false),
            ]
        })
        .collect();
    std::thread::scope(|scope| {
        for half in cases.chunks(cases.len().div_ceil(2)) {
            scope.spawn(move || {
                for &(name, style, json) in half {
                    ticking_equals_checking(name, style, json);
                }
            });
        }
    });
}

/// Ticks through the log of scenario `name` in `style` a few entries at a
/// time; the last tick and an EA from its state must equal a full check.
fn ticking_equals_checking(name: &str, style: &str, json: bool) {
    let dir = fixture(name);
    let whole = std::fs::read_to_string(dir.join(style)).unwrap();
    let work = tempfile::tempdir().unwrap();
    let growing = work.path().join("growing.log");
    let state = work.path().join("state/state.json");
    let stubs = Stubs::new(USER, &growing);
    let starts = entry_starts(&whole, json);
    let step = (starts.len() / 7).max(1);
    let mut cut_points: Vec<usize> = starts.iter().copied().step_by(step).collect();
    cut_points.push(whole.len());
    let mut last = serde_json::Value::Null;
    for cut in cut_points {
        std::fs::write(&growing, &whole[..cut]).unwrap();
        last = tick(&dir.join("root"), &state, &growing, &stubs);
    }
    let full = check_json(&dir, &dir.join(style));
    let ticked = &last["users"][0];
    assert_eq!(
        status_and_ids(ticked),
        status_and_ids(&full),
        "{} {style}",
        name
    );

    let from_state = ea_from_state(&dir.join("root"), &state, &stubs);
    assert_eq!(
        stubs.log_call_count(),
        0,
        "ea answered from state without running log"
    );
    let full_ea = ea_value(
        &ca_doctor()
            .arg("ea")
            .arg("--root")
            .arg(dir.join("root"))
            .args(["--user", USER, "--now", NOW, "--log"])
            .arg(dir.join(style))
            .output()
            .unwrap(),
    );
    assert_eq!(from_state, full_ea, "{} {style}", name);
}

#[test]
fn a_tick_reads_about_the_new_entries_only() {
    let dir = fixture("mixed-at-risk");
    let work = tempfile::tempdir().unwrap();
    let served = work.path().join("served.ndjson");
    let whole = std::fs::read_to_string(dir.join("log.ndjson")).unwrap();
    let lines: Vec<&str> = whole
        .lines()
        .filter(|l| l.contains("\"timestamp\""))
        .collect();
    let (first, rest) = lines.split_at(lines.len() - 5);
    std::fs::write(&served, first.join("\n") + "\n").unwrap();
    let stubs = Stubs::new(USER, &served);
    let state = work.path().join("state.json");
    let live_tick = || {
        let output = succeed(
            ca_doctor()
                .arg("tick")
                .arg("--root")
                .arg(dir.join("root"))
                .arg("--state")
                .arg(&state)
                .args(["--now", NOW, "--format", "json"])
                .env("CA_DOCTOR_STUB_DIR", stubs.path()),
        );
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    let timestamp = |line: &str| {
        let at = line.find("\"timestamp\":\"").unwrap() + 13;
        line[at..at + 19].to_string()
    };
    let in_window = first
        .iter()
        .filter(|l| timestamp(l).as_str() > "2026-11-15 12:00:00")
        .count();
    let one = live_tick();
    assert_eq!(one["entries_read"], in_window);
    std::fs::write(&served, lines.join("\n") + "\n").unwrap();
    let two = live_tick();
    let read = two["entries_read"].as_u64().unwrap();
    assert!(
        (5..=7).contains(&read),
        "second tick read {read} entries for 5 new ones"
    );
    let three = live_tick();
    assert!(
        three["entries_read"].as_u64().unwrap() <= 2,
        "nothing new: {} {}",
        three["entries_read"],
        std::fs::read_to_string(stubs.log_calls()).unwrap()
    );
    let calls = std::fs::read_to_string(stubs.log_calls()).unwrap();
    let newest_before = timestamp(first.last().unwrap());
    assert!(
        calls
            .lines()
            .nth(1)
            .unwrap()
            .ends_with(&format!("--start {newest_before}")),
        "{calls}"
    );
    assert!(rest.iter().all(|l| timestamp(l) >= newest_before));
    let full = check_json(&dir, &dir.join("log.ndjson"));
    assert_eq!(status_and_ids(&three["users"][0]), status_and_ids(&full));
}

#[test]
fn garbage_truncated_or_foreign_state_is_discarded_and_rebuilt() {
    let dir = fixture("appsso-not-appsso-url");
    let expected = status_and_ids(&check_json(&dir, &dir.join("log.ndjson")));
    for bad in [
        &b"not json at all"[..],
        b"{\"schema\":\"ca-doctor/state\",\"vers",
        b"{\"schema\":\"someone-else\",\"version\":1}",
        b"\x00\xff\x00",
    ] {
        let work = tempfile::tempdir().unwrap();
        let state = work.path().join("state.json");
        std::fs::write(&state, bad).unwrap();
        let stubs = Stubs::new(USER, &dir.join("log.ndjson"));
        // ea: not trusted, falls back to the live log, rebuilds the state.
        let value = ea_from_state(&dir.join("root"), &state, &stubs);
        assert!(
            value.starts_with("at-risk: appsso-not-appsso-url"),
            "{value}"
        );
        assert_eq!(stubs.log_call_count(), 1);
        let rebuilt: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
        assert_eq!(rebuilt["schema"], "ca-doctor/state");
        // A tick over garbage says so and starts afresh.
        std::fs::write(&state, bad).unwrap();
        let report = tick(&dir.join("root"), &state, &dir.join("log.ndjson"), &stubs);
        assert!(
            report["state_note"]
                .as_str()
                .unwrap()
                .starts_with("state discarded"),
            "{report}"
        );
        assert_eq!(
            status_and_ids(&report["users"][0]).1,
            [expected.1.clone(), vec!["state-discarded".to_string()]]
                .concat()
                .into_iter()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn stale_state_is_not_trusted() {
    let dir = fixture("healthy");
    let work = tempfile::tempdir().unwrap();
    let state = work.path().join("state.json");
    let stubs = Stubs::new(USER, &dir.join("log.ndjson"));
    let output = ca_doctor()
        .arg("tick")
        .arg("--root")
        .arg(dir.join("root"))
        .arg("--state")
        .arg(&state)
        .args([
            "--user",
            USER,
            "--now",
            "2026-11-20T09:00:00-05:00",
            "--log",
        ])
        .arg(dir.join("log.ndjson"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let value = ea_from_state(&dir.join("root"), &state, &stubs);
    assert_eq!(
        stubs.log_call_count(),
        1,
        "a 3-hour-old state is stale: the live log was read"
    );
    assert!(value.starts_with("healthy"), "{value}");
    let output = ca_doctor()
        .arg("ea")
        .arg("--root")
        .arg(dir.join("root"))
        .arg("--state")
        .arg(&state)
        .args(["--user", USER, "--now", NOW, "--max-state-age", "1d"])
        .env("CA_DOCTOR_STUB_DIR", stubs.path())
        .output()
        .unwrap();
    assert_eq!(ea_value(&output), "healthy");
}

#[test]
fn the_ea_answers_even_when_the_state_cannot_be_written() {
    let dir = fixture("healthy");
    let work = tempfile::tempdir().unwrap();
    // The state's folder is a file: nothing can be written there.
    let blocker = work.path().join("blocked");
    std::fs::write(&blocker, "").unwrap();
    let stubs = Stubs::new(USER, &dir.join("log.ndjson"));
    let output = ca_doctor()
        .arg("ea")
        .arg("--root")
        .arg(dir.join("root"))
        .arg("--state")
        .arg(blocker.join("state.json"))
        .args(["--user", USER, "--now", NOW])
        .env("CA_DOCTOR_STUB_DIR", stubs.path())
        .output()
        .unwrap();
    assert_eq!(ea_value(&output), "healthy");
    let tick = ca_doctor()
        .arg("tick")
        .arg("--root")
        .arg(dir.join("root"))
        .arg("--state")
        .arg(blocker.join("state.json"))
        .args(["--user", USER, "--now", NOW])
        .env("CA_DOCTOR_STUB_DIR", stubs.path())
        .output()
        .unwrap();
    assert_eq!(
        tick.status.code(),
        Some(1),
        "a tick that cannot save says so"
    );
}

#[test]
fn the_documented_sequence_with_the_default_state_path() {
    let dir = fixture("invalid-grant");
    let root = tempfile::tempdir().unwrap();
    copy_tree(&dir.join("root"), root.path());
    let whole = std::fs::read_to_string(dir.join("log.syslog.txt")).unwrap();
    let growing = root.path().join("grow.log");
    let stubs = Stubs::new(USER, &growing);
    let starts = entry_starts(&whole, false);
    for cut in [
        starts[starts.len() / 3],
        starts[2 * starts.len() / 3],
        whole.len(),
    ] {
        std::fs::write(&growing, &whole[..cut]).unwrap();
        succeed(
            ca_doctor()
                .arg("tick")
                .arg("--root")
                .arg(root.path())
                .args(["--user", USER, "--log"])
                .arg(&growing)
                .args(["--now", NOW])
                .env("CA_DOCTOR_STUB_DIR", stubs.path()),
        );
    }
    assert!(
        root.path()
            .join("Library/Application Support/ca-doctor/state.json")
            .is_file()
    );
    let output = ca_doctor()
        .arg("ea")
        .arg("--root")
        .arg(root.path())
        .args(["--user", USER, "--now", NOW])
        .env("CA_DOCTOR_STUB_DIR", stubs.path())
        .output()
        .unwrap();
    assert_eq!(
        ea_value(&output),
        "at-risk: invalid-grant, silent-auth-failed"
    );
    assert_eq!(stubs.log_call_count(), 0, "no log show");
}

#[test]
fn a_tick_sweeps_what_a_killed_writer_left() {
    let dir = fixture("healthy");
    let work = tempfile::tempdir().unwrap();
    let state = work.path().join("ca-doctor/state.json");
    std::fs::create_dir_all(state.parent().unwrap()).unwrap();
    // Left by killed ticks: the old per-process name and the random one.
    let leftovers = [".state.json.4242.tmp", ".state.json.Xy9Qab.tmp"];
    for name in leftovers {
        std::fs::write(state.with_file_name(name), "{\"half\":").unwrap();
    }
    let unrelated = state.with_file_name("notes.tmp");
    std::fs::write(&unrelated, "keep").unwrap();
    let stubs = Stubs::new(USER, &dir.join("log.ndjson"));
    tick(&dir.join("root"), &state, &dir.join("log.ndjson"), &stubs);
    for name in leftovers {
        assert!(!state.with_file_name(name).exists(), "{name} swept");
    }
    assert!(unrelated.exists(), "only the state's own temporaries go");
    assert!(state.is_file());
}

#[test]
fn a_tick_s_line_says_when_it_ran() {
    let dir = fixture("healthy");
    let state = tempfile::tempdir().unwrap();
    let output = succeed(
        ca_doctor()
            .arg("tick")
            .arg("--root")
            .arg(dir.join("root"))
            .args(["--user", USER, "--now", NOW, "--log"])
            .arg(dir.join("log.ndjson"))
            .arg("--state")
            .arg(state.path().join("state.json")),
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("2026-11-20 12:00:00-05:00 tick: read 28 entries"),
        "{text}"
    );
}
