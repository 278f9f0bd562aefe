//! The HTML report in a real browser: headless Chromium loads it without
//! console errors, takes a screenshot, the timeline accounts for every
//! charted log event of the fixture (close ones drawn as one circle with
//! their count), commands are copyable blocks, and nothing overflows a
//! 420-pixel-wide screen.

use crate::support::fixtures::{NOW, USER};
use crate::support::{ca_doctor, fixture};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The browser on `PATH` (the build script looks for the same names).
fn chromium() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
        .expect("chromium must be installed: .ci/run installs it")
}

fn headless(browser: &Path, page: &Path, extra: &[String]) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .args(
            (!extra.iter().any(|e| e.starts_with("--window-size=")))
                .then_some("--window-size=1280,1800"),
        )
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap()
}

#[test]
#[cfg_attr(
    missing_chromium,
    ignore = "chromium is not installed here (CI installs it and runs this test)"
)]
fn the_report_renders_in_headless_chromium_with_every_mark() {
    let browser = chromium();
    let dir = fixture("mixed-deactivated");
    let output = ca_doctor()
        .arg("check")
        .arg("--root")
        .arg(dir.join("root"))
        .args(["--user", USER, "--now", NOW, "--format", "html", "--log"])
        .arg(dir.join("log.ndjson"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let work = tempfile::tempdir().unwrap();
    let page = work.path().join("report.html");
    std::fs::write(&page, &output.stdout).unwrap();
    let html = String::from_utf8(output.stdout).unwrap();
    for external in [" src=", "<link", "href=\"http", "url(http", "@import"] {
        assert!(!html.contains(external), "self-contained: found {external}");
    }

    // One mark per charted event, counted from the fixture log itself.
    let log = std::fs::read_to_string(dir.join("log.ndjson")).unwrap();
    let charted = [
        "AAD ID acquired",
        "acquireTokenSilent returning with error",
        "Did not get a token from acquireTokenInteractive",
        "Code=-9 ",
        "No AAD ID found",
    ];
    let expected = log
        .lines()
        .filter(|l| charted.iter().any(|c| l.contains(c)))
        .count();
    assert_eq!(expected, 45);

    let shot = work.path().join("report.png");
    let run = headless(
        &browser,
        &page,
        &[format!("--screenshot={}", shot.display())],
    );
    let console = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(
        console.contains(&format!("ca-doctor report ready: {expected} events")),
        "script ran: {console}"
    );
    for line in console.lines().filter(|l| l.contains("CONSOLE")) {
        assert!(
            !line.contains(":ERROR:") && !line.contains("Uncaught") && !line.contains("Refused"),
            "console error: {line}"
        );
    }
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "a real screenshot ({} bytes)",
        png.len()
    );

    let dom = headless(&browser, &page, &["--dump-dom".to_string()]);
    let dom = String::from_utf8_lossy(&dom.stdout);
    // The whole window's chart: every event counted once, clustered.
    let window = &dom[dom.find("class=\"timeline window\"").unwrap()..];
    let window = &window[..window.find("</svg>").unwrap()];
    let counts: Vec<usize> = window
        .split("data-count=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].parse().unwrap())
        .collect();
    assert_eq!(counts.iter().sum::<usize>(), expected);
    assert!(counts.len() < expected, "close events are drawn as one");
    assert!(counts.iter().any(|c| *c > 1));
    assert!(
        dom.contains(&format!("id=\"mark-count\">{expected}<")),
        "the page counted its events"
    );
    assert!(
        dom.contains("Busiest day: Thu 19 Nov 2026"),
        "the zoom on the busiest day"
    );
    assert!(dom.contains("DEACTIVATED"));
    assert!(dom.contains("Do this first: "));
    assert!(
        dom.contains("<pre class=\"command\"><code>launchctl asuser"),
        "commands are copyable blocks"
    );
    assert!(
        !dom.contains("`launchctl"),
        "backticks are rendered, not shown"
    );

    // A phone-sized window: nothing wider than the screen.
    let narrow = headless(
        &browser,
        &page,
        &[
            "--window-size=420,900".to_string(),
            "--dump-dom".to_string(),
        ],
    );
    let console = String::from_utf8_lossy(&narrow.stderr);
    let width_line = console
        .lines()
        .find(|l| l.contains("ca-doctor report width: "))
        .unwrap_or_else(|| panic!("no width logged: {console}"));
    let numbers: Vec<u32> = width_line
        .split("ca-doctor report width: ")
        .nth(1)
        .unwrap()
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(2)
        .map(|s| s.parse().unwrap())
        .collect();
    assert!(numbers[0] <= numbers[1], "overflow at 420 px: {width_line}");
}
