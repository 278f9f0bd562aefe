//! The HTML reports in a real browser. Headless Chromium loads each page
//! (the Mac's report, sign-ins, policies, a device's chain) without console errors; the
//! timeline accounts for every charted log event (close ones drawn as one
//! circle with their count) and has a lane for every primary cause; and at
//! 1280 and at 420 pixels a layout check run inside the page finds nothing
//! wider than the screen, no column narrower than a word, no overlapping
//! marks or labels and no clipped axis label.

use crate::support::fixtures::{NOW, USER};
use crate::support::{ca_doctor, fixture, succeed};
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

/// Loads `page` in headless Chromium, `width` pixels wide, with `extra`
/// arguments (a screenshot, a DOM dump).
fn headless(page: &Path, width: u32, extra: &[String]) -> std::process::Output {
    headless_sized(page, width, 1800, extra)
}

/// The same in a window `width` by `height` pixels.
fn headless_sized(page: &Path, width: u32, height: u32, extra: &[String]) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--window-size={width},{height}"))
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap()
}

/// The layout check, added to a copy of the page under test (the page's
/// policy allows inline scripts only). It logs one JSON line.
const LAYOUT_CHECK: &str = r#"
<script>
(function () {
  var problems = [];
  function say(e) { return e.tagName.toLowerCase() + ' "' + (e.textContent || '').trim().slice(0, 50) + '"'; }
  function meet(a, b) { return a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5; }
  var width = document.documentElement.scrollWidth;
  if (width > window.innerWidth) { problems.push('page ' + width + ' px wide in a ' + window.innerWidth + ' px window'); }
  // A word broken over two lines is only right where its cell already has
  // (almost) the whole width of its section: the word is wider than the screen.
  document.querySelectorAll('td, th, dd, dt, li, p, .finding > div, header > div').forEach(function (cell) {
    var section = cell.closest('section, header');
    if (!section) { return; }
    var style = getComputedStyle(section);
    var room = section.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (cell.getBoundingClientRect().width >= 0.8 * room) { return; }
    var walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('pre')) { continue; }
      var words = /[^\s\-]+/g, match;
      while ((match = words.exec(node.data))) {
        var range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        var tops = {};
        Array.prototype.forEach.call(range.getClientRects(), function (r) { if (r.width > 0) { tops[Math.round(r.top)] = true; } });
        if (Object.keys(tops).length > 1) {
          problems.push('word "' + match[0] + '" broken in a ' + Math.round(cell.getBoundingClientRect().width) + ' px ' + cell.tagName.toLowerCase() + ' of a ' + Math.round(room) + ' px section');
        }
      }
    }
  });
  var charts = [];
  document.querySelectorAll('svg.timeline').forEach(function (svg) {
    var frame = svg.getBoundingClientRect();
    if (frame.width === 0) { return; }
    var kind = svg.getAttribute('class');
    var texts = Array.prototype.slice.call(svg.querySelectorAll('text'));
    var labels = texts.filter(function (t) { return !t.classList.contains('count'); });
    var circles = Array.prototype.slice.call(svg.querySelectorAll('circle'));
    texts.forEach(function (t) {
      var b = t.getBoundingClientRect();
      if (b.left < frame.left - 0.5 || b.right > frame.right + 0.5 || b.top < frame.top - 0.5 || b.bottom > frame.bottom + 0.5) {
        problems.push(kind + ': ' + say(t) + ' clipped');
      }
    });
    labels.forEach(function (a, i) {
      labels.slice(i + 1).forEach(function (b) {
        if (meet(a.getBoundingClientRect(), b.getBoundingClientRect())) { problems.push(kind + ': ' + say(a) + ' overlaps ' + say(b)); }
      });
      circles.forEach(function (c) {
        if (meet(a.getBoundingClientRect(), c.getBoundingClientRect())) { problems.push(kind + ': ' + say(a) + ' overlaps a mark'); }
      });
    });
    var round = circles.map(function (c) {
      var b = c.getBoundingClientRect();
      return { x: (b.left + b.right) / 2, y: (b.top + b.bottom) / 2, r: b.width / 2 };
    });
    round.forEach(function (a, i) {
      round.slice(i + 1).forEach(function (b) {
        if (Math.hypot(a.x - b.x, a.y - b.y) < a.r + b.r - 0.5) { problems.push(kind + ': marks overlap at x ' + Math.round(a.x) + ' and ' + Math.round(b.x)); }
      });
    });
    texts.filter(function (t) { return t.classList.contains('count'); }).forEach(function (t) {
      var own = t.previousElementSibling.getBoundingClientRect(), b = t.getBoundingClientRect();
      if (b.left < own.left - 1 || b.right > own.right + 1) { problems.push(kind + ': count ' + say(t) + ' wider than its mark'); }
    });
    var events = 0;
    svg.querySelectorAll('.mark').forEach(function (m) { events += Number(m.getAttribute('data-count')); });
    charts.push({ kind: kind, lanes: labels.filter(function (t) { return t.classList.contains('lane'); }).map(function (t) { return t.textContent; }), events: events });
  });
  console.info('ca-doctor layout: ' + JSON.stringify({ width: width, window: window.innerWidth, charts: charts, problems: problems }));
})();
</script>
"#;

/// `page` with the test's `script` (a whole `<script>` element) added at
/// the end of its body, and allowed by its digest in the page's content
/// security policy, which still holds the page's own (if any).
fn with_test_script(page: &str, script: &str) -> String {
    use base64::Engine;
    let body = script
        .trim()
        .strip_prefix("<script>")
        .and_then(|s| s.strip_suffix("</script>"))
        .expect("a whole script element");
    let digest = ring::digest::digest(&ring::digest::SHA256, body.as_bytes());
    let allowed = format!(
        "script-src 'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
    );
    // A page without a script of its own allows none; one with names it.
    let page = match page.contains("script-src 'none'") {
        true => page.replacen("script-src 'none'", &allowed, 1),
        false => {
            assert!(
                page.contains("script-src 'sha256-"),
                "the page names its own script"
            );
            page.replacen("script-src ", &format!("{allowed} "), 1)
        }
    };
    let at = page.rfind("</body>").expect("a whole page");
    format!("{}{}{}", &page[..at], script.trim(), &page[at..])
}

/// What the layout check saw.
struct Layout {
    width: u64,
    window: u64,
    /// Each chart on screen: its classes, lane labels and events drawn.
    charts: Vec<(String, Vec<String>, u64)>,
    problems: Vec<String>,
    /// Console lines of the page's own script.
    console: String,
}

/// Loads `html` once in a frame of each of `widths` (pixels) with the
/// layout check, in one browser run, and returns what each found; any
/// console error fails the test.
fn layouts(html: &[u8], widths: &[u32]) -> Vec<Layout> {
    let work = tempfile::tempdir().unwrap();
    let text = String::from_utf8(html.to_vec()).unwrap();
    // A copy per width, so that each frame's console lines name their own.
    let mut frames = String::new();
    for width in widths {
        std::fs::write(
            work.path().join(format!("page-{width}.html")),
            with_test_script(&text, LAYOUT_CHECK),
        )
        .unwrap();
        // Headless windows are at least 500 pixels wide: a phone's width is
        // a frame of that width.
        frames.push_str(&format!(
            "<iframe src=\"page-{width}.html\" style=\"display:block;border:0;width:{width}px;height:1800px\"></iframe>"
        ));
    }
    let frame = work.path().join("frame.html");
    std::fs::write(
        &frame,
        format!("<!DOCTYPE html><body style=\"margin:0\">{frames}</body>"),
    )
    .unwrap();
    let widest = widths.iter().copied().max().unwrap_or(500);
    let run = headless_sized(
        &frame,
        widest.max(500) + 40,
        1800 * widths.len() as u32 + 100,
        &["--dump-dom".to_string()],
    );
    let console = String::from_utf8_lossy(&run.stderr).into_owned();
    widths
        .iter()
        .map(|width| {
            let own = format!("page-{width}.html");
            let lines: Vec<&str> = console
                .lines()
                .filter(|l| l.contains("CONSOLE") && l.contains(&own))
                .collect();
            for line in &lines {
                assert!(
                    !line.contains(":ERROR:")
                        && !line.contains("Uncaught")
                        && !line.contains("Refused"),
                    "console error at {width} px: {line}"
                );
            }
            let line = lines
                .iter()
                .find_map(|l| l.split("ca-doctor layout: ").nth(1))
                .unwrap_or_else(|| panic!("the layout check did not run at {width} px: {console}"));
            let json = &line[..line.rfind("}\"").map_or(line.len(), |end| end + 1)];
            let found: serde_json::Value =
                serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {line}"));
            Layout {
                width: found["width"].as_u64().unwrap(),
                window: found["window"].as_u64().unwrap(),
                charts: found["charts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| {
                        (
                            c["kind"].as_str().unwrap().to_string(),
                            c["lanes"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .map(|l| l.as_str().unwrap().to_string())
                                .collect(),
                            c["events"].as_u64().unwrap(),
                        )
                    })
                    .collect(),
                problems: found["problems"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.as_str().unwrap().to_string())
                    .collect(),
                console: lines.join("\n"),
            }
        })
        .collect()
}

/// Checks `html` at a laptop's and a phone's width: the right chart shape
/// on each, nothing wider than the screen, no problems. Returns both
/// layouts.
fn reads_well(name: &str, html: &[u8]) -> [Layout; 2] {
    let mut seen = layouts(html, &[1280, 420]).into_iter();
    [1280u32, 420].map(|width| {
        let seen = seen.next().expect("a layout per width");
        assert!(
            seen.problems.is_empty(),
            "{name} at {width} px:\n{}",
            seen.problems.join("\n")
        );
        assert_eq!(seen.window, u64::from(width), "{name}");
        assert!(seen.width <= seen.window, "{name} at {width} px");
        let shape = if width > 600 { "wide" } else { "narrow" };
        for (kind, _, _) in &seen.charts {
            assert!(kind.ends_with(shape), "{name} at {width} px shows {kind}");
        }
        seen
    })
}

/// `check --format html` of a fixture root on `log`, with `extra` flags.
fn mac_report(root: &Path, log: &Path, extra: &[&str]) -> Vec<u8> {
    succeed(
        ca_doctor()
            .arg("check")
            .arg("--root")
            .arg(root)
            .args(["--user", USER, "--now", NOW, "--format", "html", "--log"])
            .arg(log)
            .args(extra),
    )
    .stdout
}

#[test]
#[cfg_attr(
    missing_chromium,
    ignore = "chromium is not installed here (CI installs it and runs this test)"
)]
fn the_report_renders_in_headless_chromium_with_every_mark() {
    let dir = fixture("mixed-deactivated");
    let report = mac_report(&dir.join("root"), &dir.join("log.ndjson"), &[]);
    let html = String::from_utf8(report.clone()).unwrap();
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
        "More than 1 account",
    ];
    let expected = log
        .lines()
        .filter(|l| charted.iter().any(|c| l.contains(c)))
        .count();
    assert_eq!(expected, 46);

    let work = tempfile::tempdir().unwrap();
    let page = work.path().join("report.html");
    std::fs::write(&page, &report).unwrap();
    let shot = work.path().join("report.png");
    let run = headless(&page, 1280, &[format!("--screenshot={}", shot.display())]);
    let console = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(
        console.contains(&format!("ca-doctor report ready: {expected} events")),
        "the page's script counted the chart on screen once: {console}"
    );
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "a real screenshot ({} bytes)",
        png.len()
    );

    // The whole window's chart, in both shapes: every event counted once,
    // clustered. (The page's own count is checked on screen below.)
    for shape in ["wide", "narrow"] {
        let start = html
            .find(&format!("class=\"timeline window {shape}\""))
            .unwrap();
        let chart = &html[start..];
        let chart = &chart[..chart.find("</svg>").unwrap()];
        let counts: Vec<usize> = chart
            .split("data-count=\"")
            .skip(1)
            .map(|rest| rest[..rest.find('"').unwrap()].parse().unwrap())
            .collect();
        assert_eq!(counts.iter().sum::<usize>(), expected, "{shape}");
        assert!(counts.len() < expected, "close events are drawn as one");
        assert!(counts.iter().any(|c| *c > 1));
    }
    assert!(
        html.contains("Busiest day: Thu 19 Nov 2026"),
        "the zoom on the busiest day"
    );
    assert!(html.contains("DEACTIVATED"));
    assert!(html.contains("Do this first: "));
    assert!(
        html.contains("<pre class=\"command\"><code>launchctl asuser"),
        "commands are copyable blocks"
    );
    assert!(
        !html.contains("`launchctl"),
        "backticks are rendered, not shown"
    );

    let [wide, narrow] = reads_well("mixed-deactivated", &report);
    for seen in [&wide, &narrow] {
        // The window's chart and the busiest day's, in the shape on screen.
        assert_eq!(seen.charts.len(), 2, "{:?}", seen.charts);
        assert_eq!(seen.charts[0].2, expected as u64);
        assert!(
            seen.console
                .contains(&format!("ca-doctor report ready: {expected} events")),
            "{}",
            seen.console
        );
    }
}

/// A compact log of a busy week: every charted kind of line, in bursts
/// close enough to merge and spread enough not to, at times drawn from a
/// fixed pseudo-random sequence.
fn busy_week() -> (String, std::collections::BTreeMap<&'static str, usize>) {
    let agent = "Jamf Conditional Access[8812:4a1c2] [com.jamf.management.jamfAAD:msal]";
    let kinds: [(&str, String); 9] = [
        (
            "sign-in succeeded",
            "Jamf Conditional Access[8812:4a1c2] [com.jamf.management.jamfAAD:workflow] AAD ID acquired for macOS user account test.user".to_string(),
        ),
        (
            "silent sign-in failed",
            format!("{agent} acquireTokenSilent returning with error: (MSALErrorDomain, -50002) Masked(not-null)"),
        ),
        (
            "invalid_grant",
            format!("{agent} Processing an AAD error with error code -51412, error invalid_grant"),
        ),
        (
            "interactive sign-in failed",
            "Jamf Conditional Access[8812:4a1c2] [com.jamf.management.jamfAAD:workflow] Did not get a token from acquireTokenInteractive, sending an empty token.".to_string(),
        ),
        (
            "AppSSO error -9",
            "Microsoft Teams[640:77] (AppSSOCore) [com.apple.AppSSO:SOAuthorizationCore] Error Domain=com.apple.AppSSO.AuthorizationError Code=-9 \"not AppSSO URL\"".to_string(),
        ),
        (
            "token cache failure",
            format!("{agent} Could not write broker key -34018"),
        ),
        (
            "duplicate MSAL accounts",
            format!("{agent} More than 1 account, will try to find a matching account"),
        ),
        (
            "Jamf Connect auth failed",
            "Jamf Connect[512:1a2b] [com.jamf.connect:auth] Authentication failed".to_string(),
        ),
        (
            "deactivated (No AAD ID)",
            "Jamf Conditional Access[8812:4a1c2] [com.jamf.management.jamfAAD:workflow] No AAD ID found for macOS user account test.user".to_string(),
        ),
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = move |below: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % below
    };
    // The default window: the five days before NOW.
    let start = chrono::DateTime::parse_from_rfc3339("2026-11-15T12:30:00-05:00").unwrap();
    let mut lines = Vec::new();
    let mut counts = std::collections::BTreeMap::new();
    for (n, (label, message)) in kinds.iter().enumerate() {
        // Busier kinds first: 128 down to 21 times, every third one with a
        // second line up to a minute later.
        let total = 120 / (n + 1) + 8;
        for i in 0..total {
            let first = start + chrono::Duration::seconds(next(4 * 86_400 + 80_000) as i64);
            let mut times = vec![first];
            if i % 3 == 0 {
                times.push(first + chrono::Duration::seconds(3 + next(57) as i64));
            }
            for at in times {
                lines.push((
                    at,
                    format!("{} E  {message}", at.format("%Y-%m-%d %H:%M:%S%.3f")),
                ));
                *counts.entry(*label).or_insert(0) += 1;
            }
        }
    }
    lines.sort();
    let text = lines
        .into_iter()
        .map(|(_, line)| line + "\n")
        .collect::<String>();
    (
        format!("Timestamp               Ty Process[PID:TID]\n{text}"),
        counts,
    )
}

#[test]
#[cfg_attr(
    missing_chromium,
    ignore = "chromium is not installed here (CI installs it and runs this test)"
)]
fn a_busy_week_has_a_lane_for_every_primary_cause_and_nothing_overlaps() {
    let (log, counts) = busy_week();
    let work = tempfile::tempdir().unwrap();
    let path = work.path().join("busy.log");
    std::fs::write(&path, &log).unwrap();
    // Thirty days: a label for every day would fit on neither screen.
    let report = mac_report(&fixture("healthy").join("root"), &path, &["--since", "30d"]);
    for seen in reads_well("a busy week, --since 30d", &report) {
        let (kind, lanes, events) = &seen.charts[0];
        assert!(kind.starts_with("timeline window"), "{kind}");
        // AppSSO's lines are seconds apart here, one request each:
        // every line is an event.
        assert_eq!(*events, counts.values().sum::<usize>() as u64);
        let expected: Vec<String> = [
            "sign-in succeeded",
            "silent sign-in failed",
            "invalid_grant",
            "interactive sign-in failed",
            "AppSSO error -9",
            "token cache failure",
            "duplicate MSAL accounts",
            "Jamf Connect auth failed",
            "deactivated (No AAD ID)",
        ]
        .iter()
        .map(|label| format!("{label} ({})", counts[label]))
        .collect();
        assert_eq!(lanes, &expected);
    }
}

#[test]
#[cfg_attr(
    missing_chromium,
    ignore = "chromium is not installed here (CI installs it and runs this test)"
)]
fn the_tenant_reports_read_well_on_a_laptop_and_a_phone() {
    let entra = fixture("entra");
    let sign_ins = succeed(
        ca_doctor()
            .arg("signins")
            .arg(entra.join("graph-v1.0.json"))
            .args(["--format", "html", "--policies"])
            .arg(entra.join("policies")),
    )
    .stdout;
    let page = String::from_utf8_lossy(&sign_ins);
    assert!(page.contains("Sign-ins by app"), "{page}");
    reads_well("signins", &sign_ins);

    let policies = succeed(
        ca_doctor()
            .arg("policies")
            .arg(entra.join("policies"))
            .args(["--format", "html"]),
    )
    .stdout;
    let page = String::from_utf8_lossy(&policies);
    assert!(page.contains("reaches the Jamf Connect sign-in"), "{page}");
    reads_well("policies", &policies);

    let device = succeed(
        ca_doctor()
            .args([
                "device",
                "--upn",
                "jane@contoso.com",
                "--now",
                NOW,
                "--format",
                "html",
                "--tenant",
            ])
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/device-chain/tenant")),
    )
    .stdout;
    let page = String::from_utf8_lossy(&device);
    assert!(page.contains("The device chain"), "{page}");
    reads_well("device", &device);
}

#[test]
#[cfg_attr(
    missing_chromium,
    ignore = "chromium is not installed here (CI installs it and runs this test)"
)]
fn a_mac_blocked_by_entra_reads_well_with_its_device_chain() {
    let stubs = crate::support::stubs::Stubs::new(USER, &fixture("healthy").join("log.ndjson"));
    stubs.keychain(&["registered-2026-01.der", "registered-2026-09.der"]);
    let tenant = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/device-chain/tenant");
    let page = succeed(
        ca_doctor()
            .arg("check")
            .arg("--root")
            .arg(fixture("healthy").join("root"))
            .args(["--user", USER, "--now", NOW, "--format", "html", "--tenant"])
            .arg(&tenant)
            .env("CA_DOCTOR_STUB_DIR", stubs.path()),
    )
    .stdout;
    let text = String::from_utf8_lossy(&page);
    assert!(text.contains("NOT-COMPLIANT"), "{text}");
    assert!(text.contains("<td>Jamf Pro compliance</td><td>Intune: NON_COMPLIANT</td>"));
    reads_well("a Mac blocked by Entra", &page);
}

#[test]
fn the_fleet_dashboard_reads_well_and_sorts_its_table() {
    let work = tempfile::tempdir().unwrap();
    let history = work.path().join("history");
    let fleet = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fleet");
    // Two runs, so that the trend has two points.
    let mut html = Vec::new();
    for now in ["2026-11-19T12:00:00Z", "2026-11-20T12:00:00Z"] {
        html = succeed(
            ca_doctor()
                .args(["fleet", "--format", "html", "--now", now])
                .arg("--inventory")
                .arg(fleet.join("inventory"))
                .arg("--tenant")
                .arg(fleet.join("tenant"))
                .arg("--history")
                .arg(&history)
                .args(["--jamf-url", "https://contoso.jamfcloud.com"]),
        )
        .stdout;
    }
    let text = String::from_utf8(html.clone()).unwrap();
    assert!(text.contains("href=\"https://contoso.jamfcloud.com/computers.html?id=102&amp;o=r\""));
    assert!(text.contains("Trend over 2 runs"));
    // A click on a column sorts by it, another the other way round.
    let work = tempfile::tempdir().unwrap();
    let page = work.path().join("fleet.html");
    let click = "<script>(function () {\
        var th = document.querySelectorAll('table.macs th')[4];\
        function first() { return document.querySelector('table.macs tbody tr td').textContent; }\
        th.click(); var up = first(); th.click(); var down = first();\
        console.info('sorted: ' + up + ' | ' + down);\
        })();</script>";
    std::fs::write(&page, with_test_script(&text, click)).unwrap();
    let run = headless(&page, 1280, &["--dump-dom".to_string()]);
    let console = String::from_utf8_lossy(&run.stderr);
    // Frank's inventory is the oldest (2026-11-01), the others' are newer;
    // unsorted, the table starts with the most urgent Mac (Bob's).
    assert!(console.contains("sorted: Frank's MacBook | "), "{console}");
    assert!(
        !console.contains("sorted: Frank's MacBook | Frank's MacBook"),
        "{console}"
    );

    let [wide, narrow] = reads_well("fleet dashboard", &html);
    for seen in [&wide, &narrow] {
        assert!(
            seen.console.contains("ca-doctor fleet ready: 9 rows"),
            "{}",
            seen.console
        );
    }
}
