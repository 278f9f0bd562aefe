//! `inventory-stale`: Jamf Pro's last inventory of the Mac is older than 2
//! days while its compliance comes from Jamf Pro: Microsoft's example
//! compliance Smart Group requires an inventory within 2 days, so a Mac
//! that stops submitting inventory turns non-compliant.

use super::ChainContext;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::InventoryStale;

/// Days after which an inventory is stale.
pub(crate) const STALE_DAYS: i64 = 2;

/// Raises `inventory-stale` (warning).
pub(crate) fn detect(context: &ChainContext) -> Vec<Finding> {
    let chain = context.chain;
    let Some(computer) = &chain.jamf_computer else {
        return Vec::new();
    };
    let Some(report) = computer.report_date else {
        return Vec::new();
    };
    // Compliance comes from Jamf Pro: it sends a state for the Mac, or its
    // agent reported the device.
    let from_jamf = !chain.jamf_compliance.is_empty()
        || computer
            .accounts
            .iter()
            .any(|a| a.device_id == Some(chain.device_id));
    let age = context.now - report;
    if !from_jamf || age <= chrono::Duration::days(STALE_DAYS) {
        return Vec::new();
    }
    let mut evidence = vec![
        EvidenceRow::new(
            "Jamf Pro computer",
            format!("{} (ID {})", computer.name, computer.id),
        ),
        EvidenceRow::new(
            "last inventory",
            format!("{} ({} days ago)", context.time(report), age.num_days()),
        ),
    ];
    if let Some(contact) = computer.last_contact {
        evidence.push(EvidenceRow::new("last contact", context.time(contact)));
    }
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Warning,
        summary: format!(
            "Jamf Pro's last inventory of the Mac is {} days old: a compliance group that requires an inventory within {STALE_DAYS} days turns it non-compliant",
            age.num_days()
        ),
        evidence,
        remediation: vec![
            "On the Mac, update the inventory now: `sudo jamf recon` (it fails with the reason if the Mac cannot reach Jamf Pro).".to_string(),
            "Check the inventory policy's frequency (at least daily) and that the Mac checks in (last contact above); a Mac that checks in but does not submit inventory has a failing policy.".to_string(),
            format!("Then {}.", context.run_again),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::device::testing::{chain_of, now, run, tenant};

    #[test]
    fn older_than_two_days_is_stale_one_day_is_not() {
        let mut records = tenant();
        let findings = run(detect, &chain_of(&records), None);
        assert_eq!(findings.len(), 1);
        assert!(
            findings[0].summary.contains("4 days old"),
            "{}",
            findings[0].summary
        );
        records.computers[0].report_date = Some(now() - chrono::Duration::days(1));
        assert!(run(detect, &chain_of(&records), None).is_empty());
    }
}
