//! `duplicate-device-records`: more than one Entra device object for the
//! Mac (several certificates on it, the same serial number in Intune, the
//! same name on a Mac operating system). A stale copy that is compliant or
//! recent misleads (warning); old copies only are information. A record is
//! never called stale before 21 days without a sign-in: Entra refreshes
//! that time only about every 14 days.

use super::ChainContext;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::tenant::entra::devices::EntraDevice;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::DuplicateDeviceRecords;

/// Days without a sign-in before a record may be called stale.
pub(crate) const STALE_DAYS: i64 = 21;

/// Raises `duplicate-device-records`.
pub(crate) fn detect(context: &ChainContext) -> Vec<Finding> {
    let chain = context.chain;
    if chain.other_records.is_empty() {
        return Vec::new();
    }
    let recent = |d: &EntraDevice| {
        d.last_sign_in
            .is_some_and(|t| context.days_since(t) < STALE_DAYS)
    };
    let describe = |d: &EntraDevice| {
        format!(
            "{} · {} · {} · compliant: {} · last sign-in {}{}",
            d.device_id,
            d.display_name,
            d.operating_system,
            match d.is_compliant {
                Some(true) => "yes",
                Some(false) => "no",
                None => "unknown",
            },
            d.last_sign_in
                .map_or_else(|| "unknown".to_string(), |t| context.time(t)),
            if recent(d) {
                format!(" (active within {STALE_DAYS} days: not stale)")
            } else {
                " (stale)".to_string()
            }
        )
    };
    let misleading = chain
        .other_records
        .iter()
        .any(|d| d.account_enabled != Some(false) && (d.is_compliant == Some(true) || recent(d)));
    let stale: Vec<String> = chain
        .other_records
        .iter()
        .filter(|d| !recent(d))
        .map(|d| d.device_id.to_string())
        .collect();
    let mut steps = Vec::new();
    if stale.is_empty() {
        steps.push(format!("Every other record signed in within {STALE_DAYS} days: none may be called stale yet. Look again later; keep {} meanwhile.", chain.device_id));
    } else {
        steps.push(format!(
            "Keep {} (the device the Mac presents); delete the stale record(s) {} in the Microsoft Entra admin center (Devices > All devices), or disable them first and delete later.",
            chain.device_id,
            stale.join(", ")
        ));
    }
    steps.push("Do not delete a record that signed in within the last 21 days: Entra refreshes the last sign-in only about every 14 days.".to_string());
    vec![Finding {
        id: ID,
        subject: None,
        severity: if misleading {
            Severity::Warning
        } else {
            Severity::Info
        },
        summary: format!(
            "Entra ID has {} device objects for this Mac; the current one is {}",
            chain.other_records.len() + chain.entra.len().max(1),
            chain.device_id
        ),
        evidence: vec![
            EvidenceRow::new(
                "current",
                chain
                    .entra
                    .first()
                    .map_or_else(|| format!("{} (no object)", chain.device_id), describe),
            ),
            EvidenceRow::new("others", chain.other_records.len().to_string())
                .with_items(chain.other_records.iter().map(describe).collect()),
        ],
        remediation: steps,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::device::testing::{OLDER, chain_of, now, object, run, tenant};

    #[test]
    fn a_compliant_stale_copy_warns_old_copies_inform_and_recent_ones_are_not_stale() {
        let mut records = tenant();
        let findings = run(detect, &chain_of(&records), None);
        assert_eq!(findings.len(), 1);
        assert_eq!(
            findings[0].severity,
            Severity::Warning,
            "the old copy is compliant"
        );
        assert!(findings[0].evidence[1].items[0].contains("(stale)"));
        object(&mut records, OLDER).is_compliant = Some(false);
        assert_eq!(
            run(detect, &chain_of(&records), None)[0].severity,
            Severity::Info
        );
        object(&mut records, OLDER).last_sign_in = Some(now() - chrono::Duration::days(20));
        let findings = run(detect, &chain_of(&records), None);
        assert_eq!(findings[0].severity, Severity::Warning);
        assert!(findings[0].evidence[1].items[0].contains("not stale"));
        assert!(
            findings[0].remediation[0].starts_with("Every other record signed in within 21 days")
        );
        // Near miss: one object only.
        records.devices.retain(|d| d.device_id.to_string() != OLDER);
        assert!(run(detect, &chain_of(&records), None).is_empty());
    }
}
