//! `device-certificate-expiring`: the certificate of the device the Mac
//! presents to Entra ID (Platform SSO's or the login keychain's) expires
//! within 30 days (warning) or has expired (critical). Without a valid
//! device certificate the device cannot authenticate, silent sign-ins fail
//! and the Mac is deactivated.

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::util::text::count;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::DeviceCertificateExpiring;

/// Days before the end of validity from which it is raised.
pub(crate) const WARN_DAYS: i64 = 30;

/// Raises `device-certificate-expiring`.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(device) = &context.facts.device else {
        return Vec::new();
    };
    let Some(certificate) = &device.certificate else {
        return Vec::new();
    };
    let left = certificate.not_after.signed_duration_since(context.now);
    if left > chrono::Duration::days(WARN_DAYS) {
        return Vec::new();
    }
    let until = context.time(certificate.not_after.fixed_offset());
    let (severity, summary) = if left <= chrono::Duration::zero() {
        (
            Severity::Critical,
            format!(
                "The Mac's device certificate expired on {until}: the device can no longer authenticate to Entra ID"
            ),
        )
    } else {
        let days = left.num_days().max(0) as u64;
        (
            Severity::Warning,
            format!(
                "The Mac's device certificate expires in {} ({until}): re-register before then",
                if days == 0 {
                    "less than a day".to_string()
                } else {
                    count(days, "day", "days")
                }
            ),
        )
    };
    vec![Finding {
        id: ID,
        subject: None,
        severity,
        summary,
        evidence: vec![
            EvidenceRow::new("device ID", format!("{} (from {})", device.device_id, device.source.describe())),
            EvidenceRow::new("valid from", context.time(certificate.not_before.fixed_offset())),
            EvidenceRow::new("valid until", until),
            EvidenceRow::new("serial number", certificate.serial.clone()),
        ],
        remediation: vec![
            "Register the Mac again: have the user run the \"Register with Entra ID\" policy from Self Service (or sign in to Company Portal); with Platform SSO, repair the registration from the Platform SSO notification or System Settings > Users & Groups.".to_string(),
            "Re-registering creates a new device ID: once it is compliant, delete the old device record in Entra ID (Devices > All devices) so that only one remains.".to_string(),
            format!("Then {} and check that the device ID row shows the new certificate.", context.run_again()),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;
    use crate::mac::registration::{CheckKind, CheckRecord, Registration};

    fn with_certificate(file: &str) -> Scenario {
        let der = std::fs::read(format!(
            "{}/fixtures/device-chain/mac/{file}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let mut scenario = Scenario::registered();
        scenario.registration = Some(Registration::from_checks(vec![CheckRecord {
            check: CheckKind::Keychain.label().to_string(),
            kind: Some(CheckKind::Keychain),
            registered: None,
            outcome: "ok".to_string(),
            output: crate::mac::registration::certificate::to_pem(&der),
        }]));
        scenario
    }

    #[test]
    fn expired_is_critical_expiring_is_a_warning_and_two_months_is_nothing() {
        // The scenarios' clock is 2026-11-20.
        let findings = with_certificate("expired-2026-11.der").run(detect);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].severity, Severity::Critical);
        assert!(
            findings[0].summary.contains("expired on 2026-11-01"),
            "{}",
            findings[0].summary
        );
        let findings = with_certificate("expiring-2026-12.der").run(detect);
        assert_eq!(findings[0].severity, Severity::Warning);
        assert!(
            findings[0].summary.contains("expires in 14 days"),
            "{}",
            findings[0].summary
        );
        assert!(
            with_certificate("valid-to-2027-01.der")
                .run(detect)
                .is_empty()
        );
        assert!(Scenario::registered().run(detect).is_empty());
    }
}
