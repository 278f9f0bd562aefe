//! The one view model every renderer prints from ([`View`]): for a Mac, per
//! user the status, the primary cause, a headline, "do this first", the
//! findings as shown to a person and the facts as labelled rows, plus the
//! report's overall status and timeline; for the tenant's reports, the
//! status, the findings as shown and what was read; for a tick, what it did
//! and the Mac's view. Renderers only lay it out. What a person sees is cut to one
//! screen (one sample line, a few items, long lines cut at a word, each
//! command once) unless `verbose`; the JSON keeps everything.

use super::rows::fact_rows;
use crate::evidence::chain::DeviceEvidence;
use crate::evidence::facts::Facts;
use crate::evidence::policies::PolicyEvidence;
use crate::evidence::signins::SignInEvidence;
use crate::evidence::timeline::Timeline;
use crate::findings::{Finding, FindingId, Severity};
use crate::fleet::FleetReport;
use crate::incremental::TickOutcome;
use crate::report::{DeviceReport, PoliciesReport, Report, SignInsReport};
use crate::util::text::cut_at_word;
use crate::util::time::{describe_age, format_local};
use crate::verdict::{Status, Verdict};

/// A report of any kind, as handed to `render::print`.
#[derive(Clone, Copy)]
pub(crate) enum Printable<'a> {
    /// A Mac's report (`check`, `analyze`).
    Mac(&'a Report),
    /// The sign-in exports' report (`signins`).
    SignIns(&'a SignInsReport),
    /// The policy audit (`policies`).
    Policies(&'a PoliciesReport),
    /// One device's chain from the tenant's exports (`device`).
    Device(&'a DeviceReport),
    /// What a tick did, and the Mac's verdicts after it (`tick`).
    Tick(&'a TickOutcome),
    /// Every Mac of the fleet, counted (`fleet`).
    Fleet(&'a FleetReport),
}

/// The view of any report: what every renderer lays out.
pub(crate) enum View<'a> {
    /// A Mac's report.
    Mac(ReportView<'a>),
    /// A tenant report.
    Tenant(TenantView<'a>),
    /// A tick.
    Tick(TickView<'a>),
    /// The fleet: its renderers lay out the report itself (it holds every
    /// Mac; nothing is cut for a screen but by the renderers).
    Fleet(&'a FleetReport),
}

impl<'a> View<'a> {
    /// The view of `report`; `verbose` shows every item and whole lines.
    pub(crate) fn of(report: Printable<'a>, verbose: bool) -> Self {
        match report {
            Printable::Mac(report) => View::Mac(ReportView::of(report, verbose)),
            Printable::SignIns(report) => View::Tenant(TenantView::of(
                report.status,
                &report.findings,
                TenantEvidence::SignIns(&report.evidence),
                verbose,
            )),
            Printable::Policies(report) => View::Tenant(TenantView::of(
                report.status,
                &report.findings,
                TenantEvidence::Policies(&report.evidence),
                verbose,
            )),
            Printable::Device(report) => {
                let mut view = TenantView::of(
                    report.status,
                    &report.findings,
                    TenantEvidence::Device(&report.evidence),
                    verbose,
                );
                view.primary_cause = report.primary_cause;
                View::Tenant(view)
            }
            Printable::Tick(outcome) => View::Tick(TickView {
                outcome,
                report: ReportView::of(&outcome.report, true),
            }),
            Printable::Fleet(report) => View::Fleet(report),
        }
    }
}

/// What a tenant report read.
#[derive(Clone, Copy)]
pub(crate) enum TenantEvidence<'a> {
    /// Sign-in exports, folded.
    SignIns(&'a SignInEvidence),
    /// Policies with their reach.
    Policies(&'a PolicyEvidence),
    /// One device's chain.
    Device(&'a DeviceEvidence),
}

/// A tenant report, ready to print.
pub(crate) struct TenantView<'a> {
    /// The status.
    pub(crate) status: Status,
    /// The findings, in report order (the JSON has them whole).
    pub(crate) findings: &'a [Finding],
    /// The findings as shown to a person.
    pub(crate) shown: Vec<ShownFinding>,
    /// What was read.
    pub(crate) evidence: TenantEvidence<'a>,
    /// The finding to fix first, when the report names one.
    pub(crate) primary_cause: Option<FindingId>,
}

impl<'a> TenantView<'a> {
    fn of(
        status: Status,
        findings: &'a [Finding],
        evidence: TenantEvidence<'a>,
        verbose: bool,
    ) -> Self {
        let mut commands = Vec::new();
        TenantView {
            status,
            findings,
            shown: findings
                .iter()
                .map(|f| ShownFinding::of(f, verbose, &mut commands))
                .collect(),
            evidence,
            primary_cause: None,
        }
    }

    /// The subcommand whose report this is.
    pub(crate) fn command(&self) -> &'static str {
        match self.evidence {
            TenantEvidence::SignIns(_) => "signins",
            TenantEvidence::Policies(_) => "policies",
            TenantEvidence::Device(_) => "device",
        }
    }
}

/// A tick, ready to print: what it did and every user's verdict.
pub(crate) struct TickView<'a> {
    /// What the tick did.
    pub(crate) outcome: &'a TickOutcome,
    /// The verdicts after it.
    pub(crate) report: ReportView<'a>,
}

/// A whole report, ready to print.
pub(crate) struct ReportView<'a> {
    /// The overall status: the worst of the users'.
    pub(crate) status: Status,
    /// One per user, in the order analysed.
    pub(crate) users: Vec<UserView<'a>>,
    /// The log evidence over time.
    pub(crate) timeline: &'a Timeline,
    /// Everything is shown (`--verbose`), not one screen.
    pub(crate) verbose: bool,
}

/// One user's verdict, ready to print.
pub(crate) struct UserView<'a> {
    /// The verdict itself (the EA and JSON read its fields).
    pub(crate) verdict: &'a Verdict,
    /// `user … · Jamf Pro … · macOS … · last success …`.
    pub(crate) headline: String,
    /// One sentence: the first problem's summary, or why there is none.
    pub(crate) summary: String,
    /// The first step of the primary cause's remediation.
    pub(crate) do_this_first: Option<String>,
    /// The findings as a person sees them.
    pub(crate) shown: Vec<ShownFinding>,
    /// The facts as label and value rows.
    pub(crate) fact_rows: Vec<(String, String)>,
}

/// A finding as a person sees it.
#[derive(Clone)]
pub(crate) struct ShownFinding {
    /// The finding's ID.
    pub(crate) id: FindingId,
    /// Its severity.
    pub(crate) severity: Severity,
    /// Its summary.
    pub(crate) summary: String,
    /// Its evidence, items cut unless verbose.
    pub(crate) evidence: Vec<ShownEvidence>,
    /// Its next steps, each command shown once in the report.
    pub(crate) steps: Vec<String>,
    /// Who or what it is about, when not the analysed Mac user.
    pub(crate) subject: Option<String>,
}

/// One piece of evidence as a person sees it.
#[derive(Clone)]
pub(crate) struct ShownEvidence {
    /// Its label.
    pub(crate) label: String,
    /// Its value.
    pub(crate) value: String,
    /// The items shown.
    pub(crate) items: Vec<String>,
    /// Items not shown (`--verbose` shows them).
    pub(crate) hidden: usize,
}

/// Sample lines shown per finding unless verbose.
const SAMPLES_SHOWN: usize = 1;
/// Other items shown per piece of evidence unless verbose.
const ITEMS_SHOWN: usize = 5;
/// Longest line shown unless verbose.
const LINE_SHOWN: usize = 240;
/// A code span this long is a command worth printing only once.
const COMMAND_CHARS: usize = 40;

impl ShownFinding {
    /// How `finding` is shown; `commands` are those shown so far.
    pub(crate) fn of(
        finding: &Finding,
        verbose: bool,
        commands: &mut Vec<(String, FindingId)>,
    ) -> Self {
        let cut = |text: &str| {
            if verbose {
                text.to_string()
            } else {
                cut_at_word(text, LINE_SHOWN)
            }
        };
        let evidence = finding
            .evidence
            .iter()
            .map(|e| {
                let keep = if verbose {
                    e.items.len()
                } else if e.label == "sample lines" {
                    SAMPLES_SHOWN
                } else {
                    ITEMS_SHOWN
                };
                // Sample lines: the latest is the most telling.
                let items: Vec<String> = if e.label == "sample lines" {
                    e.items
                        .iter()
                        .rev()
                        .take(keep)
                        .rev()
                        .map(|i| cut(i))
                        .collect()
                } else {
                    e.items.iter().take(keep).map(|i| cut(i)).collect()
                };
                ShownEvidence {
                    label: e.label.clone(),
                    value: cut(&e.value),
                    hidden: e.items.len() - items.len(),
                    items,
                }
            })
            .collect();
        let steps = finding
            .remediation
            .iter()
            .map(|step| once_each(step, finding.id, commands))
            .collect();
        ShownFinding {
            id: finding.id,
            severity: finding.severity,
            summary: finding.summary.clone(),
            evidence,
            steps,
            subject: finding.subject.clone(),
        }
    }
}

/// `step` with every long command (a code span) already shown in an earlier
/// finding replaced by a pointer to it.
fn once_each(step: &str, id: FindingId, shown: &mut Vec<(String, FindingId)>) -> String {
    let parts: Vec<&str> = step.split('`').collect();
    if parts.len() < 3 {
        return step.to_string();
    }
    let mut out = String::new();
    for (n, part) in parts.iter().enumerate() {
        let is_code = n % 2 == 1 && n + 1 < parts.len();
        if !is_code {
            out.push_str(part);
            continue;
        }
        match shown.iter().find(|(command, _)| command == part) {
            Some((_, first)) if *first != id && part.chars().count() >= COMMAND_CHARS => {
                out.push_str(&format!("the command shown under {first} above"));
            }
            _ => {
                if part.chars().count() >= COMMAND_CHARS {
                    shown.push((part.to_string(), id));
                }
                out.push('`');
                out.push_str(part);
                out.push('`');
            }
        }
    }
    out
}

impl<'a> ReportView<'a> {
    /// The view of `report`; `verbose` shows every item and whole lines.
    pub(crate) fn of(report: &'a Report, verbose: bool) -> Self {
        ReportView {
            status: report.status(),
            users: report
                .verdicts
                .iter()
                .map(|verdict| UserView::of(verdict, verbose))
                .collect(),
            timeline: &report.timeline,
            verbose,
        }
    }
}

impl<'a> UserView<'a> {
    /// The view of one verdict.
    pub(crate) fn of(verdict: &'a Verdict, verbose: bool) -> Self {
        let mut commands = Vec::new();
        // A healthy Mac is not padded with what needs no action (the
        // removed recurring sign-in, an old token that is expected):
        // `--verbose` and the JSON still have them.
        let nothing_to_do = |finding: &&Finding| {
            !verbose
                && verdict.status == Status::Healthy
                && finding.severity == Severity::Info
                && matches!(
                    finding.id,
                    FindingId::RecurringAuthRemoved | FindingId::TokenStale
                )
        };
        let shown = verdict
            .findings
            .iter()
            .filter(|finding| !nothing_to_do(finding))
            .map(|finding| ShownFinding::of(finding, verbose, &mut commands))
            .collect();
        let do_this_first = verdict.primary_cause.and_then(|cause| {
            verdict
                .findings
                .iter()
                .find(|f| f.id == cause)
                .and_then(|f| f.remediation.first())
                .cloned()
        });
        UserView {
            verdict,
            headline: headline(&verdict.facts),
            summary: summary(verdict),
            do_this_first,
            shown,
            fact_rows: fact_rows(&verdict.facts),
        }
    }

    /// The status.
    pub(crate) fn status(&self) -> Status {
        self.verdict.status
    }

    /// The finding to fix first.
    pub(crate) fn primary_cause(&self) -> Option<FindingId> {
        self.verdict.primary_cause
    }

    /// The findings, in report order.
    pub(crate) fn findings(&self) -> &'a [Finding] {
        &self.verdict.findings
    }

    /// The facts.
    pub(crate) fn facts(&self) -> &'a Facts {
        &self.verdict.facts
    }

    /// The analysed user's short name.
    pub(crate) fn user(&self) -> &'a str {
        self.verdict.facts.user()
    }
}

impl UserView<'_> {
    /// What an `unknown` verdict says instead of a diagnosis.
    pub(crate) fn unknown_text(&self) -> Option<String> {
        let reason = self.verdict.unknown_reason.as_deref()?;
        Some(format!(
            "Nothing can be said of this Mac for {}: {reason}.",
            self.user()
        ))
    }
}

fn headline(facts: &Facts) -> String {
    let offset = facts.window.end.timezone();
    let last = facts.last_success.map_or_else(
        || "none known".to_string(),
        |t| {
            format!(
                "{} ({})",
                format_local(t, offset),
                describe_age(t, facts.window.end)
            )
        },
    );
    format!(
        "user {} · Jamf Pro {} · macOS {} · last success {}",
        facts.user(),
        facts
            .prefs
            .jamf_pro_version_text
            .as_deref()
            .unwrap_or("unknown"),
        facts
            .prefs
            .macos_version_text
            .as_deref()
            .unwrap_or("unknown"),
        last
    )
}

fn summary(verdict: &Verdict) -> String {
    // Not compliant: the link of the chain that broke leads.
    let first = match verdict.status {
        Status::NotCompliant => verdict
            .findings
            .iter()
            .find(|f| Some(f.id) == verdict.primary_cause),
        _ => None,
    };
    match first.or_else(|| {
        verdict
            .findings
            .iter()
            .find(|f| f.severity >= Severity::Warning)
    }) {
        Some(finding) => finding.summary.clone(),
        None if verdict.status == Status::Unknown => format!(
            "Nothing can be said: {}.",
            verdict
                .unknown_reason
                .as_deref()
                .unwrap_or("nothing usable could be read")
        ),
        None => "No problem found.".to_string(),
    }
}
