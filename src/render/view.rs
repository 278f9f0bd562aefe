//! The one view model every renderer prints from ([`View`]): for a Mac, per
//! user the status, the primary cause, a headline, "do this first", the
//! findings as shown to a person and the facts as labelled rows, plus the
//! report's overall status and timeline; for the tenant's reports, the
//! status, the findings as shown and what was read; for a tick, what it did
//! and the Mac's view. Renderers only lay it out. What a person sees is cut to one
//! screen (one sample line, a few items, long lines cut at a word, each
//! command once) unless `verbose`; the JSON keeps everything.

use crate::evidence::chain::{DeviceChain, DeviceEvidence};
use crate::evidence::device::DeviceIdentity;
use crate::evidence::facts::Facts;
use crate::evidence::policies::PolicyEvidence;
use crate::evidence::signins::SignInEvidence;
use crate::evidence::timeline::Timeline;
use crate::findings::{Finding, FindingId, Severity};
use crate::incremental::TickOutcome;
use crate::inputs::InputState;
use crate::mac::jamf_connect::JamfConnect;
use crate::mac::prefs::OPTIONAL_INPUTS;
use crate::mac::registration::{CheckKind, Registration};
use crate::report::{DeviceReport, PoliciesReport, Report, SignInsReport};
use crate::tenant::entra::devices::EntraDevice;
use crate::util::text::{count, cut_at_word};
use crate::util::time::{describe_age, format_local};
use crate::verdict::{Status, Verdict};
use chrono::FixedOffset;

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
}

/// The view of any report: what every renderer lays out.
pub(crate) enum View<'a> {
    /// A Mac's report.
    Mac(ReportView<'a>),
    /// A tenant report.
    Tenant(TenantView<'a>),
    /// A tick.
    Tick(TickView<'a>),
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

/// Each registration check's answer, in words.
fn registration_rows(registration: &Registration) -> Vec<(String, String)> {
    registration
        .checks
        .iter()
        .map(|check| {
            let answer = match (check.kind, check.registered) {
                (_, None) => format!("no answer ({})", check.outcome),
                (Some(CheckKind::PlatformSso), Some(registered)) => {
                    let state = registration.platform_sso_state.as_ref();
                    let mut parts = vec![
                        match (registered, state.is_some_and(|s| s.configured)) {
                            (true, _) => "registered",
                            (false, true) => "configured, not registered",
                            (false, false) => "not configured",
                        }
                        .to_string(),
                    ];
                    if let Some(state) = state.filter(|s| s.configured) {
                        parts.extend(state.extension_identifier.clone());
                        parts.extend(state.login_type.clone());
                        if !state.upns.is_empty() {
                            parts.push(state.upns.join(", "));
                        }
                        parts.extend(state.certificate_problem.clone());
                    }
                    parts.join("; ")
                }
                (Some(CheckKind::AgentStatus), Some(_)) => registration
                    .agent_status
                    .as_ref()
                    .map_or("answered", |s| s.describe())
                    .to_string(),
                (Some(CheckKind::Keychain), Some(_)) => {
                    let mut answer = count(
                        registration.keychain_certificates.len() as u64,
                        "device certificate",
                        "device certificates",
                    );
                    if !registration.keychain_problems.is_empty() {
                        answer.push_str(&format!(
                            " ({} unreadable: {})",
                            registration.keychain_problems.len(),
                            registration.keychain_problems.join("; ")
                        ));
                    }
                    answer
                }
                (None, Some(true)) => "registered".to_string(),
                (None, Some(false)) => "not registered".to_string(),
            };
            (check.check.clone(), answer)
        })
        .collect()
}

/// The Mac's device identity: its device ID and where it came from, the
/// certificate, the sources that disagree and older certificates.
fn device_rows(device: &DeviceIdentity) -> Vec<(String, String)> {
    let day = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d").to_string();
    let mut rows = vec![(
        "device ID".to_string(),
        format!("{} (from {})", device.device_id, device.source.describe()),
    )];
    if let Some(tenant) = device.tenant_id {
        rows.push(("device tenant".into(), tenant.to_string()));
    }
    if let Some(certificate) = &device.certificate {
        rows.push((
            "device certificate".into(),
            format!(
                "{}, valid {} to {}",
                certificate.join_type_name(),
                day(certificate.not_before),
                day(certificate.not_after)
            ),
        ));
    }
    if !device.disagreeing.is_empty() {
        let named: Vec<String> = device
            .disagreeing
            .iter()
            .map(|s| format!("{} names {}", s.source.describe(), s.device_id))
            .collect();
        rows.push(("device IDs disagree".into(), named.join("; ")));
    }
    if !device.older_certificates.is_empty() {
        let older: Vec<String> = device
            .older_certificates
            .iter()
            .map(|c| {
                format!(
                    "{} (issued {})",
                    c.device_id
                        .map_or_else(|| c.subject.clone(), |id| id.to_string()),
                    day(c.not_before)
                )
            })
            .collect();
        rows.push((
            "older device certificates".into(),
            format!("{} (re-registrations): {}", older.len(), older.join(", ")),
        ));
    }
    rows
}

/// What each link of the device chain says, one row each.
pub(crate) fn chain_rows(chain: &DeviceChain, offset: FixedOffset) -> Vec<(String, String)> {
    let yes_no = |value: Option<bool>, yes: &str, no: &str| match value {
        Some(true) => yes.to_string(),
        Some(false) => no.to_string(),
        None => "unknown".to_string(),
    };
    let day = |t: Option<chrono::DateTime<FixedOffset>>| {
        t.map_or_else(|| "unknown".to_string(), |t| format_local(t, offset))
    };
    let entra_line = |d: &EntraDevice| {
        format!(
            "{} · {} · {} · {} · compliant: {} · last sign-in {}",
            d.display_name,
            d.trust_type
                .as_ref()
                .map_or("join type unknown", |t| t.describe()),
            d.operating_system,
            yes_no(d.account_enabled, "enabled", "DISABLED"),
            yes_no(d.is_compliant, "yes", "NO"),
            day(d.last_sign_in)
        )
    };
    let mut rows = Vec::new();
    if chain.devices_read {
        rows.push((
            "Entra device record".to_string(),
            match chain.entra.as_slice() {
                [] => format!("none with device ID {}", chain.device_id),
                [one] => entra_line(one),
                many => format!(
                    "{} records with this device ID: {}",
                    many.len(),
                    many.iter().map(entra_line).collect::<Vec<_>>().join("; ")
                ),
            },
        ));
        if !chain.other_records.is_empty() {
            let others: Vec<String> = chain
                .other_records
                .iter()
                .map(|d| format!("{} ({})", d.device_id, entra_line(d)))
                .collect();
            rows.push(("other Entra records of this Mac".into(), others.join("; ")));
        }
    }
    if chain.intune_read {
        rows.push((
            "Intune record".to_string(),
            match chain.intune.first() {
                Some(m) => format!(
                    "{} · managed by {} · last check-in {}",
                    match m.compliant() {
                        Some(true) => "compliant",
                        Some(false) => "NOT compliant",
                        None => "compliance unknown",
                    },
                    if m.management_agent.is_empty() {
                        "unknown"
                    } else {
                        &m.management_agent
                    },
                    day(m.last_sync)
                ),
                None => {
                    "none (Macs whose compliance Jamf Pro reports may not be listed)".to_string()
                }
            },
        ));
    }
    if chain.inventory_read {
        rows.push((
            "Jamf Pro computer".to_string(),
            match &chain.jamf_computer {
                Some(c) => {
                    let states: Vec<String> = c
                        .accounts
                        .iter()
                        .filter(|a| a.device_id == Some(chain.device_id))
                        .map(|a| format!("{} {}", a.username, a.state))
                        .collect();
                    format!(
                        "{} (ID {}) · serial {} · last inventory {}{}",
                        c.name,
                        c.id,
                        if c.serial.is_empty() {
                            "unknown"
                        } else {
                            &c.serial
                        },
                        day(c.report_date),
                        if states.is_empty() {
                            String::new()
                        } else {
                            format!(" · agent: {}", states.join(", "))
                        }
                    )
                }
                None => format!("none reports device ID {}", chain.device_id),
            },
        ));
    }
    if chain.compliance_read {
        let records: Vec<String> = chain
            .jamf_compliance
            .iter()
            .map(|r| {
                format!(
                    "{}: {}{}",
                    if r.vendor.is_empty() {
                        "vendor unknown"
                    } else {
                        &r.vendor
                    },
                    r.state.as_str(),
                    match r.applicable {
                        Some(false) => " (not applicable: outside the compliance group)",
                        _ => "",
                    }
                )
            })
            .collect();
        rows.push((
            "Jamf Pro compliance".to_string(),
            if records.is_empty() {
                "no record for this computer".to_string()
            } else {
                records.join("; ")
            },
        ));
    }
    if !chain.sign_ins.is_empty() {
        let refused = chain
            .sign_ins
            .iter()
            .filter(|s| s.refused_for_device_state())
            .count();
        rows.push((
            "sign-ins with this device".to_string(),
            format!(
                "{}, {refused} refused for the device state",
                chain.sign_ins.len()
            ),
        ));
    }
    if !chain.not_presented.is_empty() {
        let mut browsers: Vec<String> = chain
            .not_presented
            .iter()
            .map(|s| {
                s.browser
                    .clone()
                    .or_else(|| s.app.clone())
                    .unwrap_or_else(|| "unknown".into())
            })
            .collect();
        browsers.sort();
        browsers.dedup();
        rows.push((
            "sign-ins without a device".to_string(),
            format!(
                "{} refused for the device state presented no device ({})",
                chain.not_presented.len(),
                browsers.join(", ")
            ),
        ));
    }
    rows
}

/// Jamf Connect's settings that matter to Entra ID, one row each; what is
/// not configured is left out.
fn jamf_connect_rows(config: &JamfConnect, offset: FixedOffset) -> Vec<(String, String)> {
    let versions: Vec<String> = [
        ("Jamf Connect", &config.version_2),
        ("Self Service+", &config.version_3),
        ("login window", &config.login_version),
    ]
    .into_iter()
    .filter_map(|(what, version)| version.as_ref().map(|v| format!("{what} {v}")))
    .collect();
    let joined = |list: &[String]| (!list.is_empty()).then(|| list.join(" "));
    let candidates = [
        (
            "Jamf Connect",
            (!versions.is_empty()).then(|| versions.join(", ")),
        ),
        (
            "Jamf Connect provider",
            config
                .provider
                .clone()
                .or_else(|| config.menu_provider.clone()),
        ),
        ("Jamf Connect client", config.client_id.clone()),
        ("Jamf Connect ROPG (login)", config.login_ropg_id.clone()),
        ("Jamf Connect ROPG (menu)", config.menu_ropg_id.clone()),
        (
            "Jamf Connect tenant",
            config
                .login_tenant
                .clone()
                .or_else(|| config.menu_tenant.clone()),
        ),
        ("Jamf Connect scopes (login)", joined(&config.login_scopes)),
        ("Jamf Connect scopes (menu)", joined(&config.menu_scopes)),
        ("Jamf Connect custom API app", config.custom_api_app.clone()),
        (
            "Jamf Connect success codes",
            joined(
                &config
                    .login_success_codes
                    .iter()
                    .chain(&config.menu_success_codes)
                    .cloned()
                    .collect::<Vec<_>>(),
            ),
        ),
        (
            "Jamf Connect network check",
            config.network_check.map(|m| format!("every {m} minutes")),
        ),
        ("Jamf Connect user", config.upn.clone()),
        (
            "Jamf Connect password current",
            config.password_current.map(|b| b.to_string()),
        ),
        (
            "Jamf Connect last sign-in",
            config.last_sign_in.map(|t| format_local(t, offset)),
        ),
    ];
    candidates
        .into_iter()
        .filter_map(|(label, value)| value.map(|v| (label.to_string(), v)))
        .collect()
}

fn fact_rows(facts: &Facts) -> Vec<(String, String)> {
    let offset = facts.window.end.timezone();
    let unknown = || "unknown".to_string();
    let flag = |value: Option<bool>| value.map_or_else(unknown, |b| b.to_string());
    let mut rows: Vec<(String, String)> = vec![
        (
            "user".into(),
            format!(
                "{} ({}; home {}, {})",
                facts.user(),
                facts.account.chosen_by.describe(),
                facts.account.home.display(),
                facts.account.home_source
            ),
        ),
        (
            "have_an_Azure_id".into(),
            flag(facts.prefs.have_an_azure_id),
        ),
        (
            "last_aad_token_timestamp".into(),
            facts
                .last_token_timestamp()
                .map_or_else(|| "none".to_string(), |t| format_local(t, offset)),
        ),
        (
            "integration".into(),
            match (facts.integration(), &facts.prefs.integration_app_id) {
                (Some(name), Some(id)) => format!("{name} ({id})"),
                _ => unknown(),
            },
        ),
        (
            "microsoftCAEnabled".into(),
            flag(facts.prefs.microsoft_ca_enabled),
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
                "{} entries read, {} matched, {} bytes ({}; {})",
                facts.log.entries,
                facts.log.matched,
                facts.log.bytes,
                facts.log.source_name(),
                if facts.log.styles.is_empty() {
                    "no log given".to_string()
                } else {
                    facts.log.styles.join(", ")
                }
            ),
        ),
    ];
    if let Some(bundle) = &facts.bundle_note {
        rows.push(("bundle".into(), bundle.clone()));
    }
    if let Some(clock) = &facts.clock_note {
        rows.push((
            "clock".into(),
            format!("{}: {clock}", format_local(facts.window.end, offset)),
        ));
    }
    if facts.entries_before_window > 0 {
        rows.push((
            "before the window".into(),
            format!(
                "{} matching entries, not judged ({} in the window)",
                facts.entries_before_window, facts.entries_in_window
            ),
        ));
    }
    let set_aside = facts.lines_of_other_accounts();
    if set_aside > 0 {
        let accounts: Vec<String> = facts
            .other_accounts
            .iter()
            .map(|(name, count)| format!("{name}: {count}"))
            .collect();
        rows.push((
            "other accounts' lines".into(),
            format!("{set_aside} set aside ({})", accounts.join(", ")),
        ));
    }
    if facts.private_name_lines > 0 {
        rows.push((
            "<private> account lines".into(),
            format!(
                "{} counted for {} (the OS hid the account name)",
                facts.private_name_lines,
                facts.user()
            ),
        ));
    }
    if let Some(registration) = &facts.registration {
        rows.extend(registration_rows(registration));
    }
    if let Some(device) = &facts.device {
        rows.extend(device_rows(device));
    }
    if let Some(chain) = &facts.device_chain {
        rows.extend(chain_rows(chain, offset));
    }
    for (key, value) in &facts.prefs.managed_agent_prefs {
        rows.push((key.clone(), format!("{value} (managed)")));
    }
    if let Some(config) = &facts.jamf_connect {
        rows.extend(jamf_connect_rows(config, offset));
    }
    if let Some((upn, evidence)) = &facts.own_sign_ins {
        let outcomes: Vec<String> = evidence
            .outcomes
            .iter()
            .map(|(outcome, n)| format!("{} {n}", outcome.name()))
            .collect();
        rows.push((
            "user's sign-ins".into(),
            format!(
                "{} of {upn} in the window{}",
                count(evidence.records, "sign-in", "sign-ins"),
                if outcomes.is_empty() {
                    String::new()
                } else {
                    format!(": {}", outcomes.join(", "))
                }
            ),
        ));
    }
    if let Some(policies) = &facts.tenant_policies {
        let reaching: Vec<&str> = policies
            .policies
            .iter()
            .filter(|(_, reach)| reach.reaches)
            .map(|(policy, _)| policy.name.as_str())
            .collect();
        rows.push((
            "tenant policies".into(),
            format!(
                "{} read; {} the Jamf Connect sign-in{}",
                policies.policies.len(),
                count(reaching.len() as u64, "reaches", "reach"),
                if reaching.is_empty() {
                    String::new()
                } else {
                    format!(": {}", reaching.join(", "))
                }
            ),
        ));
    } else if let Some(why) = &facts.policies_not_audited {
        rows.push(("tenant policies".into(), format!("not audited: {why}")));
    }
    for input in &facts.inputs {
        // Normal absences are not shown: most Macs have no such file.
        if input.state == InputState::Missing && OPTIONAL_INPUTS.contains(&input.what.as_str()) {
            continue;
        }
        let state = match input.state {
            InputState::Unreadable => "UNREADABLE",
            other => other.name(),
        };
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
    rows
}
