//! `jamf-connect-config-invalid`: Jamf Connect's Entra ID settings hold IDs
//! that cannot work: a client, ROPG or tenant ID that is no GUID (Jamf's
//! sample profiles ship placeholders), a provider without `OIDCClientID`, or
//! a menu-bar password check without its ROPG app.

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::JamfConnectConfigInvalid;

/// Whether `text` is a GUID (`8-4-4-4-12` hexadecimal digits).
pub(crate) fn is_guid(text: &str) -> bool {
    crate::util::guid::Guid::parse(text).is_some()
}

/// Raises `jamf-connect-config-invalid` (warning).
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(config) = context.facts.jamf_connect.as_ref().filter(|c| c.is_entra()) else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    for (key, value) in [
        ("OIDCClientID", &config.client_id),
        ("OIDCROPGID", &config.login_ropg_id),
        ("IdPSettings ROPGID", &config.menu_ropg_id),
    ] {
        if let Some(id) = value
            && !is_guid(id)
        {
            problems.push(EvidenceRow::new(
                key,
                format!("{id:?} is not an app ID (a GUID)"),
            ));
        }
    }
    for (key, value) in [
        ("OIDCTenant / ROPGTenant", &config.login_tenant),
        ("IdPSettings TenantID", &config.menu_tenant),
    ] {
        if let Some(tenant) = value
            && !is_guid(tenant)
            && !tenant.contains('.')
        {
            problems.push(EvidenceRow::new(
                key,
                format!("{tenant:?} is neither a tenant ID nor a domain"),
            ));
        }
    }
    if config.provider.is_some() && config.client_id.is_none() {
        problems.push(EvidenceRow::new(
            "OIDCClientID",
            "missing for an Entra ID provider",
        ));
    }
    let checks = config.network_check.is_some_and(|n| n > 0) || config.menu_provider.is_some();
    if checks && config.menu_ropg_id.is_none() {
        problems.push(EvidenceRow::new(
            "IdPSettings ROPGID",
            "missing while the menu bar checks the password",
        ));
    }
    if problems.is_empty() {
        return Vec::new();
    }
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Warning,
        summary: "Jamf Connect's Entra ID settings hold IDs that cannot work: its sign-ins and password checks fail".to_string(),
        evidence: problems,
        remediation: vec![
            "Copy the Application (client) ID and the Directory (tenant) ID from the app registration in Entra ID into the Jamf Connect configuration profile (Jamf's sample profiles ship placeholders).".to_string(),
            "Set the ROPG app (`OIDCROPGID`, and `ROPGID` in the menu bar's IdPSettings) to the app that allows public client flows.".to_string(),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids() {
        assert!(is_guid("c0ffee00-1111-4222-8333-444455556666"));
        assert!(!is_guid("YOUR-CLIENT-ID"));
        assert!(!is_guid("c0ffee00-1111-4222-8333-44445555666"));
    }
}
