//! The fleet's device chain in Entra ID: the device ID each Mac's agent
//! reported (Jamf Pro's `computerAzureActiveDirectoryId`) looked up among
//! Entra's device records: none, disabled, not compliant, or several Mac
//! records of the Mac's name; and Entra's Mac records that no computer
//! reports (orphans, often left by a re-registration).

use super::FleetMac;
use crate::tenant::entra::devices::EntraDevice;
use crate::util::guid::Guid;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Where a Mac's chain breaks in Entra ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ChainIssue {
    /// The reported device ID has no Entra record.
    NoEntraRecord,
    /// Its Entra record is disabled.
    Disabled,
    /// Its Entra record is not compliant.
    NotCompliant,
    /// Entra holds several Mac records of the Mac's name.
    Duplicates,
}

impl ChainIssue {
    /// Every issue, in order.
    pub(crate) const ALL: [ChainIssue; 4] = [
        ChainIssue::NoEntraRecord,
        ChainIssue::Disabled,
        ChainIssue::NotCompliant,
        ChainIssue::Duplicates,
    ];

    /// As written in reports.
    pub(crate) fn token(self) -> &'static str {
        match self {
            ChainIssue::NoEntraRecord => "no-entra-record",
            ChainIssue::Disabled => "entra-disabled",
            ChainIssue::NotCompliant => "entra-not-compliant",
            ChainIssue::Duplicates => "entra-duplicates",
        }
    }
}

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

/// What is kept of one Entra record.
#[derive(Clone, Debug)]
struct Kept {
    display_name: Box<str>,
    enabled: Option<bool>,
    compliant: Option<bool>,
    is_mac: bool,
    last_sign_in: Option<DateTime<FixedOffset>>,
}

/// Entra's device records, as the fleet join needs them.
#[derive(Debug, Default)]
pub(crate) struct EntraRecords {
    by_device: HashMap<Guid, Kept>,
    macs_by_name: HashMap<String, u32>,
}

impl EntraRecords {
    /// Adds one record.
    pub(crate) fn add(&mut self, device: &EntraDevice) {
        let is_mac = device.is_mac();
        if is_mac {
            *self
                .macs_by_name
                .entry(device.display_name.to_lowercase())
                .or_default() += 1;
        }
        self.by_device.insert(
            device.device_id,
            Kept {
                display_name: device.display_name.clone(),
                enabled: device.account_enabled,
                compliant: device.is_compliant,
                is_mac,
                last_sign_in: device.last_sign_in,
            },
        );
    }

    /// Sets each Mac's chain issues; returns the orphans, newest sign-in
    /// first.
    pub(crate) fn join(&self, macs: &mut [FleetMac]) -> Vec<Orphan> {
        let mut reported: HashSet<Guid> = HashSet::new();
        for mac in macs.iter_mut() {
            let mut issues = Vec::new();
            let ids: HashSet<Guid> = mac.accounts.iter().filter_map(|a| a.device_id).collect();
            for id in &ids {
                reported.insert(*id);
                match self.by_device.get(id) {
                    None => issues.push(ChainIssue::NoEntraRecord),
                    Some(kept) => {
                        if kept.enabled == Some(false) {
                            issues.push(ChainIssue::Disabled);
                        }
                        if kept.compliant == Some(false) {
                            issues.push(ChainIssue::NotCompliant);
                        }
                    }
                }
            }
            let name = mac.name.to_lowercase();
            if !name.is_empty() && self.macs_by_name.get(&name).is_some_and(|n| *n > 1) {
                issues.push(ChainIssue::Duplicates);
            }
            issues.sort();
            issues.dedup();
            mac.chain = issues;
        }
        let mut orphans: Vec<Orphan> = self
            .by_device
            .iter()
            .filter(|(id, kept)| kept.is_mac && !reported.contains(id))
            .map(|(id, kept)| Orphan {
                device_id: *id,
                display_name: kept.display_name.clone(),
                last_sign_in: kept.last_sign_in,
                is_compliant: kept.compliant,
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
