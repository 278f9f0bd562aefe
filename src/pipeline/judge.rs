//! Judging: from the log evidence and the gathered inputs to a report, with
//! no file or process I/O. Per account: the observations of the window,
//! what the tenant's exports say of it, the facts, the detectors, the
//! verdict.

use super::devices::mac_upns;
use super::gather::{Gathered, TenantInputs};
use super::request::Request;
use crate::detectors::{self, Context};
use crate::evidence::device::DeviceIdentity;
use crate::evidence::facts::{Facts, LogTotals, MacInputs, RunNotes, TenantFacts};
use crate::evidence::observations::{Attribution, Observations};
use crate::evidence::policies::{JamfConnectTarget, PolicyEvidence};
use crate::evidence::store::EvidenceStore;
use crate::evidence::timeline::Timeline;
use crate::mac::log::SignatureId;
use crate::report::Report;
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
            let observations = evidence.store.observations(&window, whose);
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
            .get(SignatureId::InvalidGrant)
            .map(|s| s.correlations.iter().map(|c| c.id.as_str()).collect())
            .unwrap_or_default();
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
        facts.device_chain =
            mac.registration
                .as_ref()
                .and_then(DeviceIdentity::of)
                .map(|identity| {
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
                    devices.chain(identity.device_id, &older, &mac_upns(mac))
                });
    }
    facts
}
