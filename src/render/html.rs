//! The HTML report: one self-contained page (no network, no external assets)
//! with the verdict and primary cause, a timeline chart (inline SVG) of the
//! analysed window, each finding with its evidence and next steps, and the
//! facts. Readable on a laptop screen and printable.

use crate::analysis::Report;
use crate::detectors::{Finding, Severity};
use crate::timeline::{Series, Timeline};
use crate::timeutil::format_local;
use crate::verdict::{Status, Verdict};
use std::fmt::Write;

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { --ok:#1a7f37; --warn:#9a6700; --crit:#cf222e; --info:#0969da; --muted:#57606a; --line:#d0d7de; }
* { box-sizing: border-box; }
body { font: 15px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif; color:#1f2328; margin:0; background:#f6f8fa; }
main { max-width: 1080px; margin: 0 auto; padding: 24px; }
header.verdict { background:#fff; border:1px solid var(--line); border-left: 8px solid var(--muted); border-radius:8px; padding:16px 20px; margin-bottom:16px; }
header.verdict.healthy { border-left-color: var(--ok); } header.verdict.at-risk { border-left-color: var(--warn); }
header.verdict.deactivated, header.verdict.not-registered { border-left-color: var(--crit); }
.status { font-size: 28px; font-weight: 700; letter-spacing: .02em; }
.healthy .status { color: var(--ok); } .at-risk .status { color: var(--warn); } .deactivated .status, .not-registered .status { color: var(--crit); }
.sub { color: var(--muted); }
section { background:#fff; border:1px solid var(--line); border-radius:8px; padding:16px 20px; margin-bottom:16px; }
h2 { font-size: 18px; margin: 0 0 12px; }
.finding { border-top:1px solid var(--line); padding:12px 0; }
.finding:first-of-type { border-top:none; }
.sev { display:inline-block; font-size:12px; font-weight:700; text-transform:uppercase; border-radius:4px; padding:1px 6px; color:#fff; margin-right:6px; }
.sev.critical { background: var(--crit); } .sev.warning { background: var(--warn); } .sev.info { background: var(--info); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
dl.evidence { display:grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0; }
dl.evidence dt { color: var(--muted); } dl.evidence dd { margin: 0; overflow-wrap:anywhere; }
ul.items { margin: 2px 0 0; padding-left: 18px; } ul.items li { overflow-wrap:anywhere; }
ol.steps li { margin: 3px 0; }
table.facts { border-collapse: collapse; width: 100%; } table.facts td { border-top:1px solid var(--line); padding: 4px 8px; vertical-align: top; overflow-wrap:anywhere; }
table.facts td:first-child { color: var(--muted); white-space: nowrap; width: 1%; }
svg.timeline { width: 100%; height: auto; display:block; }
.legend span { display:inline-block; margin-right: 14px; }
.swatch { display:inline-block; width:10px; height:10px; border-radius:50%; margin-right:4px; vertical-align:middle; }
.mark-success, .swatch.success { fill: var(--ok); background: var(--ok); }
.mark-silent, .swatch.silent { fill: #bf8700; background:#bf8700; }
.mark-interactive, .swatch.interactive { fill: var(--crit); background: var(--crit); }
.mark-appsso, .swatch.appsso { fill: #8250df; background:#8250df; }
.mark-deactivation, .swatch.deactivation { fill: #1f2328; background:#1f2328; }
@media print { body { background:#fff; } main { padding:0; } section, header.verdict { break-inside: avoid; border-color:#999; } }
"#;

/// Renders the whole report as one HTML page.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let title = match report.verdicts.as_slice() {
        [only] => format!("ca-doctor: {} ({})", only.status.token(), only.facts.user),
        _ => format!("ca-doctor: {}", report.status().token()),
    };
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>",
        escape(&title)
    );
    for verdict in &report.verdicts {
        render_verdict_header(&mut out, verdict);
    }
    render_timeline(&mut out, &report.timeline);
    for verdict in &report.verdicts {
        render_findings(&mut out, verdict);
        render_facts(&mut out, verdict);
    }
    let _ = writeln!(
        out,
        "<p class=\"sub\">Generated by ca-doctor {}.</p>\n</main>\n<script>\n(function () {{\n  var marks = document.querySelectorAll('svg.timeline .mark').length;\n  var total = document.getElementById('mark-count');\n  if (total) {{ total.textContent = String(marks); }}\n  console.info('ca-doctor report ready: ' + marks + ' marks');\n}})();\n</script>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
    out
}

fn status_class(status: Status) -> &'static str {
    status.token()
}

fn render_verdict_header(out: &mut String, verdict: &Verdict) {
    let facts = &verdict.facts;
    let offset = facts.window.end.timezone();
    let cause = verdict
        .primary_cause
        .map(|c| format!(" — primary cause: <code>{}</code>", escape(c)))
        .unwrap_or_default();
    let last = facts
        .last_success
        .map_or_else(|| "none known".to_string(), |t| format_local(t, offset));
    let _ = writeln!(
        out,
        "<header class=\"verdict {}\">\n<div class=\"status\">{}</div>\n<div>{}{}</div>\n<div class=\"sub\">user {} · Jamf Pro {} · macOS {} · last success {}</div>\n</header>",
        status_class(verdict.status),
        escape(&verdict.status.token().to_uppercase()),
        escape(&summary_line(verdict)),
        cause,
        escape(&facts.user),
        escape(facts.jamf_pro_version.as_deref().unwrap_or("unknown")),
        escape(facts.macos_version.as_deref().unwrap_or("unknown")),
        escape(&last),
    );
}

fn summary_line(verdict: &Verdict) -> String {
    match verdict
        .findings
        .iter()
        .find(|f| f.severity >= Severity::Warning)
    {
        Some(finding) => finding.summary.clone(),
        None if verdict.status == Status::Unknown => "Nothing usable could be read.".to_string(),
        None => "No problem found.".to_string(),
    }
}

/// Chart geometry.
const WIDTH: f64 = 960.0;
const LEFT: f64 = 190.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 14.0;
const LANE: f64 = 30.0;
const BOTTOM: f64 = 30.0;

fn render_timeline(out: &mut String, timeline: &Timeline) {
    let window = timeline.window;
    let offset = window.end.timezone();
    let span = (window.end - window.start).num_milliseconds().max(1) as f64;
    let plot = WIDTH - LEFT - RIGHT;
    let height = TOP + LANE * Series::ALL.len() as f64 + BOTTOM;
    let x_of = |t: chrono::DateTime<chrono::FixedOffset>| {
        LEFT + plot * ((t - window.start).num_milliseconds() as f64 / span).clamp(0.0, 1.0)
    };
    let _ = write!(out, "<section>\n<h2>Timeline</h2>\n<div class=\"legend\">");
    for series in Series::ALL {
        let _ = write!(
            out,
            "<span><i class=\"swatch {}\"></i>{} ({})</span>",
            series.class(),
            escape(series.label()),
            timeline.count(series)
        );
    }
    let _ = writeln!(
        out,
        "</div>\n<p class=\"sub\">{} to {} · <span id=\"mark-count\">{}</span> marks{}</p>",
        escape(&format_local(window.start, offset)),
        escape(&format_local(window.end, offset)),
        timeline.marks.len(),
        if timeline.not_drawn > 0 {
            format!(" ({} more not drawn)", timeline.not_drawn)
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        out,
        "<svg class=\"timeline\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-label=\"Timeline of sign-in events\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    // Day lines and labels.
    let mut day = window.start.with_timezone(&offset).date_naive();
    while let Some(midnight) = day
        .and_hms_opt(0, 0, 0)
        .and_then(|m| m.and_local_timezone(offset).single())
    {
        if midnight > window.end {
            break;
        }
        if midnight >= window.start {
            let x = x_of(midnight);
            let _ = writeln!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{TOP}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#d0d7de\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#57606a\">{}</text>",
                height - BOTTOM,
                x + 3.0,
                height - 10.0,
                day.format("%a %d %b")
            );
        }
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
    for (lane, series) in Series::ALL.iter().enumerate() {
        let y = TOP + LANE * lane as f64 + LANE / 2.0;
        let _ = writeln!(
            out,
            "<text x=\"8\" y=\"{:.1}\" font-size=\"12\" fill=\"#1f2328\">{}</text><line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#eaeef2\"/>",
            y + 4.0,
            escape(series.label()),
            WIDTH - RIGHT
        );
    }
    for mark in &timeline.marks {
        let lane = Series::ALL
            .iter()
            .position(|s| *s == mark.series)
            .unwrap_or(0);
        let y = TOP + LANE * lane as f64 + LANE / 2.0;
        let _ = writeln!(
            out,
            "<circle class=\"mark mark-{}\" cx=\"{:.1}\" cy=\"{y:.1}\" r=\"4.5\" fill-opacity=\"0.8\"><title>{} · {}</title></circle>",
            mark.series.class(),
            x_of(mark.time),
            escape(&format_local(mark.time, offset)),
            escape(&mark.process)
        );
    }
    out.push_str("</svg>\n</section>\n");
}

fn render_findings(out: &mut String, verdict: &Verdict) {
    let _ = writeln!(
        out,
        "<section>\n<h2>Findings for {}</h2>",
        escape(&verdict.facts.user)
    );
    if verdict.findings.is_empty() {
        out.push_str("<p>No findings.</p>\n");
    }
    for finding in &verdict.findings {
        render_finding(out, finding);
    }
    out.push_str("</section>\n");
}

fn render_finding(out: &mut String, finding: &Finding) {
    let _ = writeln!(
        out,
        "<div class=\"finding\" id=\"finding-{}\">\n<div><span class=\"sev {}\">{}</span><code>{}</code> {}</div>\n<dl class=\"evidence\">",
        escape(finding.id),
        finding.severity.name(),
        finding.severity.name(),
        escape(finding.id),
        escape(&finding.summary)
    );
    for evidence in &finding.evidence {
        let _ = write!(
            out,
            "<dt>{}</dt><dd>{}",
            escape(&evidence.label),
            escape(&evidence.value)
        );
        if !evidence.items.is_empty() {
            out.push_str("<ul class=\"items mono\">");
            for item in &evidence.items {
                let _ = write!(out, "<li>{}</li>", escape(item));
            }
            out.push_str("</ul>");
        }
        out.push_str("</dd>\n");
    }
    out.push_str("</dl>\n<ol class=\"steps\">\n");
    for step in &finding.remediation {
        let _ = writeln!(out, "<li>{}</li>", escape(step));
    }
    out.push_str("</ol>\n</div>\n");
}

fn render_facts(out: &mut String, verdict: &Verdict) {
    let facts = &verdict.facts;
    let offset = facts.window.end.timezone();
    let opt = |v: Option<String>| v.unwrap_or_else(|| "unknown".to_string());
    let mut rows: Vec<(String, String)> = vec![
        (
            "user".into(),
            format!(
                "{} ({}; home {})",
                facts.user, facts.user_chosen_by, facts.home
            ),
        ),
        (
            "have_an_Azure_id".into(),
            opt(facts.have_an_azure_id.map(|b| b.to_string())),
        ),
        (
            "last success".into(),
            opt(facts.last_success.map(|t| format_local(t, offset))),
        ),
        ("Jamf Pro".into(), opt(facts.jamf_pro_version.clone())),
        ("macOS".into(), opt(facts.macos_version.clone())),
        (
            "integration".into(),
            match (&facts.integration, &facts.integration_app_id) {
                (Some(name), Some(id)) => format!("{name} ({id})"),
                _ => "unknown".to_string(),
            },
        ),
        (
            "microsoftCAEnabled".into(),
            opt(facts.microsoft_ca_enabled.map(|b| b.to_string())),
        ),
        (
            "window".into(),
            format!(
                "{} to {}",
                format_local(facts.window.start, offset),
                format_local(facts.window.end, offset)
            ),
        ),
        (
            "log".into(),
            format!(
                "{} entries read, {} matched ({})",
                facts.entries_read, facts.entries_matched, facts.log_source
            ),
        ),
    ];
    if let Some(registration) = &facts.registration {
        for check in &registration.checks {
            rows.push((
                check.check.clone(),
                format!("{:?} ({})", check.registered, check.outcome),
            ));
        }
    }
    for input in &facts.inputs {
        let state = serde_json::to_value(input.state)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let reason = input
            .reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        rows.push((
            input.what.clone(),
            format!("{state}: {}{reason}", input.path),
        ));
    }
    let _ = writeln!(
        out,
        "<section>\n<h2>Facts for {}</h2>\n<table class=\"facts\">",
        escape(&facts.user)
    );
    for (label, value) in rows {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td></tr>",
            escape(&label),
            escape(&value)
        );
    }
    out.push_str("</table>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }
}
