//! Conditional Access policies as exported: a Graph list response
//! (`{"value": [...]}`), a single policy object, or a folder of one-policy
//! files as backup tools write them; v1.0 and beta shapes, PowerShell's
//! PascalCase keys with `@odata.type` annotations, UTF-16 with a BOM. Keys
//! match case-insensitively, unknown fields are ignored, a duplicate key's
//! last value wins.

use crate::inputs::{InputRecord, InputState};
use crate::tenant::exports::records::node::{Fields, Nested, Node};
use crate::tenant::exports::records::{self, ExportForm, Shape, fields_read, whole_fields};
use std::path::{Path, PathBuf};

/// How an input is named in the input list.
pub(crate) const POLICIES_INPUT: &str = "Conditional Access policies";

/// Largest policy file read: a tenant's 195 policies (Entra's limit) take
/// a few MiB even as PowerShell writes them.
const MAX_POLICY_FILE: u64 = 32 << 20;

/// Why a file that is not JSON at all is no policy export (the record
/// reader's words for a JSON-only record type).
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

fields_read!(field_read, FIELDS_READ: "id", "displayname", "state", "conditions", "grantcontrols");

/// How a policy is read from an export: JSON only, a few MiB at most.
pub(crate) static POLICY: Shape = Shape {
    record: "policy",
    lookup: field_read,
    nested: whole_fields,
    form: ExportForm {
        csv: false,
        max_bytes: Some(MAX_POLICY_FILE),
        ..ExportForm::JSON_OR_CSV
    },
};

/// A nested object's field by normal name, when present and not null.
fn object<'n, 'a>(fields: Fields<'n, 'a>, name: &str) -> Option<Nested<'n, 'a>> {
    fields.object(&[name])
}

/// A list of names: an array of strings, or one comma-separated string.
fn texts(value: Option<&Node>) -> Vec<String> {
    match value {
        Some(Node::List(items)) => items
            .iter()
            .filter_map(|item| match item {
                Node::Text(s) => Some(s.trim().to_string()),
                _ => None,
            })
            .filter(|s| !s.is_empty())
            .collect(),
        Some(Node::Text(s)) if !s.trim().is_empty() => {
            s.split(',').map(|p| p.trim().to_string()).collect()
        }
        _ => Vec::new(),
    }
}

/// A field's text, as written (strings only).
fn string(value: Option<&Node>) -> Option<String> {
    match value {
        Some(Node::Text(s)) => Some(s.to_string()),
        _ => None,
    }
}

impl Policy {
    /// The policy a record describes; `None` when it is no policy.
    pub(crate) fn from_node(record: &Node) -> Option<Policy> {
        let Node::Object(policy) = record else {
            return None;
        };
        let policy = Fields(policy);
        let conditions = object(policy, "conditions");
        let conditions = conditions.as_deref().map(Fields);
        let sub = |name: &str| conditions.and_then(|c| object(c, name));
        let apps = sub("applications");
        let apps = apps.as_deref().map(Fields);
        let platforms = sub("platforms");
        let platforms = platforms.as_deref().map(Fields);
        let locations = sub("locations");
        let locations = locations.as_deref().map(Fields);
        let users = sub("users");
        let users = users.as_deref().map(Fields);
        let flows = sub("authenticationflows");
        let flows = flows.as_deref().map(Fields);
        let grant = object(policy, "grantcontrols");
        let grant = grant.as_deref().map(Fields);
        let filter = apps.and_then(|a| object(a, "applicationfilter"));
        let filter = filter.as_deref().map(Fields);
        if policy.get(&["displayname"]).is_none() && conditions.is_none() {
            return None;
        }
        let state = string(policy.get(&["state"])).map(|s| match s.to_ascii_lowercase().as_str() {
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
                let listed = texts(users.get(&[key]));
                if !listed.is_empty() {
                    who.push(format!("{label}: {}", listed.join(", ")));
                }
            }
        }
        let list = |fields: Option<Fields>, name: &str| texts(fields.and_then(|f| f.get(&[name])));
        Some(Policy {
            id: string(policy.get(&["id"])).unwrap_or_default(),
            name: string(policy.get(&["displayname"])).unwrap_or_default(),
            state,
            include_apps: list(apps, "includeapplications"),
            exclude_apps: list(apps, "excludeapplications"),
            app_filter_mode: filter.and_then(|f| string(f.get(&["mode"]))),
            user_actions: list(apps, "includeuseractions"),
            include_platforms: list(platforms, "includeplatforms"),
            exclude_platforms: list(platforms, "excludeplatforms"),
            client_app_types: list(conditions, "clientapptypes"),
            transfer_methods: list(flows, "transfermethods"),
            include_locations: list(locations, "includelocations"),
            exclude_locations: list(locations, "excludelocations"),
            users: who,
            operator: grant.and_then(|g| string(g.get(&["operator"]))),
            controls: list(grant, "builtincontrols"),
            authentication_strength: grant
                .and_then(|g| g.get(&["authenticationstrength"]))
                .is_some(),
        })
    }
}

/// The policies of one export file (at most [`MAX_POLICIES`] elements).
fn read_file(path: &Path, policies: &mut Vec<Policy>) -> InputRecord {
    let mut elements = 0usize;
    let read = records::read_file(
        path,
        POLICIES_INPUT,
        &POLICY,
        |node| Some(Policy::from_node(&node)),
        &mut |policy: &Option<Policy>| {
            elements += 1;
            if elements <= MAX_POLICIES {
                policies.extend(policy.clone());
            }
        },
    );
    let record = |state, reason| InputRecord {
        what: POLICIES_INPUT.to_string(),
        path: path.display().to_string(),
        state,
        reason,
    };
    if read.missing {
        return record(InputState::Missing, None);
    }
    if read.empty {
        return record(InputState::Unreadable, Some("the file is empty".into()));
    }
    if elements > MAX_POLICIES {
        return record(
            InputState::Unreadable,
            Some(format!(
                "more than {MAX_POLICIES} elements (Entra allows 195 policies): not a policy export"
            )),
        );
    }
    read.input.unwrap_or_else(|| record(InputState::Read, None))
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
        let a = Policy::from_node(&Node::of_json(&graph)).unwrap();
        let b = Policy::from_node(&Node::of_json(&powershell)).unwrap();
        assert_eq!(a.include_apps, ["All"]);
        assert_eq!(a.controls, ["mfa"]);
        assert_eq!(a.state, Some(PolicyState::Enabled));
        assert_eq!(a.users, ["includes users: All"]);
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert!(Policy::from_node(&Node::of_json(&json!({"unrelated": 1}))).is_none());
    }

    fn read_text(text: &str) -> (Vec<Policy>, InputRecord) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policies.json");
        std::fs::write(&path, text).unwrap();
        let mut policies = Vec::new();
        let input = read_file(&path, &mut policies);
        (policies, input)
    }

    #[test]
    fn every_form_of_export_and_what_is_no_export() {
        let policy = r#"{"id":"p","displayName":"MFA","state":"enabled"}"#;
        for text in [
            format!("{{\"@odata.context\":\"x\",\"value\":[{policy}]}}"),
            format!("[{policy}]"),
            policy.to_string(),
            format!("{{\"Value\":[{policy}, {{\"unrelated\":1}}]}}"),
        ] {
            let (policies, input) = read_text(&text);
            assert_eq!(input.state, InputState::Read, "{text}");
            assert_eq!(policies.len(), 1, "{text}");
            assert_eq!(policies[0].name, "MFA");
        }
        let (policies, input) = read_text("2026-11-19 10:00:00 a log line\n");
        assert!(policies.is_empty());
        assert!(
            input.reason.as_deref().unwrap_or("").starts_with(NOT_JSON),
            "{input:?}"
        );
        let (_, input) = read_text(" \n");
        assert_eq!(input.reason.as_deref(), Some("the file is empty"));
        let (_, input) = read_text(r#"{"value": [,]}"#);
        assert_eq!(input.state, InputState::Unreadable);
        assert!(
            input
                .reason
                .as_deref()
                .unwrap_or("")
                .contains("expected value at line 1 column 12"),
            "{input:?}"
        );
        let dir = tempfile::tempdir().unwrap();
        let mut none = Vec::new();
        let input = read_file(&dir.path().join("absent.json"), &mut none);
        assert_eq!((input.state, input.reason), (InputState::Missing, None));
    }
}
