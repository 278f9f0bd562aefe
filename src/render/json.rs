//! The JSON documents: every wire shape ca-doctor prints or writes lives
//! here. A Mac's report (the status, the findings and the facts), a tick's,
//! and the tenant reports (the status, the findings and a `summary` of what
//! was read). Field names are part of the interface.

use super::view::{ReportView, TenantEvidence, TenantView, TickView, UserView};
use crate::evidence::facts::Facts;
use crate::evidence::policies::PolicyEvidence;
use crate::evidence::signins::SignInEvidence;
use crate::findings::{Finding, FindingId};
use crate::inputs::InputRecord;
use crate::tenant::entra::policies::PolicyState;
use crate::tenant::entra::signins::outcome::{AppRole, Outcome, RoleFrom};
use crate::verdict::Status;
use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};
use std::collections::BTreeMap;

/// Version of the JSON document's shape; raised on incompatible changes.
pub(crate) const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct UserDocument<'a> {
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    unknown_reason: Option<&'a str>,
    primary_cause: Option<FindingId>,
    findings: &'a [Finding],
    facts: FactsDocument<'a>,
}

impl<'a> UserDocument<'a> {
    fn of(user: &UserView<'a>) -> Self {
        UserDocument {
            status: user.status(),
            unknown_reason: user.verdict.unknown_reason.as_deref(),
            primary_cause: user.primary_cause(),
            findings: user.findings(),
            facts: FactsDocument(user.facts()),
        }
    }
}

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    tool: &'static str,
    tool_version: &'static str,
    #[serde(flatten)]
    user: UserDocument<'a>,
}

#[derive(Serialize)]
struct ManyUsers<'a> {
    schema_version: u32,
    tool: &'static str,
    tool_version: &'static str,
    status: Status,
    users: Vec<UserDocument<'a>>,
}

#[derive(Serialize)]
struct TickDocument<'a> {
    schema_version: u32,
    tool: &'static str,
    tool_version: &'static str,
    entries_read: u64,
    entries_matched: u64,
    records_added: i64,
    state: String,
    state_saved: bool,
    state_error: Option<String>,
    state_note: Option<&'a str>,
    status: Status,
    users: Vec<UserDocument<'a>>,
}

/// The fleet's document: the report's parts in this order, every Mac in
/// full.
#[derive(Serialize)]
struct FleetDocument<'a> {
    tool: &'static str,
    tool_version: &'static str,
    now: chrono::DateTime<chrono::FixedOffset>,
    sources: &'a [String],
    ea_attribute: Option<&'a str>,
    last_success_attribute: Option<&'a str>,
    jamf_url: Option<&'a str>,
    notes: &'a [String],
    summary: &'a crate::fleet::summary::FleetSummary,
    orphans: Option<&'a [crate::fleet::tenant::Orphan]>,
    macs: &'a [crate::fleet::FleetMac],
}

/// Writes the fleet's JSON document as it is made (a fleet's can be tens
/// of MB), with a final newline.
pub(crate) fn write_fleet(
    report: &crate::fleet::FleetReport,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let document = FleetDocument {
        tool: "ca-doctor",
        tool_version: env!("CARGO_PKG_VERSION"),
        now: report.now,
        sources: &report.sources,
        ea_attribute: report.ea_attribute.as_deref(),
        last_success_attribute: report.last_success_attribute.as_deref(),
        jamf_url: report.jamf_url.as_deref(),
        notes: &report.notes,
        summary: &report.summary,
        orphans: report.orphans.as_deref(),
        macs: &report.macs,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    out.write_all(b"\n")
}

fn pretty(value: &impl Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| {
        format!(
            "{{\"schema_version\":{SCHEMA_VERSION},\"status\":\"unknown\",\"error\":{:?}}}",
            e.to_string()
        )
    })
}

/// Renders a Mac's report: one user's document, or for several users the
/// overall status and a `users` array.
pub(crate) fn render(view: &ReportView) -> String {
    match view.users.as_slice() {
        [only] => pretty(&Document {
            schema_version: SCHEMA_VERSION,
            tool: "ca-doctor",
            tool_version: env!("CARGO_PKG_VERSION"),
            user: UserDocument::of(only),
        }),
        many => pretty(&ManyUsers {
            schema_version: SCHEMA_VERSION,
            tool: "ca-doctor",
            tool_version: env!("CARGO_PKG_VERSION"),
            status: view.status,
            users: many.iter().map(UserDocument::of).collect(),
        }),
    }
}

/// Renders what a tick did.
pub(crate) fn render_tick(tick: &TickView) -> String {
    let (outcome, view) = (tick.outcome, &tick.report);
    pretty(&TickDocument {
        schema_version: SCHEMA_VERSION,
        tool: "ca-doctor",
        tool_version: env!("CARGO_PKG_VERSION"),
        entries_read: outcome.entries_read,
        entries_matched: outcome.entries_matched,
        records_added: outcome.records_added,
        state: outcome.state_path.display().to_string(),
        state_saved: outcome.written.is_ok(),
        state_error: outcome.written.as_ref().err().map(|e| format!("{e:#}")),
        state_note: outcome.state_note.as_deref(),
        status: view.status,
        users: view.users.iter().map(UserDocument::of).collect(),
    })
}

/// A tenant report (sign-ins, policies) as one JSON document.
pub(crate) fn render_tenant(view: &TenantView) -> String {
    match view.evidence {
        TenantEvidence::SignIns(evidence) => {
            tenant_document(view.status, view.findings, sign_ins_summary(evidence))
        }
        TenantEvidence::Policies(evidence) => {
            let summary = PoliciesSummaryDocument {
                policies: evidence.policies.len(),
                enabled: evidence.count_in_state(PolicyState::Enabled),
                report_only: evidence.count_in_state(PolicyState::ReportOnly),
                disabled: evidence.count_in_state(PolicyState::Disabled),
                files: &evidence.inputs,
                jamf_connect_apps: &evidence.jamf_connect_apps,
                jamf_connect_default_scopes_only: evidence.default_scopes_only,
                by_policy: evidence
                    .policies
                    .iter()
                    .map(|(policy, reach)| PolicyDocument {
                        id: &policy.id,
                        name: &policy.name,
                        state: policy.state,
                        reaches_jamf_connect: reach.reaches,
                        why_not: reach.why_not.as_deref(),
                    })
                    .collect(),
            };
            tenant_document(view.status, view.findings, summary)
        }
        TenantEvidence::Device(evidence) => {
            #[derive(Serialize)]
            struct DeviceSummary<'a> {
                primary_cause: Option<crate::findings::FindingId>,
                #[serde(flatten)]
                evidence: &'a crate::evidence::chain::DeviceEvidence,
            }
            tenant_document(
                view.status,
                view.findings,
                DeviceSummary {
                    primary_cause: view.primary_cause,
                    evidence,
                },
            )
        }
    }
}

#[derive(Serialize)]
struct AppDocument<'a> {
    app_id: &'a str,
    name: &'a str,
    role: AppRole,
    role_from: RoleFrom,
    outcomes: BTreeMap<&'static str, u64>,
}

#[derive(Serialize)]
struct SignInsSummary<'a> {
    records: u64,
    skipped: u64,
    files: &'a [InputRecord],
    outcomes: BTreeMap<&'static str, u64>,
    by_app: Vec<AppDocument<'a>>,
}

/// Every outcome's count, zeros included.
fn all_outcomes(counts: &BTreeMap<Outcome, u64>) -> BTreeMap<&'static str, u64> {
    Outcome::ALL
        .iter()
        .map(|o| (o.name(), counts.get(o).copied().unwrap_or(0)))
        .collect()
}

fn sign_ins_summary(evidence: &SignInEvidence) -> SignInsSummary<'_> {
    SignInsSummary {
        records: evidence.records,
        skipped: evidence.skipped,
        files: &evidence.inputs,
        outcomes: all_outcomes(&evidence.outcomes),
        by_app: evidence
            .by_app
            .values()
            .map(|app| AppDocument {
                app_id: &app.app_id,
                name: &app.name,
                role: app.role,
                role_from: app.role_from,
                outcomes: all_outcomes(&app.outcomes),
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct PolicyDocument<'a> {
    id: &'a str,
    name: &'a str,
    state: Option<PolicyState>,
    reaches_jamf_connect: bool,
    why_not: Option<&'a str>,
}

#[derive(Serialize)]
struct PoliciesSummaryDocument<'a> {
    policies: usize,
    enabled: usize,
    report_only: usize,
    disabled: usize,
    files: &'a [InputRecord],
    jamf_connect_apps: &'a [String],
    jamf_connect_default_scopes_only: bool,
    by_policy: Vec<PolicyDocument<'a>>,
}

/// A tenant report as one JSON document: the common header, the status,
/// the findings and the report's own `summary`.
fn tenant_document<S: serde::Serialize>(
    status: crate::verdict::Status,
    findings: &[crate::findings::Finding],
    summary: S,
) -> String {
    #[derive(serde::Serialize)]
    struct Document<'a, S> {
        schema_version: u32,
        tool: &'static str,
        tool_version: &'static str,
        status: crate::verdict::Status,
        findings: &'a [crate::findings::Finding],
        summary: S,
    }
    let document = Document {
        schema_version: SCHEMA_VERSION,
        tool: "ca-doctor",
        tool_version: env!("CARGO_PKG_VERSION"),
        status,
        findings,
        summary,
    };
    serde_json::to_string_pretty(&document)
        .unwrap_or_else(|e| format!("{{\"status\":\"unknown\",\"error\":{:?}}}", e.to_string()))
}

/// The `facts` object of the JSON report: its field names and order are part
/// of the interface.
struct FactsDocument<'a>(&'a Facts);

impl Serialize for FactsDocument<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let facts = self.0;
        let prefs = &facts.prefs;
        let mut out = serializer.serialize_struct("Facts", 38)?;
        out.serialize_field("user", facts.user())?;
        out.serialize_field("user_chosen_by", facts.account.chosen_by.describe())?;
        out.serialize_field("home", &facts.account.home.display().to_string())?;
        out.serialize_field("home_source", &facts.account.home_source)?;
        out.serialize_field("user_prefs_present", &prefs.user_prefs_present)?;
        out.serialize_field("prefs_looked_for", &facts.prefs_looked_for)?;
        out.serialize_field("have_an_azure_id", &prefs.have_an_azure_id)?;
        out.serialize_field("last_success", &facts.last_success)?;
        out.serialize_field("last_success_source", &facts.last_success_source)?;
        out.serialize_field("last_token_timestamp", &facts.last_token_timestamp())?;
        out.serialize_field("jamf_pro_version", &prefs.jamf_pro_version_text)?;
        out.serialize_field("macos_version", &prefs.macos_version_text)?;
        out.serialize_field("microsoft_ca_enabled", &prefs.microsoft_ca_enabled)?;
        out.serialize_field("integration_app_id", &prefs.integration_app_id)?;
        out.serialize_field("integration", &facts.integration())?;
        out.serialize_field("compliance_path", &facts.compliance_path())?;
        out.serialize_field("account_state", &facts.account_row())?;
        out.serialize_field("sso_payload", &prefs.sso_payload)?;
        out.serialize_field("managed_agent_prefs", &prefs.managed_agent_prefs)?;
        out.serialize_field("window", &facts.window)?;
        out.serialize_field("entries_read", &facts.log.entries)?;
        out.serialize_field("entries_matched", &facts.log.matched)?;
        out.serialize_field("log_bytes", &facts.log.bytes)?;
        out.serialize_field("log_styles", &facts.log.styles)?;
        out.serialize_field("log_source", facts.log.source_name())?;
        out.serialize_field("log_problems", &facts.log.problems)?;
        out.serialize_field("microsoft_logs", &facts.file_logs)?;
        out.serialize_field("registration", &facts.registration)?;
        out.serialize_field("device", &facts.device)?;
        if let Some(chain) = &facts.device_chain {
            out.serialize_field("device_chain", chain)?;
        }
        if let Some(note) = &facts.device_chain_note {
            out.serialize_field("device_chain_note", note)?;
        }
        out.serialize_field("state_note", &facts.state_note)?;
        out.serialize_field("inputs", &facts.inputs)?;
        out.serialize_field("lines_of_other_accounts", &facts.lines_of_other_accounts())?;
        out.serialize_field("other_accounts", &facts.other_accounts)?;
        out.serialize_field("private_name_lines", &facts.private_name_lines)?;
        out.serialize_field("token_after_clock", &facts.token_after_clock)?;
        out.serialize_field("entries_after_clock", &facts.entries_after_clock)?;
        out.serialize_field("entries_before_window", &facts.entries_before_window)?;
        out.serialize_field("entries_in_window", &facts.entries_in_window)?;
        out.serialize_field("clock_note", &facts.clock_note)?;
        out.serialize_field("bundle_note", &facts.bundle_note)?;
        if let Some(matched) = &facts.correlated_sign_ins {
            out.serialize_field("correlated_sign_ins", matched)?;
        }
        if let Some(jamf_connect) = &facts.jamf_connect {
            out.serialize_field("jamf_connect", jamf_connect)?;
        }
        if let Some((upn, evidence)) = &facts.own_sign_ins {
            out.serialize_field(
                "own_sign_ins",
                &OwnSignIns {
                    upn,
                    records: evidence.records,
                    outcomes: evidence
                        .outcomes
                        .iter()
                        .map(|(outcome, n)| (outcome.name(), *n))
                        .collect(),
                },
            )?;
        }
        match (&facts.tenant_policies, &facts.policies_not_audited) {
            (policies, Some(why)) => {
                let read = policies.as_ref().map_or(0, |p| p.policies.len());
                out.serialize_field("tenant_policies", &PoliciesSummary::skipped(why, read))?;
            }
            (Some(policies), None) => {
                out.serialize_field("tenant_policies", &PoliciesSummary::of(policies))?;
            }
            (None, None) => {}
        }
        out.end()
    }
}

/// The user's own sign-ins in the facts: how many and their outcomes.
#[derive(serde::Serialize)]
struct OwnSignIns<'a> {
    upn: &'a str,
    records: u64,
    outcomes: BTreeMap<&'static str, u64>,
}

/// The policy audit in the facts: what was read and what reaches Jamf Connect.
#[derive(serde::Serialize)]
struct PoliciesSummary<'a> {
    audited: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_audited_because: Option<&'a str>,
    policies_read: usize,
    reaching_jamf_connect: Vec<&'a str>,
    jamf_connect_apps: &'a [String],
    default_scopes_only: bool,
}

impl<'a> PoliciesSummary<'a> {
    fn of(evidence: &'a PolicyEvidence) -> Self {
        PoliciesSummary {
            audited: true,
            not_audited_because: None,
            policies_read: evidence.policies.len(),
            reaching_jamf_connect: evidence
                .policies
                .iter()
                .filter(|(_, reach)| reach.reaches)
                .map(|(policy, _)| policy.name.as_str())
                .collect(),
            jamf_connect_apps: &evidence.jamf_connect_apps,
            default_scopes_only: evidence.default_scopes_only,
        }
    }

    /// Not audited for Jamf Connect (`why`), `read` policies read (judged
    /// only for the Mac's own registration).
    fn skipped(why: &'a str, read: usize) -> Self {
        PoliciesSummary {
            audited: false,
            not_audited_because: Some(why),
            policies_read: read,
            reaching_jamf_connect: Vec::new(),
            jamf_connect_apps: &[],
            default_scopes_only: false,
        }
    }
}
