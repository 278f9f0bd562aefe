//! `device-id-mismatch`: the device presented in sign-ins, or the one Jamf
//! Pro reports for this Mac (the agent's `computerAzureActiveDirectoryId`),
//! is not the Mac's current device ID: a stale registration. Entra judges
//! a device the Mac no longer is, or Jamf Pro sends compliance for it.

use super::ChainContext;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::DeviceIdMismatch;

/// Raises `device-id-mismatch` (critical).
pub(crate) fn detect(context: &ChainContext) -> Vec<Finding> {
    let chain = context.chain;
    let jamf = chain.jamf_reports_other();
    if chain.older_id_sign_ins.is_empty() && jamf.is_empty() {
        return Vec::new();
    }
    let mut evidence = vec![EvidenceRow::new(
        "the Mac's device ID",
        format!("{} (its current certificate)", chain.device_id),
    )];
    let mut stale: Vec<String> = Vec::new();
    if !chain.older_id_sign_ins.is_empty() {
        let mut ids: Vec<String> = chain
            .older_id_sign_ins
            .iter()
            .filter_map(|s| s.device_id.map(|id| id.to_string()))
            .collect();
        ids.sort();
        ids.dedup();
        let last = chain.older_id_sign_ins.iter().filter_map(|s| s.time).max();
        evidence.push(
            EvidenceRow::count(
                "sign-ins with an older device ID",
                chain.older_id_sign_ins.len() as u64,
            )
            .with_items(
                ids.iter()
                    .map(|id| {
                        format!(
                            "{id}{}",
                            last.map(|t| format!(" (last {})", context.time(t)))
                                .unwrap_or_default()
                        )
                    })
                    .collect(),
            ),
        );
        stale.extend(ids);
    }
    if !jamf.is_empty() {
        let computer = chain
            .jamf_computer
            .as_ref()
            .map(|c| format!("{} (ID {})", c.name, c.id))
            .unwrap_or_default();
        evidence.push(
            EvidenceRow::new("Jamf Pro reports", computer).with_items(
                jamf.iter()
                    .map(|(user, id)| format!("{user}: computerAzureActiveDirectoryId {id}"))
                    .collect(),
            ),
        );
        stale.extend(jamf.iter().map(|(_, id)| id.to_string()));
    }
    stale.sort();
    stale.dedup();
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Critical,
        summary: format!(
            "A stale registration: {} {} instead of the Mac's device ID {}",
            if jamf.is_empty() { "sign-ins present" } else { "Jamf Pro reports" },
            stale.join(", "),
            chain.device_id
        ),
        evidence,
        remediation: vec![
            format!(
                "Keep the device object of {} (the Mac's current certificate); once the Mac is compliant, delete the object(s) of {} in the Microsoft Entra admin center (Devices > All devices).",
                chain.device_id,
                stale.join(", ")
            ),
            "So that Jamf Pro reports the current ID: have the user run the agent's sign-in (`gatherAADInfo`, or the \"Register with Entra ID\" policy from Self Service), then update the inventory (`sudo jamf recon`).".to_string(),
            "So that browsers present the current device: quit and reopen them after the registration; in Chrome, the Microsoft Single Sign On extension picks up the new device.".to_string(),
            format!("Then {}.", context.run_again),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::device::testing::{OLDER, chain_of, run, tenant};
    use crate::util::guid::Guid;

    #[test]
    fn an_older_id_in_sign_ins_or_in_jamf_pro_is_a_mismatch() {
        let mut records = tenant();
        assert!(
            run(detect, &chain_of(&records), None).is_empty(),
            "near miss: all current"
        );
        records.sign_ins[0].device_id = Guid::parse(OLDER);
        let findings = run(detect, &chain_of(&records), None);
        assert_eq!(findings.len(), 1);
        assert!(
            findings[0]
                .summary
                .contains(&format!("sign-ins present {OLDER}")),
            "{}",
            findings[0].summary
        );
        let mut records = tenant();
        records.computers[0].accounts[0].device_id = Guid::parse(OLDER);
        let findings = run(detect, &chain_of(&records), None);
        assert!(
            findings[0]
                .summary
                .contains(&format!("Jamf Pro reports {OLDER}")),
            "{}",
            findings[0].summary
        );
        assert_eq!(findings[0].severity, Severity::Critical);
    }
}
