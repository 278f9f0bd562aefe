//! `enrolled-in-intune-too`: a Mac that Jamf Pro manages (its computer
//! record, or an Intune record with the `jamf` management agent) also has
//! an Intune record with an MDM management agent. There is one compliance
//! partner per platform: Intune's own compliance is then enforced and the
//! state Jamf Pro sends is ignored.

use super::ChainContext;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::tenant::entra::managed_devices::ManagedDevice;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::EnrolledInIntuneToo;

/// Management agents that mean Intune itself manages the device (Graph's
/// `managementAgentType`, compared lower case).
const INTUNE_AGENTS: [&str; 7] = [
    "mdm",
    "easmdm",
    "intuneclient",
    "easintuneclient",
    "configurationmanagerclientmdm",
    "configurationmanagerclientmdmeas",
    "microsoft365managedmdm",
];

/// Whether Intune itself manages the device of `record`.
fn intune_manages(record: &ManagedDevice) -> bool {
    let agent = record.management_agent.to_ascii_lowercase();
    INTUNE_AGENTS.contains(&agent.as_str())
}

/// Raises `enrolled-in-intune-too`: critical when Intune's own record says
/// not compliant, else a warning.
pub(crate) fn detect(context: &ChainContext) -> Vec<Finding> {
    let chain = context.chain;
    let jamf_record = chain
        .intune
        .iter()
        .find(|record| record.management_agent.eq_ignore_ascii_case("jamf"));
    if chain.jamf_computer.is_none() && jamf_record.is_none() {
        return Vec::new();
    }
    let Some(intune) = chain.intune.iter().find(|record| intune_manages(record)) else {
        return Vec::new();
    };
    let noncompliant = intune.compliance.eq_ignore_ascii_case("noncompliant");
    let mut evidence = vec![EvidenceRow::new(
        "Intune record",
        format!(
            "{} ({}): managementAgent {}, complianceState {}",
            intune.name,
            intune.intune_id,
            intune.management_agent,
            if intune.compliance.is_empty() {
                "not given"
            } else {
                &intune.compliance
            }
        ),
    )];
    if let Some(computer) = &chain.jamf_computer {
        evidence.push(EvidenceRow::new(
            "Jamf Pro computer",
            format!("{} (ID {})", computer.name, computer.id),
        ));
    }
    if let Some(record) = jamf_record {
        evidence.push(EvidenceRow::new(
            "Jamf partner record",
            format!(
                "{} ({}): managementAgent jamf",
                record.name, record.intune_id
            ),
        ));
    }
    vec![Finding {
        id: ID,
        subject: None,
        severity: if noncompliant {
            Severity::Critical
        } else {
            Severity::Warning
        },
        summary: format!(
            "The Mac is enrolled in Intune's MDM as well as managed by Jamf Pro: Intune's own compliance{} is enforced and the state Jamf Pro sends is ignored",
            if noncompliant { " (noncompliant)" } else { "" }
        ),
        evidence,
        remediation: vec![
            "Decide which product manages the Mac: macOS allows one compliance partner. To keep Jamf Pro, retire the Intune enrollment (Intune admin center > Devices > the Mac > Retire) and remove Intune's MDM profile from the Mac.".to_string(),
            "Then have the user run the \"Register with Entra ID\" policy in Self Service, so that Jamf Pro's compliance is the one Entra ID reads.".to_string(),
            format!("Then {}.", context.run_again),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::device::testing::{CURRENT, chain_of, run, tenant};
    use crate::util::guid::Guid;

    fn record(agent: &str, compliance: &str) -> ManagedDevice {
        ManagedDevice {
            intune_id: format!("intune-{agent}").into(),
            device_id: Guid::parse(CURRENT),
            name: "Jane's MacBook".into(),
            serial: "".into(),
            compliance: compliance.into(),
            management_agent: agent.into(),
            last_sync: None,
            upn: "jane@contoso.com".into(),
            operating_system: "macOS".into(),
        }
    }

    #[test]
    fn an_intune_mdm_record_beside_jamf_s() {
        let mut records = tenant();
        // The fixture's other Mac, enrolled in Intune, is not this one's.
        assert!(run(detect, &chain_of(&records), None).is_empty());
        records.managed.push(record("jamf", "compliant"));
        // Near miss: only Jamf's partner record.
        assert!(run(detect, &chain_of(&records), None).is_empty());
        records.managed.push(record("MDM", "compliant"));
        let found = run(detect, &chain_of(&records), None);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
        records.managed.pop();
        records.managed.push(record("mdm", "noncompliant"));
        assert_eq!(
            run(detect, &chain_of(&records), None)[0].severity,
            Severity::Critical
        );
    }
}
