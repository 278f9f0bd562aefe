//! Jamf Pro's device-compliance information
//! (`GET /api/v1/conditional-access/device-compliance-information/computer/{id}`):
//! per computer, its compliance state as Jamf sends it to each vendor
//! (Intune), and the vendor's device IDs. Jamf's schema says one object,
//! its example shows an array (and `complianceVendorDeviceInformation` as
//! an array too): both are read, from one response, a folder of them or
//! responses one per line. `deviceId` there is Jamf's computer ID.

use crate::tenant::exports::records::node::{Fields, Node, flag};
use crate::tenant::exports::records::{
    ExportForm, FileRead, Shape, fields_read, read_file, whole_fields,
};
use crate::tenant::keys::Keys;
use crate::util::guid::Guid;
use serde::Serialize;
use std::path::Path;

/// How an input is named in the input list.
pub(crate) const COMPLIANCE_INPUT: &str = "Jamf Pro compliance information";

/// Jamf's compliance state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum JamfComplianceState {
    /// `COMPLIANT`.
    Compliant,
    /// `NON_COMPLIANT`.
    NonCompliant,
    /// `UNKNOWN` (being calculated) or anything else.
    Unknown,
}

impl JamfComplianceState {
    /// As Jamf writes it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            JamfComplianceState::Compliant => "COMPLIANT",
            JamfComplianceState::NonCompliant => "NON_COMPLIANT",
            JamfComplianceState::Unknown => "UNKNOWN",
        }
    }
}

/// One compliance record of one computer for one vendor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct JamfCompliance {
    /// Jamf's computer ID (the record's `deviceId`).
    pub(crate) computer_id: Box<str>,
    /// `applicable`: false when the computer is outside the compliance
    /// group's scope.
    pub(crate) applicable: Option<bool>,
    /// The state Jamf sends.
    pub(crate) state: JamfComplianceState,
    /// The vendor (`Intune`…).
    pub(crate) vendor: Box<str>,
    /// The vendor's device IDs (Entra device IDs for Intune).
    pub(crate) vendor_device_ids: Vec<Guid>,
}

fields_read!(
    field_read,
    FIELDS_READ:
    "deviceid",
    "computerid",
    "applicable",
    "compliancestate",
    "compliancevendor",
    "compliancevendordeviceinformation",
);

/// How a compliance record is read from a response.
pub(crate) static JAMF_COMPLIANCE: Shape = Shape {
    record: "Jamf Pro compliance",
    lookup: field_read,
    nested: whole_fields,
    form: ExportForm::JSON_OR_CSV,
};

/// Every GUID in the text values of `node`, at any depth.
fn guids_in(node: &Node, out: &mut Vec<Guid>) {
    match node {
        Node::Text(text) => {
            for guid in Guid::find_all(text) {
                if !out.contains(&guid) {
                    out.push(guid);
                }
            }
        }
        Node::List(items) => items.iter().for_each(|n| guids_in(n, out)),
        Node::Object(fields) => fields.iter().for_each(|(_, n)| guids_in(n, out)),
        _ => {}
    }
}

impl JamfCompliance {
    /// The record a node describes; `None` without a computer ID and state.
    pub(crate) fn from_node(record: &Node) -> Option<JamfCompliance> {
        let Node::Object(fields) = record else {
            return None;
        };
        let fields = Fields(fields);
        let state = fields.text(&["compliancestate"])?;
        let mut vendor_device_ids = Vec::new();
        if let Some(information) = fields.get(&["compliancevendordeviceinformation"]) {
            guids_in(information, &mut vendor_device_ids);
        }
        Some(JamfCompliance {
            computer_id: fields.text(&["computerid", "deviceid"])?.into_boxed_str(),
            applicable: fields.get(&["applicable"]).and_then(flag),
            state: match state.to_ascii_uppercase().replace([' ', '-'], "_").as_str() {
                "COMPLIANT" => JamfComplianceState::Compliant,
                "NON_COMPLIANT" | "NONCOMPLIANT" => JamfComplianceState::NonCompliant,
                _ => JamfComplianceState::Unknown,
            },
            vendor: fields
                .text(&["compliancevendor"])
                .unwrap_or_default()
                .into_boxed_str(),
            vendor_device_ids,
        })
    }
}

/// Reads the compliance response(s) at `path`, calling `each` with every
/// record.
pub(crate) fn read_compliance(path: &Path, each: &mut dyn FnMut(&JamfCompliance)) -> FileRead {
    read_file(
        path,
        COMPLIANCE_INPUT,
        &JAMF_COMPLIANCE,
        |node| JamfCompliance::from_node(&node),
        each,
    )
}

impl JamfCompliance {
    /// Whether the record belongs to `keys`: of one of the computers, or
    /// naming one of the device IDs.
    pub(crate) fn belongs(&self, keys: &Keys) -> bool {
        keys.computer_ids.has(&self.computer_id)
            || self
                .vendor_device_ids
                .iter()
                .any(|id| keys.device_ids.has(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<JamfCompliance> {
        crate::tenant::exports::records::read_text(text, read_compliance).0
    }

    #[test]
    fn jamf_s_example_the_schema_s_object_and_one_response_per_line() {
        // Jamf's documented example (its IDs are placeholders, no GUIDs).
        let example = r#"[{"deviceId":"1","applicable":true,"complianceState":"COMPLIANT","complianceVendor":"Vendor A","complianceVendorDeviceInformation":[{"deviceIds":["device-id-1","device-id-2"]}]},{"deviceId":"1","applicable":false,"complianceState":"NON_COMPLIANT","complianceVendor":"Vendor B","complianceVendorDeviceInformation":[{"deviceIds":[]}]}]"#;
        let records = read(example);
        assert_eq!(records.len(), 2);
        assert_eq!(&*records[0].computer_id, "1");
        assert_eq!(records[0].state, JamfComplianceState::Compliant);
        assert_eq!(records[1].applicable, Some(false));
        assert!(records[0].vendor_device_ids.is_empty());
        let lines = "{\"deviceId\":\"12\",\"applicable\":true,\"complianceState\":\"NON_COMPLIANT\",\"complianceVendor\":\"Intune\",\"complianceVendorDeviceInformation\":{\"deviceIds\":[\"7C1E9A40-2D3B-4E5F-8A6B-7C8D9E0F1A2B\"]}}\n[{\"deviceId\":\"13\",\"complianceState\":\"UNKNOWN\"}]\n";
        let records = read(lines);
        assert_eq!(records.len(), 2);
        assert_eq!(
            records[0].vendor_device_ids[0].to_string(),
            "7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b"
        );
        assert_eq!(records[0].state, JamfComplianceState::NonCompliant);
        assert_eq!(&*records[1].computer_id, "13");
        assert_eq!(records[1].state, JamfComplianceState::Unknown);
    }
}
