//! Intune's managed devices: Graph `GET /deviceManagement/managedDevices`
//! (JSON pages) and the Intune admin center's CSV export. The link to the
//! device chain is `azureADDeviceId` (the Entra device ID); the serial
//! number links to Jamf Pro's inventory. Macs whose compliance comes from
//! Jamf (`managementAgent` `jamf`) may be absent altogether on Jamf Pro
//! 11.5 and later.

use crate::tenant::exports::records::node::{Fields, Node, parse_time};
use crate::tenant::exports::records::{
    ExportForm, FileRead, Shape, fields_read, read_file, whole_fields,
};
use crate::tenant::keys::Keys;
use crate::util::guid::Guid;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::path::Path;

/// How an input is named in the input list.
pub(crate) const MANAGED_DEVICES_INPUT: &str = "Intune managed device export";

/// One Intune managed device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct ManagedDevice {
    /// Intune's own ID (`id`; the CSV's `Device ID`): not the Entra one.
    pub(crate) intune_id: Box<str>,
    /// The Entra device ID (`azureADDeviceId`).
    pub(crate) device_id: Option<Guid>,
    /// The device's name.
    pub(crate) name: Box<str>,
    /// The serial number.
    pub(crate) serial: Box<str>,
    /// `complianceState` (`compliant`, `noncompliant`, `unknown`,
    /// `inGracePeriod`…), as written.
    pub(crate) compliance: Box<str>,
    /// `managementAgent` (`jamf`, `mdm`…).
    pub(crate) management_agent: Box<str>,
    /// The last check-in with Intune.
    pub(crate) last_sync: Option<DateTime<FixedOffset>>,
    /// The primary user.
    pub(crate) upn: Box<str>,
    /// The operating system.
    pub(crate) operating_system: Box<str>,
}

fields_read!(
    field_read,
    FIELDS_READ:
    "id",
    "deviceid",
    "azureaddeviceid",
    "microsoftentradeviceid",
    "entradeviceid",
    "devicename",
    "serialnumber",
    "compliancestate",
    "compliance",
    "managementagent",
    "managedby",
    "lastsyncdatetime",
    "lastcheckin",
    "userprincipalname",
    "primaryuserupn",
    "operatingsystem",
    "os",
);

/// How a managed device is read from an export.
pub(crate) static MANAGED_DEVICE: Shape = Shape {
    record: "Intune managed device",
    lookup: field_read,
    nested: whole_fields,
    form: ExportForm::JSON_OR_CSV,
};

impl ManagedDevice {
    /// The managed device a record describes; `None` when it names neither
    /// an Intune ID nor a device ID.
    pub(crate) fn from_node(record: &Node) -> Option<ManagedDevice> {
        let Node::Object(fields) = record else {
            return None;
        };
        let fields = Fields(fields);
        let text = |names: &[&str]| fields.text(names).unwrap_or_default().into_boxed_str();
        let device = ManagedDevice {
            intune_id: text(&["id", "deviceid"]),
            device_id: fields
                .text(&["azureaddeviceid", "microsoftentradeviceid", "entradeviceid"])
                .as_deref()
                .and_then(Guid::parse)
                .filter(|id| !id.is_nil()),
            name: text(&["devicename"]),
            serial: text(&["serialnumber"]),
            compliance: text(&["compliancestate", "compliance"]),
            management_agent: text(&["managementagent", "managedby"]),
            last_sync: fields
                .text(&["lastsyncdatetime", "lastcheckin"])
                .as_deref()
                .and_then(parse_time),
            upn: text(&["userprincipalname", "primaryuserupn"]),
            operating_system: text(&["operatingsystem", "os"]),
        };
        (!device.intune_id.is_empty() || device.device_id.is_some()).then_some(device)
    }

    /// Whether Intune says the device is compliant (`None`: it does not say).
    pub(crate) fn compliant(&self) -> Option<bool> {
        match self
            .compliance
            .to_ascii_lowercase()
            .replace([' ', '-', '_'], "")
            .as_str()
        {
            "compliant" => Some(true),
            "noncompliant" | "notcompliant" | "conflict" | "error" => Some(false),
            _ => None,
        }
    }
}

/// Reads the managed-device export at `path`, calling `each` with every
/// device.
pub(crate) fn read_managed_devices(path: &Path, each: &mut dyn FnMut(&ManagedDevice)) -> FileRead {
    read_file(
        path,
        MANAGED_DEVICES_INPUT,
        &MANAGED_DEVICE,
        |node| ManagedDevice::from_node(&node),
        each,
    )
}

impl ManagedDevice {
    /// Whether Intune's record belongs to `keys`: one of the device IDs or
    /// serial numbers.
    pub(crate) fn belongs(&self, keys: &Keys) -> bool {
        self.device_id.is_some_and(|id| keys.device_ids.has(&id)) || keys.serials.has(&self.serial)
    }

    /// Adds what a kept record reveals: its device ID and serial number.
    pub(crate) fn reveal(&self, keys: &mut Keys) {
        keys.device_ids.extend(self.device_id);
        keys.serials.add(&self.serial);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<ManagedDevice> {
        let (devices, read) =
            crate::tenant::exports::records::read_text(text, read_managed_devices);
        assert!(read.input.is_some());
        devices
    }

    #[test]
    fn graph_and_the_intune_csv_read_alike() {
        let graph = r#"{"value":[{"id":"a1b2c3d4-0000-4000-8000-000000000001","deviceName":"Jane's MacBook","azureADDeviceId":"7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b","serialNumber":"C02XK1JHJG5H","complianceState":"noncompliant","managementAgent":"jamf","lastSyncDateTime":"2026-11-19T08:00:00Z","userPrincipalName":"jane@contoso.com","operatingSystem":"macOS"}]}"#;
        let csv = "Device ID,Device name,Enrollment date,Last check-in,Azure AD Device ID,OS version,Serial number,Primary user UPN,OS,Compliance,Managed by\na1b2c3d4-0000-4000-8000-000000000001,Jane's MacBook,2026-09-01 09:00:00,2026-11-19 08:00:00,7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b,15.1,C02XK1JHJG5H,jane@contoso.com,macOS,Noncompliant,Jamf\n";
        for (name, text) in [("graph", graph), ("csv", csv)] {
            let devices = read(text);
            assert_eq!(devices.len(), 1, "{name}");
            let device = &devices[0];
            assert_eq!(
                &*device.intune_id, "a1b2c3d4-0000-4000-8000-000000000001",
                "{name}"
            );
            assert_eq!(
                device.device_id.unwrap().to_string(),
                "7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b",
                "{name}"
            );
            assert_eq!(&*device.serial, "C02XK1JHJG5H", "{name}");
            assert_eq!(device.compliant(), Some(false), "{name}");
            assert!(
                device.management_agent.eq_ignore_ascii_case("jamf"),
                "{name}"
            );
            assert_eq!(
                device.last_sync.unwrap().to_rfc3339(),
                "2026-11-19T08:00:00+00:00",
                "{name}"
            );
        }
        let unknown = read(
            r#"[{"id":"x","complianceState":"inGracePeriod","azureADDeviceId":"00000000-0000-0000-0000-000000000000"}]"#,
        );
        assert_eq!(unknown[0].compliant(), None);
        assert_eq!(unknown[0].device_id, None, "a nil ID links nothing");
    }
}
