//! Entra ID's device objects, from every export admins make of them: Graph
//! `GET /devices` (v1.0, beta; pages), `Get-MgDevice` (PascalCase),
//! the retired `Get-AzureADDevice` (`ObjectId`, `DeviceTrustType`,
//! `ApproximateLastLogonTimeStamp`…) and the admin center's "Download
//! devices" CSV (`joinType (trustType)` in words). Keys match in any case;
//! a missing field is unknown.

use crate::tenant::exports::records::node::{Fields, Node, flag, parse_time};
use crate::tenant::exports::records::{
    ExportForm, FileRead, Shape, fields_read, read_file, whole_fields,
};
use crate::tenant::keys::Keys;
use crate::util::guid::Guid;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::path::Path;

/// How an input is named in the input list.
pub(crate) const DEVICES_INPUT: &str = "Entra device export";
/// How an export of soft-deleted devices is named in the input list.
pub(crate) const DELETED_DEVICES_INPUT: &str = "Entra deleted devices export";

/// How a device is joined to Entra ID (`trustType`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum TrustType {
    /// `Workplace`: registered (Company Portal, the Jamf integration).
    Registered,
    /// `AzureAd`: joined (Platform SSO).
    Joined,
    /// `ServerAd`: hybrid joined.
    HybridJoined,
    /// Something else, as written.
    Other(String),
}

impl TrustType {
    /// Reads Graph's value or the admin center's words.
    fn parse(text: &str) -> TrustType {
        let lower = text.trim().to_ascii_lowercase();
        if lower == "workplace" || lower.ends_with(" registered") {
            TrustType::Registered
        } else if lower == "serverad" || lower.contains("hybrid") {
            TrustType::HybridJoined
        } else if lower == "azuread" || lower.ends_with(" joined") {
            TrustType::Joined
        } else {
            TrustType::Other(text.trim().to_string())
        }
    }

    /// In words.
    pub(crate) fn describe(&self) -> &str {
        match self {
            TrustType::Registered => "registered (Workplace)",
            TrustType::Joined => "joined (AzureAd)",
            TrustType::HybridJoined => "hybrid joined (ServerAd)",
            TrustType::Other(text) => text,
        }
    }
}

/// One Entra device object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct EntraDevice {
    /// The device ID (`deviceId`): the key of the device chain.
    pub(crate) device_id: Guid,
    /// The directory object ID (`id`, `ObjectId`): not the device ID.
    pub(crate) object_id: Option<Guid>,
    /// The display name (the Mac's name).
    pub(crate) display_name: Box<str>,
    /// `accountEnabled`: false denies the device's sign-ins.
    pub(crate) account_enabled: Option<bool>,
    /// `isCompliant`.
    pub(crate) is_compliant: Option<bool>,
    /// `isManaged`.
    pub(crate) is_managed: Option<bool>,
    /// `trustType`.
    pub(crate) trust_type: Option<TrustType>,
    /// `operatingSystem` (`MacMDM` for Company Portal's registration,
    /// `macOS` for Platform SSO's).
    pub(crate) operating_system: Box<str>,
    /// `operatingSystemVersion`.
    pub(crate) os_version: Box<str>,
    /// `approximateLastSignInDateTime` (refreshed about every 14 days).
    pub(crate) last_sign_in: Option<DateTime<FixedOffset>>,
    /// `registrationDateTime`.
    pub(crate) registered: Option<DateTime<FixedOffset>>,
    /// The MDM (`mdmDisplayName`, else `mdmAppId`).
    pub(crate) mdm: Box<str>,
    /// `deletedDateTime`: when a soft-deleted object was deleted (Graph's
    /// `directory/deletedItems/microsoft.graph.device`).
    pub(crate) deleted: Option<DateTime<FixedOffset>>,
}

impl EntraDevice {
    /// Whether the object describes a Mac.
    pub(crate) fn is_mac(&self) -> bool {
        let os = self.operating_system.to_ascii_lowercase();
        os.contains("mac") || os == "osx" || os.contains("os x")
    }
}

fields_read!(
    field_read,
    FIELDS_READ:
    "deviceid",
    "id",
    "objectid",
    "displayname",
    "accountenabled",
    "iscompliant",
    "ismanaged",
    "trusttype",
    "devicetrusttype",
    "jointypetrusttype",
    "jointype",
    "operatingsystem",
    "deviceostype",
    "operatingsystemversion",
    "deviceosversion",
    "approximatelastsignindatetime",
    "approximatelastlogontimestamp",
    "registrationdatetime",
    "registrationtime",
    "mdmdisplayname",
    "mdmappid",
    "deleteddatetime",
);

/// How a device object is read from an export.
pub(crate) static ENTRA_DEVICE: Shape = Shape {
    record: "Entra device",
    lookup: field_read,
    nested: whole_fields,
    form: ExportForm::JSON_OR_CSV,
};

impl EntraDevice {
    /// The device a record describes; `None` when it has no device ID.
    pub(crate) fn from_node(record: &Node) -> Option<EntraDevice> {
        let Node::Object(fields) = record else {
            return None;
        };
        let fields = Fields(fields);
        let text = |names: &[&str]| fields.text(names).unwrap_or_default().into_boxed_str();
        let time = |names: &[&str]| fields.text(names).as_deref().and_then(parse_time);
        Some(EntraDevice {
            device_id: Guid::parse(&fields.text(&["deviceid"])?)?,
            object_id: fields
                .text(&["id", "objectid"])
                .as_deref()
                .and_then(Guid::parse),
            display_name: text(&["displayname"]),
            account_enabled: fields.get(&["accountenabled"]).and_then(flag),
            is_compliant: fields.get(&["iscompliant"]).and_then(flag),
            is_managed: fields.get(&["ismanaged"]).and_then(flag),
            trust_type: fields
                .text(&[
                    "trusttype",
                    "devicetrusttype",
                    "jointypetrusttype",
                    "jointype",
                ])
                .map(|t| TrustType::parse(&t)),
            operating_system: text(&["operatingsystem", "deviceostype"]),
            os_version: text(&["operatingsystemversion", "deviceosversion"]),
            last_sign_in: time(&[
                "approximatelastsignindatetime",
                "approximatelastlogontimestamp",
            ]),
            registered: time(&["registrationdatetime", "registrationtime"]),
            mdm: text(&["mdmdisplayname", "mdmappid"]),
            deleted: time(&["deleteddatetime"]),
        })
    }
}

/// Reads the device export at `path`, calling `each` with every device.
pub(crate) fn read_devices(path: &Path, each: &mut dyn FnMut(&EntraDevice)) -> FileRead {
    read_file(
        path,
        DEVICES_INPUT,
        &ENTRA_DEVICE,
        |node| EntraDevice::from_node(&node),
        each,
    )
}

/// Reads the export of soft-deleted devices at `path` (Graph's
/// `GET /beta/directory/deletedItems/microsoft.graph.device`: device
/// objects with `deletedDateTime`), calling `each` with every device.
pub(crate) fn read_deleted_devices(path: &Path, each: &mut dyn FnMut(&EntraDevice)) -> FileRead {
    read_file(
        path,
        DELETED_DEVICES_INPUT,
        &ENTRA_DEVICE,
        |node| EntraDevice::from_node(&node),
        each,
    )
}

impl EntraDevice {
    /// Whether Entra's object belongs to `keys`: one of the device IDs, or
    /// a Mac of one of the names (an earlier registration of the Mac).
    pub(crate) fn belongs(&self, keys: &Keys) -> bool {
        keys.device_ids.has(&self.device_id)
            || (self.is_mac() && keys.names.has(&self.display_name))
    }

    /// Adds what a kept object reveals: the name of a device ID's object,
    /// and the device ID of a Mac kept by its name (an earlier
    /// registration, whose sign-ins are the Mac's too).
    pub(crate) fn reveal(&self, keys: &mut Keys) {
        if keys.device_ids.has(&self.device_id) {
            keys.names.add(&self.display_name);
        } else if self.belongs(keys) {
            keys.device_ids.add(self.device_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Vec<EntraDevice>, FileRead) {
        crate::tenant::exports::records::read_text(text, read_devices)
    }

    #[test]
    fn graph_powershell_azure_ad_and_the_admin_center_read_alike() {
        let graph = r#"{"@odata.context":"x","value":[{"id":"6a59ea83-02bd-468f-a40b-f2c3d1821983","deviceId":"7C1E9A40-2D3B-4E5F-8A6B-7C8D9E0F1A2B","displayName":"Jane's MacBook","accountEnabled":true,"isCompliant":false,"isManaged":true,"trustType":"Workplace","operatingSystem":"MacMDM","operatingSystemVersion":"15.1","approximateLastSignInDateTime":"2026-11-02T09:00:00Z","registrationDateTime":"2026-09-01T09:00:00Z","mdmAppId":"0000000a-0000-0000-c000-000000000000"}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/devices?$skiptoken=x"}"#;
        let mg = r#"[{"Id":"6a59ea83-02bd-468f-a40b-f2c3d1821983","DeviceId":"7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b","DisplayName":"Jane's MacBook","AccountEnabled":true,"IsCompliant":false,"IsManaged":true,"TrustType":"Workplace","OperatingSystem":"MacMDM","OperatingSystemVersion":"15.1","ApproximateLastSignInDateTime":"2026-11-02T09:00:00Z","RegistrationDateTime":"2026-09-01T09:00:00Z","MdmAppId":"0000000a-0000-0000-c000-000000000000"}]"#;
        let azure_ad = r#"[{"ObjectId":"6a59ea83-02bd-468f-a40b-f2c3d1821983","DeviceId":"7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b","DisplayName":"Jane's MacBook","AccountEnabled":true,"IsCompliant":false,"IsManaged":true,"DeviceTrustType":"Workplace","DeviceOSType":"MacMDM","DeviceOSVersion":"15.1","ApproximateLastLogonTimeStamp":"/Date(1793610000000)/"}]"#;
        let csv = "displayName,accountEnabled,operatingSystem,operatingSystemVersion,joinType (trustType),registeredOwners,userNames,mdmDisplayName,isCompliant,registrationTime,approximateLastSignInDateTime,deviceId,isManaged,objectId,profileType,systemLabels,model\n\"Jane's MacBook\",True,MacMDM,15.1,Microsoft Entra registered,Jane Doe,jane@contoso.com,Microsoft Intune,False,2026-09-01T09:00:00Z,2026-11-02T09:00:00Z,7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b,True,6a59ea83-02bd-468f-a40b-f2c3d1821983,RegisteredDevice,,MacBookPro18\n";
        for (name, text) in [
            ("graph", graph),
            ("mg", mg),
            ("azure ad", azure_ad),
            ("csv", csv),
        ] {
            let (devices, read) = read(text);
            assert_eq!(read.records, 1, "{name}: {:?}", read.input);
            let device = &devices[0];
            assert_eq!(
                device.device_id.to_string(),
                "7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b",
                "{name}"
            );
            assert_eq!(
                device.object_id.unwrap().to_string(),
                "6a59ea83-02bd-468f-a40b-f2c3d1821983",
                "{name}"
            );
            assert_eq!(&*device.display_name, "Jane's MacBook", "{name}");
            assert_eq!(device.account_enabled, Some(true), "{name}");
            assert_eq!(device.is_compliant, Some(false), "{name}");
            assert_eq!(device.trust_type, Some(TrustType::Registered), "{name}");
            assert!(device.is_mac(), "{name}");
            assert_eq!(
                device.last_sign_in.unwrap().to_rfc3339(),
                "2026-11-02T09:00:00+00:00",
                "{name}"
            );
        }
    }

    #[test]
    fn join_types_in_words_and_records_without_a_device_id() {
        assert_eq!(
            TrustType::parse("Microsoft Entra joined"),
            TrustType::Joined
        );
        assert_eq!(
            TrustType::parse("Azure AD registered"),
            TrustType::Registered
        );
        assert_eq!(
            TrustType::parse("Microsoft Entra hybrid joined"),
            TrustType::HybridJoined
        );
        assert_eq!(TrustType::parse("AzureAd"), TrustType::Joined);
        assert_eq!(TrustType::parse("odd"), TrustType::Other("odd".into()));
        // The documented example has a nil device ID: kept as written;
        // a record with none is skipped.
        let (devices, read) = read(
            r#"{"value":[{"deviceId":"00000000-0000-0000-0000-000000000000","Manufacturer":"Google"},{"displayName":"no id"}]}"#,
        );
        assert_eq!((devices.len(), read.skipped), (1, 1));
    }
}
