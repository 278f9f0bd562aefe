//! A scenario tenant's Conditional Access policies: a triggering and a
//! near-miss policy for each finding, written as one Graph list response and
//! as a folder of one-policy PowerShell files (UTF-16LE with a BOM, CRLF,
//! PascalCase keys with `@odata.type` annotations).
//! `CA_DOCTOR_REGENERATE_FIXTURES=1` rewrites `fixtures/entra/policies/`.

#![allow(dead_code)]

use super::entra::JAMF_CONNECT_APP;
use serde_json::{Value, json};

const EXCHANGE: &str = "00000002-0000-0ff1-ce00-000000000000";

fn policy(id: &str, name: &str, state: &str, conditions: Value, grant: Value) -> Value {
    json!({
        "id": id,
        "displayName": name,
        "state": state,
        "createdDateTime": "2026-01-05T10:00:00Z",
        "conditions": conditions,
        "grantControls": grant,
        "sessionControls": null
    })
}

fn apps(include: &[&str], exclude: &[&str]) -> Value {
    json!({"includeApplications": include, "excludeApplications": exclude, "includeUserActions": []})
}

fn users() -> Value {
    json!({"includeUsers": ["All"], "excludeUsers": [], "includeGroups": [], "excludeGroups": ["b1c2d3e4-0000-4000-8000-000000000001"], "includeRoles": [], "excludeRoles": []})
}

fn grant(operator: &str, controls: &[&str]) -> Value {
    json!({"operator": operator, "builtInControls": controls, "customAuthenticationFactors": [], "termsOfUse": []})
}

/// The scenario's policies.
pub fn policies() -> Vec<Value> {
    vec![
        policy(
            "10000000-0000-4000-8000-000000000001",
            "MFA for all cloud apps",
            "enabled",
            json!({"applications": apps(&["All"], &[]), "users": users(), "clientAppTypes": ["all"]}),
            grant("OR", &["mfa"]),
        ),
        policy(
            "10000000-0000-4000-8000-000000000002",
            "MFA for Exchange Online",
            "enabled",
            json!({"applications": apps(&[EXCHANGE], &[]), "users": users(), "clientAppTypes": ["all"]}),
            grant("OR", &["mfa"]),
        ),
        policy(
            "10000000-0000-4000-8000-000000000003",
            "MFA except Jamf Connect",
            "enabled",
            json!({"applications": apps(&["All"], &[JAMF_CONNECT_APP]), "users": users(), "clientAppTypes": ["all"]}),
            grant("OR", &["mfa"]),
        ),
        policy(
            "10000000-0000-4000-8000-000000000004",
            "MFA (report-only)",
            "enabledForReportingButNotEnforced",
            json!({"applications": apps(&["All"], &[]), "users": users(), "clientAppTypes": ["all"]}),
            grant("OR", &["mfa"]),
        ),
        policy(
            "10000000-0000-4000-8000-000000000005",
            "Require compliant Mac",
            "enabled",
            json!({"applications": apps(&["All"], &[]), "users": users(), "platforms": {"includePlatforms": ["macOS"], "excludePlatforms": []}, "clientAppTypes": ["all"]}),
            grant("OR", &["compliantDevice"]),
        ),
        policy(
            "10000000-0000-4000-8000-000000000006",
            "Require compliant Windows PC",
            "enabled",
            json!({"applications": apps(&["All"], &[]), "users": users(), "platforms": {"includePlatforms": ["windows"], "excludePlatforms": []}, "clientAppTypes": ["all"]}),
            grant("OR", &["compliantDevice"]),
        ),
        policy(
            "10000000-0000-4000-8000-000000000007",
            "Approved client apps only",
            "enabled",
            json!({"applications": apps(&["All"], &[]), "users": users(), "clientAppTypes": ["mobileAppsAndDesktopClients"]}),
            grant("OR", &["approvedApplication"]),
        ),
        policy(
            "10000000-0000-4000-8000-000000000008",
            "Approved app or compliant device",
            "enabled",
            json!({"applications": apps(&["All"], &[]), "users": users(), "clientAppTypes": ["all"]}),
            grant("OR", &["approvedApplication", "compliantDevice"]),
        ),
        policy(
            "10000000-0000-4000-8000-000000000009",
            "Block outside trusted locations",
            "enabled",
            json!({"applications": apps(&["All"], &[]), "users": users(), "locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}, "clientAppTypes": ["all"]}),
            grant("OR", &["block"]),
        ),
        policy(
            "10000000-0000-4000-8000-00000000000a",
            "Block device code flow outside the office",
            "enabled",
            json!({"applications": apps(&["All"], &[]), "users": users(), "locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}, "authenticationFlows": {"transferMethods": "deviceCodeFlow"}, "clientAppTypes": ["all"]}),
            grant("OR", &["block"]),
        ),
        policy(
            "10000000-0000-4000-8000-00000000000b",
            "Register security info from trusted locations",
            "enabled",
            json!({"applications": {"includeApplications": [], "excludeApplications": [], "includeUserActions": ["urn:user:registersecurityinfo"]}, "users": users(), "locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}, "clientAppTypes": ["all"]}),
            grant("OR", &["block"]),
        ),
        policy(
            "10000000-0000-4000-8000-00000000000c",
            "Old compliance policy",
            "disabled",
            json!({"applications": apps(&["All"], &[]), "users": users(), "clientAppTypes": ["all"]}),
            grant("AND", &["compliantDevice", "domainJoinedDevice"]),
        ),
    ]
}

/// PascalCase keys with `@odata.type` annotations beside arrays, as
/// Graph PowerShell's `ConvertTo-Json` writes them.
fn powershell(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (key, inner) in map {
                let mut chars = key.chars();
                let pascal = chars
                    .next()
                    .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                    .unwrap_or_default();
                if inner.is_array() {
                    out.insert(format!("{pascal}@odata.type"), json!("#Collection(String)"));
                }
                out.insert(pascal, powershell(inner));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(powershell).collect()),
        other => other.clone(),
    }
}

/// Every file: `(path under fixtures/entra/policies, bytes)`.
pub fn exports() -> Vec<(String, Vec<u8>)> {
    let policies = policies();
    let list = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies",
        "value": policies
    });
    let mut files = vec![(
        "graph.json".to_string(),
        serde_json::to_string_pretty(&list).unwrap().into_bytes(),
    )];
    for (n, policy) in policies.iter().enumerate() {
        let text = serde_json::to_string_pretty(&powershell(policy))
            .unwrap()
            .replace('\n', "\r\n");
        let bytes: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        files.push((format!("powershell/policy-{:02}.json", n + 1), bytes));
    }
    files
}
