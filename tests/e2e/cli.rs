//! End-to-end behaviour of the command line: errors name their argument,
//! exit codes are as documented, the EA always prints one result.

use crate::support;

use crate::support::{ca_doctor, ea_value, fixture};
use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

const NOW: &str = "2026-11-20T12:00:00-05:00";

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn missing_log_is_a_one_line_error_naming_the_argument() {
    let output = ca_doctor()
        .args([
            "check",
            "--user",
            "u",
            "--now",
            NOW,
            "--log",
            "/no/such/file.log",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--log /no/such/file.log"), "{err}");
}

#[test]
fn folder_as_log_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let output = ca_doctor()
        .args(["check", "--user", "u", "--now", NOW, "--log"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("--log"), "{}", stderr(&output));
}

#[test]
fn invalid_now_since_and_user_are_usage_errors() {
    for (flag, value) in [
        ("--now", "yesterday"),
        ("--since", "5 days"),
        ("--user", "../etc"),
        ("--since", "0d"),
    ] {
        let mut args = vec!["check", flag, value];
        for (default_flag, default_value) in [("--user", "u"), ("--now", NOW)] {
            if default_flag != flag {
                args.extend([default_flag, default_value]);
            }
        }
        let output = ca_doctor().args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{flag} {value}");
        let err = stderr(&output);
        assert!(err.contains(flag), "{flag}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    // No --user and no console user (not a Mac): a clear error that names --user.
    let output = ca_doctor()
        .args(["check", "--now", NOW, "--root"])
        .arg(fixture("healthy").join("root"))
        .env("CA_DOCTOR_STUB_DIR", "/nonexistent-stubs")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("pass --user"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn ea_turns_every_failure_into_an_unknown_result() {
    let cases: Vec<Vec<&str>> = vec![
        vec!["ea", "--bogus"],
        vec!["ea", "--user", "u", "--now", "not-a-time"],
        vec!["ea", "--user", "u", "--log", "/no/such/file"],
        vec!["ea", "--user", "a/b"],
        vec!["ea"],
        vec!["ea", "--user", "u", "--since", "forever"],
    ];
    for args in cases {
        let output = ca_doctor().args(&args).output().unwrap();
        let value = ea_value(&output);
        assert!(value.starts_with("unknown: "), "{args:?}: {value}");
    }
}

#[test]
fn nothing_readable_is_unknown() {
    // A Mac-like root with an empty home and an empty log: no grounds at all.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("Users/u")).unwrap();
    let empty_log = dir.path().join("empty.log");
    std::fs::write(&empty_log, "").unwrap();
    let output = ca_doctor()
        .arg("ea")
        .arg("--root")
        .arg(dir.path())
        .args(["--user", "u", "--now", NOW, "--log"])
        .arg(&empty_log)
        .output()
        .unwrap();
    // The empty log is said first: it is why nothing could be read.
    let expected = format!(
        "unknown: --log {} (empty): no entry in any log show style (default, compact, syslog, json, ndjson), and nothing else could be read",
        empty_log.display()
    );
    assert_eq!(ea_value(&output), expected);
    let output = ca_doctor()
        .arg("check")
        .arg("--root")
        .arg(dir.path())
        .args(["--user", "u", "--now", NOW, "--format", "json", "--log"])
        .arg(&empty_log)
        .output()
        .unwrap();
    // `check` says the same as its one-line error, as for a log in no style.
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).trim_end(),
        format!("ca-doctor: error: {}", &expected["unknown: ".len()..])
    );
}

#[test]
fn log_from_standard_input() {
    let dir = fixture("appsso-not-appsso-url");
    let mut child = ca_doctor()
        .arg("check")
        .arg("--root")
        .arg(dir.join("root"))
        .args([
            "--user",
            "test.user",
            "--now",
            NOW,
            "--log",
            "-",
            "--format",
            "json",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let log = std::fs::read(dir.join("log.syslog.txt")).unwrap();
    child.stdin.take().unwrap().write_all(&log).unwrap();
    let output = child.wait_with_output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["status"], "at-risk");
    assert_eq!(report["primary_cause"], "appsso-not-appsso-url");
}

#[test]
fn human_report_has_verdict_first_numbered_steps_and_no_colour_off_a_terminal() {
    let dir = fixture("mixed-deactivated");
    let output = ca_doctor()
        .arg("check")
        .arg("--root")
        .arg(dir.join("root"))
        .args(["--user", "test.user", "--now", NOW, "--log"])
        .arg(dir.join("log.default.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("ca-doctor: DEACTIVATED (primary cause: appsso-not-appsso-url)"),
        "{text}"
    );
    assert!(text.contains("critical[deactivated]"));
    assert!(text.contains("    1. "));
    assert!(text.contains("Microsoft Outlook: 1"));
    assert!(!text.contains('\x1b'), "no colour when not a terminal");
}

#[test]
fn the_bundled_example_of_the_readme_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("cargo run -- check "))
        .expect("README shows the example command");
    let args: Vec<&str> = line["cargo run -- ".len()..].split_whitespace().collect();
    let output = ca_doctor().current_dir(root).args(&args).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("ca-doctor: DEACTIVATED (primary cause: appsso-not-appsso-url)"),
        "{text}"
    );
    // The README's JSON example is that run's document, cut down.
    let start = readme.find("```json\n").unwrap() + "```json\n".len();
    let end = start + readme[start..].find("\n```").unwrap();
    let shown: serde_json::Value = serde_json::from_str(&readme[start..end]).unwrap();
    let output = ca_doctor()
        .current_dir(root)
        .args(&args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let real: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for key in ["schema_version", "status", "primary_cause"] {
        assert_eq!(shown[key], real[key], "{key}");
    }
    let (shown_finding, real_finding) = (&shown["findings"][0], &real["findings"][0]);
    for key in ["id", "severity", "summary"] {
        assert_eq!(shown_finding[key], real_finding[key], "{key}");
    }
    assert_eq!(shown_finding["evidence"][0], real_finding["evidence"][0]);
    let mut facts = real["facts"].clone();
    facts["inputs"] = shown["facts"]["inputs"].clone();
    assert_eq!(shown["facts"], facts);
}

/// Runs the binary with `args` on a pseudo-terminal (util-linux `script`),
/// returning what the terminal showed and the exit code.
fn on_a_terminal(args: &[&str], env: &[(&str, &str)]) -> (String, Option<i32>) {
    let quoted: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_ca-doctor"))
        .chain(args.iter().copied())
        .map(|a| format!("'{a}'"))
        .collect();
    let mut command = std::process::Command::new("script");
    command
        .args(["-qec", &quoted.join(" "), "/dev/null"])
        .env_remove("NO_COLOR")
        .env_remove("CA_DOCTOR_STUB_DIR");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command
        .output()
        .expect("util-linux `script` runs commands on a terminal");
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        output.status.code(),
    )
}

#[test]
fn the_help_lists_the_exit_codes_the_commands_use() {
    let help = stdout(&ca_doctor().arg("--help").output().unwrap());
    assert!(
        help.contains("Exit codes:\n  0  the report was printed"),
        "{help}"
    );
    assert!(help.contains("\n  1  an input named on the command line could not be read"));
    assert!(help.contains("\n  2  a flag or value was wrong"));
    assert!(help.contains("\n  at-risk: IDS        registered, but a problem will deactivate it"));
    assert!(help.contains(&format!(
        "Examples:\n{:40}diagnose the logged-in user's Mac",
        "  sudo ca-doctor check"
    )));
    let short = stdout(&ca_doctor().arg("-h").output().unwrap());
    assert!(
        short.contains("  2  a flag or value was wrong\n"),
        "{short}"
    );
    assert!(
        short.ends_with("nothing could be fetched: the\n     cause, once per distinct error\n"),
        "{short}"
    );
    let healthy = fixture("healthy");
    let printed = ca_doctor()
        .args([
            "check",
            "--user",
            "test.user",
            "--now",
            "2026-11-20T12:00:00-05:00",
            "--root",
        ])
        .arg(healthy.join("root"))
        .arg("--log")
        .arg(healthy.join("log.ndjson"))
        .output()
        .unwrap();
    assert_eq!(printed.status.code(), Some(0));
    let unreadable = ca_doctor()
        .args(["check", "--user", "test.user", "--log", "/nonexistent/log"])
        .output()
        .unwrap();
    assert_eq!(unreadable.status.code(), Some(1));
    let wrong = ca_doctor()
        .args(["check", "--since", "soon"])
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(2));
}

#[test]
fn help_errors_and_formats_behave_like_other_tools() {
    for flag in ["--help", "-h"] {
        let output = ca_doctor().args(["ea", flag]).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "ea {flag}");
        assert!(
            stdout(&output).contains("Usage: ca-doctor ea"),
            "{}",
            stdout(&output)
        );
    }
    for (args, says) in [
        (
            vec!["check", "--bogus"],
            "unexpected argument '--bogus' found",
        ),
        (
            vec!["tick", "--format", "html"],
            "invalid value 'html' for '--format <FORMAT>'",
        ),
        (vec!["frobnicate"], "unrecognized subcommand 'frobnicate'"),
        // Flags live where they apply: the state on tick and ea, the
        // tenant's exports on check and analyze.
        (
            vec!["check", "--state", "/tmp/state.json"],
            "unexpected argument '--state' found",
        ),
        (
            vec!["collect", "--state", "/tmp/state.json"],
            "unexpected argument '--state' found",
        ),
        (
            vec!["collect", "--signins", "/tmp/signins.json"],
            "unexpected argument '--signins' found",
        ),
        (
            vec!["tick", "--policies", "/tmp/policies"],
            "unexpected argument '--policies' found",
        ),
    ] {
        let output = ca_doctor().args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let err = stderr(&output);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with(&format!("ca-doctor: error: {says}")),
            "{err}"
        );
    }
    let output = ca_doctor()
        .args(["check", "--user", "u", "--now", "2026-11-20"])
        .output()
        .unwrap();
    assert_eq!(
        stderr(&output).trim(),
        "ca-doctor: error: --now: \"2026-11-20\" is a date without a time: give the time and UTC offset too, e.g. 2026-11-20T12:00:00-05:00"
    );
    let output = ca_doctor()
        .args(["check", "--user", "u", "--now", "2026-11-20T12:00:00"])
        .output()
        .unwrap();
    assert!(
        stderr(&output).contains("has no UTC offset"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn colour_follows_the_terminal_no_color_and_the_flag() {
    let dir = fixture("mixed-deactivated");
    let root = dir.join("root");
    let log = dir.join("log.compact.txt");
    let check = |color: &str| {
        vec![
            "check".to_string(),
            "--root".into(),
            root.display().to_string(),
            "--user".into(),
            "test.user".into(),
            "--log".into(),
            log.display().to_string(),
            "--now".into(),
            NOW.into(),
            "--color".into(),
            color.into(),
        ]
    };
    let (auto, never, always) = (check("auto"), check("never"), check("always"));
    let auto: Vec<&str> = auto.iter().map(String::as_str).collect();
    let never: Vec<&str> = never.iter().map(String::as_str).collect();
    let (shown, code) = on_a_terminal(&auto, &[]);
    assert_eq!(code, Some(0));
    assert!(shown.contains("\x1b["), "a terminal gets colour");
    let (shown, _) = on_a_terminal(&auto, &[("NO_COLOR", "1")]);
    assert!(!shown.contains("\x1b["), "NO_COLOR is honoured");
    let (shown, _) = on_a_terminal(&never, &[]);
    assert!(!shown.contains("\x1b["), "--color never");
    let output = ca_doctor().args(&always).output().unwrap();
    assert!(
        stdout(&output).contains("\x1b[1m\x1b[31mDEACTIVATED"),
        "--color always"
    );
}

#[test]
fn collect_refuses_to_write_a_zip_to_a_terminal() {
    let dir = fixture("healthy");
    let root = dir.join("root").display().to_string();
    let log = dir.join("log.ndjson").display().to_string();
    let (shown, code) = on_a_terminal(
        &[
            "collect",
            "--root",
            &root,
            "--user",
            "test.user",
            "--log",
            &log,
            "--now",
            NOW,
            "--output",
            "-",
        ],
        &[],
    );
    assert_eq!(code, Some(2), "{shown}");
    assert!(
        shown.contains("--output -: standard output is a terminal"),
        "{shown}"
    );
    assert!(!shown.contains("PK"), "no zip bytes on the terminal");
}

#[test]
fn a_spinner_shows_on_a_terminal_while_the_live_log_is_read() {
    let dir = fixture("healthy");
    let stubs = support::stubs::Stubs::new("test.user", &dir.join("log.ndjson"));
    stubs.log_script(&format!(
        "sleep 1\ncat '{}'",
        dir.join("log.ndjson").display()
    ));
    let root = dir.join("root").display().to_string();
    let stub_dir = stubs.path().display().to_string();
    let (shown, code) = on_a_terminal(
        &["check", "--root", &root, "--now", NOW],
        &[("CA_DOCTOR_STUB_DIR", &stub_dir)],
    );
    assert_eq!(code, Some(0), "{shown}");
    assert!(
        shown.contains("reading the unified log (log show)"),
        "{shown}"
    );
    // Off a terminal: no spinner.
    let output = ca_doctor()
        .args(["check", "--root", &root, "--now", NOW])
        .env("CA_DOCTOR_STUB_DIR", &stub_dir)
        .output()
        .unwrap();
    assert_eq!(stderr(&output), "");
}

#[test]
fn every_command_has_a_man_page_and_bash_completes_its_flags() {
    let pages = tempfile::tempdir().unwrap();
    let output = ca_doctor()
        .args(["generate", "man-pages"])
        .arg(pages.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let main = std::fs::read_to_string(pages.path().join("ca-doctor.1")).unwrap();
    for command in [
        "check", "ea", "tick", "collect", "analyze", "signins", "policies",
    ] {
        assert!(main.contains(command), "{command} in ca-doctor.1");
        let page = std::fs::read_to_string(pages.path().join(format!("ca-doctor-{command}.1")))
            .unwrap_or_else(|e| panic!("ca-doctor-{command}.1: {e}"));
        assert!(
            page.contains(&format!("ca\\-doctor\\-{command}")),
            "{command}"
        );
    }
    // The reference sections, as tagged paragraphs `man` lays out.
    for section in [
        ".SH \"EXIT STATUS\"",
        ".SH \"EXTENSION ATTRIBUTE VALUES\"",
        ".SH EXAMPLES",
    ] {
        assert!(main.contains(section), "{section} in ca-doctor.1");
    }
    for value in [
        "healthy",
        "at\\-risk: IDS",
        "deactivated: IDS",
        "not\\-registered",
        "unknown: REASON",
    ] {
        assert!(main.contains(&format!(".TP\n\\fB{value}\\fR")), "{value}");
    }
    assert!(main.contains("\\fBca\\-doctor analyze ca\\-doctor\\-Mac.zip\\fR"));
    assert!(!main.contains(".SH EXTRA"), "no unformatted text block");
    let ea = std::fs::read_to_string(pages.path().join("ca-doctor-ea.1")).unwrap();
    assert!(ea.contains("EXTENSION ATTRIBUTE VALUES") && ea.contains("\\fBca\\-doctor ea\\fR"));
    assert!(!ea.contains("EXIT STATUS"), "ea always exits 0");
    let check = std::fs::read_to_string(pages.path().join("ca-doctor-check.1")).unwrap();
    assert!(check.contains(".SH \"EXIT STATUS\""));
    assert!(
        check.contains("\\fBsudo ca\\-doctor check\\fR") && !check.contains("analyze ca\\-doctor"),
        "only check's examples: {check}"
    );
    for flag in ["log\\-timeout", "signins", "policies", "color", "verbose"] {
        assert!(check.contains(flag), "{flag} in ca-doctor-check.1");
    }
    // Bash completion, run in bash: a command's own flags and values.
    let script = tempfile::NamedTempFile::new().unwrap();
    let generated = ca_doctor().args(["generate", "bash"]).output().unwrap();
    std::fs::write(script.path(), &generated.stdout).unwrap();
    let complete = |words: &str, cword: usize, cur: &str, prev: &str| {
        let output = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "source '{}'; COMP_WORDS=({words}); COMP_CWORD={cword}; _ca__doctor ca-doctor '{cur}' '{prev}'; echo \"${{COMPREPLY[@]}}\"",
                script.path().display()
            ))
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    };
    assert_eq!(
        complete("ca-doctor check --fo", 2, "--fo", "check"),
        "--format"
    );
    assert_eq!(
        complete("ca-doctor check --format ''", 3, "", "--format"),
        "human json html"
    );
    assert_eq!(complete("ca-doctor ch", 1, "ch", "ca-doctor"), "check");
    assert_eq!(
        complete("ca-doctor signins --jamf-conn", 2, "--jamf-conn", "signins"),
        "--jamf-connect-app"
    );
}

#[test]
fn one_line_errors_keep_what_helps() {
    for (args, says) in [
        (
            vec!["analyze"],
            "the following required arguments were not provided: <PATH> (see ca-doctor analyze --help)",
        ),
        (
            vec!["chek"],
            "unrecognized subcommand 'chek'; a similar subcommand exists: 'check' (see ca-doctor --help)",
        ),
        (
            vec!["check", "--usr", "x"],
            "unexpected argument '--usr' found; a similar argument exists: '--user' (see ca-doctor check --help)",
        ),
        (
            vec!["check", "--log-timeout", "-5"],
            "invalid value '-5' for '--log-timeout <SECONDS>': invalid digit found in string (see ca-doctor check --help)",
        ),
        (
            vec!["tick", "--color", "never"],
            "unexpected argument '--color' found (see ca-doctor tick --help)",
        ),
    ] {
        let output = ca_doctor().args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(
            stderr(&output).trim(),
            format!("ca-doctor: error: {says}"),
            "{args:?}"
        );
    }
    let output = ca_doctor()
        .args(["check", "--format", "xml"])
        .output()
        .unwrap();
    assert!(
        stderr(&output).contains("[possible values: human, json, html]"),
        "{}",
        stderr(&output)
    );
}
