//! `device-disabled`: Entra ID's object of the Mac's device ID has
//! `accountEnabled` false: the device's sign-ins are denied, whatever its
//! compliance.

use super::ChainContext;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::DeviceDisabled;

/// Raises `device-disabled` (critical).
pub(crate) fn detect(context: &ChainContext) -> Vec<Finding> {
    let chain = context.chain;
    let Some(device) = chain
        .entra
        .iter()
        .find(|d| d.account_enabled == Some(false))
    else {
        return Vec::new();
    };
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Critical,
        summary: format!(
            "Entra ID's device object of the Mac ({}, {}) is disabled: its sign-ins are denied",
            device.display_name, chain.device_id
        ),
        evidence: vec![
            EvidenceRow::new("device ID", chain.device_id.to_string()),
            EvidenceRow::new("accountEnabled", "false"),
            EvidenceRow::new(
                "object ID",
                device.object_id.map_or_else(|| "unknown".to_string(), |id| id.to_string()),
            ),
        ],
        remediation: vec![
            "If it was disabled by mistake or by a clean-up: in the Microsoft Entra admin center, Devices > All devices, select the device and choose Enable.".to_string(),
            "If it was disabled on purpose (a lost Mac, a reassignment): register the Mac again from Self Service, which makes a new device object, and delete this one.".to_string(),
            format!("Then {}.", context.run_again),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::device::testing::{CURRENT, OLDER, chain_of, object, run, tenant};

    #[test]
    fn raised_for_the_device_s_own_object_only() {
        let mut records = tenant();
        // Near miss: another object of the Mac is disabled.
        object(&mut records, OLDER).account_enabled = Some(false);
        assert!(run(detect, &chain_of(&records), None).is_empty());
        object(&mut records, CURRENT).account_enabled = Some(false);
        let findings = run(detect, &chain_of(&records), None);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].severity, Severity::Critical);
    }
}
