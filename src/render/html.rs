//! The HTML report: one self-contained page (no network, no external assets)
//! with the verdict and primary cause, a timeline chart (inline SVG) of the
//! analysed window, each finding with its evidence and next steps, and the
//! facts. Readable on a laptop screen and printable. Written with an
//! auto-escaping template: no text from a log or a file reaches the page
//! unescaped.

use super::rows::chain_rows;
use super::view::{ReportView, ShownFinding, TenantEvidence, TenantView, UserView};
use crate::evidence::chain::DeviceEvidence;
use crate::evidence::policies::PolicyEvidence;
use crate::evidence::signins::SignInEvidence;
use crate::inputs::exports_looked_at;
use crate::util::text::count;
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

/// The page's content security policy: nothing from outside the page, and
/// no script but the page's own (named by its SHA-256 digest): a name or a
/// link from the tenant's data can never run.
fn content_security_policy(script: Option<&str>) -> String {
    use base64::Engine;
    let scripts = match script {
        Some(script) => {
            let digest = ring::digest::digest(&ring::digest::SHA256, script.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
            )
        }
        None => "'none'".to_string(),
    };
    format!("default-src 'none'; style-src 'unsafe-inline'; script-src {scripts}; img-src data:")
}

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
        (super::timeline::section(view.timeline))
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
                meta http-equiv="Content-Security-Policy" content=(content_security_policy(script));
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
        (count(exports_looked_at(&evidence.inputs), "export", "exports"))
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
        (count(exports_looked_at(&evidence.inputs), "export", "exports")) "; "
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
            @if let Some(note) = &user.facts().device_chain_note {
                div.sub { (note) }
            }
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
    use crate::evidence::timeline::Timeline;
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
