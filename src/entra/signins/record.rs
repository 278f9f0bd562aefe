//! One sign-in as ca-doctor uses it, whatever export it came from: Graph
//! (v1.0, beta), Graph PowerShell, the admin center (JSON, CSV) or Log
//! Analytics. Field names match case-insensitively and without punctuation
//! (`Application ID `, `appId` and `AppId` are one field); nested objects
//! may come as JSON text (Log Analytics); a missing field is unknown, never
//! an error.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// A Conditional Access policy as applied to one sign-in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct AppliedPolicy {
    /// The policy's display name.
    pub(crate) name: String,
    /// `success`, `failure`, `notApplied`, `reportOnlyFailure`…
    pub(crate) result: String,
    /// The grant controls it enforced (`Mfa`, `RequireCompliantDevice`…).
    pub(crate) grant_controls: Vec<String>,
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
    /// The device's operating system.
    pub(crate) device_os: Option<String>,
    /// Whether the device was compliant.
    pub(crate) device_compliant: Option<bool>,
    /// The Conditional Access status (`success`, `failure`, `notApplied`).
    pub(crate) ca_status: Option<String>,
    /// Every policy applied, with its result.
    pub(crate) policies: Vec<AppliedPolicy>,
}

/// Every top-level field a record is read from (as normal keys): readers
/// may drop every other field before building the record (see
/// [`is_field_read`], which must accept exactly these).
#[cfg(test)]
pub(crate) const FIELDS_READ: &[&str] = &[
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
    "devicedetail",
    "operatingsystem",
    "compliant",
    "iscompliant",
    "conditionalaccessstatus",
    "conditionalaccess",
    "appliedconditionalaccesspolicies",
    "conditionalaccesspolicies",
];

/// Whether a key is already normal (lower case letters and digits).
fn is_normal(key: &str) -> bool {
    key.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// Whether a normal key is one of [`FIELDS_READ`], without a search.
pub(crate) fn is_field_read(normal_key: &str) -> bool {
    matches!(
        normal_key,
        "createddatetime"
            | "timegenerated"
            | "timegeneratedutc"
            | "dateutc"
            | "date"
            | "userprincipalname"
            | "username"
            | "userdisplayname"
            | "user"
            | "appid"
            | "applicationid"
            | "appdisplayname"
            | "application"
            | "resourcedisplayname"
            | "resource"
            | "correlationid"
            | "status"
            | "resulttype"
            | "signinerrorcode"
            | "errorcode"
            | "resultdescription"
            | "failurereason"
            | "authenticationrequirement"
            | "authenticationprotocol"
            | "devicedetail"
            | "operatingsystem"
            | "compliant"
            | "iscompliant"
            | "conditionalaccessstatus"
            | "conditionalaccess"
            | "appliedconditionalaccesspolicies"
            | "conditionalaccesspolicies"
    )
}

/// The fields read inside a nested field (normal keys), when only some are.
pub(crate) fn nested_fields_read(normal_key: &str) -> Option<&'static [&'static str]> {
    match normal_key {
        "status" => Some(&["errorcode", "failurereason"]),
        "devicedetail" => Some(&["operatingsystem", "iscompliant"]),
        "appliedconditionalaccesspolicies" | "conditionalaccesspolicies" => {
            Some(&["displayname", "result", "enforcedgrantcontrols"])
        }
        _ => None,
    }
}

/// A key as compared, written into `buffer` without allocating: `None`
/// when it is longer than the buffer (no field read is).
pub(crate) fn normal_in<'b>(key: &str, buffer: &'b mut [u8; 48]) -> Option<&'b str> {
    let mut length = 0;
    for byte in key.bytes().filter(u8::is_ascii_alphanumeric) {
        *buffer.get_mut(length)? = byte.to_ascii_lowercase();
        length += 1;
    }
    std::str::from_utf8(&buffer[..length]).ok()
}

/// A key as compared: lower case, letters and digits only.
pub(crate) fn normal(key: &str) -> String {
    key.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// An object's fields by normal key; a later duplicate wins (JSON), unless
/// `first_wins` (a CSV header repeated).
struct Fields<'a>(Vec<(Cow<'a, str>, &'a Value)>);

impl<'a> Fields<'a> {
    fn of(object: &'a Map<String, Value>) -> Self {
        Fields(
            object
                .iter()
                .map(|(k, v)| {
                    let key = if is_normal(k) {
                        Cow::Borrowed(k.as_str())
                    } else {
                        Cow::Owned(normal(k))
                    };
                    (key, v)
                })
                .collect(),
        )
    }

    /// The first of `names` that is present and not null; of keys given
    /// twice, the later one.
    fn get(&self, names: &[&str]) -> Option<&'a Value> {
        names
            .iter()
            .filter_map(|name| {
                self.0
                    .iter()
                    .rev()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| *value)
            })
            .find(|value| !value.is_null())
    }

    fn text(&self, names: &[&str]) -> Option<String> {
        self.get(names).and_then(text).filter(|t| !t.is_empty())
    }

    /// A nested object, given as an object or as JSON text (Log Analytics).
    fn object(&self, names: &[&str]) -> Option<Cow<'a, Map<String, Value>>> {
        match self.get(names)? {
            Value::Object(map) => Some(Cow::Borrowed(map)),
            Value::String(text) => match serde_json::from_str(text) {
                Ok(Value::Object(map)) => Some(Cow::Owned(map)),
                _ => None,
            },
            _ => None,
        }
    }

    /// A nested array, given as an array or as JSON text.
    fn array(&self, names: &[&str]) -> Cow<'a, [Value]> {
        match self.get(names) {
            Some(Value::Array(items)) => Cow::Borrowed(items.as_slice()),
            Some(Value::String(text)) => match serde_json::from_str(text) {
                Ok(Value::Array(items)) => Cow::Owned(items),
                _ => Cow::Borrowed(&[]),
            },
            _ => Cow::Borrowed(&[]),
        }
    }
}

/// A value as text: strings as they are, numbers and booleans written out.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A flag written as a boolean, `True`/`False`, `Yes`/`No` or `1`/`0`.
fn flag(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|n| n != 0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Some(true),
            "false" | "no" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// An error code written as a number or as text (`ResultType` is a string).
fn code(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A time as Graph (RFC 3339), Windows PowerShell (`/Date(ms)/`), the admin
/// center or Log Analytics (`2026-11-19 10:00:00.000`, UTC) write it.
pub(crate) fn parse_time(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time);
    }
    if let Some(ms) = text
        .strip_prefix("/Date(")
        .and_then(|rest| rest.strip_suffix(")/"))
    {
        let digits: String = ms
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '-')
            .collect();
        let millis: i64 = digits.parse().ok()?;
        return Utc
            .timestamp_millis_opt(millis)
            .single()
            .map(|t| t.fixed_offset());
    }
    for format in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%m/%d/%Y, %I:%M:%S %p",
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %H:%M:%S",
    ] {
        if let Ok(time) = NaiveDateTime::parse_from_str(text, format) {
            return Some(time.and_utc().fixed_offset());
        }
    }
    None
}

impl SignIn {
    /// The sign-in a record describes; `None` when it is no object.
    pub(crate) fn from_value(value: &Value) -> Option<SignIn> {
        let object = value.as_object()?;
        let fields = Fields::of(object);
        let status = fields.object(&["status"]);
        let status = status.as_deref().map(Fields::of);
        let device = fields.object(&["devicedetail"]);
        let device = device.as_deref().map(Fields::of);
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
            .filter_map(|p| p.as_object())
            .map(|p| {
                let p = Fields::of(p);
                AppliedPolicy {
                    name: p.text(&["displayname"]).unwrap_or_default(),
                    result: p.text(&["result"]).unwrap_or_default(),
                    grant_controls: match p.get(&["enforcedgrantcontrols"]) {
                        Some(Value::Array(items)) => items.iter().filter_map(text).collect(),
                        _ => Vec::new(),
                    },
                }
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
            correlation_id: fields
                .text(&["correlationid"])
                .map(|id| id.to_ascii_uppercase()),
            error_code,
            failure_reason,
            auth_requirement: fields.text(&["authenticationrequirement"]),
            auth_protocol: fields.text(&["authenticationprotocol"]),
            device_os,
            device_compliant,
            ca_status: fields.text(&["conditionalaccessstatus", "conditionalaccess"]),
            policies,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        assert_eq!(read[0].policies[0].grant_controls, ["Mfa"]);
        assert_eq!(read[0].device_compliant, Some(false));
        assert_eq!(read[0], read[1]);
        assert_eq!(read[0], read[2]);
        for field in FIELDS_READ {
            assert!(is_field_read(field), "{field}");
        }
        assert!(!is_field_read("hometenantid"));
        // Only the fields read matter: dropping the others changes nothing.
        for original in [&graph, &powershell, &log_analytics] {
            let kept: Map<String, Value> = original
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
    fn odd_values_are_unknown_not_errors() {
        let odd = json!({"status": {"errorCode": "n/a"}, "createdDateTime": 12, "appId": null});
        let read = SignIn::from_value(&odd).unwrap();
        assert_eq!(read.error_code, None);
        assert_eq!(read.time, None);
        assert_eq!(read.app_id, None);
        assert!(SignIn::from_value(&json!([1])).is_none());
    }
}
