//! Gathering: everything an analysis reads besides the log, read once and
//! before any judging: each account's preferences, Jamf Connect settings
//! and registration evidence (files and macOS commands), and the tenant's
//! exports. What it returns are plain values; judging does no I/O.

use super::devices::{keys_of_macs, read_tenant_devices};
use super::request::{RegistrationPlan, Request, TenantExports};
use super::signins::join_sign_ins;
use crate::evidence::chain::TenantDevices;
use crate::evidence::device::{KnownTenant, tenant_named_by};
use crate::evidence::facts::MacInputs;
use crate::evidence::signins::JoinedSignIns;
use crate::evidence::store::EvidenceStore;
use crate::inputs::{InputRecord, InputState};
use crate::mac::accounts::{Account, ChosenBy};
use crate::mac::jamf_connect;
use crate::mac::prefs::{PrefsFacts, read_computer_name, read_prefs};
use crate::mac::registration;
use crate::mac::sso_logs::{self, FileLogFacts, Span};
use crate::tenant::entra::policies::{Policy, read_paths as read_policy_paths};
use crate::tenant::fetch::live::{Fetched, LiveFetch};
use crate::tenant::keys::Keys;
use crate::tenant::kind::TenantKind;
use crate::util::guid::Guid;
use crate::util::usage::UsageError;
use anyhow::Result;

/// Everything read for an analysis besides the log.
#[derive(Debug)]
pub(crate) struct Gathered {
    /// What was read of the Mac, one entry per account, in order.
    pub(crate) accounts: Vec<MacInputs>,
    /// What was read of the tenant's exports.
    pub(crate) tenant: TenantInputs,
}

/// The tenant's exports as read for an analysis of a Mac.
#[derive(Debug, Default)]
pub(crate) struct TenantInputs {
    /// With `--signins`: the sign-ins matching the Mac's failures and the
    /// sign-ins of its Jamf Connect users.
    pub(crate) sign_ins: Option<JoinedSignIns>,
    /// With `--policies`: the policies read, and every export's record.
    pub(crate) policies: Option<(Vec<Policy>, Vec<InputRecord>)>,
    /// With device exports (`--tenant`): the tenant's device records.
    pub(crate) devices: Option<TenantDevices>,
    /// Files of `--tenant` folders left aside: no export.
    pub(crate) skipped: Vec<InputRecord>,
    /// The Mac's computer name (a bundle's manifest, else the Mac's
    /// system configuration), read when an account has no device identity:
    /// the device chain is then followed by it.
    pub(crate) computer_name: Option<String>,
}

/// Reads what `request` asks about `accounts` (their files, registration
/// evidence as `registrations` says, the tenant's exports) given the log
/// evidence in `store`. Fails when a user named with `--user` does not exist.
pub(crate) fn gather(
    request: &Request,
    store: &EvidenceStore,
    accounts: &[Account],
    registrations: RegistrationPlan,
) -> Result<Gathered> {
    ensure_users_exist(request, accounts, store)?;
    let log_only = request.log_only();
    let window = request.window();
    let mut mac: Vec<MacInputs> = accounts
        .iter()
        .map(|account| {
            let mut inputs = Vec::new();
            let prefs = if log_only {
                PrefsFacts::default()
            } else {
                read_prefs(&request.paths, &account.home, &mut inputs)
            };
            let jamf_connect = (!log_only)
                .then(|| {
                    jamf_connect::read(
                        &request.paths,
                        account.name.as_str(),
                        &account.home,
                        &mut inputs,
                    )
                })
                .flatten();
            let mut registration = match registrations {
                RegistrationPlan::Check => Some(registration::check(
                    &request.runner,
                    account,
                    prefs.jamf_pro_version,
                )),
                RegistrationPlan::Stored(stored) => stored.get(account.name.as_str()).cloned(),
                RegistrationPlan::Skip => None,
            };
            let mut file_evidence = EvidenceStore::default();
            let file_logs = if log_only {
                FileLogFacts::default()
            } else {
                let span = Span {
                    start: window.start,
                    end: window.end,
                };
                sso_logs::read(&request.paths, account, span, &mut inputs, |event| {
                    file_evidence.add_event(&event, &window)
                })
            };
            if let Some(device) = &file_logs.device {
                registration.get_or_insert_default().logged_device = Some(device.clone());
            } else if let Some(registration) = registration.as_mut() {
                registration.logged_device = None;
            }
            MacInputs {
                account: account.clone(),
                tenant: known_tenant(request, &prefs),
                prefs,
                prefs_looked_for: !log_only,
                jamf_connect,
                registration,
                inputs,
                file_logs,
                file_evidence,
            }
        })
        .collect();
    let mut keys = keys_of_macs(&mac);
    // Without the Mac's device identity the chain is followed by its
    // users and its computer name (not with a log export alone: the files
    // under the root then are not the Mac's).
    let computer_name = (!log_only
        && (request.tenant.has_device_chain() || request.live.is_some()))
    .then(|| mac.iter().any(|m| m.identity().is_none()))
    .filter(|missing| *missing)
    .and_then(|_| {
        request
            .computer_name
            .clone()
            .or_else(|| read_computer_name(&request.paths))
    });
    if let Some(name) = &computer_name {
        keys.names.add(name);
    }
    let mut live_inputs = Vec::new();
    // Kept until everything fetched has been read.
    let _fetched;
    let tenant = match &request.live {
        None => std::borrow::Cow::Borrowed(&request.tenant),
        Some(live) => {
            let (exports, fetched) = fetch_live(live, &keys, &request.tenant, &mut live_inputs)?;
            _fetched = fetched;
            std::borrow::Cow::Owned(exports)
        }
    };
    let tenant = tenant.as_ref();
    let mut devices = read_tenant_devices(tenant, &mut keys, None);
    if let Some(devices) = &devices {
        for mac in mac.iter_mut().filter(|m| m.tenant.is_none()) {
            mac.tenant = mac
                .registration
                .as_ref()
                .filter(|_| mac_identity_is_ambiguous(mac))
                .and_then(|r| tenant_named_by(r, |id| devices.names(id)))
                .map(|tenant_id| KnownTenant {
                    tenant_id,
                    said_by: "the tenant's exports name its device".to_string(),
                });
        }
    }
    let sign_ins = (!tenant.of_kind(TenantKind::SignIns).is_empty()).then(|| {
        let configs: Vec<_> = mac.iter().filter_map(|m| m.jamf_connect.as_ref()).collect();
        // The accounts' own log files carry correlation IDs too.
        let with_files = mac.iter().filter(|m| m.file_evidence.len() > 0).fold(
            None,
            |merged: Option<EvidenceStore>, m| {
                Some(
                    merged
                        .as_ref()
                        .unwrap_or(store)
                        .merged_with(&m.file_evidence),
                )
            },
        );
        join_sign_ins(
            tenant.of_kind(TenantKind::SignIns),
            with_files.as_ref().unwrap_or(store),
            &request.window(),
            &configs,
            &keys,
        )
    });
    if let (Some(devices), Some(joined)) = (&mut devices, &sign_ins) {
        devices.sign_ins = joined.devices.clone();
    }
    let policies = (!tenant.of_kind(TenantKind::Policies).is_empty())
        .then(|| read_policy_paths(tenant.of_kind(TenantKind::Policies)));
    Ok(Gathered {
        accounts: mac,
        tenant: TenantInputs {
            sign_ins,
            policies,
            devices,
            skipped: live_inputs
                .into_iter()
                .chain(tenant.skipped_inputs())
                .collect(),
            computer_name,
        },
    })
}

/// The tenant whose registration of the Mac is judged, when known before
/// any export is read: `--tenant-id` of a live fetch (a tenant ID, not a
/// domain), else the tenant of Jamf Pro's integration on the Mac.
fn known_tenant(request: &Request, prefs: &PrefsFacts) -> Option<KnownTenant> {
    let flag = request
        .live
        .as_ref()
        .and_then(|live| live.plan.graph.as_ref())
        .and_then(|graph| Guid::parse(&graph.tenant_id));
    if let Some(tenant_id) = flag {
        return Some(KnownTenant {
            tenant_id,
            said_by: "--tenant-id".to_string(),
        });
    }
    prefs.integration_tenant_id.map(|tenant_id| KnownTenant {
        tenant_id,
        said_by: "Jamf Pro's integration".to_string(),
    })
}

/// Whether the Mac holds registrations of several tenants and none is
/// known to be the one judged.
fn mac_identity_is_ambiguous(mac: &MacInputs) -> bool {
    mac.identity()
        .is_some_and(|identity| !identity.several_tenants.is_empty())
}

/// Fetches the tenant's evidence about the Mac of `keys` (its device IDs,
/// its users' sign-ins) and adds it to `given`; what could not be fetched
/// goes into `inputs` as unreadable, and the analysis goes on without it;
/// when nothing at all came, the error says why (its own exit code).
fn fetch_live(
    live: &LiveFetch,
    keys: &Keys,
    given: &TenantExports,
    inputs: &mut Vec<InputRecord>,
) -> anyhow::Result<(TenantExports, Option<Fetched>)> {
    let selectors = Keys {
        users: keys.users.clone(),
        device_ids: keys.device_ids.clone(),
        ..Keys::default()
    };
    let unreadable = |what: String, reason: String| InputRecord {
        what,
        path: "live fetch".to_string(),
        state: InputState::Unreadable,
        reason: Some(reason),
    };
    match given.clone().resolve(Some(live), selectors) {
        Ok((exports, fetched)) => {
            // Asked to fetch and nothing came: said first, with its own
            // exit code, rather than a report without the tenant.
            if let Some(why) = fetched.as_ref().and_then(|f| f.record.nothing_fetched()) {
                return Err(crate::tenant::fetch::plan::NothingFetched(why).into());
            }
            for (kind, error) in fetched.iter().flat_map(|f| f.failures()) {
                inputs.push(unreadable(format!("fetched {kind}"), error));
            }
            Ok((exports, fetched))
        }
        Err(error) => {
            inputs.push(unreadable(
                "tenant evidence".to_string(),
                format!("{error:#}"),
            ));
            Ok((given.clone(), None))
        }
    }
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
                "no such user: {} (no directory record, no home folder, no agent preferences, no log line names it): check `{} --user`",
                account.name, request.command
            ))
            .into());
        }
    }
    Ok(())
}
