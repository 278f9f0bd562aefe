//! The report a help desk reads: the verdict, "do this first", one sample
//! line per finding unless `--verbose`, each command once, counts in words
//! and in JSON numbers, no normal absence shown as a problem, and advice
//! that fits where the evidence came from.

use crate::support::fixtures::{NOW, USER};
use crate::support::{ca_doctor, evidence_row, finding, fixture, succeed};

fn check(extra: &[&str]) -> String {
    let dir = fixture("mixed-deactivated");
    let output = succeed(
        ca_doctor()
            .arg("check")
            .arg("--root")
            .arg(dir.join("root"))
            .args(["--user", USER, "--now", NOW, "--log"])
            .arg(dir.join("log.compact.txt"))
            .args(extra),
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_human_report_fits_a_screen_and_says_what_to_do_first() {
    let text = check(&[]);
    // At 100 columns (a terminal's width, or COLUMNS), one screen.
    let narrow = String::from_utf8(
        succeed(
            ca_doctor()
                .arg("check")
                .arg("--root")
                .arg(fixture("mixed-deactivated").join("root"))
                .args(["--user", USER, "--now", NOW, "--color", "never", "--log"])
                .arg(fixture("mixed-deactivated").join("log.compact.txt"))
                .env("COLUMNS", "100"),
        )
        .stdout,
    )
    .unwrap();
    assert!(
        narrow.lines().count() <= 40,
        "{} lines:\n{narrow}",
        narrow.lines().count()
    );
    assert!(
        narrow.lines().all(|l| l.chars().count() <= 100),
        "wrapped to the width:\n{narrow}"
    );
    let lines: Vec<&str> = text.lines().collect();
    // An action the reader can take now, not a statement.
    assert!(
        lines[2].starts_with("Do this first: Update macOS 13.6.1 to 14.3 or later"),
        "{}",
        lines[2]
    );

    // One sample line (the latest), the rest behind --verbose.
    let at = lines
        .iter()
        .position(|l| l.contains("= sample lines: 4 kept"))
        .unwrap();
    assert!(
        lines[at + 1].starts_with("      2026-11-19 13:15:00-0500"),
        "{}",
        lines[at + 1]
    );
    assert!(
        lines[at + 1].ends_with(" …"),
        "cut at a word: {}",
        lines[at + 1]
    );
    assert_eq!(lines[at + 2], "      … 3 more (--verbose shows them)");
    // Counts in words, no normal absence; the other findings as one line each.
    assert!(!text.contains("(s)") && !text.contains("(es)"), "{text}");
    assert!(
        text.contains("critical[interactive-auth-failed]: The interactive sign-in failed 1 time")
    );
    assert!(text.contains("refused 41 requests with AppSSO error -9"));
    assert!(text.contains("(--verbose shows the evidence and next steps of every finding)"));
    assert!(!text.contains("agent managed preferences"), "{text}");

    let verbose = check(&["--verbose"]);
    // Each command once, whole, in the verbose report.
    assert!(verbose.contains("failed 1 time and the agent sent an empty token"));
    assert_eq!(verbose.matches("gatherAADInfo`").count(), 1, "{verbose}");
    assert!(verbose.contains("the command shown under deactivated above"));
    let lines: Vec<&str> = verbose.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("= sample lines: 4 kept"))
        .unwrap();
    assert!(lines[at + 1].starts_with("      2026-11-19 10:00:00-0500"));
    assert!(lines[at + 4].starts_with("      2026-11-19 13:15:00-0500"));
    assert!(!verbose.contains("more (--verbose shows them)"));
}

#[test]
fn json_keeps_everything_and_counts_are_numbers() {
    let document: serde_json::Value = serde_json::from_str(&check(&["--format", "json"])).unwrap();
    let appsso = finding(&document, "appsso-not-appsso-url");
    let evidence = |label: &str| evidence_row(appsso, label).clone();
    assert_eq!(evidence("count")["count"], 41);
    assert_eq!(evidence("count")["value"], "41");
    assert_eq!(evidence("processes affected")["count"], 2);
    let samples = evidence("sample lines");
    assert_eq!(samples["items"].as_array().unwrap().len(), 4);
    assert!(
        samples["items"][0].as_str().unwrap().len() > 240,
        "whole lines"
    );
}

#[test]
fn a_plain_export_names_no_user_and_its_advice_names_collect() {
    let dir = fixture("mixed-deactivated");
    let output = succeed(
        ca_doctor()
            .arg("analyze")
            .arg(dir.join("log.ndjson"))
            .args(["--now", NOW]),
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("ca-doctor: DEACTIVATED"), "{text}");
    assert!(text.contains("user <user> · "), "{text}");
    let output = succeed(
        ca_doctor()
            .arg("analyze")
            .arg(dir.join("log.ndjson"))
            .args(["--now", NOW, "--verbose"]),
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("id -u <user>"), "{text}");
    assert!(
        text.contains("collect a new bundle on the Mac (`sudo ca-doctor collect`) and analyse it"),
        "{text}"
    );
    assert!(!text.contains("run `sudo ca-doctor check` again"), "{text}");
}

#[test]
fn a_healthy_mac_is_not_padded_and_a_damaged_file_is_named_for_what_it_is() {
    let healthy = fixture("healthy");
    let run = |root: &std::path::Path, extra: &[&str]| {
        String::from_utf8(
            succeed(
                ca_doctor()
                    .arg("check")
                    .arg("--root")
                    .arg(root)
                    .args(["--user", USER, "--now", NOW, "--color", "never", "--log"])
                    .arg(healthy.join("log.ndjson"))
                    .args(extra),
            )
            .stdout,
        )
        .unwrap()
    };
    let text = run(&healthy.join("root"), &[]);
    assert!(text.starts_with("ca-doctor: HEALTHY\n"), "{text}");
    assert!(!text.contains("recurring-auth-removed"), "{text}");
    assert!(run(&healthy.join("root"), &["--verbose"]).contains("info[recurring-auth-removed]"));
    // A damaged plist: repair it, not "run as root"; no error names in code.
    let work = tempfile::tempdir().unwrap();
    crate::support::copy_tree(&healthy.join("root"), work.path());
    std::fs::write(
        work.path()
            .join("Users/test.user/Library/Preferences/com.jamf.management.jamfAAD.plist"),
        "<plist><dict><key>x</key>",
    )
    .unwrap();
    let text = run(work.path(), &[]);
    let first = text.lines().nth(2).unwrap();
    assert!(
        first.starts_with("Do this first: Check the damaged file with `plutil -lint"),
        "{first}"
    );
    assert!(!text.contains("Run ca-doctor as root"), "{text}");
    assert!(
        text.contains("not a valid plist: unexpected end of event stream"),
        "{text}"
    );
}
