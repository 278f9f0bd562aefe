//! `device-not-registered-in-tenant`: the SSO extension or Company Portal
//! found no device registration for the tenant (`[errorCode:-400] no
//! registration exists for tenant`): the Mac presents no device to Entra ID.

use super::super::Context;
use crate::findings::{Finding, FindingId, Severity};
use crate::mac::log::SignatureId;
use crate::util::text::count;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::DeviceNotRegisteredInTenant;

/// Raises `device-not-registered-in-tenant` (critical), unless a
/// registration check says the device is registered now.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(stats) = context
        .observations
        .get(SignatureId::DeviceNotRegisteredInTenant)
    else {
        return Vec::new();
    };
    let registered_now = context.facts.registered();
    let (severity, summary) = if registered_now {
        (
            Severity::Info,
            format!(
                "The SSO extension found no registration for the tenant {}, but a registration check says the device is registered now",
                count(stats.count, "time", "times")
            ),
        )
    } else {
        (
            Severity::Critical,
            format!(
                "The SSO extension found no device registration for the tenant {}: the Mac presents no device to Entra ID",
                count(stats.count, "time", "times")
            ),
        )
    };
    vec![Finding {
        id: ID,
        subject: None,
        severity,
        summary,
        evidence: context.stats_evidence(stats),
        remediation: vec![
            "Have the user run the \"Register with Entra ID\" policy in Self Service (Company Portal registers the device, then the agent sends compliance).".to_string(),
            format!("Then {}.", context.run_again()),
        ],
    }]
}
