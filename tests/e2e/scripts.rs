//! The deployment files: the LaunchDaemon runs the installed binary; the
//! install, uninstall, package and EA scripts put files where they belong
//! under a destination root; the EA scripts always print one result.

use crate::support::fixtures::{NOW, USER};
use crate::support::stubs::Stubs;
use crate::support::{copy_tree, ea_value, fixture, succeed};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

const LABEL: &str = "com.cadoctor.tick";

fn top() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn script(name: &str) -> Command {
    let mut command = Command::new("bash");
    command.arg(top().join("scripts").join(name));
    command
}

fn install_into(destroot: &Path) {
    succeed(
        script("install.sh")
            .arg("--destroot")
            .arg(destroot)
            .arg("--binary")
            .arg(env!("CARGO_BIN_EXE_ca-doctor")),
    );
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn launch_daemon_runs_the_installed_binary() {
    let plist =
        plist::Value::from_file(top().join("launchd").join(format!("{LABEL}.plist"))).unwrap();
    let dict = plist.as_dictionary().unwrap();
    assert_eq!(dict["Label"].as_string(), Some(LABEL));
    let args: Vec<&str> = dict["ProgramArguments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_string().unwrap())
        .collect();
    assert_eq!(args, ["/usr/local/bin/ca-doctor", "tick"]);
    assert_eq!(dict["StartInterval"].as_unsigned_integer(), Some(900));
    assert_eq!(dict["RunAtLoad"].as_boolean(), Some(true));
    assert_eq!(dict["ProcessType"].as_string(), Some("Background"));
    assert_eq!(dict["LowPriorityIO"].as_boolean(), Some(true));
    assert!(dict["Nice"].as_signed_integer().unwrap() > 0);
    assert_eq!(
        dict["StandardErrorPath"].as_string(),
        Some("/Library/Logs/ca-doctor.log")
    );

    let destroot = tempfile::tempdir().unwrap();
    install_into(destroot.path());
    let installed = destroot.path().join(args[0].trim_start_matches('/'));
    assert!(
        installed.is_file(),
        "ProgramArguments names the installed binary"
    );
    assert_eq!(mode(&installed), 0o755);
}

#[test]
fn install_and_uninstall_under_a_destination_root() {
    let destroot = tempfile::tempdir().unwrap();
    let d = destroot.path();
    install_into(d);
    let daemon = d.join(format!("Library/LaunchDaemons/{LABEL}.plist"));
    assert_eq!(mode(&daemon), 0o644);
    assert_eq!(mode(&d.join("etc/newsyslog.d/ca-doctor.conf")), 0o644);
    assert!(d.join("Library/Application Support/ca-doctor").is_dir());

    // The man page and completions, made by the binary from its flags.
    let man = std::fs::read_to_string(d.join("usr/local/share/man/man1/ca-doctor.1")).unwrap();
    assert!(man.contains(".TH ca-doctor 1"), "{man}");
    assert!(man.contains("collect"), "subcommands are listed");
    let zsh =
        std::fs::read_to_string(d.join("usr/local/share/zsh/site-functions/_ca-doctor")).unwrap();
    assert!(zsh.starts_with("#compdef ca-doctor"));
    assert!(zsh.contains("--log-timeout"));
    for completion in [
        "usr/local/share/bash-completion/completions/ca-doctor",
        "usr/local/share/fish/vendor_completions.d/ca-doctor.fish",
    ] {
        assert_eq!(mode(&d.join(completion)), 0o644, "{completion}");
    }

    // A page for every command, installed where `man` finds it.
    let check_page = d.join("usr/local/share/man/man1/ca-doctor-check.1");
    assert_eq!(mode(&check_page), 0o644);

    // The log launchd keeps, and what newsyslog rotated of it.
    let logs = d.join("Library/Logs");
    std::fs::create_dir_all(&logs).unwrap();
    for name in [
        "ca-doctor.log",
        "ca-doctor.log.0.bz2",
        "ca-doctor.log.4.bz2",
        "other.log",
    ] {
        std::fs::write(logs.join(name), "x").unwrap();
    }
    let output = script("uninstall.sh")
        .arg("--destroot")
        .arg(d)
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(!daemon.exists());
    assert!(!d.join("usr/local/bin/ca-doctor").exists());
    assert!(!d.join("usr/local/share/man/man1/ca-doctor.1").exists());
    assert!(!check_page.exists());
    assert!(!d.join("Library/Application Support/ca-doctor").exists());
    let left: Vec<String> = std::fs::read_dir(&logs)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["other.log"], "rotated logs go too, others stay");
}

#[test]
fn uninstall_takes_the_parameters_jamf_pro_passes() {
    let destroot = tempfile::tempdir().unwrap();
    let d = destroot.path();
    install_into(d);
    // A policy script gets the target volume, the computer name and the user.
    let output = script("uninstall.sh")
        .arg(format!("{}/", d.display()))
        .args(["Lab-Mac-07", "jdoe"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!d.join("usr/local/bin/ca-doctor").exists());
    assert!(
        !d.join(format!("Library/LaunchDaemons/{LABEL}.plist"))
            .exists()
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        format!("ca-doctor removed from {}.", d.display())
    );
}

#[test]
fn every_script_prints_its_usage_for_help() {
    for name in [
        "install.sh",
        "uninstall.sh",
        "build-pkg.sh",
        "ea-status.sh",
        "ea-last-success.sh",
        "self-service-collect.sh",
        "bench.sh",
        "bench-ea.sh",
    ] {
        let output = script(name).arg("--help").output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{name}");
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(text.starts_with("Usage: "), "{name}: {text}");
        assert!(
            !text.contains("#!/") && !text.contains("set -euo"),
            "{name}: {text}"
        );
    }
}

#[test]
fn ea_scripts_say_not_installed_without_the_binary() {
    let empty = tempfile::tempdir().unwrap();
    let output = script("ea-status.sh")
        .env("CA_DOCTOR_DESTROOT", empty.path())
        .output()
        .unwrap();
    assert_eq!(ea_value(&output), "not installed");
    // A Date EA must stay a valid date: empty, not a sentence.
    let output = script("ea-last-success.sh")
        .env("CA_DOCTOR_DESTROOT", empty.path())
        .output()
        .unwrap();
    assert_eq!(ea_value(&output), "");
}

#[test]
fn ea_scripts_answer_from_the_installed_binary() {
    let destroot = tempfile::tempdir().unwrap();
    let d = destroot.path();
    install_into(d);
    // Give the installed Mac a user and a log, then let a tick build the state.
    let scenario = fixture("appsso-not-appsso-url");
    copy_tree(&scenario.join("root"), d);
    let stubs = Stubs::new(USER, &scenario.join("log.ndjson"));
    succeed(
        Command::new(d.join("usr/local/bin/ca-doctor"))
            .args(["tick", "--root"])
            .arg(d)
            .args(["--now", NOW])
            .env("CA_DOCTOR_STUB_DIR", stubs.path()),
    );
    assert!(
        d.join("Library/Application Support/ca-doctor/state.json")
            .is_file()
    );
    // The EA's clock is the real one here, so it falls back to the live log
    // (stubbed): the scripts print exactly what the installed binary says.
    let direct = |extra: &[&str]| {
        let output = Command::new(d.join("usr/local/bin/ca-doctor"))
            .arg("ea")
            .args(extra)
            .arg("--root")
            .arg(d)
            .env("CA_DOCTOR_STUB_DIR", stubs.path())
            .output()
            .unwrap();
        ea_value(&output)
    };
    let status = script("ea-status.sh")
        .env("CA_DOCTOR_DESTROOT", d)
        .env("CA_DOCTOR_STUB_DIR", stubs.path())
        .output()
        .unwrap();
    assert_eq!(ea_value(&status), direct(&[]));
    let last = script("ea-last-success.sh")
        .env("CA_DOCTOR_DESTROOT", d)
        .env("CA_DOCTOR_STUB_DIR", stubs.path())
        .output()
        .unwrap();
    let value = ea_value(&last);
    assert_eq!(value, direct(&["--field", "last-success"]));
    // The fixture's own token time, in this machine's offset: a Jamf Pro Date.
    assert_eq!(value.len(), 19, "{value}");
    assert!(value.starts_with("2026-11-"), "{value}");
}

#[test]
fn self_service_collect_writes_a_bundle_to_the_desktop() {
    let destroot = tempfile::tempdir().unwrap();
    let d = destroot.path();
    let missing = script("self-service-collect.sh")
        .env("CA_DOCTOR_DESTROOT", d)
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    install_into(d);
    let scenario = fixture("healthy");
    copy_tree(&scenario.join("root"), d);
    std::fs::create_dir_all(d.join("Users/test.user/Desktop")).unwrap();
    let stubs = Stubs::new(USER, &scenario.join("log.ndjson"));
    succeed(
        script("self-service-collect.sh")
            .args(["/", "computer", "test.user", "pii"])
            .env("CA_DOCTOR_DESTROOT", d)
            .env("CA_DOCTOR_STUB_DIR", stubs.path()),
    );
    let made: Vec<_> = std::fs::read_dir(d.join("Users/test.user/Desktop"))
        .unwrap()
        .collect();
    assert_eq!(made.len(), 1);
}

#[test]
fn package_staging_lays_out_payload_and_postinstall() {
    let out = tempfile::tempdir().unwrap();
    succeed(
        script("build-pkg.sh")
            .arg("--stage-only")
            .arg("--output")
            .arg(out.path())
            .arg("--binary")
            .arg(env!("CARGO_BIN_EXE_ca-doctor")),
    );
    let payload = out.path().join("payload");
    assert!(payload.join("usr/local/bin/ca-doctor").is_file());
    assert!(
        payload
            .join(format!("Library/LaunchDaemons/{LABEL}.plist"))
            .is_file()
    );
    assert_eq!(mode(&out.path().join("scripts/postinstall")), 0o755);
}

#[test]
#[cfg_attr(
    missing_shellcheck,
    ignore = "shellcheck is not installed here (CI installs it and runs this test)"
)]
fn scripts_pass_shellcheck() {
    let version = Command::new("shellcheck")
        .arg("--version")
        .output()
        .expect("shellcheck must be installed: .ci/run installs it");
    assert!(version.status.success());
    let mut command = Command::new("shellcheck");
    // Following what the benchmarks source.
    command.arg("-x");
    for name in [
        "install.sh",
        "uninstall.sh",
        "ea-status.sh",
        "ea-last-success.sh",
        "build-pkg.sh",
        "bench.sh",
        "bench-sso-logs.sh",
        "bench-query-answer.sh",
        "bench-common.sh",
        "pkg/postinstall",
    ] {
        command.arg(top().join("scripts").join(name));
    }
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
