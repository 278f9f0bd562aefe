//! `device-soft-deleted`: Entra ID's object of the Mac's device ID is among
//! its soft-deleted devices. Graph answers 404 for it, so the device cannot
//! authenticate; its device ID stays reserved for 30 days (no new
//! registration can take it) and `isCompliant` was reset to false, so
//! compliance has to be sent again once it is restored.

use super::ChainContext;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::DeviceSoftDeleted;

/// How long a soft-deleted device can be restored.
const RESTORABLE_DAYS: i64 = 30;

/// Raises `device-soft-deleted` (critical).
pub(crate) fn detect(context: &ChainContext) -> Vec<Finding> {
    let chain = context.chain;
    let Some(deleted) = &chain.soft_deleted else {
        return Vec::new();
    };
    let mut evidence = vec![EvidenceRow::new(
        "deleted object",
        format!(
            "{} ({}{})",
            deleted.device_id,
            if deleted.display_name.is_empty() {
                "no name"
            } else {
                &deleted.display_name
            },
            deleted
                .object_id
                .map(|id| format!(", object ID {id}"))
                .unwrap_or_default()
        ),
    )];
    let restore_by = deleted
        .deleted
        .map(|time| time + chrono::Duration::days(RESTORABLE_DAYS));
    if let Some(time) = deleted.deleted {
        evidence.push(EvidenceRow::new("deleted", context.time(time)));
    }
    let restorable = restore_by.map(|limit| limit > context.now);
    if let Some(limit) = restore_by {
        evidence.push(EvidenceRow::new(
            "restorable until",
            format!(
                "{}{}",
                context.time(limit),
                if restorable == Some(false) {
                    " (passed: it may be gone for good)"
                } else {
                    ""
                }
            ),
        ));
    }
    let object = deleted
        .object_id
        .map_or_else(|| "{object id}".to_string(), |id| id.to_string());
    let mut remediation = Vec::new();
    if restorable != Some(false) {
        remediation.push(format!(
            "If the deletion was a mistake, restore the object: Entra admin center > Devices > Deleted devices > Restore, or Graph `POST /directory/deletedItems/{object}/restore` (Device.ReadWrite.All)."
        ));
        remediation.push("A restored object comes back with isCompliant false: have Jamf Pro send compliance again (the user runs the \"Register with Entra ID\" policy, or `gatherAADInfo` as the user, then an inventory update).".to_string());
        remediation.push("Otherwise delete it for good and register the Mac again: while it is soft-deleted its device ID stays reserved and no new registration can take it.".to_string());
    } else {
        remediation.push("Register the Mac again: the user runs the \"Register with Entra ID\" policy from Self Service; this makes a new device ID.".to_string());
    }
    remediation.push("Check who deleted it (Entra ID's audit log, activity \"Delete device\") and exclude Macs from stale-device clean-ups that judge by a sign-in time younger than 21 days.".to_string());
    remediation.push(format!(
        "Then {} with a new export of the devices.",
        context.run_again
    ));
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Critical,
        summary: format!(
            "Entra ID soft-deleted the Mac's device object {}{}: the device cannot sign in and its compliance was reset",
            chain.device_id,
            deleted
                .deleted
                .map(|t| format!(" on {}", context.time(t)))
                .unwrap_or_default()
        ),
        evidence,
        remediation,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::device::testing::{CURRENT, chain_of, run, tenant};

    #[test]
    fn raised_for_a_deleted_object_of_the_device_id_and_record_missing_yields() {
        let mut records = tenant();
        let mut object = records
            .devices
            .iter()
            .find(|d| d.device_id.to_string() == CURRENT)
            .cloned()
            .unwrap();
        // Near miss: the live object is there.
        object.deleted = chrono::DateTime::parse_from_rfc3339("2026-11-10T09:00:00Z").ok();
        records.deleted.push(object.clone());
        assert!(run(detect, &chain_of(&records), None).is_empty());
        // Deleted: soft-deleted, never "missing".
        records
            .devices
            .retain(|d| d.device_id.to_string() != CURRENT);
        let chain = chain_of(&records);
        let findings = run(detect, &chain, None);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert!(findings[0].summary.contains(CURRENT));
        assert!(
            findings[0].remediation[0].contains("deletedItems"),
            "{:?}",
            findings[0].remediation
        );
        assert!(run(super::super::record_missing::detect, &chain, None).is_empty());
        // Another device's deleted object says nothing of this one.
        records.deleted[0].device_id =
            crate::util::guid::Guid::parse("0d6f3c2e-1111-4222-8333-444455556666").unwrap();
        let chain = chain_of(&records);
        assert!(run(detect, &chain, None).is_empty());
        assert_eq!(
            run(super::super::record_missing::detect, &chain, None).len(),
            1
        );
    }
}
