//! The `device` command's path: the chain of one device from the tenant's
//! exports alone (a help desk without the Mac). The device records are read
//! keyed by what was asked, then the sign-ins (a user's Mac sign-ins name
//! its device IDs: the device records are read again only when a record
//! read may hold one of them), then the chain is followed and judged by
//! the device detectors.

use super::devices::{Passed, read_tenant_devices};
use super::request::TenantExports;
use crate::detectors::device::{ChainContext, run_all};
use crate::evidence::chain::{DeviceEvidence, DeviceQuery, DeviceSignIn};
use crate::report::DeviceReport;
use crate::tenant::entra::signins::read_file;
use crate::tenant::kind::TenantKind;
use crate::util::guid::Guid;
use crate::util::maybe::MaybeSet;
use chrono::{DateTime, FixedOffset};
use std::collections::BTreeSet;
use std::sync::Mutex;

/// How to look again, in the findings' steps.
const RUN_AGAIN: &str = "run `ca-doctor device` again with fresh exports";

/// The report of `query` over `exports`, judged at `now`.
pub(crate) fn device_report(
    query: &DeviceQuery,
    exports: &TenantExports,
    now: DateTime<FixedOffset>,
) -> DeviceReport {
    let mut keys = query.keys();
    // The device records first (a name or a serial number leads to device
    // IDs), then the sign-ins of those devices, of the user's Macs, and
    // every refusal for the device state that presented no device (whose
    // they are is known only once the chain is).
    let device_ids_seen = MaybeSet::default();
    let asked = match query {
        DeviceQuery::DeviceId(id) => Some(*id),
        _ => None,
    };
    // The device IDs read within two characters of one asked for, should
    // nothing name it (a mistyped ID).
    let near = Mutex::new(BTreeSet::new());
    let note_near = |id: &Guid| {
        if let Some(asked) = asked
            && let apart @ 1..=2 = asked.characters_apart(id)
            && let Ok(mut near) = near.lock()
        {
            near.insert((apart, *id));
        }
    };
    let saw = |id: &Guid| {
        device_ids_seen.insert(&Passed::Device(*id));
        note_near(id);
    };
    let mut tenant = read_tenant_devices(exports, &mut keys, Some(&saw)).unwrap_or_default();
    let mut inputs = Vec::new();
    let mut sign_ins = Vec::new();
    for file in exports.of_kind(TenantKind::SignIns) {
        let read = read_file(file, &mut |sign_in| {
            let users_mac = matches!(query, DeviceQuery::Upn(upn)
                if sign_in.upn.as_deref().is_some_and(|u| u.eq_ignore_ascii_case(upn))
                    && sign_in.device_os.as_deref().is_some_and(|os| os.to_ascii_lowercase().contains("mac")));
            let device = DeviceSignIn::of(sign_in);
            device.device_id.iter().for_each(note_near);
            if sign_in.belongs(&keys)
                || users_mac
                || (device.device_id.is_none() && device.refused_for_device_state())
            {
                sign_ins.push(device);
            }
        });
        inputs.extend(read.input);
    }
    // Device IDs only the sign-ins named (a user's Mac): the device records
    // are read again for them when a record read may hold one.
    let learnt: Vec<_> = sign_ins
        .iter()
        .filter_map(|s| s.device_id)
        .filter(|id| !keys.device_ids.has(id))
        .collect();
    let held = |id: &Guid| device_ids_seen.may_contain(&Passed::Device(*id));
    if learnt.iter().any(held) && exports.has_device_chain() {
        keys.device_ids.extend(learnt);
        tenant = read_tenant_devices(exports, &mut keys, None).unwrap_or_default();
    }
    tenant.sign_ins = sign_ins;
    inputs.extend(tenant.inputs.iter().cloned());
    inputs.extend(exports.skipped_inputs());
    // A device ID that no record names is no device to judge: it may be
    // mistyped.
    let unnamed = asked.filter(|id| !tenant.names(*id));
    let chain = tenant.resolve(asked).filter(|_| unnamed.is_none());
    let chain = chain.map(|(device_id, others)| {
        let upns = users_of(&tenant, device_id, &keys.users);
        tenant.chain(device_id, &others, &upns)
    });
    let findings = chain
        .as_ref()
        .map(|chain| {
            run_all(&ChainContext {
                chain,
                now,
                agent_deactivated: None,
                run_again: RUN_AGAIN,
            })
        })
        .unwrap_or_default();
    let near: Vec<Guid> = near
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    let not_found = chain.is_none().then(|| match (unnamed, tenant.computers.first()) {
        (Some(id), _) => unnamed_device_id(id, &near),
        (None, Some(computer)) => format!(
            "Jamf Pro's computer {} (ID {}) reports no Entra device ID: its agent never registered the Mac",
            computer.name, computer.id
        ),
        (None, None) => format!(
            "no record of the exports names a device for {}",
            query.describe()
        ),
    });
    DeviceReport::decide(
        findings,
        DeviceEvidence {
            query: query.describe(),
            chain,
            not_found,
            inputs,
            offset: now.timezone(),
        },
    )
}

/// Most IDs named as near a mistyped one; the count says the rest.
const MOST_NEAR_IDS: usize = 5;

/// What is said of a device ID no record names: check it, and the IDs
/// read that are one or two characters off (`near`, nearest first).
fn unnamed_device_id(id: Guid, near: &[Guid]) -> String {
    let mut said = format!("no record has device ID {id}: check the ID");
    if !near.is_empty() {
        let listed: Vec<String> = near
            .iter()
            .take(MOST_NEAR_IDS)
            .map(Guid::to_string)
            .collect();
        let more = match near.len().saturating_sub(MOST_NEAR_IDS) {
            0 => String::new(),
            rest => format!(" and {rest} more"),
        };
        said.push_str(&format!(
            " (within two characters of it: {}{more})",
            listed.join(", ")
        ));
    }
    said
}

/// The users of `device_id`: those asked about, those who signed in with
/// it, Jamf Pro's assigned user and Intune's primary user.
fn users_of(
    tenant: &crate::evidence::chain::TenantDevices,
    device_id: crate::util::guid::Guid,
    asked: &crate::tenant::keys::KeyList,
) -> Vec<String> {
    let mut upns: Vec<String> = asked.values().to_vec();
    upns.extend(
        tenant
            .sign_ins
            .iter()
            .filter(|s| s.device_id == Some(device_id))
            .filter_map(|s| s.upn.clone()),
    );
    upns.extend(
        tenant
            .computers
            .iter()
            .filter(|c| c.accounts.iter().any(|a| a.device_id == Some(device_id)))
            .map(|c| c.email.to_string()),
    );
    upns.extend(
        tenant
            .managed
            .iter()
            .filter(|m| m.device_id == Some(device_id))
            .map(|m| m.upn.to_string()),
    );
    let mut upns: Vec<String> = upns
        .into_iter()
        .filter(|u| u.contains('@'))
        .map(|u| u.to_lowercase())
        .collect();
    upns.sort();
    upns.dedup();
    upns
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mistyped_id_names_five_near_ids_at_most() {
        let id = |n: u32| Guid::parse(&format!("7c1e9a40-2d3b-4e5f-8a6b-{n:012x}")).unwrap();
        let near: Vec<Guid> = (1..=8).map(id).collect();
        let said = unnamed_device_id(id(0x100), &near);
        assert!(said.starts_with(&format!(
            "no record has device ID {}: check the ID (within two characters of it: {}, ",
            id(0x100),
            id(1)
        )));
        assert!(said.contains(&id(5).to_string()));
        assert!(!said.contains(&id(6).to_string()));
        assert!(said.ends_with(" and 3 more)"), "{said}");
        let two = unnamed_device_id(id(0x100), &near[..2]);
        assert!(two.ends_with(&format!("{}, {})", id(1), id(2))), "{two}");
    }
}
