//! Reading the tenant's device records (`--tenant`): Jamf Pro's inventory,
//! Intune's managed devices, Entra's device objects, its soft-deleted ones
//! and Jamf Pro's compliance information, in that order, each export streamed record by
//! record and only the records of the chain kept (each kind adds the keys
//! it reveals, see [`Keys`]). What the records passed by held is noted in
//! sets of fixed size ([`MaybeSet`]): an export is read again for a key
//! learnt late only when a record passed by may hold it. The sign-ins of
//! the chain are kept while the sign-in exports are read for the other
//! joins (see `signins::join_sign_ins`).

use super::request::TenantExports;
use crate::evidence::chain::TenantDevices;
use crate::evidence::facts::MacInputs;
use crate::inputs::InputRecord;
use crate::tenant::entra::devices::{read_deleted_devices, read_devices};
use crate::tenant::entra::managed_devices::read_managed_devices;
use crate::tenant::exports::records::Reader;
use crate::tenant::jamf_pro::compliance::read_compliance;
use crate::tenant::jamf_pro::inventory::read_inventory;
use crate::tenant::keys::Keys;
use crate::tenant::kind::TenantKind;
use crate::util::guid::Guid;
use crate::util::maybe::MaybeSet;
use crate::util::pool::in_order;
use std::hash::{Hash, Hasher};

/// The keys of the Macs read: each account's device IDs (every source's)
/// and its users' UPNs (Jamf Connect's, Platform SSO's, the agent's).
pub(crate) fn keys_of_macs(macs: &[MacInputs]) -> Keys {
    let mut keys = Keys::default();
    for mac in macs {
        if let Some(identity) = mac.identity() {
            keys.device_ids
                .extend(identity.sources.iter().map(|s| s.device_id));
            keys.device_ids.extend(
                identity
                    .older_certificates
                    .iter()
                    .filter_map(|c| c.device_id),
            );
        }
        for upn in mac_upns(mac) {
            keys.users.add(&upn);
        }
    }
    keys
}

/// The UPNs a Mac's account is known by, lower case: Jamf Connect's,
/// Platform SSO's and the agent's.
pub(crate) fn mac_upns(mac: &MacInputs) -> Vec<String> {
    let mut upns: Vec<String> = mac
        .jamf_connect
        .as_ref()
        .and_then(|c| c.upn.clone())
        .into_iter()
        .collect();
    if let Some(registration) = &mac.registration {
        if let Some(state) = &registration.platform_sso_state {
            upns.extend(state.upns.iter().cloned());
        }
        if let Some(status) = &registration.agent_status {
            upns.extend(status.upn.clone());
        }
    }
    let mut upns: Vec<String> = upns.iter().map(|u| u.to_lowercase()).collect();
    upns.sort();
    upns.dedup();
    upns
}

/// Text compared without regard to case, hashed as it is compared (no
/// lower-case copy made).
pub(crate) struct Folded<'a>(pub(crate) &'a str);

impl Hash for Folded<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for c in self.0.chars().flat_map(char::to_lowercase) {
            c.hash(state);
        }
    }
}

/// A key of a record as the sets of keys passed by hold it.
#[derive(Hash)]
pub(crate) enum Passed<'a> {
    /// A device ID.
    Device(Guid),
    /// A text key of a kind (`u` user, `n` name, `s` serial, `i` computer
    /// ID).
    Text(char, Folded<'a>),
}

/// The keys of `keys` that `before` did not have.
fn added_since<'k>(keys: &'k Keys, before: &Keys) -> Vec<Passed<'k>> {
    let mut added = Vec::new();
    for (kind, now, then) in [
        ('u', &keys.users, &before.users),
        ('n', &keys.names, &before.names),
        ('s', &keys.serials, &before.serials),
        ('i', &keys.computer_ids, &before.computer_ids),
    ] {
        let new = now.values().iter().filter(|v| !then.has(v));
        added.extend(new.map(|v| Passed::Text(kind, Folded(v))));
    }
    let ids = keys.device_ids.values().iter();
    added.extend(
        ids.filter(|id| !before.device_ids.has(id))
            .map(|id| Passed::Device(*id)),
    );
    added
}

/// Reads the device exports of `exports`, keeping the records of the chain
/// of `keys` (which grow with what each kind's records reveal); `None` when
/// no device export was given. Each export is read once, unless a key
/// learnt later may be held by a record passed by (a set of what was
/// passed by says so); `device_ids_seen`, when given, is shown the device
/// ID of every record read, kept or not.
pub(crate) fn read_tenant_devices(
    exports: &TenantExports,
    keys: &mut Keys,
    device_ids_seen: Option<&(dyn Fn(&Guid) + Sync)>,
) -> Option<TenantDevices> {
    if !exports.has_device_chain() {
        return None;
    }
    let saw_id = |id: &Guid| {
        if let Some(seen) = device_ids_seen {
            seen(id);
        }
    };
    let mut tenant = TenantDevices::default();
    let before_inventory = keys.clone();
    let computers_passed = MaybeSet::default();
    let mut inventory_inputs =
        read_computers(exports, keys, &mut tenant, Some(&computers_passed), &saw_id);
    let wanted = keys.clone();
    let (managed, inputs) = read_kept(
        exports.of_kind(TenantKind::ManagedDevices),
        read_managed_devices,
        |d| {
            d.device_id.iter().for_each(saw_id);
            d.belongs(&wanted)
        },
    );
    managed.iter().for_each(|d| d.reveal(keys));
    tenant.managed.extend(managed);
    tenant.inputs.extend(inputs);
    let before_devices = keys.clone();
    let macs_passed = MaybeSet::default();
    let device_inputs = read_entra_devices(exports, keys, &mut tenant, Some(&macs_passed), &saw_id);
    // The objects of the device IDs named the Mac: the objects of that name
    // (earlier registrations) passed by are read again, the name being known
    // now.
    let learnt = added_since(keys, &before_devices);
    let names_learnt = !learnt.is_empty();
    let passed_by = learnt.iter().any(|key| macs_passed.may_contain(key));
    let device_inputs = if passed_by {
        tenant.devices.clear();
        read_entra_devices(exports, keys, &mut tenant, None, &saw_id)
    } else {
        device_inputs
    };
    tenant.inputs.extend(device_inputs);
    // No Jamf Pro computer reported the device, but its Entra object named
    // the Mac: the inventory is read again when a computer passed by may
    // hold a key learnt since (a computer whose agent reports an older
    // device ID).
    if tenant.computers.is_empty()
        && names_learnt
        && added_since(keys, &before_inventory)
            .iter()
            .any(|key| computers_passed.may_contain(key))
    {
        inventory_inputs = read_computers(exports, keys, &mut tenant, None, &saw_id);
    }
    tenant.inputs.extend(inventory_inputs);
    let wanted = keys.clone();
    // Soft-deleted objects: only those of the device IDs known by now (a
    // deleted object reveals nothing more of the Mac).
    let (deleted, inputs) = read_kept(
        exports.of_kind(TenantKind::DeletedDevices),
        read_deleted_devices,
        |d| {
            saw_id(&d.device_id);
            wanted.device_ids.has(&d.device_id)
        },
    );
    tenant.deleted.extend(deleted);
    tenant.inputs.extend(inputs);
    let (compliance, inputs) = read_kept(
        exports.of_kind(TenantKind::JamfCompliance),
        read_compliance,
        |r| {
            r.vendor_device_ids.iter().for_each(saw_id);
            r.belongs(&wanted)
        },
    );
    tenant.compliance.extend(compliance);
    tenant.inputs.extend(inputs);
    Some(tenant)
}

/// Reads Jamf Pro's inventory into `tenant`, keeping the computers of
/// `keys` (which grow with them); the keys of the others go into `passed`,
/// when given.
/// Returns the inputs read.
fn read_computers(
    exports: &TenantExports,
    keys: &mut Keys,
    tenant: &mut TenantDevices,
    passed: Option<&MaybeSet>,
    saw_id: &(dyn Fn(&Guid) + Sync),
) -> Vec<InputRecord> {
    let wanted = keys.clone();
    let (computers, inputs) = read_kept(
        exports.of_kind(TenantKind::JamfInventory),
        read_inventory,
        |c| {
            let ids = c.accounts.iter().filter_map(|a| a.device_id);
            ids.clone().for_each(|id| saw_id(&id));
            if c.belongs(&wanted) {
                return true;
            }
            let Some(passed) = passed else {
                return false;
            };
            ids.for_each(|id| passed.insert(&Passed::Device(id)));
            for (kind, value) in [
                ('i', &c.id),
                ('s', &c.serial),
                ('n', &c.name),
                ('u', &c.email),
            ] {
                if !value.is_empty() {
                    passed.insert(&Passed::Text(kind, Folded(value)));
                }
            }
            false
        },
    );
    computers.iter().for_each(|c| c.reveal(keys));
    tenant.computers.extend(computers);
    inputs
}

/// Reads Entra's device objects into `tenant`, keeping those of `keys`
/// (which learn the names of the device IDs' objects); the names of the
/// Macs passed by go into `passed`. Returns the inputs.
fn read_entra_devices(
    exports: &TenantExports,
    keys: &mut Keys,
    tenant: &mut TenantDevices,
    passed: Option<&MaybeSet>,
    saw_id: &(dyn Fn(&Guid) + Sync),
) -> Vec<InputRecord> {
    let wanted = keys.clone();
    let (devices, inputs) = read_kept(exports.of_kind(TenantKind::Devices), read_devices, |d| {
        saw_id(&d.device_id);
        if d.belongs(&wanted) {
            return true;
        }
        if let Some(passed) = passed.filter(|_| d.is_mac()) {
            passed.insert(&Passed::Text('n', Folded(&d.display_name)));
        }
        false
    });
    devices.iter().for_each(|d| d.reveal(keys));
    tenant.devices.extend(devices);
    inputs
}

/// The records `keep` accepts from every file of `paths`, in order, and
/// the files' input records.
fn read_kept<T: Clone + Send>(
    paths: &[std::path::PathBuf],
    read: Reader<T>,
    keep: impl Fn(&T) -> bool + Sync,
) -> (Vec<T>, Vec<InputRecord>) {
    let mut records = Vec::new();
    let mut inputs = Vec::new();
    for (kept, input) in read_each(paths, read, keep) {
        records.extend(kept);
        inputs.extend(input);
    }
    (records, inputs)
}

/// What one file gave: the records kept and its input record.
type FileKept<T> = (Vec<T>, Option<InputRecord>);

/// Reads every file of `paths` with `read` through the one reader pool,
/// keeping the records `keep` accepts: per file, in the order given, the
/// records kept and the input record.
fn read_each<T: Clone + Send>(
    paths: &[std::path::PathBuf],
    read: Reader<T>,
    keep: impl Fn(&T) -> bool + Sync,
) -> Vec<FileKept<T>> {
    in_order(paths.len(), |index| {
        let mut kept = Vec::new();
        let file = read(&paths[index], &mut |record| {
            if keep(record) {
                kept.push(record.clone());
            }
        });
        (kept, file.input)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    const CURRENT: &str = "7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b";
    const OLDER: &str = "0d6f3c2e-5b1a-4c7d-9e8f-1a2b3c4d5e6f";

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/device-chain/tenant")
            .join(name)
    }

    fn devices_of(files: &[PathBuf], id: &str) -> Vec<String> {
        let exports = TenantExports::of(&[], &[], files).unwrap();
        let mut keys = Keys::default();
        keys.device_ids.add(Guid::parse(id).unwrap());
        let seen = MaybeSet::default();
        let saw = |id: &Guid| seen.insert(&Passed::Device(*id));
        let tenant = read_tenant_devices(&exports, &mut keys, Some(&saw)).unwrap();
        assert!(seen.may_contain(&Passed::Device(Guid::parse(OLDER).unwrap())));
        let mut ids: Vec<String> = tenant
            .devices
            .iter()
            .map(|d| d.device_id.to_string())
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn a_name_learnt_late_finds_the_macs_of_that_name_passed_by() {
        // Entra's devices alone: the device ID's object names the Mac, and
        // the earlier registration of that name, passed by, is kept.
        let mut expected = vec![OLDER.to_string(), CURRENT.to_string()];
        expected.sort();
        assert_eq!(
            devices_of(&[fixture("entra-devices.json")], CURRENT),
            expected
        );
        // With every export, the same records (the Windows object of the
        // same name is never the Mac's).
        assert_eq!(devices_of(&[fixture("")], CURRENT), expected);
    }

    #[test]
    fn passed_keys_ignore_case_and_kind_tells_them_apart() {
        let set = MaybeSet::default();
        set.insert(&Passed::Text('n', Folded("Jane's MacBook")));
        assert!(set.may_contain(&Passed::Text('n', Folded("JANE'S MACBOOK"))));
        assert!(!set.may_contain(&Passed::Text('s', Folded("Jane's MacBook"))));
    }
}
