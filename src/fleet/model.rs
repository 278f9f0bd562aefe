//! What the fleet view holds of each Mac (its attribute's status, its
//! accounts as Jamf Pro recorded them, its device chain in Entra ID) and
//! the report made of them.

use super::summary::FleetSummary;
use super::tenant::Orphan;
use crate::attribute::{AttributeStatus, EaValue};
use crate::findings::FindingId;
use crate::tenant::jamf_pro::compliance::JamfComplianceState;
use crate::util::guid::Guid;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::sync::Arc;

/// The agent's registration state of a local account, as Jamf Pro
/// records it (`azureActiveDirectoryId`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum AccountState {
    /// Registered and signing in.
    Activated,
    /// Deactivated.
    Deactivated,
    /// Did not answer.
    Unresponsive,
    /// Anything else.
    Unknown,
}

impl AccountState {
    /// The state Jamf Pro wrote.
    pub(crate) fn of(text: &str) -> AccountState {
        match text.to_ascii_uppercase().as_str() {
            "ACTIVATED" => AccountState::Activated,
            "DEACTIVATED" => AccountState::Deactivated,
            "UNRESPONSIVE" => AccountState::Unresponsive,
            _ => AccountState::Unknown,
        }
    }

    /// As Jamf Pro writes it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            AccountState::Activated => "ACTIVATED",
            AccountState::Deactivated => "DEACTIVATED",
            AccountState::Unresponsive => "UNRESPONSIVE",
            AccountState::Unknown => "UNKNOWN",
        }
    }
}

/// A local account of a fleet Mac.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct FleetAccount {
    /// The macOS account name.
    pub(crate) username: Box<str>,
    /// The Entra device ID the agent reported.
    pub(crate) device_id: Option<Guid>,
    /// The agent's state.
    pub(crate) state: AccountState,
}

/// One Mac of the fleet. Values many Macs share (the attribute's value,
/// versions, places) are held once.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct FleetMac {
    /// Jamf Pro's computer ID.
    pub(crate) id: Box<str>,
    /// The computer's name.
    pub(crate) name: Box<str>,
    /// The serial number.
    pub(crate) serial: Box<str>,
    /// What the Mac is counted as: the extension attribute's value, or
    /// `not-compliant` when Entra's records refuse the device.
    pub(crate) ea: Arc<EaValue>,
    /// What the attribute itself said, when the device chain changed what
    /// the Mac is counted as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) attribute_said: Option<AttributeStatus>,
    /// The attribute's value as Jamf Pro holds it, when ca-doctor never
    /// writes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) ea_text: Option<Box<str>>,
    /// The last successful sign-in (the last-success attribute).
    pub(crate) last_success: Option<DateTime<FixedOffset>>,
    /// macOS's version.
    pub(crate) macos: Arc<str>,
    /// The Jamf Pro framework's version.
    pub(crate) jamf_version: Arc<str>,
    /// The building.
    pub(crate) building: Arc<str>,
    /// The department.
    pub(crate) department: Arc<str>,
    /// The last inventory.
    pub(crate) last_inventory: Option<DateTime<FixedOffset>>,
    /// The last check-in.
    pub(crate) last_check_in: Option<DateTime<FixedOffset>>,
    /// Each local account's Entra state and reported device ID.
    pub(crate) accounts: Vec<FleetAccount>,
    /// Jamf Pro's compliance state, when fetched or given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) compliance: Option<JamfComplianceState>,
    /// Where its device chain breaks (the device detectors' findings, with
    /// Entra's records).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) chain: Vec<FindingId>,
}

impl FleetMac {
    /// Whether Jamf Pro records an account of it as deactivated.
    pub(crate) fn jamf_deactivated(&self) -> bool {
        self.accounts
            .iter()
            .any(|a| a.state == AccountState::Deactivated)
    }

    /// Whether Jamf Pro records its registered accounts as activated (at
    /// least one, none otherwise); accounts that never registered (a local
    /// admin Jamf records as `UNKNOWN`) say nothing either way.
    pub(crate) fn jamf_activated(&self) -> bool {
        let mut registered = self
            .accounts
            .iter()
            .filter(|a| a.state != AccountState::Unknown)
            .peekable();
        registered.peek().is_some() && registered.all(|a| a.state == AccountState::Activated)
    }
}

/// A Mac named in a list.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub(crate) struct MacRef {
    /// Jamf Pro's ID.
    pub(crate) id: Box<str>,
    /// Its name.
    pub(crate) name: Box<str>,
    /// Its status.
    pub(crate) status: AttributeStatus,
}

impl MacRef {
    /// The reference of `mac`.
    pub(crate) fn of(mac: &FleetMac) -> MacRef {
        MacRef {
            id: mac.id.clone(),
            name: mac.name.clone(),
            status: mac.ea.status,
        }
    }
}

/// The fleet report (its JSON document is `render::json`'s).
#[derive(Clone, Debug)]
pub(crate) struct FleetReport {
    /// The clock ages are counted to.
    pub(crate) now: DateTime<FixedOffset>,
    /// What was read: inventory files, the tenant's exports.
    pub(crate) sources: Vec<String>,
    /// The status attribute's name, when one was found.
    pub(crate) ea_attribute: Option<String>,
    /// The last-success attribute's name, when one was found.
    pub(crate) last_success_attribute: Option<String>,
    /// The Jamf Pro server, for links to each computer.
    pub(crate) jamf_url: Option<String>,
    /// Things the reader should know (no attribute found, files skipped).
    pub(crate) notes: Vec<String>,
    /// The counts.
    pub(crate) summary: FleetSummary,
    /// Entra Mac records no Jamf Pro computer reports; `None` when that is
    /// not known (a computer search export names no device IDs).
    pub(crate) orphans: Option<Vec<Orphan>>,
    /// Every Mac, the most urgent first.
    pub(crate) macs: Vec<FleetMac>,
}
