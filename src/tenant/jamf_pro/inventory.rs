//! Jamf Pro's computer inventory (`GET /api/v1…v3/computers-inventory`
//! pages: `{totalCount, results}`, with the sections `GENERAL`,
//! `HARDWARE`, `LOCAL_USER_ACCOUNTS`, `USER_AND_LOCATION`,
//! `EXTENSION_ATTRIBUTES`): per computer its name, serial number, last
//! inventory (`general.reportDate`), the Entra device ID the agent reported
//! for each local account (`computerAzureActiveDirectoryId`) and that
//! account's registration state (`azureActiveDirectoryId`: `ACTIVATED`,
//! `DEACTIVATED`, `UNRESPONSIVE`, `UNKNOWN`), and its extension attributes.

use crate::tenant::exports::records::node::{Fields, Node, parse_time, text};
use crate::tenant::exports::records::{ExportForm, FileRead, Shape, fields_read, read_file};
use crate::tenant::keys::Keys;
use crate::util::guid::Guid;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::path::Path;

/// How an input is named in the input list.
pub(crate) const INVENTORY_INPUT: &str = "Jamf Pro inventory";

/// One local account as the inventory reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct JamfAccount {
    /// The macOS account name.
    pub(crate) username: Box<str>,
    /// The Entra device ID the agent reported (`computerAzureActiveDirectoryId`).
    pub(crate) device_id: Option<Guid>,
    /// The Entra user (`userAzureActiveDirectoryId`).
    pub(crate) user_object_id: Option<Guid>,
    /// The agent's registration state (`azureActiveDirectoryId`).
    pub(crate) state: Box<str>,
}

/// One computer of the inventory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct JamfComputer {
    /// Jamf's computer ID.
    pub(crate) id: Box<str>,
    /// The computer's name.
    pub(crate) name: Box<str>,
    /// The serial number.
    pub(crate) serial: Box<str>,
    /// The last inventory (`general.reportDate`).
    pub(crate) report_date: Option<DateTime<FixedOffset>>,
    /// The last contact (`general.lastContact`).
    pub(crate) last_contact: Option<DateTime<FixedOffset>>,
    /// The assigned user's e-mail (`userAndLocation.email`).
    pub(crate) email: Box<str>,
    /// macOS's version (`operatingSystem.version`).
    pub(crate) os_version: Box<str>,
    /// The Jamf Pro framework's version (`general.jamfBinaryVersion`).
    pub(crate) jamf_version: Box<str>,
    /// The building (its name in a search export, its ID from the API).
    pub(crate) building: Box<str>,
    /// The department (likewise).
    pub(crate) department: Box<str>,
    /// The local accounts that the agent registered or tried to.
    pub(crate) accounts: Vec<JamfAccount>,
    /// Extension attributes with a value: name and value (values joined).
    pub(crate) extension_attributes: Vec<(Box<str>, Box<str>)>,
}

fields_read!(
    field_read,
    FIELDS_READ:
    "id",
    "general",
    "hardware",
    "localuseraccounts",
    "userandlocation",
    "operatingsystem",
    "extensionattributes",
);

/// The fields read inside each section.
fn nested_read(field: &str) -> Option<&'static [&'static str]> {
    match field {
        "general" => Some(&[
            "name",
            "reportdate",
            "lastcontact",
            "lastcontacttime",
            "lastcheckin",
            "jamfbinaryversion",
            "extensionattributes",
        ]),
        "hardware" => Some(&["serialnumber"]),
        "operatingsystem" => Some(&["version"]),
        "localuseraccounts" => Some(&[
            "username",
            "computerazureactivedirectoryid",
            "userazureactivedirectoryid",
            "azureactivedirectoryid",
        ]),
        "userandlocation" => Some(&["email", "username", "buildingid", "departmentid"]),
        "extensionattributes" => Some(&["name", "values", "value"]),
        _ => None,
    }
}

/// How a computer is read from an inventory page.
pub(crate) static JAMF_COMPUTER: Shape = Shape {
    record: "Jamf Pro computer",
    lookup: field_read,
    nested: nested_read,
    form: ExportForm::JSON_OR_CSV,
};

/// Name and value of each extension attribute in `list` that has one.
fn extension_attributes(list: &[Node], out: &mut Vec<(Box<str>, Box<str>)>) {
    for attribute in list {
        let Node::Object(fields) = attribute else {
            continue;
        };
        let fields = Fields(fields);
        let Some(name) = fields.text(&["name"]) else {
            continue;
        };
        let values: Vec<String> = match fields.get(&["values", "value"]) {
            Some(Node::List(items)) => items.iter().filter_map(text).collect(),
            Some(other) => text(other).into_iter().collect(),
            None => Vec::new(),
        };
        let value = values.join(", ");
        if !value.is_empty() {
            out.push((name.into_boxed_str(), value.into_boxed_str()));
        }
    }
}

impl JamfComputer {
    /// The computer a record describes; `None` without an ID.
    pub(crate) fn from_node(record: &Node) -> Option<JamfComputer> {
        let Node::Object(fields) = record else {
            return None;
        };
        let fields = Fields(fields);
        let general = fields.object(&["general"]);
        let general = general.as_deref().map(Fields);
        let hardware = fields.object(&["hardware"]);
        let hardware = hardware.as_deref().map(Fields);
        let user = fields.object(&["userandlocation"]);
        let user = user.as_deref().map(Fields);
        let system = fields.object(&["operatingsystem"]);
        let system = system.as_deref().map(Fields);
        let from = |section: &Option<Fields>, names: &[&str]| {
            section
                .as_ref()
                .and_then(|s| s.text(names))
                .unwrap_or_default()
                .into_boxed_str()
        };
        let time = |names: &[&str]| {
            general
                .as_ref()
                .and_then(|g| g.text(names))
                .as_deref()
                .and_then(parse_time)
        };
        let accounts = fields
            .array(&["localuseraccounts"])
            .iter()
            .filter_map(|account| match account {
                Node::Object(fields) => Some(Fields(fields)),
                _ => None,
            })
            .map(|account| JamfAccount {
                username: account
                    .text(&["username"])
                    .unwrap_or_default()
                    .into_boxed_str(),
                device_id: account
                    .text(&["computerazureactivedirectoryid"])
                    .as_deref()
                    .and_then(Guid::parse),
                user_object_id: account
                    .text(&["userazureactivedirectoryid"])
                    .as_deref()
                    .and_then(Guid::parse),
                state: account
                    .text(&["azureactivedirectoryid"])
                    .unwrap_or_default()
                    .into_boxed_str(),
            })
            .filter(|a| a.device_id.is_some() || !a.state.is_empty())
            .collect();
        let mut attributes = Vec::new();
        extension_attributes(&fields.array(&["extensionattributes"]), &mut attributes);
        if let Some(general) = &general {
            extension_attributes(&general.array(&["extensionattributes"]), &mut attributes);
        }
        Some(JamfComputer {
            id: fields.text(&["id"])?.into_boxed_str(),
            name: from(&general, &["name"]),
            serial: from(&hardware, &["serialnumber"]),
            report_date: time(&["reportdate"]),
            last_contact: time(&["lastcontact", "lastcontacttime", "lastcheckin"]),
            email: from(&user, &["email"]),
            os_version: from(&system, &["version"]),
            jamf_version: from(&general, &["jamfbinaryversion"]),
            building: from(&user, &["buildingid"]),
            department: from(&user, &["departmentid"]),
            accounts,
            extension_attributes: attributes,
        })
    }
}

/// Reads the inventory page(s) at `path`, calling `each` with every
/// computer.
pub(crate) fn read_inventory(path: &Path, each: &mut dyn FnMut(&JamfComputer)) -> FileRead {
    read_file(
        path,
        INVENTORY_INPUT,
        &JAMF_COMPUTER,
        |node| JamfComputer::from_node(&node),
        each,
    )
}

impl JamfComputer {
    /// Whether the computer belongs to `keys`: its agent reported one of
    /// the device IDs, or it has one of the computer IDs, serial numbers,
    /// names or users.
    pub(crate) fn belongs(&self, keys: &Keys) -> bool {
        self.accounts
            .iter()
            .any(|a| a.device_id.is_some_and(|id| keys.device_ids.has(&id)))
            || keys.computer_ids.has(&self.id)
            || keys.serials.has(&self.serial)
            || keys.names.has(&self.name)
            || keys.users.has(&self.email)
    }

    /// Adds what a kept computer reveals: its ID, serial number, name and
    /// the device IDs its agent reported.
    pub(crate) fn reveal(&self, keys: &mut Keys) {
        keys.computer_ids.add(&self.id);
        keys.serials.add(&self.serial);
        keys.names.add(&self.name);
        keys.device_ids
            .extend(self.accounts.iter().filter_map(|a| a.device_id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inventory_page_with_every_section_read() {
        let page = r#"{"totalCount":2,"results":[
            {"id":"12","udid":"x","general":{"name":"Jane's MacBook","reportDate":"2026-11-16T08:00:00.123Z","lastContact":"2026-11-20T07:00:00Z","platform":"Mac","jamfBinaryVersion":"11.22.1-t1761234567","extensionAttributes":[{"definitionId":"3","name":"ca-doctor status","values":["at-risk: appsso-not-appsso-url"]}]},
             "hardware":{"serialNumber":"C02XK1JHJG5H","model":"MacBook Pro"},
             "userAndLocation":{"username":"jane","email":"jane@contoso.com","buildingId":"3","departmentId":"-1"},
             "operatingSystem":{"name":"macOS","version":"15.1.1","build":"24B91"},
             "localUserAccounts":[{"uid":"501","username":"jane","computerAzureActiveDirectoryId":"7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b","userAzureActiveDirectoryId":"fa417c32-4128-4c35-87a7-8b2930fd4b5d","azureActiveDirectoryId":"ACTIVATED"},{"uid":"502","username":"admin","azureActiveDirectoryId":""}],
             "extensionAttributes":[{"definitionId":"4","name":"ca-doctor last success","values":["2026-11-19 10:00:00"]},{"name":"empty","values":[]}]},
            {"id":"13","general":{"name":"Lab Mac"}}]}"#;
        let (computers, read) = crate::tenant::exports::records::read_text(page, read_inventory);
        assert_eq!(read.records, 2);
        let jane = &computers[0];
        assert_eq!(
            (&*jane.id, &*jane.name, &*jane.serial),
            ("12", "Jane's MacBook", "C02XK1JHJG5H")
        );
        assert_eq!(
            jane.report_date.unwrap().to_rfc3339(),
            "2026-11-16T08:00:00.123+00:00"
        );
        assert_eq!(&*jane.email, "jane@contoso.com");
        assert_eq!(
            (&*jane.os_version, &*jane.jamf_version, &*jane.building),
            ("15.1.1", "11.22.1-t1761234567", "3")
        );
        assert_eq!(jane.accounts.len(), 1, "the admin account never registered");
        assert_eq!(
            jane.accounts[0].device_id.unwrap().to_string(),
            "7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b"
        );
        assert_eq!(&*jane.accounts[0].state, "ACTIVATED");
        let names: Vec<&str> = jane
            .extension_attributes
            .iter()
            .map(|(n, _)| &**n)
            .collect();
        assert_eq!(names, ["ca-doctor last success", "ca-doctor status"]);
        assert!(computers[1].accounts.is_empty() && computers[1].serial.is_empty());
    }
}
