//! The fleet's device chain in Entra ID: the chain of each device ID a
//! Mac's agent reported (Jamf Pro's `computerAzureActiveDirectoryId`),
//! judged by the device detectors a single Mac's report uses (no record,
//! disabled, not compliant, other Mac records of its name...); and Entra's
//! Mac records that no computer reports (orphans, often left by a
//! re-registration).

use super::FleetMac;
use crate::detectors::device::{ChainContext, run_all};
use crate::evidence::chain::{DeviceChain, MAX_SAME_NAME_RECORDS};
use crate::findings::FindingId;
use crate::tenant::entra::devices::EntraDevice;
use crate::util::guid::Guid;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// An Entra Mac record no Jamf Pro computer reports.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Orphan {
    /// Its device ID.
    pub(crate) device_id: Guid,
    /// Its name.
    pub(crate) display_name: Box<str>,
    /// Its last sign-in (approximate).
    pub(crate) last_sign_in: Option<DateTime<FixedOffset>>,
    /// Whether it is compliant.
    pub(crate) is_compliant: Option<bool>,
}

/// Entra's device records, as the fleet join needs them: by device ID,
/// and the device IDs of the Mac records of each name.
#[derive(Debug, Default)]
pub(crate) struct EntraRecords {
    by_device: HashMap<Guid, EntraDevice>,
    macs_by_name: HashMap<String, Vec<Guid>>,
    /// Soft-deleted records, by device ID.
    deleted: HashMap<Guid, EntraDevice>,
}

impl EntraRecords {
    /// Adds one record.
    pub(crate) fn add(&mut self, device: &EntraDevice) {
        if device.is_mac() {
            self.macs_by_name
                .entry(device.display_name.to_lowercase())
                .or_default()
                .push(device.device_id);
        }
        self.by_device.insert(device.device_id, device.clone());
    }

    /// Adds one soft-deleted record (the newest deletion of a device ID
    /// kept).
    pub(crate) fn add_deleted(&mut self, device: &EntraDevice) {
        let newer = self
            .deleted
            .get(&device.device_id)
            .is_none_or(|kept| kept.deleted <= device.deleted);
        if newer {
            self.deleted.insert(device.device_id, device.clone());
        }
    }

    /// The chain of `device_id`, reported by a computer named `name`: its
    /// Entra record, and the other Mac records of the computer's name or
    /// the record's.
    fn chain(&self, device_id: Guid, name: &str) -> DeviceChain {
        let entra: Vec<EntraDevice> = self
            .by_device
            .get(&device_id)
            .cloned()
            .into_iter()
            .collect();
        let mut names: Vec<String> = entra
            .iter()
            .map(|d| d.display_name.to_lowercase())
            .collect();
        names.push(name.to_lowercase());
        names.retain(|n| !n.is_empty());
        names.sort();
        names.dedup();
        let mut others: Vec<Guid> = names
            .iter()
            .filter_map(|n| self.macs_by_name.get(n))
            .flatten()
            .copied()
            .filter(|id| *id != device_id)
            .collect();
        others.sort();
        others.dedup();
        // A name many Macs share says nothing of which are this one's.
        let name_shared_by = (others.len() > MAX_SAME_NAME_RECORDS).then_some(others.len());
        if name_shared_by.is_some() {
            others.clear();
        }
        let soft_deleted = entra
            .is_empty()
            .then(|| self.deleted.get(&device_id).cloned())
            .flatten();
        DeviceChain {
            device_id,
            older_ids: Vec::new(),
            entra,
            other_records: others
                .iter()
                .filter_map(|id| self.by_device.get(id).cloned())
                .collect(),
            name_shared_by,
            intune: Vec::new(),
            jamf_computer: None,
            jamf_compliance: Vec::new(),
            sign_ins: Vec::new(),
            older_id_sign_ins: Vec::new(),
            not_presented: Vec::new(),
            soft_deleted,
            devices_read: true,
            inventory_read: false,
            compliance_read: false,
            intune_read: false,
        }
    }

    /// Sets each Mac's chain problems (the device detectors' findings on
    /// the chain of each device ID it reports) at `now`; returns the
    /// orphans, newest sign-in first.
    pub(crate) fn join(&self, macs: &mut [FleetMac], now: DateTime<FixedOffset>) -> Vec<Orphan> {
        let mut reported: HashSet<Guid> = HashSet::new();
        for mac in macs.iter_mut() {
            let mut ids: Vec<Guid> = mac.accounts.iter().filter_map(|a| a.device_id).collect();
            ids.sort();
            ids.dedup();
            let mut problems: Vec<FindingId> = Vec::new();
            for id in ids {
                reported.insert(id);
                let chain = self.chain(id, &mac.name);
                let context = ChainContext {
                    chain: &chain,
                    now,
                    agent_deactivated: None,
                    run_again: "run `sudo ca-doctor check` on the Mac",
                };
                problems.extend(run_all(&context).iter().map(|finding| finding.id));
            }
            problems.sort();
            problems.dedup();
            mac.chain = problems;
        }
        let mut orphans: Vec<Orphan> = self
            .by_device
            .iter()
            .filter(|(id, device)| device.is_mac() && !reported.contains(id))
            .map(|(id, device)| Orphan {
                device_id: *id,
                display_name: device.display_name.clone(),
                last_sign_in: device.last_sign_in,
                is_compliant: device.is_compliant,
            })
            .collect();
        orphans.sort_by(|a, b| {
            b.last_sign_in
                .cmp(&a.last_sign_in)
                .then_with(|| a.display_name.cmp(&b.display_name))
        });
        orphans
    }
}
