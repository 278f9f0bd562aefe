//! `device-not-compliant`: Entra ID says the Mac's device is not compliant
//! (its device object's `isCompliant`, else the latest sign-in's). The
//! finding says where the chain stops: the agent deactivated, Jamf Pro
//! reporting NON_COMPLIANT (its compliance Smart Group), Jamf Pro reporting
//! COMPLIANT while Entra does not (the Jamf Pro–Intune connector), the Mac
//! outside the compliance group's scope, or no Jamf Pro record at all.

use super::ChainContext;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::tenant::jamf_pro::compliance::JamfComplianceState;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::DeviceNotCompliant;

/// Where the chain stops, and what to do there.
fn the_broken_link(context: &ChainContext) -> (String, Vec<String>) {
    let chain = context.chain;
    let inventory = chain
        .jamf_computer
        .as_ref()
        .and_then(|c| c.report_date)
        .map(|t| {
            format!(
                " (last inventory {}, {} days ago)",
                context.time(t),
                context.days_since(t)
            )
        })
        .unwrap_or_default();
    let agent_says_deactivated = context.agent_deactivated == Some(true)
        || chain
            .jamf_computer
            .iter()
            .flat_map(|c| c.accounts.iter())
            .any(|a| {
                a.device_id == Some(chain.device_id) && a.state.eq_ignore_ascii_case("DEACTIVATED")
            });
    if agent_says_deactivated {
        return (
            "the agent on the Mac is deactivated, so Jamf Pro reports it non-compliant".to_string(),
            vec!["Fix the deactivation first (the Mac's own report names its cause), then reactivate with the agent's sign-in; Jamf Pro reports compliance again at the next inventory.".to_string()],
        );
    }
    let applicable: Vec<_> = chain
        .jamf_compliance
        .iter()
        .filter(|r| r.applicable != Some(false))
        .collect();
    if applicable
        .iter()
        .any(|r| r.state == JamfComplianceState::NonCompliant)
    {
        return (
            format!("Jamf Pro reports it NON_COMPLIANT: the Mac fails the compliance Smart Group's criteria{inventory}"),
            vec![
                "In Jamf Pro, open the Smart Group used for compliance (Settings > Global > Conditional Access / Device Compliance, \"Compliance group\") and check which criterion the Mac fails (OS version, FileVault, last inventory within 2 days...).".to_string(),
                "Fix that on the Mac, then update its inventory (`sudo jamf recon`): Jamf Pro sends the new state to Intune.".to_string(),
            ],
        );
    }
    if applicable
        .iter()
        .any(|r| r.state == JamfComplianceState::Compliant)
    {
        return (
            "Jamf Pro reports it COMPLIANT but Entra ID does not: the link between Jamf Pro and Intune".to_string(),
            vec![
                "In Intune (Tenant administration > Connectors and tokens > Partner compliance management), check that the Jamf Pro connector is active and recently synced; in Jamf Pro, check Settings > Global > Device Compliance for errors.".to_string(),
                "Send the state again: update the Mac's inventory (`sudo jamf recon`) and wait for the next sync (up to about 15 minutes).".to_string(),
            ],
        );
    }
    if !chain.jamf_compliance.is_empty() {
        return (
            "Jamf Pro has no compliance state to send: the Mac is outside the compliance group's scope, or its state is still being calculated (UNKNOWN, or not applicable)".to_string(),
            vec!["Check that the Mac (and its user) is in the scope of the compliance Smart Group in Jamf Pro's Device Compliance settings, then update its inventory (`sudo jamf recon`).".to_string()],
        );
    }
    if chain.compliance_read || chain.inventory_read {
        return (
            "Jamf Pro has no record of this device: the Mac is not registered with Jamf Pro's device compliance integration".to_string(),
            vec!["Have the user run the \"Register with Entra ID\" policy from Self Service while signed in to the Mac; check that the Mac is in the compliance group's scope.".to_string()],
        );
    }
    (
        "Jamf Pro's side was not given".to_string(),
        vec!["Add Jamf Pro's compliance information and inventory for this Mac with --tenant (the Jamf Pro API's device-compliance-information and computers-inventory) to see where the chain stops.".to_string()],
    )
}

/// Raises `device-not-compliant` (critical).
pub(crate) fn detect(context: &ChainContext) -> Vec<Finding> {
    let chain = context.chain;
    if chain.entra_compliant() != Some(false) {
        return Vec::new();
    }
    let (link, mut steps) = the_broken_link(context);
    let name = chain
        .entra
        .first()
        .map(|d| d.display_name.to_string())
        .or_else(|| chain.jamf_computer.as_ref().map(|c| c.name.to_string()))
        .unwrap_or_default();
    let mut evidence = vec![EvidenceRow::new(
        "Entra ID",
        format!(
            "{} ({}): not compliant{}",
            name,
            chain.device_id,
            if chain.entra.iter().any(|d| d.is_compliant == Some(false)) {
                " (device object)"
            } else {
                " (latest sign-in)"
            }
        ),
    )];
    let refused = chain
        .sign_ins
        .iter()
        .filter(|s| s.refused_for_device_state())
        .count();
    if refused > 0 {
        evidence.push(EvidenceRow::count(
            "sign-ins refused for it",
            refused as u64,
        ));
    }
    for record in &chain.jamf_compliance {
        evidence.push(EvidenceRow::new(
            "Jamf Pro compliance",
            format!(
                "{}: {}{}",
                if record.vendor.is_empty() {
                    "vendor unknown"
                } else {
                    &record.vendor
                },
                record.state.as_str(),
                if record.applicable == Some(false) {
                    " (not applicable)"
                } else {
                    ""
                }
            ),
        ));
    }
    evidence.push(EvidenceRow::new("where the chain stops", link.clone()));
    steps.push(format!("Then {}.", context.run_again));
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Critical,
        summary: format!("Entra ID says the Mac's device is not compliant: {link}"),
        evidence,
        remediation: steps,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::device::testing::{CURRENT, chain_of, object, run, tenant};

    #[test]
    fn each_broken_link_is_named() {
        let records = tenant();
        let findings = run(detect, &chain_of(&records), Some(false));
        assert!(
            findings[0]
                .summary
                .contains("Jamf Pro reports it NON_COMPLIANT"),
            "{}",
            findings[0].summary
        );
        assert!(
            findings[0]
                .summary
                .contains("last inventory 2026-11-16 03:00:00, 4 days ago"),
            "{}",
            findings[0].summary
        );
        let findings = run(detect, &chain_of(&records), Some(true));
        assert!(
            findings[0]
                .summary
                .contains("the agent on the Mac is deactivated")
        );
        let mut compliant = tenant();
        compliant.compliance[0].state = JamfComplianceState::Compliant;
        let findings = run(detect, &chain_of(&compliant), Some(false));
        assert!(
            findings[0]
                .summary
                .contains("the link between Jamf Pro and Intune")
        );
        let mut outside = tenant();
        outside.compliance[0].applicable = Some(false);
        let findings = run(detect, &chain_of(&outside), Some(false));
        assert!(
            findings[0]
                .summary
                .contains("outside the compliance group's scope")
        );
        let mut unknown = tenant();
        unknown.compliance.clear();
        unknown.computers.clear();
        let findings = run(detect, &chain_of(&unknown), Some(false));
        assert!(
            findings[0]
                .summary
                .contains("not registered with Jamf Pro's device compliance integration")
        );
        // Near miss: compliant in Entra.
        let mut fine = tenant();
        object(&mut fine, CURRENT).is_compliant = Some(true);
        assert!(run(detect, &chain_of(&fine), Some(false)).is_empty());
    }
}
