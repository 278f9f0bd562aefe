//! The fleet report printed: one screen for a person, JSON for programs,
//! CSV (one row per Mac) for spreadsheets, and an HTML dashboard (bars per
//! status and cause, the trend, the Macs that need attention in a sortable
//! table, each linked to its Jamf Pro page).

use super::format::Format;
use super::html::page;
use crate::attribute::AttributeStatus;
use crate::fleet::FleetReport;
use crate::fleet::MacRef;
use crate::fleet::summary::{Age, Group};
use crate::util::text::count;
use crate::verdict::Status;
use chrono::{DateTime, FixedOffset};
use maud::{Markup, PreEscaped, html};
use std::fmt::Write;

/// Names listed in a line before "and N more".
const NAMES_SHOWN: usize = 5;

/// Rows of the dashboard's table, at most (the most urgent first; the CSV
/// has every Mac).
const TABLE_ROWS: usize = 2000;

/// Groups shown per breakdown on one screen.
const GROUPS_SHOWN: usize = 6;

fn time(at: Option<DateTime<FixedOffset>>) -> String {
    at.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// `n name, name, … and k more`.
fn named(macs: &[MacRef]) -> String {
    let names: Vec<&str> = macs.iter().take(NAMES_SHOWN).map(|m| &*m.name).collect();
    let more = macs.len().saturating_sub(NAMES_SHOWN);
    let mut text = format!("{}: {}", macs.len(), names.join(", "));
    if more > 0 {
        let _ = write!(text, " and {more} more");
    }
    text
}

fn groups_line(groups: &[Group]) -> String {
    let mut parts: Vec<String> = groups
        .iter()
        .take(GROUPS_SHOWN)
        .map(|g| {
            let attention: u64 = g
                .by_status
                .iter()
                .filter(|(s, _)| s.needs_attention())
                .map(|(_, n)| n)
                .sum();
            format!("{} {} ({} need attention)", g.key, g.total, attention)
        })
        .collect();
    if groups.len() > GROUPS_SHOWN {
        parts.push(format!("{} more", groups.len() - GROUPS_SHOWN));
    }
    parts.join(" · ")
}

/// The one-screen text.
pub(crate) fn human(report: &FleetReport) -> String {
    let summary = &report.summary;
    let mut out = String::new();
    let attribute = report
        .ea_attribute
        .as_deref()
        .map_or("no status attribute".to_string(), |a| {
            format!("attribute \"{a}\"")
        });
    let _ = writeln!(
        out,
        "ca-doctor fleet: {} · {attribute} · {}",
        count(summary.total, "Mac", "Macs"),
        report.now.format("%Y-%m-%d %H:%M")
    );
    let widest = summary
        .by_status
        .values()
        .copied()
        .max()
        .unwrap_or(1)
        .max(1);
    for status in AttributeStatus::ALL {
        let n = summary.by_status.get(&status).copied().unwrap_or(0);
        if n == 0 {
            continue;
        }
        let bar = "#".repeat(((n * 30).div_ceil(widest)) as usize);
        let _ = writeln!(out, "  {:<15} {n:>7}  {bar}", status.token());
    }
    // The Macs to act on, most urgent status first, named.
    for status in AttributeStatus::ALL
        .into_iter()
        .filter(|status| status.needs_attention())
    {
        let macs: Vec<MacRef> = report
            .macs
            .iter()
            .filter(|mac| mac.ea.status == status)
            .map(MacRef::of)
            .collect();
        if !macs.is_empty() {
            let _ = writeln!(out, "Act on, {}: {}", status.token(), named(&macs));
        }
    }
    if !summary.by_cause.is_empty() {
        let causes: Vec<String> = summary
            .by_cause
            .iter()
            .take(GROUPS_SHOWN)
            .map(|(cause, n)| format!("{cause} {n}"))
            .collect();
        let _ = writeln!(out, "Primary causes: {}", causes.join(" · "));
    }
    if !summary.by_macos.is_empty() {
        let _ = writeln!(out, "macOS: {}", groups_line(&summary.by_macos));
        let _ = writeln!(out, "Jamf Pro: {}", groups_line(&summary.by_jamf_version));
    }
    if !summary.by_building.is_empty() {
        let _ = writeln!(out, "Buildings: {}", groups_line(&summary.by_building));
    }
    if !summary.by_department.is_empty() {
        let _ = writeln!(out, "Departments: {}", groups_line(&summary.by_department));
    }
    let ages = |map: &std::collections::BTreeMap<Age, u64>| {
        Age::ALL
            .iter()
            .filter_map(|age| map.get(age).map(|n| format!("{} {n}", age.label())))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    if report.last_success_attribute.is_some() {
        let _ = writeln!(out, "Last success: {}", ages(&summary.last_success_age));
    }
    if summary.total > 0 {
        let _ = writeln!(out, "Last inventory: {}", ages(&summary.inventory_age));
    }
    if !summary.ea_did_not_run.is_empty() {
        let _ = writeln!(
            out,
            "The attribute did not run at the last inventory: {}",
            named(&summary.ea_did_not_run)
        );
    }
    if !summary.unrecognised.is_empty() {
        let _ = writeln!(
            out,
            "A value the attribute's grammar does not know (an older script's?): {}",
            named(&summary.unrecognised)
        );
    }
    if !summary.disagreements.is_empty() {
        let shown: Vec<String> = summary
            .disagreements
            .iter()
            .take(NAMES_SHOWN)
            .map(|d| {
                format!(
                    "{} ({}, Jamf Pro {})",
                    d.mac.name,
                    d.mac.status.token(),
                    d.jamf_says
                )
            })
            .collect();
        let more = summary.disagreements.len().saturating_sub(NAMES_SHOWN);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "Disagree with Jamf Pro's record: {}: {}{more}",
            summary.disagreements.len(),
            shown.join(", ")
        );
    }
    if let Some(chain) = &summary.chain {
        for (finding, macs) in chain.iter().filter(|(_, macs)| !macs.is_empty()) {
            let _ = writeln!(out, "Device chain, {finding}: {}", named(macs));
        }
        let _ = writeln!(
            out,
            "Entra Mac records no computer reports: {}",
            orphan_count(report)
        );
    }
    if let Some(history) = &summary.history {
        match history.previous {
            Some(previous) => {
                let _ = writeln!(
                    out,
                    "Since {}: newly deactivated {}; recovered {}",
                    previous.format("%Y-%m-%d %H:%M"),
                    if history.newly_deactivated.is_empty() {
                        "0".to_string()
                    } else {
                        named(&history.newly_deactivated)
                    },
                    if history.recovered.is_empty() {
                        "0".to_string()
                    } else {
                        named(&history.recovered)
                    },
                );
            }
            None => {
                let _ = writeln!(out, "History: the first snapshot");
            }
        }
        let trend: Vec<String> = history
            .trend
            .iter()
            .map(|p| {
                p.counts
                    .get("deactivated")
                    .copied()
                    .unwrap_or(0)
                    .to_string()
            })
            .collect();
        let _ = writeln!(out, "Trend of deactivated Macs: {}", trend.join(" → "));
    }
    for note in &report.notes {
        let _ = writeln!(out, "Note: {note}");
    }
    out
}

/// Writes the fleet report in `format` as it is made (the JSON and CSV of
/// every Mac are never gathered into one string).
pub(crate) fn write(
    report: &FleetReport,
    format: Format,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Human => out.write_all(crate::util::text::for_terminal(&human(report)).as_bytes()),
        Format::Json => super::json::write_fleet(report, out),
        Format::Csv => csv(report, out),
        Format::Html => out.write_all(html(report).as_bytes()),
    }
}

/// One row per Mac, written as they are made.
pub(crate) fn csv(report: &FleetReport, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "id",
        "name",
        "serial",
        "status",
        "causes",
        "value",
        "last_success",
        "macos",
        "jamf_version",
        "building",
        "department",
        "last_inventory",
        "last_check_in",
        "accounts",
        "jamf_compliance",
        "device_chain",
    ])?;
    for mac in &report.macs {
        let causes: Vec<&str> = mac.ea.causes.iter().map(|c| &**c).collect();
        let value = mac
            .ea
            .reason
            .as_deref()
            .or(mac.ea_text.as_deref())
            .unwrap_or_default();
        let accounts: Vec<String> = mac
            .accounts
            .iter()
            .map(|a| {
                format!(
                    "{}:{}:{}",
                    a.username,
                    a.state.as_str(),
                    a.device_id.map(|d| d.to_string()).unwrap_or_default()
                )
            })
            .collect();
        let chain: Vec<&str> = mac.chain.iter().map(|c| c.as_str()).collect();
        // Names and values are anyone's: a cell is never a formula.
        let cells = [
            &*mac.id,
            &*mac.name,
            &*mac.serial,
            mac.ea.status.token(),
            &causes.join(" "),
            value,
            &time(mac.last_success),
            &*mac.macos,
            &*mac.jamf_version,
            &*mac.building,
            &*mac.department,
            &time(mac.last_inventory),
            &time(mac.last_check_in),
            &accounts.join(" "),
            mac.compliance.map(|c| c.as_str()).unwrap_or_default(),
            &chain.join(" "),
        ];
        let cells = cells.map(crate::util::text::csv_text);
        writer.write_record(cells.iter().map(|cell| cell.as_bytes()))?;
    }
    writer.flush()
}

const FLEET_STYLE: &str = r#"
.bars { display:grid; grid-template-columns: minmax(7em, max-content) 1fr minmax(3em, max-content); gap: 4px 10px; align-items:center; }
.bar { height: 14px; border-radius: 3px; background: var(--info); min-width: 2px; }
.bar.deactivated, .bar.not-compliant, .bar.not-registered { background: var(--crit); }
.bar.at-risk { background: var(--warn); } .bar.healthy { background: var(--ok); }
.bar.unknown, .bar.not-installed, .bar.no-value, .bar.unrecognised { background: var(--muted); }
.num { text-align:right; font-variant-numeric: tabular-nums; }
.label { overflow-wrap:anywhere; min-width:0; }
svg.trend { width:100%; height:auto; display:block; }
svg.trend .line { fill:none; stroke-width:2; }
.line.deactivated { stroke: var(--crit); } .line.at-risk { stroke: var(--warn); } .line.healthy { stroke: var(--ok); } .line.not-compliant { stroke:#8250df; }
.legend span { margin-right: 12px; white-space: nowrap; }
table.macs { border-collapse: collapse; width:100%; }
table.macs th { text-align:left; cursor:pointer; border-bottom:2px solid var(--line); padding:4px 8px; white-space:nowrap; }
table.macs td { border-top:1px solid var(--line); padding:4px 8px; vertical-align:top; overflow-wrap:anywhere; }
ul.names { margin:4px 0; padding-left:18px; } ul.names li { overflow-wrap:anywhere; }
@media (max-width: 600px) {
  table.macs thead { display:none; }
  table.macs, table.macs tbody, table.macs tr, table.macs td { display:block; width:auto; }
  table.macs tr { border-top:1px solid var(--line); padding:6px 0; }
  table.macs td { border:none; padding:1px 0; }
  table.macs td::before { content: attr(data-label) ": "; color: var(--muted); }
}
"#;

/// Sorts the table by the clicked column (its cells' `data-sort`), and
/// counts the rows on the console (a check that the page rendered).
const FLEET_SCRIPT: &str = "
(function () {
  var table = document.querySelector('table.macs');
  if (!table) { return; }
  var body = table.tBodies[0];
  table.querySelectorAll('th').forEach(function (th, column) {
    var ascending = true;
    th.addEventListener('click', function () {
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].getAttribute('data-sort') || a.cells[column].textContent;
        var y = b.cells[column].getAttribute('data-sort') || b.cells[column].textContent;
        return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
      });
      ascending = !ascending;
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  console.info('ca-doctor fleet ready: ' + body.rows.length + ' rows');
})();
";

/// Bars of `(label, class, n)` against `total`.
fn bars(rows: &[(String, String, u64)], total: u64) -> Markup {
    let total = total.max(1);
    html! {
        div.bars {
            @for (label, class, n) in rows {
                div.label { (label) }
                div { div class={ "bar " (class) } style={ "width:" (n * 100 / total) "%" } {} }
                div.num { (n) }
            }
        }
    }
}

/// The trend of the main statuses over the snapshots, as lines.
fn trend(report: &FleetReport) -> Markup {
    let Some(history) = &report.summary.history else {
        return html! {};
    };
    let points = &history.trend;
    let lines = ["deactivated", "not-compliant", "at-risk", "healthy"];
    let highest = points
        .iter()
        .flat_map(|p| lines.iter().map(|l| p.counts.get(*l).copied().unwrap_or(0)))
        .max()
        .unwrap_or(0)
        .max(1);
    let (width, height, pad) = (600.0, 160.0, 10.0);
    let step = if points.len() > 1 {
        (width - 2.0 * pad) / (points.len() - 1) as f64
    } else {
        0.0
    };
    let path = |line: &str| -> String {
        points
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let n = p.counts.get(line).copied().unwrap_or(0) as f64;
                let x = pad + step * i as f64;
                let y = height - pad - (height - 2.0 * pad) * n / highest as f64;
                format!("{x:.1},{y:.1}")
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    html! {
        section {
            h2 { "Trend over " (count(points.len() as u64, "run", "runs")) }
            @if let (Some(first), Some(last)) = (points.first(), points.last()) {
                p.sub { (first.at.format("%Y-%m-%d %H:%M")) " to " (last.at.format("%Y-%m-%d %H:%M")) "; highest count " (highest) }
            }
            svg.trend viewBox={ "0 0 " (width) " " (height) } role="img" aria-label="Macs by status over the runs" {
                @for line in lines {
                    polyline class={ "line " (line) } points=(path(line)) {}
                }
            }
            p.legend {
                @for line in lines {
                    span { (line) ": " (points.last().and_then(|p| p.counts.get(line)).copied().unwrap_or(0)) }
                }
            }
        }
    }
}

/// The Jamf Pro page of computer `id`.
fn computer_link(base: &str, id: &str) -> String {
    let id: String = id.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("{}/computers.html?id={id}&o=r", base.trim_end_matches('/'))
}

fn name_list(title: &str, macs: &[MacRef]) -> Markup {
    html! {
        @if !macs.is_empty() {
            h3 { (title) " (" (macs.len()) ")" }
            ul.names {
                @for mac in macs.iter().take(50) {
                    li { (mac.name) " " span.sub { "(" (mac.status.token()) ")" } }
                }
                @if macs.len() > 50 { li.sub { "and " (macs.len() - 50) " more (see the CSV)" } }
            }
        }
    }
}

/// The dashboard.
pub(crate) fn html(report: &FleetReport) -> String {
    let summary = &report.summary;
    let statuses: Vec<(String, String, u64)> = AttributeStatus::ALL
        .iter()
        .filter_map(|s| {
            summary
                .by_status
                .get(s)
                .map(|n| (s.token().to_string(), s.token().to_string(), *n))
        })
        .collect();
    let causes: Vec<(String, String, u64)> = summary
        .by_cause
        .iter()
        .take(12)
        .map(|(c, n)| (c.clone(), String::new(), *n))
        .collect();
    let attention = summary.total
        - summary
            .by_status
            .get(&AttributeStatus::Mac(Status::Healthy))
            .copied()
            .unwrap_or(0);
    let group_bars = |groups: &[Group]| -> Vec<(String, String, u64)> {
        groups
            .iter()
            .take(10)
            .map(|g| (g.key.clone(), String::new(), g.total))
            .collect()
    };
    let rows: Vec<&crate::fleet::FleetMac> = report.macs.iter().take(TABLE_ROWS).collect();
    let content = html! {
        style { (PreEscaped(FLEET_STYLE)) }
        header.verdict class=(if attention == 0 { "healthy" } else { "at-risk" }) {
            div.status { (count(summary.total, "Mac", "Macs")) }
            div.sub {
                (attention) " need attention · "
                @match &report.ea_attribute {
                    Some(a) => { "attribute \u{201c}" (a) "\u{201d}" }
                    None => { "no status attribute found" }
                }
                " · " (report.now.format("%Y-%m-%d %H:%M"))
            }
        }
        section {
            h2 { "By status" }
            (bars(&statuses, summary.total))
        }
        @if !causes.is_empty() {
            section {
                h2 { "By primary cause" }
                (bars(&causes, summary.total))
            }
        }
        (trend(report))
        section {
            h2 { "macOS and Jamf Pro" }
            h3 { "macOS" } (bars(&group_bars(&summary.by_macos), summary.total))
            h3 { "Jamf Pro" } (bars(&group_bars(&summary.by_jamf_version), summary.total))
            @if !summary.by_building.is_empty() { h3 { "Buildings" } (bars(&group_bars(&summary.by_building), summary.total)) }
            @if !summary.by_department.is_empty() { h3 { "Departments" } (bars(&group_bars(&summary.by_department), summary.total)) }
        }
        section {
            h2 { "Ages" }
            h3 { "Last inventory" }
            (bars(&Age::ALL.iter().filter_map(|a| summary.inventory_age.get(a).map(|n| (a.label().to_string(), String::new(), *n))).collect::<Vec<_>>(), summary.total))
            @if report.last_success_attribute.is_some() {
                h3 { "Last success" }
                (bars(&Age::ALL.iter().filter_map(|a| summary.last_success_age.get(a).map(|n| (a.label().to_string(), String::new(), *n))).collect::<Vec<_>>(), summary.total))
            }
        }
        section {
            h2 { "Needs a look" }
            (name_list("The attribute did not run at the last inventory", &summary.ea_did_not_run))
            (name_list("A value the attribute's grammar does not know", &summary.unrecognised))
            (name_list("Disagree with Jamf Pro's record", &summary.disagreements.iter().map(|d| d.mac.clone()).collect::<Vec<_>>()))
            @if let Some(chain) = &summary.chain {
                @for (finding, macs) in chain {
                    (name_list(&format!("Device chain: {finding}"), macs))
                }
                p { "Entra Mac records no computer reports: " (orphan_count(report)) }
            }
            @if let Some(history) = &summary.history {
                (name_list("Newly deactivated since the previous run", &history.newly_deactivated))
                (name_list("Recovered since the previous run", &history.recovered))
            }
            @for note in &report.notes { p.sub { (note) } }
        }
        section {
            h2 { "Macs" }
            @if report.macs.len() > rows.len() {
                p.sub { "The " (rows.len()) " most urgent of " (report.macs.len()) "; the CSV has every Mac." }
            }
            table.macs {
                thead { tr { th { "Mac" } th { "Status" } th { "Causes" } th { "macOS" } th { "Last inventory" } th { "Last success" } } }
                tbody {
                    @for mac in &rows {
                        tr {
                            td data-label="Mac" data-sort=(mac.name.to_lowercase()) {
                                @match &report.jamf_url {
                                    Some(base) => { a href=(computer_link(base, &mac.id)) { (mac.name) } }
                                    None => { (mac.name) }
                                }
                            }
                            td data-label="Status" data-sort=(format!("{:02}", mac.ea.status.urgency())) { (mac.ea.status.token()) }
                            td data-label="Causes" { (mac.ea.causes.join(", ")) }
                            td data-label="macOS" { (mac.macos) }
                            td data-label="Last inventory" data-sort=(time(mac.last_inventory)) { (time(mac.last_inventory)) }
                            td data-label="Last success" data-sort=(time(mac.last_success)) { (time(mac.last_success)) }
                        }
                    }
                }
            }
        }
    };
    page(
        &format!("ca-doctor fleet: {}", count(summary.total, "Mac", "Macs")),
        content,
        Some(FLEET_SCRIPT),
    )
}

/// How many Entra Mac records no computer reports, or why that is not
/// known.
fn orphan_count(report: &FleetReport) -> String {
    match &report.orphans {
        Some(orphans) => orphans.len().to_string(),
        None => "not known (a computer search export names no device IDs)".to_string(),
    }
}
