//! Conditional Access policies as exported: a Graph list response
//! (`{"value": [...]}`), a single policy object, or a folder of one-policy
//! files as backup tools write them; v1.0 and beta shapes, PowerShell's
//! PascalCase keys with `@odata.type` annotations, UTF-16 with a BOM. Keys
//! match case-insensitively, unknown fields are ignored, a duplicate key's
//! last value wins.

use crate::inputs::{InputRecord, InputState};
use crate::tenant::exports::decode::{first_non_space, utf8_reader};
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// How an input is named in the input list.
pub(crate) const POLICIES_INPUT: &str = "Conditional Access policies";

/// Largest policy file read: a tenant's 195 policies (Entra's limit) take
/// a few MiB even as PowerShell writes them.
const MAX_POLICY_FILE: u64 = 32 << 20;

/// Why a file that is not JSON at all is no policy export.
pub(crate) const NOT_JSON: &str = "not a policy export: no JSON";

/// Most policies one file may list: Entra allows 195 a tenant.
const MAX_POLICIES: usize = 10_000;

/// A policy's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum PolicyState {
    /// `enabled`.
    Enabled,
    /// `enabledForReportingButNotEnforced`.
    ReportOnly,
    /// `disabled`.
    Disabled,
    /// Anything else.
    Unknown,
}

impl PolicyState {
    /// How a report names the state.
    pub(crate) fn label(self) -> &'static str {
        match self {
            PolicyState::Enabled => "enabled",
            PolicyState::ReportOnly => "report-only (enabledForReportingButNotEnforced)",
            PolicyState::Disabled => "disabled",
            PolicyState::Unknown => "unknown",
        }
    }
}

/// One policy, reduced to what decides whether it reaches the Jamf Connect
/// sign-in and what it then demands.
#[derive(Clone, Debug, Default)]
pub(crate) struct Policy {
    /// Its ID.
    pub(crate) id: String,
    /// Its display name.
    pub(crate) name: String,
    /// Its state.
    pub(crate) state: Option<PolicyState>,
    /// `conditions.applications.includeApplications`.
    pub(crate) include_apps: Vec<String>,
    /// `conditions.applications.excludeApplications`.
    pub(crate) exclude_apps: Vec<String>,
    /// `conditions.applications.applicationFilter.mode`.
    pub(crate) app_filter_mode: Option<String>,
    /// `conditions.applications.includeUserActions`.
    pub(crate) user_actions: Vec<String>,
    /// `conditions.platforms.includePlatforms`.
    pub(crate) include_platforms: Vec<String>,
    /// `conditions.platforms.excludePlatforms`.
    pub(crate) exclude_platforms: Vec<String>,
    /// `conditions.clientAppTypes`.
    pub(crate) client_app_types: Vec<String>,
    /// `conditions.authenticationFlows.transferMethods`.
    pub(crate) transfer_methods: Vec<String>,
    /// `conditions.locations.includeLocations`.
    pub(crate) include_locations: Vec<String>,
    /// `conditions.locations.excludeLocations`.
    pub(crate) exclude_locations: Vec<String>,
    /// Who it includes and excludes, as written (users, groups, roles).
    pub(crate) users: Vec<String>,
    /// `grantControls.operator` (`AND` or `OR`).
    pub(crate) operator: Option<String>,
    /// `grantControls.builtInControls`.
    pub(crate) controls: Vec<String>,
    /// An authentication strength is required.
    pub(crate) authentication_strength: bool,
}

/// A field of `object` by name, case and punctuation aside; the last of
/// keys given twice. Annotations (`…@odata.type`) are never matched.
fn field<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object
        .iter()
        .rev()
        .find(|(key, _)| {
            !key.contains('@')
                && key
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .map(|c| c.to_ascii_lowercase())
                    .eq(name.chars())
        })
        .map(|(_, value)| value)
        .filter(|value| !value.is_null())
}

fn object<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Map<String, Value>> {
    field(object, name)?.as_object()
}

fn texts(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(|s| s.trim().to_string()))
            .filter(|s| !s.is_empty())
            .collect(),
        Some(Value::String(s)) if !s.trim().is_empty() => {
            s.split(',').map(|p| p.trim().to_string()).collect()
        }
        _ => Vec::new(),
    }
}

impl Policy {
    /// The policy an object describes; `None` when it is no policy.
    pub(crate) fn from_value(value: &Value) -> Option<Policy> {
        let policy = value.as_object()?;
        let conditions = object(policy, "conditions");
        let sub = |name: &str| conditions.and_then(|c| object(c, name));
        let apps = sub("applications");
        let platforms = sub("platforms");
        let locations = sub("locations");
        let users = sub("users");
        let grant = object(policy, "grantcontrols");
        let text = |value: Option<&Value>| value.and_then(Value::as_str).map(str::to_string);
        if field(policy, "displayname").is_none() && conditions.is_none() {
            return None;
        }
        let state = text(field(policy, "state")).map(|s| match s.to_ascii_lowercase().as_str() {
            "enabled" => PolicyState::Enabled,
            "enabledforreportingbutnotenforced" => PolicyState::ReportOnly,
            "disabled" => PolicyState::Disabled,
            _ => PolicyState::Unknown,
        });
        let mut who = Vec::new();
        if let Some(users) = users {
            for (key, label) in [
                ("includeusers", "includes users"),
                ("excludeusers", "excludes users"),
                ("includegroups", "includes groups"),
                ("excludegroups", "excludes groups"),
                ("includeroles", "includes roles"),
                ("excluderoles", "excludes roles"),
            ] {
                let listed = texts(field(users, key));
                if !listed.is_empty() {
                    who.push(format!("{label}: {}", listed.join(", ")));
                }
            }
        }
        Some(Policy {
            id: text(field(policy, "id")).unwrap_or_default(),
            name: text(field(policy, "displayname")).unwrap_or_default(),
            state,
            include_apps: texts(apps.and_then(|a| field(a, "includeapplications"))),
            exclude_apps: texts(apps.and_then(|a| field(a, "excludeapplications"))),
            app_filter_mode: apps
                .and_then(|a| object(a, "applicationfilter"))
                .and_then(|f| text(field(f, "mode"))),
            user_actions: texts(apps.and_then(|a| field(a, "includeuseractions"))),
            include_platforms: texts(platforms.and_then(|p| field(p, "includeplatforms"))),
            exclude_platforms: texts(platforms.and_then(|p| field(p, "excludeplatforms"))),
            client_app_types: texts(conditions.and_then(|c| field(c, "clientapptypes"))),
            transfer_methods: sub("authenticationflows")
                .map(|f| texts(field(f, "transfermethods")))
                .unwrap_or_default(),
            include_locations: texts(locations.and_then(|l| field(l, "includelocations"))),
            exclude_locations: texts(locations.and_then(|l| field(l, "excludelocations"))),
            users: who,
            operator: grant.and_then(|g| text(field(g, "operator"))),
            controls: texts(grant.and_then(|g| field(g, "builtincontrols"))),
            authentication_strength: grant
                .and_then(|g| field(g, "authenticationstrength"))
                .is_some(),
        })
    }
}

/// A policy export as it streams: each element of a top-level array or of
/// the `value` array becomes a policy as soon as it is read, so memory
/// holds one element at a time; another object is one policy.
struct PolicyDocument<'p> {
    policies: &'p mut Vec<Policy>,
    /// Elements read so far.
    read: usize,
}

impl PolicyDocument<'_> {
    /// Takes one element: a policy when it is one.
    fn add<E: serde::de::Error>(&mut self, element: &Value) -> Result<(), E> {
        self.read += 1;
        if self.read > MAX_POLICIES {
            return Err(E::custom(format!(
                "more than {MAX_POLICIES} elements (Entra allows 195 policies): not a policy export"
            )));
        }
        self.policies.extend(Policy::from_value(element));
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for PolicyDocument<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PolicyDocument<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a policy, a list of policies or a Graph response")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(element) = seq.next_element::<Value>()? {
            self.add(&element)?;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let mut rest = Map::new();
        let mut listed = false;
        while let Some(key) = map.next_key::<String>()? {
            if key.eq_ignore_ascii_case("value") && !listed {
                match map.next_value_seed(ValueList {
                    document: &mut self,
                })? {
                    None => listed = true,
                    Some(other) => {
                        rest.insert(key, other);
                    }
                }
            } else {
                let value: Value = map.next_value()?;
                rest.insert(key, value);
            }
        }
        if !listed {
            self.add(&Value::Object(rest))?;
        }
        Ok(())
    }

    // Any other document holds no policy.
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

/// The `value` of a Graph response: an array is streamed as policies
/// (`None`); anything else is kept as a value of the object (`Some`).
struct ValueList<'d, 'p> {
    document: &'d mut PolicyDocument<'p>,
}

impl<'de> DeserializeSeed<'de> for ValueList<'_, '_> {
    type Value = Option<Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueList<'_, '_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while let Some(element) = seq.next_element::<Value>()? {
            self.document.add(&element)?;
        }
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Value::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Some)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(Value::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(Value::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(Value::from(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Value::from(v)))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Some(Value::Null))
    }
}

/// The policies of one export file.
fn read_file(path: &Path, policies: &mut Vec<Policy>) -> InputRecord {
    let record = |state, reason| InputRecord {
        what: POLICIES_INPUT.to_string(),
        path: path.display().to_string(),
        state,
        reason,
    };
    let file = match crate::util::files::open_regular(path) {
        Ok(Some(file)) => file,
        Ok(None) => return record(InputState::Missing, None),
        Err(reason) => return record(InputState::Unreadable, Some(format!("{reason:#}"))),
    };
    match file.metadata() {
        Ok(metadata) if metadata.len() > MAX_POLICY_FILE => {
            return record(
                InputState::Unreadable,
                Some(format!(
                    "larger than {} MiB ({} bytes): not a policy export, not read",
                    MAX_POLICY_FILE >> 20,
                    metadata.len()
                )),
            );
        }
        Ok(_) => {}
        Err(e) => return record(InputState::Unreadable, Some(e.to_string())),
    }
    let mut reader =
        std::io::BufReader::new(std::io::Read::take(utf8_reader(file), MAX_POLICY_FILE));
    match first_non_space(&mut reader) {
        Ok(Some(b'{' | b'[')) => {}
        Ok(Some(_)) => {
            return record(
                InputState::Unreadable,
                Some(format!("{NOT_JSON} (a log or another file?)")),
            );
        }
        Ok(None) => return record(InputState::Unreadable, Some("the file is empty".into())),
        Err(e) => return record(InputState::Unreadable, Some(format!("read failed: {e}"))),
    }
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    let read = PolicyDocument {
        policies: &mut *policies,
        read: 0,
    }
    .deserialize(&mut deserializer)
    .and_then(|()| deserializer.end());
    if let Err(e) = read {
        return record(InputState::Unreadable, Some(format!("not valid JSON: {e}")));
    }
    record(InputState::Read, None)
}

/// Reads every path: a file, or a folder's `*.json` files (by the one
/// folder rule).
pub(crate) fn read_paths(paths: &[PathBuf]) -> (Vec<Policy>, Vec<InputRecord>) {
    let mut policies = Vec::new();
    let mut inputs = Vec::new();
    for path in paths {
        if path.is_dir() {
            let listing = crate::util::files::list_folder(path, 0).unwrap_or_default();
            let json = |p: &PathBuf| {
                p.extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("json"))
            };
            for file in listing.files.into_iter().filter(json) {
                inputs.push(read_file(&file, &mut policies));
            }
        } else {
            inputs.push(read_file(path, &mut policies));
        }
    }
    (policies, inputs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn graph_and_powershell_shapes_read_alike() {
        let graph = json!({
            "id": "p1", "displayName": "MFA all", "state": "enabled",
            "conditions": {"applications": {"includeApplications": ["All"], "excludeApplications": []},
                "platforms": {"includePlatforms": ["all"]}, "clientAppTypes": ["all"],
                "users": {"includeUsers": ["All"]}},
            "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}
        });
        let powershell = json!({
            "Id": "p1", "DisplayName": "MFA all", "State": "enabled",
            "Conditions": {"Applications": {"IncludeApplications@odata.type": "#Collection(String)", "IncludeApplications": ["All"], "ExcludeApplications": []},
                "Platforms": {"IncludePlatforms": ["all"]}, "ClientAppTypes": ["all"],
                "Users": {"IncludeUsers": ["All"]}},
            "GrantControls": {"Operator": "OR", "BuiltInControls": ["mfa"]}
        });
        let a = Policy::from_value(&graph).unwrap();
        let b = Policy::from_value(&powershell).unwrap();
        assert_eq!(a.include_apps, ["All"]);
        assert_eq!(a.controls, ["mfa"]);
        assert_eq!(a.state, Some(PolicyState::Enabled));
        assert_eq!(a.users, ["includes users: All"]);
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert!(Policy::from_value(&json!({"unrelated": 1})).is_none());
    }
}
