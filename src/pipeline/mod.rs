//! The one path from a request to a report: read the logs into evidence,
//! then [`judge`] every account (preferences, registration evidence,
//! detectors, verdict). `check`, `analyze`, `tick`, the EA from state and
//! `collect` all end in [`judge`]; they differ only in where the evidence
//! comes from (a fresh read, a saved state, a read copied into a bundle).

pub(crate) mod logs;
pub(crate) mod policies;
pub(crate) mod request;
pub(crate) mod signins;

use crate::detectors::{self, Context};
use crate::entra::policies::{Policy, read_paths as read_policy_paths};
use crate::evidence::facts::{Facts, LogTotals};
use crate::evidence::observations::Attribution;
use crate::evidence::policies::{JamfConnectTarget, PolicyEvidence};
use crate::evidence::store::EvidenceStore;
use crate::evidence::timeline::Timeline;
use crate::inputs::InputRecord;
use crate::mac::accounts::{Account, ChosenBy};
use crate::mac::jamf_connect::{self, JamfConnect};
use crate::mac::prefs::{PrefsFacts, read_prefs};
use crate::mac::registration;
use crate::util::usage::UsageError;
use crate::verdict::{Report, Verdict};
use anyhow::Result;
use logs::read_logs;
use request::{LogPlan, RegistrationPlan, Request};

/// The evidence an analysis judges: the log records and what reading them saw.
pub(crate) struct LogEvidence<'a> {
    /// The log records.
    pub(crate) store: &'a EvidenceStore,
    /// Totals and input records of the read.
    pub(crate) totals: &'a LogTotals,
}

/// Runs a whole analysis over the full window. Fails only when a named
/// `--log` cannot be read or no user can be found; unreadable Mac files and a
/// failing `log` become findings instead.
pub(crate) fn analyze(request: &Request) -> Result<Report> {
    analyze_noted(request, None)
}

/// [`analyze`], with a note on why a saved state was not used.
pub(crate) fn analyze_noted(request: &Request, state_note: Option<&str>) -> Result<Report> {
    let accounts = request.directory().resolve(&request.users)?;
    let mut store = EvidenceStore::default();
    let totals = read_logs(request, &mut store, &request.window(), false, None)?;
    let evidence = LogEvidence {
        store: &store,
        totals: &totals,
    };
    let report = judge(
        request,
        &evidence,
        &accounts,
        request.registration_plan(),
        state_note,
    )?;
    if let LogPlan::Files(sources) = &request.logs {
        let nothing_else = report.verdicts.iter().all(|v| !v.facts.anything_usable());
        if !sources.is_empty() && totals.unrecognised.len() == sources.len() && nothing_else {
            anyhow::bail!(
                "--log {}: no entry in any log show style (default, compact, syslog, json, ndjson), and nothing else could be read",
                totals.unrecognised.join(", ")
            );
        }
    }
    Ok(report)
}

/// Fails when an account named with `--user` has no grounds at all: no
/// directory record, no home folder, no agent preferences and no log line
/// naming it (a typo, or another Mac's user). Nothing can be said of it.
fn ensure_users_exist(
    request: &Request,
    accounts: &[Account],
    store: &EvidenceStore,
) -> Result<()> {
    for account in accounts {
        if account.chosen_by != ChosenBy::Flag {
            continue;
        }
        let exists = account.in_directory
            || request.paths.mac_path(&account.home).is_dir()
            || request.paths.user_agent_prefs(&account.home).exists()
            || store.names_account(account.name.as_str());
        if !exists {
            return Err(UsageError(format!(
                "no such user: {} (no directory record, no home folder, no agent preferences, no log line names it): check --user",
                account.name
            ))
            .into());
        }
    }
    Ok(())
}

/// The tenant's policies (`--policies`, read once) judged for this user's
/// Jamf Connect: its app IDs and whether it asks only for the default scopes.
fn audit_policies(
    exports: &(Vec<Policy>, Vec<InputRecord>),
    config: &JamfConnect,
) -> PolicyEvidence {
    let (policies, inputs) = exports;
    PolicyEvidence::of(
        policies.clone(),
        inputs.clone(),
        JamfConnectTarget::of_config(config),
    )
}

/// Judges every account on the same log evidence: one verdict each, in
/// order, and the window's timeline. Fails when a user named with `--user`
/// does not exist.
pub(crate) fn judge(
    request: &Request,
    evidence: &LogEvidence,
    accounts: &[Account],
    registrations: RegistrationPlan,
    state_note: Option<&str>,
) -> Result<Report> {
    ensure_users_exist(request, accounts, evidence.store)?;
    let window = request.window();
    // Jamf Connect first: its UPNs narrow the sign-in exports to these users.
    let jamf_connects: Vec<(Option<JamfConnect>, Vec<InputRecord>)> = accounts
        .iter()
        .map(|account| {
            let mut inputs = Vec::new();
            let config = (!request.log_only)
                .then(|| {
                    jamf_connect::read(
                        &request.paths,
                        account.name.as_str(),
                        &account.home,
                        &mut inputs,
                    )
                })
                .flatten();
            (config, inputs)
        })
        .collect();
    let configs: Vec<&JamfConnect> = jamf_connects
        .iter()
        .filter_map(|(c, _)| c.as_ref())
        .collect();
    let joined = signins::correlated(request, evidence.store, &window, &configs);
    let policy_exports =
        (!request.policies.is_empty()).then(|| read_policy_paths(&request.policies));
    let verdicts = accounts
        .iter()
        .zip(jamf_connects)
        .map(|(account, (jamf_connect, jamf_connect_inputs))| {
            let whose = if account.is_known() {
                Attribution::Account(account.name.as_str())
            } else {
                Attribution::Everyone
            };
            let observations = evidence.store.observations(&window, whose);
            let mut inputs = Vec::new();
            let prefs = if request.log_only {
                PrefsFacts::default()
            } else {
                read_prefs(&request.paths, &account.home, &mut inputs)
            };
            inputs.extend(jamf_connect_inputs);
            let registration = match registrations {
                RegistrationPlan::Check => Some(registration::check(
                    &request.commands,
                    account,
                    prefs.jamf_pro_version,
                )),
                RegistrationPlan::Stored(stored) => stored.get(account.name.as_str()).cloned(),
                RegistrationPlan::Skip => None,
            };
            let mut facts = Facts::new(
                account.clone(),
                prefs,
                evidence.totals.clone(),
                &observations,
                window,
                inputs,
            );
            facts.registration = registration;
            if let Some(exports) = &policy_exports {
                match jamf_connect.as_ref().filter(|c| c.is_entra()) {
                    Some(config) => {
                        let evidence = audit_policies(exports, config);
                        facts.inputs.extend(evidence.inputs.iter().cloned());
                        facts.tenant_policies = Some(evidence);
                    }
                    None => {
                        facts.policies_not_audited = Some(
                            "Jamf Connect is not set up with Entra ID for this user on this Mac"
                                .to_string(),
                        );
                    }
                }
            }
            facts.jamf_connect = jamf_connect;
            if let Some(joined) = &joined {
                let (matches, inputs) = (&joined.matches, &joined.inputs);
                facts.inputs.extend(inputs.iter().cloned());
                if let Some(upn) = facts.jamf_connect.as_ref().and_then(|c| c.upn.as_ref()) {
                    facts.own_sign_ins = Some((
                        upn.clone(),
                        joined
                            .by_upn
                            .get(&upn.to_lowercase())
                            .cloned()
                            .unwrap_or_default(),
                    ));
                }
                let own: std::collections::BTreeSet<&str> = observations
                    .get(crate::mac::log::SignatureId::InvalidGrant)
                    .map(|s| s.correlations.iter().map(|c| c.id.as_str()).collect())
                    .unwrap_or_default();
                facts.correlated_sign_ins = Some(
                    matches
                        .iter()
                        .filter(|m| own.contains(m.correlation_id.as_str()))
                        .cloned()
                        .collect(),
                );
            }
            facts.state_note = state_note.map(str::to_string);
            facts.prefs_looked_for = !request.log_only;
            let findings = detectors::run_all(&Context {
                facts: &facts,
                observations: &observations,
                now: request.now,
                from_a_bundle: request.stored_registrations.is_some() || request.log_only,
            });
            Verdict::decide(findings, facts)
        })
        .collect();
    Ok(Report {
        verdicts,
        timeline: Timeline::from_store(evidence.store, &window),
    })
}
