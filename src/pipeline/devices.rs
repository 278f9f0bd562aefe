//! Reading the tenant's device records (`--tenant`): Jamf Pro's inventory,
//! Intune's managed devices, Entra's device objects and Jamf Pro's
//! compliance information, in that order, each export streamed record by
//! record and only the records of the chain kept (each kind adds the keys
//! it reveals, see [`Keys`]). The sign-ins of the chain are kept while
//! the sign-in exports are read for the other joins (see
//! `signins::join_sign_ins`).

use super::request::TenantExports;
use crate::evidence::chain::TenantDevices;
use crate::evidence::device::DeviceIdentity;
use crate::evidence::facts::MacInputs;
use crate::inputs::InputRecord;
use crate::tenant::entra::devices::read_devices;
use crate::tenant::entra::managed_devices::read_managed_devices;
use crate::tenant::exports::records::Reader;
use crate::tenant::jamf_pro::compliance::read_compliance;
use crate::tenant::jamf_pro::inventory::read_inventory;
use crate::tenant::keys::Keys;
use crate::tenant::kind::TenantKind;
use crate::util::pool::in_order;

/// The keys of the Macs read: each account's device IDs (every source's)
/// and its users' UPNs (Jamf Connect's, Platform SSO's, the agent's).
pub(crate) fn keys_of_macs(macs: &[MacInputs]) -> Keys {
    let mut keys = Keys::default();
    for mac in macs {
        if let Some(identity) = mac.registration.as_ref().and_then(DeviceIdentity::of) {
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

/// Reads the device exports of `exports`, keeping the records of the chain
/// of `keys` (which grow with what each kind's records reveal); `None` when
/// no device export was given.
pub(crate) fn read_tenant_devices(
    exports: &TenantExports,
    keys: &mut Keys,
) -> Option<TenantDevices> {
    if !exports.has_device_chain() {
        return None;
    }
    let mut tenant = TenantDevices::default();
    let mut inventory_inputs = read_computers(exports, keys, &mut tenant);
    let wanted = keys.clone();
    let (managed, inputs) = read_kept(
        exports.of_kind(TenantKind::ManagedDevices),
        read_managed_devices,
        |d| d.belongs(&wanted),
    );
    managed.iter().for_each(|d| d.reveal(keys));
    tenant.managed.extend(managed);
    tenant.inputs.extend(inputs);
    let names_before = keys.names.len();
    let device_inputs = read_entra_devices(exports, keys, &mut tenant);
    // The objects of the device IDs named the Mac: the objects of that name
    // (earlier registrations) are read again, the name being known now.
    let device_inputs = if keys.names.len() > names_before {
        tenant.devices.clear();
        read_entra_devices(exports, keys, &mut tenant)
    } else {
        device_inputs
    };
    tenant.inputs.extend(device_inputs);
    // No Jamf Pro computer reported the device, but its Entra object named
    // the Mac: the inventory is read again for that name (a computer whose
    // agent reports an older device ID).
    if tenant.computers.is_empty() && keys.names.len() > names_before {
        inventory_inputs = read_computers(exports, keys, &mut tenant);
    }
    tenant.inputs.extend(inventory_inputs);
    let wanted = keys.clone();
    let (compliance, inputs) = read_kept(
        exports.of_kind(TenantKind::JamfCompliance),
        read_compliance,
        |r| r.belongs(&wanted),
    );
    tenant.compliance.extend(compliance);
    tenant.inputs.extend(inputs);
    Some(tenant)
}

/// Reads Jamf Pro's inventory into `tenant`, keeping the computers of
/// `keys` (which grow with them); returns the inputs read.
fn read_computers(
    exports: &TenantExports,
    keys: &mut Keys,
    tenant: &mut TenantDevices,
) -> Vec<InputRecord> {
    let wanted = keys.clone();
    let (computers, inputs) = read_kept(
        exports.of_kind(TenantKind::JamfInventory),
        read_inventory,
        |c| c.belongs(&wanted),
    );
    computers.iter().for_each(|c| c.reveal(keys));
    tenant.computers.extend(computers);
    inputs
}

/// Reads Entra's device objects into `tenant`, keeping those of `keys`
/// (which learn the names of the device IDs' objects); returns the inputs.
fn read_entra_devices(
    exports: &TenantExports,
    keys: &mut Keys,
    tenant: &mut TenantDevices,
) -> Vec<InputRecord> {
    let wanted = keys.clone();
    let (devices, inputs) = read_kept(exports.of_kind(TenantKind::Devices), read_devices, |d| {
        d.belongs(&wanted)
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
