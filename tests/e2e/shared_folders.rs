//! The folders ca-doctor keeps writing into (`fleet --history`, `fetch
//! --out`) at paths another user of the Mac may share: a symlink they
//! planted is never followed, a FIFO or a link named like a snapshot is
//! never read, runs at the same second do not trip over each other, and a
//! full disk leaves nothing half written.

use crate::support::server::{Answer, start};
use crate::support::{ca_doctor, make_fifo};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-18T12:00:00Z";

fn inventory() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fleet/inventory")
}

/// `ca-doctor fleet` of the bundled inventory, its history in `history`.
fn fleet_with_history(history: &Path, now: &str) -> std::process::Command {
    let mut command = ca_doctor();
    command
        .args(["fleet", "--format", "json", "--now", now, "--history"])
        .arg(history)
        .arg("--inventory")
        .arg(inventory());
    command
}

/// A sticky folder everyone may write in, with `x` in it: a symlink that
/// another user (uid 65534 when the tests run as root) planted, pointing
/// at a folder only root may enter. Returns the link and its target.
#[cfg(unix)]
fn planted_link(work: &Path) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let shared = work.join("shared");
    let target = work.join("root-only");
    std::fs::create_dir(&shared).unwrap();
    std::fs::create_dir(&target).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o700)).unwrap();
    let link = shared.join("x");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    // SAFETY: geteuid(2) has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        std::os::unix::fs::lchown(&link, Some(65534), Some(65534)).unwrap();
    }
    (link, target)
}

#[cfg(unix)]
#[test]
fn a_symlink_another_user_planted_is_never_followed_to_write() {
    let work = tempfile::tempdir().unwrap();
    let (link, target) = planted_link(work.path());
    for history in [link.clone(), link.join("deeper")] {
        let output = fleet_with_history(&history, NOW).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains(&format!("--history {}", history.display()))
                && stderr.contains("not followed"),
            "{stderr}"
        );
    }
    let server = start(vec![
        (
            (
                "POST",
                "/contoso.onmicrosoft.com/oauth2/v2.0/token".to_string(),
            ),
            vec![Answer::ok(
                r#"{"token_type":"Bearer","expires_in":3599,"access_token":"t"}"#,
            )],
        ),
        (
            (
                "GET",
                "/v1.0/identity/conditionalAccess/policies".to_string(),
            ),
            vec![Answer::ok(r#"{"value":[]}"#)],
        ),
    ]);
    let output = ca_doctor()
        .args(["fetch", "--tenant-id", "contoso.onmicrosoft.com"])
        .args(["--client-id", "c0ffee00-1111-4222-8333-444455556666"])
        .args(["--login-url", &server.base, "--graph-url", &server.base])
        .args(["--what", "policies", "--out"])
        .arg(&link)
        .env("CA_DOCTOR_CLIENT_SECRET", "Sup3rSecret")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_ne!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("--out") && stderr.contains("not followed"),
        "{stderr}"
    );
    assert!(server.seen.lock().unwrap().is_empty(), "nothing fetched");
    assert_eq!(
        std::fs::read_dir(&target).unwrap().count(),
        0,
        "nothing written there"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_link_named_like_a_snapshot_is_left_out_never_read() {
    let work = tempfile::tempdir().unwrap();
    let history = work.path().join("history");
    std::fs::create_dir(&history).unwrap();
    make_fifo(&history.join("fleet-20261101T000000Z.json"));
    std::os::unix::fs::symlink("/dev/zero", history.join("fleet-20261102T000000Z.json")).unwrap();
    let started = Instant::now();
    let mut child = fleet_with_history(&history, NOW)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("the run blocked on a snapshot that is no file");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let notes = report.to_string();
    assert!(
        notes.contains("fleet-20261102T000000Z.json") && notes.contains("left out"),
        "{notes}"
    );
    let history_view = &report["summary"]["history"];
    assert_eq!(history_view["previous"], serde_json::Value::Null);
    assert_eq!(
        history_view["trend"].as_array().unwrap().len(),
        1,
        "this run only"
    );
}

#[test]
fn runs_at_the_same_second_each_write_their_snapshot() {
    let work = tempfile::tempdir().unwrap();
    let history = work.path().join("history");
    for round in 0..5 {
        let runs: Vec<_> = (0..4)
            .map(|_| {
                fleet_with_history(&history, NOW)
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for run in runs {
            let output = run.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
    let names: Vec<String> = std::fs::read_dir(&history)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["fleet-20261118T120000Z.json"],
        "no temporary file left"
    );
}

#[cfg(unix)]
#[test]
fn a_full_disk_leaves_no_half_written_snapshot_and_names_the_file() {
    use std::os::unix::process::CommandExt;
    let work = tempfile::tempdir().unwrap();
    let history = work.path().join("history");
    let mut command = fleet_with_history(&history, NOW);
    // SAFETY: only async-signal-safe calls between fork and exec. Files
    // may grow to 64 bytes; writing more fails (EFBIG) as a full disk
    // would, the signal it raises ignored.
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: 64,
                rlim_max: 64,
            };
            match libc::setrlimit(libc::RLIMIT_FSIZE, &limit) {
                0 => Ok(()),
                _ => Err(std::io::Error::last_os_error()),
            }
        });
    }
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let snapshot = history.join("fleet-20261118T120000Z.json");
    assert!(
        stderr.contains(&format!("--history {}: ", snapshot.display())),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(&history).unwrap().count(),
        0,
        "nothing half written is left"
    );
}
