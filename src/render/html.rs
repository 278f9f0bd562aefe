//! The HTML report: one self-contained page (no network, no external assets)
//! with the verdict and primary cause, a timeline chart (inline SVG) of the
//! analysed window, each finding with its evidence and next steps, and the
//! facts. Readable on a laptop screen and printable. Written with an
//! auto-escaping template: no text from a log or a file reaches the page
//! unescaped.

use super::view::{ReportView, ShownFinding, TenantEvidence, TenantView, UserView, chain_rows};
use crate::evidence::chain::DeviceEvidence;
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
header.verdict.deactivated, header.verdict.not-registered, header.verdict.not-compliant { border-left-color: var(--crit); }
.status { font-size: 28px; font-weight: 700; letter-spacing: .02em; }
.healthy .status { color: var(--ok); } .at-risk .status { color: var(--warn); } .deactivated .status, .not-registered .status, .not-compliant .status { color: var(--crit); }
.sub { color: var(--muted); }
section { background:#fff; border:1px solid var(--line); border-radius:8px; padding:16px 20px; margin-bottom:16px; }
h2 { font-size: 18px; margin: 0 0 12px; }
.finding { border-top:1px solid var(--line); padding:12px 0; }
.finding:first-of-type { border-top:none; }
.sev { display:inline-block; font-size:12px; font-weight:700; text-transform:uppercase; border-radius:4px; padding:1px 6px; color:#fff; margin-right:6px; }
.sev.critical { background: var(--crit); } .sev.warning { background: var(--warn); } .sev.info { background: var(--info); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
dl.evidence { display:grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0; }
dl.evidence dt { color: var(--muted); } dl.evidence dd { margin: 0; min-width: 0; overflow-wrap:break-word; }
ul.items { margin: 2px 0 0; padding-left: 18px; } ul.items li { overflow-wrap:break-word; }
ol.steps li { margin: 3px 0; overflow-wrap:break-word; }
table.facts { border-collapse: collapse; width: 100%; } table.facts td { border-top:1px solid var(--line); padding: 4px 8px; vertical-align: top; overflow-wrap:break-word; }
table.facts td:first-child { color: var(--muted); }
table.facts.pairs td:first-child { white-space: nowrap; width: 1%; }
svg.timeline { width: 100%; height: auto; display:block; }
svg.timeline.narrow { display:none; }
.mark-success { fill: var(--ok); } .mark-silent { fill: #bf8700; } .mark-invalid-grant { fill: #bc4c00; }
.mark-interactive { fill: var(--crit); } .mark-appsso { fill: #8250df; } .mark-token-cache { fill: #0550ae; }
.mark-duplicate { fill: #6e7781; } .mark-jamf-connect { fill: #bf3989; } .mark-deactivation { fill: #1f2328; }
pre.command { background:#f6f8fa; border:1px solid var(--line); border-radius:6px; padding:8px 10px; margin:6px 0; white-space:pre-wrap; overflow-wrap:anywhere; }
.first { margin-top:8px; padding:8px 10px; background:#fff8c5; border-radius:6px; }
svg.timeline text.count { fill:#fff; text-anchor:middle; pointer-events:none; }
@media (max-width: 600px) {
  main { padding:10px; } section, header.verdict { padding:12px; } .status { font-size:22px; }
  dl.evidence { grid-template-columns: 1fr; } dl.evidence dd { margin-bottom: 6px; }
  svg.timeline.wide { display:none; } svg.timeline.narrow { display:block; }
  table.facts, table.facts tbody, table.facts tr, table.facts td { display:block; width:auto; }
  table.facts tr { border-top:1px solid var(--line); padding: 6px 0; }
  table.facts td, table.facts.pairs td:first-child { border:none; padding: 1px 0; white-space: normal; width:auto; }
  table.facts td:first-child { font-size: 13px; }
}
@media print { body { background:#fff; } main { padding:0; } section, header.verdict { break-inside: avoid; border-color:#999; }
  svg.timeline.wide { display:block; } svg.timeline.narrow { display:none; } }
"#;

/// The page's only script: counts the marks of the chart on screen (a check
/// that the page rendered) and says so on the console.
const SCRIPT: &str = "
(function () {
  var events = 0;
  // The chart drawn for this screen (each is drawn in two shapes).
  document.querySelectorAll('svg.timeline.window').forEach(function (chart) {
    if (chart.getBoundingClientRect().width === 0) { return; }
    chart.querySelectorAll('.mark').forEach(function (m) {
      events += Number(m.getAttribute('data-count') || 1);
    });
  });
  var total = document.getElementById('mark-count');
  if (total) { total.textContent = String(events); }
  console.info('ca-doctor report ready: ' + events + ' events');
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
    page(&title, content, Some(SCRIPT))
}

/// A whole page as every report has it: the head (charset, viewport, the
/// content security policy, the style), `content` and the version line in
/// `main`, then `script` when given.
pub(crate) fn page(title: &str, content: Markup, script: Option<&str>) -> String {
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
                @if let Some(script) = script {
                    script { (PreEscaped(script)) }
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
        None,
    )
}

/// A tenant report (sign-ins, policies) as one HTML page.
pub(crate) fn render_tenant(view: &TenantView) -> String {
    match view.evidence {
        TenantEvidence::SignIns(evidence) => render_sign_ins(view, evidence),
        TenantEvidence::Policies(evidence) => render_policies(view, evidence),
        TenantEvidence::Device(evidence) => render_device(view, evidence),
    }
}

/// One device's chain as one HTML page: the status and the link that
/// broke, what each link says, then each finding.
fn render_device(view: &TenantView, evidence: &DeviceEvidence) -> String {
    let sub = html! {
        (evidence.query) ": "
        @match &evidence.chain {
            Some(chain) => { "device ID " code { (chain.device_id.to_string()) } }
            None => { (evidence.not_found.as_deref().unwrap_or("no device found")) }
        }
        @if let Some(cause) = view.primary_cause {
            " — primary cause: " code { (cause) }
        }
    };
    let rows = evidence
        .chain
        .as_ref()
        .map(|chain| chain_rows(chain, evidence.offset))
        .unwrap_or_default();
    let table = html! {
        table.facts.pairs {
            @for (label, value) in &rows {
                tr { td { (label) } td { (value) } }
            }
        }
    };
    tenant_page(view, sub, "The device chain", table)
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
        Series::InvalidGrant => "invalid-grant",
        Series::InteractiveFailure => "interactive",
        Series::AppSsoError => "appsso",
        Series::TokenCache => "token-cache",
        Series::DuplicateAccounts => "duplicate",
        Series::JamfConnectAuthFailed => "jamf-connect",
        Series::Deactivation => "deactivation",
    }
}

/// How a chart is laid out. Each chart is drawn twice, once per shape, and
/// the page's style shows the one that fits the screen: a chart scaled down
/// to a phone would shrink its text to nothing.
struct Shape {
    /// The CSS class that picks the screen it is shown on.
    class: &'static str,
    /// Width of the drawing, in pixels at its intended size.
    width: f64,
    /// Where the plot begins (lane labels to its left on wide screens).
    plot_left: f64,
    /// Margin right of the plot.
    right: f64,
    /// Height of one lane.
    lane: f64,
    /// Lane labels above each lane rather than left of it.
    labels_above: bool,
}

/// Laptops, desktops and print.
const WIDE: Shape = Shape {
    class: "wide",
    width: 960.0,
    plot_left: 240.0,
    right: 16.0,
    lane: 30.0,
    labels_above: false,
};

/// Phones: a drawing as wide as a 420-pixel screen's section, lane labels
/// above their lane.
const NARROW: Shape = Shape {
    class: "narrow",
    width: 370.0,
    plot_left: 6.0,
    right: 6.0,
    lane: 40.0,
    labels_above: true,
};

/// Space above the lanes and below them (for the axis labels).
const TOP: f64 = 8.0;
const BOTTOM: f64 = 30.0;
/// Font sizes of lane and axis labels.
const LANE_FONT: f64 = 12.0;
const AXIS_FONT: f64 = 11.0;
/// Space between two circles and between two axis labels.
const GAP: f64 = 2.0;

/// A generous estimate of how wide `text` is drawn at `font` pixels (no
/// layout engine here): axis labels are only kept where they surely fit.
fn text_width(text: &str, font: f64) -> f64 {
    text.chars().count() as f64 * font * 0.62
}

/// The radius of a circle standing for `count` marks.
fn radius(count: usize) -> f64 {
    4.5 + (count as f64).log2().min(4.0) * 1.5
}

/// The largest radius drawn: the plot keeps this much room at each end.
const MAX_RADIUS: f64 = 10.5;

impl Shape {
    fn lane_top(&self, series: Series) -> f64 {
        let lane = Series::ALL.iter().position(|s| *s == series).unwrap_or(0);
        TOP + self.lane * lane as f64
    }

    /// The centre line of a lane's marks.
    fn lane_y(&self, series: Series) -> f64 {
        if self.labels_above {
            self.lane_top(series) + LANE_FONT + 2.0 + (self.lane - LANE_FONT - 2.0) / 2.0
        } else {
            self.lane_top(series) + self.lane / 2.0
        }
    }

    /// Where a lane's label is drawn (its baseline).
    fn label_at(&self, series: Series) -> (f64, f64) {
        if self.labels_above {
            (self.plot_left, self.lane_top(series) + LANE_FONT)
        } else {
            (8.0, self.lane_y(series) + 4.0)
        }
    }

    fn height(&self) -> f64 {
        TOP + self.lane * Series::ALL.len() as f64 + BOTTOM
    }

    /// The horizontal position of `time` in a chart of `(start, end]`:
    /// circles at the ends stay whole.
    fn x_of(
        &self,
        start: DateTime<FixedOffset>,
        end: DateTime<FixedOffset>,
    ) -> impl Fn(DateTime<FixedOffset>) -> f64 {
        let span = (end - start).num_milliseconds().max(1) as f64;
        let from = self.plot_left + MAX_RADIUS;
        let plot = self.width - self.right - MAX_RADIUS - from;
        move |t| from + plot * ((t - start).num_milliseconds() as f64 / span).clamp(0.0, 1.0)
    }
}

/// Marks drawn as one circle: where, how many, and what they were.
struct Cluster {
    series: Series,
    x: f64,
    count: usize,
    first: DateTime<FixedOffset>,
    last: DateTime<FixedOffset>,
    processes: Vec<String>,
}

impl Cluster {
    /// Takes `other` (the later cluster) in: the circle moves to the
    /// count-weighted middle of both.
    fn absorb(&mut self, other: Cluster) {
        let total = (self.count + other.count) as f64;
        self.x = (self.x * self.count as f64 + other.x * other.count as f64) / total;
        self.count += other.count;
        self.last = other.last;
        for process in other.processes {
            if !self.processes.contains(&process) {
                self.processes.push(process);
            }
        }
    }

    fn touches(&self, next: &Cluster) -> bool {
        next.x - self.x < radius(self.count) + radius(next.count) + GAP
    }
}

/// The marks inside `(start, end]` as circles of `shape`: marks whose
/// circles would touch are merged (and the merge repeated while the grown
/// circle touches its neighbour), so no two circles overlap.
fn clusters(
    timeline: &Timeline,
    shape: &Shape,
    start: DateTime<FixedOffset>,
    end: DateTime<FixedOffset>,
) -> Vec<Cluster> {
    let x_of = shape.x_of(start, end);
    let mut out: Vec<Cluster> = Vec::new();
    for series in Series::ALL {
        let mut lane: Vec<Cluster> = Vec::new();
        for mark in timeline
            .marks
            .iter()
            .filter(|m| m.series == series && m.time > start && m.time <= end)
        {
            let mut next = Cluster {
                series,
                x: x_of(mark.time),
                count: 1,
                first: mark.time,
                last: mark.time,
                processes: vec![mark.process.clone()],
            };
            while let Some(previous) = lane.pop() {
                if previous.touches(&next) {
                    let mut merged = previous;
                    merged.absorb(next);
                    next = merged;
                } else {
                    lane.push(previous);
                    break;
                }
            }
            lane.push(next);
        }
        out.extend(lane);
    }
    out
}

/// The grid of a chart of `(start, end]`: midnights over a long window,
/// every 3 hours over a day; each with its label when the label fits
/// without touching the one before or running off the drawing.
fn ticks(
    shape: &Shape,
    offset: FixedOffset,
    start: DateTime<FixedOffset>,
    end: DateTime<FixedOffset>,
) -> Vec<(f64, Option<String>)> {
    let x_of = shape.x_of(start, end);
    let daily = end - start > chrono::Duration::hours(36);
    let step = if daily {
        chrono::Duration::days(1)
    } else {
        chrono::Duration::hours(3)
    };
    let mut out = Vec::new();
    let Some(mut tick) = start
        .with_timezone(&offset)
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .and_then(|m| m.and_local_timezone(offset).single())
    else {
        return out;
    };
    let mut free_from = shape.plot_left;
    while tick <= end {
        if tick >= start {
            let x = x_of(tick);
            let text = match (daily, shape.labels_above) {
                (true, false) => tick.format("%a %d %b").to_string(),
                (true, true) => tick.format("%d %b").to_string(),
                (false, _) => tick.format("%H:%M").to_string(),
            };
            let left = x + 3.0;
            let right = left + text_width(&text, AXIS_FONT);
            let fits = left >= free_from && right <= shape.width - 2.0;
            if fits {
                free_from = right + 2.0 * GAP;
            }
            out.push((x, fits.then_some(text)));
        }
        tick += step;
    }
    out
}

/// One chart of `(start, end]` in `shape`: grid lines, lanes with their
/// labels and counts, circles.
fn chart(
    timeline: &Timeline,
    shape: &Shape,
    (start, end): (DateTime<FixedOffset>, DateTime<FixedOffset>),
    class: &str,
    label: &str,
) -> Markup {
    let offset = timeline.window.end.timezone();
    let height = shape.height();
    let coordinate = |value: f64| format!("{value:.1}");
    html! {
        svg class={ "timeline " (class) " " (shape.class) } viewBox={ "0 0 " (shape.width) " " (height) } role="img"
            aria-label=(label) xmlns="http://www.w3.org/2000/svg" {
            @for (x, text) in ticks(shape, offset, start, end) {
                line x1=(coordinate(x)) y1=(TOP) x2=(coordinate(x)) y2=(coordinate(height - BOTTOM)) stroke="#d0d7de" {}
                @if let Some(text) = text {
                    text.axis x=(coordinate(x + 3.0)) y=(coordinate(height - 10.0)) font-size=(AXIS_FONT) fill="#57606a" { (text) }
                }
            }
            @for series in Series::ALL {
                @let y = shape.lane_y(series);
                @let (label_x, label_y) = shape.label_at(series);
                text.lane x=(coordinate(label_x)) y=(coordinate(label_y)) font-size=(LANE_FONT) fill="#1f2328" {
                    (series.label()) " (" (timeline.count_in(series, start, end)) ")"
                }
                line x1=(shape.plot_left) y1=(coordinate(y)) x2=(coordinate(shape.width - shape.right)) y2=(coordinate(y)) stroke="#eaeef2" {}
            }
            @for cluster in clusters(timeline, shape, start, end) {
                @let y = shape.lane_y(cluster.series);
                circle class={ "mark mark-" (series_class(cluster.series)) } data-count=(cluster.count)
                    cx=(coordinate(cluster.x)) cy=(coordinate(y)) r=(coordinate(radius(cluster.count))) fill-opacity="0.8" {
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
                    text.count x=(coordinate(cluster.x)) y=(coordinate(y + 3.0))
                        font-size=(if cluster.count >= 100 { "7" } else { "9" }) { (cluster.count) }
                }
            }
        }
    }
}

/// A chart in both shapes; the page shows the one that fits.
fn charts(
    timeline: &Timeline,
    range: (DateTime<FixedOffset>, DateTime<FixedOffset>),
    class: &str,
    label: &str,
) -> Markup {
    html! {
        (chart(timeline, &WIDE, range, class, label))
        (chart(timeline, &NARROW, range, class, label))
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
            p.sub {
                (format_local(window.start, offset)) " to " (format_local(window.end, offset))
                " · " span #mark-count { (timeline.marks.len()) } " events"
                @if timeline.not_drawn > 0 {
                    " (" (timeline.not_drawn) " more not drawn)"
                }
                " · events closer than a few pixels are drawn as one circle with their count"
            }
            (charts(timeline, (window.start, window.end), "window", "Timeline of sign-in events"))
            @if let Some((day, count, start)) = zoom {
                h2 { "Busiest day: " (day.format("%a %d %b %Y")) " (" (count) " events)" }
                (charts(timeline, (start, (start + chrono::Duration::days(1)).min(window.end)), "day", "The busiest day, hour by hour"))
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
            table.facts.pairs {
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
