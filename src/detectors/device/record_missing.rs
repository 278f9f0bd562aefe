//! `device-record-missing`: Entra ID's device objects were given and none
//! has the Mac's device ID: the object was deleted (a clean-up of stale
//! devices, a user removing the Mac) or the registration never reached
//! Entra ID. The device cannot authenticate; every policy that needs a
//! device refuses it.

use super::ChainContext;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::DeviceRecordMissing;

/// Raises `device-record-missing` (critical).
pub(crate) fn detect(context: &ChainContext) -> Vec<Finding> {
    let chain = context.chain;
    if !chain.devices_read || !chain.entra.is_empty() || chain.soft_deleted.is_some() {
        return Vec::new();
    }
    let mut evidence = vec![EvidenceRow::new(
        "device ID",
        format!("{}: no Entra device object has it", chain.device_id),
    )];
    if !chain.other_records.is_empty() {
        evidence.push(
            EvidenceRow::new(
                "other objects of this Mac",
                chain.other_records.len().to_string(),
            )
            .with_items(
                chain
                    .other_records
                    .iter()
                    .map(|d| {
                        format!(
                            "{} ({}, {})",
                            d.device_id, d.display_name, d.operating_system
                        )
                    })
                    .collect(),
            ),
        );
    }
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Critical,
        summary: format!(
            "Entra ID has no device object for the Mac's device ID {}: it was deleted or never registered",
            chain.device_id
        ),
        evidence,
        remediation: vec![
            "Check Entra ID's audit log (Devices > Audit logs, activity \"Delete device\") for who removed it; exclude Macs from automated stale-device clean-ups that run more often than every 90 days.".to_string(),
            "Register the Mac again: the user runs the \"Register with Entra ID\" policy from Self Service (or Company Portal); this makes a new device ID.".to_string(),
            format!("Then {} with the new device export.", context.run_again),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::device::testing::{CURRENT, chain_of, run, tenant};

    #[test]
    fn raised_when_no_object_has_the_device_id_and_only_then() {
        let mut records = tenant();
        assert!(
            run(detect, &chain_of(&records), None).is_empty(),
            "near miss: the object exists"
        );
        records
            .devices
            .retain(|d| d.device_id.to_string() != CURRENT);
        let findings = run(detect, &chain_of(&records), None);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].severity, Severity::Critical);
        assert!(findings[0].summary.contains(CURRENT));
        // Without a device export, nothing is said.
        records
            .inputs
            .retain(|i| i.what != crate::tenant::entra::devices::DEVICES_INPUT);
        assert!(run(detect, &chain_of(&records), None).is_empty());
    }
}
