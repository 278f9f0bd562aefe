//! Judging: from the log evidence and the gathered inputs to a report, with
//! no file or process I/O. Per account: the observations of the window,
//! what the tenant's exports say of it, the facts, the detectors, the
//! verdict.

use super::devices::mac_upns;
use super::gather::{Gathered, TenantInputs};
use super::request::Request;
use crate::detectors::{self, Context};
use crate::evidence::chain::{DeviceChain, TenantDevices};
use crate::evidence::device::DeviceIdentity;
use crate::evidence::facts::{Facts, LogTotals, MacInputs, RunNotes, TenantFacts};
use crate::evidence::observations::{Attribution, Observations};
use crate::evidence::policies::{JamfConnectTarget, PolicyEvidence};
use crate::evidence::store::EvidenceStore;
use crate::evidence::timeline::Timeline;
use crate::report::Report;
use crate::tenant::keys::Keys;
use crate::util::guid::Guid;
use crate::verdict::Verdict;
use std::collections::BTreeSet;

/// The evidence an analysis judges: the log records and what reading them saw.
pub(crate) struct LogEvidence<'a> {
    /// The log records.
    pub(crate) store: &'a EvidenceStore,
    /// Totals and input records of the read.
    pub(crate) totals: &'a LogTotals,
}

/// Judges every gathered account on the same log evidence: one verdict
/// each, in order, and the window's timeline. `state_note` says why a saved
/// state was not used, when it was not.
pub(crate) fn judge(
    request: &Request,
    evidence: &LogEvidence,
    gathered: Gathered,
    state_note: Option<&str>,
) -> Report {
    let window = request.window();
    let tenant = &gathered.tenant;
    let verdicts = gathered
        .accounts
        .into_iter()
        .map(|mac| {
            let whose = if mac.account.is_known() {
                Attribution::Account(mac.account.name.as_str())
            } else {
                Attribution::Everyone
            };
            // The account's own log files join the unified log's evidence.
            let observations = if mac.file_evidence.len() > 0 {
                evidence
                    .store
                    .merged_with(&mac.file_evidence)
                    .observations(&window, whose)
            } else {
                evidence.store.observations(&window, whose)
            };
            let tenant_facts = tenant_facts(tenant, &mac, &observations);
            let facts = Facts::new(
                mac,
                tenant_facts,
                evidence.totals.clone(),
                &observations,
                window,
                RunNotes {
                    state: state_note.map(str::to_string),
                    clock: request.clock.note(),
                    bundle: request.bundle_note.clone(),
                },
            );
            let findings = detectors::run_all(&Context {
                facts: &facts,
                observations: &observations,
                now: request.now,
                from_a_bundle: request.collected_elsewhere(),
            });
            Verdict::decide(findings, facts)
        })
        .collect();
    Report {
        verdicts,
        timeline: Timeline::from_store(evidence.store, &window),
    }
}

/// What the tenant's exports say of one account: its policies judged for
/// its Jamf Connect, the sign-ins matching its own `invalid_grant` lines,
/// and its Jamf Connect user's sign-ins.
fn tenant_facts(
    tenant: &TenantInputs,
    mac: &MacInputs,
    observations: &Observations,
) -> TenantFacts {
    let mut facts = TenantFacts::default();
    if let Some((policies, inputs)) = &tenant.policies {
        match mac.jamf_connect.as_ref().filter(|c| c.is_entra()) {
            Some(config) => {
                let evidence = PolicyEvidence::of(
                    policies.clone(),
                    inputs.clone(),
                    JamfConnectTarget::of_config(config),
                );
                facts.inputs.extend(evidence.inputs.iter().cloned());
                facts.policies = Some(evidence);
            }
            None => {
                // Judged for no Jamf Connect app: only what concerns the
                // Mac's own registration (baseline scopes) is raised.
                let evidence = PolicyEvidence::of(
                    policies.clone(),
                    inputs.clone(),
                    JamfConnectTarget::default(),
                );
                facts.inputs.extend(evidence.inputs.iter().cloned());
                facts.policies = Some(evidence);
                facts.policies_not_audited = Some(
                    "Jamf Connect is not set up with Entra ID for this user on this Mac"
                        .to_string(),
                );
            }
        }
    }
    if let Some(joined) = &tenant.sign_ins {
        facts.inputs.extend(joined.inputs.iter().cloned());
        if let Some(upn) = mac.jamf_connect.as_ref().and_then(|c| c.upn.as_ref()) {
            facts.own_sign_ins = Some((
                upn.clone(),
                joined
                    .by_upn
                    .get(&upn.to_lowercase())
                    .cloned()
                    .unwrap_or_default(),
            ));
        }
        let own: BTreeSet<&str> = observations
            .signatures
            .values()
            .flat_map(|s| s.correlations.iter().map(|c| c.id.as_str()))
            .collect();
        facts.correlated_sign_ins = Some(
            joined
                .matches
                .iter()
                .filter(|m| own.contains(m.correlation_id.as_str()))
                .cloned()
                .collect(),
        );
    }
    facts.inputs.extend(tenant.skipped.iter().cloned());
    if let Some(devices) = &tenant.devices {
        facts.inputs.extend(devices.inputs.iter().cloned());
        let (chain, note) = device_chain(devices, mac, tenant.computer_name.as_deref());
        facts.device_chain = chain;
        facts.device_chain_note = note;
    }
    facts
}

/// The chain of the Mac's device, and how it was found when not by the
/// Mac's own device ID (or why there is none): by its device identity in
/// the tenant judged; without one (a copied root, a bundle without the
/// registration), by its users and computer name, unless they name several
/// Macs; none when the Mac holds registrations of several tenants and none
/// is known to be the exports'.
fn device_chain(
    devices: &TenantDevices,
    mac: &MacInputs,
    computer_name: Option<&str>,
) -> (Option<DeviceChain>, Option<String>) {
    let upns = mac_upns(mac);
    if let Some(identity) = mac.identity() {
        if !identity.several_tenants.is_empty() {
            let tenants: Vec<String> = identity
                .several_tenants
                .iter()
                .map(Guid::to_string)
                .collect();
            return (
                None,
                Some(format!(
                    "no device chain: the Mac is registered in {} tenants ({}) and none is known to be the exports' (neither Jamf Pro's integration nor the exports say which)",
                    tenants.len(),
                    tenants.join(", ")
                )),
            );
        }
        let older: Vec<_> = identity
            .sources
            .iter()
            .map(|s| s.device_id)
            .chain(
                identity
                    .older_certificates
                    .iter()
                    .filter_map(|c| c.device_id),
            )
            .collect();
        let note = identity.chosen_for.as_ref().map(|tenant| {
            format!(
                "the device chain of tenant {} ({}); the Mac's registrations in other tenants are named, not judged",
                tenant.tenant_id, tenant.said_by
            )
        });
        return (Some(devices.chain(identity.device_id, &older, &upns)), note);
    }
    let registration = mac.registration.as_ref();
    let why = match registration {
        None => "no registration evidence was read",
        Some(r) if !r.checks.iter().any(|c| c.answered()) => {
            "the registration commands could not run here: not on the Mac"
        }
        Some(_) => {
            let other = registration.and_then(DeviceIdentity::of).map(|other| {
                format!(
                    " (it is registered in tenant {})",
                    other
                        .tenant_id
                        .map_or_else(|| "unknown".to_string(), |t| t.to_string())
                )
            });
            return match (&mac.tenant, other) {
                (Some(tenant), Some(other)) => (
                    None,
                    Some(format!(
                        "no device chain: the Mac holds no registration in tenant {} ({}){other}",
                        tenant.tenant_id, tenant.said_by
                    )),
                ),
                _ => (
                    None,
                    Some(
                        "no device chain: the Mac holds no device registration for this user"
                            .to_string(),
                    ),
                ),
            };
        }
    };
    let mut keys = Keys::default();
    let mut known = Vec::new();
    for upn in &upns {
        keys.users.add(upn);
        known.push(format!("the user's UPN {upn}"));
    }
    if let Some(name) = computer_name {
        keys.names.add(name);
        known.push(format!("the computer name {name:?}"));
    }
    if known.is_empty() {
        return (
            None,
            Some(format!(
                "no device chain: no device identity of the Mac was read ({why}), and neither the user's UPN nor the computer name is known; `ca-doctor device --serial SERIAL` follows the chain by the Mac's serial number"
            )),
        );
    }
    let verb = if known.len() > 1 { "name" } else { "names" };
    let known = known.join(" and ");
    let mut records = devices.of_keys(&keys);
    let mut macs = macs_named(&records);
    // The user's several Macs, one of them of the Mac's own name: that one.
    if macs.len() > 1
        && let Some(name) = computer_name.filter(|n| macs.iter().any(|m| m.eq_ignore_ascii_case(n)))
    {
        let mut by_name = Keys::default();
        by_name.names.add(name);
        let sign_ins = std::mem::take(&mut records.sign_ins);
        records = devices.of_keys(&by_name);
        records.sign_ins = sign_ins;
        macs = macs_named(&records);
    }
    if macs.len() > 1 {
        return (
            None,
            Some(format!(
                "no device chain: no device identity of the Mac was read ({why}), and {known} {verb} {} Macs ({}); `ca-doctor device --name NAME` follows one",
                macs.len(),
                macs.join(", ")
            )),
        );
    }
    match records.resolve(None) {
        Some((device_id, others)) => (
            Some(records.chain(device_id, &others, &upns)),
            Some(format!(
                "no device identity of the Mac was read ({why}): the device chain is followed by {known}, to device ID {device_id}"
            )),
        ),
        None => (
            None,
            Some(format!(
                "no device chain: no device identity of the Mac was read ({why}), and no record names {known}"
            )),
        ),
    }
}

/// The Macs `records` name: Jamf Pro's computers, else Entra's Mac objects,
/// by name (in any case, once each).
fn macs_named(records: &TenantDevices) -> Vec<String> {
    let mut macs: Vec<String> = records
        .computers
        .iter()
        .map(|c| c.name.to_string())
        .collect();
    if macs.is_empty() {
        macs = records
            .devices
            .iter()
            .filter(|d| d.is_mac())
            .map(|d| d.display_name.to_string())
            .collect();
    }
    macs.sort_by_key(|name| name.to_lowercase());
    macs.dedup_by_key(|name| name.to_lowercase());
    macs
}
