//! One sign-in as ca-doctor uses it, whatever export it came from: Graph
//! (v1.0, beta), Graph PowerShell, the admin center (JSON, CSV) or Log
//! Analytics. Field names match case-insensitively and without punctuation
//! (`Application ID `, `appId` and `AppId` are one field); nested objects
//! may come as JSON text (Log Analytics); a missing field is unknown, never
//! an error.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use serde_json::Value;
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
    /// The tenant that owns the app (`appOwnerTenantId`): Microsoft's for
    /// its own apps.
    pub(crate) app_owner_tenant: Option<String>,
    /// The device's operating system.
    pub(crate) device_os: Option<String>,
    /// Whether the device was compliant.
    pub(crate) device_compliant: Option<bool>,
    /// The Conditional Access status (`success`, `failure`, `notApplied`).
    pub(crate) ca_status: Option<String>,
    /// Every policy applied, with its result.
    pub(crate) policies: Vec<AppliedPolicy>,
}

/// Declares the fields read: their list and the lookup of a normal key in
/// it, from one list of names so that the two cannot drift apart.
macro_rules! fields_read {
    ($($field:literal),+ $(,)?) => {
        /// Every top-level field a record is read from (as normal keys):
        /// readers may drop every other field before building the record.
        #[cfg(test)]
        pub(crate) const FIELDS_READ: &[&str] = &[$($field),+];

        /// The name in [`FIELDS_READ`] of a normal key, when it is a field
        /// read (one `match`, no search).
        pub(crate) fn field_read(normal_key: &str) -> Option<&'static str> {
            match normal_key {
                $($field => Some($field),)+
                _ => None,
            }
        }
    };
}

fields_read!(
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
    "conditionalaccessstatus",
    "conditionalaccess",
    "appliedconditionalaccesspolicies",
    "conditionalaccesspolicies",
);

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

/// A key as compared: lower case, letters and digits only.
pub(crate) fn normal(key: &str) -> String {
    key.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A record's field as read, borrowing the input's text where it can:
/// readers build only these for the fields read (no `serde_json::Value`),
/// objects with their keys in normal form.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node<'a> {
    /// `null`, or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(serde_json::Number),
    /// A string.
    Text(Cow<'a, str>),
    /// An array.
    List(Vec<Node<'a>>),
    /// An object: normal keys, in the input's order, duplicates kept.
    Object(Vec<(Cow<'a, str>, Node<'a>)>),
}

impl Node<'_> {
    /// A JSON value as a node (JSON text inside a field, tests).
    pub(crate) fn of_json(value: &Value) -> Node<'static> {
        match value {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Node::Number(n.clone()),
            Value::String(s) => Node::Text(Cow::Owned(s.clone())),
            Value::Array(items) => Node::List(items.iter().map(Node::of_json).collect()),
            Value::Object(map) => Node::Object(
                map.iter()
                    .map(|(k, v)| (Cow::Owned(normal(k)), Node::of_json(v)))
                    .collect(),
            ),
        }
    }

    fn is_null(&self) -> bool {
        matches!(self, Node::Null)
    }
}

/// An object's fields by normal key; a later duplicate wins (JSON).
#[derive(Clone, Copy)]
struct Fields<'n, 'a>(&'n [(Cow<'a, str>, Node<'a>)]);

/// A nested object, borrowed from the record or parsed from JSON text.
type Nested<'n, 'a> = Cow<'n, [(Cow<'a, str>, Node<'a>)]>;

impl<'n, 'a> Fields<'n, 'a> {
    /// The first of `names` that is present and not null; of keys given
    /// twice, the later one.
    fn get(&self, names: &[&str]) -> Option<&'n Node<'a>> {
        names
            .iter()
            .filter_map(|name| {
                self.0
                    .iter()
                    .rev()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value)
            })
            .find(|value| !value.is_null())
    }

    fn text(&self, names: &[&str]) -> Option<String> {
        self.get(names).and_then(text).filter(|t| !t.is_empty())
    }

    /// A nested object, given as an object or as JSON text (Log Analytics).
    fn object(&self, names: &[&str]) -> Option<Nested<'n, 'a>> {
        match self.get(names)? {
            Node::Object(fields) => Some(Cow::Borrowed(fields.as_slice())),
            Node::Text(text) => match serde_json::from_str(text) {
                Ok(value @ Value::Object(_)) => match Node::of_json(&value) {
                    Node::Object(fields) => Some(Cow::Owned(fields)),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    }

    /// A nested array, given as an array or as JSON text.
    fn array(&self, names: &[&str]) -> Cow<'n, [Node<'a>]> {
        match self.get(names) {
            Some(Node::List(items)) => Cow::Borrowed(items.as_slice()),
            Some(Node::Text(text)) => match serde_json::from_str(text) {
                Ok(value @ Value::Array(_)) => match Node::of_json(&value) {
                    Node::List(items) => Cow::Owned(items),
                    _ => Cow::Borrowed(&[]),
                },
                _ => Cow::Borrowed(&[]),
            },
            _ => Cow::Borrowed(&[]),
        }
    }
}

/// A value as text: strings as they are, numbers and booleans written out.
fn text(value: &Node) -> Option<String> {
    match value {
        Node::Text(s) => Some(s.trim().to_string()),
        Node::Number(n) => Some(n.to_string()),
        Node::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A flag written as a boolean, `True`/`False`, `Yes`/`No` or `1`/`0`.
fn flag(value: &Node) -> Option<bool> {
    match value {
        Node::Bool(b) => Some(*b),
        Node::Number(n) => n.as_i64().map(|n| n != 0),
        Node::Text(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Some(true),
            "false" | "no" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// An error code written as a number or as text (`ResultType` is a string).
fn code(value: &Node) -> Option<i64> {
    match value {
        Node::Number(n) => n.as_i64(),
        Node::Text(s) => s.trim().parse().ok(),
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
                grant_controls: match p.get(&["enforcedgrantcontrols"]) {
                    Some(Node::List(items)) => items.iter().filter_map(text).collect(),
                    _ => Vec::new(),
                },
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
            app_owner_tenant: fields.text(&["appownertenantid"]),
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
            assert_eq!(field_read(field), Some(*field));
        }
        assert_eq!(field_read("hometenantid"), None);
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
    fn odd_values_are_unknown_not_errors() {
        let odd = json!({"status": {"errorCode": "n/a"}, "createdDateTime": 12, "appId": null});
        let read = SignIn::from_value(&odd).unwrap();
        assert_eq!(read.error_code, None);
        assert_eq!(read.time, None);
        assert_eq!(read.app_id, None);
        assert!(SignIn::from_value(&json!([1])).is_none());
    }
}
