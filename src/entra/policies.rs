//! Conditional Access policies as exported: a Graph list response
//! (`{"value": [...]}`), a single policy object, or a folder of one-policy
//! files as backup tools write them; v1.0 and beta shapes, PowerShell's
//! PascalCase keys with `@odata.type` annotations, UTF-16 with a BOM. Keys
//! match case-insensitively, unknown fields are ignored, a duplicate key's
//! last value wins.

use super::decode::utf8_reader;
use crate::inputs::{InputRecord, InputState};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// How an input is named in the input list.
pub(crate) const POLICIES_INPUT: &str = "Conditional Access policies";

/// Largest policy file read.
const MAX_POLICY_FILE: u64 = 64 << 20;

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
        Err(reason) => return record(InputState::Unreadable, Some(reason)),
    };
    let reader = std::io::Read::take(utf8_reader(file), MAX_POLICY_FILE);
    let document: Value = match serde_json::from_reader(reader) {
        Ok(document) => document,
        Err(e) => return record(InputState::Unreadable, Some(format!("not valid JSON: {e}"))),
    };
    let items: Vec<&Value> = match &document {
        Value::Array(items) => items.iter().collect(),
        Value::Object(map) => match field(map, "value") {
            Some(Value::Array(items)) => items.iter().collect(),
            _ => vec![&document],
        },
        _ => Vec::new(),
    };
    policies.extend(items.into_iter().filter_map(Policy::from_value));
    record(InputState::Read, None)
}

/// Reads every path: a file, or a folder of `*.json` files (in name order).
pub(crate) fn read_paths(paths: &[PathBuf]) -> (Vec<Policy>, Vec<InputRecord>) {
    let mut policies = Vec::new();
    let mut inputs = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map(|entries| {
                    entries
                        .filter_map(|e| e.ok())
                        .map(|e| e.path())
                        .filter(|p| {
                            p.extension()
                                .is_some_and(|x| x.eq_ignore_ascii_case("json"))
                        })
                        .collect()
                })
                .unwrap_or_default();
            files.sort();
            for file in files {
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
