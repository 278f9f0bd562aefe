//! The HTML report in a real browser: headless Chromium loads it without
//! console errors, takes a screenshot, and the timeline shows one mark per
//! charted log event of the fixture.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::fixtures::{NOW, USER};
use support::{ca_doctor, fixture};

fn chromium() -> Option<PathBuf> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.is_file())
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
            "--window-size=1280,1800",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap()
}

#[test]
fn the_report_renders_in_headless_chromium_with_every_mark() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium (.ci/run does)"
        );
        eprintln!("chromium is not installed here: skipping the browser test");
        return;
    };
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
        console.contains(&format!("ca-doctor report ready: {expected} marks")),
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
    assert_eq!(dom.matches("class=\"mark mark-").count(), expected);
    assert!(
        dom.contains(&format!("id=\"mark-count\">{expected}<")),
        "the page counted its marks"
    );
    assert!(dom.contains("DEACTIVATED"));
}
