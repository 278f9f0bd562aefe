//! The HTML report: one self-contained page (no network, no external assets)
//! with the verdict and primary cause, a timeline chart (inline SVG) of the
//! analysed window, each finding with its evidence and next steps, and the
//! facts. Readable on a laptop screen and printable. Written with an
//! auto-escaping template: no text from a log or a file reaches the page
//! unescaped.

use super::view::{ReportView, ShownFinding, TenantEvidence, TenantView, UserView};
use crate::evidence::policies::PolicyEvidence;
use crate::evidence::signins::SignInEvidence;
use crate::evidence::timeline::{Series, Timeline};
use crate::util::text::count;
use crate::util::time::format_local;
use chrono::{DateTime, FixedOffset};
use maud::{DOCTYPE, Markup, PreEscaped, html};

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
pre.command { background:#f6f8fa; border:1px solid var(--line); border-radius:6px; padding:8px 10px; margin:6px 0; white-space:pre-wrap; overflow-wrap:anywhere; }
.first { margin-top:8px; padding:8px 10px; background:#fff8c5; border-radius:6px; }
svg.timeline text.count { font-size:9px; fill:#fff; text-anchor:middle; pointer-events:none; }
@media (max-width: 600px) { main { padding:10px; } section, header.verdict { padding:12px; } dl.evidence { grid-template-columns: 1fr; } table.facts td:first-child { white-space: normal; } .status { font-size:22px; } }
@media print { body { background:#fff; } main { padding:0; } section, header.verdict { break-inside: avoid; border-color:#999; } }
"#;

/// The page's only script: counts the drawn marks (a check that the page
/// rendered) and says so on the console.
const SCRIPT: &str = "
(function () {
  var events = 0;
  document.querySelectorAll('svg.timeline.window .mark').forEach(function (m) {
    events += Number(m.getAttribute('data-count') || 1);
  });
  var total = document.getElementById('mark-count');
  if (total) { total.textContent = String(events); }
  console.info('ca-doctor report ready: ' + events + ' events');
  console.info('ca-doctor report width: ' + document.documentElement.scrollWidth + ' of ' + window.innerWidth);
})();
";

/// The page's content security policy: nothing from outside the page.
const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/// Renders the whole report as one HTML page.
pub(crate) fn render(view: &ReportView) -> String {
    let title = match view.users.as_slice() {
        [only] => format!("ca-doctor: {} ({})", only.status().token(), only.user()),
        _ => format!("ca-doctor: {}", view.status.token()),
    };
    let content = html! {
        @for user in &view.users {
            (verdict_header(user))
        }
        (timeline(view.timeline))
        @for user in &view.users {
            (findings(user))
            (facts(user))
        }
    };
    page(&title, content, true)
}

/// A whole page as every report has it: the head (charset, viewport, the
/// content security policy, the style), `content` and the version line in
/// `main`, then the page's script when `with_script`.
fn page(title: &str, content: Markup, with_script: bool) -> String {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="Content-Security-Policy" content=(CSP);
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                main {
                    (content)
                    p.sub { "Generated by ca-doctor " (env!("CARGO_PKG_VERSION")) "." }
                }
                @if with_script {
                    script { (PreEscaped(SCRIPT)) }
                }
            }
        }
    };
    page.into_string()
}

/// A tenant report's page: the status and a line under it, one table
/// section, then each finding.
fn tenant_page(view: &TenantView, sub: Markup, table_title: &str, table: Markup) -> String {
    let status = view.status.token();
    let shown = &view.shown;
    let content = html! {
        header class={ "verdict " (status) } {
            div.status { (status.to_uppercase()) }
            div.sub { (sub) }
        }
        section {
            h2 { (table_title) }
            (table)
        }
        section {
            h2 { "Findings" }
            @if shown.is_empty() {
                p { "No findings." }
            }
            @for item in shown {
                (finding(item))
            }
        }
    };
    page(
        &format!("ca-doctor {}: {status}", view.command()),
        content,
        false,
    )
}

/// A tenant report (sign-ins, policies) as one HTML page.
pub(crate) fn render_tenant(view: &TenantView) -> String {
    match view.evidence {
        TenantEvidence::SignIns(evidence) => render_sign_ins(view, evidence),
        TenantEvidence::Policies(evidence) => render_policies(view, evidence),
    }
}

/// The sign-ins report as one HTML page: the status, the outcomes per app,
/// then each finding.
fn render_sign_ins(view: &TenantView, evidence: &SignInEvidence) -> String {
    let sub = html! {
        (count(evidence.records, "sign-in", "sign-ins")) " read from "
        (count(evidence.inputs.len() as u64, "export", "exports"))
        @if evidence.skipped > 0 { " (" (evidence.skipped) " skipped)" }
    };
    let table = html! {
        table.facts {
            @for app in evidence.by_app.values() {
                tr {
                    td { (if app.name.is_empty() { &app.app_id } else { &app.name }) br; span.sub { (app.role.name()) " · " (app.role_from.describe()) } }
                    td {
                        @for (outcome, n) in &app.outcomes {
                            code { (outcome.name()) } " " (n) " "
                        }
                    }
                }
            }
        }
    };
    tenant_page(view, sub, "Sign-ins by app", table)
}

/// The policies report as one HTML page: the status, each policy with
/// whether it reaches the Jamf Connect sign-in (and why not), then each
/// finding.
fn render_policies(view: &TenantView, evidence: &PolicyEvidence) -> String {
    let reaching = evidence.policies.iter().filter(|(_, r)| r.reaches).count();
    let sub = html! {
        (count(evidence.policies.len() as u64, "policy", "policies")) " read from "
        (count(evidence.inputs.len() as u64, "export", "exports")) "; "
        (count(reaching as u64, "reaches", "reach")) " the Jamf Connect sign-in"
        @if !evidence.jamf_connect_apps.is_empty() {
            " (apps " (evidence.jamf_connect_apps.join(", ")) ")"
        }
    };
    let table = html! {
        table.facts {
            @for (policy, reach) in &evidence.policies {
                tr {
                    td { (policy.name) br; span.sub { (policy.id) } }
                    td { (policy.state.map_or("state not given", |s| s.label())) }
                    td {
                        @if reach.reaches { "reaches the Jamf Connect sign-in" }
                        @else { "does not reach it: " (reach.why_not.as_deref().unwrap_or("")) }
                    }
                }
            }
        }
    };
    tenant_page(view, sub, "Policies", table)
}

fn verdict_header(user: &UserView) -> Markup {
    let status = user.status().token();
    html! {
        header class={ "verdict " (status) } {
            div.status { (status.to_uppercase()) }
            div {
                (user.summary)
                @if let Some(cause) = user.primary_cause() {
                    " — primary cause: " code { (cause) }
                }
            }
            div.sub { (user.headline) }
            @if let Some(step) = &user.do_this_first {
                div.first { strong { "Do this first: " } (rich_text(step)) }
            }
        }
    }
}

/// Text with `backtick` spans shown as code: a long one (a command to copy)
/// as its own block, a short one inline.
fn rich_text(text: &str) -> Markup {
    let parts: Vec<&str> = text.split('`').collect();
    html! {
        @for (n, part) in parts.iter().enumerate() {
            @if n % 2 == 1 && n + 1 < parts.len() {
                @if part.chars().count() >= 40 {
                    pre.command { code { (part) } }
                } @else {
                    code { (part) }
                }
            } @else if n % 2 == 1 {
                "`" (part)
            } @else {
                (part)
            }
        }
    }
}

/// The CSS class suffix of a series.
fn series_class(series: Series) -> &'static str {
    match series {
        Series::Success => "success",
        Series::SilentFailure => "silent",
        Series::InteractiveFailure => "interactive",
        Series::AppSsoError => "appsso",
        Series::Deactivation => "deactivation",
    }
}

/// Chart geometry.
const WIDTH: f64 = 960.0;
const LEFT: f64 = 190.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 14.0;
const LANE: f64 = 30.0;
const BOTTOM: f64 = 30.0;

fn lane_y(series: Series) -> f64 {
    let lane = Series::ALL.iter().position(|s| *s == series).unwrap_or(0);
    TOP + LANE * lane as f64 + LANE / 2.0
}

/// Marks of one series closer than this many pixels are drawn as one,
/// with their count.
const MERGE_PX: f64 = 9.0;

/// Marks drawn as one circle: where, how many, and what they were.
struct Cluster {
    series: Series,
    x: f64,
    count: usize,
    first: DateTime<FixedOffset>,
    last: DateTime<FixedOffset>,
    processes: Vec<String>,
}

/// The marks inside `(start, end]` as clusters along a plot of `plot` pixels.
fn clusters(
    timeline: &Timeline,
    start: DateTime<FixedOffset>,
    end: DateTime<FixedOffset>,
) -> Vec<Cluster> {
    let span = (end - start).num_milliseconds().max(1) as f64;
    let plot = WIDTH - LEFT - RIGHT;
    let x_of = |t: DateTime<FixedOffset>| {
        LEFT + plot * ((t - start).num_milliseconds() as f64 / span).clamp(0.0, 1.0)
    };
    let mut out: Vec<Cluster> = Vec::new();
    for series in Series::ALL {
        let mut current: Option<Cluster> = None;
        for mark in timeline
            .marks
            .iter()
            .filter(|m| m.series == series && m.time > start && m.time <= end)
        {
            let x = x_of(mark.time);
            match current.as_mut() {
                Some(cluster) if x - cluster.x < MERGE_PX => {
                    cluster.count += 1;
                    cluster.last = mark.time;
                    if !cluster.processes.contains(&mark.process) {
                        cluster.processes.push(mark.process.clone());
                    }
                }
                _ => {
                    out.extend(current.take());
                    current = Some(Cluster {
                        series,
                        x,
                        count: 1,
                        first: mark.time,
                        last: mark.time,
                        processes: vec![mark.process.clone()],
                    });
                }
            }
        }
        out.extend(current);
    }
    out
}

/// One chart of `(start, end]`: day or hour lines, lanes, clustered marks.
fn chart(
    timeline: &Timeline,
    start: DateTime<FixedOffset>,
    end: DateTime<FixedOffset>,
    class: &str,
    label: &str,
) -> Markup {
    let offset = timeline.window.end.timezone();
    let span = (end - start).num_milliseconds().max(1) as f64;
    let plot = WIDTH - LEFT - RIGHT;
    let height = TOP + LANE * Series::ALL.len() as f64 + BOTTOM;
    let x_of = |t: DateTime<FixedOffset>| {
        LEFT + plot * ((t - start).num_milliseconds() as f64 / span).clamp(0.0, 1.0)
    };
    // Grid: midnights over a long window, every 3 hours over a day.
    let step = if end - start > chrono::Duration::hours(36) {
        chrono::Duration::days(1)
    } else {
        chrono::Duration::hours(3)
    };
    let mut ticks = Vec::new();
    if let Some(mut tick) = start
        .with_timezone(&offset)
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .and_then(|m| m.and_local_timezone(offset).single())
    {
        while tick <= end {
            if tick >= start {
                let text = if step == chrono::Duration::days(1) {
                    tick.format("%a %d %b").to_string()
                } else {
                    tick.format("%H:%M").to_string()
                };
                ticks.push((x_of(tick), text));
            }
            tick += step;
        }
    }
    let coordinate = |value: f64| format!("{value:.1}");
    html! {
        svg class={ "timeline " (class) } viewBox={ "0 0 " (WIDTH) " " (height) } role="img"
            aria-label=(label) xmlns="http://www.w3.org/2000/svg" {
            @for (x, text) in &ticks {
                line x1=(coordinate(*x)) y1=(TOP) x2=(coordinate(*x)) y2=(coordinate(height - BOTTOM)) stroke="#d0d7de" {}
                text x=(coordinate(x + 3.0)) y=(coordinate(height - 10.0)) font-size="11" fill="#57606a" { (text) }
            }
            @for series in Series::ALL {
                @let y = lane_y(series);
                text x="8" y=(coordinate(y + 4.0)) font-size="12" fill="#1f2328" { (series.label()) }
                line x1=(LEFT) y1=(coordinate(y)) x2=(coordinate(WIDTH - RIGHT)) y2=(coordinate(y)) stroke="#eaeef2" {}
            }
            @for cluster in clusters(timeline, start, end) {
                @let y = lane_y(cluster.series);
                @let radius = 4.5 + (cluster.count as f64).log2().min(4.0) * 1.5;
                circle class={ "mark mark-" (series_class(cluster.series)) } data-count=(cluster.count)
                    cx=(coordinate(cluster.x)) cy=(coordinate(y)) r=(coordinate(radius)) fill-opacity="0.8" {
                    title {
                        @if cluster.count > 1 {
                            (cluster.count) " events, " (format_local(cluster.first, offset)) " to " (format_local(cluster.last, offset))
                        } @else {
                            (format_local(cluster.first, offset))
                        }
                        " · " (cluster.processes.join(", "))
                    }
                }
                @if cluster.count > 1 {
                    text.count x=(coordinate(cluster.x)) y=(coordinate(y + 3.0)) { (cluster.count) }
                }
            }
        }
    }
}

/// The day (in the report's offset) with the most marks, and how many.
fn busiest_day(timeline: &Timeline) -> Option<(chrono::NaiveDate, usize)> {
    let offset = timeline.window.end.timezone();
    let mut per_day: std::collections::BTreeMap<chrono::NaiveDate, usize> = Default::default();
    for mark in &timeline.marks {
        *per_day
            .entry(mark.time.with_timezone(&offset).date_naive())
            .or_insert(0) += 1;
    }
    per_day
        .into_iter()
        .max_by_key(|(day, count)| (*count, std::cmp::Reverse(*day)))
}

fn timeline(timeline: &Timeline) -> Markup {
    let window = timeline.window;
    let offset = window.end.timezone();
    let zoom = busiest_day(timeline).and_then(|(day, count)| {
        let start = day
            .and_hms_opt(0, 0, 0)?
            .and_local_timezone(offset)
            .single()?;
        let longer_than_a_day = window.end - window.start > chrono::Duration::days(1);
        (longer_than_a_day && count > 1).then_some((day, count, start))
    });
    html! {
        section {
            h2 { "Timeline" }
            div.legend {
                @for series in Series::ALL {
                    span {
                        i class={ "swatch " (series_class(series)) } {}
                        (series.label()) " (" (timeline.count(series)) ")"
                    }
                }
            }
            p.sub {
                (format_local(window.start, offset)) " to " (format_local(window.end, offset))
                " · " span #mark-count { (timeline.marks.len()) } " events"
                @if timeline.not_drawn > 0 {
                    " (" (timeline.not_drawn) " more not drawn)"
                }
                " · events closer than a few pixels are drawn as one circle with their count"
            }
            (chart(timeline, window.start, window.end, "window", "Timeline of sign-in events"))
            @if let Some((day, count, start)) = zoom {
                h2 { "Busiest day: " (day.format("%a %d %b %Y")) " (" (count) " events)" }
                (chart(timeline, start, (start + chrono::Duration::days(1)).min(window.end), "day", "The busiest day, hour by hour"))
            }
        }
    }
}

fn findings(user: &UserView) -> Markup {
    html! {
        section {
            h2 { "Findings for " (user.user()) }
            @if user.shown.is_empty() {
                p { "No findings." }
            }
            @for item in &user.shown {
                (finding(item))
            }
        }
    }
}

fn finding(finding: &ShownFinding) -> Markup {
    let severity = finding.severity.name();
    html! {
        div.finding id={ "finding-" (finding.id) } {
            div {
                span class={ "sev " (severity) } { (severity) }
                code { (finding.id) } " " (finding.summary)
            }
            @if let Some(subject) = &finding.subject {
                div.sub { "about: " (subject) }
            }
            dl.evidence {
                @for evidence in &finding.evidence {
                    dt { (evidence.label) }
                    dd {
                        (evidence.value)
                        @if !evidence.items.is_empty() {
                            ul.items.mono {
                                @for item in &evidence.items {
                                    li { (item) }
                                }
                                @if evidence.hidden > 0 {
                                    li.sub { "… " (evidence.hidden) " more (--verbose shows them)" }
                                }
                            }
                        }
                    }
                }
            }
            ol.steps {
                @for step in &finding.steps {
                    li { (rich_text(step)) }
                }
            }
        }
    }
}

fn facts(user: &UserView) -> Markup {
    html! {
        section {
            h2 { "Facts for " (user.user()) }
            table.facts {
                @for (label, value) in &user.fact_rows {
                    tr { td { (label) } td { (value) } }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;
    use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
    use crate::report::Report;
    use crate::verdict::Verdict;

    #[test]
    fn log_text_is_escaped_everywhere() {
        let hostile = "<script>alert(\"x\")</script> & 'q'";
        let (facts, _) = Scenario::registered().facts();
        let mut finding = Finding::bare(FindingId::InvalidGrant, Severity::Warning, hostile);
        finding.evidence =
            vec![EvidenceRow::new(hostile, hostile).with_items(vec![hostile.to_string()])];
        finding.remediation = vec![hostile.to_string()];
        let report = Report {
            timeline: Timeline::empty(facts.window),
            verdicts: vec![Verdict::decide(vec![finding], facts)],
        };
        let page = render(&ReportView::of(&report, true));
        assert!(!page.contains("<script>alert"), "{page}");
        // Summary (in the header and the finding), "do this first", label,
        // value, item, step.
        assert_eq!(page.matches("&lt;script&gt;alert").count(), 7);
        assert_eq!(
            page.matches("<script>").count(),
            1,
            "only the page's own script"
        );
    }
}
