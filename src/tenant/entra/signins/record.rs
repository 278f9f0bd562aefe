//! One sign-in as ca-doctor uses it, whatever export it came from: Graph
//! (v1.0, beta), Graph PowerShell, the admin center (JSON, CSV) or Log
//! Analytics. Field names match case-insensitively and without punctuation
//! (`Application ID `, `appId` and `AppId` are one field); nested objects
//! may come as JSON text (Log Analytics); a missing field is unknown, never
//! an error.

use crate::tenant::exports::records::node::{Fields, Node, code, flag, parse_time, text};
use crate::tenant::exports::records::{ExportForm, Shape, fields_read};
use crate::tenant::keys::Keys;
use crate::util::guid::Guid;
use chrono::{DateTime, FixedOffset};
#[cfg(test)]
use serde_json::Value;

/// A Conditional Access policy as applied to one sign-in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct AppliedPolicy {
    /// The policy's display name.
    pub(crate) name: String,
    /// `success`, `failure`, `notApplied`, `reportOnlyFailure`…
    pub(crate) result: String,
}

/// One sign-in record.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct SignIn {
    /// When it happened.
    pub(crate) time: Option<DateTime<FixedOffset>>,
    /// The user principal name.
    pub(crate) upn: Option<String>,
    /// The user's display name.
    pub(crate) user_name: Option<String>,
    /// The client app's ID.
    pub(crate) app_id: Option<String>,
    /// The client app's name.
    pub(crate) app_name: Option<String>,
    /// The resource asked for.
    pub(crate) resource: Option<String>,
    /// The correlation ID (the MSAL one on the Mac).
    pub(crate) correlation_id: Option<String>,
    /// The error code: 0 for success; `None` when the record has none.
    pub(crate) error_code: Option<i64>,
    /// Entra's reason for a failure.
    pub(crate) failure_reason: Option<String>,
    /// Single- or multi-factor authentication.
    pub(crate) auth_requirement: Option<String>,
    /// `ropc` for a password grant (beta, Log Analytics).
    pub(crate) auth_protocol: Option<String>,
    /// The tenant that owns the app (`appOwnerTenantId`): Microsoft's for
    /// its own apps.
    pub(crate) app_owner_tenant: Option<String>,
    /// The device's operating system.
    pub(crate) device_os: Option<String>,
    /// Whether the device was compliant.
    pub(crate) device_compliant: Option<bool>,
    /// The device presented (`deviceDetail.deviceId`); none when the
    /// browser or app did not present one.
    pub(crate) device_id: Option<Guid>,
    /// The device's name as Entra knows it.
    pub(crate) device_name: Option<String>,
    /// The browser (`Chrome 120.0.0`), when a browser signed in.
    pub(crate) browser: Option<String>,
    /// Whether the device is managed.
    pub(crate) device_managed: Option<bool>,
    /// The device's join type (`trustType`).
    pub(crate) device_trust: Option<String>,
    /// The Conditional Access status (`success`, `failure`, `notApplied`).
    pub(crate) ca_status: Option<String>,
    /// Every policy applied, with its result.
    pub(crate) policies: Vec<AppliedPolicy>,
}

fields_read!(
    field_read,
    FIELDS_READ:
    "createddatetime",
    "timegenerated",
    "timegeneratedutc",
    "dateutc",
    "date",
    "userprincipalname",
    "username",
    "userdisplayname",
    "user",
    "appid",
    "applicationid",
    "appdisplayname",
    "application",
    "resourcedisplayname",
    "resource",
    "correlationid",
    "status",
    "resulttype",
    "signinerrorcode",
    "errorcode",
    "resultdescription",
    "failurereason",
    "authenticationrequirement",
    "authenticationprotocol",
    "appownertenantid",
    "devicedetail",
    "operatingsystem",
    "compliant",
    "iscompliant",
    "deviceid",
    "browser",
    "managed",
    "jointype",
    "conditionalaccessstatus",
    "conditionalaccess",
    "appliedconditionalaccesspolicies",
    "conditionalaccesspolicies",
);

/// How a sign-in is read from an export.
pub(crate) static SIGN_IN: Shape = Shape {
    record: "sign-in",
    lookup: field_read,
    nested: nested_fields_read,
    form: ExportForm::JSON_OR_CSV,
};

/// The fields read inside a nested field (normal keys), when only some are.
pub(crate) fn nested_fields_read(normal_key: &str) -> Option<&'static [&'static str]> {
    match normal_key {
        "status" => Some(&["errorcode", "failurereason"]),
        "devicedetail" => Some(&[
            "operatingsystem",
            "iscompliant",
            "deviceid",
            "displayname",
            "browser",
            "ismanaged",
            "trusttype",
        ]),
        "appliedconditionalaccesspolicies" | "conditionalaccesspolicies" => {
            Some(&["displayname", "result"])
        }
        _ => None,
    }
}

impl SignIn {
    /// The sign-in a JSON value describes; `None` when it is no object.
    #[cfg(test)]
    pub(crate) fn from_value(value: &Value) -> Option<SignIn> {
        SignIn::from_node(&Node::of_json(value))
    }

    /// The sign-in a record describes; `None` when it is no object.
    pub(crate) fn from_node(record: &Node) -> Option<SignIn> {
        let Node::Object(fields) = record else {
            return None;
        };
        let fields = Fields(fields);
        let status = fields.object(&["status"]);
        let status = status.as_deref().map(Fields);
        let device = fields.object(&["devicedetail"]);
        let device = device.as_deref().map(Fields);
        let from_status = |names: &[&str]| status.as_ref().and_then(|s| s.get(names));
        let error_code = from_status(&["errorcode"])
            .or_else(|| fields.get(&["resulttype", "signinerrorcode", "errorcode"]))
            .and_then(code)
            .or_else(|| {
                // The admin center's `Status` column: Success / Failure / Interrupted.
                match fields.text(&["status"])?.to_ascii_lowercase().as_str() {
                    "success" => Some(0),
                    _ => None,
                }
            });
        let failure_reason = from_status(&["failurereason"])
            .and_then(text)
            .or_else(|| fields.text(&["resultdescription", "failurereason"]))
            .filter(|t| !t.is_empty());
        let device_os = device
            .as_ref()
            .and_then(|d| d.text(&["operatingsystem"]))
            .or_else(|| fields.text(&["operatingsystem"]));
        let from_device = |names: &[&str]| device.as_ref().and_then(|d| d.text(names));
        let device_id = from_device(&["deviceid"])
            .or_else(|| fields.text(&["deviceid"]))
            .as_deref()
            .and_then(Guid::parse)
            .filter(|id| !id.is_nil());
        let device_name = from_device(&["displayname"]);
        let browser = from_device(&["browser"]).or_else(|| fields.text(&["browser"]));
        let device_managed = device
            .as_ref()
            .and_then(|d| d.get(&["ismanaged"]))
            .or_else(|| fields.get(&["managed"]))
            .and_then(flag);
        let device_trust = from_device(&["trusttype"]).or_else(|| fields.text(&["jointype"]));
        let device_compliant = device
            .as_ref()
            .and_then(|d| d.get(&["iscompliant"]))
            .or_else(|| fields.get(&["compliant", "iscompliant"]))
            .and_then(flag);
        let policies = fields
            .array(&[
                "appliedconditionalaccesspolicies",
                "conditionalaccesspolicies",
            ])
            .iter()
            .filter_map(|p| match p {
                Node::Object(fields) => Some(Fields(fields)),
                _ => None,
            })
            .map(|p| AppliedPolicy {
                name: p.text(&["displayname"]).unwrap_or_default(),
                result: p.text(&["result"]).unwrap_or_default(),
            })
            .collect();
        Some(SignIn {
            time: fields
                .text(&[
                    "createddatetime",
                    "timegenerated",
                    "timegeneratedutc",
                    "dateutc",
                    "date",
                ])
                .as_deref()
                .and_then(parse_time),
            upn: fields.text(&["userprincipalname", "username"]),
            user_name: fields.text(&["userdisplayname", "user"]),
            app_id: fields.text(&["appid", "applicationid"]),
            app_name: fields.text(&["appdisplayname", "application"]),
            resource: fields.text(&["resourcedisplayname", "resource"]),
            correlation_id: fields.text(&["correlationid"]).map(|mut id| {
                id.make_ascii_uppercase();
                id
            }),
            error_code,
            failure_reason,
            auth_requirement: fields.text(&["authenticationrequirement"]),
            auth_protocol: fields.text(&["authenticationprotocol"]),
            app_owner_tenant: fields.text(&["appownertenantid"]),
            device_os,
            device_compliant,
            device_id,
            device_name,
            browser,
            device_managed,
            device_trust,
            ca_status: fields.text(&["conditionalaccessstatus", "conditionalaccess"]),
            policies,
        })
    }
}

/// Sign-in error codes of a device state a policy required: not
/// compliant (53000), not managed (530003), not registered or not joined
/// (50097, 50129, 50187 device authentication).
pub(crate) const DEVICE_STATE_CODES: [i64; 5] = [53000, 530003, 50097, 50129, 50187];

impl SignIn {
    /// Whether a policy refused it for the device's state.
    pub(crate) fn refused_for_device_state(&self) -> bool {
        self.error_code
            .is_some_and(|code| DEVICE_STATE_CODES.contains(&code))
    }

    /// Whether the sign-in belongs to `keys`: it presented one of the
    /// devices, or presented none, was refused for the device's state and
    /// is one of the users'.
    pub(crate) fn belongs(&self, keys: &Keys) -> bool {
        match self.device_id {
            Some(id) => keys.device_ids.has(&id),
            None => {
                self.refused_for_device_state()
                    && self.upn.as_deref().is_some_and(|u| keys.users.has(u))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenant::exports::records::node::normal;
    use serde_json::json;

    #[test]
    fn graph_powershell_and_log_analytics_shapes_read_alike() {
        let graph = json!({
            "riskDetail": "none", "location": {"city": "Amsterdam"},
            "createdDateTime": "2026-11-19T15:00:00Z", "userPrincipalName": "jane@contoso.com",
            "appId": "A1", "appDisplayName": "Jamf Connect", "correlationId": "abc-1",
            "status": {"errorCode": 50076, "failureReason": "MFA required"},
            "deviceDetail": {"operatingSystem": "MacOs", "isCompliant": false},
            "appliedConditionalAccessPolicies": [{"displayName": "MFA all apps", "result": "failure", "enforcedGrantControls": ["Mfa"]}]
        });
        let powershell = json!({
            "CreatedDateTime": "/Date(1795100400000)/", "UserPrincipalName": "jane@contoso.com",
            "AppId": "A1", "AppDisplayName": "Jamf Connect", "CorrelationId": "ABC-1",
            "Status": {"ErrorCode": 50076, "FailureReason": "MFA required"},
            "DeviceDetail": {"OperatingSystem": "MacOs", "IsCompliant": false},
            "AppliedConditionalAccessPolicies": [{"DisplayName": "MFA all apps", "Result": "failure", "EnforcedGrantControls": ["Mfa"]}]
        });
        let log_analytics = json!({
            "TimeGenerated [UTC]": "2026-11-19 15:00:00.000", "UserPrincipalName": "jane@contoso.com",
            "AppId": "A1", "AppDisplayName": "Jamf Connect", "CorrelationId": "abc-1",
            "ResultType": "50076", "ResultDescription": "MFA required",
            "DeviceDetail": "{\"operatingSystem\":\"MacOs\",\"isCompliant\":false}",
            "ConditionalAccessPolicies": "[{\"displayName\":\"MFA all apps\",\"result\":\"failure\",\"enforcedGrantControls\":[\"Mfa\"]}]"
        });
        let read: Vec<SignIn> = [&graph, &powershell, &log_analytics]
            .iter()
            .map(|v| SignIn::from_value(v).unwrap())
            .collect();
        assert_eq!(read[0].error_code, Some(50076));
        assert_eq!(read[0].correlation_id.as_deref(), Some("ABC-1"));
        assert_eq!(read[0].policies[0].name, "MFA all apps");
        assert_eq!(read[0].policies[0].result, "failure");
        assert_eq!(read[0].device_compliant, Some(false));
        assert_eq!(read[0], read[1]);
        assert_eq!(read[0], read[2]);
        assert_eq!(SIGN_IN.field("hometenantid"), None);
        // Only the fields read matter: dropping the others changes nothing.
        for original in [&graph, &powershell, &log_analytics] {
            let kept: serde_json::Map<String, Value> = original
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| FIELDS_READ.contains(&normal(k).as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            assert_eq!(
                SignIn::from_value(&Value::Object(kept)),
                SignIn::from_value(original)
            );
        }
    }

    #[test]
    fn the_device_presented_is_read_in_every_shape() {
        let graph = json!({"createdDateTime": "2026-11-19T08:00:00Z", "status": {"errorCode": 53000},
            "deviceDetail": {"deviceId": "7C1E9A40-2D3B-4E5F-8A6B-7C8D9E0F1A2B", "displayName": "Jane's MacBook",
                "operatingSystem": "MacOs", "browser": "Chrome 120.0.0", "isCompliant": false, "isManaged": true, "trustType": "Workplace"}});
        let log_analytics = json!({"TimeGenerated": "2026-11-19T08:00:00Z", "ResultType": "53000",
            "DeviceDetail": "{\"deviceId\":\"7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b\",\"displayName\":\"Jane's MacBook\",\"browser\":\"Chrome 120.0.0\",\"isCompliant\":false,\"isManaged\":true,\"trustType\":\"Workplace\"}"});
        let admin_center = json!({"Date (UTC)": "2026-11-19T08:00:00Z", "Sign-in error code": "53000", "Device ID": "7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b",
            "Browser": "Chrome 120.0.0", "Compliant": "False", "Managed": "True", "Join Type": "Workplace"});
        for record in [graph, log_analytics, admin_center] {
            let sign_in = SignIn::from_value(&record).unwrap();
            assert_eq!(
                sign_in.device_id.unwrap().to_string(),
                "7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b",
                "{record}"
            );
            assert_eq!(
                sign_in.browser.as_deref(),
                Some("Chrome 120.0.0"),
                "{record}"
            );
            assert_eq!(sign_in.device_compliant, Some(false), "{record}");
            assert_eq!(sign_in.device_managed, Some(true), "{record}");
            assert_eq!(
                sign_in.device_trust.as_deref(),
                Some("Workplace"),
                "{record}"
            );
        }
        // Not presented: an empty device ID is none.
        let none = SignIn::from_value(
            &json!({"deviceDetail": {"deviceId": "", "browser": "Firefox 128"}}),
        )
        .unwrap();
        assert_eq!(none.device_id, None);
        assert_eq!(none.browser.as_deref(), Some("Firefox 128"));
    }

    #[test]
    fn odd_values_are_unknown_not_errors() {
        let odd = json!({"status": {"errorCode": "n/a"}, "createdDateTime": 12, "appId": null});
        let read = SignIn::from_value(&odd).unwrap();
        assert_eq!(read.error_code, None);
        assert_eq!(read.time, None);
        assert_eq!(read.app_id, None);
        assert!(SignIn::from_value(&json!([1])).is_none());
    }
}
