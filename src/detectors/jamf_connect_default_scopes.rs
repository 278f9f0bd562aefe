//! `jamf-connect-default-scopes`: the ROPG password check requests only the
//! default `openid profile email` scopes, so it asks for Microsoft's own
//! resources, which every "All cloud apps" MFA policy reaches: no exclusion
//! can exempt it. Only a custom API scope gives policies an app to exclude.

use super::Context;
use crate::findings::{Evidence, Finding, FindingId, Severity};

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::JamfConnectDefaultScopes;

/// Scopes every sign-in may ask for without naming a resource.
const DEFAULT_SCOPES: &[&str] = &["openid", "profile", "email", "offline_access"];

/// Raises `jamf-connect-default-scopes` (info).
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(config) = context.facts.jamf_connect.as_ref().filter(|c| c.is_entra()) else {
        return Vec::new();
    };
    if config.custom_api_app.is_some() {
        return Vec::new();
    }
    let scopes: Vec<&String> = config
        .menu_scopes
        .iter()
        .chain(&config.login_scopes)
        .collect();
    if scopes
        .iter()
        .any(|s| !DEFAULT_SCOPES.iter().any(|d| s.eq_ignore_ascii_case(d)))
    {
        return Vec::new();
    }
    let shown = if scopes.is_empty() {
        "none configured (the default openid profile email)".to_string()
    } else {
        scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Info,
        summary: "Jamf Connect's password check asks only for the default scopes: every \"All cloud apps\" MFA policy reaches it, and no exclusion can exempt it".to_string(),
        evidence: vec![Evidence::new("ROPG scopes", shown)],
        remediation: vec![
            "Expose a scope `jamfconnect` on a \"Conditional Access Policy API\" app registration and set `api://<that app id>/jamfconnect` as the ROPG scope, then exclude that API app from the MFA policy.".to_string(),
            "Check the tenant's policies with `ca-doctor policies` and its sign-ins with `ca-doctor signins`.".to_string(),
        ],
    }]
}
