//! `jamf-connect-default-scopes`: the ROPG password check requests only the
//! default `openid profile email` scopes, so it asks for Microsoft's own
//! resources, which every "All cloud apps" MFA policy reaches: no exclusion
//! can exempt it. Only a custom API scope gives policies an app to exclude.

use super::Context;
use super::policies::mfa_policy_hits_ropg;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::JamfConnectDefaultScopes;

/// Raises `jamf-connect-default-scopes` (info).
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(config) = context.facts.jamf_connect.as_ref().filter(|c| c.is_entra()) else {
        return Vec::new();
    };
    if !config.default_scopes_only() {
        return Vec::new();
    }
    let scopes = config.scopes();
    let shown = if scopes.is_empty() {
        "none configured (the default openid profile email)".to_string()
    } else {
        scopes.join(" ")
    };
    // With the tenant's policies: an enforced MFA policy that reaches it
    // turns the note into a warning.
    let enforced_mfa: Vec<String> = context
        .facts
        .tenant_policies
        .as_ref()
        .map(|evidence| {
            mfa_policy_hits_ropg::detect(evidence)
                .into_iter()
                .filter(|f| f.severity >= Severity::Warning)
                .filter_map(|f| f.subject)
                .collect()
        })
        .unwrap_or_default();
    let mut evidence = vec![EvidenceRow::new("ROPG scopes", shown)];
    let (severity, summary) = if enforced_mfa.is_empty() {
        (
            Severity::Info,
            "Jamf Connect's password check asks only for the default scopes: every \"All cloud apps\" MFA policy reaches it, and no exclusion can exempt it".to_string(),
        )
    } else {
        evidence.push(
            EvidenceRow::count(
                "enforced MFA policies that reach it",
                enforced_mfa.len() as u64,
            )
            .with_items(enforced_mfa),
        );
        (
            Severity::Warning,
            "Jamf Connect's password check asks only for the default scopes and the tenant enforces MFA on it: excluding Jamf Connect's app cannot exempt it".to_string(),
        )
    };
    vec![Finding {
        id: ID,
        subject: None,
        severity,
        summary,
        evidence,
        remediation: vec![
            "Expose a scope `jamfconnect` on a \"Conditional Access Policy API\" app registration and set `api://<that app id>/jamfconnect` as the ROPG scope, then exclude that API app from the MFA policy.".to_string(),
            "Check the tenant's policies with `ca-doctor policies` and its sign-ins with `ca-doctor signins`.".to_string(),
        ],
    }]
}
