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

/// `ca-doctor ARGS` with its address space limited to `mib` MiB: a run
/// whose memory grows with what it reads fails instead of passing.
fn within_memory(mib: u64, args: &[&std::ffi::OsStr]) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let mut command = ca_doctor();
    command.args(args);
    let limit = mib << 20;
    // SAFETY: setrlimit(2) only, between fork and exec.
    unsafe {
        command.pre_exec(move || {
            let rlimit = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &rlimit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    command.output().unwrap()
}

fn json_of(output: &std::process::Output) -> serde_json::Value {
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn exports_cost_memory_by_their_size_not_by_their_count_of_values() {
    let work = tempfile::tempdir().unwrap();
    // 4 MiB of empty sign-ins: 1.4 million records.
    let tiny = work.path().join("tiny.json");
    let records = (4u64 << 20) / 3;
    {
        use std::io::Write;
        let mut out = std::io::BufWriter::new(std::fs::File::create(&tiny).unwrap());
        out.write_all(b"[{}").unwrap();
        for _ in 1..records {
            out.write_all(b",{}").unwrap();
        }
        out.write_all(b"]").unwrap();
    }
    let report = json_of(&within_memory(
        256,
        &[
            "signins".as_ref(),
            tiny.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ],
    ));
    // Every one read, each skipped as no sign-in.
    assert_eq!(
        report["summary"]["skipped"], records,
        "{}",
        report["summary"]
    );
    // 400,000 tiny objects as a policy export: refused past 10,000.
    let objects = work.path().join("policies.json");
    let mut text = String::from("{\"value\":[{}");
    text.push_str(&",{\"a\":1}".repeat(400_000));
    text.push_str("]}");
    std::fs::write(&objects, text).unwrap();
    let report = json_of(&within_memory(
        256,
        &[
            "policies".as_ref(),
            objects.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ],
    ));
    let unreadable = finding(&report, "input-unreadable").to_string();
    assert!(
        unreadable.contains("more than 10000 elements"),
        "{unreadable}"
    );
}

#[test]
fn a_policy_export_over_the_cap_is_refused_before_it_is_parsed() {
    let work = tempfile::tempdir().unwrap();
    let big = work.path().join("policies.json");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(33 << 20).unwrap();
    let report = json_of(&within_memory(
        256,
        &[
            "policies".as_ref(),
            big.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ],
    ));
    let unreadable = finding(&report, "input-unreadable").to_string();
    assert!(unreadable.contains("larger than 32 MiB"), "{unreadable}");
}

#[test]
fn a_sign_in_csv_costs_time_by_its_size_not_by_its_columns_squared() {
    let work = tempfile::tempdir().unwrap();
    let csv = work.path().join("wide.csv");
    let columns = 120_000;
    let header: Vec<String> = (0..columns).map(|n| format!("c{n}")).collect();
    let cells = vec!["v"; columns].join(",");
    std::fs::write(
        &csv,
        format!(
            "{},Application ID,Sign-in error code\n{cells},A1,50126\n",
            header.join(",")
        ),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let report = json_of(
        &ca_doctor()
            .arg("signins")
            .arg(&csv)
            .args(["--format", "json"])
            .output()
            .unwrap(),
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(report["summary"]["records"], 1);
    // A field of more than a MiB is an error, not a memory cost.
    let long = work.path().join("long.csv");
    std::fs::write(
        &long,
        format!(
            "Application ID,Failure reason\nA1,\"{}\"\n",
            "x".repeat(2 << 20)
        ),
    )
    .unwrap();
    let report = json_of(&within_memory(
        256,
        &[
            "signins".as_ref(),
            long.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ],
    ));
    let unreadable = finding(&report, "input-unreadable").to_string();
    assert!(
        unreadable.contains("a record longer than 1 MiB"),
        "{unreadable}"
    );
}

#[test]
fn white_space_before_an_export_s_first_character_is_no_empty_file() {
    let work = tempfile::tempdir().unwrap();
    let graph = std::fs::read(fixture("entra").join("graph-v1.0.json")).unwrap();
    let plain = json_of(
        &ca_doctor()
            .arg("signins")
            .arg(fixture("entra").join("graph-v1.0.json"))
            .args(["--format", "json"])
            .output()
            .unwrap(),
    );
    for lead in ["\r\n\r\n", "\n\n\n", " \t "] {
        let path = work.path().join("lead.json");
        let mut bytes = lead.as_bytes().to_vec();
        bytes.extend(&graph);
        std::fs::write(&path, bytes).unwrap();
        let report = json_of(
            &ca_doctor()
                .arg("signins")
                .arg(&path)
                .args(["--format", "json"])
                .output()
                .unwrap(),
        );
        assert_eq!(
            report["summary"]["records"], plain["summary"]["records"],
            "{lead:?}"
        );
    }
}

#[test]
fn a_time_zone_that_names_a_device_is_ignored() {
    let root = fixture("healthy").join("root");
    for tz in ["/dev/zero", ":/dev/zero", "../../../../dev/zero"] {
        let mut command = ca_doctor();
        command
            .arg("ea")
            .arg("--root")
            .arg(&root)
            .args(["--user", USER, "--log"])
            .arg(log())
            .env("TZ", tz);
        let started = std::time::Instant::now();
        let output = command.output().unwrap();
        assert!(
            started.elapsed() < std::time::Duration::from_secs(8),
            "{tz}"
        );
        // The clock is today's (no --now: the local time is read).
        let value = ea_value(&output);
        assert!(!value.contains("timed out"), "{tz}: {value}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("ignored"),
            "{tz}"
        );
    }
}

/// A name as an attacker sets it: the clipboard set (OSC 52), the screen
/// cleared, a line overwritten, the text reversed.
const HOSTILE: &str = "A\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J\rB\u{202e}gpj.exe";

/// Whether `text` holds nothing a terminal would obey, and the hostile name
/// shown.
fn shown_not_obeyed(text: &str) {
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(!text.contains('\u{7}') && !text.contains('\r'), "{text:?}");
    assert!(!text.contains('\u{202e}'), "{text:?}");
    assert!(
        text.contains("A\\u{1b}]52;c;ZXZpbA==\\u{7}\\u{1b}[2J\\u{d}B\\u{202e}gpj.exe"),
        "{text:?}"
    );
}

#[test]
fn names_from_the_tenant_are_shown_on_terminals_never_obeyed() {
    let work = tempfile::tempdir().unwrap();
    // The fleet: a computer's name.
    let search = work.path().join("search.csv");
    std::fs::write(
        &search,
        format!("Computer Name,Jamf Pro Computer ID,CA Doctor: status\n\"{HOSTILE}\",1,deactivated: silent-auth-failed\n"),
    )
    .unwrap();
    let output = ca_doctor()
        .args(["fleet", "--now", NOW, "--inventory"])
        .arg(&search)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    shown_not_obeyed(&String::from_utf8(output.stdout).unwrap());

    // The device chain: Entra's device name, on a terminal as in a pipe.
    let tenant = work.path().join("tenant");
    std::fs::create_dir(&tenant).unwrap();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/device-chain/tenant"),
        &tenant,
    );
    let devices = tenant.join("entra-devices.json");
    let mut document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&devices).unwrap()).unwrap();
    for device in document["value"].as_array_mut().unwrap() {
        if device["deviceId"] == "7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b" {
            device["displayName"] = HOSTILE.into();
        }
    }
    std::fs::write(&devices, document.to_string()).unwrap();
    let output = ca_doctor()
        .args([
            "device",
            "--device-id",
            "7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b",
            "--now",
            NOW,
            "--tenant",
        ])
        .arg(&tenant)
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    let human = String::from_utf8(output.stdout).unwrap();
    // Our own colours pass (forced on); nothing else does.
    assert!(
        human.contains("\u{1b}[1m\u{1b}[31mcritical\u{1b}[0m"),
        "{human:?}"
    );
    let plain = human.replace("\u{1b}[", "<colour>");
    shown_not_obeyed(&plain.replace("<colour>", ""));

    // An error that names a file: the name shown, not obeyed.
    let strange = work.path().join(format!("x{}.json", "\u{1b}[2J"));
    std::fs::write(&strange, "not json").unwrap();
    let output = ca_doctor().arg("signins").arg(&strange).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains('\u{1b}') && stderr.contains("x\\u{1b}[2J.json"),
        "{stderr:?}"
    );
}

#[test]
fn the_dashboard_links_only_to_a_checked_jamf_server_and_runs_only_its_own_script() {
    let inventory = fixture("fleet/inventory");
    for url in [
        "javascript:alert(document.domain)//",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "http://jamf.example.com",
        "https://admin@jamf.example.com",
    ] {
        let output = ca_doctor()
            .args([
                "fleet",
                "--format",
                "html",
                "--jamf-url",
                url,
                "--inventory",
            ])
            .arg(&inventory)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{url}");
        assert!(output.stdout.is_empty(), "no page for {url}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.starts_with("ca-doctor: error: --jamf-url "),
            "{stderr}"
        );
    }
    let output = ca_doctor()
        .args([
            "fleet",
            "--format",
            "html",
            "--jamf-url",
            "https://acme.jamfcloud.com/",
        ])
        .arg("--inventory")
        .arg(&inventory)
        .output()
        .unwrap();
    let page = String::from_utf8(output.stdout).unwrap();
    let links: Vec<&str> = page
        .split("href=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    assert!(!links.is_empty());
    assert!(
        links
            .iter()
            .all(|l| l.starts_with("https://acme.jamfcloud.com/computers.html?id=")),
        "{links:?}"
    );
    // The policy names the page's one script by its digest: no inline
    // script of anyone else's runs.
    let policy = page
        .split("Content-Security-Policy\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    assert!(!policy.contains("script-src 'unsafe-inline'"), "{policy}");
    let script = page
        .split("<script>")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .unwrap();
    use base64::Engine;
    let digest = ring::digest::digest(&ring::digest::SHA256, script.as_bytes());
    let expected = format!(
        "script-src 'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
    );
    assert!(policy.contains(&expected), "{policy}");
    assert_eq!(page.matches("<script").count(), 1);
}
