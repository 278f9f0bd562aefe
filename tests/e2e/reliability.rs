//! Reliability: 1,000 interleaved `tick` and `ea` runs on one state never
//! leave it torn or unreadable, and every EA run prints one valid result.

use crate::support::fixtures::{NOW, USER};
use crate::support::stubs::Stubs;
use crate::support::{ca_doctor, ea_value, fixture};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;

#[test]
fn a_thousand_interleaved_ticks_and_eas_never_tear_the_state() {
    let dir = fixture("mixed-at-risk");
    let work = tempfile::tempdir().unwrap();
    let state = work.path().join("ca-doctor/state.json");
    let stubs = Arc::new(Stubs::new(USER, &dir.join("log.ndjson")));
    let runs = 1000;
    let done = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicUsize::new(0));

    let reader = {
        let (state, done, reads) = (state.clone(), Arc::clone(&done), Arc::clone(&reads));
        thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                if let Ok(bytes) = std::fs::read(&state) {
                    let parsed: serde_json::Value = serde_json::from_slice(&bytes)
                        .unwrap_or_else(|e| panic!("torn state ({} bytes): {e}", bytes.len()));
                    assert_eq!(parsed["schema"], "ca-doctor/state");
                    reads.fetch_add(1, Ordering::SeqCst);
                }
                // Often enough to meet every write, without taking a core
                // from the commands under test.
                thread::sleep(std::time::Duration::from_micros(200));
            }
        })
    };

    let workers: Vec<_> = (0..2)
        .map(|worker| {
            let (dir, state, stubs) = (dir.clone(), state.clone(), Arc::clone(&stubs));
            thread::spawn(move || {
                for run in 0..runs / 2 {
                    let tick_now = (run + worker) % 2 == 0;
                    let mut command = ca_doctor();
                    command
                        .arg(if tick_now { "tick" } else { "ea" })
                        .arg("--root")
                        .arg(dir.join("root"))
                        .arg("--state")
                        .arg(&state)
                        .args(["--user", USER, "--now", NOW])
                        .env("CA_DOCTOR_STUB_DIR", stubs.path());
                    if tick_now {
                        command.arg("--log").arg(dir.join("log.ndjson"));
                    }
                    let output = command.output().unwrap();
                    if tick_now {
                        // A tick that finds the lock taken waits; it must end well.
                        assert!(
                            output.status.success(),
                            "{}",
                            String::from_utf8_lossy(&output.stderr)
                        );
                    } else {
                        let value = ea_value(&output);
                        assert!(
                            value.starts_with("at-risk: appsso-not-appsso-url"),
                            "run {run}: {value}"
                        );
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    done.store(true, Ordering::SeqCst);
    reader.join().unwrap();
    assert!(reads.load(Ordering::SeqCst) > 0);
    let final_state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(final_state["version"], 2);
    let leftovers: Vec<_> = std::fs::read_dir(state.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
