//! The device chain: which device Entra ID judged, followed through every
//! record that names it by the one key they share, the Entra device ID:
//! the sign-ins that presented it (or presented none), Entra's device
//! objects, Intune's managed device, and Jamf Pro's computer (whose agent
//! reported the ID) with the compliance it sends. Built from the tenant's
//! records as read; no I/O.

use crate::inputs::InputRecord;
use crate::tenant::entra::devices::EntraDevice;
use crate::tenant::entra::managed_devices::ManagedDevice;
use crate::tenant::entra::signins::record::SignIn;
use crate::tenant::jamf_pro::compliance::JamfCompliance;
use crate::tenant::jamf_pro::inventory::JamfComputer;
use crate::tenant::keys::Keys;
use crate::util::guid::Guid;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::collections::HashSet;

/// What a sign-in says of the device it came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct DeviceSignIn {
    /// When.
    pub(crate) time: Option<DateTime<FixedOffset>>,
    /// Who.
    pub(crate) upn: Option<String>,
    /// The app (name, else ID).
    pub(crate) app: Option<String>,
    /// The error code (0: success).
    pub(crate) error_code: Option<i64>,
    /// The device presented; none when none was.
    pub(crate) device_id: Option<Guid>,
    /// The device's name as Entra has it.
    pub(crate) device_name: Option<String>,
    /// The browser, when a browser signed in.
    pub(crate) browser: Option<String>,
    /// Entra's compliance flag for the device, at that sign-in.
    pub(crate) compliant: Option<bool>,
    /// Entra's managed flag.
    pub(crate) managed: Option<bool>,
    /// The device's operating system as the sign-in names it.
    pub(crate) os: Option<String>,
}

impl DeviceSignIn {
    /// The device part of `sign_in`.
    pub(crate) fn of(sign_in: &SignIn) -> DeviceSignIn {
        DeviceSignIn {
            time: sign_in.time,
            upn: sign_in.upn.clone(),
            app: sign_in.app_name.clone().or_else(|| sign_in.app_id.clone()),
            error_code: sign_in.error_code,
            device_id: sign_in.device_id,
            device_name: sign_in.device_name.clone(),
            browser: sign_in.browser.clone(),
            compliant: sign_in.device_compliant,
            managed: sign_in.device_managed,
            os: sign_in.device_os.clone(),
        }
    }

    /// Whether the sign-in names a platform other than macOS (Windows,
    /// iOS, Android, Linux): it was another device of the user, never the
    /// Mac's evidence. A sign-in that names none may be the Mac's.
    pub(crate) fn on_another_platform(&self) -> bool {
        let Some(os) = self.os.as_deref() else {
            return false;
        };
        let os = os.to_ascii_lowercase();
        let mac = ["mac", "os x", "osx"].iter().any(|m| os.contains(m));
        let other = [
            "windows",
            "ios",
            "ipad",
            "iphone",
            "android",
            "linux",
            "chrome os",
            "chromeos",
        ]
        .iter()
        .any(|o| os.contains(o));
        other && !mac
    }

    /// Whether a policy refused it for the device's state.
    pub(crate) fn refused_for_device_state(&self) -> bool {
        self.error_code.is_some_and(|code| {
            crate::tenant::entra::signins::record::DEVICE_STATE_CODES.contains(&code)
        })
    }
}

/// The tenant's device records, as read from the exports given.
#[derive(Clone, Debug, Default)]
pub(crate) struct TenantDevices {
    /// Entra's device objects.
    pub(crate) devices: Vec<EntraDevice>,
    /// Entra's soft-deleted device objects.
    pub(crate) deleted: Vec<EntraDevice>,
    /// Intune's managed devices.
    pub(crate) managed: Vec<ManagedDevice>,
    /// Jamf Pro's compliance records.
    pub(crate) compliance: Vec<JamfCompliance>,
    /// Jamf Pro's computers.
    pub(crate) computers: Vec<JamfComputer>,
    /// Sign-ins that presented a device of interest, or were refused for
    /// a device state.
    pub(crate) sign_ins: Vec<DeviceSignIn>,
    /// Every export read and what became of it.
    pub(crate) inputs: Vec<InputRecord>,
}

/// What `ca-doctor device` was asked about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DeviceQuery {
    /// An Entra device ID.
    DeviceId(Guid),
    /// A device name.
    Name(String),
    /// A serial number.
    Serial(String),
    /// A user's UPN: their Mac.
    Upn(String),
}

impl DeviceQuery {
    /// The query as the command line says it.
    pub(crate) fn describe(&self) -> String {
        match self {
            DeviceQuery::DeviceId(id) => format!("--device-id {id}"),
            DeviceQuery::Name(name) => format!("--name {name:?}"),
            DeviceQuery::Serial(serial) => format!("--serial {serial}"),
            DeviceQuery::Upn(upn) => format!("--upn {upn}"),
        }
    }

    /// The keys it starts the chain from (and asks a fetch for).
    pub(crate) fn keys(&self) -> Keys {
        let mut keys = Keys::default();
        match self {
            DeviceQuery::DeviceId(id) => {
                keys.device_ids.add(*id);
            }
            DeviceQuery::Name(name) => {
                keys.names.add(name);
            }
            DeviceQuery::Serial(serial) => {
                keys.serials.add(serial);
            }
            DeviceQuery::Upn(upn) => {
                keys.users.add(upn);
            }
        }
        keys
    }
}

/// What `ca-doctor device` found of the device asked about.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct DeviceEvidence {
    /// The question, as the command line put it.
    pub(crate) query: String,
    /// The chain of the device found; `None` when none was.
    pub(crate) chain: Option<DeviceChain>,
    /// Why no device was found, when none was.
    pub(crate) not_found: Option<String>,
    /// Every export read and what became of it.
    pub(crate) inputs: Vec<InputRecord>,
    /// The offset times are shown in (the clock's).
    #[serde(skip)]
    pub(crate) offset: chrono::FixedOffset,
}

impl TenantDevices {
    /// Whether any record read names `device_id`: an Entra object, an
    /// Intune record, a Jamf Pro computer's account or compliance record, a
    /// sign-in that presented it. A device ID nothing names may be mistyped: no finding
    /// about a device is made from it.
    pub(crate) fn names(&self, device_id: Guid) -> bool {
        self.devices.iter().any(|d| d.device_id == device_id)
            || self.deleted.iter().any(|d| d.device_id == device_id)
            || self.managed.iter().any(|m| m.device_id == Some(device_id))
            || self
                .computers
                .iter()
                .any(|c| c.accounts.iter().any(|a| a.device_id == Some(device_id)))
            || self.sign_ins.iter().any(|s| s.device_id == Some(device_id))
            || self
                .compliance
                .iter()
                .any(|r| r.vendor_device_ids.contains(&device_id))
    }

    /// The records of these that belong to `keys`, each kind adding what
    /// its records reveal in the order the exports are read (Jamf Pro's
    /// computers, Intune's, Entra's objects, then the compliance records
    /// and sign-ins): one Mac's records out of those read for several.
    pub(crate) fn of_keys(&self, keys: &Keys) -> TenantDevices {
        /// The records of `all` that `belongs` accepts, which then reveal
        /// their keys.
        fn kept<T: Clone>(
            all: &[T],
            keys: &mut Keys,
            belongs: fn(&T, &Keys) -> bool,
            reveal: fn(&T, &mut Keys),
        ) -> Vec<T> {
            let kept: Vec<T> = all.iter().filter(|r| belongs(r, keys)).cloned().collect();
            kept.iter().for_each(|r| reveal(r, keys));
            kept
        }
        let mut keys = keys.clone();
        let computers = kept(
            &self.computers,
            &mut keys,
            JamfComputer::belongs,
            JamfComputer::reveal,
        );
        let managed = kept(
            &self.managed,
            &mut keys,
            ManagedDevice::belongs,
            ManagedDevice::reveal,
        );
        // Twice: a device ID's object names the Mac, whose earlier objects
        // are then kept by that name.
        kept(
            &self.devices,
            &mut keys,
            EntraDevice::belongs,
            EntraDevice::reveal,
        );
        let devices = kept(
            &self.devices,
            &mut keys,
            EntraDevice::belongs,
            EntraDevice::reveal,
        );
        TenantDevices {
            compliance: kept(
                &self.compliance,
                &mut keys,
                JamfCompliance::belongs,
                |_, _| {},
            ),
            sign_ins: self
                .sign_ins
                .iter()
                .filter(|s| match s.device_id {
                    Some(id) => keys.device_ids.has(&id),
                    None => s.upn.as_deref().is_some_and(|u| keys.users.has(u)),
                })
                .cloned()
                .collect(),
            deleted: self
                .deleted
                .iter()
                .filter(|d| keys.device_ids.has(&d.device_id))
                .cloned()
                .collect(),
            devices,
            managed,
            computers,
            inputs: self.inputs.clone(),
        }
    }

    /// The device ID to follow, with the others the records name: `asked`
    /// when a device ID was asked for; else the one Jamf Pro's agent reports
    /// for an activated account, else the Mac object of Entra ID that
    /// signed in last, else Intune's, else the device that signed in last.
    pub(crate) fn resolve(&self, asked: Option<Guid>) -> Option<(Guid, Vec<Guid>)> {
        let mut candidates: Vec<Guid> = Vec::new();
        let mut accounts: Vec<_> = self
            .computers
            .iter()
            .flat_map(|c| c.accounts.iter())
            .filter(|a| a.device_id.is_some())
            .collect();
        accounts.sort_by_key(|a| !a.state.eq_ignore_ascii_case("ACTIVATED"));
        candidates.extend(accounts.iter().filter_map(|a| a.device_id));
        let mut macs: Vec<&EntraDevice> = self
            .devices
            .iter()
            .filter(|d| Some(d.device_id) == asked || d.is_mac())
            .collect();
        macs.sort_by_key(|d| std::cmp::Reverse(d.last_sign_in));
        let from_accounts = candidates.len();
        candidates.extend(macs.iter().map(|d| d.device_id));
        let from_macs = candidates.len();
        candidates.extend(self.managed.iter().filter_map(|m| m.device_id));
        let mut signed_in: Vec<&DeviceSignIn> = self
            .sign_ins
            .iter()
            .filter(|s| s.device_id.is_some())
            .collect();
        signed_in.sort_by_key(|s| std::cmp::Reverse(s.time));
        candidates.extend(signed_in.iter().filter_map(|s| s.device_id));
        // Entra's Mac objects are candidates to follow, but not the Mac's
        // other IDs by themselves: kept for a name, thousands may share it
        // ("MacBook Pro"); the chain weighs those by their name.
        let named_elsewhere: HashSet<Guid> = candidates[..from_accounts]
            .iter()
            .chain(&candidates[from_macs..])
            .copied()
            .collect();
        // A device ID asked for is the one followed, whatever else says.
        if let Some(asked) = asked {
            candidates.insert(0, asked);
        }
        // In order, each once.
        let mut seen = HashSet::with_capacity(candidates.len());
        let unique: Vec<Guid> = candidates
            .into_iter()
            .filter(|id| seen.insert(*id))
            .collect();
        let first = *unique.first()?;
        let others = unique[1..]
            .iter()
            .filter(|id| named_elsewhere.contains(id))
            .copied()
            .collect();
        Some((first, others))
    }
}

/// What every link of the chain says of one device ID.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct DeviceChain {
    /// The device ID followed: the one the Mac presents now.
    pub(crate) device_id: Guid,
    /// The Mac's other device IDs (older certificates, sources that name
    /// another device).
    pub(crate) older_ids: Vec<Guid>,
    /// Entra's objects with this device ID (one, normally).
    pub(crate) entra: Vec<EntraDevice>,
    /// Entra's other objects for the same Mac: the Mac's other device IDs,
    /// those Intune and Jamf Pro name for it, or the same name on a Mac
    /// operating system (a name few Mac records share).
    pub(crate) other_records: Vec<EntraDevice>,
    /// How many other Mac records share the Mac's name, when too many do
    /// to be this Mac's ("MacBook Pro"): they are not counted as its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) name_shared_by: Option<usize>,
    /// Intune's records of this device ID or of the Mac's serial number.
    pub(crate) intune: Vec<ManagedDevice>,
    /// Jamf Pro's computer whose agent reported one of the Mac's device
    /// IDs (this one first), else the one of the same name.
    pub(crate) jamf_computer: Option<JamfComputer>,
    /// Jamf Pro's compliance records of that computer.
    pub(crate) jamf_compliance: Vec<JamfCompliance>,
    /// Sign-ins that presented this device.
    pub(crate) sign_ins: Vec<DeviceSignIn>,
    /// Sign-ins that presented another of the Mac's device IDs.
    pub(crate) older_id_sign_ins: Vec<DeviceSignIn>,
    /// Sign-ins of the Mac's users refused for the device state without a
    /// device presented.
    pub(crate) not_presented: Vec<DeviceSignIn>,
    /// Entra's soft-deleted object of this device ID, when no live object
    /// has it: restorable for 30 days, the device ID reserved meanwhile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) soft_deleted: Option<EntraDevice>,
    /// Whether Entra's device objects were given (else "no record" says
    /// nothing).
    pub(crate) devices_read: bool,
    /// Whether Jamf Pro's inventory was given.
    pub(crate) inventory_read: bool,
    /// Whether Jamf Pro's compliance information was given.
    pub(crate) compliance_read: bool,
    /// Whether Intune's managed devices were given.
    pub(crate) intune_read: bool,
}

impl DeviceChain {
    /// The device IDs Jamf Pro's computer reports (its agent's, per
    /// account) that are not the one followed.
    pub(crate) fn jamf_reports_other(&self) -> Vec<(String, Guid)> {
        self.jamf_computer
            .iter()
            .flat_map(|c| c.accounts.iter())
            .filter_map(|a| a.device_id.map(|id| (a.username.to_string(), id)))
            .filter(|(_, id)| *id != self.device_id)
            .collect()
    }

    /// Entra's compliance verdict for the device: its object's flag, else
    /// the latest sign-in's.
    pub(crate) fn entra_compliant(&self) -> Option<bool> {
        self.entra.iter().find_map(|d| d.is_compliant).or_else(|| {
            self.sign_ins
                .iter()
                .filter(|s| s.compliant.is_some())
                .max_by_key(|s| s.time)
                .and_then(|s| s.compliant)
        })
    }
}

/// Mac records of one name beyond which the name says nothing of which Mac
/// they are (a Mac's default name, "MacBook Pro", is shared by many).
pub(crate) const MAX_SAME_NAME_RECORDS: usize = 5;

impl TenantDevices {
    /// Follows `device_id` through every record; `older_ids` are the
    /// Mac's other device IDs, `upns` its users (their sign-ins that
    /// presented no device belong to it).
    pub(crate) fn chain(
        &self,
        device_id: Guid,
        older_ids: &[Guid],
        upns: &[String],
    ) -> DeviceChain {
        let older: Vec<Guid> = older_ids
            .iter()
            .filter(|id| **id != device_id)
            .copied()
            .collect();
        let older_set: HashSet<Guid> = older.iter().copied().collect();
        let entra: Vec<EntraDevice> = self
            .devices
            .iter()
            .filter(|d| d.device_id == device_id)
            .cloned()
            .collect();
        let reports =
            |c: &JamfComputer, id: &Guid| c.accounts.iter().any(|a| a.device_id == Some(*id));
        let jamf_computer = self
            .computers
            .iter()
            .find(|c| reports(c, &device_id))
            .or_else(|| {
                self.computers.iter().find(|c| {
                    c.accounts
                        .iter()
                        .any(|a| a.device_id.is_some_and(|id| older_set.contains(&id)))
                })
            })
            .or_else(|| {
                let names: HashSet<&str> = entra.iter().map(|d| &*d.display_name).collect();
                self.computers
                    .iter()
                    .find(|c| !c.name.is_empty() && names.contains(&*c.name))
            })
            .cloned();
        let serial = jamf_computer.as_ref().map(|c| &*c.serial).unwrap_or("");
        let intune: Vec<ManagedDevice> = self
            .managed
            .iter()
            .filter(|m| {
                m.device_id == Some(device_id)
                    || (!serial.is_empty() && m.serial.eq_ignore_ascii_case(serial))
            })
            .cloned()
            .collect();
        let names: HashSet<String> = entra
            .iter()
            .map(|d| d.display_name.to_lowercase())
            .chain(jamf_computer.as_ref().map(|c| c.name.to_lowercase()))
            .filter(|n| !n.is_empty())
            .collect();
        // Device IDs other records tie to this Mac: Intune's by serial
        // number, the agent's on the Jamf computer. Sets: thousands of
        // records may share a name ("MacBook Pro").
        let mut tied: HashSet<Guid> = intune.iter().filter_map(|m| m.device_id).collect();
        if let Some(computer) = &jamf_computer {
            tied.extend(computer.accounts.iter().filter_map(|a| a.device_id));
        }
        // Entra's other Mac objects of the Mac's name, nothing else tying
        // them to it: this Mac's earlier records when few share the name;
        // when many do, the name says nothing of which are this Mac's.
        let same_name: HashSet<Guid> = self
            .devices
            .iter()
            .filter(|d| d.device_id != device_id && !tied.contains(&d.device_id))
            .filter(|d| !older_set.contains(&d.device_id))
            .filter(|d| d.is_mac() && names.contains(&d.display_name.to_lowercase()))
            .map(|d| d.device_id)
            .collect();
        let name_shared_by = (same_name.len() > MAX_SAME_NAME_RECORDS).then_some(same_name.len());
        // Other device IDs this Mac has had: its own older ones and those
        // other records tie to it.
        let mut related: HashSet<Guid> = older_set;
        related.extend(tied);
        let other_records: Vec<EntraDevice> = self
            .devices
            .iter()
            .filter(|d| d.device_id != device_id)
            .filter(|d| {
                related.contains(&d.device_id)
                    || (name_shared_by.is_none() && same_name.contains(&d.device_id))
            })
            .cloned()
            .collect();
        let jamf_compliance = jamf_computer
            .as_ref()
            .map(|computer| {
                self.compliance
                    .iter()
                    .filter(|r| r.computer_id == computer.id)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let upns: HashSet<String> = upns.iter().map(|u| u.to_lowercase()).collect();
        let of_user = |s: &&DeviceSignIn| {
            s.upn
                .as_deref()
                .is_some_and(|u| upns.contains(&u.to_lowercase()))
        };
        let presented = |ids: &HashSet<Guid>| -> Vec<DeviceSignIn> {
            self.sign_ins
                .iter()
                .filter(|s| s.device_id.is_some_and(|id| ids.contains(&id)))
                .cloned()
                .collect()
        };
        // Every other record of this Mac (its older IDs, those Intune and
        // Jamf Pro name, its earlier objects of the same name): a sign-in
        // presenting one is a stale registration of this Mac when one of
        // its users made it (a Mac of the same name may be someone else's).
        let mut stale_ids: HashSet<Guid> = related.clone();
        stale_ids.extend(other_records.iter().map(|d: &EntraDevice| d.device_id));
        stale_ids.remove(&device_id);
        let older_id_sign_ins: Vec<DeviceSignIn> = presented(&stale_ids)
            .into_iter()
            .filter(|s| upns.is_empty() || of_user(&s))
            .collect();
        let read = |what: &str| {
            self.inputs
                .iter()
                .any(|i| i.what == what && i.state == crate::inputs::InputState::Read)
        };
        let soft_deleted = if entra.is_empty() {
            self.deleted
                .iter()
                .filter(|d| d.device_id == device_id)
                .max_by_key(|d| d.deleted)
                .cloned()
        } else {
            None
        };
        DeviceChain {
            device_id,
            soft_deleted,
            entra,
            other_records,
            name_shared_by,
            intune,
            jamf_computer,
            jamf_compliance,
            sign_ins: presented(&HashSet::from([device_id])),
            older_id_sign_ins,
            older_ids: older,
            not_presented: self
                .sign_ins
                .iter()
                .filter(|s| s.device_id.is_none() && s.refused_for_device_state())
                .filter(|s| !s.on_another_platform())
                .filter(of_user)
                .cloned()
                .collect(),
            devices_read: read(crate::tenant::entra::devices::DEVICES_INPUT),
            inventory_read: read(crate::tenant::jamf_pro::inventory::INVENTORY_INPUT),
            compliance_read: read(crate::tenant::jamf_pro::compliance::COMPLIANCE_INPUT),
            intune_read: read(crate::tenant::entra::managed_devices::MANAGED_DEVICES_INPUT),
        }
    }
}
